#ifndef OMS_PLATFORM_SECURITY_ACCESS_POLICY_H_
#define OMS_PLATFORM_SECURITY_ACCESS_POLICY_H_

// Each service's access table: which roles may call which method, and whether the method
// is a read or a write.

#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "platform/security/key_store.h"

namespace oms::auth {

// Whether a method changes state: writes are rate-limited per principal and their failures
// are audited.
enum class Access { kRead, kWrite };

struct MethodRule {
  std::string method;  // short name, "CancelOrder"
  Access access;
  std::vector<Role> roles;  // who besides ADMIN may call it
};

// One service's access table: the single place that says who may call each of its methods.
// ADMIN may call everything. A method missing from the table cannot be called (and
// Validate() refuses the table, so the server does not start).
class AccessPolicy {
 public:
  AccessPolicy(std::string service_full_name, std::initializer_list<MethodRule> rules);

  const std::string& service() const { return service_; }
  // Every RPC of the service (from its generated descriptor) has exactly one rule.
  absl::Status Validate() const;
  // The rule for "/pkg.Service/Method", or nullptr when the path is not this service's.
  const MethodRule* Find(const std::string& path) const;

 private:
  std::string service_;
  std::map<std::string, MethodRule> rules_;  // by full path
  size_t declared_ = 0;
};

// PERMISSION_DENIED naming the method and the roles it needs, or OK.
absl::Status CheckRoles(const MethodRule& rule, const std::string& path,
                        const Principal& principal);

// Role lists shared by many tables.
const std::vector<Role>& AnyRole();

// The vocabulary of an access table, for `using namespace auth::access_table;` at the top of
// a service's *_access.cc, so each table reads as a list of methods and role names.
namespace access_table {
using ::oms::auth::Access;
using ::oms::auth::AnyRole;
using ::oms::auth::Role;
using ::oms::security::v1::ADMIN;
using ::oms::security::v1::CUSTOMER_SERVICE;
using ::oms::security::v1::OPS;
using ::oms::security::v1::ORDER_WRITER;
using ::oms::security::v1::READER;
using ::oms::security::v1::REVIEWER;
using ::oms::security::v1::SERVICE;
}  // namespace access_table

}  // namespace oms::auth

#endif  // OMS_PLATFORM_SECURITY_ACCESS_POLICY_H_
