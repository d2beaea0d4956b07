#include "integration_tests/test_pki.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace oms::integration {
namespace {

TlsPem Read(const std::string& ca, const std::string& cert, const std::string& key) {
  absl::StatusOr<TlsPem> pem = ReadTlsPem(ca, cert, key);
  return pem.ok() ? *pem : TlsPem();
}

}  // namespace

absl::StatusOr<TestPki> MakeTestPki(const std::string& dir) {
  // EC keys: quick to make. Each leaf is signed by its CA for one day.
  std::string script = absl::StrCat(
      "set -e; cd '", dir, "'\n",
      "key() { openssl ecparam -name prime256v1 -genkey -noout -out \"$1\"; }\n",
      "ca() { key $1.key; openssl req -x509 -new -key $1.key -subj /CN=$1 -days 1 -out $1.crt; }\n",
      "leaf() { key $2.key; openssl req -new -key $2.key -subj /CN=$2 -out $2.csr;\n",
      "  printf 'subjectAltName=%s\\n' \"$3\" > $2.ext;\n",
      "  openssl x509 -req -in $2.csr -CA $1.crt -CAkey $1.key -CAcreateserial -days 1 ",
      "-extfile $2.ext -out $2.crt; }\n", "ca oms-test-ca; ca rogue-ca\n",
      "leaf oms-test-ca server 'IP:127.0.0.1,DNS:localhost'\n",
      "leaf oms-test-ca client 'DNS:oms-client'\n",
      "leaf rogue-ca rogue-client 'DNS:oms-client'\n");
  std::string command =
      absl::StrCat("bash -c \"$(cat <<'PKI'\n", script, "PKI\n)\" >'", dir, "/openssl.log' 2>&1");
  if (std::system(command.c_str()) != 0) {
    return absl::InternalError(absl::StrCat("openssl failed; see ", dir, "/openssl.log"));
  }
  TestPki pki;
  pki.ca_cert = dir + "/oms-test-ca.crt";
  pki.server_cert = dir + "/server.crt";
  pki.server_key = dir + "/server.key";
  pki.client_cert = dir + "/client.crt";
  pki.client_key = dir + "/client.key";
  pki.rogue_client_cert = dir + "/rogue-client.crt";
  pki.rogue_client_key = dir + "/rogue-client.key";
  return pki;
}

std::vector<std::string> TestPki::MutualTlsFlags() const {
  return {"--tls_cert=" + server_cert,      "--tls_key=" + server_key,
          "--tls_client_ca=" + ca_cert,     "--peer_tls_ca=" + ca_cert,
          "--peer_tls_cert=" + client_cert, "--peer_tls_key=" + client_key};
}

TlsPem TestPki::TrustedClient() const { return Read(ca_cert, client_cert, client_key); }
TlsPem TestPki::ClientWithoutCertificate() const { return Read(ca_cert, "", ""); }
TlsPem TestPki::RogueClient() const { return Read(ca_cert, rogue_client_cert, rogue_client_key); }

}  // namespace oms::integration
