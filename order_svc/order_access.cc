#include "order_svc/order_access.h"

namespace oms::order {
namespace {

using namespace auth::access_table;  // NOLINT(build/namespaces): the table's vocabulary

const std::vector<Role> kOrderReaders = {ORDER_WRITER, OPS,    CUSTOMER_SERVICE,
                                         REVIEWER,     READER, SERVICE};

}  // namespace

const auth::AccessPolicy& OrderAccess() {
  static const auth::AccessPolicy* policy = new auth::AccessPolicy(
      "oms.order.v1.OrderService",
      {
          // Channels and ERPs place, amend, cancel and pay for their own orders (channel-bound keys
          // see only their channel's orders); staff read everything.
          {"CreateOrder", Access::kWrite, {ORDER_WRITER, OPS, CUSTOMER_SERVICE, SERVICE}},
          {"GetOrder", Access::kRead, kOrderReaders},
          {"ListOrders", Access::kRead, kOrderReaders},
          {"GetOrderHistory", Access::kRead, kOrderReaders},
          // SERVICE: the orchestrator's AmendOrder, on behalf of the person who asked.
          {"UpdateOrder", Access::kWrite, {ORDER_WRITER, OPS, CUSTOMER_SERVICE, SERVICE}},
          {"GetModificationHistory", Access::kRead, kOrderReaders},
          {"TransitionOrder", Access::kWrite, {OPS, SERVICE}},
          {"CancelOrder", Access::kWrite, {ORDER_WRITER, OPS, CUSTOMER_SERVICE, SERVICE}},
          {"SubstituteLine", Access::kWrite, {OPS, CUSTOMER_SERVICE, SERVICE}},
          {"RecordPayment", Access::kWrite, {ORDER_WRITER, OPS, CUSTOMER_SERVICE, SERVICE}},
          {"GetServiceInfo", Access::kRead, AnyRole()},
      });
  return *policy;
}

}  // namespace oms::order
