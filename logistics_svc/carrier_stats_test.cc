// Carrier statistics on an in-memory store.
#include "logistics_svc/carrier_stats.h"

#include "logistics_svc/testing/shipping_fixture.h"

namespace oms::logistics {
namespace {

class CarrierStatsTest : public testing::ShippingFixture {};

TEST_F(CarrierStatsTest, OnTimeDeliveriesAndCancellationsPerCarrierAndLevel) {
  v1::Shipment on_time = Create("ord_1");
  Scan(on_time, "pickup-1", v1::TrackingEvent::PICKED_UP);
  Scan(on_time, "delivered-1", v1::TrackingEvent::DELIVERED);
  v1::CreateShipmentRequest second = Request("ord_2");
  second.set_carrier_id(on_time.carrier_id());
  second.set_service_level(on_time.service_level());
  absl::StatusOr<v1::Shipment> cancelled = shipments_.CreateShipment(second);
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  v1::CancelShipmentRequest cancel;
  cancel.set_idempotency_key("cancel");
  cancel.set_shipment_id(cancelled->shipment_id());
  ASSERT_TRUE(shipments_.CancelShipment(cancel).ok());
  absl::StatusOr<v1::GetCarrierStatsResponse> stats = stats_.Get(v1::GetCarrierStatsRequest());
  ASSERT_TRUE(stats.ok()) << stats.status();
  ASSERT_EQ(stats->stats_size(), 1);
  const v1::CarrierStats& s = stats->stats(0);
  EXPECT_EQ(s.shipments(), 2);
  EXPECT_EQ(s.delivered(), 1);
  EXPECT_EQ(s.cancelled(), 1);
  EXPECT_DOUBLE_EQ(s.on_time_rate(), 1.0);
}

}  // namespace
}  // namespace oms::logistics
