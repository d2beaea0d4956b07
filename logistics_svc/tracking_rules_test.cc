#include "logistics_svc/tracking_rules.h"

#include "gtest/gtest.h"

namespace oms::logistics {
namespace {

v1::TrackingEvent Event(v1::TrackingEvent::Code code, int64_t at_seconds) {
  v1::TrackingEvent event;
  event.set_code(code);
  event.mutable_occurred_at()->set_seconds(at_seconds);
  return event;
}

v1::Shipment NewShipment() {
  v1::Shipment shipment;
  shipment.set_state(v1::CREATED);
  shipment.set_progress(v1::CREATED);
  return shipment;
}

TEST(TrackingRulesTest, ProgressesThroughTheLifecycle) {
  v1::Shipment s = NewShipment();
  EXPECT_TRUE(ApplyTrackingEvent(Event(v1::TrackingEvent::PICKED_UP, 100), s));
  EXPECT_EQ(s.state(), v1::PICKED_UP);
  EXPECT_EQ(s.picked_up_at().seconds(), 100);
  EXPECT_TRUE(ApplyTrackingEvent(Event(v1::TrackingEvent::ARRIVED_AT_HUB, 200), s));
  EXPECT_EQ(s.state(), v1::IN_TRANSIT);
  EXPECT_FALSE(ApplyTrackingEvent(Event(v1::TrackingEvent::IN_TRANSIT, 300), s));  // same state
  EXPECT_EQ(s.last_event_at().seconds(), 300);
  EXPECT_TRUE(ApplyTrackingEvent(Event(v1::TrackingEvent::OUT_FOR_DELIVERY, 400), s));
  v1::TrackingEvent delivered = Event(v1::TrackingEvent::DELIVERED, 500);
  delivered.set_recipient_name("王芳");
  delivered.set_signature_reference("POD-77");
  EXPECT_TRUE(ApplyTrackingEvent(delivered, s));
  EXPECT_EQ(s.state(), v1::DELIVERED);
  EXPECT_EQ(s.delivery().recipient_name(), "王芳");
  EXPECT_EQ(s.delivery().signature_reference(), "POD-77");
}

TEST(TrackingRulesTest, OutOfOrderEventsNeverMoveBackwards) {
  v1::Shipment s = NewShipment();
  ApplyTrackingEvent(Event(v1::TrackingEvent::OUT_FOR_DELIVERY, 400), s);
  EXPECT_FALSE(ApplyTrackingEvent(Event(v1::TrackingEvent::IN_TRANSIT, 200), s));  // older
  EXPECT_FALSE(ApplyTrackingEvent(Event(v1::TrackingEvent::PICKED_UP, 500), s));   // behind
  EXPECT_EQ(s.state(), v1::OUT_FOR_DELIVERY);
  EXPECT_EQ(s.last_event_at().seconds(), 500);
}

TEST(TrackingRulesTest, FailedAttemptThenRedelivery) {
  v1::Shipment s = NewShipment();
  ApplyTrackingEvent(Event(v1::TrackingEvent::OUT_FOR_DELIVERY, 100), s);
  EXPECT_TRUE(ApplyTrackingEvent(Event(v1::TrackingEvent::DELIVERY_FAILED, 200), s));
  EXPECT_TRUE(s.ever_failed());
  EXPECT_TRUE(ApplyTrackingEvent(Event(v1::TrackingEvent::OUT_FOR_DELIVERY, 300), s));
  EXPECT_TRUE(ApplyTrackingEvent(Event(v1::TrackingEvent::DELIVERED, 400), s));
}

TEST(TrackingRulesTest, FinalStatesAreFinal) {
  v1::Shipment s = NewShipment();
  ApplyTrackingEvent(Event(v1::TrackingEvent::DELIVERED, 100), s);
  EXPECT_FALSE(ApplyTrackingEvent(Event(v1::TrackingEvent::RETURNED_TO_SENDER, 200), s));
  EXPECT_EQ(s.state(), v1::DELIVERED);
  v1::Shipment cancelled = NewShipment();
  cancelled.set_state(v1::CANCELLED);
  EXPECT_FALSE(ApplyTrackingEvent(Event(v1::TrackingEvent::PICKED_UP, 100), cancelled));
}

TEST(TrackingRulesTest, DelayedStaysShownUntilDeliveredLostClearsOnNews) {
  v1::Shipment s = NewShipment();
  ApplyTrackingEvent(Event(v1::TrackingEvent::PICKED_UP, 100), s);
  s.set_state(v1::DELAYED);
  EXPECT_FALSE(ApplyTrackingEvent(Event(v1::TrackingEvent::IN_TRANSIT, 200), s));
  EXPECT_EQ(s.state(), v1::DELAYED);
  EXPECT_EQ(s.progress(), v1::IN_TRANSIT);
  EXPECT_TRUE(ApplyTrackingEvent(Event(v1::TrackingEvent::DELIVERED, 300), s));
  EXPECT_EQ(s.state(), v1::DELIVERED);

  v1::Shipment lost = NewShipment();
  ApplyTrackingEvent(Event(v1::TrackingEvent::IN_TRANSIT, 100), lost);
  lost.set_state(v1::LOST);
  EXPECT_TRUE(ApplyTrackingEvent(Event(v1::TrackingEvent::ARRIVED_AT_HUB, 900), lost));
  EXPECT_EQ(lost.state(), v1::IN_TRANSIT);
}

TEST(TrackingRulesTest, EtaUpdatesMoveOnlyTheEta) {
  v1::Shipment s = NewShipment();
  v1::TrackingEvent eta = Event(v1::TrackingEvent::ETA_UPDATED, 100);
  eta.mutable_eta()->set_seconds(9999);
  EXPECT_FALSE(ApplyTrackingEvent(eta, s));
  EXPECT_EQ(s.eta().seconds(), 9999);
  EXPECT_EQ(s.state(), v1::CREATED);
}

}  // namespace
}  // namespace oms::logistics
