// In-memory stand-ins for the services the orchestrator drives, with failures that a test
// injects per method: the workflow engine is tested against these as well as against the
// real services (orchestrator_fixture.h). Not thread-safe; one test thread.
#ifndef OMS_ORCHESTRATOR_SVC_TESTING_FAKE_PEERS_H_
#define OMS_ORCHESTRATOR_SVC_TESTING_FAKE_PEERS_H_

#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "orchestrator_svc/peers.h"

namespace oms::orchestrator::testing {

// Failures to answer instead of the real thing, per method name ("Allocate"), in order.
class Faults {
 public:
  void Fail(const std::string& method, absl::Status status, int times = 1);
  // The next injected failure of `method`, or OK; records the call.
  absl::Status Next(const std::string& method);
  int Calls(const std::string& method) const;

 private:
  std::map<std::string, std::deque<absl::Status>> pending_;
  std::map<std::string, int> calls_;
};

class FakeOrderPeer : public OrderPeer {
 public:
  absl::StatusOr<order::v1::Order> Create(const order::v1::CreateOrderRequest& request) override;
  absl::StatusOr<order::v1::Order> Get(const std::string& order_id) override;
  absl::StatusOr<std::vector<order::v1::Order>> ListOfCustomer(const CustomerRef& who,
                                                               int limit) override;
  absl::StatusOr<order::v1::Order> MoveTo(const StatusChange& change) override;
  absl::StatusOr<order::v1::Order> Update(const order::v1::UpdateOrderRequest& request) override;
  absl::StatusOr<order::v1::Order> SubstituteLine(
      const order::v1::SubstituteLineRequest& request) override;
  absl::StatusOr<order::v1::Order> RecordPayment(
      const order::v1::RecordPaymentRequest& request) override;

  Faults faults;
  std::map<std::string, order::v1::Order> orders;
  std::vector<order::v1::OrderStatus> moves;  // every status change, in order
};

class FakeInventoryPeer : public InventoryPeer {
 public:
  absl::StatusOr<inventory::v1::Allocation> Allocate(
      const inventory::v1::AllocateRequest& request) override;
  absl::StatusOr<inventory::v1::Allocation> GetAllocation(const std::string& order_id) override;
  absl::StatusOr<inventory::v1::Allocation> AmendAllocation(
      const inventory::v1::AmendAllocationRequest& request) override;
  absl::Status ReleaseAll(const std::string& idempotency_key, const std::string& order_id,
                          const std::string& reason) override;
  absl::Status Commit(const std::string& idempotency_key, const std::string& order_id,
                      const std::string& warehouse_id) override;
  absl::Status Restock(const inventory::v1::AdjustStockRequest& request) override;
  absl::StatusOr<inventory::v1::Product> GetProduct(const std::string& sku) override;
  absl::StatusOr<inventory::v1::Warehouse> GetWarehouse(const std::string& warehouse_id) override;
  // Everything leaves WH-1 (region East) at `ready_at` (unset: now), on `basis`.
  absl::StatusOr<inventory::v1::PromiseStockResponse> PromiseStock(
      const inventory::v1::PromiseStockRequest& request) override;

  Faults faults;
  std::function<void(const inventory::v1::AllocateRequest&)> on_allocate;  // before answering
  inventory::v1::PromiseStockResponse promise;
  std::map<std::string, inventory::v1::Allocation> allocations;  // everything reserved at WH-1
};

class FakeLogisticsPeer : public LogisticsPeer {
 public:
  absl::StatusOr<logistics::v1::Shipment> CreateShipment(
      const logistics::v1::CreateShipmentRequest& request) override;
  absl::StatusOr<logistics::v1::Shipment> CancelShipment(const std::string& idempotency_key,
                                                         const std::string& shipment_id,
                                                         const std::string& reason) override;
  absl::StatusOr<std::vector<logistics::v1::Shipment>> ShipmentsOf(
      const std::string& order_id) override;
  absl::StatusOr<logistics::v1::ReshipResponse> Reship(
      const logistics::v1::ReshipRequest& request) override;
  absl::StatusOr<logistics::v1::QuoteShipmentResponse> Quote(
      const logistics::v1::QuoteShipmentRequest& request) override;

  Faults faults;
  std::map<std::string, logistics::v1::Shipment> shipments;
  std::vector<int> transit_days;                            // one quote option per entry
  std::vector<logistics::v1::QuoteShipmentRequest> quoted;  // every Quote asked
  // Runs after a label is made, before the answer: what happens meanwhile elsewhere.
  std::function<void(const logistics::v1::Shipment&)> on_create;

 private:
  std::map<std::string, logistics::v1::Shipment> answers_;  // by idempotency key
};

}  // namespace oms::orchestrator::testing

#endif  // OMS_ORCHESTRATOR_SVC_TESTING_FAKE_PEERS_H_
