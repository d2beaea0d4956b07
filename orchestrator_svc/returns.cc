#include "orchestrator_svc/returns.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "orchestrator_svc/orchestrator_store.h"
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

absl::StatusOr<v1::ReturnRecord> Returns::Request(const v1::RequestReturnRequest& request) {
  FieldErrors errors;
  errors.Required(request.order_id(), "order_id");
  errors.Check(!request.lines().empty(), "lines", "at least one line is required");
  for (int i = 0; i < request.lines_size(); ++i) {
    errors.Required(request.lines(i).sku(), IndexedField("lines", i, "sku"));
    errors.Check(request.lines(i).quantity() > 0, IndexedField("lines", i, "quantity"),
                 "must be > 0");
  }
  errors.Required(request.reason(), "reason");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  OMS_ASSIGN_OR_RETURN(order::v1::Order order, context_->peers().order->Get(request.order_id()));
  for (const v1::ReturnLine& line : request.lines()) {
    int64_t bought = 0;
    for (const auto& l : order.lines()) bought += l.sku() == line.sku() ? l.quantity() : 0;
    if (line.quantity() > bought) {
      return absl::InvalidArgumentError(absl::StrCat("lines: ", line.sku(), " x", line.quantity(),
                                                     " is more than the order has (", bought, ")"));
    }
  }
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

absl::StatusOr<v1::ReturnRecord> Returns::Receive(const v1::ReceiveReturnRequest& request) {
  FieldErrors errors;
  errors.Required(request.return_id(), "return_id");
  errors.Required(request.warehouse_id(), "warehouse_id");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  OMS_ASSIGN_OR_RETURN(v1::ReturnRecord record, Load(request.return_id()));
  if (record.status() != v1::ReturnRecord::REQUESTED) return record;  // already received
  const auto& received = request.lines().empty() ? record.lines() : request.lines();
  for (const v1::ReturnLine& line : received) {
    if (line.damaged()) continue;  // never re-entered stock: nothing to adjust
    inventory::v1::AdjustStockRequest restock;
    restock.set_idempotency_key(absl::StrCat(record.return_id(), ":restock:", line.sku()));
    restock.set_sku(line.sku());
    restock.set_warehouse_id(request.warehouse_id());
    restock.set_delta(line.quantity());
    restock.set_reason(inventory::v1::RETURN);
    restock.set_actor("orchestrator");
    restock.set_note(record.return_id());
    OMS_RETURN_IF_ERROR(context_->peers().inventory->Restock(restock));
  }
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
  OMS_ASSIGN_OR_RETURN(v1::ReturnRecord record, Load(request.return_id()));
  if (record.status() == v1::ReturnRecord::REFUNDED) return record;
  if (record.status() != v1::ReturnRecord::RECEIVED) {
    return absl::FailedPreconditionError(
        absl::StrCat("return ", record.return_id(), " must be received before it is refunded"));
  }
  OMS_ASSIGN_OR_RETURN(order::v1::Order order, context_->peers().order->Get(record.order_id()));
  // The returned lines at the price paid (tax included pro rata is left to finance).
  int64_t refund = 0;
  for (const v1::ReturnLine& line : record.lines()) {
    for (const auto& l : order.lines()) {
      if (l.sku() == line.sku()) refund += l.unit_price().minor_units() * line.quantity();
    }
  }
  refund = std::min(refund, order.payment().amount().minor_units());
  order::v1::RecordPaymentRequest pay;
  pay.set_idempotency_key(record.return_id() + ":refund");
  pay.set_order_id(record.order_id());
  pay.set_status(order::v1::Payment::REFUNDED);
  pay.mutable_amount()->set_currency_code(order.currency_code());
  pay.mutable_amount()->set_minor_units(refund);
  pay.set_reference(record.return_id());
  pay.set_actor("orchestrator");
  OMS_RETURN_IF_ERROR(context_->peers().order->RecordPayment(pay).status());
  OMS_RETURN_IF_ERROR(MoveOrder(record.return_id() + ":refunded", record.order_id(),
                                order::v1::REFUNDED, "return refunded"));
  record.set_status(v1::ReturnRecord::REFUNDED);
  *record.mutable_refund() = pay.amount();
  *record.mutable_updated_at() = ToProtoTime(context_->Now());
  OMS_RETURN_IF_ERROR(
      context_->host().db().Transact([&](Session& s) { return store::SaveReturn(s, record); }));
  return record;
}

}  // namespace oms::orchestrator
