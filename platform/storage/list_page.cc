#include "platform/storage/list_page.h"

#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/time_util.h"

namespace oms {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// FNV-1a of the request's deterministic bytes without its paging fields: the same filters
// hash the same on every replica and after a restart.
uint64_t FilterHash(const Message& request) {
  std::unique_ptr<Message> filters(request.New());
  filters->CopyFrom(request);
  for (const char* field : {"page_token", "page_size"}) {
    const FieldDescriptor* f = filters->GetDescriptor()->FindFieldByName(field);
    if (f != nullptr) filters->GetReflection()->ClearField(filters.get(), f);
  }
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    filters->SerializeToCodedStream(&coded);
  }
  uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : bytes) hash = (hash ^ c) * 1099511628211ULL;
  return hash;
}

// A field of the request by name and type, or nullptr if the request has no such field.
const FieldDescriptor* Field(const Message& request, const char* name,
                             FieldDescriptor::CppType type) {
  const FieldDescriptor* f = request.GetDescriptor()->FindFieldByName(name);
  return f != nullptr && f->cpp_type() == type && !f->is_repeated() ? f : nullptr;
}

constexpr char kNotAToken[] = "is not a token from this list call";

}  // namespace

ListPage ListPage::Read(const Message& request, FieldErrors& errors, PageLimits limits) {
  const google::protobuf::Reflection* reflection = request.GetReflection();
  int size = limits.default_size;
  if (const FieldDescriptor* f = Field(request, "page_size", FieldDescriptor::CPPTYPE_INT32)) {
    int32_t asked = reflection->GetInt32(request, f);
    if (errors.Check(asked >= 0 && asked <= limits.max_size, "page_size",
                     absl::StrCat("must be between 0 and ", limits.max_size)) &&
        asked > 0) {
      size = asked;
    }
  }
  std::optional<std::string> after;
  const FieldDescriptor* token_field =
      Field(request, "page_token", FieldDescriptor::CPPTYPE_STRING);
  std::string token = token_field ? reflection->GetString(request, token_field) : "";
  if (!token.empty()) {
    std::string raw;
    size_t colon = std::string::npos;
    uint64_t hash = 0;
    if (absl::WebSafeBase64Unescape(token, &raw)) colon = raw.find(':');
    if (colon == std::string::npos || !absl::SimpleAtoi(raw.substr(0, colon), &hash)) {
      errors.Add("page_token", kNotAToken);
    } else if (hash != FilterHash(request)) {
      errors.Add("page_token", "was issued for different filters; repeat the same filters");
    } else {
      after = raw.substr(colon + 1);
    }
  }
  return ListPage(&request, size, std::move(after));
}

std::optional<int64_t> ListPage::NumberAfter(FieldErrors& errors) const {
  if (!after_.has_value()) return std::nullopt;
  int64_t number;
  if (!absl::SimpleAtoi(*after_, &number)) {
    errors.Add("page_token", kNotAToken);
    return std::nullopt;
  }
  return number;
}

std::optional<std::pair<int64_t, std::string>> ListPage::CreatedAfter(FieldErrors& errors) const {
  if (!after_.has_value()) return std::nullopt;
  std::pair<std::string, std::string> parts = absl::StrSplit(*after_, absl::MaxSplits(':', 1));
  int64_t created_us;
  if (!absl::SimpleAtoi(parts.first, &created_us) || parts.second.empty()) {
    errors.Add("page_token", kNotAToken);
    return std::nullopt;
  }
  return std::make_pair(created_us, std::move(parts.second));
}

std::string ListPage::CreatedKey(const google::protobuf::Timestamp& created_at,
                                 absl::string_view id) {
  return absl::StrCat(google::protobuf::util::TimeUtil::TimestampToMicroseconds(created_at), ":",
                      id);
}

std::string ListPage::Token(absl::string_view position) const {
  return absl::WebSafeBase64Escape(absl::StrCat(FilterHash(*request_), ":", position));
}

}  // namespace oms
