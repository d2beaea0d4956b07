#include "orchestrator_svc/stage_table.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace oms::orchestrator {
namespace {

using C = Command;
using H = Happening;
namespace o = order::v1;

// Commands every stage before pickup takes (retry: run a stopped step again).
const std::vector<Command> kBeforePickup = {C::kCancel, C::kHold, C::kAmend, C::kRetry};

std::vector<Command> With(std::vector<Command> base, std::initializer_list<Command> more) {
  base.insert(base.end(), more);
  return base;
}

// One row per stage, in the columns of StageSpec: kept as a table for reading across.
// clang-format off
const std::vector<StageSpec>& Table() {
  static const auto* table = new std::vector<StageSpec>{
      {v1::RECEIVED, o::RECEIVED, {}, Deadline::kNone, Wake::kNow, v1::EXCEPTION_TYPE_UNSPECIFIED,
       kBeforePickup, {H::kOrderCancelled}, Undo::kNothing,
       {v1::PENDING_REVIEW, v1::AWAITING_PAYMENT, v1::ALLOCATING, v1::REJECTED},
       "created; the automatic review rules run"},
      {v1::PENDING_REVIEW, o::PENDING_REVIEW, {}, Deadline::kReview, Wake::kAtDeadline,
       v1::PROCESSING_TIMEOUT, With(kBeforePickup, {C::kApprove, C::kReject}),
       {H::kOrderCancelled}, Undo::kNothing,
       {v1::AWAITING_PAYMENT, v1::ALLOCATING, v1::REJECTED},
       "a rule asked for a person: waiting in the review queue"},
      {v1::AWAITING_PAYMENT, o::APPROVED, {}, Deadline::kPayment, Wake::kAtDeadline,
       v1::PAYMENT_TIMEOUT, kBeforePickup, {H::kPaymentRecorded, H::kOrderCancelled},
       Undo::kNothing, {v1::ALLOCATING},
       "PREPAID and not paid yet: nothing is reserved until it is (unpaid at the deadline: "
       "cancelled, unless the PAYMENT_TIMEOUT rule says otherwise)"},
      {v1::ALLOCATING, o::APPROVED, {o::ALLOCATED, o::BACKORDERED}, Deadline::kProcessing,
       Wake::kNow, v1::PROCESSING_TIMEOUT, kBeforePickup, {H::kOrderCancelled},
       Undo::kReleaseStock, {v1::SHIPPING, v1::BACKORDERED},
       "reserving stock (or changing the reservation after an amendment)"},
      {v1::BACKORDERED, o::BACKORDERED, {}, Deadline::kStockShortage, Wake::kAtDeadline,
       v1::STOCK_SHORTAGE, kBeforePickup, {H::kBackorderFilled, H::kOrderCancelled},
       Undo::kReleaseStock, {v1::ALLOCATING},
       "part of it waits in the backorder queue; a receipt serves the queue in order"},
      {v1::SHIPPING, o::ALLOCATED, {}, Deadline::kProcessing, Wake::kNow, v1::PROCESSING_TIMEOUT,
       kBeforePickup, {H::kOrderCancelled}, Undo::kCancelLabelsAndReleaseStock,
       {v1::AWAITING_PICKUP},
       "stock reserved: a label (shipment) per warehouse is being made"},
      {v1::AWAITING_PICKUP, o::ALLOCATED, {}, Deadline::kPickup, Wake::kAtDeadline,
       v1::PROCESSING_TIMEOUT, kBeforePickup, {H::kParcelMoved, H::kOrderCancelled},
       Undo::kCancelLabelsAndReleaseStock, {v1::IN_TRANSIT, v1::SHIPPING, v1::ALLOCATING},
       "labels made; still cancellable and changeable until the carrier picks a parcel up"},
      {v1::IN_TRANSIT, o::SHIPPED, {o::PARTIALLY_SHIPPED}, Deadline::kNone, Wake::kNow,
       v1::EXCEPTION_TYPE_UNSPECIFIED, {C::kRetry},
       {H::kParcelMoved, H::kParcelLate, H::kParcelLost}, Undo::kTooLate, {v1::DELIVERED},
       "the carrier has it (SHIPPED; PARTIALLY_SHIPPED while a parcel waits): following "
       "tracking to delivery"},
      {v1::DELIVERED, o::DELIVERED, {}, Deadline::kNone, Wake::kNow,
       v1::EXCEPTION_TYPE_UNSPECIFIED, {C::kRetry}, {H::kPaymentRecorded}, Undo::kTooLate,
       {v1::COMPLETED},
       "every parcel delivered; completes once paid (COD: paid on delivery; refunded since "
       "counts as paid)"},
      {v1::COMPLETED, o::COMPLETED, {}, Deadline::kNone, Wake::kParked,
       v1::EXCEPTION_TYPE_UNSPECIFIED, {}, {}, Undo::kTooLate, {},
       "delivered and paid; returns are RequestReturn"},
      {v1::ON_HOLD, o::ON_HOLD, {}, Deadline::kNone, Wake::kParked,
       v1::EXCEPTION_TYPE_UNSPECIFIED,
       {C::kRelease, C::kHold, C::kCancel, C::kAmend, C::kRetry}, {H::kOrderCancelled},
       Undo::kNothing, {},
       "held by a person (any stage before pickup); events are recorded, nothing moves until "
       "ReleaseHold"},
      {v1::CANCELLING, o::ORDER_STATUS_UNSPECIFIED, {}, Deadline::kNone, Wake::kNow,
       v1::EXCEPTION_TYPE_UNSPECIFIED, {C::kCancel, C::kRetry}, {}, Undo::kNothing,
       {v1::CANCELLED, v1::IN_TRANSIT},
       "cancel accepted: labels cancelled, stock released, payment refunded, then CANCELLED "
       "(IN_TRANSIT with a LATE_CHANGE ticket if the carrier took a parcel first)"},
      {v1::CANCELLED, o::CANCELLED, {}, Deadline::kNone, Wake::kParked,
       v1::EXCEPTION_TYPE_UNSPECIFIED, {C::kCancel}, {}, Undo::kNothing, {},
       "cancelled: holds no stock, no queue place and no live label"},
      {v1::REJECTED, o::REJECTED, {}, Deadline::kNone, Wake::kParked,
       v1::EXCEPTION_TYPE_UNSPECIFIED, {}, {}, Undo::kNothing, {},
       "refused by a review rule or a reviewer"},
  };
  return *table;
}
// clang-format on

template <typename T>
bool Contains(const std::vector<T>& list, T value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

const char* DeadlineName(Deadline d) {
  switch (d) {
    case Deadline::kReview:
      return "--review_sla";
    case Deadline::kPayment:
      return "--payment_timeout";
    case Deadline::kProcessing:
      return "--processing_timeout";
    case Deadline::kStockShortage:
      return "--stock_shortage_after";
    case Deadline::kPickup:
      return "--pickup_timeout";
    default:
      return "";
  }
}

const char* UndoName(Undo u) {
  switch (u) {
    case Undo::kReleaseStock:
      return "release stock";
    case Undo::kCancelLabelsAndReleaseStock:
      return "cancel labels, release stock";
    case Undo::kTooLate:
      return "too late (return)";
    default:
      return "nothing";
  }
}

}  // namespace

const std::vector<StageSpec>& StageTable() { return Table(); }

const StageSpec& SpecOf(v1::Stage stage) {
  for (const StageSpec& spec : Table()) {
    if (spec.stage == stage) return spec;
  }
  static const StageSpec* unknown = new StageSpec{v1::STAGE_UNSPECIFIED,
                                                  o::ORDER_STATUS_UNSPECIFIED,
                                                  {},
                                                  Deadline::kNone,
                                                  Wake::kParked,
                                                  v1::EXCEPTION_TYPE_UNSPECIFIED,
                                                  {},
                                                  {},
                                                  Undo::kNothing,
                                                  {},
                                                  "unknown"};
  return *unknown;
}

bool Accepts(v1::Stage stage, Command command) { return Contains(SpecOf(stage).commands, command); }

bool WakesOn(v1::Stage stage, Happening happening) {
  return Contains(SpecOf(stage).happenings, happening);
}

bool IsFinal(v1::Stage stage) {
  return stage == v1::COMPLETED || stage == v1::CANCELLED || stage == v1::REJECTED;
}

const char* CommandName(Command command) {
  switch (command) {
    case C::kApprove:
      return "approve";
    case C::kReject:
      return "reject";
    case C::kCancel:
      return "cancel";
    case C::kHold:
      return "hold";
    case C::kRelease:
      return "release";
    case C::kAmend:
      return "amend";
    case C::kRetry:
      return "retry";
  }
  return "?";
}

const char* HappeningName(Happening happening) {
  switch (happening) {
    case H::kPaymentRecorded:
      return "PaymentRecorded";
    case H::kBackorderFilled:
      return "BackorderAllocated";
    case H::kParcelMoved:
      return "ShipmentStatusChanged";
    case H::kParcelLate:
      return "ShipmentDelayed";
    case H::kParcelLost:
      return "ShipmentLost";
    case H::kOrderChanged:
      return "OrderUpdated";
    case H::kOrderCancelled:
      return "OrderCancelled";
  }
  return "?";
}

absl::Status CheckAccepts(const v1::Workflow& workflow, Command command) {
  if (Accepts(workflow.stage(), command)) return absl::OkStatus();
  const StageSpec& spec = SpecOf(workflow.stage());
  std::string accepted = absl::StrJoin(
      spec.commands, ", ", [](std::string* out, Command c) { out->append(CommandName(c)); });
  std::string hint;
  if (command == C::kCancel && spec.undo == Undo::kTooLate) {
    hint = ": the carrier has the goods; request a return (RequestReturn) instead";
  } else if (spec.undo == Undo::kTooLate) {
    hint = ": the carrier has the goods";
  }
  return absl::FailedPreconditionError(
      absl::StrCat("order ", workflow.order_id(), " is at stage ", v1::Stage_Name(workflow.stage()),
                   ", which does not take ", CommandName(command),
                   " (it takes: ", accepted.empty() ? "nothing" : accepted, ")", hint));
}

std::string RenderLifecycleTable() {
  std::string out =
      "| stage | order status | deadline (ticket) | woken by | commands | a failed step undoes | "
      "meaning |\n"
      "|---|---|---|---|---|---|---|\n";
  for (const StageSpec& spec : Table()) {
    std::string status = spec.status == o::ORDER_STATUS_UNSPECIFIED
                             ? "(unchanged)"
                             : o::OrderStatus_Name(spec.status);
    for (o::OrderStatus also : spec.also_fine)
      absl::StrAppend(&status, ", ", o::OrderStatus_Name(also));
    std::string woken = absl::StrJoin(
        spec.happenings, ", ", [](std::string* s, Happening h) { s->append(HappeningName(h)); });
    std::string commands = absl::StrJoin(
        spec.commands, ", ", [](std::string* s, Command c) { s->append(CommandName(c)); });
    absl::StrAppend(
        &out, "| ", v1::Stage_Name(spec.stage), " | ", status, " | ", DeadlineName(spec.deadline),
        spec.overdue_ticket == v1::EXCEPTION_TYPE_UNSPECIFIED
            ? ""
            : absl::StrCat(" (", v1::ExceptionType_Name(spec.overdue_ticket), ")"),
        " | ", woken, " | ", commands, " | ", UndoName(spec.undo), " | ", spec.meaning, " |\n");
  }
  return out;
}

std::string RenderStateDiagram() {
  std::string out = "stateDiagram-v2\n    [*] --> RECEIVED\n";
  for (const StageSpec& spec : Table()) {
    std::string from = v1::Stage_Name(spec.stage);
    for (v1::Stage next : spec.next)
      absl::StrAppend(&out, "    ", from, " --> ", v1::Stage_Name(next), "\n");
    if (Accepts(spec.stage, C::kHold) && spec.stage != v1::ON_HOLD) {
      absl::StrAppend(&out, "    ", from, " --> ON_HOLD: hold\n");
      absl::StrAppend(&out, "    ON_HOLD --> ", from, ": release\n");
    }
    if (Accepts(spec.stage, C::kCancel) && spec.stage != v1::CANCELLING &&
        spec.stage != v1::CANCELLED) {
      absl::StrAppend(&out, "    ", from, " --> CANCELLING: cancel\n");
    }
    if (IsFinal(spec.stage)) absl::StrAppend(&out, "    ", from, " --> [*]\n");
  }
  return out;
}

}  // namespace oms::orchestrator
