#include "analytics_svc/fact_projector.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "analytics_svc/anomaly_store.h"
#include "analytics_svc/facts_store.h"
#include "oms/inventory/v1/inventory.pb.h"
#include "oms/logistics/v1/logistics.pb.h"
#include "oms/notify/v1/notify.pb.h"
#include "oms/orchestrator/v1/orchestrator.pb.h"
#include "oms/orchestrator/v1/satisfaction.pb.h"
#include "oms/order/v1/order.pb.h"
#include "order_svc/payment_ledger.h"
#include "platform/base/status.h"
#include "platform/storage/proto_rows.h"

namespace oms::analytics {
namespace {

using events::v1::Event;

int64_t At(const Event& e) { return ProtoMicros(e.occurred_at()); }

// The four ticket events carry the ticket as it now is.
template <typename TicketEvent>
absl::Status RecordTicket(Session& s, const TicketEvent& p, const Event&) {
  return facts::RecordTicket(s, p.ticket());
}

// A reviewer approving an order held as unusual says the detection was a false alarm: it is
// recorded as dismissed by them, which widens that customer's or sku's baseline.
absl::Status DismissIfApproved(Session& s, const orchestrator::v1::ReviewDecision& d,
                               int64_t at_us) {
  if (d.outcome() != orchestrator::v1::ReviewDecision::APPROVED || d.reviewer() == "auto") {
    return absl::OkStatus();
  }
  OMS_ASSIGN_OR_RETURN(std::vector<v1::Anomaly> flagged, anomaly_store::OfOrder(s, d.order_id()));
  for (v1::Anomaly& a : flagged) {
    std::string why = absl::StrCat("order approved in review",
                                   d.note().empty() ? "" : absl::StrCat(": ", d.note()));
    OMS_RETURN_IF_ERROR(anomaly_store::MarkDismissed(s, a, d.reviewer(), why, at_us));
  }
  return absl::OkStatus();
}

}  // namespace

FactProjector::FactProjector() {
  FollowOrders();
  FollowShipments();
  FollowTickets();
  FollowStock();
  FollowNotifications();
}

void FactProjector::FollowOrders() {
  router_
      .On<order::v1::OrderCreated>([](Session& s, const order::v1::OrderCreated& p, const Event&) {
        return facts::AddOrder(s, p.order());
      })
      .On<order::v1::OrderUpdated>([](Session& s, const order::v1::OrderUpdated& p, const Event&) {
        return facts::UpdateOrder(s, p.order());
      })
      .On<order::v1::OrderStatusChanged>(
          [](Session& s, const order::v1::OrderStatusChanged& p, const Event& e) {
            return facts::SetOrderStatus(s, p.order_id(), p.to_status(), At(e));
          })
      .On<order::v1::OrderCancelled>(
          [](Session& s, const order::v1::OrderCancelled& p, const Event&) {
            return facts::MarkCancelled(s, p.order_id(), p.reason());
          })
      .On<order::v1::PaymentRecorded>(
          [](Session& s, const order::v1::PaymentRecorded& p, const Event&) {
            // The payment sums its refunds, so a refund told twice counts once; a lower
            // total's difference is not counted, as the order's total already shows it.
            int64_t refunded = order::RefundedOfTotalMinor(p.payment());
            if (refunded == 0) return absl::OkStatus();
            return facts::SetRefunded(s, p.order_id(), refunded);
          })
      .On<orchestrator::v1::ReturnReceived>(
          [](Session& s, const orchestrator::v1::ReturnReceived& p, const Event&) {
            return facts::AddReturnLines(s, p.record());
          });
}

void FactProjector::FollowShipments() {
  router_
      .On<logistics::v1::ShipmentCreated>(
          [](Session& s, const logistics::v1::ShipmentCreated& p, const Event&) {
            return facts::AddShipment(s, p.shipment());
          })
      .On<logistics::v1::ShipmentStatusChanged>([](Session& s,
                                                   const logistics::v1::ShipmentStatusChanged& p,
                                                   const Event& e) -> absl::Status {
        if (p.to_state() == logistics::v1::PICKED_UP || p.to_state() == logistics::v1::IN_TRANSIT) {
          // When the carrier says it happened, not when the scan reached us.
          int64_t when = p.has_cause() ? ProtoMicros(p.cause().occurred_at()) : At(e);
          OMS_RETURN_IF_ERROR(facts::MarkPickedUp(s, p.shipment_id(), when));
        }
        if (p.to_state() == logistics::v1::DELIVERY_FAILED) {
          return facts::MarkDeliveryFailed(s, p.shipment_id());
        }
        return absl::OkStatus();
      })
      .On<logistics::v1::ShipmentDelivered>(
          [](Session& s, const logistics::v1::ShipmentDelivered& p, const Event&) {
            return facts::MarkDelivered(s, p.shipment().shipment_id(),
                                        ProtoMicros(p.shipment().delivery().delivered_at()));
          })
      .On<logistics::v1::ShipmentDelayed>(
          [](Session& s, const logistics::v1::ShipmentDelayed& p, const Event& e) {
            return facts::MarkDelayed(s, p.shipment().shipment_id(), At(e));
          })
      .On<logistics::v1::ShipmentLost>(
          [](Session& s, const logistics::v1::ShipmentLost& p, const Event&) {
            return facts::MarkLost(s, p.shipment().shipment_id());
          });
}

void FactProjector::FollowTickets() {
  router_.On<orchestrator::v1::ExceptionOpened>(&RecordTicket<orchestrator::v1::ExceptionOpened>)
      .On<orchestrator::v1::ExceptionAssigned>(&RecordTicket<orchestrator::v1::ExceptionAssigned>)
      .On<orchestrator::v1::ExceptionEscalated>(&RecordTicket<orchestrator::v1::ExceptionEscalated>)
      .On<orchestrator::v1::ExceptionResolved>(&RecordTicket<orchestrator::v1::ExceptionResolved>)
      .On<orchestrator::v1::ReviewDecided>(
          [](Session& s, const orchestrator::v1::ReviewDecided& p, const Event& e) {
            return DismissIfApproved(s, p.decision(), At(e));
          })
      .On<orchestrator::v1::FeedbackSubmitted>(
          [](Session& s, const orchestrator::v1::FeedbackSubmitted& p, const Event& e) {
            return facts::AddFeedback(s, p.feedback(), At(e));
          })
      .On<orchestrator::v1::CompensationGranted>(
          [](Session& s, const orchestrator::v1::CompensationGranted& p, const Event& e) {
            return facts::AddCompensation(s, p.compensation(), At(e));
          });
}

void FactProjector::FollowStock() {
  router_
      .On<inventory::v1::ProductChanged>(
          [](Session& s, const inventory::v1::ProductChanged& p, const Event&) {
            return facts::SetCategory(s, p.product().sku(), p.product().category());
          })
      .On<inventory::v1::LowStock>([](Session& s, const inventory::v1::LowStock& p,
                                      const Event& e) { return facts::SetLowStock(s, p, At(e)); })
      .On<inventory::v1::Backordered>(
          [](Session& s, const inventory::v1::Backordered& p, const Event& e) {
            return facts::AddBackorder(s, p, At(e));
          })
      .On<inventory::v1::BackorderAllocated>(
          [](Session& s, const inventory::v1::BackorderAllocated& p, const Event& e) {
            return facts::ServeBackorder(s, p.allocation(), At(e));
          })
      .On<inventory::v1::StockAdjusted>(
          [](Session& s, const inventory::v1::StockAdjusted& p, const Event& e) {
            OMS_RETURN_IF_ERROR(facts::AddStockChange(s, e.event_id(), p.adjustment().sku(),
                                                      p.adjustment().warehouse_id(),
                                                      p.adjustment().delta(), false, At(e)));
            if (p.adjustment().reason() != inventory::v1::RECEIPT) return absl::OkStatus();
            return facts::AddMovement(s, e.event_id(), p.adjustment().sku(),
                                      facts::Movement::kReceived, p.adjustment().delta(), At(e));
          })
      .On<inventory::v1::Committed>(
          [](Session& s, const inventory::v1::Committed& p, const Event& e) -> absl::Status {
            std::map<std::string, int64_t> shipped;
            std::map<std::pair<std::string, std::string>, int64_t> left;  // (sku, warehouse)
            for (const auto& r : p.reservations()) {
              shipped[r.sku()] += r.quantity();
              left[{r.sku(), r.warehouse_id()}] += r.quantity();
            }
            for (const auto& [key, quantity] : left) {
              OMS_RETURN_IF_ERROR(facts::AddStockChange(s, e.event_id(), key.first, key.second,
                                                        -quantity, true, At(e)));
            }
            for (const auto& [sku, quantity] : shipped) {
              OMS_RETURN_IF_ERROR(facts::AddMovement(s, e.event_id(), sku,
                                                     facts::Movement::kShipped, quantity, At(e)));
            }
            return absl::OkStatus();
          });
}

void FactProjector::FollowNotifications() {
  router_
      .On<notify::v1::MessageSent>(
          [](Session& s, const notify::v1::MessageSent& p, const Event& e) {
            return facts::RecordNotification(s, p.message(), facts::Outcome::kSent, At(e));
          })
      .On<notify::v1::MessageDead>(
          [](Session& s, const notify::v1::MessageDead& p, const Event& e) {
            return facts::RecordNotification(s, p.message(), facts::Outcome::kDead, At(e));
          });
}

}  // namespace oms::analytics
