#ifndef OMS_INTEGRATION_TESTS_TEST_PKI_H_
#define OMS_INTEGRATION_TESTS_TEST_PKI_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "platform/security/tls_files.h"

namespace oms::integration {

// A throwaway certificate authority made with the openssl command line: a server
// certificate for 127.0.0.1/localhost and a client certificate it signed, plus a second,
// untrusted CA with its own client certificate.
struct TestPki {
  std::string ca_cert, server_cert, server_key, client_cert, client_key;
  std::string rogue_client_cert, rogue_client_key;  // signed by a CA nobody trusts

  // Flags for a server requiring client certificates, and for its calls to its peers.
  std::vector<std::string> MutualTlsFlags() const;
  // What a trusted client, a client without a certificate and a rogue client present.
  TlsPem TrustedClient() const;
  TlsPem ClientWithoutCertificate() const;
  TlsPem RogueClient() const;
};

absl::StatusOr<TestPki> MakeTestPki(const std::string& dir);

}  // namespace oms::integration

#endif  // OMS_INTEGRATION_TESTS_TEST_PKI_H_
