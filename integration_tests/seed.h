#ifndef OMS_INTEGRATION_TESTS_SEED_H_
#define OMS_INTEGRATION_TESTS_SEED_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "integration_tests/service_process.h"
#include "oms/inventory/v1/inventory.grpc.pb.h"

namespace oms::integration {

struct SeedProduct {
  std::string sku;
  int64_t units = 0;  // received into the warehouse
  int64_t safety_stock = 0;
};

// Creates warehouse SH-01 (region East) and the products (CNY, 250 g) with their stock, the
// catalogue every suite-level test starts from.
absl::Status SeedCatalogue(inventory::v1::InventoryService::Stub& inventory,
                           const std::vector<SeedProduct>& products);

// The units an allocation holds: reserved in warehouses, and waiting in the backorder queue.
struct AllocatedUnits {
  int64_t reserved = 0;
  int64_t waiting = 0;
};
AllocatedUnits UnitsOf(const inventory::v1::Allocation& allocation);

// The flag giving logistics_svc the carriers `./oms up` seeds (logistics_svc/carriers.textproto,
// which the test must list in its data).
std::string CarriersFlag();

// logistics_svc with those carriers, plus `extra_args`.
std::unique_ptr<ServiceProcess> LogisticsWithCarriers(const std::string& work_dir,
                                                      std::vector<std::string> extra_args = {});

// orchestrator_svc's flags wiring it to those three, with quick retries and worker ticks for
// tests.
std::vector<std::string> OrchestratorArgs(const Endpoint& order, const Endpoint& inventory,
                                          const Endpoint& logistics);

// orchestrator_svc with those flags, plus `extra_args`.
std::unique_ptr<ServiceProcess> OrchestratorFor(const std::string& work_dir, const Endpoint& order,
                                                const Endpoint& inventory,
                                                const Endpoint& logistics,
                                                std::vector<std::string> extra_args = {});

}  // namespace oms::integration

#endif  // OMS_INTEGRATION_TESTS_SEED_H_
