#include "platform/security/web_sessions.h"

#include "gtest/gtest.h"

namespace oms::auth {
namespace {

using security::v1::OPS;
using security::v1::READER;
using security::v1::SERVICE;

const AccessPolicy& Reports() {
  // A stand-in table: the page is whatever the reports RPC allows (OPS and READER).
  static const AccessPolicy* policy = new AccessPolicy(
      "oms.security.v1.AuditLog", {{"ListAuditLog", Access::kRead, {OPS, READER}}});
  return *policy;
}

class WebSessionsTest : public ::testing::Test {
 protected:
  WebSessionsTest() {
    security::v1::KeyFile file;
    for (IssuedKey* key : {&ops_, &service_}) *file.add_keys() = key->stored;
    keys_ = *KeyStore::FromKeyFile(file);
  }

  IssuedKey ops_ = IssueKey("ops", {OPS});
  IssuedKey service_ = IssueKey("order_svc", {SERVICE});
  KeyStore keys_;
  FakeClock clock_;
  WebSessions sessions_{&keys_, &Reports(), "/oms.security.v1.AuditLog/ListAuditLog", &clock_};
};

TEST_F(WebSessionsTest, ABearerKeyOrALoginCookieLetsInWhoTheAccessTableAllows) {
  EXPECT_EQ(sessions_.Authenticate("Bearer " + ops_.token, "")->name, "ops");
  EXPECT_EQ(sessions_.Authenticate("", "").status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(sessions_.Authenticate("Bearer nope.nope", "").status().code(),
            absl::StatusCode::kUnauthenticated);
  // A SERVICE key is valid but not allowed to see the page.
  EXPECT_EQ(sessions_.Authenticate("Bearer " + service_.token, "").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(sessions_.Login(service_.token).status().code(), absl::StatusCode::kPermissionDenied);

  absl::StatusOr<std::string> session = sessions_.Login(ops_.token);
  ASSERT_TRUE(session.ok());
  const std::string cookie = "theme=dark; oms_session=" + *session;
  EXPECT_EQ(sessions_.Authenticate("", cookie)->name, "ops");
  EXPECT_EQ(sessions_.Authenticate("", "oms_session=forged").status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_NE(sessions_.CookieFor(*session).find("HttpOnly; SameSite=Strict; Max-Age=28800"),
            std::string::npos);
  sessions_.Logout(cookie);
  EXPECT_EQ(sessions_.Authenticate("", cookie).status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(WebSessionsTest, SessionsExpireAndEndWhenTheirKeyIsRevoked) {
  const std::string cookie = "oms_session=" + *sessions_.Login(ops_.token);
  clock_.Advance(absl::Hours(7));
  EXPECT_TRUE(sessions_.Authenticate("", cookie).ok());
  clock_.Advance(absl::Hours(1));
  EXPECT_EQ(sessions_.Authenticate("", cookie).status().code(), absl::StatusCode::kUnauthenticated);

  const std::string again = "oms_session=" + *sessions_.Login(ops_.token);
  security::v1::KeyFile revoked;
  *revoked.add_keys() = ops_.stored;
  revoked.mutable_keys(0)->set_disabled(true);
  keys_.ReplaceKeys(*KeyStore::FromKeyFile(revoked));
  EXPECT_EQ(sessions_.Authenticate("", again).status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(WebSessionsTest, ALoginLinkWorksOnceWithinAMinute) {
  absl::StatusOr<std::string> link = sessions_.NewLink(ops_.token);
  ASSERT_TRUE(link.ok());
  absl::StatusOr<std::string> session = sessions_.Redeem(*link);
  ASSERT_TRUE(session.ok());
  EXPECT_EQ(sessions_.Authenticate("", "oms_session=" + *session)->name, "ops");
  EXPECT_EQ(sessions_.Redeem(*link).status().code(), absl::StatusCode::kUnauthenticated);
  absl::StatusOr<std::string> late = sessions_.NewLink(ops_.token);
  clock_.Advance(absl::Seconds(61));
  EXPECT_EQ(sessions_.Redeem(*late).status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(sessions_.NewLink(service_.token).status().code(), absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace oms::auth
