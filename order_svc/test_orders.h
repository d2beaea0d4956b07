#ifndef OMS_ORDER_SVC_TEST_ORDERS_H_
#define OMS_ORDER_SVC_TEST_ORDERS_H_

#include <string>

#include "oms/order/v1/order.pb.h"

namespace oms::order {

// A valid order from the web shop: two lines in CNY, 13% tax, COD, Shanghai address.
// Tests change what they need.
v1::CreateOrderRequest SampleCreateOrder(const std::string& external_reference = "WEB-1001");

// A Chinese address in `region` ("North": Beijing, anything else: Shanghai) at `street`.
v1::Address AddressIn(const std::string& region, const std::string& street);

}  // namespace oms::order

#endif  // OMS_ORDER_SVC_TEST_ORDERS_H_
