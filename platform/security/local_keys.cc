#include "platform/security/local_keys.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "platform/base/files.h"
#include "platform/crypto/data_key_file.h"

namespace oms::auth {
namespace {

struct LocalPrincipal {
  std::string name;
  std::vector<Role> roles;
  std::string channel;
};

std::vector<LocalPrincipal> LocalPrincipals() {
  std::vector<LocalPrincipal> all;
  for (const std::string& service : ServiceNames())
    all.push_back({service, {security::v1::SERVICE}, ""});
  all.push_back({"admin", {security::v1::ADMIN}, ""});
  all.push_back({"ops", {security::v1::OPS}, ""});
  all.push_back({"reviewer", {security::v1::REVIEWER}, ""});
  all.push_back({"support", {security::v1::CUSTOMER_SERVICE}, ""});
  all.push_back({"reader", {security::v1::READER}, ""});
  all.push_back({"erp", {security::v1::ORDER_WRITER}, "ERP"});
  return all;
}

}  // namespace

const std::vector<std::string>& ServiceNames() {
  static const auto* names =
      new std::vector<std::string>{"orchestrator_svc", "order_svc",  "inventory_svc",
                                   "logistics_svc",    "notify_svc", "analytics_svc"};
  return *names;
}

absl::Status AddKey(const std::string& dir, const std::string& principal,
                    const std::vector<Role>& roles, const std::string& channel,
                    const std::string& token_path) {
  std::string file_path = dir + "/keys.textproto";
  security::v1::KeyFile file;
  if (std::filesystem::exists(file_path)) {
    absl::StatusOr<security::v1::KeyFile> existing = ReadKeyFile(file_path);
    if (!existing.ok()) return existing.status();
    file = *existing;
  }
  IssuedKey key = IssueKey(principal, roles, channel);
  // The token first: a key file entry whose token was lost would be a key nobody holds.
  if (absl::Status written = WriteFileAtomically(token_path, key.token + "\n", 0600); !written.ok())
    return written;
  *file.add_keys() = key.stored;
  if (absl::Status valid = KeyStore::FromKeyFile(file).status(); !valid.ok()) return valid;
  return WriteKeyFile(file_path, file);
}

absl::StatusOr<std::vector<std::string>> EnsureLocalKeys(const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, error);
  std::vector<std::string> created;
  for (const LocalPrincipal& p : LocalPrincipals()) {
    std::string token_path = absl::StrCat(dir, "/", p.name, ".key");
    if (std::filesystem::exists(token_path)) continue;
    if (absl::Status added = AddKey(dir, p.name, p.roles, p.channel, token_path); !added.ok()) {
      return added;
    }
    created.push_back(p.name);
  }
  // The keys sealing customers' personal data in the stores (--data_key_file).
  absl::StatusOr<bool> data_keys = crypto::EnsureDataKeyFile(dir + "/data.keys");
  if (!data_keys.ok()) return data_keys.status();
  if (*data_keys) created.push_back("data.keys");
  return created;
}

}  // namespace oms::auth
