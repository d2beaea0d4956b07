#include "notify_svc/notify_access.h"

namespace oms::notify {
namespace {

using namespace auth::access_table;  // NOLINT(build/namespaces): the table's vocabulary

const std::vector<Role> kStaffReaders = {OPS, CUSTOMER_SERVICE, READER};
const std::vector<Role> kInboxUsers = {OPS, CUSTOMER_SERVICE, REVIEWER, READER, SERVICE};

}  // namespace

const auth::AccessPolicy& NotifyAccess() {
  static const auth::AccessPolicy* policy = new auth::AccessPolicy(
      "oms.notify.v1.NotifyService",
      {
          // Templates and rules are OPS's; customer care manages recipients, opt-outs and resends.
          {"SaveTemplate", Access::kWrite, {OPS}},
          {"ListTemplates", Access::kRead, kStaffReaders},
          {"PreviewTemplate", Access::kRead, kStaffReaders},
          {"SaveRule", Access::kWrite, {OPS}},
          {"DeleteRule", Access::kWrite, {OPS}},
          {"ListRules", Access::kRead, kStaffReaders},
          {"SetFrequencyLimit", Access::kWrite, {OPS}},
          {"ListFrequencyLimits", Access::kRead, kStaffReaders},
          {"SaveRecipient", Access::kWrite, {OPS, CUSTOMER_SERVICE, SERVICE}},
          {"ListRecipients", Access::kRead, {OPS, CUSTOMER_SERVICE, SERVICE}},
          {"SetOptOut", Access::kWrite, {OPS, CUSTOMER_SERVICE, SERVICE}},
          {"SendNotification", Access::kWrite, {OPS, CUSTOMER_SERVICE, SERVICE}},
          {"ListMessages", Access::kRead, kStaffReaders},
          {"RetryMessage", Access::kWrite, {OPS, CUSTOMER_SERVICE}},
          {"RunDelivery", Access::kWrite, {OPS}},
          {"ListInbox", Access::kRead, kInboxUsers},
          {"MarkRead", Access::kWrite, kInboxUsers},
          {"WatchInbox", Access::kRead, kInboxUsers},
          {"GetServiceInfo", Access::kRead, AnyRole()},
      });
  return *policy;
}

}  // namespace oms::notify
