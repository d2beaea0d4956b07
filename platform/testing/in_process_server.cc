#include "platform/testing/in_process_server.h"

#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace oms::testing {

InProcessServer::InProcessServer(ServiceHost* host, grpc::Service* service,
                                 const std::string& full_name, bool with_event_feed)
    : server_(GrpcServerOptions()) {
  server_.AddService(service, full_name);
  if (with_event_feed) {
    feed_ = std::make_unique<EventFeedService>(&host->outbox());
    server_.AddService(feed_.get(), "oms.events.v1.EventFeed");
  }
  server_.AddShutdownHook([this, host] {
    host->commits().Close();
    if (feed_ != nullptr) feed_->StopWatches();
  });
}

absl::Status InProcessServer::Start() { return server_.Start(); }

std::shared_ptr<grpc::Channel> InProcessServer::Channel() const {
  return grpc::CreateChannel("127.0.0.1:" + std::to_string(server_.port()),
                             grpc::InsecureChannelCredentials());
}

}  // namespace oms::testing
