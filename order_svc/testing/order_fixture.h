// Order's concepts wired as the service wires them, on an in-memory store with a fake
// clock. For unit tests of one concept at a time.
#ifndef OMS_ORDER_SVC_TESTING_ORDER_FIXTURE_H_
#define OMS_ORDER_SVC_TESTING_ORDER_FIXTURE_H_

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "order_svc/order_book.h"
#include "order_svc/order_changes.h"
#include "order_svc/order_history.h"
#include "order_svc/order_status.h"
#include "order_svc/payments.h"
#include "platform/base/clock.h"

namespace oms::order::testing {

class OrderFixture : public ::testing::Test {
 protected:
  OrderFixture();

  // A sample web order (order_svc/test_orders.h) under `reference`.
  v1::Order Create(const std::string& reference);
  v1::Order MoveTo(const v1::Order& order, v1::OrderStatus to, const std::string& reason = "");

  FakeClock clock_;
  std::unique_ptr<ServiceHost> host_;
  OrderBook book_;
  OrderHistory history_;
  OrderChanges changes_;
  OrderStatusChanges status_;
  Payments payments_;

 private:
  int keys_ = 0;
};

}  // namespace oms::order::testing

#endif  // OMS_ORDER_SVC_TESTING_ORDER_FIXTURE_H_
