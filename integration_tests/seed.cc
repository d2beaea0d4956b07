#include "integration_tests/seed.h"

#include "absl/strings/str_cat.h"

namespace oms::integration {
namespace {

absl::Status Check(const grpc::Status& status, const std::string& what) {
  if (status.ok()) return absl::OkStatus();
  return absl::InternalError(absl::StrCat(what, ": ", status.error_message()));
}

}  // namespace

absl::Status SeedCatalogue(inventory::v1::InventoryService::Stub& inventory,
                           const std::vector<SeedProduct>& products) {
  grpc::ClientContext w;
  inventory::v1::CreateWarehouseRequest warehouse;
  warehouse.mutable_warehouse()->set_warehouse_id("SH-01");
  warehouse.mutable_warehouse()->set_name("上海仓");
  warehouse.mutable_warehouse()->set_region("East");
  inventory::v1::Warehouse created_warehouse;
  if (auto s = Check(inventory.CreateWarehouse(&w, warehouse, &created_warehouse), "warehouse");
      !s.ok()) {
    return s;
  }
  for (const SeedProduct& seed : products) {
    grpc::ClientContext p;
    inventory::v1::CreateProductRequest product;
    product.mutable_product()->set_sku(seed.sku);
    product.mutable_product()->set_name(seed.sku);
    product.mutable_product()->mutable_unit_price()->set_currency_code("CNY");
    product.mutable_product()->set_weight_g(250);
    product.mutable_product()->set_safety_stock(seed.safety_stock);
    inventory::v1::Product created;
    if (auto s = Check(inventory.CreateProduct(&p, product, &created), seed.sku); !s.ok()) return s;
    grpc::ClientContext r;
    inventory::v1::AdjustStockRequest receipt;
    receipt.set_sku(seed.sku);
    receipt.set_warehouse_id("SH-01");
    receipt.set_delta(seed.units);
    receipt.set_reason(inventory::v1::RECEIPT);
    inventory::v1::AdjustStockResponse response;
    if (auto s = Check(inventory.AdjustStock(&r, receipt, &response), seed.sku); !s.ok()) return s;
  }
  return absl::OkStatus();
}

AllocatedUnits UnitsOf(const inventory::v1::Allocation& allocation) {
  AllocatedUnits units;
  for (const auto& r : allocation.reservations()) units.reserved += r.quantity();
  for (const auto& b : allocation.backordered()) units.waiting += b.quantity();
  return units;
}

std::string CarriersFlag() {
  return "--carriers_file=" + RunfilesBinary("logistics_svc", "carriers.textproto");
}

std::unique_ptr<ServiceProcess> LogisticsWithCarriers(const std::string& work_dir,
                                                      std::vector<std::string> extra_args) {
  extra_args.push_back(CarriersFlag());
  return std::make_unique<ServiceProcess>("logistics_svc", work_dir, std::move(extra_args));
}

std::vector<std::string> OrchestratorArgs(const Endpoint& order, const Endpoint& inventory,
                                          const Endpoint& logistics) {
  return {"--order_addr=" + order.address(), "--inventory_addr=" + inventory.address(),
          "--logistics_addr=" + logistics.address(), "--retry_backoff=50ms",
          "--worker_interval=50ms"};
}

std::unique_ptr<ServiceProcess> OrchestratorFor(const std::string& work_dir, const Endpoint& order,
                                                const Endpoint& inventory,
                                                const Endpoint& logistics,
                                                std::vector<std::string> extra_args) {
  std::vector<std::string> args = OrchestratorArgs(order, inventory, logistics);
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  return std::make_unique<ServiceProcess>("orchestrator_svc", work_dir, std::move(args));
}

}  // namespace oms::integration
