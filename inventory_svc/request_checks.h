// The checks inventory's requests share: identifiers and allocation lines.
#ifndef OMS_INVENTORY_SVC_REQUEST_CHECKS_H_
#define OMS_INVENTORY_SVC_REQUEST_CHECKS_H_

#include <cstdint>

#include "absl/strings/string_view.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "oms/inventory/v1/inventory.pb.h"
#include "platform/base/validation.h"

namespace oms::inventory {

// An identifier (sku, warehouse id) is 1 to 64 of A-Z a-z 0-9 - _ .
bool IsIdentifier(absl::string_view id);
// Each line a known-looking sku once, with 1..1000000 units; at most 500 lines.
void CheckLines(const google::protobuf::RepeatedPtrField<v1::AllocationLine>& lines, bool required,
                FieldErrors& errors);

}  // namespace oms::inventory

#endif  // OMS_INVENTORY_SVC_REQUEST_CHECKS_H_
