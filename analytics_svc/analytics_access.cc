#include "analytics_svc/analytics_access.h"

namespace oms::analytics {
namespace {

using auth::Access;
using auth::AnyRole;
using auth::Role;
using security::v1::CUSTOMER_SERVICE;
using security::v1::OPS;
using security::v1::ORDER_WRITER;
using security::v1::READER;
using security::v1::REVIEWER;
using security::v1::SERVICE;

const std::vector<Role> kReportReaders = {OPS, READER};

}  // namespace

const auth::AccessPolicy& AnalyticsAccess() {
  static const auth::AccessPolicy* policy =
      new auth::AccessPolicy("oms.analytics.v1.AnalyticsService",
                             {
                                 // Reports are for readers and OPS; a rebuild is an operation.
                                 {"GetOrderStats", Access::kRead, kReportReaders},
                                 {"GetStageDurations", Access::kRead, kReportReaders},
                                 {"GetExceptionStats", Access::kRead, kReportReaders},
                                 {"GetSalesReport", Access::kRead, kReportReaders},
                                 {"GetCarrierPerformance", Access::kRead, kReportReaders},
                                 {"GetInventoryHealth", Access::kRead, kReportReaders},
                                 {"GetCustomerSegments", Access::kRead, kReportReaders},
                                 {"GetNotificationStats", Access::kRead, kReportReaders},
                                 {"ExportReport", Access::kRead, kReportReaders},
                                 {"RebuildFacts", Access::kWrite, {OPS}},
                                 {"GetServiceInfo", Access::kRead, AnyRole()},
                             });
  return *policy;
}

}  // namespace oms::analytics
