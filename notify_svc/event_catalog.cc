#include "notify_svc/event_catalog.h"

#include "absl/strings/str_cat.h"
#include "notify_svc/template_engine.h"
#include "oms/inventory/v1/inventory.pb.h"
#include "oms/inventory/v1/purchasing.pb.h"
#include "oms/logistics/v1/logistics.pb.h"
#include "oms/orchestrator/v1/orchestrator.pb.h"
#include "oms/orchestrator/v1/satisfaction.pb.h"
#include "oms/order/v1/order.pb.h"

namespace oms::notify {
namespace {

struct Feed {
  const char* package;
  std::vector<const char*> types;
};

const std::vector<Feed>& Feeds() {
  static const auto* feeds = new std::vector<Feed>{
      {"oms.order.v1",
       {"OrderCreated", "OrderUpdated", "OrderStatusChanged", "OrderCancelled", "PaymentRecorded",
        "PaymentRefunded"}},
      {"oms.inventory.v1",
       {"StockAdjusted", "Allocated", "Backordered", "BackorderAllocated", "Released", "Committed",
        "ReservationExpired", "LowStock", "PurchaseOrderSent", "PurchaseOrderOverdue"}},
      {"oms.logistics.v1",
       {"ShipmentCreated", "ShipmentStatusChanged", "ShipmentDelayed", "ShipmentLost",
        "ShipmentDelivered", "ShipmentCancelled", "ShipmentReshipped"}},
      {"oms.orchestrator.v1",
       {"ReviewDecided", "ExceptionOpened", "ExceptionAssigned", "ExceptionEscalated",
        "ExceptionResolved", "OrderHeld", "HoldReleased", "CancellationRequested", "OrderAmended",
        "ReturnReceived", "FeedbackRequested", "CompensationGranted"}},
  };
  return *feeds;
}

}  // namespace

const google::protobuf::Descriptor* EventPayloadType(absl::string_view event_type) {
  // Name the generated types once so their descriptors are registered.
  static const bool linked = [] {
    (void)order::v1::OrderCreated::descriptor();
    (void)inventory::v1::LowStock::descriptor();
    (void)inventory::v1::PurchaseOrderSent::descriptor();
    (void)logistics::v1::ShipmentDelayed::descriptor();
    (void)orchestrator::v1::ExceptionOpened::descriptor();
    (void)orchestrator::v1::FeedbackRequested::descriptor();
    return true;
  }();
  (void)linked;
  for (const Feed& feed : Feeds()) {
    for (const char* type : feed.types) {
      if (event_type == type) {
        return google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(
            absl::StrCat(feed.package, ".", type));
      }
    }
  }
  return nullptr;
}

std::vector<std::string> KnownEventTypes() {
  std::vector<std::string> types;
  for (const Feed& feed : Feeds()) types.insert(types.end(), feed.types.begin(), feed.types.end());
  return types;
}

std::set<std::string> PlaceholdersFor(absl::string_view event_type) {
  std::set<std::string> names = {"customer.name",    "customer.email", "customer.phone",
                                 "customer.tier",    "event.type",     "event.id",
                                 "event.occurred_at"};
  if (const google::protobuf::Descriptor* type = EventPayloadType(event_type)) {
    PlaceholdersOf(type, "", names);
  }
  return names;
}

}  // namespace oms::notify
