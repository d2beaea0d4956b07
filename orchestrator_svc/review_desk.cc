#include "orchestrator_svc/review_desk.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "orchestrator_svc/orchestrator_store.h"
#include "orchestrator_svc/workflow_state.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"
#include "platform/storage/proto_rows.h"

namespace oms::orchestrator {
namespace {

void CheckRule(const v1::ReviewRule& rule, FieldErrors& errors) {
  errors.Required(rule.rule_id(), "rule.rule_id");
  errors.Check(
      rule.kind() != v1::ReviewRule::KIND_UNSPECIFIED && v1::ReviewRule::Kind_IsValid(rule.kind()),
      "rule.kind", "is required");
  errors.Check(rule.action() != v1::ReviewRule::ACTION_UNSPECIFIED &&
                   v1::ReviewRule::Action_IsValid(rule.action()),
               "rule.action", "must be MANUAL_REVIEW or REJECT");
  switch (rule.kind()) {
    case v1::ReviewRule::BLOCKLIST:
      errors.Check(!rule.blocked().empty(), "rule.blocked", "needs at least one entry");
      return;
    case v1::ReviewRule::DELIVERY_DATE_UNREACHABLE:
    case v1::ReviewRule::UNUSUAL_ORDER:
      return;  // no limit: the order's own date, or its history, decides
    case v1::ReviewRule::CUSTOMER_TIER:
      errors.Check(!rule.tiers().empty(), "rule.tiers", "needs at least one tier");
      for (int tier : rule.tiers()) {
        errors.Check(tier != v1::CUSTOMER_TIER_UNSPECIFIED && v1::CustomerTier_IsValid(tier),
                     "rule.tiers", "must be NEW, REGULAR, VIP or RISKY");
      }
      return;
    case v1::ReviewRule::PAYMENT_RISK:
      errors.Check(!rule.payment_methods().empty(), "rule.payment_methods",
                   "needs at least one payment method");
      break;
    default:
      break;
  }
  errors.Check(!rule.limit().currency_code().empty() && rule.limit().minor_units() >= 0,
               "rule.limit", "needs a currency and an amount >= 0");
}

}  // namespace

absl::StatusOr<v1::ReviewRule> ReviewDesk::SaveRule(const v1::SaveReviewRuleRequest& request) {
  FieldErrors errors;
  CheckRule(request.rule(), errors);
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  OMS_RETURN_IF_ERROR(context_->host().db().Transact(
      [&](Session& s) { return store::SaveReviewRule(s, request.rule()); }));
  return request.rule();
}

absl::StatusOr<v1::ListReviewRulesResponse> ReviewDesk::ListRules() {
  v1::ListReviewRulesResponse response;
  OMS_RETURN_IF_ERROR(context_->host().db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::ReviewRule> rules, store::ListReviewRules(s));
    for (auto& r : rules) *response.add_rules() = std::move(r);
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::ListReviewQueueResponse> ReviewDesk::ListQueue() {
  v1::ListReviewQueueResponse response;
  OMS_RETURN_IF_ERROR(context_->host().db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<store::VersionedWorkflow> waiting,
                         store::WorkflowsInStage(s, v1::PENDING_REVIEW));
    std::sort(waiting.begin(), waiting.end(), [](const auto& a, const auto& b) {
      return ProtoMicros(a.workflow.created_at()) < ProtoMicros(b.workflow.created_at());
    });
    for (const store::VersionedWorkflow& v : waiting) {
      v1::ReviewQueueEntry* entry = response.add_entries();
      entry->set_order_id(v.workflow.order_id());
      *entry->mutable_queued_at() = v.workflow.created_at();
      *entry->mutable_review_due() = v.workflow.stage_deadline();
      OMS_ASSIGN_OR_RETURN(std::vector<v1::ReviewDecision> decisions,
                           store::ReviewDecisions(s, v.workflow.order_id()));
      for (auto& d : decisions) *entry->add_reasons() = std::move(d);
    }
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::Workflow> ReviewDesk::Decide(const v1::ReviewOrderRequest& request,
                                                bool approve) {
  FieldErrors errors;
  errors.Required(request.order_id(), "order_id");
  errors.Required(request.reviewer(), "reviewer");
  errors.MaxLength(request.note(), 2000, "note");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::Workflow accepted;
  OMS_RETURN_IF_ERROR(context_->host().idempotency().Run(
      approve ? "ApproveOrder" : "RejectOrder", request.idempotency_key(), request, &accepted,
      [&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(std::optional<store::VersionedWorkflow> v,
                             store::FindWorkflow(s, request.order_id()));
        if (!v.has_value())
          return absl::NotFoundError(absl::StrCat("no workflow for order ", request.order_id()));
        v1::Workflow& wf = v->workflow;
        OMS_RETURN_IF_ERROR(CheckAccepts(wf, approve ? Command::kApprove : Command::kReject));
        absl::Time now = context_->Now();
        v1::ReviewDecision decision;
        decision.set_order_id(request.order_id());
        decision.set_outcome(approve ? v1::ReviewDecision::APPROVED : v1::ReviewDecision::REJECTED);
        decision.set_reviewer(request.reviewer());
        decision.set_note(request.note());
        decision.set_reason(approve ? "approved by reviewer" : "rejected by reviewer");
        *decision.mutable_decided_at() = ToProtoTime(now);
        OMS_RETURN_IF_ERROR(store::AddReviewDecision(s, decision));
        v1::ReviewDecided decided;
        *decided.mutable_decision() = decision;
        OMS_RETURN_IF_ERROR(
            context_->host().outbox().Append(s, request.order_id(), decided).status());
        // The order's history names the reviewer and what they noted.
        std::string reason = approve ? "approved in review" : "rejected in review";
        if (!request.note().empty()) absl::StrAppend(&reason, ": ", request.note());
        *wf.mutable_status_note() = MakeNote(request.reviewer(), reason, now);
        bool wait_for_payment = wf.payment_method() == order::v1::PREPAID && !wf.paid();
        Enter(wf,
              !approve           ? v1::REJECTED
              : wait_for_payment ? v1::AWAITING_PAYMENT
                                 : v1::ALLOCATING,
              now, context_->options());
        *wf.mutable_updated_at() = ToProtoTime(now);
        OMS_RETURN_IF_ERROR(engine_->Save(s, *v, v1::PENDING_REVIEW));
        accepted = wf;
        return absl::OkStatus();
      }));
  Learned learned;
  OMS_RETURN_IF_ERROR(engine_->Advance(request.order_id(), learned));
  OMS_ASSIGN_OR_RETURN(std::optional<store::VersionedWorkflow> now,
                       engine_->Find(request.order_id()));
  return now.has_value() ? now->workflow : accepted;
}

absl::StatusOr<v1::Workflow> ReviewDesk::Approve(const v1::ReviewOrderRequest& request) {
  return Decide(request, true);
}

absl::StatusOr<v1::Workflow> ReviewDesk::Reject(const v1::ReviewOrderRequest& request) {
  return Decide(request, false);
}

}  // namespace oms::orchestrator
