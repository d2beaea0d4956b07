// Tracking on an in-memory store: events once each, pickup and delivery by hand, and the
// sweep that finds late and lost parcels once.
#include "logistics_svc/tracking.h"

#include "logistics_svc/testing/shipping_fixture.h"
#include "platform/storage/proto_rows.h"

namespace oms::logistics {
namespace {

class TrackingTest : public testing::ShippingFixture {};

TEST_F(TrackingTest, ACarrierEventCountsOnce) {
  v1::Shipment label = Create("ord_1");
  v1::RecordTrackingEventResponse first = Scan(label, "evt-1", v1::TrackingEvent::PICKED_UP);
  EXPECT_EQ(first.shipment().state(), v1::PICKED_UP);
  Scan(label, "evt-1", v1::TrackingEvent::PICKED_UP);
  v1::GetTrackingRequest get;
  get.set_tracking_number(label.tracking_number());
  absl::StatusOr<v1::GetTrackingResponse> history = tracking_.GetTracking(get);
  ASSERT_TRUE(history.ok()) << history.status();
  EXPECT_EQ(history->timeline_size(), 1);
}

TEST_F(TrackingTest, PickupAndDeliveryConfirmedByHand) {
  v1::Shipment label = Create("ord_1");
  v1::ConfirmPickupRequest pickup;
  pickup.set_idempotency_key("handover");
  pickup.set_shipment_id(label.shipment_id());
  absl::StatusOr<v1::Shipment> picked = tracking_.ConfirmPickup(pickup);
  ASSERT_TRUE(picked.ok()) << picked.status();
  EXPECT_EQ(picked->state(), v1::PICKED_UP);
  v1::ConfirmDeliveryRequest deliver;
  deliver.set_idempotency_key("signed");
  deliver.set_shipment_id(label.shipment_id());
  deliver.set_recipient_name("Wang");
  absl::StatusOr<v1::Shipment> delivered = tracking_.ConfirmDelivery(deliver);
  ASSERT_TRUE(delivered.ok()) << delivered.status();
  EXPECT_EQ(delivered->state(), v1::DELIVERED);
  EXPECT_EQ(delivered->delivery().recipient_name(), "Wang");
}

TEST_F(TrackingTest, DetectionMarksLateThenLostEachOnce) {
  v1::Shipment label = Create("ord_1");
  Scan(label, "pickup", v1::TrackingEvent::PICKED_UP);
  clock_.Set(FromProtoTime(label.promised_delivery()) + absl::Hours(25));
  Scan(label, "hub", v1::TrackingEvent::IN_TRANSIT);  // late, but still moving
  absl::StatusOr<v1::RunDetectionResponse> late = tracking_.RunDetection();
  ASSERT_TRUE(late.ok()) << late.status();
  EXPECT_EQ(late->delayed_size(), 1);
  EXPECT_EQ(late->lost_size(), 0);
  absl::StatusOr<v1::RunDetectionResponse> again = tracking_.RunDetection();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->delayed_size(), 0);
  clock_.Advance(absl::Hours(24 * 10));  // no news for longer than --lost_after
  absl::StatusOr<v1::RunDetectionResponse> lost = tracking_.RunDetection();
  ASSERT_TRUE(lost.ok());
  EXPECT_EQ(lost->lost_size(), 1);
  lost = tracking_.RunDetection();
  ASSERT_TRUE(lost.ok());
  EXPECT_EQ(lost->lost_size(), 0);
}

}  // namespace
}  // namespace oms::logistics
