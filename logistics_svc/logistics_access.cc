#include "logistics_svc/logistics_access.h"

namespace oms::logistics {
namespace {

using namespace auth::access_table;  // NOLINT(build/namespaces): the table's vocabulary

const std::vector<Role> kStaffReaders = {OPS, CUSTOMER_SERVICE, READER, SERVICE};

}  // namespace

const auth::AccessPolicy& LogisticsAccess() {
  static const auth::AccessPolicy* policy = new auth::AccessPolicy(
      "oms.logistics.v1.LogisticsService",
      {
          // Carriers are OPS's; shipments are made by the orchestrator (SERVICE) or OPS; tracking
          // events come from carrier integrations (SERVICE keys) or OPS.
          {"CreateCarrier", Access::kWrite, {OPS}},
          {"UpdateCarrier", Access::kWrite, {OPS}},
          {"ListCarriers", Access::kRead, kStaffReaders},
          {"QuoteShipment", Access::kRead, kStaffReaders},
          {"SelectCarrier", Access::kRead, kStaffReaders},
          {"CreateShipment", Access::kWrite, {OPS, SERVICE}},
          {"CancelShipment", Access::kWrite, {OPS, CUSTOMER_SERVICE, SERVICE}},
          {"GetShipment", Access::kRead, kStaffReaders},
          {"ListShipments", Access::kRead, kStaffReaders},
          {"RecordTrackingEvent", Access::kWrite, {OPS, SERVICE}},
          {"GetTracking", Access::kRead, kStaffReaders},
          {"ConfirmPickup", Access::kWrite, {OPS, SERVICE}},
          {"ConfirmDelivery", Access::kWrite, {OPS, CUSTOMER_SERVICE, SERVICE}},
          {"RunDetection", Access::kWrite, {OPS}},
          {"Reship", Access::kWrite, {OPS, CUSTOMER_SERVICE, SERVICE}},
          {"GetCarrierStats", Access::kRead, {OPS, READER, SERVICE}},
          {"GetServiceInfo", Access::kRead, AnyRole()},
      });
  return *policy;
}

}  // namespace oms::logistics
