#ifndef OMS_ANALYTICS_SVC_DASHBOARD_H_
#define OMS_ANALYTICS_SVC_DASHBOARD_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "analytics_svc/reports.h"
#include "platform/base/background.h"
#include "platform/security/key_store.h"
#include "platform/security/web_sessions.h"

namespace httplib {
class Server;
}

namespace oms::analytics {

// The ops dashboard: one HTML page with the main figures and server-side SVG charts (orders
// per day, stage durations, exceptions by type, carrier on-time rate, low stock), which
// refreshes itself every few seconds. Served over HTTP by cpp-httplib on its own port.
// Thread-safe.
class Dashboard : public Background {
 public:
  // `listen` is "host:port" (port 0 picks one; see port()); `port_file` gets the bound port.
  // With `keys` (not owned), the page needs a login (a key whose roles may read the
  // reports: dashboard_http.cc); without, it is open, as in-process tests run it.
  Dashboard(Reports* reports, const Clock* clock, std::string listen, std::string port_file,
            const auth::KeyStore* keys = nullptr);
  ~Dashboard() override;

  // The page as of now.
  std::string Render();

  void Start() override;
  void Stop() override;
  std::string name() const override { return "dashboard"; }
  int port() const { return port_; }

 private:
  Reports* reports_;
  const Clock* clock_;
  std::string listen_;
  std::string port_file_;
  // The login, the page and health on the HTTP server (dashboard_http.cc).
  void AddRoutes(httplib::Server& server);

  std::unique_ptr<auth::WebSessions> sessions_;  // null: no login (tests)
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

// How a bar's value is written next to it.
using ValueText = std::function<std::string(double)>;
ValueText Fixed(int decimals, std::string unit = "");
// Seconds as "250 ms", "42.0 s", "3.5 min", "2.1 h" or "1.5 d".
std::string DurationText(double seconds);

// A horizontal bar chart as inline SVG. Each bar carries data-label and data-value (the value
// with `decimals` places) so tests, and people with dev tools, can read the exact figures.
std::string BarChart(const std::string& id, const std::vector<std::pair<std::string, double>>& bars,
                     int decimals, const ValueText& text);

// Text made safe inside HTML.
std::string HtmlEscape(const std::string& text);

}  // namespace oms::analytics

#endif  // OMS_ANALYTICS_SVC_DASHBOARD_H_
