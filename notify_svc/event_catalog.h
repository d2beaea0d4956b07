#ifndef OMS_NOTIFY_SVC_EVENT_CATALOG_H_
#define OMS_NOTIFY_SVC_EVENT_CATALOG_H_

#include <set>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace oms::notify {

// The events notify_svc understands: every payload type of the order, inventory, logistics
// and orchestrator feeds, by type name ("ShipmentDelayed", "ExceptionOpened").

// The payload type of an event type, or nullptr when unknown.
const google::protobuf::Descriptor* EventPayloadType(absl::string_view event_type);
std::vector<std::string> KnownEventTypes();

// Placeholders a template for `event_type` may use: the payload's fields by path, the
// order's customer (customer.name, customer.email, customer.phone) and event.type,
// event.id, event.occurred_at.
std::set<std::string> PlaceholdersFor(absl::string_view event_type);

}  // namespace oms::notify

#endif  // OMS_NOTIFY_SVC_EVENT_CATALOG_H_
