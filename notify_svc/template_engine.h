#ifndef OMS_NOTIFY_SVC_TEMPLATE_ENGINE_H_
#define OMS_NOTIFY_SVC_TEMPLATE_ENGINE_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace oms::notify {

// {{placeholder}} templates over protobuf messages.

using Values = std::map<std::string, std::string>;

// The message's fields as "path" -> text: `order.customer.name`, enums by name, Money as
// "123.45 CNY" (with `.minor_units` and `.currency_code` too), Timestamps in RFC 3339,
// repeated fields as `<path>.count`.
void FlattenMessage(const google::protobuf::Message& message, const std::string& prefix,
                    Values& values);

// Every placeholder FlattenMessage can fill for messages of this type.
void PlaceholdersOf(const google::protobuf::Descriptor* type, const std::string& prefix,
                    std::set<std::string>& names);

// The names inside {{ }} in `text`, trimmed, in order of appearance.
std::vector<std::string> FindPlaceholders(absl::string_view text);

// `text` with each {{name}} replaced by its value; unknown names are left as written so a
// missing value is visible rather than silently empty.
std::string Render(absl::string_view text, const Values& values);

}  // namespace oms::notify

#endif  // OMS_NOTIFY_SVC_TEMPLATE_ENGINE_H_
