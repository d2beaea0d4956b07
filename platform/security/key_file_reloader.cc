#include "platform/security/key_file_reloader.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/text_format.h"
#include "platform/base/files.h"
#include "platform/base/log.h"

namespace oms::auth {

KeyFileReloader::KeyFileReloader(std::string path, KeyStore* keys)
    : path_(std::move(path)), keys_(keys) {
  absl::StatusOr<std::string> content = ReadSmallFile(path_);
  if (content.ok()) seen_ = *content;
}

absl::Status KeyFileReloader::Check() {
  absl::StatusOr<std::string> content = ReadSmallFile(path_);
  if (!content.ok()) {
    return absl::NotFoundError(
        absl::StrCat("cannot read key file ", path_, "; the keys loaded before stay in use"));
  }
  if (*content == seen_ || *content == refused_) return absl::OkStatus();  // refused: said once
  security::v1::KeyFile file;
  absl::StatusOr<KeyStore> newer = absl::InvalidArgumentError("not a valid KeyFile");
  if (google::protobuf::TextFormat::ParseFromString(*content, &file)) {
    newer = KeyStore::FromKeyFile(file);
  }
  if (!newer.ok()) {
    refused_ = *content;
    return absl::InvalidArgumentError(absl::StrCat("key file ", path_, " changed but is refused (",
                                                   newer.status().message(),
                                                   "); the keys loaded before stay in use"));
  }
  keys_->ReplaceKeys(*newer);
  seen_ = *content;
  refused_.clear();
  LogInfo("API keys reloaded from ", path_, ": ", newer->size(), " keys");
  return absl::OkStatus();
}

}  // namespace oms::auth
