#ifndef OMS_INTEGRATION_TESTS_LOOPBACK_PORT_H_
#define OMS_INTEGRATION_TESTS_LOOPBACK_PORT_H_

namespace oms::integration {

// A loopback port for a service this test process starts, named to its peers before it
// starts (the orchestrator asks analytics_svc, which follows the orchestrator).
//
// The port stays reserved until this process exits: a socket bound to it is kept open, not
// listening. It was bound exclusively, so no other test's ReserveLoopbackPort (and nothing
// else that binds without SO_REUSEADDR/SO_REUSEPORT) can take the port, before the service
// binds it or while it restarts; afterwards the socket allows address and port reuse, so the
// service itself binds over it (gRPC sets SO_REUSEADDR, cpp-httplib SO_REUSEPORT). Ports are
// drawn below the kernel's ephemeral range, so no outgoing connection takes one either.
// CI saw "address in use" when the port was only probed and released.
int ReserveLoopbackPort();

}  // namespace oms::integration

#endif  // OMS_INTEGRATION_TESTS_LOOPBACK_PORT_H_
