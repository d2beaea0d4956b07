// The dashboard on HTTP: the page, its login and health. With keys, GET / needs a session
// cookie (from the login form, or a one-time link made with a key) or a bearer key whose
// roles may read the reports; a browser without one is sent to /login.
#include <fstream>

#include "absl/strings/str_cat.h"
#include "analytics_svc/dashboard.h"
#include "httplib.h"
#include "platform/base/log.h"
#include "platform/server/http_listener.h"

namespace oms::analytics {
namespace {

constexpr char kLoginPage[] = R"html(<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>OMS operations: log in</title><style>
body{font:14px/1.45 -apple-system,"Segoe UI","Noto Sans CJK SC",sans-serif;background:#f5f7fa;color:#1f2933;
display:flex;justify-content:center;align-items:center;height:100vh;margin:0}
form{background:#fff;border:1px solid #e4e9ee;border-radius:10px;padding:24px 28px;width:360px}
h1{font-size:18px;margin:0 0 14px}input{width:100%;padding:8px;margin:6px 0 12px;box-sizing:border-box}
button{padding:8px 16px}p.error{color:#c23030;margin:0 0 10px}</style></head><body>
<form method="post" action="/login"><h1>OMS operations</h1>%ERROR%
<label for="key">API key (OPS or READER)</label>
<input id="key" name="key" type="password" autocomplete="current-password" required autofocus>
<button type="submit">Log in</button></form></body></html>)html";

std::string LoginPage(const std::string& error) {
  std::string page = kLoginPage;
  std::string shown =
      error.empty() ? "" : absl::StrCat("<p class=\"error\">", HtmlEscape(error), "</p>");
  page.replace(page.find("%ERROR%"), 7, shown);
  return page;
}

void SeeOther(httplib::Response& response, const std::string& location) {
  response.status = 303;
  response.set_header("Location", location);
}

}  // namespace

void Dashboard::AddRoutes(httplib::Server& server) {
  server.Get("/", [this](const httplib::Request& request, httplib::Response& response) {
    if (sessions_ != nullptr) {
      absl::StatusOr<auth::Principal> who = sessions_->Authenticate(
          request.get_header_value("Authorization"), request.get_header_value("Cookie"));
      if (who.status().code() == absl::StatusCode::kUnauthenticated)
        return SeeOther(response, "/login");
      if (!who.ok()) {
        response.status = 403;
        response.set_content(std::string(who.status().message()), "text/plain; charset=utf-8");
        return;
      }
    }
    response.set_header("Cache-Control", "no-store");
    response.set_content(Render(), "text/html; charset=utf-8");
  });
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("ok", "text/plain");
  });
  if (sessions_ == nullptr) return;
  server.Get("/login", [](const httplib::Request&, httplib::Response& response) {
    response.set_content(LoginPage(""), "text/html; charset=utf-8");
  });
  server.Post("/login", [this](const httplib::Request& request, httplib::Response& response) {
    absl::StatusOr<std::string> session = sessions_->Login(request.get_param_value("key"));
    if (!session.ok()) {
      response.status = session.status().code() == absl::StatusCode::kPermissionDenied ? 403 : 401;
      response.set_content(LoginPage(session.status().code() == absl::StatusCode::kPermissionDenied
                                         ? "This key may not read the reports."
                                         : "That key is not valid."),
                           "text/html; charset=utf-8");
      return;
    }
    response.set_header("Set-Cookie", sessions_->CookieFor(*session));
    SeeOther(response, "/");
  });
  // A one-time login link for the bearer key (good for a minute): for a screen or a
  // renderer that cannot send headers or fill in the form.
  server.Post("/login/link", [this](const httplib::Request& request, httplib::Response& response) {
    std::string authorization = request.get_header_value("Authorization");
    absl::StatusOr<std::string> link =
        absl::UnauthenticatedError("send Authorization: Bearer <key>");
    if (authorization.rfind("Bearer ", 0) == 0) link = sessions_->NewLink(authorization.substr(7));
    if (!link.ok()) {
      response.status = link.status().code() == absl::StatusCode::kPermissionDenied ? 403 : 401;
      response.set_content(std::string(link.status().message()), "text/plain; charset=utf-8");
      return;
    }
    response.set_content(absl::StrCat("/login/link/", *link, "\n"), "text/plain");
  });
  server.Get(R"(/login/link/([0-9a-f]+))",
             [this](const httplib::Request& request, httplib::Response& response) {
               absl::StatusOr<std::string> session = sessions_->Redeem(request.matches[1]);
               if (!session.ok()) {
                 response.status = 401;
                 response.set_content(LoginPage(std::string(session.status().message())),
                                      "text/html; charset=utf-8");
                 return;
               }
               response.set_header("Set-Cookie", sessions_->CookieFor(*session));
               SeeOther(response, "/");
             });
  server.Post("/logout", [this](const httplib::Request& request, httplib::Response& response) {
    sessions_->Logout(request.get_header_value("Cookie"));
    response.set_header("Set-Cookie", sessions_->CookieFor(""));
    SeeOther(response, "/login");
  });
}

void Dashboard::Start() {
  if (server_ != nullptr) return;
  server_ = std::make_unique<httplib::Server>();
  AddRoutes(*server_);
  port_ = BindHttp(*server_, listen_);
  if (port_ <= 0) {
    LogError("dashboard: cannot listen on ", listen_);
    server_.reset();
    return;
  }
  thread_ = StartListening(*server_);
  if (!port_file_.empty()) {
    std::ofstream(port_file_) << port_ << "\n";
  }
  LogInfo("dashboard on http://", listen_.substr(0, listen_.rfind(':')), ":", port_, "/",
          sessions_ != nullptr ? " (login with an API key)" : "");
}

void Dashboard::Stop() {
  if (server_ == nullptr) return;
  server_->stop();
  if (thread_.joinable()) thread_.join();
  server_.reset();
}

}  // namespace oms::analytics
