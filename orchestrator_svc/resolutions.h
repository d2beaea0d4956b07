// Resolving an exception ticket: the resolution is carried out across the services (through
// the same lifecycle commands a person would use: CANCEL_ORDER and REFUND before pickup are
// a cancel, SUBSTITUTE is an amendment of the line, RETRY runs the stopped step again),
// then the ticket is RESOLVED. A retry of a resolved ticket answers it as it is.
#ifndef OMS_ORCHESTRATOR_SVC_RESOLUTIONS_H_
#define OMS_ORCHESTRATOR_SVC_RESOLUTIONS_H_

#include "absl/status/statusor.h"
#include "oms/orchestrator/v1/orchestrator.pb.h"
#include "orchestrator_svc/lifecycle_commands.h"
#include "orchestrator_svc/ticket_desk.h"
#include "orchestrator_svc/workflow_context.h"
#include "orchestrator_svc/workflow_engine.h"

namespace oms::orchestrator {

class Resolutions {
 public:
  Resolutions(WorkflowContext* context, WorkflowEngine* engine, TicketDesk* tickets,
              LifecycleCommands* commands)
      : context_(context), engine_(engine), tickets_(tickets), commands_(commands) {}

  absl::StatusOr<v1::ExceptionTicket> Resolve(const v1::ResolveExceptionRequest& request);
  // A free reship granted as compensation `key` (its id, for the peer calls' keys): the
  // replacement of `shipment_id` (empty: the order's newest parcel that is not replaced),
  // stock reserved for it, on the order's workflow as RESHIP does.
  absl::Status ReshipAsCompensation(const std::string& key, const std::string& order_id,
                                    const std::string& shipment_id);

 private:
  // A PROCESS_ANOMALY about a carrier or channel: recorded, nothing carried out.
  absl::StatusOr<v1::ExceptionTicket> ResolveWithoutOrder(
      const v1::ExceptionTicket& ticket, const v1::ResolveExceptionRequest& request);
  absl::Status Cancel(const v1::ExceptionTicket& ticket, const v1::ResolveExceptionRequest& request,
                      const std::string& why);
  absl::Status Refund(const v1::ExceptionTicket& ticket, const v1::Workflow& wf,
                      const v1::ResolveExceptionRequest& request);
  // The reshipment and the stock reserved for it (a separate allocation), recorded on the
  // workflow in `s`.
  absl::StatusOr<v1::WorkflowShipment> Reship(const v1::ExceptionTicket& ticket,
                                              const v1::Workflow& wf);
  absl::Status RecordReship(Session& s, const v1::ExceptionTicket& ticket,
                            const v1::WorkflowShipment& replacement);
  absl::Status Substitute(const v1::ExceptionTicket& ticket, const v1::Workflow& wf,
                          const v1::ResolveExceptionRequest& request);

  WorkflowContext* context_;
  WorkflowEngine* engine_;
  TicketDesk* tickets_;
  LifecycleCommands* commands_;
};

}  // namespace oms::orchestrator

#endif  // OMS_ORCHESTRATOR_SVC_RESOLUTIONS_H_
