#include "platform/security/web_sessions.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace oms::auth {
namespace {

constexpr absl::Duration kLinkLife = absl::Minutes(1);

}  // namespace

std::string CookieValue(const std::string& cookie_header, const std::string& name) {
  for (absl::string_view part : absl::StrSplit(cookie_header, ';')) {
    part = absl::StripAsciiWhitespace(part);
    if (absl::ConsumePrefix(&part, name) && absl::ConsumePrefix(&part, "=")) {
      return std::string(part);
    }
  }
  return "";
}

WebSessions::WebSessions(const KeyStore* keys, const AccessPolicy* policy, std::string path,
                         const Clock* clock, absl::Duration ttl)
    : keys_(keys), policy_(policy), path_(std::move(path)), clock_(clock), ttl_(ttl) {}

absl::StatusOr<Principal> WebSessions::Check(const std::string& token) const {
  absl::StatusOr<Principal> principal = keys_->Verify(token);
  if (!principal.ok()) return principal.status();
  const MethodRule* rule = policy_->Find(path_);
  if (rule == nullptr) return absl::InternalError(absl::StrCat(path_, " has no access rule"));
  if (absl::Status allowed = CheckRoles(*rule, path_, *principal); !allowed.ok()) return allowed;
  return principal;
}

absl::StatusOr<Principal> WebSessions::Authenticate(const std::string& authorization,
                                                    const std::string& cookie_header) {
  absl::string_view bearer = authorization;
  if (absl::ConsumePrefix(&bearer, "Bearer ")) return Check(std::string(bearer));
  std::string id = CookieValue(cookie_header, kCookie);
  std::string token;
  {
    absl::MutexLock lock(&mu_);
    auto session = sessions_.find(id);
    if (id.empty() || session == sessions_.end()) {
      return absl::UnauthenticatedError("log in with an API key");
    }
    if (session->second.expires <= clock_->Now()) {
      sessions_.erase(session);
      return absl::UnauthenticatedError("the session has expired: log in again");
    }
    token = session->second.token;
  }
  absl::StatusOr<Principal> principal = Check(token);
  if (!principal.ok() && principal.status().code() == absl::StatusCode::kUnauthenticated) {
    absl::MutexLock lock(&mu_);
    sessions_.erase(id);  // the key was revoked: the session ends with it
  }
  return principal;
}

std::string WebSessions::Start(std::map<std::string, Session>& into, const std::string& token,
                               absl::Duration ttl) {
  absl::Time now = clock_->Now();
  // Expired entries go as new ones come, so the maps stay as large as the live sessions.
  for (auto it = into.begin(); it != into.end();) {
    it = it->second.expires <= now ? into.erase(it) : std::next(it);
  }
  std::string id = RandomHex(32);
  into[id] = Session{token, now + ttl};
  return id;
}

absl::StatusOr<std::string> WebSessions::Login(const std::string& token) {
  if (absl::StatusOr<Principal> principal = Check(token); !principal.ok()) {
    return principal.status();
  }
  absl::MutexLock lock(&mu_);
  return Start(sessions_, token, ttl_);
}

absl::StatusOr<std::string> WebSessions::NewLink(const std::string& token) {
  if (absl::StatusOr<Principal> principal = Check(token); !principal.ok()) {
    return principal.status();
  }
  absl::MutexLock lock(&mu_);
  return Start(links_, token, kLinkLife);
}

absl::StatusOr<std::string> WebSessions::Redeem(const std::string& link) {
  std::string token;
  {
    absl::MutexLock lock(&mu_);
    auto found = links_.find(link);
    if (found == links_.end() || found->second.expires <= clock_->Now()) {
      if (found != links_.end()) links_.erase(found);
      return absl::UnauthenticatedError("this login link was used or has expired");
    }
    token = found->second.token;
    links_.erase(found);  // one use
  }
  return Login(token);
}

void WebSessions::Logout(const std::string& cookie_header) {
  absl::MutexLock lock(&mu_);
  sessions_.erase(CookieValue(cookie_header, kCookie));
}

std::string WebSessions::CookieFor(const std::string& session_id) const {
  // HttpOnly: page scripts cannot read it; SameSite=Strict: other sites cannot use it.
  return absl::StrCat(kCookie, "=", session_id, "; Path=/; HttpOnly; SameSite=Strict; Max-Age=",
                      session_id.empty() ? 0 : absl::ToInt64Seconds(ttl_));
}

}  // namespace oms::auth
