// The table of omsctl commands (command_list.cc); commands.h is how the tool looks them up.
#ifndef OMS_TOOLS_OMSCTL_COMMAND_LIST_H_
#define OMS_TOOLS_OMSCTL_COMMAND_LIST_H_

#include <vector>

#include "tools/omsctl/commands.h"

namespace oms::omsctl {

// Every command, grouped by area in the order `omsctl help` lists them.
std::vector<Command> AllCommands();

}  // namespace oms::omsctl

#endif  // OMS_TOOLS_OMSCTL_COMMAND_LIST_H_
