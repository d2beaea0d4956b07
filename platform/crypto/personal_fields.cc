#include "platform/crypto/personal_fields.h"

#include <memory>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "google/protobuf/any.pb.h"
#include "google/protobuf/dynamic_message.h"
#include "oms/common/v1/common.pb.h"

namespace oms::crypto {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

bool IsAny(const Descriptor& type) { return &type == google::protobuf::Any::descriptor(); }

bool ComputeHoldsPersonalData(const Descriptor& type,
                              absl::flat_hash_map<const Descriptor*, bool>& seen) {
  if (IsAny(type)) return true;
  auto [it, inserted] = seen.emplace(&type, false);  // false while in progress: cycles end
  if (!inserted) return it->second;
  bool holds = false;
  for (int i = 0; i < type.field_count() && !holds; ++i) {
    const FieldDescriptor& field = *type.field(i);
    if (field.cpp_type() == FieldDescriptor::CPPTYPE_STRING) holds = IsPersonal(field);
    if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      holds = ComputeHoldsPersonalData(*field.message_type(), seen);
    }
  }
  seen[&type] = holds;
  return holds;
}

// The Any's payload as a message of its type from the generated pool; null when the type is
// not linked into this binary (then its values are left as they are).
std::unique_ptr<Message> Unpack(const google::protobuf::Any& any) {
  absl::string_view url = any.type_url();
  absl::string_view name = url.substr(url.rfind('/') + 1);
  const Descriptor* type =
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(std::string(name));
  if (type == nullptr) return nullptr;
  const Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type);
  if (prototype == nullptr) return nullptr;
  std::unique_ptr<Message> payload(prototype->New());
  if (!payload->ParseFromString(any.value())) return nullptr;
  return payload;
}

absl::Status Visit(Message& message, PersonalValueVisitor visit, bool only_personal);

absl::Status VisitAny(Message& message, PersonalValueVisitor visit, bool only_personal) {
  auto& any = static_cast<google::protobuf::Any&>(message);
  std::unique_ptr<Message> payload = Unpack(any);
  if (payload == nullptr || (only_personal && !HoldsPersonalData(*payload->GetDescriptor()))) {
    return absl::OkStatus();
  }
  absl::Status status = Visit(*payload, visit, only_personal);
  if (!status.ok()) return status;
  any.PackFrom(*payload);
  return absl::OkStatus();
}

absl::Status VisitString(Message& message, const FieldDescriptor& field,
                         PersonalValueVisitor visit) {
  const Reflection& reflection = *message.GetReflection();
  if (field.is_repeated()) {
    for (int i = 0; i < reflection.FieldSize(message, &field); ++i) {
      std::string value = reflection.GetRepeatedString(message, &field, i);
      if (value.empty()) continue;
      std::string before = value;
      absl::Status status = visit(field, value);
      if (!status.ok()) return status;
      if (value != before) reflection.SetRepeatedString(&message, &field, i, std::move(value));
    }
    return absl::OkStatus();
  }
  std::string value = reflection.GetString(message, &field);
  if (value.empty()) return absl::OkStatus();
  std::string before = value;
  absl::Status status = visit(field, value);
  if (!status.ok()) return status;
  if (value != before) reflection.SetString(&message, &field, std::move(value));
  return absl::OkStatus();
}

absl::Status VisitNested(Message& message, const FieldDescriptor& field, PersonalValueVisitor visit,
                         bool only_personal) {
  const Reflection& reflection = *message.GetReflection();
  if (field.is_repeated()) {
    for (int i = 0; i < reflection.FieldSize(message, &field); ++i) {
      absl::Status status =
          Visit(*reflection.MutableRepeatedMessage(&message, &field, i), visit, only_personal);
      if (!status.ok()) return status;
    }
    return absl::OkStatus();
  }
  if (!reflection.HasField(message, &field)) return absl::OkStatus();
  return Visit(*reflection.MutableMessage(&message, &field), visit, only_personal);
}

absl::Status Visit(Message& message, PersonalValueVisitor visit, bool only_personal) {
  const Descriptor& type = *message.GetDescriptor();
  if (IsAny(type)) return VisitAny(message, visit, only_personal);
  if (only_personal && !HoldsPersonalData(type)) return absl::OkStatus();
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor& field = *type.field(i);
    absl::Status status = absl::OkStatus();
    if (field.cpp_type() == FieldDescriptor::CPPTYPE_STRING &&
        (!only_personal || IsPersonal(field))) {
      status = VisitString(message, field, visit);
    } else if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      status = VisitNested(message, field, visit, only_personal);
    }
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace

bool IsPersonal(const FieldDescriptor& field) {
  return field.options().GetExtension(common::v1::personal);
}

bool HoldsPersonalData(const Descriptor& type) {
  static auto* mutex = new absl::Mutex();
  static auto* known = new absl::flat_hash_map<const Descriptor*, bool>();
  absl::MutexLock lock(mutex);
  auto it = known->find(&type);
  if (it != known->end()) return it->second;
  absl::flat_hash_map<const Descriptor*, bool> seen;
  bool holds = ComputeHoldsPersonalData(type, seen);
  (*known)[&type] = holds;
  return holds;
}

absl::Status VisitPersonalValues(Message& message, PersonalValueVisitor visit) {
  return Visit(message, visit, /*only_personal=*/true);
}

absl::Status VisitStringValues(Message& message, PersonalValueVisitor visit) {
  return Visit(message, visit, /*only_personal=*/false);
}

}  // namespace oms::crypto
