#ifndef OMS_TOOLS_OMSCTL_LINKED_PROTOS_H_
#define OMS_TOOLS_OMSCTL_LINKED_PROTOS_H_

namespace oms::omsctl {

// The generated descriptors register themselves only when their objects are linked in:
// this touches one message of every API file, so that the commands can find any method by
// name in the generated pool.
void LinkAllProtos();

}  // namespace oms::omsctl

#endif  // OMS_TOOLS_OMSCTL_LINKED_PROTOS_H_
