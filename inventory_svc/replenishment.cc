#include "inventory_svc/replenishment.h"

#include <algorithm>
#include <vector>

#include "inventory_svc/inventory_store.h"
#include "inventory_svc/purchase_store.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"

namespace oms::inventory {

absl::Status Replenishment::CheckLowStock(Session& s, const std::set<std::string>& skus) {
  for (const std::string& sku : skus) {
    OMS_ASSIGN_OR_RETURN(v1::Product product, store::LoadProduct(s, sku));
    OMS_ASSIGN_OR_RETURN(int64_t available, store::TotalAvailable(s, sku));
    OMS_ASSIGN_OR_RETURN(bool alerted, store::LowStockAlerted(s, sku));
    bool below = product.active() && available < product.safety_stock();
    if (below && !alerted) {
      OMS_RETURN_IF_ERROR(store::SetLowStockAlerted(s, sku, true));
      v1::LowStock event;
      event.set_sku(sku);
      event.set_available(available);
      event.set_safety_stock(product.safety_stock());
      OMS_RETURN_IF_ERROR(host_->outbox().Append(s, sku, event).status());
    } else if (!below && alerted) {
      OMS_RETURN_IF_ERROR(store::SetLowStockAlerted(s, sku, false));  // re-arm
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::GetReplenishmentSuggestionsResponse> Replenishment::Suggest(
    const v1::GetReplenishmentSuggestionsRequest& request) {
  FieldErrors errors;
  errors.Check(request.window_days() >= 0 && request.window_days() <= 365, "window_days",
               "must be between 0 and 365");
  errors.Check(request.cover_days() >= 0 && request.cover_days() <= 365, "cover_days",
               "must be between 0 and 365");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::GetReplenishmentSuggestionsResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(response, SuggestIn(s, request));
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::GetReplenishmentSuggestionsResponse> Replenishment::SuggestIn(
    Session& s, const v1::GetReplenishmentSuggestionsRequest& request) {
  const int64_t window = request.window_days() == 0 ? 30 : request.window_days();
  const int64_t cover = request.cover_days() == 0 ? 14 : request.cover_days();
  v1::GetReplenishmentSuggestionsResponse response;
  {
    std::vector<v1::Product> products;
    if (!request.sku().empty()) {
      OMS_ASSIGN_OR_RETURN(v1::Product product, store::LoadProduct(s, request.sku()));
      products.push_back(product);
    } else {
      std::string after;
      while (true) {
        OMS_ASSIGN_OR_RETURN(std::vector<v1::Product> page,
                             store::ListProducts(s, "", /*active_only=*/true, after, 1000));
        if (page.empty()) break;
        after = page.back().sku();
        products.insert(products.end(), page.begin(), page.end());
      }
    }
    OMS_ASSIGN_OR_RETURN(auto demand,
                         store::DemandSince(s, host_->clock().Now() - absl::Hours(24 * window)));
    OMS_ASSIGN_OR_RETURN(auto on_order, store::OnOrder(s));
    std::vector<v1::ReplenishmentSuggestion> suggestions;
    for (const v1::Product& p : products) {
      v1::ReplenishmentSuggestion& out = suggestions.emplace_back();
      int64_t ordered = demand[p.sku()];
      OMS_ASSIGN_OR_RETURN(int64_t available, store::TotalAvailable(s, p.sku()));
      OMS_ASSIGN_OR_RETURN(int64_t waiting, store::WaitingQuantity(s, p.sku()));
      // Integer ceilings of demand over lead time (and over lead time plus cover).
      int64_t lead_demand = (ordered * p.lead_time_days() + window - 1) / window;
      int64_t target_demand = (ordered * (p.lead_time_days() + cover) + window - 1) / window;
      // What open purchase orders bring counts as coming, so a reorder is not made twice.
      int64_t position = available - waiting + on_order[p.sku()];
      out.set_sku(p.sku());
      out.set_demand_in_window(ordered);
      out.set_average_daily_demand(static_cast<double>(ordered) / static_cast<double>(window));
      out.set_lead_time_days(p.lead_time_days());
      out.set_safety_stock(p.safety_stock());
      out.set_available(available);
      out.set_backordered(waiting);
      out.set_on_order(on_order[p.sku()]);
      out.set_reorder_point(lead_demand + p.safety_stock());
      out.set_suggested_quantity(
          position < out.reorder_point() ? target_demand + p.safety_stock() - position : 0);
    }
    std::stable_sort(suggestions.begin(), suggestions.end(), [](const auto& a, const auto& b) {
      return (a.suggested_quantity() > 0) > (b.suggested_quantity() > 0);
    });
    for (auto& suggestion : suggestions) *response.add_suggestions() = std::move(suggestion);
  }
  return response;
}

}  // namespace oms::inventory
