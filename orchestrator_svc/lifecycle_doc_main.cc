// Prints the generated parts of docs/ORDER_LIFECYCLE.md from the stage table (the stage
// table as Markdown, then the state diagram as Mermaid), for pasting into the doc when the
// table changes; stage_table_test fails until the doc matches.
//   bazel run //orchestrator_svc:lifecycle_doc
#include <iostream>

#include "orchestrator_svc/stage_table.h"

int main() {
  std::cout << oms::orchestrator::RenderLifecycleTable() << "\n```mermaid\n"
            << oms::orchestrator::RenderStateDiagram() << "```\n";
  return 0;
}
