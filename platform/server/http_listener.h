#ifndef OMS_PLATFORM_SERVER_HTTP_LISTENER_H_
#define OMS_PLATFORM_SERVER_HTTP_LISTENER_H_

// The small HTTP servers beside the gRPC port (the dashboard, /metrics), on cpp-httplib.

#include <string>
#include <thread>

#include "httplib.h"

namespace oms {

// Binds `server` to "host:port" (port 0: any free one). Answers the bound port, or -1.
int BindHttp(httplib::Server& server, const std::string& listen);

// Runs a bound cpp-httplib server on a new thread and returns once its listen loop runs.
// httplib's stop() does nothing until then, so a stop() right after start (a quick test, a
// SIGTERM during start-up) would otherwise be lost and the join would wait forever.
std::thread StartListening(httplib::Server& server);

}  // namespace oms

#endif  // OMS_PLATFORM_SERVER_HTTP_LISTENER_H_
