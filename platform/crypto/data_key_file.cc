#include "platform/crypto/data_key_file.h"

#include <filesystem>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "platform/base/files.h"
#include "platform/crypto/data_keys.h"
#include "platform/crypto/data_protection.h"

namespace oms::crypto {
namespace {

constexpr char kHeader[] =
    "# OMS data keys: \"<id> <64 hex>\", the first one seals new values; \"lookup\" hashes the\n"
    "# searchable ones. Keep this file out of the stores and their backups (docs/SECURITY.md).\n";

std::string KeyIdOfLine(absl::string_view line) {
  return std::string(line.substr(0, line.find(' ')));
}

bool IsKeyLine(absl::string_view line) { return !line.empty() && line[0] != '#'; }

absl::Status WriteValidated(const std::string& path, const std::string& text) {
  if (absl::Status valid = DataKeys::FromText(text).status(); !valid.ok()) return valid;
  return WriteFileAtomically(path, text, 0600);
}

}  // namespace

absl::StatusOr<bool> EnsureDataKeyFile(const std::string& path) {
  if (std::filesystem::exists(path)) return false;
  std::string text =
      absl::StrCat(kHeader, DataKeys::NewKeyLine("k1"), "\n", DataKeys::NewKeyLine("lookup"), "\n");
  if (absl::Status written = WriteValidated(path, text); !written.ok()) return written;
  return true;
}

absl::StatusOr<std::string> AddDataKey(const std::string& path) {
  absl::StatusOr<std::string> text = ReadSmallFile(path);
  if (!text.ok()) return text.status();
  std::string id =
      absl::StrCat("k", absl::FormatTime("%Y%m%d%H%M%S", absl::Now(), absl::UTCTimeZone()));
  std::vector<std::string> lines = absl::StrSplit(*text, '\n', absl::SkipEmpty());
  auto first_key = std::find_if(lines.begin(), lines.end(), IsKeyLine);
  for (const std::string& line : lines) {
    if (IsKeyLine(line) && KeyIdOfLine(line) == id) {
      return absl::AlreadyExistsError(absl::StrCat("data key ", id, " exists; try in a second"));
    }
  }
  lines.insert(first_key, DataKeys::NewKeyLine(id));
  if (absl::Status written = WriteValidated(path, absl::StrCat(absl::StrJoin(lines, "\n"), "\n"));
      !written.ok()) {
    return written;
  }
  return id;
}

absl::Status RetireDataKey(const std::string& path, const std::string& key_id) {
  absl::StatusOr<DataKeys> keys = DataKeys::Load(path);
  if (!keys.ok()) return keys.status();
  if (key_id == "lookup" || key_id == keys->active_key_id()) {
    return absl::FailedPreconditionError(
        absl::StrCat("data key ", key_id, " is in use: only an older key can be retired"));
  }
  if (!keys->HasKey(key_id)) {
    return absl::NotFoundError(absl::StrCat("no data key ", key_id, " in ", path));
  }
  std::string text = *ReadSmallFile(path);
  std::vector<std::string> kept;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    if (!IsKeyLine(line) || KeyIdOfLine(line) != key_id) kept.emplace_back(line);
  }
  return WriteValidated(path, absl::StrCat(absl::StrJoin(kept, "\n"), "\n"));
}

absl::StatusOr<DataKeyFileWatcher> DataKeyFileWatcher::Start(std::string path) {
  DataKeyFileWatcher watcher(std::move(path));
  absl::StatusOr<std::string> text = ReadSmallFile(watcher.path_);
  if (!text.ok()) {
    return absl::NotFoundError(absl::StrCat("cannot read data key file ", watcher.path_));
  }
  absl::StatusOr<DataKeys> keys = DataKeys::FromText(*text);
  if (!keys.ok()) return keys.status();
  DataProtection::Use(std::make_shared<const DataKeys>(*std::move(keys)));
  watcher.seen_ = *std::move(text);
  return watcher;
}

absl::Status DataKeyFileWatcher::Check() {
  absl::StatusOr<std::string> text = ReadSmallFile(path_);
  if (!text.ok()) return text.status();
  if (*text == seen_ || *text == refused_) return absl::OkStatus();
  absl::StatusOr<DataKeys> keys = DataKeys::FromText(*text);
  if (!keys.ok()) {
    refused_ = *text;
    return absl::Status(keys.status().code(),
                        absl::StrCat(path_, ": ", keys.status().message(), "; keys in use kept"));
  }
  DataProtection::Use(std::make_shared<const DataKeys>(*std::move(keys)));
  seen_ = *std::move(text);
  refused_.clear();
  return absl::OkStatus();
}

}  // namespace oms::crypto
