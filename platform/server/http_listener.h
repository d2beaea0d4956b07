#ifndef OMS_PLATFORM_SERVER_HTTP_LISTENER_H_
#define OMS_PLATFORM_SERVER_HTTP_LISTENER_H_

#include <thread>

#include "httplib.h"

namespace oms {

// Runs a bound cpp-httplib server on a new thread and returns once its listen loop runs.
// httplib's stop() does nothing until then, so a stop() right after start (a quick test, a
// SIGTERM during start-up) would otherwise be lost and the join would wait forever.
inline std::thread StartListening(httplib::Server& server) {
  std::thread thread([&server] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::yield();
  return thread;
}

}  // namespace oms

#endif  // OMS_PLATFORM_SERVER_HTTP_LISTENER_H_
