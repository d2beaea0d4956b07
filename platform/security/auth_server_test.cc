// The security of a GrpcServer with keys: authentication, roles, rate limits, refusals in
// the audit log, open health and reflection, and the request id every call carries.
#include <memory>
#include <set>

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
#include "oms/security/v1/security.grpc.pb.h"
#include "platform/security/audit_log_service.h"
#include "platform/security/client_channel.h"
#include "platform/server/grpc_server.h"
#include "platform/storage/sqlite.h"
#include "platform/testing/reflection_client.h"

namespace oms {
namespace {

using security::v1::ListAuditLogRequest;
using security::v1::ListAuditLogResponse;

// Each test runs with the key check inline on gRPC's transport thread (as on SQLite) and on
// a worker thread (as where the check may wait on PostgreSQL): the outcomes are the same.
class AuthServerTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    db_ = *SqliteDatabase::Open(":memory:");
    ASSERT_TRUE(db_->Migrate("audit", AuditLog::Migrations()).ok());
    audit_ = std::make_unique<AuditLog>(db_.get(), &clock_);
    audit_->Attach();
    security::v1::KeyFile file;
    for (auto& [name, role] :
         std::vector<std::pair<std::string, security::v1::Role>>{{"ops", security::v1::OPS},
                                                                 {"reader", security::v1::READER},
                                                                 {"admin", security::v1::ADMIN}}) {
      auth::IssuedKey key = auth::IssueKey(name, {role});
      tokens_[name] = key.token;
      *file.add_keys() = key.stored;
    }
    keys_ = std::make_unique<auth::KeyStore>(*auth::KeyStore::FromKeyFile(file));
    service_ = std::make_unique<AuditLogService>(audit_.get());
    GrpcServerOptions options;
    options.keys = keys_.get();
    options.audit = audit_.get();
    options.write_limiter = &limiter_;
    options.key_checks_may_block = GetParam();
    server_ = std::make_unique<GrpcServer>(options);
    server_->AddService(service_.get(), "oms.security.v1.AuditLog", &policy_);
    ASSERT_TRUE(server_->Start().ok());
  }

  std::string Address() const { return "127.0.0.1:" + std::to_string(server_->port()); }

  grpc::Status List(const std::string& token, ListAuditLogResponse* response,
                    const ListAuditLogRequest& request = {}, const std::string& request_id = "") {
    ClientSecurity security;
    security.bearer_token = token;
    grpc::ClientContext context;
    if (!request_id.empty()) context.AddMetadata("x-request-id", request_id);
    grpc::Status status = security::v1::AuditLog::NewStub(OpenChannel(Address(), security))
                              ->ListAuditLog(&context, request, response);
    auto id = context.GetServerInitialMetadata().find("x-request-id");
    last_request_id_ = id == context.GetServerInitialMetadata().end()
                           ? ""
                           : std::string(id->second.data(), id->second.size());
    return status;
  }

  FakeClock clock_;
  // ListAuditLog declared a write here so the write rate limit can be seen.
  auth::AccessPolicy policy_{"oms.security.v1.AuditLog",
                             {{"ListAuditLog", auth::Access::kWrite, {security::v1::OPS}}}};
  TokenBucketLimiter limiter_{/*per_second=*/1, /*burst=*/5, &clock_};
  std::unique_ptr<Database> db_;
  std::unique_ptr<AuditLog> audit_;
  std::map<std::string, std::string> tokens_;
  std::unique_ptr<auth::KeyStore> keys_;
  std::unique_ptr<AuditLogService> service_;
  std::unique_ptr<GrpcServer> server_;
  std::string last_request_id_;
};

TEST_P(AuthServerTest, NoKeyOrAWrongKeyIsUnauthenticated) {
  ListAuditLogResponse response;
  grpc::Status none = List("", &response);
  EXPECT_EQ(none.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(none.error_message().find("authorization: Bearer"), std::string::npos);
  std::string wrong = tokens_["ops"];
  wrong.back() = wrong.back() == 'a' ? 'b' : 'a';
  EXPECT_EQ(List(wrong, &response).error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_P(AuthServerTest, WrongRoleIsPermissionDeniedNamingTheRoleNeeded) {
  ListAuditLogResponse response;
  grpc::Status denied = List(tokens_["reader"], &response);
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(denied.error_message().find("needs role ADMIN or OPS"), std::string::npos)
      << denied.error_message();
  EXPECT_TRUE(List(tokens_["ops"], &response).ok());
  EXPECT_TRUE(List(tokens_["admin"], &response).ok());
}

TEST_P(AuthServerTest, HealthAndReflectionNeedNoKey) {
  std::shared_ptr<grpc::Channel> channel = OpenChannel(Address(), ClientSecurity());
  grpc::ClientContext context;
  grpc::health::v1::HealthCheckResponse health;
  EXPECT_TRUE(grpc::health::v1::Health::NewStub(channel)
                  ->Check(&context, grpc::health::v1::HealthCheckRequest(), &health)
                  .ok());
  absl::StatusOr<std::set<std::string>> names = testing::ListServicesByReflection(channel);
  ASSERT_TRUE(names.ok()) << names.status();
  EXPECT_TRUE(names->count("oms.security.v1.AuditLog"));
}

TEST_P(AuthServerTest, WritesAreRateLimitedPerPrincipal) {
  ListAuditLogResponse response;
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(List(tokens_["ops"], &response).ok()) << i;
  grpc::Status limited = List(tokens_["ops"], &response);
  EXPECT_EQ(limited.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(limited.error_message().find("ops may make 1 write calls per second"),
            std::string::npos)
      << limited.error_message();
  EXPECT_TRUE(List(tokens_["admin"], &response).ok());  // another principal's bucket
  clock_.Advance(absl::Seconds(1));
  EXPECT_TRUE(List(tokens_["ops"], &response).ok());
}

TEST_P(AuthServerTest, RefusalsAreAuditedWithoutTheKey) {
  ListAuditLogResponse response;
  ASSERT_EQ(List(tokens_["reader"], &response).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_EQ(List("", &response).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  ASSERT_TRUE(List(tokens_["admin"], &response).ok());
  ASSERT_GE(response.entries_size(), 2);
  const security::v1::AuditEntry& unauthenticated = response.entries(0);
  EXPECT_EQ(unauthenticated.outcome(), "UNAUTHENTICATED");
  EXPECT_EQ(unauthenticated.method(), "/oms.security.v1.AuditLog/ListAuditLog");
  const security::v1::AuditEntry& denied = response.entries(1);
  EXPECT_EQ(denied.outcome(), "PERMISSION_DENIED");
  EXPECT_EQ(denied.principal(), "reader");
  for (const auto& [name, token] : tokens_) {
    std::string secret = token.substr(token.find('.') + 1);
    for (const auto& entry : response.entries()) {
      EXPECT_EQ(entry.DebugString().find(secret), std::string::npos);
    }
  }
}

TEST_P(AuthServerTest, EveryCallGetsARequestIdAndKeepsTheCallersOne) {
  ListAuditLogResponse response;
  ASSERT_TRUE(List(tokens_["ops"], &response).ok());
  EXPECT_EQ(last_request_id_.rfind("req_", 0), 0u) << last_request_id_;
  ASSERT_TRUE(List(tokens_["ops"], &response, {}, "erp-batch-7").ok());
  EXPECT_EQ(last_request_id_, "erp-batch-7");
}

TEST(AuthServerStartTest, PlaintextWithKeysOnlyOnLoopback) {
  auth::KeyStore keys = *auth::KeyStore::FromKeyFile({});
  GrpcServerOptions options;
  options.keys = &keys;
  options.listen_address = "0.0.0.0:0";
  GrpcServer server(options);
  absl::Status started = server.Start();
  EXPECT_EQ(started.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(started.message().find("--tls_cert"), std::string::npos);
}

TEST(AuthServerStartTest, EveryServiceNeedsAnAccessTable) {
  auth::KeyStore keys = *auth::KeyStore::FromKeyFile({});
  std::unique_ptr<Database> db = *SqliteDatabase::Open(":memory:");
  AuditLog log(db.get(), Clock::Real());
  AuditLogService service(&log);
  GrpcServerOptions options;
  options.keys = &keys;
  GrpcServer server(options);
  server.AddService(&service, "oms.security.v1.AuditLog");
  EXPECT_NE(server.Start().message().find("has no access table"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(KeyCheck, AuthServerTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "OnAWorker" : "Inline";
                         });

}  // namespace
}  // namespace oms
