#include "notify_svc/template_engine.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/time_util.h"
#include "oms/common/v1/common.pb.h"
#include "platform/base/money.h"

namespace oms::notify {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

constexpr int kMaxDepth = 4;

std::string Join(const std::string& prefix, const std::string& name) {
  return prefix.empty() ? name : absl::StrCat(prefix, ".", name);
}

bool IsMoney(const Descriptor* d) { return d->full_name() == "oms.common.v1.Money"; }
bool IsTimestamp(const Descriptor* d) { return d->full_name() == "google.protobuf.Timestamp"; }

std::string ScalarText(const google::protobuf::Message& m, const FieldDescriptor* f) {
  const google::protobuf::Reflection* r = m.GetReflection();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(r->GetInt32(m, f));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrCat(r->GetInt64(m, f));
    case FieldDescriptor::CPPTYPE_UINT32:
      return absl::StrCat(r->GetUInt32(m, f));
    case FieldDescriptor::CPPTYPE_UINT64:
      return absl::StrCat(r->GetUInt64(m, f));
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return absl::StrCat(r->GetDouble(m, f));
    case FieldDescriptor::CPPTYPE_FLOAT:
      return absl::StrCat(r->GetFloat(m, f));
    case FieldDescriptor::CPPTYPE_BOOL:
      return r->GetBool(m, f) ? "true" : "false";
    case FieldDescriptor::CPPTYPE_ENUM:
      return r->GetEnum(m, f)->name();
    case FieldDescriptor::CPPTYPE_STRING:
      return r->GetString(m, f);
    default:
      return "";
  }
}

void Flatten(const google::protobuf::Message& message, const std::string& prefix, int depth,
             Values& values) {
  const Descriptor* d = message.GetDescriptor();
  const google::protobuf::Reflection* r = message.GetReflection();
  if (IsMoney(d)) {
    const auto& money = static_cast<const common::v1::Money&>(message);
    absl::StatusOr<Money> parsed = Money::FromProto(money);
    values[prefix] = parsed.ok() ? parsed->ToString()
                                 : absl::StrCat(money.minor_units(), " ", money.currency_code());
  }
  if (IsTimestamp(d)) {
    values[prefix] = google::protobuf::util::TimeUtil::ToString(
        static_cast<const google::protobuf::Timestamp&>(message));
    return;
  }
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    std::string path = Join(prefix, f->name());
    if (f->is_repeated()) {
      values[path + ".count"] = absl::StrCat(r->FieldSize(message, f));
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (depth < kMaxDepth) Flatten(r->GetMessage(message, f), path, depth + 1, values);
    } else {
      values[path] = ScalarText(message, f);
    }
  }
}

void Names(const Descriptor* d, const std::string& prefix, int depth,
           std::set<std::string>& names) {
  if (IsMoney(d) || IsTimestamp(d)) names.insert(prefix);
  if (IsTimestamp(d)) return;
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    std::string path = Join(prefix, f->name());
    if (f->is_repeated()) {
      names.insert(path + ".count");
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (depth < kMaxDepth) Names(f->message_type(), path, depth + 1, names);
    } else {
      names.insert(path);
    }
  }
}

}  // namespace

void FlattenMessage(const google::protobuf::Message& message, const std::string& prefix,
                    Values& values) {
  Flatten(message, prefix, 0, values);
}

void PlaceholdersOf(const Descriptor* type, const std::string& prefix,
                    std::set<std::string>& names) {
  Names(type, prefix, 0, names);
}

std::vector<std::string> FindPlaceholders(absl::string_view text) {
  std::vector<std::string> names;
  size_t pos = 0;
  while ((pos = text.find("{{", pos)) != absl::string_view::npos) {
    size_t end = text.find("}}", pos + 2);
    if (end == absl::string_view::npos) {
      names.push_back(std::string(absl::StripAsciiWhitespace(text.substr(pos + 2))));
      break;
    }
    names.push_back(std::string(absl::StripAsciiWhitespace(text.substr(pos + 2, end - pos - 2))));
    pos = end + 2;
  }
  return names;
}

std::string Render(absl::string_view text, const Values& values) {
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t open = text.find("{{", pos);
    size_t close = open == absl::string_view::npos ? open : text.find("}}", open + 2);
    if (close == absl::string_view::npos) {
      absl::StrAppend(&out, text.substr(pos));
      return out;
    }
    absl::StrAppend(&out, text.substr(pos, open - pos));
    std::string name(absl::StripAsciiWhitespace(text.substr(open + 2, close - open - 2)));
    auto it = values.find(name);
    if (it != values.end()) {
      out.append(it->second);
    } else {
      absl::StrAppend(&out, text.substr(open, close + 2 - open));
    }
    pos = close + 2;
  }
}

}  // namespace oms::notify
