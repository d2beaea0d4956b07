#include "platform/page_token.h"

#include "gtest/gtest.h"
#include "oms/events/v1/events.pb.h"
#include "oms/order/v1/order.pb.h"

namespace oms {
namespace {

TEST(PageTokenTest, RoundTripsThePositionForTheSameFilters) {
  order::v1::ListOrdersRequest request;
  request.add_statuses(order::v1::RECEIVED);
  request.set_page_size(10);
  std::string token = EncodePageToken("123:ord_x:with:colons", request);
  request.set_page_token(token);
  request.set_page_size(50);  // page size may change between pages
  absl::StatusOr<std::string> position = DecodePageToken(token, request);
  ASSERT_TRUE(position.ok()) << position.status();
  EXPECT_EQ(*position, "123:ord_x:with:colons");
}

TEST(PageTokenTest, RefusesATokenUsedWithOtherFilters) {
  order::v1::ListOrdersRequest request;
  std::string token = EncodePageToken("p", request);
  request.add_channels(order::v1::WEB);
  absl::StatusOr<std::string> position = DecodePageToken(token, request);
  EXPECT_EQ(position.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(position.status().message().find("different filters"), std::string::npos);
}

TEST(PageTokenTest, RefusesGarbage) {
  events::v1::ListEventsRequest request;
  for (const char* token : {"garbage!", "", "bm8tY29sb24"}) {
    EXPECT_EQ(DecodePageToken(token, request).status().code(), absl::StatusCode::kInvalidArgument)
        << token;
  }
}

}  // namespace
}  // namespace oms
