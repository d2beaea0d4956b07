#include "tools/omsctl/commands.h"

#include "tools/omsctl/command_list.h"

namespace oms::omsctl {

const std::vector<Command>& Commands() {
  static const auto* commands = new std::vector<Command>(AllCommands());
  return *commands;
}

const Command* FindCommand(const std::string& group, const std::string& verb) {
  for (const Command& c : Commands()) {
    if (c.group == group && c.verb == verb) return &c;
  }
  return nullptr;
}

const std::vector<std::string>& ServiceNames() {
  static const auto* names = new std::vector<std::string>{"orchestrator", "order",  "inventory",
                                                          "logistics",    "notify", "analytics"};
  return *names;
}

Target TargetByName(const std::string& name) {
  const auto& names = ServiceNames();
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<Target>(i);
  }
  return Target::kChosen;
}

}  // namespace oms::omsctl
