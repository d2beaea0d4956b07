// The table of omsctl commands (command_list.cc); commands.h is how the tool looks them up.
#ifndef OMS_TOOLS_OMSCTL_COMMAND_LIST_H_
#define OMS_TOOLS_OMSCTL_COMMAND_LIST_H_

#include <vector>

#include "tools/omsctl/commands.h"

namespace oms::omsctl {

// The services the commands call, by full gRPC name.
inline constexpr char kOrchestrator[] = "oms.orchestrator.v1.OrchestratorService";
inline constexpr char kOrder[] = "oms.order.v1.OrderService";
inline constexpr char kInventory[] = "oms.inventory.v1.InventoryService";
inline constexpr char kLogistics[] = "oms.logistics.v1.LogisticsService";
inline constexpr char kAnalytics[] = "oms.analytics.v1.AnalyticsService";
inline constexpr char kFeed[] = "oms.events.v1.EventFeed";
inline constexpr char kAudit[] = "oms.security.v1.AuditLog";

// Every command, grouped by area in the order `omsctl help` lists them.
std::vector<Command> AllCommands();
// The orders area (order_commands.cc): an order's life from placing to its return.
std::vector<Command> OrderCommands();

}  // namespace oms::omsctl

#endif  // OMS_TOOLS_OMSCTL_COMMAND_LIST_H_
