#include "orchestrator_svc/testing/fake_peers.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "order_svc/payment_ledger.h"
#include "platform/base/status.h"
#include "platform/storage/proto_rows.h"

namespace oms::orchestrator::testing {

void Faults::Fail(const std::string& method, absl::Status status, int times) {
  for (int i = 0; i < times; ++i) pending_[method].push_back(status);
}

absl::Status Faults::Next(const std::string& method) {
  ++calls_[method];
  std::deque<absl::Status>& queue = pending_[method];
  if (queue.empty()) return absl::OkStatus();
  absl::Status status = queue.front();
  queue.pop_front();
  return status;
}

int Faults::Calls(const std::string& method) const {
  auto found = calls_.find(method);
  return found == calls_.end() ? 0 : found->second;
}

// ------------------------------------------------------------------------------- orders

absl::StatusOr<order::v1::Order> FakeOrderPeer::Create(
    const order::v1::CreateOrderRequest& request) {
  OMS_RETURN_IF_ERROR(faults.Next("Create"));
  for (const auto& [id, order] : orders) {
    if (order.external_reference() == request.external_reference()) return order;
  }
  order::v1::Order order;
  order.set_order_id(absl::StrCat("ord_", orders.size() + 1));
  order.set_external_reference(request.external_reference());
  order.set_channel(request.channel());
  order.set_status(order::v1::RECEIVED);
  order.set_version(1);
  *order.mutable_customer() = request.customer();
  *order.mutable_lines() = request.lines();
  order.set_payment_method(request.payment_method());
  order.mutable_payment()->set_status(order::v1::Payment::UNPAID);
  order.set_currency_code("CNY");
  order.mutable_total()->set_currency_code("CNY");
  order.mutable_total()->set_minor_units(1000);
  order.set_workflow_managed(request.workflow_managed());
  if (request.has_promised_delivery())
    *order.mutable_promised_delivery() = request.promised_delivery();
  orders[order.order_id()] = order;
  return order;
}

absl::StatusOr<order::v1::Order> FakeOrderPeer::Get(const std::string& order_id) {
  OMS_RETURN_IF_ERROR(faults.Next("Get"));
  auto found = orders.find(order_id);
  if (found == orders.end()) return absl::NotFoundError(order_id);
  return found->second;
}

absl::StatusOr<std::vector<order::v1::Order>> FakeOrderPeer::ListOfCustomer(const CustomerRef&,
                                                                            int) {
  OMS_RETURN_IF_ERROR(faults.Next("ListOfCustomer"));
  return std::vector<order::v1::Order>();
}

absl::StatusOr<order::v1::Order> FakeOrderPeer::MoveTo(const StatusChange& change) {
  OMS_RETURN_IF_ERROR(faults.Next("MoveTo"));
  order::v1::Order& order = orders.at(change.order_id);
  for (order::v1::OrderStatus left : change.leave) {
    if (order.status() == left) return order;  // as order_svc: left as it is
  }
  std::vector<order::v1::OrderStatus> path = {change.to};
  for (const order::v1::StatusStep& step : change.further) path.push_back(step.to_status());
  size_t first = 0;  // as order_svc: the steps already taken are not taken again
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == order.status()) first = i + 1;
  }
  for (size_t i = first; i < path.size(); ++i) {
    order.set_status(path[i]);
    order.set_version(order.version() + 1);
    moves.push_back(path[i]);
  }
  return order;
}

absl::StatusOr<order::v1::Order> FakeOrderPeer::Update(const order::v1::UpdateOrderRequest& r) {
  OMS_RETURN_IF_ERROR(faults.Next("Update"));
  order::v1::Order& order = orders.at(r.order_id());
  if (r.has_shipping_address()) {
    *order.mutable_customer()->mutable_shipping_address() = r.shipping_address();
  }
  order.set_version(order.version() + 1);
  return order;
}

absl::StatusOr<order::v1::Order> FakeOrderPeer::SubstituteLine(
    const order::v1::SubstituteLineRequest&) {
  return absl::UnimplementedError("SubstituteLine");
}

absl::StatusOr<order::v1::Order> FakeOrderPeer::RecordPayment(
    const order::v1::RecordPaymentRequest& request) {
  OMS_RETURN_IF_ERROR(faults.Next("RecordPayment"));
  order::v1::Order& order = orders.at(request.order_id());
  // As order_svc applies it; the time of a refund does not matter to the workflow.
  OMS_RETURN_IF_ERROR(order::ApplyPayment(request, absl::UnixEpoch(), order));
  return order;
}

// ---------------------------------------------------------------------------- inventory

absl::StatusOr<inventory::v1::Allocation> FakeInventoryPeer::Allocate(
    const inventory::v1::AllocateRequest& request) {
  OMS_RETURN_IF_ERROR(faults.Next("Allocate"));
  if (on_allocate) on_allocate(request);
  inventory::v1::Allocation& allocation = allocations[request.order_id()];
  allocation.set_order_id(request.order_id());
  allocation.set_region(request.region());
  allocation.clear_reservations();
  for (const inventory::v1::AllocationLine& line : request.lines()) {
    inventory::v1::Reservation* r = allocation.add_reservations();
    r->set_order_id(request.order_id());
    r->set_sku(line.sku());
    r->set_quantity(line.quantity());
    r->set_warehouse_id("WH-1");
    r->set_status(inventory::v1::Reservation::ACTIVE);
  }
  allocation.set_fully_allocated(true);
  return allocation;
}

absl::StatusOr<inventory::v1::Allocation> FakeInventoryPeer::GetAllocation(
    const std::string& order_id) {
  OMS_RETURN_IF_ERROR(faults.Next("GetAllocation"));
  auto found = allocations.find(order_id);
  if (found == allocations.end()) return absl::NotFoundError(order_id);
  return found->second;
}

absl::StatusOr<inventory::v1::Allocation> FakeInventoryPeer::AmendAllocation(
    const inventory::v1::AmendAllocationRequest& request) {
  OMS_RETURN_IF_ERROR(faults.Next("AmendAllocation"));
  return GetAllocation(request.order_id());
}

absl::Status FakeInventoryPeer::ReleaseAll(const std::string&, const std::string& order_id,
                                           const std::string&) {
  OMS_RETURN_IF_ERROR(faults.Next("ReleaseAll"));
  for (auto& r : *allocations[order_id].mutable_reservations()) {
    if (r.status() == inventory::v1::Reservation::ACTIVE) {
      r.set_status(inventory::v1::Reservation::RELEASED);
    }
  }
  return absl::OkStatus();
}

absl::Status FakeInventoryPeer::Commit(const std::string&, const std::string&, const std::string&) {
  return faults.Next("Commit");
}

absl::Status FakeInventoryPeer::Restock(const inventory::v1::AdjustStockRequest&) {
  return faults.Next("Restock");
}

absl::StatusOr<inventory::v1::Product> FakeInventoryPeer::GetProduct(const std::string& sku) {
  OMS_RETURN_IF_ERROR(faults.Next("GetProduct"));
  inventory::v1::Product product;
  product.set_sku(sku);
  product.set_active(true);
  product.set_weight_g(100);
  return product;
}

absl::StatusOr<inventory::v1::Warehouse> FakeInventoryPeer::GetWarehouse(
    const std::string& warehouse_id) {
  OMS_RETURN_IF_ERROR(faults.Next("GetWarehouse"));
  inventory::v1::Warehouse warehouse;
  warehouse.set_warehouse_id(warehouse_id);
  warehouse.set_region("East");
  return warehouse;
}

absl::StatusOr<inventory::v1::PromiseStockResponse> FakeInventoryPeer::PromiseStock(
    const inventory::v1::PromiseStockRequest&) {
  OMS_RETURN_IF_ERROR(faults.Next("PromiseStock"));
  inventory::v1::PromiseStockResponse answer = promise;
  if (answer.warehouse_id().empty()) answer.set_warehouse_id("WH-1");
  if (answer.warehouse_region().empty()) answer.set_warehouse_region("East");
  if (answer.basis() == inventory::v1::PROMISE_BASIS_UNSPECIFIED) {
    answer.set_basis(inventory::v1::IN_STOCK);
  }
  return answer;
}

// ---------------------------------------------------------------------------- logistics

absl::StatusOr<logistics::v1::Shipment> FakeLogisticsPeer::CreateShipment(
    const logistics::v1::CreateShipmentRequest& request) {
  OMS_RETURN_IF_ERROR(faults.Next("CreateShipment"));
  // A key replays its first answer, as logistics_svc's idempotency store does.
  if (auto it = answers_.find(request.idempotency_key()); it != answers_.end()) return it->second;
  for (const auto& [id, s] : shipments) {
    if (s.order_id() == request.order_id() && s.warehouse_id() == request.warehouse_id() &&
        s.state() != logistics::v1::CANCELLED) {
      answers_[request.idempotency_key()] = s;
      return s;  // idempotent per (order, warehouse), as logistics_svc
    }
  }
  logistics::v1::Shipment shipment;
  shipment.set_shipment_id(absl::StrCat("shp_", shipments.size() + 1));
  shipment.set_order_id(request.order_id());
  shipment.set_warehouse_id(request.warehouse_id());
  shipment.set_destination_region(request.destination_region());
  shipment.set_state(logistics::v1::CREATED);
  shipment.set_progress(logistics::v1::CREATED);
  shipment.set_reference(request.reference());
  shipments[shipment.shipment_id()] = shipment;
  answers_[request.idempotency_key()] = shipment;
  if (on_create) on_create(shipment);
  return shipment;
}

absl::StatusOr<logistics::v1::Shipment> FakeLogisticsPeer::CancelShipment(
    const std::string&, const std::string& shipment_id, const std::string&) {
  OMS_RETURN_IF_ERROR(faults.Next("CancelShipment"));
  logistics::v1::Shipment& shipment = shipments.at(shipment_id);
  if (shipment.progress() != logistics::v1::CREATED) {
    return absl::FailedPreconditionError("picked up");
  }
  shipment.set_state(logistics::v1::CANCELLED);
  return shipment;
}

absl::StatusOr<std::vector<logistics::v1::Shipment>> FakeLogisticsPeer::ShipmentsOf(
    const std::string& order_id) {
  OMS_RETURN_IF_ERROR(faults.Next("ShipmentsOf"));
  std::vector<logistics::v1::Shipment> out;
  for (const auto& [id, s] : shipments) {
    if (s.order_id() == order_id) out.push_back(s);
  }
  return out;
}

absl::StatusOr<logistics::v1::ReshipResponse> FakeLogisticsPeer::Reship(
    const logistics::v1::ReshipRequest&) {
  return absl::UnimplementedError("Reship");
}

absl::StatusOr<logistics::v1::QuoteShipmentResponse> FakeLogisticsPeer::Quote(
    const logistics::v1::QuoteShipmentRequest& request) {
  OMS_RETURN_IF_ERROR(faults.Next("Quote"));
  quoted.push_back(request);
  logistics::v1::QuoteShipmentResponse answer;
  // Each option's promise and deadline follow the request, as logistics_svc's do.
  absl::Time ship = request.has_ship_at() ? FromProtoTime(request.ship_at()) : absl::Now();
  for (int transit : transit_days) {
    logistics::v1::ShippingOption* option = answer.add_options();
    option->set_carrier_id("fake");
    option->set_service_level(logistics::v1::STANDARD);
    option->set_transit_days(transit);
    absl::Time promised = ship + absl::Hours(24) * transit;
    *option->mutable_promised_delivery() = ToProtoTime(promised);
    option->set_meets_deadline(!request.has_deadline() ||
                               promised <= FromProtoTime(request.deadline()));
    option->set_meets_urgency(true);
  }
  return answer;
}

}  // namespace oms::orchestrator::testing
