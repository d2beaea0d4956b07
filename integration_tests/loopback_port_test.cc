#include "integration_tests/loopback_port.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <set>

#include "gtest/gtest.h"

namespace oms::integration {
namespace {

// Binds and listens on loopback `port` with the given reuse options, as a service would;
// answers the listening descriptor, or -1.
int Listen(int port, bool reuse_address, bool reuse_port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  const int yes = 1;
  if (reuse_address) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  if (reuse_port) setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &yes, sizeof(yes));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 || listen(fd, 8) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

TEST(ReserveLoopbackPortTest, AReservedPortCannotBeTakenByAPlainBind) {
  const int port = ReserveLoopbackPort();
  ASSERT_GT(port, 0);
  EXPECT_EQ(Listen(port, false, false), -1);  // what another test's reservation tries first
}

TEST(ReserveLoopbackPortTest, AGrpcStyleServiceBindsItAndBindsItAgainAfterARestart) {
  const int port = ReserveLoopbackPort();
  ASSERT_GT(port, 0);
  int service = Listen(port, /*reuse_address=*/true, /*reuse_port=*/false);
  ASSERT_GE(service, 0);
  EXPECT_EQ(Listen(port, true, false), -1);   // a second copy of the service still cannot
  close(service);                             // killed
  EXPECT_EQ(Listen(port, false, false), -1);  // still reserved while it is down
  service = Listen(port, true, false);        // restarted on the same port
  EXPECT_GE(service, 0);
  close(service);
}

TEST(ReserveLoopbackPortTest, AnHttplibStyleListenerBindsIt) {
  const int port = ReserveLoopbackPort();
  ASSERT_GT(port, 0);
  const int listener = Listen(port, /*reuse_address=*/false, /*reuse_port=*/true);
  EXPECT_GE(listener, 0);
  if (listener >= 0) close(listener);
}

TEST(ReserveLoopbackPortTest, ReservationsAreDistinct) {
  std::set<int> ports;
  for (int i = 0; i < 50; ++i) ports.insert(ReserveLoopbackPort());
  EXPECT_EQ(ports.size(), 50u);
  EXPECT_EQ(ports.count(0), 0u);
}

}  // namespace
}  // namespace oms::integration
