// The order book on an in-memory store: intake is idempotent per channel reference, and
// lookups page.
#include "order_svc/order_book.h"

#include "order_svc/test_orders.h"
#include "order_svc/testing/order_fixture.h"

namespace oms::order {
namespace {

class OrderBookTest : public testing::OrderFixture {};

TEST_F(OrderBookTest, TheSameChannelReferenceIsTheSameOrderAndADifferentOneIsRefused) {
  v1::Order first = Create("WEB-1");
  EXPECT_EQ(first.status(), v1::RECEIVED);
  EXPECT_GT(first.total().minor_units(), 0);
  v1::CreateOrderRequest again = SampleCreateOrder("WEB-1");
  again.set_idempotency_key("another-key");
  absl::StatusOr<v1::Order> resent = book_.CreateOrder(again);
  ASSERT_TRUE(resent.ok()) << resent.status();
  EXPECT_EQ(resent->order_id(), first.order_id());
  again.set_idempotency_key("third-key");
  again.mutable_lines(0)->set_quantity(again.lines(0).quantity() + 1);
  EXPECT_EQ(book_.CreateOrder(again).status().code(), absl::StatusCode::kAlreadyExists);
}

TEST_F(OrderBookTest, ListingPagesNewestFirst) {
  for (const char* ref : {"WEB-1", "WEB-2", "WEB-3"}) {
    Create(ref);
    clock_.Advance(absl::Seconds(1));
  }
  v1::ListOrdersRequest list;
  list.set_page_size(2);
  absl::StatusOr<v1::ListOrdersResponse> page = book_.ListOrders(list);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->orders_size(), 2);
  EXPECT_EQ(page->orders(0).external_reference(), "WEB-3");
  list.set_page_token(page->next_page_token());
  page = book_.ListOrders(list);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->orders_size(), 1);
  EXPECT_EQ(page->orders(0).external_reference(), "WEB-1");
  v1::GetOrderRequest missing;
  missing.set_order_id("ord_nope");
  EXPECT_EQ(book_.GetOrder(missing).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace oms::order
