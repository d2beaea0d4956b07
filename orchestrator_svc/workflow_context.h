// What every part of the orchestrator shares: its options, its host (store, clock, ids,
// outbox), the peers it drives and the reference data it caches.
#ifndef OMS_ORCHESTRATOR_SVC_WORKFLOW_CONTEXT_H_
#define OMS_ORCHESTRATOR_SVC_WORKFLOW_CONTEXT_H_

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "oms/inventory/v1/inventory.pb.h"
#include "oms/orchestrator/v1/orchestrator.pb.h"
#include "oms/order/v1/order.pb.h"
#include "orchestrator_svc/peers.h"
#include "orchestrator_svc/stage_table.h"
#include "platform/base/ttl_cache.h"
#include "platform/security/approval_limits.h"
#include "platform/server/service_host.h"

namespace oms::orchestrator {

struct OrchestratorOptions {
  absl::Duration call_deadline = absl::Seconds(5);
  absl::Duration retry_backoff = absl::Seconds(2);  // doubles per attempt
  absl::Duration max_backoff = absl::Minutes(5);
  absl::Duration review_sla = absl::Hours(4);
  absl::Duration payment_timeout = absl::Minutes(30);
  absl::Duration processing_timeout = absl::Minutes(30);  // per stage: allocate, ship
  absl::Duration stock_shortage_after = absl::Hours(24);
  absl::Duration pickup_timeout = absl::Hours(48);  // labels not picked up by then
  absl::Duration ticket_sla = absl::Hours(24);
  // A placed order's workflow the OrderCreated event had to store (PlaceOrder stopped before
  // storing it) runs this long after the event: PlaceOrder may still be running its pass.
  absl::Duration adopt_placed_after = absl::Seconds(10);
  // How long product weights and warehouse regions fetched for shipments are reused.
  absl::Duration reference_ttl = absl::Seconds(60);
  // Satisfaction: the survey link's prefix (the token follows), what a low rating opens,
  // and how much compensation each role grants on its own.
  std::string survey_url_prefix = "https://shop.example/survey/";
  int feedback_followup_rating = 2;  // ratings at or below open a follow-up ticket
  v1::ExceptionType feedback_followup_type = v1::FEEDBACK_FOLLOWUP;
  auth::ApprovalLimits compensation_limits;
  // Customer tiers: VIP with this many orders completed in a year, or this much spent.
  int vip_completed_orders = 5;
  int64_t vip_spend_minor = 500000;
  // Customers of these tiers have their backorders served first (after urgency within
  // them); empty: first come, first served (and no customer lookup at allocation).
  std::vector<v1::CustomerTier> backorder_priority_tiers;

  absl::Duration For(Deadline deadline) const;
};

// A workflow waiting for an event or a person runs again only when something wakes it.
inline constexpr int64_t kParkedUnixSeconds = 253402300799;  // 9999-12-31
absl::Time Parked();

// The idempotency key of one step of one order: "<order_id>:<step>".
std::string StepKey(const std::string& order_id, const std::string& step);

// What one pass over a workflow has learned from the other services, so that consecutive
// stages (and PlaceOrder's answer) do not ask again.
struct Learned {
  std::optional<inventory::v1::Allocation> allocation;  // as inventory_svc last answered it
  std::optional<order::v1::Order> order;                // as order_svc last answered it
  bool owes_status = false;  // the last saved step left status changes owed to order_svc
};

class WorkflowContext {
 public:
  WorkflowContext(ServiceHost* host, Peers peers, OrchestratorOptions options)
      : host_(host),
        peers_(peers),
        options_(options),
        products_(&host->clock(), options.reference_ttl),
        warehouses_(&host->clock(), options.reference_ttl) {}

  ServiceHost& host() { return *host_; }
  const Peers& peers() const { return peers_; }
  const OrchestratorOptions& options() const { return options_; }
  absl::Time Now() const { return host_->clock().Now(); }

  // A product or a warehouse, from the cache or inventory_svc.
  absl::StatusOr<inventory::v1::Product> Product(const std::string& sku);
  absl::StatusOr<inventory::v1::Warehouse> Warehouse(const std::string& warehouse_id);

 private:
  ServiceHost* host_;
  Peers peers_;
  OrchestratorOptions options_;
  TtlCache<inventory::v1::Product> products_;
  TtlCache<inventory::v1::Warehouse> warehouses_;
};

}  // namespace oms::orchestrator

#endif  // OMS_ORCHESTRATOR_SVC_WORKFLOW_CONTEXT_H_
