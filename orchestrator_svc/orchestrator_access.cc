#include "orchestrator_svc/orchestrator_access.h"

namespace oms::orchestrator {
namespace {

using namespace auth::access_table;  // NOLINT(build/namespaces): the table's vocabulary

const std::vector<Role> kStaffReaders = {OPS, CUSTOMER_SERVICE, REVIEWER, READER};
const std::vector<Role> kCaseWorkers = {OPS, CUSTOMER_SERVICE};

}  // namespace

const auth::AccessPolicy& OrchestratorAccess() {
  static const auth::AccessPolicy* policy = new auth::AccessPolicy(
      "oms.orchestrator.v1.OrchestratorService",
      {
          // Channels place orders; reviewers work the review queue; OPS and customer care work
          // exception tickets and returns; rules are OPS's.
          {"PlaceOrder", Access::kWrite, {ORDER_WRITER, OPS, CUSTOMER_SERVICE}},
          {"QuotePromise", Access::kRead, {ORDER_WRITER, OPS, CUSTOMER_SERVICE, READER}},
          // The storefront (a channel's key) passes on the customer's survey answer.
          {"SubmitFeedback", Access::kWrite, {ORDER_WRITER, CUSTOMER_SERVICE, OPS}},
          {"ListFeedback", Access::kRead, {CUSTOMER_SERVICE, OPS, READER}},
          // Amounts are further limited per role (--compensation_approval_limits).
          {"ProposeCompensation", Access::kWrite, {CUSTOMER_SERVICE, OPS}},
          {"ApproveCompensation", Access::kWrite, {CUSTOMER_SERVICE, OPS}},
          {"ListCompensations", Access::kRead, {CUSTOMER_SERVICE, OPS, READER}},
          // notify_svc (SERVICE) asks for tiers its rules and templates use.
          {"GetCustomer", Access::kRead, {CUSTOMER_SERVICE, OPS, READER, SERVICE}},
          {"TagCustomer", Access::kWrite, {CUSTOMER_SERVICE, OPS}},
          {"GetWorkflow", Access::kRead, kStaffReaders},
          {"RunWorkflows", Access::kWrite, {OPS}},
          // Changing an order after intake: customer care and OPS; a channel may cancel or
          // amend its own orders as long as the workflow allows it.
          {"CancelOrder", Access::kWrite, {OPS, CUSTOMER_SERVICE, ORDER_WRITER}},
          {"HoldOrder", Access::kWrite, kCaseWorkers},
          {"ReleaseHold", Access::kWrite, kCaseWorkers},
          {"AmendOrder", Access::kWrite, {OPS, CUSTOMER_SERVICE, ORDER_WRITER}},
          {"SaveReviewRule", Access::kWrite, {OPS}},
          {"ListReviewRules", Access::kRead, {OPS, REVIEWER, READER}},
          {"ListReviewQueue", Access::kRead, {OPS, REVIEWER, READER}},
          {"ApproveOrder", Access::kWrite, {REVIEWER, OPS}},
          {"RejectOrder", Access::kWrite, {REVIEWER, OPS}},
          {"ListExceptions", Access::kRead, kStaffReaders},
          {"GetException", Access::kRead, kStaffReaders},
          // analytics_svc (SERVICE) opens PROCESS_ANOMALY tickets and resolves them when a
          // detection is dismissed as a false alarm.
          {"OpenException", Access::kWrite, {OPS, CUSTOMER_SERVICE, SERVICE}},
          {"AddExceptionNote", Access::kWrite, kCaseWorkers},
          {"ResolveException", Access::kWrite, {OPS, CUSTOMER_SERVICE, SERVICE}},
          {"CloseException", Access::kWrite, kCaseWorkers},
          {"AssignException", Access::kWrite, kCaseWorkers},
          {"SaveExceptionRule", Access::kWrite, {OPS}},
          {"ListExceptionRules", Access::kRead, {OPS, READER}},
          {"RequestReturn", Access::kWrite, kCaseWorkers},
          {"ReceiveReturn", Access::kWrite, {OPS}},
          {"RefundReturn", Access::kWrite, kCaseWorkers},
          {"GetServiceInfo", Access::kRead, AnyRole()},
      });
  return *policy;
}

}  // namespace oms::orchestrator
