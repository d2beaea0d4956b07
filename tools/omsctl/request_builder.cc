#include "tools/omsctl/request_builder.h"

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"

namespace oms::omsctl {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

absl::Status Bad(const std::string& path, const std::string& why) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", why));
}

absl::Status SetScalar(Message& m, const FieldDescriptor* f, const std::string& path,
                       const std::string& value) {
  const Reflection* r = m.GetReflection();
  bool repeated = f->is_repeated();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      repeated ? r->AddString(&m, f, value) : r->SetString(&m, f, value);
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_INT64:
    case FieldDescriptor::CPPTYPE_UINT32:
    case FieldDescriptor::CPPTYPE_UINT64: {
      int64_t n = 0;
      if (!absl::SimpleAtoi(value, &n)) return Bad(path, "must be a whole number");
      switch (f->cpp_type()) {
        case FieldDescriptor::CPPTYPE_INT32:
          repeated ? r->AddInt32(&m, f, static_cast<int32_t>(n))
                   : r->SetInt32(&m, f, static_cast<int32_t>(n));
          break;
        case FieldDescriptor::CPPTYPE_INT64:
          repeated ? r->AddInt64(&m, f, n) : r->SetInt64(&m, f, n);
          break;
        case FieldDescriptor::CPPTYPE_UINT32:
          repeated ? r->AddUInt32(&m, f, static_cast<uint32_t>(n))
                   : r->SetUInt32(&m, f, static_cast<uint32_t>(n));
          break;
        default:
          repeated ? r->AddUInt64(&m, f, static_cast<uint64_t>(n))
                   : r->SetUInt64(&m, f, static_cast<uint64_t>(n));
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: {
      double d = 0;
      if (!absl::SimpleAtod(value, &d)) return Bad(path, "must be a number");
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_DOUBLE) {
        repeated ? r->AddDouble(&m, f, d) : r->SetDouble(&m, f, d);
      } else {
        repeated ? r->AddFloat(&m, f, static_cast<float>(d))
                 : r->SetFloat(&m, f, static_cast<float>(d));
      }
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool b = false;
      if (!absl::SimpleAtob(value, &b)) return Bad(path, "must be true or false");
      repeated ? r->AddBool(&m, f, b) : r->SetBool(&m, f, b);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const google::protobuf::EnumValueDescriptor* e = f->enum_type()->FindValueByName(value);
      int number = 0;
      if (e == nullptr && absl::SimpleAtoi(value, &number)) {
        e = f->enum_type()->FindValueByNumber(number);
      }
      if (e == nullptr) {
        std::vector<std::string> names;
        for (int i = 1; i < f->enum_type()->value_count(); ++i) {
          names.push_back(f->enum_type()->value(i)->name());
        }
        return Bad(path, absl::StrCat("must be one of ", absl::StrJoin(names, ", ")));
      }
      repeated ? r->AddEnum(&m, f, e) : r->SetEnum(&m, f, e);
      return absl::OkStatus();
    }
    default:
      return Bad(path, "is a message: set its fields (path.field=value) or use --request");
  }
}

}  // namespace

absl::Status SetField(Message& request, const std::string& assignment) {
  size_t eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", assignment, "\": expected field=value (see --help)"));
  }
  std::string path = assignment.substr(0, eq);
  std::string value = assignment.substr(eq + 1);
  std::vector<std::string> parts = absl::StrSplit(path, '.');
  Message* m = &request;
  for (size_t i = 0; i < parts.size(); ++i) {
    const FieldDescriptor* f = m->GetDescriptor()->FindFieldByName(parts[i]);
    if (f == nullptr) {
      std::vector<std::string> names;
      for (int j = 0; j < m->GetDescriptor()->field_count(); ++j) {
        names.push_back(m->GetDescriptor()->field(j)->name());
      }
      return Bad(path, absl::StrCat("no field \"", parts[i], "\" in ", m->GetDescriptor()->name(),
                                    " (fields: ", absl::StrJoin(names, ", "), ")"));
    }
    if (i + 1 == parts.size()) return SetScalar(*m, f, path, value);
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || f->is_repeated()) {
      return Bad(path, absl::StrCat(parts[i], " has no sub-fields here (use --request for lists)"));
    }
    m = m->GetReflection()->MutableMessage(m, f);
  }
  return absl::OkStatus();
}

absl::Status MergeJson(Message& request, const std::string& json) {
  // Parsed apart and merged: parsing into `request` would clear what the command's presets
  // and earlier arguments set (a refund's status, the actor).
  std::unique_ptr<Message> parsed(request.New());
  google::protobuf::util::JsonParseOptions options;
  auto status = google::protobuf::util::JsonStringToMessage(json, parsed.get(), options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("request JSON: ", status.ToString()));
  }
  request.MergeFrom(*parsed);
  return absl::OkStatus();
}

}  // namespace oms::omsctl
