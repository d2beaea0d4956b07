#include "orchestrator_svc/grpc_peers.h"

#include "absl/time/clock.h"
#include "grpcpp/client_context.h"
#include "platform/base/grpc_status.h"
#include "platform/base/status.h"
#include "platform/security/call_context.h"
#include "platform/security/peer_call.h"

namespace oms::orchestrator {
namespace {

using OrderStub = order::v1::OrderService::StubInterface;
using InventoryStub = inventory::v1::InventoryService::StubInterface;
using LogisticsStub = logistics::v1::LogisticsService::StubInterface;

}  // namespace

// ------------------------------------------------------------------------------- orders

absl::StatusOr<order::v1::Order> GrpcOrderPeer::Create(
    const order::v1::CreateOrderRequest& request) {
  return PeerCall(stub_, &OrderStub::CreateOrder, request, call_deadline_);
}

absl::StatusOr<order::v1::Order> GrpcOrderPeer::Get(const std::string& order_id) {
  order::v1::GetOrderRequest request;
  request.set_order_id(order_id);
  return PeerCall(stub_, &OrderStub::GetOrder, request, call_deadline_);
}

absl::StatusOr<std::vector<order::v1::Order>> GrpcOrderPeer::ListOfCustomer(const CustomerRef& who,
                                                                            int limit) {
  order::v1::ListOrdersRequest request;
  request.set_customer_phone(who.phone);
  request.set_customer_email(who.email);
  request.set_customer_id(who.customer_id);
  request.set_page_size(limit);
  OMS_ASSIGN_OR_RETURN(order::v1::ListOrdersResponse listed,
                       PeerCall(stub_, &OrderStub::ListOrders, request, call_deadline_));
  return std::vector<order::v1::Order>(listed.orders().begin(), listed.orders().end());
}

absl::StatusOr<order::v1::Order> GrpcOrderPeer::MoveTo(const StatusChange& change) {
  order::v1::TransitionOrderRequest request;
  request.set_idempotency_key(change.idempotency_key);
  request.set_order_id(change.order_id);
  request.set_to_status(change.to);
  request.set_actor(change.actor);
  request.set_reason(change.reason);
  for (const order::v1::StatusStep& step : change.further) *request.add_further_steps() = step;
  for (order::v1::OrderStatus status : change.leave) request.add_leave_statuses(status);
  absl::StatusOr<order::v1::Order> moved =
      PeerCall(stub_, &OrderStub::TransitionOrder, request, call_deadline_);
  if (moved.ok() || moved.status().code() != absl::StatusCode::kFailedPrecondition) return moved;
  // Refused: fine if the order is there already.
  OMS_ASSIGN_OR_RETURN(order::v1::Order current, Get(change.order_id));
  if (current.status() == change.last()) return current;
  return moved;
}

absl::StatusOr<order::v1::Order> GrpcOrderPeer::Update(
    const order::v1::UpdateOrderRequest& request) {
  return PeerCall(stub_, &OrderStub::UpdateOrder, request, call_deadline_);
}

absl::StatusOr<order::v1::Order> GrpcOrderPeer::SubstituteLine(
    const order::v1::SubstituteLineRequest& request) {
  return PeerCall(stub_, &OrderStub::SubstituteLine, request, call_deadline_);
}

absl::StatusOr<order::v1::Order> GrpcOrderPeer::RecordPayment(
    const order::v1::RecordPaymentRequest& request) {
  return PeerCall(stub_, &OrderStub::RecordPayment, request, call_deadline_);
}

// ---------------------------------------------------------------------------- inventory

absl::StatusOr<inventory::v1::Allocation> GrpcInventoryPeer::Allocate(
    const inventory::v1::AllocateRequest& request) {
  return PeerCall(stub_, &InventoryStub::Allocate, request, call_deadline_);
}

absl::StatusOr<inventory::v1::Allocation> GrpcInventoryPeer::GetAllocation(
    const std::string& order_id) {
  inventory::v1::GetAllocationRequest request;
  request.set_order_id(order_id);
  return PeerCall(stub_, &InventoryStub::GetAllocation, request, call_deadline_);
}

absl::StatusOr<inventory::v1::Allocation> GrpcInventoryPeer::AmendAllocation(
    const inventory::v1::AmendAllocationRequest& request) {
  return PeerCall(stub_, &InventoryStub::AmendAllocation, request, call_deadline_);
}

absl::Status GrpcInventoryPeer::ReleaseAll(const std::string& idempotency_key,
                                           const std::string& order_id, const std::string& reason) {
  inventory::v1::ReleaseRequest request;
  request.set_idempotency_key(idempotency_key);
  request.set_order_id(order_id);
  request.set_reason(reason);
  absl::Status released =
      PeerCall(stub_, &InventoryStub::Release, request, call_deadline_).status();
  if (released.code() == absl::StatusCode::kNotFound) return absl::OkStatus();  // never allocated
  return released;
}

absl::Status GrpcInventoryPeer::Commit(const std::string& idempotency_key,
                                       const std::string& order_id,
                                       const std::string& warehouse_id) {
  inventory::v1::CommitRequest request;
  request.set_idempotency_key(idempotency_key);
  request.set_order_id(order_id);
  request.set_warehouse_id(warehouse_id);
  return PeerCall(stub_, &InventoryStub::Commit, request, call_deadline_).status();
}

absl::Status GrpcInventoryPeer::Restock(const inventory::v1::AdjustStockRequest& request) {
  return PeerCall(stub_, &InventoryStub::AdjustStock, request, call_deadline_).status();
}

absl::StatusOr<inventory::v1::Product> GrpcInventoryPeer::GetProduct(const std::string& sku) {
  inventory::v1::GetProductRequest request;
  request.set_sku(sku);
  return PeerCall(stub_, &InventoryStub::GetProduct, request, call_deadline_);
}

absl::StatusOr<inventory::v1::PromiseStockResponse> GrpcInventoryPeer::PromiseStock(
    const inventory::v1::PromiseStockRequest& request) {
  return PeerCall(stub_, &InventoryStub::PromiseStock, request, call_deadline_);
}

absl::StatusOr<inventory::v1::Warehouse> GrpcInventoryPeer::GetWarehouse(
    const std::string& warehouse_id) {
  inventory::v1::GetWarehouseRequest request;
  request.set_warehouse_id(warehouse_id);
  return PeerCall(stub_, &InventoryStub::GetWarehouse, request, call_deadline_);
}

// ---------------------------------------------------------------------------- logistics

absl::StatusOr<logistics::v1::Shipment> GrpcLogisticsPeer::CreateShipment(
    const logistics::v1::CreateShipmentRequest& request) {
  return PeerCall(stub_, &LogisticsStub::CreateShipment, request, call_deadline_);
}

absl::StatusOr<logistics::v1::Shipment> GrpcLogisticsPeer::CancelShipment(
    const std::string& idempotency_key, const std::string& shipment_id, const std::string& reason) {
  logistics::v1::CancelShipmentRequest request;
  request.set_idempotency_key(idempotency_key);
  request.set_shipment_id(shipment_id);
  request.set_reason(reason);
  return PeerCall(stub_, &LogisticsStub::CancelShipment, request, call_deadline_);
}

absl::StatusOr<std::vector<logistics::v1::Shipment>> GrpcLogisticsPeer::ShipmentsOf(
    const std::string& order_id) {
  logistics::v1::ListShipmentsRequest request;
  request.set_order_id(order_id);
  request.set_page_size(1000);
  OMS_ASSIGN_OR_RETURN(logistics::v1::ListShipmentsResponse listed,
                       PeerCall(stub_, &LogisticsStub::ListShipments, request, call_deadline_));
  return std::vector<logistics::v1::Shipment>(listed.shipments().begin(), listed.shipments().end());
}

absl::StatusOr<logistics::v1::ReshipResponse> GrpcLogisticsPeer::Reship(
    const logistics::v1::ReshipRequest& request) {
  return PeerCall(stub_, &LogisticsStub::Reship, request, call_deadline_);
}

absl::StatusOr<logistics::v1::QuoteShipmentResponse> GrpcLogisticsPeer::Quote(
    const logistics::v1::QuoteShipmentRequest& request) {
  return PeerCall(stub_, &LogisticsStub::QuoteShipment, request, call_deadline_);
}

absl::StatusOr<analytics::v1::ScoreOrderResponse> GrpcAnalyticsPeer::ScoreOrder(
    const analytics::v1::ScoreOrderRequest& request) {
  return PeerCall(stub_, &analytics::v1::AnomalyService::StubInterface::ScoreOrder, request,
                  call_deadline_);
}

}  // namespace oms::orchestrator
