// The fact tables analytics reports from, and every write to them. Each write has set
// semantics (insert-or-ignore, overwrite), so projecting an event twice changes nothing.
// What an event means for the facts is the projector's (fact_projector.h); the SELECTs are
// the reports store's (reports_store.h).
#ifndef OMS_ANALYTICS_SVC_FACTS_STORE_H_
#define OMS_ANALYTICS_SVC_FACTS_STORE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "oms/inventory/v1/inventory.pb.h"
#include "oms/logistics/v1/logistics.pb.h"
#include "oms/notify/v1/notify.pb.h"
#include "oms/orchestrator/v1/orchestrator.pb.h"
#include "oms/orchestrator/v1/satisfaction.pb.h"
#include "oms/order/v1/order.pb.h"
#include "platform/storage/database.h"

namespace oms::analytics::facts {

const std::vector<Migration>& Migrations();

// Orders: the order as created (its lines too), later totals and lines, the first time it
// reached each status, cancellation.
absl::Status AddOrder(Session& s, const order::v1::Order& order);
absl::Status UpdateOrder(Session& s, const order::v1::Order& order);
absl::Status SetOrderStatus(Session& s, const std::string& order_id, order::v1::OrderStatus to,
                            int64_t at_us);
absl::Status MarkCancelled(Session& s, const std::string& order_id, const std::string& reason);
// A survey answer, and a compensation granted on a ticket; once each.
absl::Status AddFeedback(Session& s, const orchestrator::v1::Feedback& feedback, int64_t at_us);
absl::Status AddCompensation(Session& s, const orchestrator::v1::Compensation& compensation,
                             int64_t at_us);
// What was refunded of an order (the payment record's REFUNDED amount).
absl::Status SetRefunded(Session& s, const std::string& order_id, int64_t refunded_minor);
// A signed change of on hand at one warehouse (`shipped`: goods left with a parcel), once
// per (event, sku, warehouse).
absl::Status AddStockChange(Session& s, const std::string& event_id, const std::string& sku,
                            const std::string& warehouse_id, int64_t delta, bool shipped,
                            int64_t at_us);
absl::Status AddReturnLines(Session& s, const orchestrator::v1::ReturnRecord& record);

// Shipments and what happened to them.
absl::Status AddShipment(Session& s, const logistics::v1::Shipment& shipment);
absl::Status MarkPickedUp(Session& s, const std::string& shipment_id, int64_t at_us);
absl::Status MarkDeliveryFailed(Session& s, const std::string& shipment_id);
absl::Status MarkDelivered(Session& s, const std::string& shipment_id, int64_t at_us);
absl::Status MarkDelayed(Session& s, const std::string& shipment_id, int64_t at_us);
absl::Status MarkLost(Session& s, const std::string& shipment_id);

// Exception tickets, as of their latest event.
absl::Status RecordTicket(Session& s, const orchestrator::v1::ExceptionTicket& ticket);

// Stock: categories, low-stock alerts, backorders and movements (received, shipped).
absl::Status SetCategory(Session& s, const std::string& sku, const std::string& category);
absl::Status SetLowStock(Session& s, const inventory::v1::LowStock& low, int64_t at_us);
absl::Status AddBackorder(Session& s, const inventory::v1::Backordered& backordered, int64_t at_us);
// Lines no longer waiting were served at `at_us`; still-waiting ones keep their remainder.
absl::Status ServeBackorder(Session& s, const inventory::v1::BackorderAllocation& allocation,
                            int64_t at_us);
enum class Movement { kReceived, kShipped };
// One row per (event, sku, kind): the event id makes re-applying harmless.
absl::Status AddMovement(Session& s, const std::string& event_id, const std::string& sku,
                         Movement kind, int64_t quantity, int64_t at_us);

// The latest outcome of each notification (a dead message retried and sent later is replaced).
enum class Outcome { kSent, kDead };
absl::Status RecordNotification(Session& s, const notify::v1::Message& message, Outcome outcome,
                                int64_t at_us);

// Empties every fact table and the feed cursors (RebuildFacts starts from the beginning).
absl::Status Clear(Session& s);

}  // namespace oms::analytics::facts

#endif  // OMS_ANALYTICS_SVC_FACTS_STORE_H_
