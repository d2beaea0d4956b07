// The orchestrator's parts, wired once: the binary and the tests build one Orchestrator and
// reach each concept through it (the gRPC adapter calls intake(), review_desk(), ...).
//
//   Intake           PlaceOrder: catalogue check, promise, order, workflow, first pass
//   DeliveryPromises QuotePromise: when an order would arrive
//   ReviewDesk       review rules, queue, approve/reject
//   WorkflowEngine   runs the stage table (StageSteps: what each stage does)
//   WorkflowEvents   the other services' events, applied to workflows
//   LifecycleCommands cancel, hold, release, amend, retry
//   TicketDesk       exception tickets and their rules, escalation
//   Resolutions      resolving a ticket through the commands
//   Returns          returns after delivery
//   Satisfaction     survey answers, follow-ups, compensation
//   CustomerProfiles one customer across orders: tier, tags, everything held about them
#ifndef OMS_ORCHESTRATOR_SVC_ORCHESTRATOR_H_
#define OMS_ORCHESTRATOR_SVC_ORCHESTRATOR_H_

#include "orchestrator_svc/customer_profiles.h"
#include "orchestrator_svc/delivery_promise.h"
#include "orchestrator_svc/intake.h"
#include "orchestrator_svc/lifecycle_commands.h"
#include "orchestrator_svc/resolutions.h"
#include "orchestrator_svc/returns.h"
#include "orchestrator_svc/review_desk.h"
#include "orchestrator_svc/satisfaction.h"
#include "orchestrator_svc/stage_steps.h"
#include "orchestrator_svc/ticket_desk.h"
#include "orchestrator_svc/workflow_context.h"
#include "orchestrator_svc/workflow_engine.h"
#include "orchestrator_svc/workflow_events.h"

namespace oms::orchestrator {

class Orchestrator {
 public:
  Orchestrator(ServiceHost* host, Peers peers, OrchestratorOptions options)
      : context_(host, peers, options),
        tickets_(&context_),
        steps_(&context_),
        engine_(&context_, &tickets_, &steps_),
        events_(&context_, &engine_, &tickets_),
        commands_(&context_, &engine_, &tickets_),
        resolutions_(&context_, &engine_, &tickets_, &commands_),
        promises_(&context_),
        intake_(&context_, &engine_, &promises_),
        review_desk_(&context_, &engine_),
        returns_(&context_),
        satisfaction_(&context_, &tickets_, &resolutions_),
        customers_(&context_) {}

  Intake& intake() { return intake_; }
  DeliveryPromises& promises() { return promises_; }
  ReviewDesk& review_desk() { return review_desk_; }
  WorkflowEngine& engine() { return engine_; }
  WorkflowEvents& events() { return events_; }
  LifecycleCommands& commands() { return commands_; }
  TicketDesk& tickets() { return tickets_; }
  Resolutions& resolutions() { return resolutions_; }
  Returns& returns() { return returns_; }
  Satisfaction& satisfaction() { return satisfaction_; }
  CustomerProfiles& customers() { return customers_; }

 private:
  WorkflowContext context_;
  TicketDesk tickets_;
  StageSteps steps_;
  WorkflowEngine engine_;
  WorkflowEvents events_;
  LifecycleCommands commands_;
  Resolutions resolutions_;
  DeliveryPromises promises_;
  Intake intake_;
  ReviewDesk review_desk_;
  Returns returns_;
  Satisfaction satisfaction_;
  CustomerProfiles customers_;
};

}  // namespace oms::orchestrator

#endif  // OMS_ORCHESTRATOR_SVC_ORCHESTRATOR_H_
