#include "platform/security/request_limits.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"
#include "platform/base/validation.h"

namespace oms {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

size_t MaxBytes(const FieldDescriptor& field) {
  const std::string& name = field.name();
  bool long_text = name == "body" || name == "notes" || name == "note" || name == "description";
  return long_text ? kMaxLongTextBytes : kMaxStringBytes;
}

void CheckString(const std::string& value, const FieldDescriptor& field, const std::string& path,
                 FieldErrors& errors) {
  if (value.size() > MaxBytes(field)) {
    errors.Add(path, absl::StrCat("at most ", MaxBytes(field), " bytes"));
  }
}

void Check(const Message& message, const std::string& prefix, int depth, FieldErrors& errors) {
  if (depth > 16) {
    errors.Add(prefix, "nested too deeply");
    return;
  }
  const google::protobuf::Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);  // only the set ones
  for (const FieldDescriptor* field : fields) {
    std::string path = prefix.empty() ? field->name() : absl::StrCat(prefix, ".", field->name());
    if (field->is_repeated()) {
      int size = reflection->FieldSize(message, field);
      if (size > kMaxRepeated) {
        errors.Add(path, absl::StrCat("at most ", kMaxRepeated, " entries"));
        continue;
      }
      for (int i = 0; i < size; ++i) {
        std::string item = absl::StrCat(path, "[", i, "]");
        if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
          std::string scratch;
          CheckString(reflection->GetRepeatedStringReference(message, field, i, &scratch), *field,
                      item, errors);
        } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !field->is_map()) {
          Check(reflection->GetRepeatedMessage(message, field, i), item, depth + 1, errors);
        }
      }
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
      std::string scratch;
      CheckString(reflection->GetStringReference(message, field, &scratch), *field, path, errors);
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      Check(reflection->GetMessage(message, field), path, depth + 1, errors);
    }
  }
}

}  // namespace

absl::Status CheckRequestLimits(const Message& request) {
  FieldErrors errors;
  Check(request, "", 0, errors);
  return errors.ToStatus();
}

}  // namespace oms
