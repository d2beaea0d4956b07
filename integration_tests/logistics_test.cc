// logistics_svc as a real process: carriers seeded from the shipped file, a shipment tracked
// across a SIGKILL (carrier event ids stay recognised), loss detection and a reship.
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "integration_tests/service_process.h"
#include "oms/events/v1/events.grpc.pb.h"
#include "oms/logistics/v1/logistics.grpc.pb.h"
#include "platform/testing/temp_dir.h"

namespace oms::integration {
namespace {

using google::protobuf::util::TimeUtil;
using logistics::v1::LogisticsService;

class LogisticsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(Started(logistics_.Start())); }

  std::unique_ptr<LogisticsService::Stub> Stub() {
    return LogisticsService::NewStub(logistics_.NewChannel());
  }

  logistics::v1::RecordTrackingEventResponse Track(const std::string& tracking_number,
                                                   const std::string& id,
                                                   logistics::v1::TrackingEvent::Code code,
                                                   absl::Duration ago) {
    logistics::v1::TrackingEvent event;
    event.set_tracking_number(tracking_number);
    event.set_carrier_event_id(id);
    event.set_code(code);
    event.set_location("杭州转运中心");
    *event.mutable_occurred_at() =
        TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(absl::Now() - ago));
    grpc::ClientContext context;
    logistics::v1::RecordTrackingEventResponse response;
    grpc::Status status = Stub()->RecordTrackingEvent(&context, event, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  testing::TempDir dir_;
  ServiceProcess logistics_{
      "logistics_svc",
      dir_.path(),
      {"--carriers_file=" + RunfilesBinary("logistics_svc", "carriers.textproto")}};
};

TEST_F(LogisticsTest, ShipmentSurvivesSigkillThenIsFoundLostAndReshipped) {
  logistics::v1::CreateShipmentRequest create;
  create.set_idempotency_key("ord_77:ship:SH-01");
  create.set_order_id("ord_77");
  create.set_warehouse_id("SH-01");
  create.set_origin_region("East");
  create.set_destination_region("North");
  create.add_lines()->set_sku("TEA-1");
  create.mutable_lines(0)->set_quantity(1);
  create.set_weight_g(900);
  grpc::ClientContext create_context;
  logistics::v1::Shipment shipment;
  ASSERT_TRUE(Stub()->CreateShipment(&create_context, create, &shipment).ok());
  Track(shipment.tracking_number(), "zto-1", logistics::v1::TrackingEvent::PICKED_UP,
        absl::Hours(100));
  auto in_transit = Track(shipment.tracking_number(), "zto-2",
                          logistics::v1::TrackingEvent::IN_TRANSIT, absl::Hours(99));
  EXPECT_EQ(in_transit.shipment().state(), logistics::v1::IN_TRANSIT);

  logistics_.Kill();
  absl::Status restarted = logistics_.Start();
  ASSERT_TRUE(restarted.ok()) << restarted;

  auto resent = Track(shipment.tracking_number(), "zto-2", logistics::v1::TrackingEvent::IN_TRANSIT,
                      absl::Hours(99));
  EXPECT_TRUE(resent.duplicate());

  // 99 h without news is more than the default 72 h: the sweep that runs at start-up or this
  // on-demand one finds the parcel lost, and only one of them reports it.
  grpc::ClientContext detect_context;
  logistics::v1::RunDetectionResponse detected;
  ASSERT_TRUE(
      Stub()->RunDetection(&detect_context, logistics::v1::RunDetectionRequest(), &detected).ok());
  EXPECT_LE(detected.lost_size(), 1);
  grpc::ClientContext get_context;
  logistics::v1::GetShipmentRequest get;
  get.set_tracking_number(shipment.tracking_number());
  logistics::v1::Shipment lost;
  ASSERT_TRUE(Stub()->GetShipment(&get_context, get, &lost).ok());
  EXPECT_EQ(lost.state(), logistics::v1::LOST);
  EXPECT_TRUE(lost.has_lost_detected_at());

  logistics::v1::ReshipRequest reship;
  reship.set_idempotency_key("ord_77:reship:1");
  reship.set_shipment_id(shipment.shipment_id());
  reship.set_reason("lost in transit");
  grpc::ClientContext reship_context;
  logistics::v1::ReshipResponse reshipped;
  ASSERT_TRUE(Stub()->Reship(&reship_context, reship, &reshipped).ok());
  EXPECT_EQ(reshipped.reshipment().reship_of(), shipment.shipment_id());
  EXPECT_EQ(reshipped.original().state(), logistics::v1::LOST);

  grpc::ClientContext carriers_context;
  logistics::v1::ListCarriersResponse carriers;
  ASSERT_TRUE(Stub()
                  ->ListCarriers(&carriers_context, logistics::v1::ListCarriersRequest(), &carriers)
                  .ok());
  EXPECT_EQ(carriers.carriers_size(), 3);  // seeding twice added nothing

  auto feed = events::v1::EventFeed::NewStub(logistics_.NewChannel());
  grpc::ClientContext feed_context;
  events::v1::ListEventsRequest list;
  list.set_limit(100);
  events::v1::ListEventsResponse events;
  ASSERT_TRUE(feed->ListEvents(&feed_context, list, &events).ok());
  std::vector<std::string> types;
  for (const auto& e : events.events()) types.push_back(e.type());
  EXPECT_EQ(types,
            (std::vector<std::string>{"ShipmentCreated", "ShipmentStatusChanged",
                                      "ShipmentStatusChanged", "ShipmentStatusChanged",
                                      "ShipmentLost", "ShipmentCreated", "ShipmentReshipped"}));
}

}  // namespace
}  // namespace oms::integration
