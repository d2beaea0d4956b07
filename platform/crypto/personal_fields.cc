#include "platform/crypto/personal_fields.h"

#include <memory>
#include <vector>

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

// The fields a walk enters for one message type, worked out once per type: a message has
// dozens of fields (money, times, lines) and the walk would otherwise look each one's options
// up, and every nested message's type up under a lock, for every value it seals or opens.
struct FieldStep {
  const FieldDescriptor* field;
  bool nested;  // a message field; else a string field
};
struct TypePlan {
  bool any = false;                 // a google.protobuf.Any: the walk goes into its payload
  bool holds = false;               // HoldsPersonalData
  std::vector<FieldStep> personal;  // personal strings, and messages that hold some
  std::vector<FieldStep> strings;   // every string and message field (VisitStringValues)
};

// A walk from `type` alone: a walk shared with its parent would take a type still in
// progress on a cycle for one without personal data.
bool ComputeHoldsPersonalData(const Descriptor& type) {
  absl::flat_hash_map<const Descriptor*, bool> seen;
  return ComputeHoldsPersonalData(type, seen);
}

TypePlan BuildPlan(const Descriptor& type) {
  TypePlan plan;
  plan.any = IsAny(type);
  plan.holds = ComputeHoldsPersonalData(type);
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor& field = *type.field(i);
    if (field.cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
      plan.strings.push_back({&field, false});
      if (IsPersonal(field)) plan.personal.push_back({&field, false});
    } else if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      plan.strings.push_back({&field, true});
      if (ComputeHoldsPersonalData(*field.message_type())) {
        plan.personal.push_back({&field, true});
      }
    }
  }
  return plan;
}

// Plans live as long as the process (so do the descriptors they point into). Each thread keeps
// its own index of them, so a walk takes no lock once its types are known.
const TypePlan& PlanOf(const Descriptor& type) {
  thread_local absl::flat_hash_map<const Descriptor*, const TypePlan*> known_here;
  auto it = known_here.find(&type);
  if (it != known_here.end()) return *it->second;
  static auto* mutex = new absl::Mutex();
  static auto* plans = new absl::flat_hash_map<const Descriptor*, std::unique_ptr<TypePlan>>();
  absl::MutexLock lock(mutex);
  std::unique_ptr<TypePlan>& plan = (*plans)[&type];
  if (plan == nullptr) plan = std::make_unique<TypePlan>(BuildPlan(type));
  known_here[&type] = plan.get();
  return *plan;
}

absl::Status Visit(Message& message, PersonalValueVisitor visit, bool only_personal);

absl::Status VisitAny(Message& message, PersonalValueVisitor visit, bool only_personal) {
  auto& any = static_cast<google::protobuf::Any&>(message);
  std::unique_ptr<Message> payload = Unpack(any);
  if (payload == nullptr || (only_personal && !PlanOf(*payload->GetDescriptor()).holds)) {
    return absl::OkStatus();
  }
  absl::Status status = Visit(*payload, visit, only_personal);
  if (!status.ok()) return status;
  any.PackFrom(*payload);
  return absl::OkStatus();
}

// Hands `visit` a copy of the value and stores it back only when `visit` changed it.
absl::Status VisitString(Message& message, const FieldDescriptor& field,
                         PersonalValueVisitor visit) {
  const Reflection& reflection = *message.GetReflection();
  std::string scratch;
  if (field.is_repeated()) {
    for (int i = 0; i < reflection.FieldSize(message, &field); ++i) {
      const std::string& stored =
          reflection.GetRepeatedStringReference(message, &field, i, &scratch);
      if (stored.empty()) continue;
      std::string value = stored;
      absl::Status status = visit(field, value);
      if (!status.ok()) return status;
      if (value != reflection.GetRepeatedStringReference(message, &field, i, &scratch)) {
        reflection.SetRepeatedString(&message, &field, i, std::move(value));
      }
    }
    return absl::OkStatus();
  }
  const std::string& stored = reflection.GetStringReference(message, &field, &scratch);
  if (stored.empty()) return absl::OkStatus();
  std::string value = stored;
  absl::Status status = visit(field, value);
  if (!status.ok()) return status;
  if (value != reflection.GetStringReference(message, &field, &scratch)) {
    reflection.SetString(&message, &field, std::move(value));
  }
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
  const TypePlan& plan = PlanOf(*message.GetDescriptor());
  if (plan.any) return VisitAny(message, visit, only_personal);
  for (const FieldStep& step : only_personal ? plan.personal : plan.strings) {
    absl::Status status = step.nested ? VisitNested(message, *step.field, visit, only_personal)
                                      : VisitString(message, *step.field, visit);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace

bool IsPersonal(const FieldDescriptor& field) {
  return field.options().GetExtension(common::v1::personal);
}

bool HoldsPersonalData(const Descriptor& type) { return PlanOf(type).holds; }

absl::Status VisitPersonalValues(Message& message, PersonalValueVisitor visit) {
  return Visit(message, visit, /*only_personal=*/true);
}

absl::Status VisitStringValues(Message& message, PersonalValueVisitor visit) {
  return Visit(message, visit, /*only_personal=*/false);
}

}  // namespace oms::crypto
