// The commands that change an order after intake: cancel, hold, release, amend, retry.
// Each is checked against the stage table, accepted in one transaction with the workflow
// (idempotent by key: a retry changes nothing more and answers the workflow as it is now),
// then carried out by the workflow engine across the services, so a crash or a stopping
// peer midway resumes instead of leaving stock, a queue place or a label behind. Who asked
// and why goes into the order's status or modification history. Thread-safe.
#ifndef OMS_ORCHESTRATOR_SVC_LIFECYCLE_COMMANDS_H_
#define OMS_ORCHESTRATOR_SVC_LIFECYCLE_COMMANDS_H_

#include <string>

#include "absl/status/statusor.h"
#include "oms/orchestrator/v1/orchestrator.pb.h"
#include "orchestrator_svc/ticket_desk.h"
#include "orchestrator_svc/workflow_context.h"
#include "orchestrator_svc/workflow_engine.h"

namespace oms::orchestrator {

class LifecycleCommands {
 public:
  LifecycleCommands(WorkflowContext* context, WorkflowEngine* engine, TicketDesk* tickets)
      : context_(context), engine_(engine), tickets_(tickets) {}

  absl::StatusOr<v1::Workflow> Cancel(const v1::CancelOrderRequest& request);
  absl::StatusOr<v1::Workflow> Hold(const v1::HoldOrderRequest& request);
  absl::StatusOr<v1::Workflow> Release(const v1::ReleaseHoldRequest& request);
  absl::StatusOr<v1::Workflow> Amend(const v1::AmendOrderRequest& request);
  // Runs a stopped step again (the RETRY resolution), with new step keys.
  absl::Status Retry(Session& s, const std::string& order_id);
  // The part of Amend after order_svc changed the order (also a substituted line): re-plans
  // the workflow for it and carries the re-plan out.
  absl::StatusOr<v1::Workflow> ApplyChangedOrder(const order::v1::Order& order,
                                                 const std::string& actor,
                                                 const std::string& reason);

 private:
  // Accepts a command: loads the workflow in `s`, lets `accept` change it (after the stage
  // table allowed `command`) and saves it.
  using Accept = absl::FunctionRef<absl::Status(Session&, v1::Workflow&)>;
  absl::StatusOr<v1::Workflow> AcceptIn(Session& s, const std::string& order_id, Command command,
                                        Accept accept);
  // Advances the workflow and answers it as it stands.
  absl::StatusOr<v1::Workflow> CarryOut(const std::string& order_id);
  // Re-plans the workflow for the changed `order` in `s` and records OrderAmended.
  absl::Status Replanned(Session& s, const order::v1::Order& order, const std::string& actor,
                         const std::string& reason, v1::Workflow& answer);

  WorkflowContext* context_;
  WorkflowEngine* engine_;
  TicketDesk* tickets_;
};

}  // namespace oms::orchestrator

#endif  // OMS_ORCHESTRATOR_SVC_LIFECYCLE_COMMANDS_H_
