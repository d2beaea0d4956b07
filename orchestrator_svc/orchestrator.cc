#include "orchestrator_svc/orchestrator.h"

#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/client_context.h"
#include "orchestrator_svc/peer_call.h"
#include "orchestrator_svc/review_rules.h"
#include "platform/proto_rows.h"
#include "platform/status.h"
#include "platform/validation.h"

namespace oms::orchestrator {
namespace {

using google::protobuf::util::TimeUtil;

// A workflow waiting for an event or a person runs again only when something wakes it.
const absl::Time kParked = absl::FromUnixSeconds(253402300799);  // 9999-12-31

bool IsTransient(const absl::Status& s) {
  return s.code() == absl::StatusCode::kUnavailable ||
         s.code() == absl::StatusCode::kDeadlineExceeded ||
         s.code() == absl::StatusCode::kAborted || s.code() == absl::StatusCode::kResourceExhausted;
}

std::string Key(const std::string& order_id, const std::string& step) {
  return absl::StrCat(order_id, ":", step);
}

bool Shipped(const std::string& state) {
  return state == "PICKED_UP" || state == "IN_TRANSIT" || state == "OUT_FOR_DELIVERY" ||
         state == "DELIVERED" || state == "DELAYED" || state == "DELIVERY_FAILED" ||
         state == "LOST";
}

}  // namespace

// How a step ended, beyond OK or an error.
struct Orchestrator::StepResult {
  std::optional<std::pair<v1::ExceptionType, std::string>> ticket;  // to open
};

// ------------------------------------------------------------------------- front door

absl::Status Orchestrator::Transition(const std::string& order_id, order::v1::OrderStatus to,
                                      const std::string& reason, Learned* learned) {
  if (learned != nullptr && learned->order_status == to) return absl::OkStatus();
  order::v1::TransitionOrderRequest request;
  request.set_idempotency_key(
      Key(order_id, absl::StrCat("status:", order::v1::OrderStatus_Name(to))));
  request.set_order_id(order_id);
  request.set_to_status(to);
  request.set_actor("orchestrator");
  request.set_reason(reason);
  OMS_ASSIGN_OR_RETURN(
      order::v1::Order order,
      CallPeer(peers_.order, &order::v1::OrderService::StubInterface::TransitionOrder, request,
               options_.call_deadline));
  if (learned != nullptr) learned->order_status = order.status();
  return absl::OkStatus();
}

absl::Status Orchestrator::SaveWorkflow(Session& s, const store::VersionedWorkflow& v,
                                        v1::Stage before) {
  OMS_RETURN_IF_ERROR(store::SaveWorkflow(s, v));
  if (v.workflow.stage() == before) return absl::OkStatus();
  v1::WorkflowStageChanged event;
  event.set_order_id(v.workflow.order_id());
  event.set_from_stage(before);
  event.set_to_stage(v.workflow.stage());
  return host_->outbox().Append(s, v.workflow.order_id(), event).status();
}

absl::StatusOr<v1::PlaceOrderResponse> Orchestrator::PlaceOrder(
    const v1::PlaceOrderRequest& request) {
  FieldErrors errors;
  errors.MaxLength(request.idempotency_key(), 128, "idempotency_key");
  errors.Check(request.has_order(), "order", "is required");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  // 1. The order itself: order_svc dedupes on the key and on (channel, external reference).
  order::v1::CreateOrderRequest create = request.order();
  if (!request.idempotency_key().empty())
    create.set_idempotency_key(request.idempotency_key() + ":create");
  OMS_ASSIGN_OR_RETURN(order::v1::Order order,
                       CallPeer(peers_.order, &order::v1::OrderService::StubInterface::CreateOrder,
                                create, options_.call_deadline));
  v1::PlaceOrderResponse response;
  response.set_order_id(order.order_id());
  Learned learned;

  // 2. A retry finds the workflow and answers where it is.
  std::optional<store::VersionedWorkflow> existing;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(existing, store::FindWorkflow(s, order.order_id()));
    if (existing.has_value()) {
      OMS_ASSIGN_OR_RETURN(std::vector<v1::ReviewDecision> decisions,
                           store::ReviewDecisions(s, order.order_id()));
      if (!decisions.empty()) *response.mutable_review() = decisions.back();
    }
    return absl::OkStatus();
  }));
  if (!existing.has_value()) {
    // 3. Automatic review: the customer's other orders inform credit and new-customer rules
    // (asked for only when such a rule is on: otherwise a call per order for nothing).
    std::vector<v1::ReviewRule> rules;
    OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
      OMS_ASSIGN_OR_RETURN(rules, store::ListReviewRules(s));
      return absl::OkStatus();
    }));
    order::v1::ListOrdersResponse history;
    if (NeedsCustomerHistory(rules)) {
      order::v1::ListOrdersRequest history_request;
      history_request.set_customer_phone(order.customer().phone());
      history_request.set_page_size(500);
      OMS_ASSIGN_OR_RETURN(
          history, CallPeer(peers_.order, &order::v1::OrderService::StubInterface::ListOrders,
                            history_request, options_.call_deadline));
    }
    CustomerHistory customer;
    for (const order::v1::Order& other : history.orders()) {
      if (other.order_id() == order.order_id()) continue;
      ++customer.previous_orders;
      bool open = other.status() != order::v1::CANCELLED && other.status() != order::v1::REJECTED;
      if (open && other.payment().status() != order::v1::Payment::PAID &&
          other.currency_code() == order.currency_code()) {
        customer.unpaid_minor += other.total().minor_units();
      }
    }
    v1::ReviewDecision decision = EvaluateReview(rules, order, customer);
    absl::Time now = host_->clock().Now();
    *decision.mutable_decided_at() = ToProtoTime(now);

    v1::Workflow wf;
    wf.set_order_id(order.order_id());
    wf.set_payment_method(order.payment_method());
    wf.set_paid(order.payment().status() == order::v1::Payment::PAID);
    wf.set_region(order.customer().shipping_address().region());
    wf.set_postal_code(order.customer().shipping_address().postal_code());
    for (const order::v1::OrderLine& line : order.lines()) {
      v1::WorkflowLine* l = wf.add_lines();
      l->set_sku(line.sku());
      l->set_quantity(line.quantity());
    }
    *wf.mutable_total() = order.total();
    *wf.mutable_created_at() = ToProtoTime(now);
    *wf.mutable_updated_at() = wf.created_at();
    absl::Duration deadline;
    switch (decision.outcome()) {
      case v1::ReviewDecision::REJECTED:
        wf.set_stage(v1::REJECTED);
        deadline = absl::ZeroDuration();
        break;
      case v1::ReviewDecision::MANUAL_REVIEW:
        wf.set_stage(v1::PENDING_REVIEW);
        deadline = options_.review_sla;
        break;
      default:
        bool wait_for_payment = order.payment_method() == order::v1::PREPAID && !wf.paid();
        wf.set_stage(wait_for_payment ? v1::AWAITING_PAYMENT : v1::ALLOCATING);
        deadline = wait_for_payment ? options_.payment_timeout : options_.processing_timeout;
    }
    *wf.mutable_stage_deadline() = ToProtoTime(now + deadline);
    // Waiting stages wake at their deadline; ALLOCATING is due now (for a crashed PlaceOrder).
    *wf.mutable_next_run_at() = ToProtoTime(wf.stage() == v1::ALLOCATING ? now
                                            : wf.stage() == v1::REJECTED ? kParked
                                                                         : now + deadline);
    absl::Status inserted = host_->db().Transact([&](Session& s) -> absl::Status {
      OMS_RETURN_IF_ERROR(store::InsertWorkflow(s, wf));
      OMS_RETURN_IF_ERROR(store::AddReviewDecision(s, decision));
      v1::ReviewDecided decided;
      *decided.mutable_decision() = decision;
      OMS_RETURN_IF_ERROR(host_->outbox().Append(s, order.order_id(), decided).status());
      v1::WorkflowStageChanged stage;
      stage.set_order_id(order.order_id());
      stage.set_to_stage(wf.stage());
      return host_->outbox().Append(s, order.order_id(), stage).status();
    });
    // A concurrent retry of the same order may have won the race: use its workflow.
    if (!inserted.ok() && inserted.code() != absl::StatusCode::kAlreadyExists) return inserted;
    *response.mutable_review() = decision;
    // The order's status follows the decision (idempotent, so a crash here is re-done later).
    if (inserted.ok()) {
      order::v1::OrderStatus status = wf.stage() == v1::REJECTED         ? order::v1::REJECTED
                                      : wf.stage() == v1::PENDING_REVIEW ? order::v1::PENDING_REVIEW
                                                                         : order::v1::APPROVED;
      // APPROVED is also re-asserted by the allocation step under the same key, so its
      // request (and reason) must be the same wherever it is sent.
      OMS_RETURN_IF_ERROR(Transition(order.order_id(), status,
                                     status == order::v1::APPROVED ? "approved" : decision.reason(),
                                     &learned));
    }
  }
  // 4. Allocate (and ship) at once when the workflow is ready to: the answer carries the
  // outcome. Whatever fails here transiently is picked up by the worker.
  OMS_RETURN_IF_ERROR(Advance(order.order_id(), learned));
  std::optional<store::VersionedWorkflow> now_wf;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(now_wf, store::FindWorkflow(s, order.order_id()));
    return absl::OkStatus();
  }));
  if (now_wf.has_value()) {
    response.set_stage(now_wf->workflow.stage());
    for (const std::string& w : now_wf->workflow.warehouses())
      response.mutable_allocation()->add_warehouses(w);
  }
  if (response.stage() == v1::BACKORDERED || !response.allocation().warehouses().empty()) {
    absl::StatusOr<inventory::v1::Allocation> allocation;
    if (learned.allocation.has_value()) {
      allocation = *learned.allocation;
    } else {
      inventory::v1::GetAllocationRequest get;
      get.set_order_id(order.order_id());
      allocation =
          CallPeer(peers_.inventory, &inventory::v1::InventoryService::StubInterface::GetAllocation,
                   get, options_.call_deadline);
    }
    if (allocation.ok()) {
      response.mutable_allocation()->set_fully_allocated(allocation->fully_allocated());
      *response.mutable_allocation()->mutable_backordered() = allocation->backordered();
    }
  }
  if (learned.order_status.has_value()) {
    response.set_status(*learned.order_status);
    return response;
  }
  order::v1::GetOrderRequest get_order;
  get_order.set_order_id(order.order_id());
  OMS_ASSIGN_OR_RETURN(order::v1::Order current,
                       CallPeer(peers_.order, &order::v1::OrderService::StubInterface::GetOrder,
                                get_order, options_.call_deadline));
  response.set_status(current.status());
  return response;
}

absl::StatusOr<v1::Workflow> Orchestrator::GetWorkflow(const v1::GetWorkflowRequest& request) {
  std::optional<store::VersionedWorkflow> wf;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(wf, store::FindWorkflow(s, request.order_id()));
    return absl::OkStatus();
  }));
  if (!wf.has_value()) {
    return absl::NotFoundError(absl::StrCat("no workflow for order \"", request.order_id(), "\""));
  }
  return wf->workflow;
}

// ----------------------------------------------------------------------------- worker

absl::Status Orchestrator::Allocate(v1::Workflow& wf, Learned& learned) {
  OMS_RETURN_IF_ERROR(Transition(wf.order_id(), order::v1::APPROVED, "approved", &learned));
  inventory::v1::AllocateRequest request;
  request.set_idempotency_key(Key(wf.order_id(), "allocate"));
  request.set_order_id(wf.order_id());
  request.set_region(wf.region());
  request.set_policy(inventory::v1::ALLOW_PARTIAL);
  for (const v1::WorkflowLine& line : wf.lines()) {
    inventory::v1::AllocationLine* l = request.add_lines();
    l->set_sku(line.sku());
    l->set_quantity(line.quantity());
  }
  // Allocate once; after a backorder is served the allocation is read, since the stored
  // answer of the first Allocate (same key) still shows the shortage.
  absl::StatusOr<inventory::v1::Allocation> allocation_or;
  if (wf.allocation_requested()) {
    inventory::v1::GetAllocationRequest get;
    get.set_order_id(wf.order_id());
    allocation_or =
        CallPeer(peers_.inventory, &inventory::v1::InventoryService::StubInterface::GetAllocation,
                 get, options_.call_deadline);
  } else {
    allocation_or =
        CallPeer(peers_.inventory, &inventory::v1::InventoryService::StubInterface::Allocate,
                 request, options_.call_deadline);
  }
  OMS_ASSIGN_OR_RETURN(inventory::v1::Allocation allocation, std::move(allocation_or));
  learned.allocation = allocation;
  wf.set_allocation_requested(true);
  wf.clear_warehouses();
  std::set<std::string> warehouses;
  for (const auto& r : allocation.reservations()) {
    if (r.status() == inventory::v1::Reservation::ACTIVE ||
        r.status() == inventory::v1::Reservation::COMMITTED) {
      warehouses.insert(r.warehouse_id());
    }
  }
  for (const std::string& w : warehouses) wf.add_warehouses(w);
  absl::Time now = host_->clock().Now();
  if (allocation.fully_allocated()) {
    OMS_RETURN_IF_ERROR(
        Transition(wf.order_id(), order::v1::ALLOCATED, "stock reserved", &learned));
    wf.set_stage(v1::SHIPPING);
    *wf.mutable_stage_deadline() = ToProtoTime(now + options_.processing_timeout);
    *wf.mutable_next_run_at() = ToProtoTime(now);
  } else {
    OMS_RETURN_IF_ERROR(
        Transition(wf.order_id(), order::v1::BACKORDERED, "waiting for stock", &learned));
    wf.set_stage(v1::BACKORDERED);
    *wf.mutable_stage_deadline() = ToProtoTime(now + options_.stock_shortage_after);
    *wf.mutable_next_run_at() = wf.stage_deadline();
  }
  return absl::OkStatus();
}

absl::Status Orchestrator::Ship(v1::Workflow& wf, Learned& learned) {
  // Allocated in this same pass: its answer is current. Otherwise (a later run) ask.
  if (!learned.allocation.has_value()) {
    inventory::v1::GetAllocationRequest get;
    get.set_order_id(wf.order_id());
    OMS_ASSIGN_OR_RETURN(
        learned.allocation,
        CallPeer(peers_.inventory, &inventory::v1::InventoryService::StubInterface::GetAllocation,
                 get, options_.call_deadline));
  }
  const inventory::v1::Allocation& allocation = *learned.allocation;
  std::map<std::string, std::map<std::string, int64_t>> per_warehouse;
  for (const auto& r : allocation.reservations()) {
    if (r.status() == inventory::v1::Reservation::ACTIVE)
      per_warehouse[r.warehouse_id()][r.sku()] += r.quantity();
  }
  for (const auto& [warehouse_id, lines] : per_warehouse) {
    bool known = false;
    for (const v1::WorkflowShipment& s : wf.shipments())
      known = known || s.warehouse_id() == warehouse_id;
    if (known) continue;
    inventory::v1::GetWarehouseRequest get_warehouse;
    get_warehouse.set_warehouse_id(warehouse_id);
    OMS_ASSIGN_OR_RETURN(inventory::v1::Warehouse warehouse, warehouses_.Get(warehouse_id, [&] {
      return CallPeer(peers_.inventory,
                      &inventory::v1::InventoryService::StubInterface::GetWarehouse, get_warehouse,
                      options_.call_deadline);
    }));
    logistics::v1::CreateShipmentRequest create;
    create.set_idempotency_key(Key(wf.order_id(), "ship:" + warehouse_id));
    create.set_order_id(wf.order_id());
    create.set_warehouse_id(warehouse_id);
    create.set_origin_region(warehouse.region());
    create.set_destination_region(wf.region());
    create.set_cod(wf.payment_method() == order::v1::COD);
    int64_t weight = 0;
    for (const auto& [sku, quantity] : lines) {
      logistics::v1::ShipmentLine* line = create.add_lines();
      line->set_sku(sku);
      line->set_quantity(quantity);
      inventory::v1::GetProductRequest get_product;
      get_product.set_sku(sku);
      OMS_ASSIGN_OR_RETURN(inventory::v1::Product product, products_.Get(sku, [&] {
        return CallPeer(peers_.inventory,
                        &inventory::v1::InventoryService::StubInterface::GetProduct, get_product,
                        options_.call_deadline);
      }));
      weight += std::max<int64_t>(product.weight_g(), 1) * quantity;
      create.set_volume_cm3(create.volume_cm3() + product.volume_cm3() * quantity);
    }
    create.set_weight_g(weight);
    OMS_ASSIGN_OR_RETURN(
        logistics::v1::Shipment shipment,
        CallPeer(peers_.logistics, &logistics::v1::LogisticsService::StubInterface::CreateShipment,
                 create, options_.call_deadline));
    v1::WorkflowShipment* s = wf.add_shipments();
    s->set_shipment_id(shipment.shipment_id());
    s->set_warehouse_id(warehouse_id);
    s->set_state(logistics::v1::ShipmentState_Name(shipment.state()));
    s->set_allocation_id(wf.order_id());
  }
  OMS_RETURN_IF_ERROR(
      Transition(wf.order_id(), order::v1::SHIPPED, "handed to carriers", &learned));
  wf.set_stage(v1::IN_TRANSIT);
  wf.clear_stage_deadline();
  *wf.mutable_next_run_at() = ToProtoTime(kParked);
  return absl::OkStatus();
}

absl::Status Orchestrator::Compensate(v1::Workflow& wf) {
  inventory::v1::ReleaseRequest release;
  release.set_idempotency_key(Key(wf.order_id(), "compensate:release"));
  release.set_order_id(wf.order_id());
  release.set_reason("step failed permanently");
  absl::Status released =
      CallPeer(peers_.inventory, &inventory::v1::InventoryService::StubInterface::Release, release,
               options_.call_deadline)
          .status();
  if (!released.ok() && released.code() != absl::StatusCode::kNotFound) return released;
  for (const v1::WorkflowShipment& s : wf.shipments()) {
    logistics::v1::CancelShipmentRequest cancel;
    cancel.set_idempotency_key(Key(wf.order_id(), "compensate:cancel:" + s.shipment_id()));
    cancel.set_shipment_id(s.shipment_id());
    cancel.set_reason("step failed permanently");
    absl::Status cancelled =
        CallPeer(peers_.logistics, &logistics::v1::LogisticsService::StubInterface::CancelShipment,
                 cancel, options_.call_deadline)
            .status();
    if (!cancelled.ok() && cancelled.code() != absl::StatusCode::kFailedPrecondition)
      return cancelled;
  }
  wf.set_compensated(true);
  return absl::OkStatus();
}

absl::Status Orchestrator::StepStage(v1::Workflow& wf, StepResult& result, Learned& learned) {
  absl::Time now = host_->clock().Now();
  bool past_deadline = wf.has_stage_deadline() && now >= FromProtoTime(wf.stage_deadline());
  switch (wf.stage()) {
    case v1::PENDING_REVIEW:
      if (past_deadline)
        result.ticket = {{v1::PROCESSING_TIMEOUT, "not reviewed within the review SLA"}};
      *wf.mutable_next_run_at() = ToProtoTime(kParked);
      return absl::OkStatus();
    case v1::AWAITING_PAYMENT: {
      if (!past_deadline) {
        *wf.mutable_next_run_at() = wf.stage_deadline();
        return absl::OkStatus();
      }
      // Unpaid past the timeout: the exception rule's auto-action cancels the order (the
      // default), or the ticket alone goes to a person.
      std::optional<v1::ExceptionRule> rule;
      OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(rule, store::FindExceptionRule(s, v1::PAYMENT_TIMEOUT));
        return absl::OkStatus();
      }));
      if (rule.has_value() && !rule->auto_cancel_order()) {
        result.ticket = {{v1::PAYMENT_TIMEOUT, "no payment before the timeout"}};
        *wf.mutable_next_run_at() = ToProtoTime(kParked);  // PaymentRecorded still wakes it
        return absl::OkStatus();
      }
      order::v1::CancelOrderRequest cancel;
      cancel.set_idempotency_key(Key(wf.order_id(), "cancel:payment_timeout"));
      cancel.set_order_id(wf.order_id());
      cancel.set_actor("orchestrator");
      cancel.set_reason("payment not received in time");
      OMS_RETURN_IF_ERROR(CallPeer(peers_.order,
                                   &order::v1::OrderService::StubInterface::CancelOrder, cancel,
                                   options_.call_deadline)
                              .status());
      result.ticket = {{v1::PAYMENT_TIMEOUT, "no payment before the timeout: order cancelled"}};
      wf.set_stage(v1::CANCELLED);
      *wf.mutable_next_run_at() = ToProtoTime(kParked);
      return absl::OkStatus();
    }
    case v1::ALLOCATING:
      if (past_deadline)
        result.ticket = {{v1::PROCESSING_TIMEOUT, "not allocated within the stage SLA"}};
      return Allocate(wf, learned);
    case v1::BACKORDERED:
      if (past_deadline) result.ticket = {{v1::STOCK_SHORTAGE, "still waiting for stock"}};
      *wf.mutable_next_run_at() = ToProtoTime(kParked);
      return absl::OkStatus();
    case v1::SHIPPING:
      if (past_deadline)
        result.ticket = {{v1::PROCESSING_TIMEOUT, "not shipped within the stage SLA"}};
      return Ship(wf, learned);
    case v1::IN_TRANSIT: {
      // Reservations leave stock when their shipment is picked up.
      bool all_delivered = true;
      for (v1::WorkflowShipment& s : *wf.mutable_shipments()) {
        if (s.replaced()) continue;
        if (Shipped(s.state()) && !s.committed()) {
          inventory::v1::CommitRequest commit;
          commit.set_idempotency_key(Key(s.allocation_id(), "commit:" + s.warehouse_id()));
          commit.set_order_id(s.allocation_id());
          commit.set_warehouse_id(s.warehouse_id());
          OMS_RETURN_IF_ERROR(CallPeer(peers_.inventory,
                                       &inventory::v1::InventoryService::StubInterface::Commit,
                                       commit, options_.call_deadline)
                                  .status());
          s.set_committed(true);
        }
        all_delivered = all_delivered && s.state() == "DELIVERED";
      }
      if (all_delivered && !wf.shipments().empty()) {
        wf.set_stage(v1::DELIVERED);
        *wf.mutable_next_run_at() = ToProtoTime(now);
      } else {
        *wf.mutable_next_run_at() = ToProtoTime(kParked);
      }
      return absl::OkStatus();
    }
    case v1::DELIVERED: {
      OMS_RETURN_IF_ERROR(
          Transition(wf.order_id(), order::v1::DELIVERED, "all parcels delivered", &learned));
      if (wf.payment_method() == order::v1::COD && !wf.paid()) {
        order::v1::RecordPaymentRequest pay;
        pay.set_idempotency_key(Key(wf.order_id(), "pay:cod"));
        pay.set_order_id(wf.order_id());
        pay.set_status(order::v1::Payment::PAID);
        *pay.mutable_amount() = wf.total();
        pay.set_reference("cash on delivery");
        pay.set_actor("orchestrator");
        OMS_RETURN_IF_ERROR(CallPeer(peers_.order,
                                     &order::v1::OrderService::StubInterface::RecordPayment, pay,
                                     options_.call_deadline)
                                .status());
        wf.set_paid(true);
      }
      if (wf.paid()) {
        OMS_RETURN_IF_ERROR(
            Transition(wf.order_id(), order::v1::COMPLETED, "delivered and paid", &learned));
        wf.set_stage(v1::COMPLETED);
      }
      *wf.mutable_next_run_at() = ToProtoTime(kParked);  // CREDIT_TERMS: PaymentRecorded wakes it
      return absl::OkStatus();
    }
    default:
      *wf.mutable_next_run_at() = ToProtoTime(kParked);
      return absl::OkStatus();
  }
}

absl::Status Orchestrator::Step(store::VersionedWorkflow versioned, v1::RunWorkflowsResponse& tally,
                                Learned& learned) {
  v1::Workflow& wf = versioned.workflow;
  v1::Stage before = wf.stage();
  StepResult result;
  absl::Status step = StepStage(wf, result, learned);
  absl::Time now = host_->clock().Now();
  if (step.ok()) {
    wf.set_attempts(0);
    wf.set_last_error("");
    tally.set_advanced(tally.advanced() + 1);
  } else if (IsTransient(step)) {
    wf.set_stage(before);  // the step is re-done whole; its calls are idempotent
    wf.set_attempts(wf.attempts() + 1);
    wf.set_last_error(std::string(step.message()));
    absl::Duration wait = options_.retry_backoff;
    for (int i = 1; i < wf.attempts() && wait < options_.max_backoff; ++i) wait *= 2;
    *wf.mutable_next_run_at() = ToProtoTime(now + std::min(wait, options_.max_backoff));
    tally.set_retried(tally.retried() + 1);
  } else {
    // A service refused for good: undo what holds stock or carriers (before anything left a
    // warehouse), park the workflow and hand it to a person.
    if (before == v1::SHIPPING || before == v1::BACKORDERED) {
      absl::Status undone = Compensate(wf);
      if (!undone.ok())
        wf.set_last_error(absl::StrCat(step.message(), "; compensation: ", undone.message()));
    }
    wf.set_stage(before);
    if (wf.last_error().empty()) wf.set_last_error(std::string(step.message()));
    *wf.mutable_next_run_at() = ToProtoTime(kParked);
    v1::ExceptionType type =
        before == v1::SHIPPING && step.code() == absl::StatusCode::kFailedPrecondition
            ? v1::INVALID_CUSTOMER_INFO
            : v1::STEP_FAILED;
    result.ticket = {{type, absl::StrCat(v1::Stage_Name(before), ": ", step.message())}};
  }
  *wf.mutable_updated_at() = ToProtoTime(now);
  absl::Status saved = host_->db().Transact([&](Session& s) -> absl::Status {
    OMS_RETURN_IF_ERROR(SaveWorkflow(s, versioned, before));
    if (result.ticket.has_value()) {
      OMS_ASSIGN_OR_RETURN(
          v1::ExceptionTicket ticket,
          OpenTicket(s, wf.order_id(), result.ticket->first, result.ticket->second, ""));
      (void)ticket;
      tally.set_exceptions_opened(tally.exceptions_opened() + 1);
    }
    return absl::OkStatus();
  });
  // An event changed the workflow meanwhile: the next pass runs the step again.
  if (saved.code() == absl::StatusCode::kAborted) return absl::OkStatus();
  return saved;
}

absl::Status Orchestrator::Advance(const std::string& order_id, Learned& learned) {
  v1::RunWorkflowsResponse tally;
  // A workflow moves through consecutive ready stages (allocate, then ship) in one call.
  for (int i = 0; i < 10; ++i) {
    std::optional<store::VersionedWorkflow> v;
    OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
      OMS_ASSIGN_OR_RETURN(v, store::FindWorkflow(s, order_id));
      return absl::OkStatus();
    }));
    if (!v.has_value() || FromProtoTime(v->workflow.next_run_at()) > host_->clock().Now()) break;
    int before = tally.advanced();
    OMS_RETURN_IF_ERROR(Step(std::move(*v), tally, learned));
    if (tally.advanced() == before) break;  // failed or retried: the worker takes it from here
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::RunWorkflowsResponse> Orchestrator::RunWorkflows() {
  v1::RunWorkflowsResponse tally;
  std::vector<store::VersionedWorkflow> due;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(due, store::DueWorkflows(s, host_->clock().Now(), 200));
    return absl::OkStatus();
  }));
  for (store::VersionedWorkflow& v : due) {
    std::string order_id = v.workflow.order_id();
    int before = tally.advanced();
    Learned learned;
    OMS_RETURN_IF_ERROR(Step(std::move(v), tally, learned));
    if (tally.advanced() > before) OMS_RETURN_IF_ERROR(Advance(order_id, learned));
  }
  OMS_RETURN_IF_ERROR(EscalateOverdue().status());
  return tally;
}

// ----------------------------------------------------------------------------- events

const std::vector<std::string>& Orchestrator::HandledEventTypes() {
  static const auto* types =
      new std::vector<std::string>{"PaymentRecorded", "BackorderAllocated", "ShipmentStatusChanged",
                                   "ShipmentDelayed", "ShipmentLost"};
  return *types;
}

absl::Status Orchestrator::HandleEvent(Session& s, const events::v1::Event& event) {
  std::string order_id;
  std::function<void(v1::Workflow&)> change;
  std::optional<std::pair<v1::ExceptionType, std::string>> ticket;
  std::string shipment_id;
  if (event.type() == "PaymentRecorded") {
    order::v1::PaymentRecorded paid;
    event.payload().UnpackTo(&paid);
    order_id = paid.order_id();
    bool is_paid = paid.payment().status() == order::v1::Payment::PAID;
    change = [is_paid](v1::Workflow& wf) { wf.set_paid(is_paid); };
  } else if (event.type() == "BackorderAllocated") {
    inventory::v1::BackorderAllocated allocated;
    event.payload().UnpackTo(&allocated);
    order_id = allocated.allocation().order_id();
    if (!allocated.allocation().fully_allocated()) return absl::OkStatus();
    change = [](v1::Workflow& wf) {
      if (wf.stage() == v1::BACKORDERED) wf.set_stage(v1::ALLOCATING);
    };
  } else if (event.type() == "ShipmentStatusChanged") {
    logistics::v1::ShipmentStatusChanged changed;
    event.payload().UnpackTo(&changed);
    order_id = changed.order_id();
    shipment_id = changed.shipment_id();
    std::string state = logistics::v1::ShipmentState_Name(changed.to_state());
    if (changed.to_state() == logistics::v1::DELIVERY_FAILED) {
      ticket = {{v1::DELIVERY_FAILED, "a delivery attempt failed"}};
    }
    change = [shipment_id, state](v1::Workflow& wf) {
      for (v1::WorkflowShipment& sh : *wf.mutable_shipments()) {
        if (sh.shipment_id() == shipment_id) {
          sh.set_state(state);
          return;
        }
      }
    };
  } else if (event.type() == "ShipmentDelayed" || event.type() == "ShipmentLost") {
    logistics::v1::ShipmentLost lost;  // same shape as ShipmentDelayed
    logistics::v1::ShipmentDelayed delayed;
    const logistics::v1::Shipment* shipment;
    if (event.type() == "ShipmentLost") {
      event.payload().UnpackTo(&lost);
      shipment = &lost.shipment();
      ticket = {
          {v1::PACKAGE_LOST, absl::StrCat("parcel ", shipment->tracking_number(), " is lost")}};
    } else {
      event.payload().UnpackTo(&delayed);
      shipment = &delayed.shipment();
      ticket = {
          {v1::LOGISTICS_DELAY, absl::StrCat("parcel ", shipment->tracking_number(), " is late")}};
    }
    order_id = shipment->order_id();
    shipment_id = shipment->shipment_id();
    std::string state = logistics::v1::ShipmentState_Name(shipment->state());
    change = [shipment_id, state](v1::Workflow& wf) {
      for (v1::WorkflowShipment& sh : *wf.mutable_shipments()) {
        if (sh.shipment_id() == shipment_id) sh.set_state(state);
      }
    };
  } else {
    return absl::OkStatus();
  }
  OMS_ASSIGN_OR_RETURN(std::optional<store::VersionedWorkflow> v, store::FindWorkflow(s, order_id));
  if (!v.has_value()) return absl::OkStatus();  // not an order the orchestrator placed
  v1::Stage before = v->workflow.stage();
  change(v->workflow);
  if (v->workflow.stage() == v1::ALLOCATING && before != v1::ALLOCATING) {
    *v->workflow.mutable_stage_deadline() =
        ToProtoTime(host_->clock().Now() + options_.processing_timeout);
  }
  if (v->workflow.stage() == v1::AWAITING_PAYMENT && v->workflow.paid()) {
    v->workflow.set_stage(v1::ALLOCATING);
    *v->workflow.mutable_stage_deadline() =
        ToProtoTime(host_->clock().Now() + options_.processing_timeout);
  }
  // Wake the workflow: the worker decides what the news means for its stage.
  *v->workflow.mutable_next_run_at() = ToProtoTime(host_->clock().Now());
  *v->workflow.mutable_updated_at() = ToProtoTime(host_->clock().Now());
  OMS_RETURN_IF_ERROR(SaveWorkflow(s, *v, before));
  if (ticket.has_value()) {
    OMS_RETURN_IF_ERROR(
        OpenTicket(s, order_id, ticket->first, ticket->second, shipment_id).status());
  }
  return absl::OkStatus();
}

// ----------------------------------------------------------------------------- review

absl::StatusOr<v1::ReviewRule> Orchestrator::SaveReviewRule(
    const v1::SaveReviewRuleRequest& request) {
  const v1::ReviewRule& rule = request.rule();
  FieldErrors errors;
  errors.Required(rule.rule_id(), "rule.rule_id");
  errors.Check(
      rule.kind() != v1::ReviewRule::KIND_UNSPECIFIED && v1::ReviewRule::Kind_IsValid(rule.kind()),
      "rule.kind", "is required");
  errors.Check(rule.action() != v1::ReviewRule::ACTION_UNSPECIFIED &&
                   v1::ReviewRule::Action_IsValid(rule.action()),
               "rule.action", "must be MANUAL_REVIEW or REJECT");
  if (rule.kind() == v1::ReviewRule::BLOCKLIST) {
    errors.Check(!rule.blocked().empty(), "rule.blocked", "needs at least one entry");
  } else {
    errors.Check(!rule.limit().currency_code().empty() && rule.limit().minor_units() >= 0,
                 "rule.limit", "needs a currency and an amount >= 0");
  }
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  OMS_RETURN_IF_ERROR(
      host_->db().Transact([&](Session& s) { return store::SaveReviewRule(s, rule); }));
  return rule;
}

absl::StatusOr<v1::ListReviewRulesResponse> Orchestrator::ListReviewRules() {
  v1::ListReviewRulesResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::ReviewRule> rules, store::ListReviewRules(s));
    for (auto& r : rules) *response.add_rules() = std::move(r);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::ListReviewQueueResponse> Orchestrator::ListReviewQueue() {
  v1::ListReviewQueueResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<store::VersionedWorkflow> waiting,
                         store::WorkflowsInStage(s, v1::PENDING_REVIEW));
    std::sort(waiting.begin(), waiting.end(), [](const auto& a, const auto& b) {
      return TimeUtil::TimestampToMicroseconds(a.workflow.created_at()) <
             TimeUtil::TimestampToMicroseconds(b.workflow.created_at());
    });
    for (const store::VersionedWorkflow& v : waiting) {
      v1::ReviewQueueEntry* entry = response.add_entries();
      entry->set_order_id(v.workflow.order_id());
      *entry->mutable_queued_at() = v.workflow.created_at();
      *entry->mutable_review_due() = v.workflow.stage_deadline();
      OMS_ASSIGN_OR_RETURN(std::vector<v1::ReviewDecision> decisions,
                           store::ReviewDecisions(s, v.workflow.order_id()));
      for (auto& d : decisions) *entry->add_reasons() = std::move(d);
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::Workflow> Orchestrator::Review(const v1::ReviewOrderRequest& request,
                                                  bool approve) {
  FieldErrors errors;
  errors.Required(request.order_id(), "order_id");
  errors.Required(request.reviewer(), "reviewer");
  errors.MaxLength(request.note(), 2000, "note");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  store::VersionedWorkflow v;
  v1::ReviewDecision decision;
  OMS_RETURN_IF_ERROR(host_->db().Transact([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::optional<store::VersionedWorkflow> found,
                         store::FindWorkflow(s, request.order_id()));
    if (!found.has_value())
      return absl::NotFoundError(absl::StrCat("no workflow for order ", request.order_id()));
    v = *found;
    if (v.workflow.stage() != v1::PENDING_REVIEW) {
      return absl::FailedPreconditionError(absl::StrCat("order ", request.order_id(), " is at ",
                                                        v1::Stage_Name(v.workflow.stage()),
                                                        ", not PENDING_REVIEW"));
    }
    absl::Time now = host_->clock().Now();
    decision.set_order_id(request.order_id());
    decision.set_outcome(approve ? v1::ReviewDecision::APPROVED : v1::ReviewDecision::REJECTED);
    decision.set_reviewer(request.reviewer());
    decision.set_note(request.note());
    decision.set_reason(approve ? "approved by reviewer" : "rejected by reviewer");
    *decision.mutable_decided_at() = ToProtoTime(now);
    OMS_RETURN_IF_ERROR(store::AddReviewDecision(s, decision));
    v1::ReviewDecided decided;
    *decided.mutable_decision() = decision;
    OMS_RETURN_IF_ERROR(host_->outbox().Append(s, request.order_id(), decided).status());
    bool wait_for_payment = v.workflow.payment_method() == order::v1::PREPAID && !v.workflow.paid();
    v1::Stage next = !approve           ? v1::REJECTED
                     : wait_for_payment ? v1::AWAITING_PAYMENT
                                        : v1::ALLOCATING;
    v.workflow.set_stage(next);
    absl::Duration deadline =
        wait_for_payment ? options_.payment_timeout : options_.processing_timeout;
    *v.workflow.mutable_stage_deadline() = ToProtoTime(now + deadline);
    *v.workflow.mutable_next_run_at() = ToProtoTime(next == v1::ALLOCATING ? now
                                                    : next == v1::REJECTED ? kParked
                                                                           : now + deadline);
    OMS_RETURN_IF_ERROR(SaveWorkflow(s, v, v1::PENDING_REVIEW));
    return absl::OkStatus();
  }));
  Learned learned;
  OMS_RETURN_IF_ERROR(Transition(request.order_id(),
                                 approve ? order::v1::APPROVED : order::v1::REJECTED,
                                 approve ? "approved" : decision.reason(), &learned));
  OMS_RETURN_IF_ERROR(Advance(request.order_id(), learned));
  return GetWorkflow([&] {
    v1::GetWorkflowRequest get;
    get.set_order_id(request.order_id());
    return get;
  }());
}

absl::StatusOr<v1::Workflow> Orchestrator::ApproveOrder(const v1::ReviewOrderRequest& request) {
  return Review(request, true);
}

absl::StatusOr<v1::Workflow> Orchestrator::RejectOrder(const v1::ReviewOrderRequest& request) {
  return Review(request, false);
}

// ------------------------------------------------------------------------- exceptions

absl::StatusOr<v1::ExceptionTicket> Orchestrator::OpenTicket(Session& s,
                                                             const std::string& order_id,
                                                             v1::ExceptionType type,
                                                             const std::string& description,
                                                             const std::string& shipment_id) {
  OMS_ASSIGN_OR_RETURN(std::optional<v1::ExceptionTicket> open,
                       store::OpenTicket(s, order_id, type));
  if (open.has_value()) return *open;  // one open ticket per (order, type)
  absl::Time now = host_->clock().Now();
  v1::ExceptionTicket ticket;
  ticket.set_ticket_id(host_->ids().Next("exc"));
  ticket.set_order_id(order_id);
  ticket.set_type(type);
  ticket.set_status(v1::ExceptionTicket::OPEN);
  ticket.set_description(description);
  ticket.set_shipment_id(shipment_id);
  // The type's rule (data) sets severity, group, SLA; members take turns.
  OMS_ASSIGN_OR_RETURN(std::optional<v1::ExceptionRule> rule, store::FindExceptionRule(s, type));
  absl::Duration sla = options_.ticket_sla;
  if (rule.has_value()) {
    ticket.set_severity(rule->severity());
    ticket.set_group(rule->group());
    if (rule->sla().seconds() > 0) sla = absl::Seconds(rule->sla().seconds());
    if (!rule->members().empty()) {
      OMS_ASSIGN_OR_RETURN(int64_t turn, store::NextInRotation(s, rule->group()));
      ticket.set_assignee(rule->members(static_cast<int>(turn % rule->members_size())));
    }
  }
  *ticket.mutable_sla_due_at() = ToProtoTime(now + sla);
  *ticket.mutable_created_at() = ToProtoTime(now);
  *ticket.mutable_updated_at() = ticket.created_at();
  v1::TicketAction* opened = ticket.add_history();
  opened->set_actor("orchestrator");
  opened->set_action("opened");
  opened->set_detail(description);
  *opened->mutable_at() = ticket.created_at();
  OMS_RETURN_IF_ERROR(store::InsertTicket(s, ticket).status());
  v1::ExceptionOpened event;
  *event.mutable_ticket() = ticket;
  OMS_RETURN_IF_ERROR(host_->outbox().Append(s, order_id, event).status());
  if (!ticket.assignee().empty()) {
    v1::ExceptionAssigned assigned;
    *assigned.mutable_ticket() = ticket;
    OMS_RETURN_IF_ERROR(host_->outbox().Append(s, order_id, assigned).status());
  }
  return ticket;
}

absl::StatusOr<v1::ListExceptionsResponse> Orchestrator::ListExceptions(
    const v1::ListExceptionsRequest& request) {
  v1::ListExceptionsResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::ExceptionTicket> tickets,
                         store::ListTickets(s, request, host_->clock().Now()));
    for (auto& t : tickets) *response.add_tickets() = std::move(t);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::ExceptionTicket> Orchestrator::GetException(
    const v1::GetExceptionRequest& request) {
  v1::ExceptionTicket ticket;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(ticket, store::LoadTicket(s, request.ticket_id()));
    return absl::OkStatus();
  }));
  return ticket;
}

absl::StatusOr<v1::ExceptionTicket> Orchestrator::OpenException(
    const v1::OpenExceptionRequest& request) {
  FieldErrors errors;
  errors.Required(request.order_id(), "order_id");
  errors.Check(
      request.type() != v1::EXCEPTION_TYPE_UNSPECIFIED && v1::ExceptionType_IsValid(request.type()),
      "type", "is required");
  errors.Required(request.description(), "description");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::ExceptionTicket answer;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "OpenException", request.idempotency_key(), request, &answer,
      [&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(std::optional<store::VersionedWorkflow> wf,
                             store::FindWorkflow(s, request.order_id()));
        if (!wf.has_value())
          return absl::NotFoundError(absl::StrCat("no workflow for order ", request.order_id()));
        OMS_ASSIGN_OR_RETURN(
            answer,
            OpenTicket(s, request.order_id(), request.type(),
                       absl::StrCat(request.description(), " (", request.actor(), ")"), ""));
        return absl::OkStatus();
      }));
  return answer;
}

absl::StatusOr<v1::ExceptionTicket> Orchestrator::AddExceptionNote(
    const v1::AddExceptionNoteRequest& request) {
  FieldErrors errors;
  errors.Required(request.note(), "note");
  errors.Required(request.actor(), "actor");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::ExceptionTicket ticket;
  OMS_RETURN_IF_ERROR(host_->db().Transact([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(ticket, store::LoadTicket(s, request.ticket_id()));
    v1::TicketAction* note = ticket.add_history();
    note->set_actor(request.actor());
    note->set_action("note");
    note->set_detail(request.note());
    *note->mutable_at() = ToProtoTime(host_->clock().Now());
    *ticket.mutable_updated_at() = note->at();
    return store::SaveTicket(s, ticket);
  }));
  return ticket;
}

absl::StatusOr<v1::ExceptionTicket> Orchestrator::ResolveException(
    const v1::ResolveExceptionRequest& request) {
  FieldErrors errors;
  errors.Required(request.ticket_id(), "ticket_id");
  errors.Check(request.resolution() != v1::RESOLUTION_UNSPECIFIED &&
                   v1::Resolution_IsValid(request.resolution()),
               "resolution", "is required");
  errors.Required(request.actor(), "actor");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  OMS_ASSIGN_OR_RETURN(v1::ExceptionTicket ticket, GetException([&] {
                         v1::GetExceptionRequest get;
                         get.set_ticket_id(request.ticket_id());
                         return get;
                       }()));
  if (ticket.status() != v1::ExceptionTicket::OPEN) {
    if (ticket.resolution() == request.resolution()) return ticket;  // a retry: already done
    return absl::FailedPreconditionError(absl::StrCat(
        "ticket ", ticket.ticket_id(), " is ", v1::ExceptionTicket::Status_Name(ticket.status())));
  }
  OMS_ASSIGN_OR_RETURN(v1::Workflow wf, GetWorkflow([&] {
                         v1::GetWorkflowRequest get;
                         get.set_order_id(ticket.order_id());
                         return get;
                       }()));
  std::string key =
      absl::StrCat(ticket.ticket_id(), ":", v1::Resolution_Name(request.resolution()));
  std::optional<v1::WorkflowShipment> added;
  std::optional<v1::Stage> new_stage;
  std::optional<std::pair<std::string, std::string>> substituted;  // from sku, to sku
  switch (request.resolution()) {
    case v1::CANCEL_ORDER: {
      order::v1::CancelOrderRequest cancel;
      cancel.set_idempotency_key(key + ":cancel");
      cancel.set_order_id(ticket.order_id());
      cancel.set_actor(request.actor());
      cancel.set_reason(absl::StrCat("exception ", ticket.ticket_id(), ": ", request.note()));
      OMS_RETURN_IF_ERROR(CallPeer(peers_.order,
                                   &order::v1::OrderService::StubInterface::CancelOrder, cancel,
                                   options_.call_deadline)
                              .status());
      inventory::v1::ReleaseRequest release;
      release.set_idempotency_key(key + ":release");
      release.set_order_id(ticket.order_id());
      release.set_reason("order cancelled");
      absl::Status released =
          CallPeer(peers_.inventory, &inventory::v1::InventoryService::StubInterface::Release,
                   release, options_.call_deadline)
              .status();
      if (!released.ok() && released.code() != absl::StatusCode::kNotFound) return released;
      for (const v1::WorkflowShipment& s : wf.shipments()) {
        logistics::v1::CancelShipmentRequest cancel_shipment;
        cancel_shipment.set_idempotency_key(key + ":cancel:" + s.shipment_id());
        cancel_shipment.set_shipment_id(s.shipment_id());
        cancel_shipment.set_reason("order cancelled");
        absl::Status cancelled =
            CallPeer(peers_.logistics,
                     &logistics::v1::LogisticsService::StubInterface::CancelShipment,
                     cancel_shipment, options_.call_deadline)
                .status();
        if (!cancelled.ok() && cancelled.code() != absl::StatusCode::kFailedPrecondition)
          return cancelled;
      }
      new_stage = v1::CANCELLED;
      break;
    }
    case v1::RESHIP: {
      if (ticket.shipment_id().empty()) {
        return absl::FailedPreconditionError("RESHIP needs a ticket about a shipment");
      }
      logistics::v1::ReshipRequest reship;
      reship.set_idempotency_key(key + ":reship");
      reship.set_shipment_id(ticket.shipment_id());
      reship.set_reason(absl::StrCat("exception ", ticket.ticket_id()));
      OMS_ASSIGN_OR_RETURN(
          logistics::v1::ReshipResponse reshipped,
          CallPeer(peers_.logistics, &logistics::v1::LogisticsService::StubInterface::Reship,
                   reship, options_.call_deadline));
      // The replacement needs stock of its own: reserve it under a separate allocation.
      inventory::v1::AllocateRequest allocate;
      int reships = 1;
      for (const v1::WorkflowShipment& s : wf.shipments()) reships += s.replaced() ? 1 : 0;
      std::string allocation_id = absl::StrCat(ticket.order_id(), "/reship", reships);
      allocate.set_idempotency_key(key + ":allocate");
      allocate.set_order_id(allocation_id);
      allocate.set_region(wf.region());
      allocate.set_policy(inventory::v1::SHIP_COMPLETE);
      for (const auto& line : reshipped.reshipment().lines()) {
        inventory::v1::AllocationLine* l = allocate.add_lines();
        l->set_sku(line.sku());
        l->set_quantity(line.quantity());
      }
      OMS_RETURN_IF_ERROR(CallPeer(peers_.inventory,
                                   &inventory::v1::InventoryService::StubInterface::Allocate,
                                   allocate, options_.call_deadline)
                              .status());
      v1::WorkflowShipment replacement;
      replacement.set_shipment_id(reshipped.reshipment().shipment_id());
      replacement.set_warehouse_id(reshipped.reshipment().warehouse_id());
      replacement.set_state(logistics::v1::ShipmentState_Name(reshipped.reshipment().state()));
      replacement.set_allocation_id(allocation_id);
      added = replacement;
      new_stage = v1::IN_TRANSIT;
      break;
    }
    case v1::SUBSTITUTE: {
      const std::string& from = request.substitute_from_sku();
      const std::string& to = request.substitute_to_sku();
      if (from.empty() || to.empty()) {
        return absl::InvalidArgumentError(
            "substitute_from_sku, substitute_to_sku: both are required for SUBSTITUTE");
      }
      if (!wf.shipments().empty()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "order ", wf.order_id(), " has shipped: a line can no longer be substituted"));
      }
      int64_t quantity = 0;
      for (const v1::WorkflowLine& line : wf.lines())
        quantity += line.sku() == from ? line.quantity() : 0;
      if (quantity == 0) {
        return absl::NotFoundError(absl::StrCat("order ", wf.order_id(), " has no line ", from));
      }
      order::v1::SubstituteLineRequest substitute;
      substitute.set_idempotency_key(key + ":order");
      substitute.set_order_id(wf.order_id());
      substitute.set_from_sku(from);
      substitute.set_to_sku(to);
      substitute.set_actor(request.actor());
      substitute.set_reason(request.note());
      OMS_RETURN_IF_ERROR(CallPeer(peers_.order,
                                   &order::v1::OrderService::StubInterface::SubstituteLine,
                                   substitute, options_.call_deadline)
                              .status());
      if (wf.allocation_requested()) {
        inventory::v1::AmendAllocationRequest amend;
        amend.set_idempotency_key(key + ":amend");
        amend.set_order_id(wf.order_id());
        inventory::v1::AllocationLine* release = amend.add_release();
        release->set_sku(from);
        release->set_quantity(quantity);
        inventory::v1::AllocationLine* add = amend.add_add();
        add->set_sku(to);
        add->set_quantity(quantity);
        OMS_RETURN_IF_ERROR(
            CallPeer(peers_.inventory,
                     &inventory::v1::InventoryService::StubInterface::AmendAllocation, amend,
                     options_.call_deadline)
                .status());
      }
      substituted = std::make_pair(from, to);
      new_stage = v1::ALLOCATING;
      break;
    }
    case v1::REFUND: {
      order::v1::GetOrderRequest get;
      get.set_order_id(wf.order_id());
      OMS_ASSIGN_OR_RETURN(order::v1::Order order,
                           CallPeer(peers_.order, &order::v1::OrderService::StubInterface::GetOrder,
                                    get, options_.call_deadline));
      if (order.payment().status() == order::v1::Payment::PAID) {
        order::v1::RecordPaymentRequest refund;
        refund.set_idempotency_key(key + ":refund");
        refund.set_order_id(wf.order_id());
        refund.set_status(order::v1::Payment::REFUNDED);
        *refund.mutable_amount() = order.payment().amount();
        refund.set_reference(ticket.ticket_id());
        refund.set_actor(request.actor());
        OMS_RETURN_IF_ERROR(CallPeer(peers_.order,
                                     &order::v1::OrderService::StubInterface::RecordPayment, refund,
                                     options_.call_deadline)
                                .status());
      }
      inventory::v1::ReleaseRequest release;
      release.set_idempotency_key(key + ":release");
      release.set_order_id(wf.order_id());
      release.set_reason("refunded");
      absl::Status released =
          CallPeer(peers_.inventory, &inventory::v1::InventoryService::StubInterface::Release,
                   release, options_.call_deadline)
              .status();
      if (!released.ok() && released.code() != absl::StatusCode::kNotFound) return released;
      if (wf.shipments().empty()) {  // nothing left the warehouse: the order ends here
        order::v1::CancelOrderRequest cancel;
        cancel.set_idempotency_key(key + ":cancel");
        cancel.set_order_id(wf.order_id());
        cancel.set_actor(request.actor());
        cancel.set_reason(absl::StrCat("refunded (exception ", ticket.ticket_id(), ")"));
        OMS_RETURN_IF_ERROR(CallPeer(peers_.order,
                                     &order::v1::OrderService::StubInterface::CancelOrder, cancel,
                                     options_.call_deadline)
                                .status());
        new_stage = v1::CANCELLED;
      }
      break;
    }
    default:
      break;  // WAIT_FOR_STOCK, CONTACT_CUSTOMER, NO_ACTION: recorded only
  }
  OMS_RETURN_IF_ERROR(host_->db().Transact([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(ticket, store::LoadTicket(s, request.ticket_id()));
    if (ticket.status() != v1::ExceptionTicket::OPEN) return absl::OkStatus();  // raced: done
    absl::Time now = host_->clock().Now();
    ticket.set_status(v1::ExceptionTicket::RESOLVED);
    ticket.set_resolution(request.resolution());
    v1::TicketAction* resolved = ticket.add_history();
    resolved->set_actor(request.actor());
    resolved->set_action(absl::StrCat("resolved: ", v1::Resolution_Name(request.resolution())));
    resolved->set_detail(request.note());
    *resolved->mutable_at() = ToProtoTime(now);
    *ticket.mutable_updated_at() = resolved->at();
    OMS_RETURN_IF_ERROR(store::SaveTicket(s, ticket));
    v1::ExceptionResolved event;
    *event.mutable_ticket() = ticket;
    OMS_RETURN_IF_ERROR(host_->outbox().Append(s, ticket.order_id(), event).status());
    OMS_ASSIGN_OR_RETURN(std::optional<store::VersionedWorkflow> v,
                         store::FindWorkflow(s, ticket.order_id()));
    if (!v.has_value() || (!added.has_value() && !new_stage.has_value())) return absl::OkStatus();
    v1::Stage before = v->workflow.stage();
    if (substituted.has_value()) {
      for (v1::WorkflowLine& line : *v->workflow.mutable_lines()) {
        if (line.sku() == substituted->first) line.set_sku(substituted->second);
      }
      *v->workflow.mutable_stage_deadline() = ToProtoTime(now + options_.processing_timeout);
    }
    if (added.has_value()) {
      for (v1::WorkflowShipment& sh : *v->workflow.mutable_shipments()) {
        if (sh.shipment_id() == ticket.shipment_id()) sh.set_replaced(true);
      }
      *v->workflow.add_shipments() = *added;
    }
    if (new_stage.has_value()) v->workflow.set_stage(*new_stage);
    *v->workflow.mutable_next_run_at() = ToProtoTime(*new_stage == v1::CANCELLED ? kParked : now);
    *v->workflow.mutable_updated_at() = ToProtoTime(now);
    return SaveWorkflow(s, *v, before);
  }));
  return ticket;
}

absl::StatusOr<v1::ExceptionTicket> Orchestrator::CloseException(
    const v1::CloseExceptionRequest& request) {
  v1::ExceptionTicket ticket;
  OMS_RETURN_IF_ERROR(host_->db().Transact([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(ticket, store::LoadTicket(s, request.ticket_id()));
    if (ticket.status() == v1::ExceptionTicket::CLOSED) return absl::OkStatus();
    if (ticket.status() != v1::ExceptionTicket::RESOLVED) {
      return absl::FailedPreconditionError(
          absl::StrCat("ticket ", ticket.ticket_id(), " must be RESOLVED before it is closed"));
    }
    ticket.set_status(v1::ExceptionTicket::CLOSED);
    v1::TicketAction* closed = ticket.add_history();
    closed->set_actor(request.actor().empty() ? "system" : request.actor());
    closed->set_action("closed");
    *closed->mutable_at() = ToProtoTime(host_->clock().Now());
    *ticket.mutable_updated_at() = closed->at();
    return store::SaveTicket(s, ticket);
  }));
  return ticket;
}

}  // namespace oms::orchestrator
