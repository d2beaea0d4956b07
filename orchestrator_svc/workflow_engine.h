// The executor of the stage table. A pass loads one due workflow and runs its ready stages one
// after another: each step brings order_svc's status in line with the stage and runs the
// stage's step (stage_steps.h); the pass then saves the workflow with every stage's event,
// review decision and ticket in one transaction. A failed step is judged
// once (IsTransient): transient failures retry with backoff; permanent ones stop the
// workflow where it is with a ticket for a person, after compensating what the stage holds
// (a compensation that cannot finish yet is retried like a transient failure, so a stopped
// workflow always ends up holding nothing). Saves are versioned: a step racing a command or an
// event runs again instead of overwriting it (every peer call is idempotent by key), and within
// this process one workflow's steps never run at once (a step and a command's carrying out take
// turns): a step that cleans up after a concurrent one would otherwise undo its work. Thread-safe.
#ifndef OMS_ORCHESTRATOR_SVC_WORKFLOW_ENGINE_H_
#define OMS_ORCHESTRATOR_SVC_WORKFLOW_ENGINE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "oms/orchestrator/v1/orchestrator.pb.h"
#include "orchestrator_svc/orchestrator_store.h"
#include "orchestrator_svc/stage_steps.h"
#include "orchestrator_svc/ticket_desk.h"
#include "orchestrator_svc/workflow_context.h"
#include "platform/base/striped_mutex.h"

namespace oms::orchestrator {

class WorkflowEngine {
 public:
  WorkflowEngine(WorkflowContext* context, TicketDesk* tickets, StageSteps* steps)
      : context_(context), tickets_(tickets), steps_(steps) {}

  // The workflow of an order PlaceOrder has just made (RECEIVED, from NewWorkflow): run as
  // far as it goes at once and stored with every stage's event in one commit. One stored
  // already (a retried PlaceOrder) is advanced from what is stored. The OrderCreated event
  // may store a placeholder meanwhile (IsPlaceholder); the pass takes that over.
  absl::Status Place(v1::Workflow wf, Learned& learned);
  // Steps one workflow while it is due: consecutive ready stages in one go.
  absl::Status Advance(const std::string& order_id, Learned& learned);
  // One pass over due workflows, then the ticket escalation sweep.
  absl::StatusOr<v1::RunWorkflowsResponse> RunDue();

  absl::StatusOr<std::optional<store::VersionedWorkflow>> Find(const std::string& order_id);
  // Saves a workflow changed in `s` (by a command or an event), with WorkflowStageChanged
  // when its stage moved from `before`; ABORTED if it changed meanwhile.
  absl::Status Save(Session& s, const store::VersionedWorkflow& v, v1::Stage before);

 private:
  // `fresh`: the workflow of a just-placed order, stored by this pass (version 0: not yet).
  absl::Status Advance(const std::string& order_id, Learned& learned,
                       v1::RunWorkflowsResponse& tally,
                       std::optional<store::VersionedWorkflow> fresh = std::nullopt);
  // One stage. `may_go_on`: the pass may run another stage after this one, so the stage's
  // status change may wait to be told to order_svc together with the next ones'.
  // What one stage of a pass did; a pass saves its stages together (SavePass).
  struct StepRecord {
    v1::Stage before;
    v1::Stage after;
    StepOutcome outcome;
  };
  // Runs the stage's step on `v` in memory and adds what it did to `pass`.
  void Step(store::VersionedWorkflow& v, v1::RunWorkflowsResponse& tally, Learned& learned,
            bool may_go_on, std::vector<StepRecord>& pass);
  // Whether the stored workflow is still the version `v` was read at (for a workflow not
  // stored yet: none stored, or only a placeholder).
  bool StillAt(const store::VersionedWorkflow& v);
  // Stores the pass's workflow: inserted when not stored yet (or over an untouched
  // placeholder), else saved on its version. Answers the stage its first event starts from.
  absl::StatusOr<v1::Stage> Store(Session& s, const store::VersionedWorkflow& v,
                                  v1::Stage first_before);
  // WorkflowStageChanged when the stage moved, and the feedback request on delivery.
  absl::Status Announce(Session& s, const std::string& order_id, v1::Stage before, v1::Stage after);
  // Owes order_svc the status the stage implies, if it will not be there already (told at
  // once where it may not wait: MayDeferStatus).
  absl::Status QueueStatus(v1::Workflow& wf, Learned& learned);
  // Moves the order in order_svc through every owed status and on to the one the stage
  // implies, in one call; nothing when it is there already.
  absl::Status SyncStatus(v1::Workflow& wf, Learned& learned);
  // A pass that ended with status changes still owed (it did not rest where foreseen):
  // tells them and saves.
  absl::Status SettleOwedStatuses(const std::string& order_id, Learned& learned,
                                  v1::RunWorkflowsResponse& tally);
  void Retry(v1::Workflow& wf, const absl::Status& failure, v1::RunWorkflowsResponse& tally);
  // Compensates and parks the workflow with a ticket; false (nothing parked) when the
  // compensation could not finish yet.
  bool Stop(v1::Workflow& wf, const absl::Status& failure, StepOutcome& outcome);
  // The workflow as the pass left it, with each stage's event, review decision and ticket,
  // in one transaction; false when it lost the race to another save (nothing written).
  absl::StatusOr<bool> SavePass(const store::VersionedWorkflow& v,
                                const std::vector<StepRecord>& pass,
                                v1::RunWorkflowsResponse& tally);

  WorkflowContext* context_;
  TicketDesk* tickets_;
  StageSteps* steps_;
  StripedMutex<> running_;  // held for the order id while its workflow steps
};

}  // namespace oms::orchestrator

#endif  // OMS_ORCHESTRATOR_SVC_WORKFLOW_ENGINE_H_
