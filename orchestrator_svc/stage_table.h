// The workflow as data: per stage, the order status it implies, its deadline and wake-up,
// the commands and events it accepts, what undoing it means and where it may go next. The
// engine, the commands and the event handlers read this table; docs/ORDER_LIFECYCLE.md is
// generated from it (RenderLifecycleTable, RenderStateDiagram) and a test keeps them equal.
#ifndef OMS_ORCHESTRATOR_SVC_STAGE_TABLE_H_
#define OMS_ORCHESTRATOR_SVC_STAGE_TABLE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "oms/orchestrator/v1/orchestrator.pb.h"
#include "oms/order/v1/order.pb.h"

namespace oms::orchestrator {

// What a person (or a resolution) can ask of a workflow.
enum class Command { kApprove, kReject, kCancel, kHold, kRelease, kAmend, kRetry };

// What another service can tell it (through its event feed).
enum class Happening {
  kPaymentRecorded,
  kBackorderFilled,
  kParcelMoved,  // a shipment's state changed (pickup, transit, delivery, failure, cancel)
  kParcelLate,
  kParcelLost,
  kOrderChanged,    // OrderUpdated: the order was edited (by AmendOrder or directly)
  kOrderCancelled,  // the order was cancelled in order_svc
};

// Which of the orchestrator's time limits a stage runs against.
enum class Deadline { kNone, kReview, kPayment, kProcessing, kStockShortage, kPickup };

// When a stage's step runs once it is entered.
enum class Wake {
  kNow,         // at once: it has work to do on entry (it rests itself when done)
  kAtDeadline,  // at its deadline (or when an event wakes it)
  kParked,      // only when an event or a person wakes it
};

// What a step of this stage that failed for good undoes before the workflow stops (so a
// stopped order holds nothing); cancelling undoes everything anyway (CANCELLING).
enum class Undo {
  kNothing,
  kReleaseStock,                 // reservations and backorder queue places
  kCancelLabelsAndReleaseStock,  // and the labels not yet picked up
  kTooLate,                      // the carrier has the goods: a return, not a cancel
};

struct StageSpec {
  v1::Stage stage;
  // The order status while here; UNSPECIFIED: the stage keeps whatever status the order has
  // (CANCELLING). IN_TRANSIT implies PARTIALLY_SHIPPED until every parcel is picked up.
  order::v1::OrderStatus status;
  // Other statuses the order may show while here without being moved (ALLOCATING again
  // after an amendment: the order is still ALLOCATED).
  std::vector<order::v1::OrderStatus> also_fine;
  Deadline deadline;
  Wake wake;
  v1::ExceptionType overdue_ticket;  // opened when the deadline passes; UNSPECIFIED: none
  std::vector<Command> commands;
  std::vector<Happening> happenings;  // events that wake the stage (others are only recorded)
  Undo undo;
  std::vector<v1::Stage> next;
  const char* meaning;
};

// Every stage, in lifecycle order.
const std::vector<StageSpec>& StageTable();
const StageSpec& SpecOf(v1::Stage stage);

bool Accepts(v1::Stage stage, Command command);
bool WakesOn(v1::Stage stage, Happening happening);
// Final: nothing moves the workflow any more.
bool IsFinal(v1::Stage stage);

// OK, or FAILED_PRECONDITION naming the order, its stage and the commands the stage takes.
absl::Status CheckAccepts(const v1::Workflow& workflow, Command command);

const char* CommandName(Command command);
const char* HappeningName(Happening happening);

// docs/ORDER_LIFECYCLE.md's generated parts: the stage table and a Mermaid state diagram.
std::string RenderLifecycleTable();
std::string RenderStateDiagram();

}  // namespace oms::orchestrator

#endif  // OMS_ORCHESTRATOR_SVC_STAGE_TABLE_H_
