#ifndef OMS_PLATFORM_SECURITY_WEB_SESSIONS_H_
#define OMS_PLATFORM_SECURITY_WEB_SESSIONS_H_

// Logins for the HTTP pages (the dashboard): the same API keys and access tables as the
// RPCs, with a session cookie so a browser need not send the key on every request.

#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "platform/base/clock.h"
#include "platform/security/access_policy.h"
#include "platform/security/key_store.h"

namespace oms::auth {

// Who may see a page: whoever may call the RPC `path` (its rule in the service's access
// table). A request proves it with "Authorization: Bearer <key>", or with the cookie a
// login gave: POST the key to the login form, or redeem a one-time link made with the key
// (for a browser that cannot send headers: a kiosk screen, a headless renderer). Sessions
// remember the key and check it again on every request, so a revoked key ends them within
// the key file's reload interval. In memory: a restart logs everyone out. Thread-safe.
class WebSessions {
 public:
  static constexpr char kCookie[] = "oms_session";

  WebSessions(const KeyStore* keys, const AccessPolicy* policy, std::string path,
              const Clock* clock, absl::Duration ttl = absl::Hours(8));

  // The principal of a request from its Authorization and Cookie headers: UNAUTHENTICATED
  // (log in), or PERMISSION_DENIED (a key whose roles may not see the page).
  absl::StatusOr<Principal> Authenticate(const std::string& authorization,
                                         const std::string& cookie_header);
  // A new session for the key `token`: its id, for the cookie.
  absl::StatusOr<std::string> Login(const std::string& token);
  // A one-time link id for the key, good for a minute; Redeem turns it into a session id.
  absl::StatusOr<std::string> NewLink(const std::string& token);
  absl::StatusOr<std::string> Redeem(const std::string& link);
  void Logout(const std::string& cookie_header);

  // The Set-Cookie value for a session id ("" clears it).
  std::string CookieFor(const std::string& session_id) const;

 private:
  struct Session {
    std::string token;
    absl::Time expires;
  };
  absl::StatusOr<Principal> Check(const std::string& token) const;
  std::string Start(std::map<std::string, Session>& into, const std::string& token,
                    absl::Duration ttl) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const KeyStore* keys_;
  const AccessPolicy* policy_;
  const std::string path_;
  const Clock* clock_;
  const absl::Duration ttl_;
  absl::Mutex mu_;
  std::map<std::string, Session> sessions_ ABSL_GUARDED_BY(mu_);  // by id
  std::map<std::string, Session> links_ ABSL_GUARDED_BY(mu_);     // one-time, by id
};

// The value of cookie `name` in a Cookie header ("a=1; oms_session=x"), or "".
std::string CookieValue(const std::string& cookie_header, const std::string& name);

}  // namespace oms::auth

#endif  // OMS_PLATFORM_SECURITY_WEB_SESSIONS_H_
