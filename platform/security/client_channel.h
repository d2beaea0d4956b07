#ifndef OMS_PLATFORM_SECURITY_CLIENT_CHANNEL_H_
#define OMS_PLATFORM_SECURITY_CLIENT_CHANNEL_H_

// Channels to OMS services: the caller's key, TLS, the request id and on-behalf-of carried
// along, and round-robin over replicas with retries on UNAVAILABLE.

#include <memory>
#include <string>

#include "grpcpp/channel.h"
#include "grpcpp/support/channel_arguments.h"
#include "platform/security/tls_files.h"

namespace oms {

// How a client proves who it is and checks whom it talks to.
struct ClientSecurity {
  std::string bearer_token;     // "<key_id>.<secret>"; empty sends no key
  TlsPem tls;                   // ca set: TLS; cert and key too: mutual TLS
  std::string tls_server_name;  // override the name checked in the server certificate
};

// A channel whose every call carries the key, the current call's request id (or a new
// one) and, from inside a service, the principal it acts for. `address` may name several
// replicas ("127.0.0.1:50052,127.0.0.1:50062", or a DNS name with several addresses):
// calls go round-robin, and one refused with UNAVAILABLE is retried on another replica.
std::shared_ptr<grpc::Channel> OpenChannel(const std::string& address,
                                           const ClientSecurity& security,
                                           grpc::ChannelArguments args = {});

// The gRPC target for an address as users write it: a comma-separated list of host:port
// gets the ipv4: (or ipv6:) scheme that gRPC needs for it; anything else is left alone.
std::string ChannelTarget(const std::string& address);

// The identity a service binary uses for its own calls to other services; set once at
// startup, before any peer channel is opened.
void SetPeerSecurity(ClientSecurity security);
std::shared_ptr<grpc::Channel> PeerChannel(const std::string& address);

}  // namespace oms

#endif  // OMS_PLATFORM_SECURITY_CLIENT_CHANNEL_H_
