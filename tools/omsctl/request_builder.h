#ifndef OMS_TOOLS_OMSCTL_REQUEST_BUILDER_H_
#define OMS_TOOLS_OMSCTL_REQUEST_BUILDER_H_

#include <string>

#include "absl/status/status.h"
#include "google/protobuf/message.h"

namespace oms::omsctl {

// Sets one field of `request` from "path=value" as typed on the command line: `path` names
// a field by its proto name, dotted into sub-messages ("customer.phone"); enums take their
// value name ("SHIPPED") or number; bools true/false; a repeated field gets one element per
// occurrence ("statuses=SHIPPED statuses=DELIVERED"). INVALID_ARGUMENT names what is wrong.
absl::Status SetField(google::protobuf::Message& request, const std::string& assignment);

// Merges a JSON object (proto JSON: field names as in the .proto or lowerCamel) into it.
absl::Status MergeJson(google::protobuf::Message& request, const std::string& json);

}  // namespace oms::omsctl

#endif  // OMS_TOOLS_OMSCTL_REQUEST_BUILDER_H_
