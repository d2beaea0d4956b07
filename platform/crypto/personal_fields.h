#ifndef OMS_PLATFORM_CRYPTO_PERSONAL_FIELDS_H_
#define OMS_PLATFORM_CRYPTO_PERSONAL_FIELDS_H_

// Which fields of a proto hold a person's data, and a walk over their values. A field is
// personal when the .proto says so ([(oms.common.v1.personal) = true]); the walk goes into
// nested messages and into google.protobuf.Any payloads (events), so one marking in the
// .proto covers every store, feed and idempotency record the message is kept in.

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace oms::crypto {

bool IsPersonal(const google::protobuf::FieldDescriptor& field);

// Whether `type` or any message type it holds has a personal field (cached per type). An Any
// counts: what it holds is known only per value.
bool HoldsPersonalData(const google::protobuf::Descriptor& type);

// Calls `visit` with each non-empty personal string of `message`, nested messages and Any
// payloads included; `visit` may change the value in place. Stops at the first error.
using PersonalValueVisitor = absl::FunctionRef<absl::Status(
    const google::protobuf::FieldDescriptor& field, std::string& value)>;
absl::Status VisitPersonalValues(google::protobuf::Message& message, PersonalValueVisitor visit);
// The same walk over every non-empty string, personal or not (what erasure matches on).
absl::Status VisitStringValues(google::protobuf::Message& message, PersonalValueVisitor visit);

}  // namespace oms::crypto

#endif  // OMS_PLATFORM_CRYPTO_PERSONAL_FIELDS_H_
