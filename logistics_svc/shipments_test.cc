// Shipments on an in-memory store: one live label per order and warehouse, cancellation
// before pickup, reship of a lost parcel.
#include "logistics_svc/shipments.h"

#include "logistics_svc/parcels.h"
#include "logistics_svc/testing/shipping_fixture.h"
#include "platform/storage/proto_rows.h"

namespace oms::logistics {
namespace {

class ShipmentsTest : public testing::ShippingFixture {};

TEST_F(ShipmentsTest, OneLiveShipmentPerOrderAndWarehouse) {
  v1::Shipment first = Create("ord_1");
  v1::CreateShipmentRequest again = Request("ord_1");
  again.set_idempotency_key("another-key");
  absl::StatusOr<v1::Shipment> second = shipments_.CreateShipment(again);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->shipment_id(), first.shipment_id());
  EXPECT_EQ(first.state(), v1::CREATED);
  EXPECT_FALSE(first.tracking_number().empty());
}

TEST_F(ShipmentsTest, TheCustomersPromiseIsWhatTheParcelIsLateAgainst) {
  v1::Shipment carriers_own = Create("ord_1");
  v1::CreateShipmentRequest promised = Request("ord_2");
  absl::Time promise = clock_.Now() + absl::Hours(24 * 9);
  *promised.mutable_customer_promise() = ToProtoTime(promise);
  absl::StatusOr<v1::Shipment> shipment = shipments_.CreateShipment(promised);
  ASSERT_TRUE(shipment.ok()) << shipment.status();
  EXPECT_EQ(FromProtoTime(shipment->promised_delivery()), promise);
  EXPECT_NE(FromProtoTime(carriers_own.promised_delivery()), promise);
}

TEST(ParcelOfTest, ALaterDepartureMovesThePromiseAnEarlierOneDoesNot) {
  absl::Time now = absl::FromUnixSeconds(1767225600);
  v1::QuoteShipmentRequest quote;
  EXPECT_EQ(ParcelOf(quote, now).ship_time, now);
  *quote.mutable_ship_at() = ToProtoTime(now + absl::Hours(30));
  EXPECT_EQ(ParcelOf(quote, now).ship_time, now + absl::Hours(30));
  *quote.mutable_ship_at() = ToProtoTime(now - absl::Hours(3));
  EXPECT_EQ(ParcelOf(quote, now).ship_time, now);
}

TEST_F(ShipmentsTest, CancelledBeforePickupOnlyAndTwiceIsHarmless) {
  v1::Shipment label = Create("ord_1");
  v1::CancelShipmentRequest cancel;
  cancel.set_idempotency_key("cancel-1");
  cancel.set_shipment_id(label.shipment_id());
  absl::StatusOr<v1::Shipment> cancelled = shipments_.CancelShipment(cancel);
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_EQ(cancelled->state(), v1::CANCELLED);
  cancel.set_idempotency_key("cancel-2");
  EXPECT_TRUE(shipments_.CancelShipment(cancel).ok());

  v1::Shipment picked = Create("ord_2");
  Scan(picked, "pickup-1", v1::TrackingEvent::PICKED_UP);
  cancel.set_idempotency_key("cancel-3");
  cancel.set_shipment_id(picked.shipment_id());
  EXPECT_EQ(shipments_.CancelShipment(cancel).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(ShipmentsTest, AReshipIsLinkedToTheShipmentItReplaces) {
  v1::Shipment original = Create("ord_1");
  Scan(original, "pickup-1", v1::TrackingEvent::PICKED_UP);
  clock_.Advance(absl::Hours(24 * 10));  // no news for far longer than --lost_after
  ASSERT_TRUE(tracking_.RunDetection().ok());
  v1::ReshipRequest reship;
  reship.set_idempotency_key("reship-1");
  reship.set_shipment_id(original.shipment_id());
  reship.set_reason("lost in transit");
  absl::StatusOr<v1::ReshipResponse> answer = shipments_.Reship(reship);
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(answer->original().state(), v1::LOST);
  EXPECT_EQ(answer->reshipment().reship_of(), original.shipment_id());
  EXPECT_NE(answer->reshipment().shipment_id(), original.shipment_id());
}

TEST_F(ShipmentsTest, ListingPagesThroughEveryShipment) {
  for (const char* order : {"ord_1", "ord_2", "ord_3"}) Create(order);
  v1::ListShipmentsRequest list;
  list.set_page_size(2);
  absl::StatusOr<v1::ListShipmentsResponse> page = shipments_.ListShipments(list);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->shipments_size(), 2);
  list.set_page_token(page->next_page_token());
  page = shipments_.ListShipments(list);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->shipments_size(), 1);
  EXPECT_EQ(page->next_page_token(), "");
}

}  // namespace
}  // namespace oms::logistics
