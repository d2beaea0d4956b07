#include "orchestrator_svc/returns.h"

#include <algorithm>

#include "absl/container/btree_map.h"
#include "absl/strings/str_cat.h"
#include "orchestrator_svc/orchestrator_store.h"
#include "orchestrator_svc/return_refund.h"
#include "orchestrator_svc/workflow_state.h"
#include "order_svc/payment_ledger.h"
#include "platform/base/money.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"
#include "platform/storage/proto_rows.h"

namespace oms::orchestrator {

absl::Status Returns::MoveOrder(const std::string& key, const std::string& order_id,
                                order::v1::OrderStatus to, const std::string& reason) {
  StatusChange change{key, order_id, to, "orchestrator", reason};
  return context_->peers().order->MoveTo(change).status();
}

absl::StatusOr<v1::ReturnRecord> Returns::Load(const std::string& return_id) {
  v1::ReturnRecord record;
  OMS_RETURN_IF_ERROR(context_->host().db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(record, store::LoadReturn(s, return_id));
    return absl::OkStatus();
  }));
  return record;
}

absl::Status Returns::CheckDelivered(const order::v1::Order& order) {
  const std::vector<order::v1::OrderStatus>& returning = ReturnStatuses();
  if (order.status() == order::v1::DELIVERED || order.status() == order::v1::COMPLETED ||
      // a retry: answered with the return as it stands
      std::find(returning.begin(), returning.end(), order.status()) != returning.end()) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "order ", order.order_id(), " is ", order::v1::OrderStatus_Name(order.status()),
      ": a return can be requested once its goods are delivered (until the carrier picks "
      "it up, cancel it instead: OrchestratorService/CancelOrder)"));
}

absl::StatusOr<v1::ReturnRecord> Returns::Request(const v1::RequestReturnRequest& request) {
  FieldErrors errors;
  errors.Required(request.reason(), "reason");
  if (!errors.Required(request.order_id(), "order_id")) return errors.ToStatus();
  OMS_ASSIGN_OR_RETURN(order::v1::Order order, context_->peers().order->Get(request.order_id()));
  CheckReturnLines(order, request.lines(), "lines", errors);
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  OMS_RETURN_IF_ERROR(CheckDelivered(order));
  std::string return_id = absl::StrCat(request.order_id(), "/return");
  OMS_RETURN_IF_ERROR(MoveOrder(return_id + ":requested", request.order_id(),
                                order::v1::RETURN_REQUESTED, request.reason()));
  v1::ReturnRecord record;
  record.set_return_id(return_id);
  record.set_order_id(request.order_id());
  *record.mutable_lines() = request.lines();
  record.set_reason(request.reason());
  record.set_status(v1::ReturnRecord::REQUESTED);
  *record.mutable_requested_at() = ToProtoTime(context_->Now());
  *record.mutable_updated_at() = record.requested_at();
  OMS_RETURN_IF_ERROR(context_->host().db().Transact([&](Session& s) -> absl::Status {
    absl::StatusOr<v1::ReturnRecord> existing = store::LoadReturn(s, return_id);
    if (existing.ok()) {
      record = *existing;  // a retry: the return exists already
      return absl::OkStatus();
    }
    return store::SaveReturn(s, record);
  }));
  return record;
}

absl::Status Returns::Restock(const v1::ReturnRecord& record, const std::string& warehouse_id,
                              const ReturnLines& received) {
  // One adjustment per sku: its undamaged units summed over the lines it is on (one key per
  // sku, so two lines of it must not be two adjustments under one key).
  absl::btree_map<std::string, int64_t> restock;
  for (const v1::ReturnLine& line : received) {
    if (!line.damaged()) restock[line.sku()] += line.quantity();  // damaged: not re-entered
  }
  for (const auto& [sku, units] : restock) {
    inventory::v1::AdjustStockRequest adjust;
    adjust.set_idempotency_key(absl::StrCat(record.return_id(), ":restock:", sku));
    adjust.set_sku(sku);
    adjust.set_warehouse_id(warehouse_id);
    adjust.set_delta(units);
    adjust.set_reason(inventory::v1::RETURN);
    adjust.set_actor("orchestrator");
    adjust.set_note(record.return_id());
    OMS_RETURN_IF_ERROR(context_->peers().inventory->Restock(adjust));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::ReturnRecord> Returns::Receive(const v1::ReceiveReturnRequest& request) {
  FieldErrors errors;
  errors.Required(request.warehouse_id(), "warehouse_id");
  if (!errors.Required(request.return_id(), "return_id")) return errors.ToStatus();
  OMS_ASSIGN_OR_RETURN(v1::ReturnRecord record, Load(request.return_id()));
  if (record.status() != v1::ReturnRecord::REQUESTED) return record;  // already received
  const ReturnLines& received = request.lines().empty() ? record.lines() : request.lines();
  if (!request.lines().empty()) {
    // What arrived may differ from what was asked for, but never from what was bought.
    OMS_ASSIGN_OR_RETURN(order::v1::Order order, context_->peers().order->Get(record.order_id()));
    CheckReturnLines(order, received, "lines", errors);
  }
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  OMS_RETURN_IF_ERROR(Restock(record, request.warehouse_id(), received));
  OMS_RETURN_IF_ERROR(MoveOrder(record.return_id() + ":returned", record.order_id(),
                                order::v1::RETURNED, "return received"));
  *record.mutable_lines() = received;
  record.set_status(v1::ReturnRecord::RECEIVED);
  record.set_warehouse_id(request.warehouse_id());
  *record.mutable_updated_at() = ToProtoTime(context_->Now());
  OMS_RETURN_IF_ERROR(context_->host().db().Transact([&](Session& s) -> absl::Status {
    OMS_RETURN_IF_ERROR(store::SaveReturn(s, record));
    v1::ReturnReceived event;
    *event.mutable_record() = record;
    return context_->host().outbox().Append(s, record.order_id(), event).status();
  }));
  return record;
}

absl::StatusOr<v1::ReturnRecord> Returns::Refund(const v1::RefundReturnRequest& request) {
  FieldErrors errors;
  if (!errors.Required(request.return_id(), "return_id")) return errors.ToStatus();
  OMS_ASSIGN_OR_RETURN(v1::ReturnRecord record, Load(request.return_id()));
  if (record.status() == v1::ReturnRecord::REFUNDED) return record;
  if (record.status() != v1::ReturnRecord::RECEIVED) {
    return absl::FailedPreconditionError(
        absl::StrCat("return ", record.return_id(), " must be received before it is refunded"));
  }
  OMS_ASSIGN_OR_RETURN(order::v1::Order order, context_->peers().order->Get(record.order_id()));
  if (order.payment().status() == order::v1::Payment::UNPAID) {
    return absl::FailedPreconditionError(absl::StrCat(
        "order ", order.order_id(), " was never paid (",
        order::v1::PaymentMethod_Name(order.payment_method()), "): there is nothing to refund"));
  }
  OMS_ASSIGN_OR_RETURN(ReturnRefund owed, PriceReturn(order, record.lines()));
  const int64_t owed_total = owed.goods.minor_units() + owed.tax.minor_units();
  order::v1::RecordPaymentRequest pay;
  pay.set_idempotency_key(record.return_id() + ":refund");
  pay.set_order_id(record.order_id());
  pay.set_status(order::v1::Payment::REFUNDED);
  pay.mutable_amount()->set_currency_code(order.currency_code());
  pay.set_reference(record.return_id());
  pay.set_actor("orchestrator");
  if (std::optional<order::v1::Refund> done =
          order::FindRefund(order.payment(), record.return_id())) {
    *pay.mutable_amount() = done->amount();  // refunded before a crash: only the rest is left
  } else {
    // Never more than is left of the payment: a goodwill refund may have taken part of it.
    pay.mutable_amount()->set_minor_units(
        std::min(owed_total, order::RefundableMinor(order.payment())));
    // Free goods, or a payment refunded in full already, owe nothing: no refund of zero.
    if (pay.amount().minor_units() > 0) {
      OMS_RETURN_IF_ERROR(context_->peers().order->RecordPayment(pay).status());
    }
  }
  // A refund capped by what was left of the payment carries its share of the tax.
  Money tax = owed.tax;
  if (pay.amount().minor_units() < owed_total) {
    OMS_ASSIGN_OR_RETURN(tax, owed.tax.Share(pay.amount().minor_units(), owed_total));
  }
  OMS_RETURN_IF_ERROR(MoveOrder(record.return_id() + ":refunded", record.order_id(),
                                order::v1::REFUNDED, "return refunded"));
  record.set_status(v1::ReturnRecord::REFUNDED);
  *record.mutable_refund() = pay.amount();
  *record.mutable_refund_tax() = tax.ToProto();
  *record.mutable_updated_at() = ToProtoTime(context_->Now());
  OMS_RETURN_IF_ERROR(
      context_->host().db().Transact([&](Session& s) { return store::SaveReturn(s, record); }));
  return record;
}

}  // namespace oms::orchestrator
