#include "order_svc/testing/order_fixture.h"

#include "absl/strings/str_cat.h"
#include "order_svc/order_store.h"
#include "order_svc/test_orders.h"
#include "platform/testing/in_memory_host.h"

namespace oms::order::testing {

OrderFixture::OrderFixture()
    : host_(oms::testing::InMemoryHost("order_svc", &clock_, {{"order", &store::Migrations()}})),
      book_(host_.get()),
      history_(host_.get()),
      changes_(host_.get()),
      status_(host_.get()),
      payments_(host_.get()) {}

v1::Order OrderFixture::Create(const std::string& reference) {
  absl::StatusOr<v1::Order> created = book_.CreateOrder(SampleCreateOrder(reference));
  EXPECT_TRUE(created.ok()) << created.status();
  return created.ok() ? *created : v1::Order();
}

v1::Order OrderFixture::MoveTo(const v1::Order& order, v1::OrderStatus to,
                               const std::string& reason) {
  v1::TransitionOrderRequest request;
  request.set_idempotency_key(absl::StrCat("move-", ++keys_));
  request.set_order_id(order.order_id());
  request.set_to_status(to);
  request.set_reason(reason);
  absl::StatusOr<v1::Order> moved = status_.TransitionOrder(request);
  EXPECT_TRUE(moved.ok()) << moved.status();
  return moved.ok() ? *moved : order;
}

}  // namespace oms::order::testing
