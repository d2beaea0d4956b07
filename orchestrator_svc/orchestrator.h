#ifndef OMS_ORCHESTRATOR_SVC_ORCHESTRATOR_H_
#define OMS_ORCHESTRATOR_SVC_ORCHESTRATOR_H_

#include <optional>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "oms/events/v1/events.pb.h"
#include "oms/inventory/v1/inventory.grpc.pb.h"
#include "oms/logistics/v1/logistics.grpc.pb.h"
#include "oms/orchestrator/v1/orchestrator.pb.h"
#include "oms/order/v1/order.grpc.pb.h"
#include "orchestrator_svc/orchestrator_store.h"
#include "platform/service_host.h"
#include "platform/ttl_cache.h"

namespace oms::orchestrator {

// The services the orchestrator drives, as generated stub interfaces (tests pass stubs of
// in-process servers).
struct Peers {
  order::v1::OrderService::StubInterface* order = nullptr;
  inventory::v1::InventoryService::StubInterface* inventory = nullptr;
  logistics::v1::LogisticsService::StubInterface* logistics = nullptr;
};

struct OrchestratorOptions {
  absl::Duration call_deadline = absl::Seconds(5);
  absl::Duration retry_backoff = absl::Seconds(2);  // doubles per attempt
  absl::Duration max_backoff = absl::Minutes(5);
  absl::Duration review_sla = absl::Hours(4);
  absl::Duration payment_timeout = absl::Minutes(30);
  absl::Duration processing_timeout = absl::Minutes(30);  // per stage: allocate, ship
  absl::Duration stock_shortage_after = absl::Hours(24);
  absl::Duration ticket_sla = absl::Hours(24);
  // How long product weights and warehouse regions fetched for shipments are reused: they
  // change rarely, and asking for each order was a third of inventory_svc's calls.
  absl::Duration reference_ttl = absl::Seconds(60);
};

// Carries each order from intake to completion. PlaceOrder creates the order, reviews it and
// (when it can) allocates at once; the durable workflow row then moves through stages, each
// step a call to the owning service with the idempotency key "<order_id>:<step>", so a crash
// anywhere resumes without doing anything twice. Events from the other services' feeds move
// waiting workflows on and open exception tickets. Thread-safe: workflow saves are
// versioned, so a step racing an event runs again instead of overwriting it.
class Orchestrator {
 public:
  Orchestrator(ServiceHost* host, Peers peers, OrchestratorOptions options)
      : host_(host),
        peers_(peers),
        options_(options),
        products_(&host->clock(), options.reference_ttl),
        warehouses_(&host->clock(), options.reference_ttl) {}

  absl::StatusOr<v1::PlaceOrderResponse> PlaceOrder(const v1::PlaceOrderRequest& request);
  absl::StatusOr<v1::Workflow> GetWorkflow(const v1::GetWorkflowRequest& request);
  // One pass over due workflows (the worker loop calls this; tests call it directly).
  absl::StatusOr<v1::RunWorkflowsResponse> RunWorkflows();
  // Feed consumer handler for order, inventory and logistics events (in its transaction).
  absl::Status HandleEvent(Session& s, const events::v1::Event& event);
  // The event types HandleEvent acts on (the feeds send only these).
  static const std::vector<std::string>& HandledEventTypes();

  absl::StatusOr<v1::ReviewRule> SaveReviewRule(const v1::SaveReviewRuleRequest& request);
  absl::StatusOr<v1::ListReviewRulesResponse> ListReviewRules();
  absl::StatusOr<v1::ListReviewQueueResponse> ListReviewQueue();
  absl::StatusOr<v1::Workflow> ApproveOrder(const v1::ReviewOrderRequest& request);
  absl::StatusOr<v1::Workflow> RejectOrder(const v1::ReviewOrderRequest& request);

  absl::StatusOr<v1::ListExceptionsResponse> ListExceptions(
      const v1::ListExceptionsRequest& request);
  absl::StatusOr<v1::ExceptionTicket> GetException(const v1::GetExceptionRequest& request);
  absl::StatusOr<v1::ExceptionTicket> OpenException(const v1::OpenExceptionRequest& request);
  absl::StatusOr<v1::ExceptionTicket> AddExceptionNote(const v1::AddExceptionNoteRequest& request);
  // Carries the resolution out across the services, then marks the ticket RESOLVED.
  absl::StatusOr<v1::ExceptionTicket> ResolveException(const v1::ResolveExceptionRequest& request);
  absl::StatusOr<v1::ExceptionTicket> CloseException(const v1::CloseExceptionRequest& request);
  absl::StatusOr<v1::ExceptionTicket> AssignException(const v1::AssignExceptionRequest& request);
  absl::StatusOr<v1::ExceptionRule> SaveExceptionRule(const v1::SaveExceptionRuleRequest& request);
  absl::StatusOr<v1::ListExceptionRulesResponse> ListExceptionRules();
  // Overdue open tickets: escalation level + 1, handed to the group lead, new due time.
  absl::StatusOr<int> EscalateOverdue();

  // Returns: requested (order RETURN_REQUESTED), received (restocked through an inventory
  // RETURN adjustment unless damaged; order RETURNED), refunded (payment REFUNDED for the
  // returned lines; order REFUNDED).
  absl::StatusOr<v1::ReturnRecord> RequestReturn(const v1::RequestReturnRequest& request);
  absl::StatusOr<v1::ReturnRecord> ReceiveReturn(const v1::ReceiveReturnRequest& request);
  absl::StatusOr<v1::ReturnRecord> RefundReturn(const v1::RefundReturnRequest& request);

 private:
  struct StepResult;
  // What one pass over a workflow has learned from the other services, so that consecutive
  // stages (and PlaceOrder's answer) do not ask again: 4 of 11 calls per order were such.
  struct Learned {
    std::optional<inventory::v1::Allocation> allocation;  // as Allocate answered it
    std::optional<order::v1::OrderStatus> order_status;   // as order_svc last acknowledged
  };
  absl::Status Step(store::VersionedWorkflow versioned, v1::RunWorkflowsResponse& tally,
                    Learned& learned);
  // Steps one workflow while it is due (consecutive ready stages in one go).
  absl::Status Advance(const std::string& order_id, Learned& learned);
  absl::Status StepStage(v1::Workflow& wf, StepResult& result, Learned& learned);
  absl::Status Allocate(v1::Workflow& wf, Learned& learned);
  absl::Status Ship(v1::Workflow& wf, Learned& learned);
  // Releases the order's reservations and cancels its shipments (not yet picked up).
  absl::Status Compensate(v1::Workflow& wf);
  // Moves the order to `to` (idempotent per order and status). Skipped when `learned` says
  // order_svc already acknowledged that very transition in this pass: it would only replay
  // its stored answer.
  absl::Status Transition(const std::string& order_id, order::v1::OrderStatus to,
                          const std::string& reason, Learned* learned = nullptr);
  // Opens a ticket unless one of the type is already open for the order; answers it.
  absl::StatusOr<v1::ExceptionTicket> OpenTicket(Session& s, const std::string& order_id,
                                                 v1::ExceptionType type,
                                                 const std::string& description,
                                                 const std::string& shipment_id);
  absl::Status SaveWorkflow(Session& s, const store::VersionedWorkflow& versioned,
                            v1::Stage before);
  absl::StatusOr<v1::Workflow> Review(const v1::ReviewOrderRequest& request, bool approve);

  ServiceHost* host_;
  Peers peers_;
  OrchestratorOptions options_;
  TtlCache<inventory::v1::Product> products_;
  TtlCache<inventory::v1::Warehouse> warehouses_;
};

}  // namespace oms::orchestrator

#endif  // OMS_ORCHESTRATOR_SVC_ORCHESTRATOR_H_
