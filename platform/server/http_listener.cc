#include "platform/server/http_listener.h"

#include "absl/strings/numbers.h"

namespace oms {

int BindHttp(httplib::Server& server, const std::string& listen) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return -1;
  std::string host = listen.substr(0, colon);
  int port = 0;
  if (!absl::SimpleAtoi(listen.substr(colon + 1), &port) || port < 0 || port > 65535) return -1;
  if (port == 0) return server.bind_to_any_port(host);
  return server.bind_to_port(host, port) ? port : -1;
}

std::thread StartListening(httplib::Server& server) {
  std::thread thread([&server] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::yield();
  return thread;
}

}  // namespace oms
