// The peer interfaces over the services' generated gRPC stubs: every call carries a deadline
// (the caller's own when it is sooner than `call_deadline`) and its status comes back
// unchanged, so IsTransient can tell a stopping peer from a refusal.
#ifndef OMS_ORCHESTRATOR_SVC_GRPC_PEERS_H_
#define OMS_ORCHESTRATOR_SVC_GRPC_PEERS_H_

#include "absl/time/time.h"
#include "oms/analytics/v1/anomalies.grpc.pb.h"
#include "oms/inventory/v1/inventory.grpc.pb.h"
#include "oms/logistics/v1/logistics.grpc.pb.h"
#include "oms/order/v1/order.grpc.pb.h"
#include "orchestrator_svc/peers.h"
#include "platform/security/peer_call.h"  // PeerDeadline, the calls' deadline

namespace oms::orchestrator {

class GrpcOrderPeer : public OrderPeer {
 public:
  GrpcOrderPeer(order::v1::OrderService::StubInterface* stub, absl::Duration call_deadline)
      : stub_(stub), call_deadline_(call_deadline) {}

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

 private:
  order::v1::OrderService::StubInterface* stub_;
  absl::Duration call_deadline_;
};

class GrpcInventoryPeer : public InventoryPeer {
 public:
  GrpcInventoryPeer(inventory::v1::InventoryService::StubInterface* stub,
                    absl::Duration call_deadline)
      : stub_(stub), call_deadline_(call_deadline) {}

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
  absl::StatusOr<inventory::v1::PromiseStockResponse> PromiseStock(
      const inventory::v1::PromiseStockRequest& request) override;
  absl::StatusOr<inventory::v1::Warehouse> GetWarehouse(const std::string& warehouse_id) override;

 private:
  inventory::v1::InventoryService::StubInterface* stub_;
  absl::Duration call_deadline_;
};

class GrpcLogisticsPeer : public LogisticsPeer {
 public:
  GrpcLogisticsPeer(logistics::v1::LogisticsService::StubInterface* stub,
                    absl::Duration call_deadline)
      : stub_(stub), call_deadline_(call_deadline) {}

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

 private:
  logistics::v1::LogisticsService::StubInterface* stub_;
  absl::Duration call_deadline_;
};

class GrpcAnalyticsPeer : public AnalyticsPeer {
 public:
  GrpcAnalyticsPeer(analytics::v1::AnomalyService::StubInterface* stub,
                    absl::Duration call_deadline)
      : stub_(stub), call_deadline_(call_deadline) {}

  absl::StatusOr<analytics::v1::ScoreOrderResponse> ScoreOrder(
      const analytics::v1::ScoreOrderRequest& request) override;

 private:
  analytics::v1::AnomalyService::StubInterface* stub_;
  absl::Duration call_deadline_;
};

}  // namespace oms::orchestrator

#endif  // OMS_ORCHESTRATOR_SVC_GRPC_PEERS_H_
