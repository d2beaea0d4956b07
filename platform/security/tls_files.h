#ifndef OMS_PLATFORM_SECURITY_TLS_FILES_H_
#define OMS_PLATFORM_SECURITY_TLS_FILES_H_

// TLS and mutual-TLS material for servers and clients, read from PEM files.

#include <string>

#include "absl/status/statusor.h"
#include "platform/base/files.h"  // ReadSmallFile, which the users of TLS files also read keys with

namespace oms {

// PEM material for one side of a TLS connection, read from the paths given by flags.
struct TlsPem {
  std::string ca;    // server: client CA, which turns on mutual TLS; client: server's CA
  std::string cert;  // server: required for TLS; client: needed only under mutual TLS
  std::string key;
  // Where they were read from ("" for material given in memory, as tests do): a server
  // given the paths watches the files and serves new certificates without a restart.
  std::string ca_path, cert_path, key_path;
  bool enabled() const { return !cert.empty() || !ca.empty(); }
};

// Reads the files that are named (empty paths stay empty); NOT_FOUND naming a missing one,
// INVALID_ARGUMENT for a certificate without its key or the other way round.
absl::StatusOr<TlsPem> ReadTlsPem(const std::string& ca_path, const std::string& cert_path,
                                  const std::string& key_path);

}  // namespace oms

#endif  // OMS_PLATFORM_SECURITY_TLS_FILES_H_
