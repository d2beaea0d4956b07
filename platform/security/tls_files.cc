#include "platform/security/tls_files.h"

#include "absl/strings/str_cat.h"

namespace oms {

absl::StatusOr<TlsPem> ReadTlsPem(const std::string& ca_path, const std::string& cert_path,
                                  const std::string& key_path) {
  if (cert_path.empty() != key_path.empty()) {
    return absl::InvalidArgumentError("a TLS certificate and its key go together: give both");
  }
  TlsPem pem;
  for (auto [path, out] : {std::pair{&ca_path, &pem.ca}, std::pair{&cert_path, &pem.cert},
                           std::pair{&key_path, &pem.key}}) {
    if (path->empty()) continue;
    absl::StatusOr<std::string> text = ReadSmallFile(*path);
    if (!text.ok()) return text.status();
    *out = *text + "\n";
  }
  pem.ca_path = ca_path;
  pem.cert_path = cert_path;
  pem.key_path = key_path;
  return pem;
}

}  // namespace oms
