#include "inventory_svc/purchase_orders.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "inventory_svc/inventory_store.h"
#include "inventory_svc/purchase_store.h"
#include "inventory_svc/request_checks.h"
#include "inventory_svc/suppliers.h"
#include "platform/base/csv.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"
#include "platform/security/call_info.h"
#include "platform/storage/list_page.h"
#include "platform/storage/proto_rows.h"

namespace oms::inventory {
namespace {

absl::Status WrongStatus(const v1::PurchaseOrder& order, absl::string_view action) {
  return absl::FailedPreconditionError(
      absl::StrCat("purchase order ", order.purchase_order_id(), " is ",
                   v1::PurchaseOrderStatus_Name(order.status()), " and cannot be ", action));
}

// The cheapest active supplier of `sku` (then the shortest lead time, then the id).
std::optional<std::pair<const v1::Supplier*, const v1::SupplyTerm*>> BestSupplier(
    const std::vector<v1::Supplier>& suppliers, const std::string& sku) {
  std::optional<std::pair<const v1::Supplier*, const v1::SupplyTerm*>> best;
  for (const v1::Supplier& supplier : suppliers) {
    for (const v1::SupplyTerm& term : supplier.terms()) {
      if (term.sku() != sku) continue;
      if (!best.has_value() ||
          std::make_pair(term.unit_cost_minor(), term.lead_time_days()) <
              std::make_pair(best->second->unit_cost_minor(), best->second->lead_time_days())) {
        best = std::make_pair(&supplier, &term);
      }
    }
  }
  return best;
}

absl::StatusOr<std::string> ReceivingWarehouse(Session& s, const std::string& requested) {
  if (!requested.empty()) {
    OMS_ASSIGN_OR_RETURN(v1::Warehouse warehouse, store::LoadWarehouse(s, requested));
    if (warehouse.has_active() && !warehouse.active()) {
      return absl::FailedPreconditionError(
          absl::StrCat("warehouse ", requested, " is inactive and cannot receive goods"));
    }
    return requested;
  }
  OMS_ASSIGN_OR_RETURN(std::vector<WarehouseChoice> active, store::ActiveWarehouses(s));
  if (active.empty()) {
    return absl::FailedPreconditionError("no active warehouse to receive purchase orders into");
  }
  auto preferred = std::min_element(active.begin(), active.end(), [](const auto& a, const auto& b) {
    return std::tie(a.priority, a.warehouse_id) < std::tie(b.priority, b.warehouse_id);
  });
  return preferred->warehouse_id;
}

void SetTotal(v1::PurchaseOrder& order, const std::string& currency) {
  int64_t total = 0;
  for (const v1::PurchaseOrderLine& line : order.lines()) {
    total += line.quantity_ordered() * line.unit_cost_minor();
  }
  order.mutable_total()->set_currency_code(currency);
  order.mutable_total()->set_minor_units(total);
}

int64_t Outstanding(const v1::PurchaseOrderLine& line) {
  return std::max<int64_t>(0, line.quantity_ordered() - line.quantity_received());
}

}  // namespace

std::string PurchaseOrderCsv(const v1::PurchaseOrder& order) {
  std::string csv =
      CsvRecord({"sku", "quantity", "unit_cost_minor", "currency", "line_total_minor"});
  for (const v1::PurchaseOrderLine& line : order.lines()) {
    csv += CsvRecord({line.sku(), absl::StrCat(line.quantity_ordered()),
                      absl::StrCat(line.unit_cost_minor()), order.total().currency_code(),
                      absl::StrCat(line.quantity_ordered() * line.unit_cost_minor())});
  }
  return csv;
}

absl::StatusOr<v1::DraftPurchaseOrdersResponse> PurchaseOrders::Draft(
    const v1::DraftPurchaseOrdersRequest& request) {
  FieldErrors errors;
  errors.Check(request.window_days() >= 0 && request.window_days() <= 365, "window_days",
               "must be between 0 and 365");
  errors.Check(request.cover_days() >= 0 && request.cover_days() <= 365, "cover_days",
               "must be between 0 and 365");
  errors.Check(request.sku().empty() || IsIdentifier(request.sku()), "sku", "is not a sku");
  errors.Check(request.warehouse_id().empty() || IsIdentifier(request.warehouse_id()),
               "warehouse_id", "is not a warehouse id");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::DraftPurchaseOrdersResponse answer;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "DraftPurchaseOrders", request.idempotency_key(), request, &answer,
      [&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(std::string warehouse, ReceivingWarehouse(s, request.warehouse_id()));
        v1::GetReplenishmentSuggestionsRequest ask;
        ask.set_window_days(request.window_days());
        ask.set_cover_days(request.cover_days());
        ask.set_sku(request.sku());
        OMS_ASSIGN_OR_RETURN(v1::GetReplenishmentSuggestionsResponse suggested,
                             replenishment_->SuggestIn(s, ask));
        OMS_ASSIGN_OR_RETURN(std::vector<v1::Supplier> suppliers,
                             store::ListSuppliers(s, "", /*active_only=*/true));
        std::map<std::string, v1::PurchaseOrder> drafts;  // by supplier
        std::map<std::string, std::string> currency_of;
        for (const v1::ReplenishmentSuggestion& suggestion : suggested.suggestions()) {
          if (suggestion.suggested_quantity() <= 0) continue;
          auto best = BestSupplier(suppliers, suggestion.sku());
          if (!best.has_value()) {
            answer.add_skus_without_supplier(suggestion.sku());
            continue;
          }
          const auto& [supplier, term] = *best;
          v1::PurchaseOrderLine* line = drafts[supplier->supplier_id()].add_lines();
          line->set_sku(suggestion.sku());
          line->set_suggested_quantity(suggestion.suggested_quantity());
          line->set_quantity_ordered(RoundToTerms(suggestion.suggested_quantity(), *term));
          line->set_unit_cost_minor(term->unit_cost_minor());
          currency_of[supplier->supplier_id()] = supplier->currency();
        }
        absl::Time now = host_->clock().Now();
        for (auto& [supplier_id, order] : drafts) {
          order.set_purchase_order_id(host_->ids().Next("po"));
          order.set_supplier_id(supplier_id);
          order.set_warehouse_id(warehouse);
          order.set_status(v1::PO_DRAFT);
          order.set_created_by(auth::CurrentActor());
          *order.mutable_created_at() = ToProtoTime(now);
          std::sort(order.mutable_lines()->begin(), order.mutable_lines()->end(),
                    [](const auto& a, const auto& b) { return a.sku() < b.sku(); });
          SetTotal(order, currency_of[supplier_id]);
          OMS_RETURN_IF_ERROR(SaveChanged(s, order));
          *answer.add_drafts() = order;
        }
        return absl::OkStatus();
      }));
  return answer;
}

absl::StatusOr<v1::PurchaseOrder> PurchaseOrders::Get(const v1::GetPurchaseOrderRequest& request) {
  v1::PurchaseOrder order;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(order, Load(s, request.purchase_order_id()));
    return absl::OkStatus();
  }));
  return order;
}

absl::StatusOr<v1::ListPurchaseOrdersResponse> PurchaseOrders::List(
    const v1::ListPurchaseOrdersRequest& request) {
  FieldErrors errors;
  ListPage page = ListPage::Read(request, errors);
  store::PurchaseOrderQuery query;
  query.after = page.CreatedAfter(errors);
  errors.Check(v1::PurchaseOrderStatus_IsValid(request.status()), "status", "is not a status");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  query.status = request.status();
  query.supplier_id = request.supplier_id();
  query.overdue_only = request.overdue_only();
  query.limit = page.fetch_limit();
  v1::ListPurchaseOrdersResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::PurchaseOrder> rows, store::ListPurchaseOrders(s, query));
    response.set_next_page_token(
        page.Take(rows, response.mutable_purchase_orders(), [](const v1::PurchaseOrder& last) {
          return ListPage::CreatedKey(last.created_at(), last.purchase_order_id());
        }));
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::PurchaseOrder> PurchaseOrders::Approve(
    const v1::ApprovePurchaseOrderRequest& request) {
  v1::PurchaseOrder answer;
  OMS_RETURN_IF_ERROR(
      host_->idempotency().Run("ApprovePurchaseOrder", request.idempotency_key(), request, &answer,
                               [&](Session& s) -> absl::Status {
                                 OMS_ASSIGN_OR_RETURN(answer, Load(s, request.purchase_order_id()));
                                 if (answer.status() != v1::PO_DRAFT)
                                   return WrongStatus(answer, "approved");
                                 OMS_RETURN_IF_ERROR(limits_.CheckCovers(
                                     auth::CurrentPrincipal(), answer.total().minor_units(),
                                     absl::StrCat("purchase order ", answer.purchase_order_id(),
                                                  " (", answer.total().currency_code(), ")")));
                                 answer.set_status(v1::PO_APPROVED);
                                 answer.set_approved_by(auth::CurrentActor());
                                 *answer.mutable_approved_at() = ToProtoTime(host_->clock().Now());
                                 return SaveChanged(s, answer);
                               }));
  return answer;
}

absl::StatusOr<v1::PurchaseOrder> PurchaseOrders::Send(
    const v1::SendPurchaseOrderRequest& request) {
  v1::PurchaseOrder answer;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "SendPurchaseOrder", request.idempotency_key(), request, &answer,
      [&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(answer, Load(s, request.purchase_order_id()));
        if (answer.status() != v1::PO_APPROVED) return WrongStatus(answer, "sent");
        OMS_ASSIGN_OR_RETURN(std::optional<v1::Supplier> supplier,
                             store::FindSupplier(s, answer.supplier_id()));
        if (!supplier.has_value()) {
          return absl::FailedPreconditionError(
              absl::StrCat("supplier ", answer.supplier_id(), " no longer exists"));
        }
        int lead_days = 0;
        for (const v1::PurchaseOrderLine& line : answer.lines()) {
          for (const v1::SupplyTerm& term : supplier->terms()) {
            if (term.sku() == line.sku()) lead_days = std::max(lead_days, term.lead_time_days());
          }
        }
        absl::Time now = host_->clock().Now();
        answer.set_status(v1::PO_SENT);
        *answer.mutable_sent_at() = ToProtoTime(now);
        *answer.mutable_expected_at() = ToProtoTime(now + absl::Hours(24) * lead_days);
        OMS_RETURN_IF_ERROR(SaveChanged(s, answer));
        v1::PurchaseOrderSent sent;
        *sent.mutable_purchase_order() = answer;
        *sent.mutable_supplier() = *supplier;
        sent.mutable_supplier()->clear_terms();
        sent.set_document_csv(PurchaseOrderCsv(answer));
        return host_->outbox().Append(s, answer.purchase_order_id(), sent).status();
      }));
  return answer;
}

absl::StatusOr<v1::ReceivePurchaseOrderResponse> PurchaseOrders::Receive(
    const v1::ReceivePurchaseOrderRequest& request) {
  FieldErrors errors;
  for (int i = 0; i < request.lines_size(); ++i) {
    errors.Check(request.lines(i).quantity() > 0 && request.lines(i).quantity() <= 1'000'000'000,
                 IndexedField("lines", i, "quantity"), "must be between 1 and 10^9");
  }
  errors.MaxLength(request.actor(), 100, "actor");
  errors.MaxLength(request.note(), 500, "note");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::ReceivePurchaseOrderResponse answer;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "ReceivePurchaseOrder", request.idempotency_key(), request, &answer,
      [&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(v1::PurchaseOrder order, Load(s, request.purchase_order_id()));
        if (order.status() != v1::PO_SENT && order.status() != v1::PO_PARTIALLY_RECEIVED) {
          return WrongStatus(order, "received (send it first)");
        }
        // What arrives, per line of the order: the request's lines, or all outstanding.
        std::map<std::string, int64_t> arriving;
        FieldErrors bad;
        for (int i = 0; i < request.lines_size(); ++i) {
          arriving[request.lines(i).sku()] += request.lines(i).quantity();
        }
        if (request.lines().empty()) {
          for (const auto& line : order.lines()) arriving[line.sku()] = Outstanding(line);
        }
        for (int i = 0; i < request.lines_size(); ++i) {
          const std::string& sku = request.lines(i).sku();
          auto line = std::find_if(order.lines().begin(), order.lines().end(),
                                   [&](const auto& l) { return l.sku() == sku; });
          if (line == order.lines().end()) {
            bad.Add(IndexedField("lines", i, "sku"), "is not on this purchase order");
          } else if (arriving[sku] > Outstanding(*line)) {
            bad.Add(IndexedField("lines", i, "quantity"),
                    absl::StrCat("is more than the ", Outstanding(*line), " outstanding"));
          }
        }
        OMS_RETURN_IF_ERROR(bad.ToStatus());
        for (v1::PurchaseOrderLine& line : *order.mutable_lines()) {
          int64_t quantity = arriving[line.sku()];
          if (quantity <= 0) continue;
          v1::AdjustStockRequest receipt;
          receipt.set_sku(line.sku());
          receipt.set_warehouse_id(order.warehouse_id());
          receipt.set_delta(quantity);
          receipt.set_reason(v1::RECEIPT);
          receipt.set_actor(request.actor().empty() ? auth::CurrentActor() : request.actor());
          receipt.set_note(absl::StrCat("purchase order ", order.purchase_order_id(),
                                        request.note().empty() ? "" : ": ", request.note()));
          OMS_ASSIGN_OR_RETURN(v1::AdjustStockResponse done, ledger_->Apply(s, receipt));
          *answer.add_adjustments() = done.adjustment();
          for (auto& allocation : *done.mutable_backorders_allocated()) {
            *answer.add_backorders_allocated() = std::move(allocation);
          }
          line.set_quantity_received(line.quantity_received() + quantity);
        }
        bool complete = std::all_of(order.lines().begin(), order.lines().end(),
                                    [](const auto& line) { return Outstanding(line) == 0; });
        order.set_status(complete ? v1::PO_RECEIVED : v1::PO_PARTIALLY_RECEIVED);
        if (complete) order.set_overdue(false);
        OMS_RETURN_IF_ERROR(SaveChanged(s, order));
        *answer.mutable_purchase_order() = order;
        return absl::OkStatus();
      }));
  return answer;
}

absl::StatusOr<v1::PurchaseOrder> PurchaseOrders::Cancel(
    const v1::CancelPurchaseOrderRequest& request) {
  FieldErrors errors;
  errors.MaxLength(request.reason(), 500, "reason");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::PurchaseOrder answer;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "CancelPurchaseOrder", request.idempotency_key(), request, &answer,
      [&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(answer, Load(s, request.purchase_order_id()));
        if (answer.status() != v1::PO_DRAFT && answer.status() != v1::PO_APPROVED &&
            answer.status() != v1::PO_SENT) {
          return WrongStatus(answer, "cancelled (close a partly received order instead)");
        }
        answer.set_status(v1::PO_CANCELLED);
        answer.set_overdue(false);
        answer.set_note(request.reason());
        return SaveChanged(s, answer);
      }));
  return answer;
}

absl::StatusOr<v1::PurchaseOrder> PurchaseOrders::Close(
    const v1::ClosePurchaseOrderRequest& request) {
  FieldErrors errors;
  errors.MaxLength(request.reason(), 500, "reason");
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::PurchaseOrder answer;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "ClosePurchaseOrder", request.idempotency_key(), request, &answer,
      [&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(answer, Load(s, request.purchase_order_id()));
        if (answer.status() != v1::PO_PARTIALLY_RECEIVED) {
          return WrongStatus(answer, "closed short (only a partly received order can be)");
        }
        answer.set_status(v1::PO_CLOSED);
        answer.set_overdue(false);
        answer.set_note(request.reason());
        return SaveChanged(s, answer);
      }));
  return answer;
}

absl::StatusOr<v1::FlagOverduePurchaseOrdersResponse> PurchaseOrders::FlagOverdue() {
  v1::FlagOverduePurchaseOrdersResponse answer;
  OMS_RETURN_IF_ERROR(host_->db().Transact([&](Session& s) -> absl::Status {
    answer.Clear();
    OMS_ASSIGN_OR_RETURN(std::vector<v1::PurchaseOrder> due,
                         store::PurchaseOrdersDueBefore(s, host_->clock().Now()));
    for (v1::PurchaseOrder& order : due) {
      order.set_overdue(true);
      *order.mutable_updated_at() = ToProtoTime(host_->clock().Now());
      OMS_RETURN_IF_ERROR(store::SavePurchaseOrder(s, order));
      OMS_ASSIGN_OR_RETURN(std::optional<v1::Supplier> supplier,
                           store::FindSupplier(s, order.supplier_id()));
      v1::PurchaseOrderOverdue overdue;
      *overdue.mutable_purchase_order() = order;
      overdue.set_supplier_name(supplier.has_value() ? supplier->name() : order.supplier_id());
      for (const auto& line : order.lines()) {
        overdue.set_units_outstanding(overdue.units_outstanding() + Outstanding(line));
      }
      OMS_RETURN_IF_ERROR(host_->outbox().Append(s, order.purchase_order_id(), overdue).status());
      *answer.add_flagged() = std::move(order);
    }
    return absl::OkStatus();
  }));
  return answer;
}

absl::StatusOr<v1::PurchaseOrder> PurchaseOrders::Load(Session& s, const std::string& id) {
  OMS_ASSIGN_OR_RETURN(std::optional<v1::PurchaseOrder> found, store::FindPurchaseOrder(s, id));
  if (!found.has_value()) {
    return absl::NotFoundError(absl::StrCat("purchase order ", id, " does not exist"));
  }
  return *std::move(found);
}

absl::Status PurchaseOrders::SaveChanged(Session& s, v1::PurchaseOrder& order) {
  *order.mutable_updated_at() = ToProtoTime(host_->clock().Now());
  OMS_RETURN_IF_ERROR(store::SavePurchaseOrder(s, order));
  v1::PurchaseOrderChanged changed;
  *changed.mutable_purchase_order() = order;
  return host_->outbox().Append(s, order.purchase_order_id(), changed).status();
}

}  // namespace oms::inventory
