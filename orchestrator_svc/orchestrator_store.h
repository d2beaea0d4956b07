#ifndef OMS_ORCHESTRATOR_SVC_ORCHESTRATOR_STORE_H_
#define OMS_ORCHESTRATOR_SVC_ORCHESTRATOR_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "oms/orchestrator/v1/orchestrator.pb.h"
#include "platform/storage/database.h"

namespace oms::orchestrator {

// All SQL of orchestrator_svc; functions run inside the caller's transaction.
namespace store {

const std::vector<Migration>& Migrations();

// Workflows carry a version: a save based on a stale read is refused (ABORTED) so the worker,
// whose steps are idempotent, simply runs again instead of overwriting an event's update.
struct VersionedWorkflow {
  v1::Workflow workflow;
  int64_t version = 0;
};
// False when the order already has a workflow (PlaceOrder and the OrderCreated event race).
absl::StatusOr<bool> InsertWorkflow(Session& s, const v1::Workflow& workflow);
absl::StatusOr<std::optional<VersionedWorkflow>> FindWorkflow(Session& s,
                                                              absl::string_view order_id);
// The stored version and stage alone (nothing when the order has no workflow).
struct StoredVersion {
  int64_t version = 0;
  v1::Stage stage = v1::STAGE_UNSPECIFIED;
};
absl::StatusOr<std::optional<StoredVersion>> WorkflowVersion(Session& s,
                                                             absl::string_view order_id);
// What the OrderCreated event stores for an order PlaceOrder made, in case PlaceOrder stops
// before storing the workflow itself: RECEIVED at its first version, untouched since.
// PlaceOrder's pass takes it over; the worker adopts it only after a grace.
inline bool IsPlaceholder(const StoredVersion& stored) {
  return stored.version == 1 && stored.stage == v1::RECEIVED;
}
absl::Status SaveWorkflow(Session& s, const VersionedWorkflow& workflow);
absl::StatusOr<std::vector<VersionedWorkflow>> DueWorkflows(Session& s, absl::Time now, int limit);
absl::StatusOr<std::vector<VersionedWorkflow>> WorkflowsInStage(Session& s, v1::Stage stage);

absl::Status SaveReviewRule(Session& s, const v1::ReviewRule& rule);
absl::StatusOr<std::vector<v1::ReviewRule>> ListReviewRules(Session& s);
absl::Status AddReviewDecision(Session& s, const v1::ReviewDecision& decision);
absl::StatusOr<std::vector<v1::ReviewDecision>> ReviewDecisions(Session& s,
                                                                absl::string_view order_id);

// Answers false when the order already has an OPEN ticket of that type (one per order/type).
// What a ticket is about, as stored in the tickets' order_id column (one open ticket per key
// and type): the order, or "subject:<subject>" for a PROCESS_ANOMALY without one.
std::string TicketKey(const std::string& order_id, const std::string& subject);
inline std::string TicketKey(const v1::ExceptionTicket& ticket) {
  return TicketKey(ticket.order_id(), ticket.subject());
}
absl::StatusOr<bool> InsertTicket(Session& s, const v1::ExceptionTicket& ticket);
absl::Status SaveTicket(Session& s, const v1::ExceptionTicket& ticket);
absl::StatusOr<v1::ExceptionTicket> LoadTicket(Session& s, absl::string_view ticket_id);
absl::StatusOr<std::optional<v1::ExceptionTicket>> OpenTicket(Session& s,
                                                              absl::string_view order_id,
                                                              v1::ExceptionType type);
absl::StatusOr<std::vector<v1::ExceptionTicket>> ListTickets(
    Session& s, const v1::ListExceptionsRequest& filter, absl::Time now);

absl::StatusOr<std::vector<v1::ExceptionTicket>> OverdueTickets(Session& s, absl::Time now);

absl::Status SaveExceptionRule(Session& s, const v1::ExceptionRule& rule);
absl::StatusOr<std::optional<v1::ExceptionRule>> FindExceptionRule(Session& s,
                                                                   v1::ExceptionType type);
absl::StatusOr<std::vector<v1::ExceptionRule>> ListExceptionRules(Session& s);
// The next index for round-robin assignment within `group` (0, 1, 2, ...).
absl::StatusOr<int64_t> NextInRotation(Session& s, absl::string_view group);

absl::Status SaveReturn(Session& s, const v1::ReturnRecord& record);
absl::StatusOr<v1::ReturnRecord> LoadReturn(Session& s, absl::string_view return_id);

}  // namespace store
}  // namespace oms::orchestrator

#endif  // OMS_ORCHESTRATOR_SVC_ORCHESTRATOR_STORE_H_
