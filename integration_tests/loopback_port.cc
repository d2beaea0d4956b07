#include "integration_tests/loopback_port.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>

#include "absl/random/random.h"
#include "absl/synchronization/mutex.h"

namespace oms::integration {
namespace {

// Binds a new socket exclusively to loopback `port` (0: the kernel picks one from its
// ephemeral range), then lets services bind over it, and keeps it open for the life of the
// process. Answers the port, or 0 when it could not be bound.
int BindAndHold(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  socklen_t length = sizeof(address);
  // Bound with neither reuse option first: that fails when anything holds the port, including
  // another test's reservation.
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    close(fd);
    return 0;
  }
  // A bound socket that never listens receives no connections; with both options set, a
  // listening socket of the same user may join it (Linux checks them at the second bind).
  const int yes = 1;
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes)) != 0 ||
      setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &yes, sizeof(yes)) != 0) {
    close(fd);
    return 0;
  }
  return ntohs(address.sin_port);  // the descriptor stays open until the process exits
}

// The low end of the kernel's ephemeral range: outgoing connections take their source ports
// from it.
int EphemeralLow() {
  std::ifstream in("/proc/sys/net/ipv4/ip_local_port_range");
  int low = 0;
  return in >> low ? low : 32768;
}

}  // namespace

int ReserveLoopbackPort() {
  constexpr int kLowest = 10000;
  const int ephemeral_low = EphemeralLow();
  static absl::BitGen random;
  static absl::Mutex mutex;
  for (int attempt = 0; ephemeral_low - kLowest > 1000 && attempt < 100; ++attempt) {
    int port = 0;
    {
      absl::MutexLock lock(&mutex);
      port = absl::Uniform(random, kLowest, ephemeral_low);
    }
    if (BindAndHold(port) == port) return port;
  }
  return BindAndHold(0);  // no room below the range: one the kernel picks
}

}  // namespace oms::integration
