// The services the orchestrator drives, as interfaces in the workflow's own verbs: the
// engine and the commands depend on these, a gRPC implementation (grpc_peers.h) talks to the
// real services and tests may pass fakes.
#ifndef OMS_ORCHESTRATOR_SVC_PEERS_H_
#define OMS_ORCHESTRATOR_SVC_PEERS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "oms/analytics/v1/anomalies.pb.h"
#include "oms/inventory/v1/inventory.pb.h"
#include "oms/logistics/v1/logistics.pb.h"
#include "oms/order/v1/order.pb.h"

namespace oms::orchestrator {

// Whether a failed peer call may succeed when repeated later (the peer is stopping,
// restarting, overloaded or slow), as opposed to a refusal that repeating cannot change.
// Transient failures are retried with backoff; permanent ones stop the workflow with a
// ticket. The one place this decision is made.
bool IsTransient(const absl::Status& status);

// A status change asked of order_svc, with who asked and why (the order's history shows it).
struct StatusChange {
  std::string idempotency_key;
  std::string order_id;
  order::v1::OrderStatus to = order::v1::ORDER_STATUS_UNSPECIFIED;
  std::string actor;
  std::string reason;
  // Statuses to move on through after `to`, in the same call (stages passed in a row).
  std::vector<order::v1::StatusStep> further;
  // Statuses order_svc leaves the order in, answering it unchanged (TransitionOrderRequest).
  std::vector<order::v1::OrderStatus> leave;

  order::v1::OrderStatus last() const { return further.empty() ? to : further.back().to_status(); }
};

// A customer by one key: phone (any formatting), email, or the channel's or ERP's customer
// id. Exactly one is set.
struct CustomerRef {
  std::string phone;
  std::string email;
  std::string customer_id;
};

class OrderPeer {
 public:
  virtual ~OrderPeer() = default;
  virtual absl::StatusOr<order::v1::Order> Create(const order::v1::CreateOrderRequest& request) = 0;
  virtual absl::StatusOr<order::v1::Order> Get(const std::string& order_id) = 0;
  // The customer's orders (by normalised phone, email or customer id), newest first, at
  // most `limit`.
  virtual absl::StatusOr<std::vector<order::v1::Order>> ListOfCustomer(const CustomerRef& who,
                                                                       int limit) = 0;
  // Moves the order to `change.to` and on through `change.further`. An order already at the
  // last status counts as moved (a retry after a crash, or a change made by another path),
  // so the call is idempotent by state as well as by key.
  virtual absl::StatusOr<order::v1::Order> MoveTo(const StatusChange& change) = 0;
  virtual absl::StatusOr<order::v1::Order> Update(const order::v1::UpdateOrderRequest& request) = 0;
  virtual absl::StatusOr<order::v1::Order> SubstituteLine(
      const order::v1::SubstituteLineRequest& request) = 0;
  virtual absl::StatusOr<order::v1::Order> RecordPayment(
      const order::v1::RecordPaymentRequest& request) = 0;
};

class InventoryPeer {
 public:
  virtual ~InventoryPeer() = default;
  virtual absl::StatusOr<inventory::v1::Allocation> Allocate(
      const inventory::v1::AllocateRequest& request) = 0;
  virtual absl::StatusOr<inventory::v1::Allocation> GetAllocation(const std::string& order_id) = 0;
  virtual absl::StatusOr<inventory::v1::Allocation> AmendAllocation(
      const inventory::v1::AmendAllocationRequest& request) = 0;
  // Every active reservation and waiting backorder of `order_id` (an allocation id); an
  // order without an allocation counts as released.
  virtual absl::Status ReleaseAll(const std::string& idempotency_key, const std::string& order_id,
                                  const std::string& reason) = 0;
  // Turns the reservations of `order_id` at `warehouse_id` into stock that left.
  virtual absl::Status Commit(const std::string& idempotency_key, const std::string& order_id,
                              const std::string& warehouse_id) = 0;
  virtual absl::Status Restock(const inventory::v1::AdjustStockRequest& request) = 0;
  virtual absl::StatusOr<inventory::v1::Product> GetProduct(const std::string& sku) = 0;
  virtual absl::StatusOr<inventory::v1::PromiseStockResponse> PromiseStock(
      const inventory::v1::PromiseStockRequest& request) = 0;
  virtual absl::StatusOr<inventory::v1::Warehouse> GetWarehouse(
      const std::string& warehouse_id) = 0;
};

class LogisticsPeer {
 public:
  virtual ~LogisticsPeer() = default;
  virtual absl::StatusOr<logistics::v1::Shipment> CreateShipment(
      const logistics::v1::CreateShipmentRequest& request) = 0;
  // FAILED_PRECONDITION when the carrier already has the parcel; cancelling a cancelled
  // shipment is harmless.
  virtual absl::StatusOr<logistics::v1::Shipment> CancelShipment(const std::string& idempotency_key,
                                                                 const std::string& shipment_id,
                                                                 const std::string& reason) = 0;
  virtual absl::StatusOr<std::vector<logistics::v1::Shipment>> ShipmentsOf(
      const std::string& order_id) = 0;
  virtual absl::StatusOr<logistics::v1::ReshipResponse> Reship(
      const logistics::v1::ReshipRequest& request) = 0;
  virtual absl::StatusOr<logistics::v1::QuoteShipmentResponse> Quote(
      const logistics::v1::QuoteShipmentRequest& request) = 0;
};

class AnalyticsPeer {
 public:
  virtual ~AnalyticsPeer() = default;
  virtual absl::StatusOr<analytics::v1::ScoreOrderResponse> ScoreOrder(
      const analytics::v1::ScoreOrderRequest& request) = 0;
};

// The peers one orchestrator uses; not owned. `analytics` is optional (UNUSUAL_ORDER review
// rules do not match without it).
struct Peers {
  OrderPeer* order = nullptr;
  InventoryPeer* inventory = nullptr;
  LogisticsPeer* logistics = nullptr;
  AnalyticsPeer* analytics = nullptr;
};

}  // namespace oms::orchestrator

#endif  // OMS_ORCHESTRATOR_SVC_PEERS_H_
