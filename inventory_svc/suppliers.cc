#include "inventory_svc/suppliers.h"

#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "inventory_svc/inventory_store.h"
#include "inventory_svc/purchase_store.h"
#include "inventory_svc/request_checks.h"
#include "platform/base/money.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"
#include "platform/storage/proto_rows.h"

namespace oms::inventory {
namespace {

constexpr int kMaxTerms = 1000;

void CheckContact(const v1::Supplier& s, FieldErrors& errors) {
  if (s.email().empty() && s.webhook_url().empty()) {
    errors.Add("supplier.email", "or supplier.webhook_url is needed to send purchase orders");
  }
  CheckEmail(s.email(), "supplier.email", errors);
  if (!s.webhook_url().empty()) {
    errors.Check((absl::StartsWith(s.webhook_url(), "https://") ||
                  absl::StartsWith(s.webhook_url(), "http://")) &&
                     s.webhook_url().size() <= 2000,
                 "supplier.webhook_url", "must be an http(s) URL");
  }
}

absl::Status ValidateSupplier(const v1::Supplier& s) {
  FieldErrors errors;
  errors.Check(IsIdentifier(s.supplier_id()), "supplier.supplier_id",
               "must be 1 to 64 of A-Z a-z 0-9 - _ .");
  if (errors.Required(s.name(), "supplier.name")) errors.MaxLength(s.name(), 200, "supplier.name");
  CheckContact(s, errors);
  errors.Check(IsKnownCurrency(s.currency()), "supplier.currency", "must be an ISO 4217 code");
  errors.Check(s.terms_size() <= kMaxTerms, "supplier.terms", "at most 1000");
  std::set<std::string> skus;
  for (int i = 0; i < s.terms_size() && i < kMaxTerms; ++i) {
    const v1::SupplyTerm& t = s.terms(i);
    if (errors.Check(IsIdentifier(t.sku()), IndexedField("supplier.terms", i, "sku"),
                     "is not a sku")) {
      errors.Check(skus.insert(t.sku()).second, IndexedField("supplier.terms", i, "sku"),
                   "appears twice");
    }
    errors.Check(t.unit_cost_minor() >= 0, IndexedField("supplier.terms", i, "unit_cost_minor"),
                 "must be >= 0");
    errors.Check(t.minimum_order_quantity() >= 0 && t.minimum_order_quantity() <= 1'000'000,
                 IndexedField("supplier.terms", i, "minimum_order_quantity"),
                 "must be between 0 and 1000000");
    errors.Check(t.pack_size() >= 0 && t.pack_size() <= 1'000'000,
                 IndexedField("supplier.terms", i, "pack_size"), "must be between 0 and 1000000");
    errors.Check(t.lead_time_days() >= 0 && t.lead_time_days() <= 3650,
                 IndexedField("supplier.terms", i, "lead_time_days"), "must be between 0 and 3650");
  }
  return errors.ToStatus();
}

}  // namespace

int64_t RoundToTerms(int64_t suggested, const v1::SupplyTerm& term) {
  int64_t quantity = std::max(suggested, term.minimum_order_quantity());
  if (term.pack_size() > 1) {
    quantity = (quantity + term.pack_size() - 1) / term.pack_size() * term.pack_size();
  }
  return quantity;
}

absl::StatusOr<v1::Supplier> Suppliers::Save(const v1::SaveSupplierRequest& request) {
  OMS_RETURN_IF_ERROR(ValidateSupplier(request.supplier()));
  v1::Supplier answer;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "SaveSupplier", request.idempotency_key(), request, &answer, [&](Session& s) -> absl::Status {
        v1::Supplier supplier = request.supplier();
        FieldErrors unknown;
        for (int i = 0; i < supplier.terms_size(); ++i) {
          absl::StatusOr<v1::Product> product = store::LoadProduct(s, supplier.terms(i).sku());
          if (product.status().code() == absl::StatusCode::kNotFound) {
            unknown.Add(IndexedField("supplier.terms", i, "sku"), "is not a product");
          } else {
            OMS_RETURN_IF_ERROR(product.status());
          }
        }
        OMS_RETURN_IF_ERROR(unknown.ToStatus());
        OMS_ASSIGN_OR_RETURN(std::optional<v1::Supplier> before,
                             store::FindSupplier(s, supplier.supplier_id()));
        absl::Time now = host_->clock().Now();
        *supplier.mutable_created_at() =
            before.has_value() ? before->created_at() : ToProtoTime(now);
        *supplier.mutable_updated_at() = ToProtoTime(now);
        if (!supplier.has_active()) supplier.set_active(true);
        OMS_RETURN_IF_ERROR(store::SaveSupplier(s, supplier));
        answer = supplier;
        return absl::OkStatus();
      }));
  return answer;
}

absl::StatusOr<v1::Supplier> Suppliers::Get(const v1::GetSupplierRequest& request) {
  std::optional<v1::Supplier> found;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(found, store::FindSupplier(s, request.supplier_id()));
    return absl::OkStatus();
  }));
  if (!found.has_value()) {
    return absl::NotFoundError(absl::StrCat("supplier ", request.supplier_id(), " does not exist"));
  }
  return *found;
}

absl::StatusOr<v1::ListSuppliersResponse> Suppliers::List(const v1::ListSuppliersRequest& request) {
  v1::ListSuppliersResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Supplier> suppliers,
                         store::ListSuppliers(s, request.sku(), request.active_only()));
    for (v1::Supplier& supplier : suppliers) *response.add_suppliers() = std::move(supplier);
    return absl::OkStatus();
  }));
  return response;
}

}  // namespace oms::inventory
