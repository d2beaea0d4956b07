#include "logistics_svc/testing/shipping_fixture.h"

#include "logistics_svc/logistics_store.h"
#include "logistics_svc/testing/sample_shipment.h"
#include "platform/storage/proto_rows.h"
#include "platform/testing/in_memory_host.h"

namespace oms::logistics::testing {

ShippingFixture::ShippingFixture()
    : host_(oms::testing::InMemoryHost("logistics_svc", &clock_,
                                       {{"logistics", &store::Migrations()}})),
      carriers_(host_.get()),
      choice_(host_.get()),
      shipments_(host_.get(), &choice_),
      tracking_(host_.get(), &shipments_, DetectionOptions()),
      stats_(host_.get()) {}

void ShippingFixture::SetUp() {
  absl::StatusOr<int> seeded = carriers_.SeedFromFile("logistics_svc/carriers.textproto");
  ASSERT_TRUE(seeded.ok()) << seeded.status();
}

v1::CreateShipmentRequest ShippingFixture::Request(const std::string& order_id) {
  v1::CreateShipmentRequest r = SampleShipmentRequest(order_id);
  r.set_idempotency_key("label-" + order_id);
  return r;
}

v1::Shipment ShippingFixture::Create(const std::string& order_id) {
  absl::StatusOr<v1::Shipment> created = shipments_.CreateShipment(Request(order_id));
  EXPECT_TRUE(created.ok()) << created.status();
  return created.ok() ? *created : v1::Shipment();
}

v1::RecordTrackingEventResponse ShippingFixture::Scan(const v1::Shipment& shipment,
                                                      const std::string& event_id,
                                                      v1::TrackingEvent::Code code) {
  v1::TrackingEvent event;
  event.set_tracking_number(shipment.tracking_number());
  event.set_carrier_event_id(event_id);
  event.set_code(code);
  event.set_location("Hub");
  *event.mutable_occurred_at() = ToProtoTime(clock_.Now());
  absl::StatusOr<v1::RecordTrackingEventResponse> answer = tracking_.RecordTrackingEvent(event);
  EXPECT_TRUE(answer.ok()) << answer.status();
  return answer.ok() ? *answer : v1::RecordTrackingEventResponse();
}

}  // namespace oms::logistics::testing
