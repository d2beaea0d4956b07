#include "platform/testing/secured_server.h"

#include "platform/security/client_channel.h"
#include "platform/security/platform_access.h"

namespace oms::testing {

SecuredServer::SecuredServer(ServiceHost* host) {
  struct Key {
    std::string name;
    security::v1::Role role;
    std::string channel;
  };
  security::v1::KeyFile file;
  for (const Key& key : std::vector<Key>{{"admin", security::v1::ADMIN, ""},
                                         {"ops", security::v1::OPS, ""},
                                         {"reader", security::v1::READER, ""},
                                         {"reviewer", security::v1::REVIEWER, ""},
                                         {"support", security::v1::CUSTOMER_SERVICE, ""},
                                         {"service", security::v1::SERVICE, ""},
                                         {"erp", security::v1::ORDER_WRITER, "ERP"},
                                         {"web", security::v1::ORDER_WRITER, "WEB"}}) {
    auth::IssuedKey issued = auth::IssueKey(key.name, {key.role}, key.channel);
    tokens_[key.name] = issued.token;
    *file.add_keys() = issued.stored;
  }
  keys_ = std::make_unique<auth::KeyStore>(*auth::KeyStore::FromKeyFile(file));
  GrpcServerOptions options;
  options.keys = keys_.get();
  options.audit = &host->audit();
  server_ = std::make_unique<GrpcServer>(options);
  audit_service_ = std::make_unique<AuditLogService>(&host->audit());
  server_->AddService(audit_service_.get(), "oms.security.v1.AuditLog", &auth::AuditLogAccess());
}

void SecuredServer::AddService(grpc::Service* service, const std::string& full_name,
                               const auth::AccessPolicy* policy) {
  server_->AddService(service, full_name, policy);
}

absl::Status SecuredServer::Start() { return server_->Start(); }

std::shared_ptr<grpc::Channel> SecuredServer::Channel(const std::string& principal) const {
  ClientSecurity security;
  auto found = tokens_.find(principal);
  if (found != tokens_.end()) security.bearer_token = found->second;
  return OpenChannel("127.0.0.1:" + std::to_string(server_->port()), security);
}

}  // namespace oms::testing
