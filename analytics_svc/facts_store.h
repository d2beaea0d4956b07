#ifndef OMS_ANALYTICS_SVC_FACTS_STORE_H_
#define OMS_ANALYTICS_SVC_FACTS_STORE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "oms/events/v1/events.pb.h"
#include "platform/sqlite.h"

namespace oms::analytics {

// Facts derived from the feeds: orders and the first time each reached a status, order
// lines, returns, product categories, shipments, exception tickets. Every fact is written
// with set semantics (insert-or-ignore, overwrite), so applying an event twice changes
// nothing. All SQL of analytics_svc lives here and in reports.cc's queries.
namespace facts {

const std::vector<std::string>& Migrations();

// Applies one event from any feed; events it has no use for are ignored.
absl::Status Apply(Session& s, const events::v1::Event& event);

// Empties every fact table and the feed cursors (RebuildFacts starts from the beginning).
absl::Status Clear(Session& s);

}  // namespace facts
}  // namespace oms::analytics

#endif  // OMS_ANALYTICS_SVC_FACTS_STORE_H_
