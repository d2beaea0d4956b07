#include "platform/security/access_policy.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"

namespace oms::auth {

AccessPolicy::AccessPolicy(std::string service_full_name, std::initializer_list<MethodRule> rules)
    : service_(std::move(service_full_name)) {
  for (const MethodRule& rule : rules) {
    // A duplicate name is caught by Validate() through the count below.
    rules_.emplace(absl::StrCat("/", service_, "/", rule.method), rule);
  }
  declared_ = rules.size();
}

absl::Status AccessPolicy::Validate() const {
  const google::protobuf::ServiceDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service_);
  if (descriptor == nullptr) {
    return absl::InternalError(absl::StrCat("access table for unknown service ", service_));
  }
  std::vector<std::string> missing, unknown;
  for (int i = 0; i < descriptor->method_count(); ++i) {
    if (Find(absl::StrCat("/", service_, "/", descriptor->method(i)->name())) == nullptr) {
      missing.push_back(descriptor->method(i)->name());
    }
  }
  for (const auto& [path, rule] : rules_) {
    if (descriptor->FindMethodByName(rule.method) == nullptr) unknown.push_back(rule.method);
  }
  if (!missing.empty() || !unknown.empty() || declared_ != rules_.size()) {
    return absl::InternalError(absl::StrCat("access table of ", service_, ": missing [",
                                            absl::StrJoin(missing, ", "), "], not in the service [",
                                            absl::StrJoin(unknown, ", "), "], ",
                                            declared_ - rules_.size(), " duplicate(s)"));
  }
  return absl::OkStatus();
}

const MethodRule* AccessPolicy::Find(const std::string& path) const {
  auto found = rules_.find(path);
  return found == rules_.end() ? nullptr : &found->second;
}

absl::Status CheckRoles(const MethodRule& rule, const std::string& path,
                        const Principal& principal) {
  if (principal.Has(security::v1::ADMIN)) return absl::OkStatus();
  for (Role role : rule.roles) {
    if (principal.Has(role)) return absl::OkStatus();
  }
  std::vector<std::string> needed = {"ADMIN"};
  for (Role role : rule.roles) needed.push_back(security::v1::Role_Name(role));
  return absl::PermissionDeniedError(absl::StrCat(path, " needs role ",
                                                  absl::StrJoin(needed, " or "), "; ",
                                                  principal.name, " has none of them"));
}

const std::vector<Role>& AnyRole() {
  static const std::vector<Role> roles = {
      security::v1::OPS,          security::v1::REVIEWER, security::v1::CUSTOMER_SERVICE,
      security::v1::ORDER_WRITER, security::v1::READER,   security::v1::SERVICE};
  return roles;
}

}  // namespace oms::auth
