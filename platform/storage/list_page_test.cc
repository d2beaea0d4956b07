#include "platform/storage/list_page.h"

#include <vector>

#include "gtest/gtest.h"
#include "oms/order/v1/order.pb.h"

namespace oms {
namespace {

using order::v1::ListOrdersRequest;
using order::v1::Order;

// The token a first page of `request` hands on when its last row sits at `position`.
std::string TokenAfter(const ListOrdersRequest& request, absl::string_view position) {
  FieldErrors errors;
  return ListPage::Read(request, errors).Token(position);
}

TEST(ListPageTest, RoundTripsThePositionForTheSameFilters) {
  ListOrdersRequest request;
  request.add_statuses(order::v1::RECEIVED);
  request.set_page_size(10);
  request.set_page_token(TokenAfter(request, "123:ord_x:with:colons"));
  request.set_page_size(50);  // page size may change between pages
  FieldErrors errors;
  ListPage page = ListPage::Read(request, errors);
  ASSERT_TRUE(errors.empty()) << errors.ToStatus();
  EXPECT_EQ(page.after(), "123:ord_x:with:colons");
  EXPECT_EQ(page.size(), 50);
  EXPECT_EQ(page.fetch_limit(), 51);
  std::optional<std::pair<int64_t, std::string>> created = page.CreatedAfter(errors);
  ASSERT_TRUE(created.has_value());
  EXPECT_EQ(created->first, 123);
  EXPECT_EQ(created->second, "ord_x:with:colons");
}

TEST(ListPageTest, RefusesATokenUsedWithOtherFilters) {
  ListOrdersRequest request;
  request.set_page_token(TokenAfter(request, "p"));
  request.add_channels(order::v1::WEB);
  FieldErrors errors;
  ListPage::Read(request, errors);
  absl::Status status = errors.ToStatus();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("page_token: was issued for different filters"),
            std::string::npos)
      << status;
}

TEST(ListPageTest, RefusesGarbage) {
  for (const char* token : {"garbage!", "bm8tY29sb24"}) {
    ListOrdersRequest request;
    request.set_page_token(token);
    FieldErrors errors;
    ListPage page = ListPage::Read(request, errors);
    EXPECT_EQ(errors.ToStatus().code(), absl::StatusCode::kInvalidArgument) << token;
    EXPECT_FALSE(page.after().has_value());
  }
}

TEST(ListPageTest, NamesEveryBadPagingFieldAtOnceAndChecksThePositionsShape) {
  ListOrdersRequest request;
  request.set_page_size(501);
  FieldErrors errors;
  ListPage page = ListPage::Read(request, errors, {.default_size = 50, .max_size = 500});
  EXPECT_EQ(errors.ToStatus().message(), "page_size: must be between 0 and 500");
  EXPECT_EQ(page.size(), 50);

  request.set_page_size(0);
  request.set_page_token(TokenAfter(request, "sku-1"));  // a position of another shape
  FieldErrors shape;
  ListPage other = ListPage::Read(request, shape);
  EXPECT_EQ(other.size(), 100);
  EXPECT_FALSE(other.CreatedAfter(shape).has_value());
  EXPECT_FALSE(other.NumberAfter(shape).has_value());
  EXPECT_EQ(shape.errors().size(), 2u);
  EXPECT_EQ(shape.errors()[0].first, "page_token");
}

TEST(ListPageTest, TakesOnePageAndHandsOnTheLastRowsKey) {
  ListOrdersRequest request;
  request.set_page_size(2);
  FieldErrors errors;
  ListPage page = ListPage::Read(request, errors);
  auto key_of = [](const Order& order) { return order.order_id(); };

  std::vector<Order> fetched(3);  // fetch_limit() rows: another page follows
  for (int i = 0; i < 3; ++i) fetched[i].set_order_id(absl::StrCat("ord_", i));
  google::protobuf::RepeatedPtrField<Order> shown;
  std::string next = page.Take(fetched, &shown, key_of);
  ASSERT_EQ(shown.size(), 2);
  EXPECT_EQ(shown[1].order_id(), "ord_1");
  request.set_page_token(next);
  FieldErrors again;
  EXPECT_EQ(ListPage::Read(request, again).after(), "ord_1");

  std::vector<Order> last(2);
  google::protobuf::RepeatedPtrField<Order> rest;
  EXPECT_EQ(page.Take(last, &rest, key_of), "");
  EXPECT_EQ(rest.size(), 2);
}

}  // namespace
}  // namespace oms
