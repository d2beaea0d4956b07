#ifndef OMS_TOOLS_OMSCTL_COMMANDS_H_
#define OMS_TOOLS_OMSCTL_COMMANDS_H_

#include <string>
#include <vector>

namespace oms::omsctl {

// Which server a command talks to. kChosen: the command's first argument names it (feed and
// audit commands work against any service: "omsctl feed list order").
enum class Target { kOrchestrator, kOrder, kInventory, kLogistics, kNotify, kAnalytics, kChosen };

// One subcommand: "omsctl <group> <verb> [ARG] [field=value ...]".
struct Command {
  std::string group;
  std::string verb;
  Target target;
  std::string service;  // full gRPC service name
  std::string method;
  std::string argument;              // the request field the positional ARG sets ("" for none)
  std::vector<std::string> presets;  // field=value set before the user's (e.g. reason=RECEIPT)
  bool stream = false;               // server streaming: ExportReport writes the CSV through
  std::string summary;
};

const std::vector<Command>& Commands();
const Command* FindCommand(const std::string& group, const std::string& verb);

// The six services by short name ("order", "inventory"...), for kChosen and the address flags.
const std::vector<std::string>& ServiceNames();
Target TargetByName(const std::string& name);  // kChosen when unknown

}  // namespace oms::omsctl

#endif  // OMS_TOOLS_OMSCTL_COMMANDS_H_
