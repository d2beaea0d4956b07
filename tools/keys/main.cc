// keys: manages the API keys of an OMS suite (docs/SECURITY.md).
//   keys init   [--dir=var/auth]   one key per service and per local role, if missing
//   keys add    --principal=NAME --roles=OPS,READER [--channel=ERP] [--out=FILE] [--dir=...]
//   keys list   [--dir=var/auth]   key ids, principals, roles (never secrets)
//   keys revoke --key_id=ID [--dir=var/auth]
// Running services read the file again every --key_reload_interval: no restart needed.
#include <iostream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "platform/crypto/data_key_file.h"
#include "platform/security/local_keys.h"
#include "platform/security/tls_files.h"

ABSL_FLAG(std::string, dir, "var/auth", "directory of keys.textproto and the local tokens");
ABSL_FLAG(std::string, principal, "", "add: who the key speaks for");
ABSL_FLAG(std::string, roles, "", "add: comma-separated roles (ADMIN, OPS, REVIEWER, ...)");
ABSL_FLAG(std::string, channel, "", "add: bind an ORDER_WRITER key to one channel (ERP, WEB...)");
ABSL_FLAG(std::string, out, "", "add: write the token here (0600) instead of printing it");
ABSL_FLAG(std::string, key_id, "", "revoke: the key to disable; data-retire: the data key");

namespace {

using oms::auth::Role;

int Fail(const absl::Status& status) {
  std::cerr << "keys: " << status.message() << "\n";
  return status.code() == absl::StatusCode::kInvalidArgument ? 2 : 1;
}

std::string KeyFilePath() { return absl::GetFlag(FLAGS_dir) + "/keys.textproto"; }

int Init() {
  absl::StatusOr<std::vector<std::string>> created =
      oms::auth::EnsureLocalKeys(absl::GetFlag(FLAGS_dir));
  if (!created.ok()) return Fail(created.status());
  if (!created->empty()) {
    std::cout << "created keys for " << absl::StrJoin(*created, ", ") << " in "
              << absl::GetFlag(FLAGS_dir) << "\n";
  }
  return 0;
}

int Add() {
  std::string principal = absl::GetFlag(FLAGS_principal);
  std::vector<Role> roles;
  for (absl::string_view name :
       absl::StrSplit(absl::GetFlag(FLAGS_roles), ',', absl::SkipEmpty())) {
    Role role;
    if (!oms::security::v1::Role_Parse(std::string(name), &role) ||
        role == oms::security::v1::ROLE_UNSPECIFIED) {
      return Fail(absl::InvalidArgumentError("unknown role " + std::string(name)));
    }
    roles.push_back(role);
  }
  if (principal.empty() || roles.empty()) {
    return Fail(absl::InvalidArgumentError("add needs --principal and --roles"));
  }
  std::string out = absl::GetFlag(FLAGS_out);
  std::string token_path = out.empty() ? absl::GetFlag(FLAGS_dir) + "/.new.key" : out;
  absl::Status added = oms::auth::AddKey(absl::GetFlag(FLAGS_dir), principal, roles,
                                         absl::GetFlag(FLAGS_channel), token_path);
  if (!added.ok()) return Fail(added);
  if (out.empty()) {
    absl::StatusOr<std::string> token = oms::ReadSmallFile(token_path);
    std::remove(token_path.c_str());
    if (!token.ok()) return Fail(token.status());
    std::cout << *token << "\n";  // shown once; only its hash is kept
  }
  return 0;
}

int List() {
  absl::StatusOr<oms::security::v1::KeyFile> file = oms::auth::ReadKeyFile(KeyFilePath());
  if (!file.ok()) return Fail(file.status());
  for (const auto& key : file->keys()) {
    std::vector<std::string> roles;
    for (int role : key.roles()) roles.push_back(oms::security::v1::Role_Name(role));
    std::cout << key.key_id() << "  " << key.principal() << "  " << absl::StrJoin(roles, ",")
              << (key.channel().empty() ? "" : "  channel=" + key.channel())
              << (key.disabled() ? "  DISABLED" : "") << "\n";
  }
  return 0;
}

int Revoke() {
  absl::StatusOr<oms::security::v1::KeyFile> file = oms::auth::ReadKeyFile(KeyFilePath());
  if (!file.ok()) return Fail(file.status());
  for (auto& key : *file->mutable_keys()) {
    if (key.key_id() != absl::GetFlag(FLAGS_key_id)) continue;
    key.set_disabled(true);
    absl::Status written = oms::auth::WriteKeyFile(KeyFilePath(), *file);
    return written.ok() ? 0 : Fail(written);
  }
  return Fail(absl::NotFoundError("no key " + absl::GetFlag(FLAGS_key_id)));
}

// The data keys (docs/SECURITY.md): a new active key, or an old one retired after the sweep.
std::string DataKeyPath() { return absl::GetFlag(FLAGS_dir) + "/data.keys"; }

int DataRotate() {
  absl::StatusOr<std::string> added = oms::crypto::AddDataKey(DataKeyPath());
  if (!added.ok()) return Fail(added.status());
  std::cout << "data key " << *added << " seals new values from now on; run ResealPersonalData"
            << " with {\"key_id\": \"" << *added
            << "\"} until it reports, then `keys data-retire --key_id=<old id>`\n";
  return 0;
}

int DataRetire() {
  absl::Status retired = oms::crypto::RetireDataKey(DataKeyPath(), absl::GetFlag(FLAGS_key_id));
  return retired.ok() ? 0 : Fail(retired);
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "keys init|add|list|revoke|data-rotate|data-retire [flags]: OMS API and data keys");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  std::string command = args.size() > 1 ? args[1] : "";
  if (command == "init") return Init();
  if (command == "add") return Add();
  if (command == "list") return List();
  if (command == "revoke") return Revoke();
  if (command == "data-rotate") return DataRotate();
  if (command == "data-retire") return DataRetire();
  std::cerr << "usage: keys init|add|list|revoke|data-rotate|data-retire [--dir=var/auth]"
               " (see --help)\n";
  return 2;
}
