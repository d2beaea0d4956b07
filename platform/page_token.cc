#include "platform/page_token.h"

#include <memory>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace oms {
namespace {

uint64_t FilterHash(const google::protobuf::Message& request) {
  std::unique_ptr<google::protobuf::Message> filters(request.New());
  filters->CopyFrom(request);
  for (const char* field : {"page_token", "page_size"}) {
    const google::protobuf::FieldDescriptor* f = filters->GetDescriptor()->FindFieldByName(field);
    if (f != nullptr) filters->GetReflection()->ClearField(filters.get(), f);
  }
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    filters->SerializeToCodedStream(&coded);
  }
  uint64_t hash = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : bytes) hash = (hash ^ c) * 1099511628211ULL;
  return hash;
}

}  // namespace

std::string EncodePageToken(absl::string_view position, const google::protobuf::Message& request) {
  return absl::WebSafeBase64Escape(absl::StrCat(FilterHash(request), ":", position));
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view token,
                                            const google::protobuf::Message& request) {
  std::string raw;
  size_t colon = std::string::npos;
  uint64_t hash = 0;
  if (absl::WebSafeBase64Unescape(token, &raw)) colon = raw.find(':');
  if (colon == std::string::npos || !absl::SimpleAtoi(raw.substr(0, colon), &hash)) {
    return absl::InvalidArgumentError("page_token: is not a token from this list call");
  }
  if (hash != FilterHash(request)) {
    return absl::InvalidArgumentError(
        "page_token: was issued for different filters; repeat the same filters");
  }
  return raw.substr(colon + 1);
}

}  // namespace oms
