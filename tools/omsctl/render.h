#ifndef OMS_TOOLS_OMSCTL_RENDER_H_
#define OMS_TOOLS_OMSCTL_RENDER_H_

#include <string>

#include "google/protobuf/message.h"

namespace oms::omsctl {

// A response for people: its plain fields as "name: value" lines (sub-messages dotted,
// Money as "123.45 CNY", timestamps as RFC 3339), and each list of messages as a table whose
// columns are the elements' plain fields. Empty fields are left out.
std::string RenderText(const google::protobuf::Message& response);

// The same as proto JSON (field names as in the .proto, enums by name, empty fields shown).
std::string RenderJson(const google::protobuf::Message& response);

// One field's value as text (what a table cell or a "name: value" line shows).
std::string FieldText(const google::protobuf::Message& m,
                      const google::protobuf::FieldDescriptor* f, int index = -1);

}  // namespace oms::omsctl

#endif  // OMS_TOOLS_OMSCTL_RENDER_H_
