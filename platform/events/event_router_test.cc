#include "platform/events/event_router.h"

#include "gtest/gtest.h"
#include "oms/common/v1/common.pb.h"
#include "oms/events/v1/events.pb.h"

namespace oms {
namespace {

events::v1::Event EventOf(const google::protobuf::Message& payload, const std::string& type) {
  events::v1::Event event;
  event.set_event_id("evt_1");
  event.set_type(type);
  event.mutable_payload()->PackFrom(payload);
  return event;
}

TEST(EventRouterTest, EachPayloadTypeReachesItsOwnHandlerUnpacked) {
  std::vector<std::string> seen;
  EventRouter<std::vector<std::string>&> router;
  router
      .On<common::v1::Money>([](std::vector<std::string>& out, const common::v1::Money& money,
                                const events::v1::Event& event) {
        out.push_back(absl::StrCat(event.event_id(), " money ", money.minor_units()));
        return absl::OkStatus();
      })
      .On<events::v1::WatchEventsRequest>([](std::vector<std::string>& out,
                                             const events::v1::WatchEventsRequest& cursor,
                                             const events::v1::Event&) {
        out.push_back(absl::StrCat("cursor ", cursor.after_seq()));
        return absl::OkStatus();
      });
  common::v1::Money money;
  money.set_minor_units(250);
  events::v1::WatchEventsRequest cursor;
  cursor.set_after_seq(9);
  ASSERT_TRUE(router.Route(seen, EventOf(money, "Money")).ok());
  ASSERT_TRUE(router.Route(seen, EventOf(cursor, "WatchEventsRequest")).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"evt_1 money 250", "cursor 9"}));
  EXPECT_EQ(router.types(), (std::vector<std::string>{"Money", "WatchEventsRequest"}));
}

TEST(EventRouterTest, TheEventsTypeStringCannotMakeOneMessageReadAsAnother) {
  int money_handled = 0;
  EventRouter<> router;
  router.On<common::v1::Money>([&](const common::v1::Money&, const events::v1::Event&) {
    ++money_handled;
    return absl::OkStatus();
  });
  events::v1::WatchEventsRequest cursor;
  cursor.set_after_seq(3);
  // Says "Money", carries something else: corrupt, refused, and no handler reads it.
  absl::Status lying = router.Route(EventOf(cursor, "Money"));
  EXPECT_EQ(lying.code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(lying.message().find("carries a oms.events.v1.WatchEventsRequest"), std::string::npos)
      << lying;
  // Carries a Money under another name: refused too.
  EXPECT_EQ(router.Route(EventOf(common::v1::Money(), "Refund")).code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(money_handled, 0);
  // Neither type is this router's concern: not its business to judge.
  EXPECT_TRUE(router.Route(EventOf(cursor, "Cursor")).ok());
}

TEST(EventRouterTest, UnknownTypesAreIgnoredAndCorruptPayloadsAreDataLoss) {
  EventRouter<> router;
  router.On<common::v1::Money>(
      [](const common::v1::Money&, const events::v1::Event&) { return absl::OkStatus(); });
  events::v1::WatchEventsRequest cursor;
  EXPECT_TRUE(router.Route(EventOf(cursor, "WatchEventsRequest")).ok());
  events::v1::Event corrupt = EventOf(common::v1::Money(), "Money");
  corrupt.mutable_payload()->set_value("\xff\xff\xff");
  absl::Status status = router.Route(corrupt);
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(status.message().find("oms.common.v1.Money"), std::string::npos) << status;
}

TEST(EventRouterTest, AHandlersErrorIsTheRoutesError) {
  EventRouter<> router;
  router.On<common::v1::Money>([](const common::v1::Money&, const events::v1::Event&) {
    return absl::UnavailableError("store busy");
  });
  EXPECT_EQ(router.Route(EventOf(common::v1::Money(), "Money")).code(),
            absl::StatusCode::kUnavailable);
}

TEST(EventRouterDeathTest, ATypeRegisteredTwiceIsAProgrammingError) {
  auto twice = [] {
    EventRouter<> router;
    auto ok = [](const common::v1::Money&, const events::v1::Event&) { return absl::OkStatus(); };
    router.On<common::v1::Money>(ok).On<common::v1::Money>(ok);
  };
  EXPECT_DEATH(twice(), "registered twice");
}

}  // namespace
}  // namespace oms
