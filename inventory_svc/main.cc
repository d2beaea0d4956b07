// inventory_svc: serves health, reflection, EventFeed and GetServiceInfo over its migrated store.
// Its domain RPCs arrive with issue 3.
//   bazel run //inventory_svc -- --listen=127.0.0.1:50052 --db=var/inventory_svc.db
#include "oms/inventory/v1/inventory.grpc.pb.h"
#include "platform/info_only_service.h"
#include "platform/service_main.h"

int main(int argc, char** argv) {
  using Service = oms::InfoOnlyService<oms::inventory::v1::InventoryService::Service>;
  return oms::RunInfoOnlyServiceMain<Service>(
      argc, argv, "inventory_svc", 50052,
      oms::inventory::v1::InventoryService::service_full_name());
}
