#include "inventory_svc/catalogue.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "inventory_svc/inventory_store.h"
#include "inventory_svc/request_checks.h"
#include "platform/base/money.h"
#include "platform/base/status.h"
#include "platform/base/validation.h"
#include "platform/storage/list_page.h"
#include "platform/storage/proto_rows.h"

namespace oms::inventory {
namespace {

using google::protobuf::util::TimeUtil;

absl::Status ValidateProduct(const v1::Product& p) {
  FieldErrors errors;
  errors.Check(IsIdentifier(p.sku()), "product.sku", "must be 1 to 64 of A-Z a-z 0-9 - _ .");
  if (errors.Required(p.name(), "product.name")) errors.MaxLength(p.name(), 200, "product.name");
  errors.MaxLength(p.category(), 64, "product.category");
  if (errors.Check(IsKnownCurrency(p.unit_price().currency_code()), "product.unit_price",
                   "needs an ISO 4217 currency_code")) {
    errors.Check(p.unit_price().minor_units() >= 0, "product.unit_price", "must be >= 0");
  }
  errors.Check(p.weight_g() >= 0, "product.weight_g", "must be >= 0");
  errors.Check(p.volume_cm3() >= 0, "product.volume_cm3", "must be >= 0");
  errors.Check(p.safety_stock() >= 0, "product.safety_stock", "must be >= 0");
  errors.Check(p.lead_time_days() >= 0 && p.lead_time_days() <= 3650, "product.lead_time_days",
               "must be between 0 and 3650");
  return errors.ToStatus();
}

absl::Status ValidateWarehouse(const v1::Warehouse& w) {
  FieldErrors errors;
  errors.Check(IsIdentifier(w.warehouse_id()), "warehouse.warehouse_id",
               "must be 1 to 64 of A-Z a-z 0-9 - _ .");
  if (errors.Required(w.name(), "warehouse.name")) {
    errors.MaxLength(w.name(), 200, "warehouse.name");
  }
  if (errors.Required(w.region(), "warehouse.region")) {
    errors.MaxLength(w.region(), 64, "warehouse.region");
  }
  errors.Check(w.priority() >= 0, "warehouse.priority", "must be >= 0 (lower is preferred)");
  errors.Check(w.cutoff_minute() >= 0 && w.cutoff_minute() <= 1440, "warehouse.cutoff_minute",
               "must be between 0 (none) and 1440");
  errors.Check(w.utc_offset_minutes() >= -14 * 60 && w.utc_offset_minutes() <= 14 * 60,
               "warehouse.utc_offset_minutes", "must be between -840 and 840");
  errors.Check(w.handling_days() >= 0 && w.handling_days() <= 60, "warehouse.handling_days",
               "must be between 0 and 60");
  return errors.ToStatus();
}

}  // namespace

absl::StatusOr<v1::Product> Catalogue::CreateProduct(const v1::CreateProductRequest& request) {
  OMS_RETURN_IF_ERROR(ValidateProduct(request.product()));
  v1::Product answer;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "CreateProduct", request.idempotency_key(), request, &answer,
      [&](Session& s) -> absl::Status {
        v1::Product product = request.product();
        if (!product.has_active()) product.set_active(true);
        *product.mutable_created_at() = ToProtoTime(host_->clock().Now());
        *product.mutable_updated_at() = product.created_at();
        absl::Status inserted = store::InsertProduct(s, product);
        if (inserted.code() == absl::StatusCode::kAlreadyExists) {
          return absl::AlreadyExistsError(absl::StrCat("product ", product.sku(), " exists"));
        }
        OMS_RETURN_IF_ERROR(inserted);
        answer = product;
        v1::ProductChanged event;
        *event.mutable_product() = product;
        return host_->outbox().Append(s, product.sku(), event).status();
      }));
  return answer;
}

absl::StatusOr<v1::Product> Catalogue::UpdateProduct(const v1::UpdateProductRequest& request) {
  OMS_RETURN_IF_ERROR(ValidateProduct(request.product()));
  v1::Product answer;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "UpdateProduct", request.idempotency_key(), request, &answer,
      [&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(v1::Product current, store::LoadProduct(s, request.product().sku()));
        v1::Product product = request.product();
        if (!product.has_active()) product.set_active(current.active());
        *product.mutable_created_at() = current.created_at();
        *product.mutable_updated_at() = ToProtoTime(host_->clock().Now());
        OMS_RETURN_IF_ERROR(store::SaveProduct(s, product));
        answer = product;
        v1::ProductChanged event;
        *event.mutable_product() = product;
        return host_->outbox().Append(s, product.sku(), event).status();
      }));
  return answer;
}

absl::StatusOr<v1::Product> Catalogue::GetProduct(const v1::GetProductRequest& request) {
  v1::Product product;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(product, store::LoadProduct(s, request.sku()));
    return absl::OkStatus();
  }));
  return product;
}

absl::StatusOr<v1::ListProductsResponse> Catalogue::ListProducts(
    const v1::ListProductsRequest& request) {
  FieldErrors errors;
  ListPage page = ListPage::Read(request, errors);
  OMS_RETURN_IF_ERROR(errors.ToStatus());
  v1::ListProductsResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Product> products,
                         store::ListProducts(s, request.category(), request.active_only(),
                                             page.after().value_or(""), page.fetch_limit()));
    response.set_next_page_token(page.Take(products, response.mutable_products(),
                                           [](const v1::Product& last) { return last.sku(); }));
    return absl::OkStatus();
  }));
  return response;
}

absl::StatusOr<v1::Warehouse> Catalogue::CreateWarehouse(
    const v1::CreateWarehouseRequest& request) {
  OMS_RETURN_IF_ERROR(ValidateWarehouse(request.warehouse()));
  v1::Warehouse answer;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "CreateWarehouse", request.idempotency_key(), request, &answer,
      [&](Session& s) -> absl::Status {
        v1::Warehouse warehouse = request.warehouse();
        if (!warehouse.has_active()) warehouse.set_active(true);
        *warehouse.mutable_created_at() = ToProtoTime(host_->clock().Now());
        *warehouse.mutable_updated_at() = warehouse.created_at();
        absl::Status inserted = store::InsertWarehouse(s, warehouse);
        if (inserted.code() == absl::StatusCode::kAlreadyExists) {
          return absl::AlreadyExistsError(
              absl::StrCat("warehouse ", warehouse.warehouse_id(), " exists"));
        }
        OMS_RETURN_IF_ERROR(inserted);
        answer = warehouse;
        return absl::OkStatus();
      }));
  return answer;
}

absl::StatusOr<v1::Warehouse> Catalogue::UpdateWarehouse(
    const v1::UpdateWarehouseRequest& request) {
  OMS_RETURN_IF_ERROR(ValidateWarehouse(request.warehouse()));
  v1::Warehouse answer;
  OMS_RETURN_IF_ERROR(host_->idempotency().Run(
      "UpdateWarehouse", request.idempotency_key(), request, &answer,
      [&](Session& s) -> absl::Status {
        OMS_ASSIGN_OR_RETURN(v1::Warehouse current,
                             store::LoadWarehouse(s, request.warehouse().warehouse_id()));
        v1::Warehouse warehouse = request.warehouse();
        if (!warehouse.has_active()) warehouse.set_active(current.active());
        *warehouse.mutable_created_at() = current.created_at();
        *warehouse.mutable_updated_at() = ToProtoTime(host_->clock().Now());
        OMS_RETURN_IF_ERROR(store::SaveWarehouse(s, warehouse));
        answer = warehouse;
        return absl::OkStatus();
      }));
  return answer;
}

absl::StatusOr<v1::Warehouse> Catalogue::GetWarehouse(const v1::GetWarehouseRequest& request) {
  v1::Warehouse warehouse;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(warehouse, store::LoadWarehouse(s, request.warehouse_id()));
    return absl::OkStatus();
  }));
  return warehouse;
}

absl::StatusOr<v1::ListWarehousesResponse> Catalogue::ListWarehouses(
    const v1::ListWarehousesRequest& request) {
  v1::ListWarehousesResponse response;
  OMS_RETURN_IF_ERROR(host_->db().Read([&](Session& s) -> absl::Status {
    OMS_ASSIGN_OR_RETURN(std::vector<v1::Warehouse> warehouses,
                         store::ListWarehouses(s, request.region(), request.active_only()));
    for (v1::Warehouse& w : warehouses) *response.add_warehouses() = std::move(w);
    return absl::OkStatus();
  }));
  return response;
}

}  // namespace oms::inventory
