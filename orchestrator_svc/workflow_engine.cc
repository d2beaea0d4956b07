#include "orchestrator_svc/workflow_engine.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "orchestrator_svc/feedback_requests.h"
#include "orchestrator_svc/workflow_state.h"
#include "platform/base/status.h"
#include "platform/storage/proto_rows.h"
#include "platform/tracing/tracer.h"

namespace oms::orchestrator {
namespace {

constexpr int kMaxStagesPerPass = 12;
constexpr int kDuePerPass = 200;

std::string OverdueText(v1::Stage stage) {
  switch (stage) {
    case v1::PENDING_REVIEW:
      return "not reviewed within the review SLA";
    case v1::AWAITING_PAYMENT:
      return "no payment before the timeout";
    case v1::BACKORDERED:
      return "still waiting for stock";
    case v1::AWAITING_PICKUP:
      return "not picked up by the carrier within the pickup SLA";
    default:
      return absl::StrCat("not past ", v1::Stage_Name(stage), " within the stage SLA");
  }
}

// Which ticket a permanent refusal opens: a parcel no carrier takes is usually the address.
v1::ExceptionType TicketTypeFor(v1::Stage stage, const absl::Status& failure) {
  if (stage == v1::SHIPPING && failure.code() == absl::StatusCode::kFailedPrecondition) {
    return v1::INVALID_CUSTOMER_INFO;
  }
  return v1::STEP_FAILED;
}

}  // namespace

absl::StatusOr<std::optional<store::VersionedWorkflow>> WorkflowEngine::Find(
    const std::string& order_id) {
  std::optional<store::VersionedWorkflow> found;
  OMS_RETURN_IF_ERROR(context_->host().db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(found, store::FindWorkflow(s, order_id));
    return absl::OkStatus();
  }));
  return found;
}

absl::Status WorkflowEngine::Save(Session& s, const store::VersionedWorkflow& v, v1::Stage before) {
  OMS_RETURN_IF_ERROR(store::SaveWorkflow(s, v));
  return Announce(s, v.workflow.order_id(), before, v.workflow.stage());
}

absl::Status WorkflowEngine::Announce(Session& s, const std::string& order_id, v1::Stage before,
                                      v1::Stage after) {
  if (after == before) return absl::OkStatus();
  if (after == v1::DELIVERED) {  // how did it go? (once: the stage is entered once)
    OMS_RETURN_IF_ERROR(RequestFeedback(s, *context_, order_id, "").status());
  }
  v1::WorkflowStageChanged event;
  event.set_order_id(order_id);
  event.set_from_stage(before);
  event.set_to_stage(after);
  return context_->host().outbox().Append(s, order_id, event).status();
}

bool WorkflowEngine::StillAt(const store::VersionedWorkflow& v) {
  absl::StatusOr<std::optional<store::StoredVersion>> stored;
  absl::Status read = context_->host().db().Read([&](Session& s) -> absl::Status {
    stored = store::WorkflowVersion(s, v.workflow.order_id());
    return stored.status();
  });
  if (!read.ok()) return false;
  if (v.version == 0) return !stored->has_value() || store::IsPlaceholder(**stored);
  return stored->has_value() && (*stored)->version == v.version;
}

absl::StatusOr<v1::Stage> WorkflowEngine::Store(Session& s, const store::VersionedWorkflow& v,
                                                v1::Stage first_before) {
  if (v.version != 0) {
    OMS_RETURN_IF_ERROR(store::SaveWorkflow(s, v));
    return first_before;
  }
  // Not stored yet: its first event starts from nothing, as the order's workflow begins.
  OMS_ASSIGN_OR_RETURN(bool inserted, store::InsertWorkflow(s, v.workflow));
  if (inserted) return v1::STAGE_UNSPECIFIED;
  OMS_ASSIGN_OR_RETURN(std::optional<store::StoredVersion> stored,
                       store::WorkflowVersion(s, v.workflow.order_id()));
  if (!stored.has_value() || !store::IsPlaceholder(*stored)) {
    return absl::AbortedError(absl::StrCat("workflow ", v.workflow.order_id(),
                                           " was stored meanwhile; the pass goes on from it"));
  }
  OMS_RETURN_IF_ERROR(store::SaveWorkflow(s, {v.workflow, stored->version}));
  return v1::RECEIVED;  // the placeholder's stage
}

absl::Status WorkflowEngine::QueueStatus(v1::Workflow& wf, Learned& learned) {
  if (!MayDeferStatus(wf)) return SyncStatus(wf, learned);
  if (FitsAfterOwed(wf)) return absl::OkStatus();
  order::v1::StatusStep* owed = wf.add_owed_statuses();
  owed->set_to_status(ImpliedStatus(wf));
  v1::CommandNote note = NoteFor(wf, owed->to_status());
  owed->set_actor(note.actor());
  owed->set_reason(note.reason());
  wf.clear_status_note();
  return absl::OkStatus();
}

absl::Status WorkflowEngine::SyncStatus(v1::Workflow& wf, Learned& learned) {
  if (wf.order_status() == order::v1::ORDER_STATUS_UNSPECIFIED) {
    // A workflow from before the status was tracked: ask once.
    OMS_ASSIGN_OR_RETURN(order::v1::Order order, context_->peers().order->Get(wf.order_id()));
    wf.set_order_status(order.status());
    learned.order = order;
  }
  const bool fits = FitsAfterOwed(wf);
  if (fits && wf.owed_statuses_size() == 0) return absl::OkStatus();
  std::vector<order::v1::StatusStep> path(wf.owed_statuses().begin(), wf.owed_statuses().end());
  if (!fits) {
    order::v1::StatusStep& own = path.emplace_back();
    own.set_to_status(ImpliedStatus(wf));
    v1::CommandNote note = NoteFor(wf, own.to_status());
    own.set_actor(note.actor());
    own.set_reason(note.reason());
  }
  StatusChange change;
  change.order_id = wf.order_id();
  change.to = path.front().to_status();
  change.actor = path.front().actor();
  change.reason = path.front().reason();
  change.further.assign(path.begin() + 1, path.end());
  change.leave = ReturnStatuses();  // a return begun since is not undone (StatusFits)
  change.idempotency_key =
      StepKey(wf.order_id(), absl::StrCat("status:", wf.status_changes(), ":",
                                          order::v1::OrderStatus_Name(change.last())));
  OMS_ASSIGN_OR_RETURN(order::v1::Order order, context_->peers().order->MoveTo(change));
  wf.set_order_status(order.status());
  wf.set_status_changes(wf.status_changes() + 1);
  wf.clear_status_note();
  wf.clear_owed_statuses();
  learned.order = order;
  return absl::OkStatus();
}

absl::Status WorkflowEngine::SettleOwedStatuses(const std::string& order_id, Learned& learned,
                                                v1::RunWorkflowsResponse& tally) {
  OMS_ASSIGN_OR_RETURN(std::optional<store::VersionedWorkflow> v, Find(order_id));
  if (!v.has_value() || v->workflow.owed_statuses_size() == 0) return absl::OkStatus();
  v1::Workflow& wf = v->workflow;
  const v1::Stage stage = wf.stage();
  if (absl::Status told = SyncStatus(wf, learned); !told.ok()) {
    Retry(wf, told, tally);  // the worker tells them with the stage's next run
  }
  *wf.mutable_updated_at() = ToProtoTime(context_->Now());
  return SavePass(*v, {StepRecord{stage, wf.stage(), StepOutcome()}}, tally).status();
}

void WorkflowEngine::Retry(v1::Workflow& wf, const absl::Status& failure,
                           v1::RunWorkflowsResponse& tally) {
  const OrchestratorOptions& options = context_->options();
  wf.set_attempts(wf.attempts() + 1);
  wf.set_last_error(std::string(failure.message()));
  absl::Duration wait = options.retry_backoff;
  for (int i = 1; i < wf.attempts() && wait < options.max_backoff; ++i) wait *= 2;
  *wf.mutable_next_run_at() = ToProtoTime(context_->Now() + std::min(wait, options.max_backoff));
  tally.set_retried(tally.retried() + 1);
}

bool WorkflowEngine::Stop(v1::Workflow& wf, const absl::Status& failure, StepOutcome& outcome) {
  absl::Status undone = steps_->Compensate(wf);
  if (!undone.ok()) {
    // Not compensated yet (a peer away): the step runs again, fails again, and compensates
    // then, so a stopped workflow always ends up holding nothing.
    wf.set_last_error(absl::StrCat(failure.message(), "; compensating: ", undone.message()));
    return false;
  }
  wf.set_last_error(std::string(failure.message()));
  *wf.mutable_next_run_at() = ToProtoTime(Parked());
  outcome.ticket =
      TicketRequest{TicketTypeFor(wf.stage(), failure),
                    absl::StrCat(v1::Stage_Name(wf.stage()), ": ", failure.message()), ""};
  return true;
}

void WorkflowEngine::Step(store::VersionedWorkflow& v, v1::RunWorkflowsResponse& tally,
                          Learned& learned, bool may_go_on, std::vector<StepRecord>& pass) {
  v1::Workflow& wf = v.workflow;
  v1::Stage before = wf.stage();
  // The worker's steps join the trace of the call that placed the order; a step run inside
  // a call is part of that call's trace already.
  std::optional<tracing::ScopedSpan> span;
  std::optional<tracing::TraceContext> placed = tracing::ParseTraceparent(wf.traceparent());
  if (tracing::CurrentTrace() == nullptr && placed.has_value()) {
    span.emplace(absl::StrCat("workflow step ", v1::Stage_Name(before)),
                 tracing::Span::Kind::kInternal, &*placed);
  }
  absl::Time now = context_->Now();
  StepOutcome outcome;
  const StageSpec& spec = SpecOf(wf.stage());
  const bool overdue = spec.overdue_ticket != v1::EXCEPTION_TYPE_UNSPECIFIED &&
                       wf.has_stage_deadline() && now >= FromProtoTime(wf.stage_deadline());
  // Status changes are owed while stages follow one another and told to order_svc in one
  // call where the pass rests (or fails): one TransitionOrder per pass instead of per stage.
  absl::Status step = QueueStatus(wf, learned);
  if (step.ok()) step = steps_->Run(wf, learned, outcome);
  // Overdue only if the stage is still not done: an event recorded in time whose step runs
  // after the deadline (a busy worker, a restart) has met the stage's SLA.
  if (overdue && wf.stage() == before && !outcome.ticket.has_value()) {
    outcome.ticket = TicketRequest{spec.overdue_ticket, OverdueText(before), ""};
  }
  if (step.ok()) step = QueueStatus(wf, learned);  // the status of the stage it entered
  if (step.ok()) {
    if (SpecOf(wf.stage()).wake != Wake::kNow && FromProtoTime(wf.next_run_at()) <= now) {
      Rest(wf, now);
    }
    // Resting: due later than now. The step's own clock reading, later than `now`, is what a
    // stage to run at once was given; judged against `now` that looked like a rest.
    if (!may_go_on || FromProtoTime(wf.next_run_at()) > context_->Now()) {
      step = SyncStatus(wf, learned);
    }
  } else if (wf.owed_statuses_size() > 0) {
    // Failed: order_svc is told what the stages before it implied all the same, before a
    // ticket is opened or the step retried; if it cannot be told now, the step is retried
    // (and they are told then), rather than parked with them untold.
    if (absl::Status told = SyncStatus(wf, learned); !told.ok() && IsTransient(told)) {
      step = told;
    }
  }
  if (step.ok()) {
    wf.set_attempts(0);
    wf.set_last_error("");
    tally.set_advanced(tally.advanced() + 1);
  } else if (IsTransient(step) || !Stop(wf, step, outcome)) {
    std::string error = wf.last_error();
    Retry(wf, step, tally);
    if (!IsTransient(step)) wf.set_last_error(error);  // keep "compensating: ..."
  }
  *wf.mutable_updated_at() = ToProtoTime(now);
  learned.owes_status = wf.owed_statuses_size() > 0;
  pass.push_back(StepRecord{before, wf.stage(), std::move(outcome)});
}

absl::StatusOr<bool> WorkflowEngine::SavePass(const store::VersionedWorkflow& v,
                                              const std::vector<StepRecord>& pass,
                                              v1::RunWorkflowsResponse& tally) {
  const std::string& order_id = v.workflow.order_id();
  int opened = 0;
  absl::Status saved = context_->host().db().Transact([&](Session& s) -> absl::Status {
    opened = 0;
    OMS_ASSIGN_OR_RETURN(v1::Stage first_before, Store(s, v, pass.front().before));
    for (const StepRecord& step : pass) {  // each stage's events in the order they happened
      v1::Stage before = &step == &pass.front() ? first_before : step.before;
      OMS_RETURN_IF_ERROR(Announce(s, order_id, before, step.after));
      if (step.outcome.decision.has_value()) {
        OMS_RETURN_IF_ERROR(store::AddReviewDecision(s, *step.outcome.decision));
        v1::ReviewDecided decided;
        *decided.mutable_decision() = *step.outcome.decision;
        OMS_RETURN_IF_ERROR(context_->host().outbox().Append(s, order_id, decided).status());
      }
      if (step.outcome.ticket.has_value()) {
        OMS_RETURN_IF_ERROR(tickets_->Open(s, order_id, *step.outcome.ticket).status());
        ++opened;
      }
    }
    return absl::OkStatus();
  });
  // A command or an event changed the workflow meanwhile: its steps run again (every peer
  // call is idempotent by key, and what a lost step made is found by its peer's lists:
  // CancelLabels, ReleaseAll).
  if (saved.code() == absl::StatusCode::kAborted) return false;
  OMS_RETURN_IF_ERROR(saved);
  tally.set_exceptions_opened(tally.exceptions_opened() + opened);
  return true;
}

absl::Status WorkflowEngine::Place(v1::Workflow wf, Learned& learned) {
  v1::RunWorkflowsResponse tally;
  const std::string order_id = wf.order_id();
  return Advance(order_id, learned, tally, store::VersionedWorkflow{std::move(wf), 0});
}

absl::Status WorkflowEngine::Advance(const std::string& order_id, Learned& learned) {
  v1::RunWorkflowsResponse tally;
  return Advance(order_id, learned, tally);
}

absl::Status WorkflowEngine::Advance(const std::string& order_id, Learned& learned,
                                     v1::RunWorkflowsResponse& tally,
                                     std::optional<store::VersionedWorkflow> fresh) {
  absl::MutexLock running(&running_.For(order_id));
  learned.owes_status = false;
  // The stages of a pass are saved together at its end, in one commit instead of one each.
  // A pass whose save lost the race to a command or an event reads the workflow again and
  // goes on from what they saved (every step is idempotent by key).
  const bool placing = fresh.has_value();
  int steps = 0;
  while (steps < kMaxStagesPerPass) {
    OMS_ASSIGN_OR_RETURN(std::optional<store::VersionedWorkflow> v, Find(order_id));
    if (placing && v.has_value() && v->workflow.stage() == v1::RECEIVED) {
      // PlaceOrder reviews its order now, whatever grace the OrderCreated event gave it.
      *v->workflow.mutable_next_run_at() = ToProtoTime(context_->Now());
    }
    if (fresh.has_value()) {
      // A placed order's workflow: this pass stores it, in place of a placeholder if the
      // OrderCreated event left one; one stored and moved on already is taken as it is.
      if (!v.has_value() || store::IsPlaceholder({v->version, v->workflow.stage()})) {
        fresh->version = v.has_value() ? v->version : 0;
        v = std::move(fresh);
      }
      fresh.reset();
    }
    if (!v.has_value()) break;
    std::vector<StepRecord> pass;
    while (steps < kMaxStagesPerPass) {
      if (FromProtoTime(v->workflow.next_run_at()) > context_->Now()) break;
      // Saved by someone else since this pass read it: no further step on what they replaced.
      if (!pass.empty() && !StillAt(*v)) break;
      int before = tally.advanced();
      ++steps;
      Step(*v, tally, learned, steps < kMaxStagesPerPass, pass);
      if (tally.advanced() == before) break;  // failed or retried: the worker takes it from here
    }
    if (pass.empty()) break;
    OMS_ASSIGN_OR_RETURN(bool saved, SavePass(*v, pass, tally));
    if (saved) break;
  }
  if (learned.owes_status) return SettleOwedStatuses(order_id, learned, tally);
  return absl::OkStatus();
}

absl::StatusOr<v1::RunWorkflowsResponse> WorkflowEngine::RunDue() {
  v1::RunWorkflowsResponse tally;
  std::vector<store::VersionedWorkflow> due;
  OMS_RETURN_IF_ERROR(context_->host().db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(due, store::DueWorkflows(s, context_->Now(), kDuePerPass));
    return absl::OkStatus();
  }));
  for (store::VersionedWorkflow& v : due) {
    // Advance reloads each workflow under its lock: one a command ran meanwhile is skipped.
    Learned learned;
    OMS_RETURN_IF_ERROR(Advance(v.workflow.order_id(), learned, tally));
  }
  OMS_RETURN_IF_ERROR(tickets_->EscalateOverdue().status());
  return tally;
}

}  // namespace oms::orchestrator
