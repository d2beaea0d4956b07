// LogisticsService through a real in-process gRPC server and the generated stub, with the
// carriers of carriers.textproto and a fake clock.
#include "logistics_svc/logistics_service.h"

#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "logistics_svc/logistics_store.h"
#include "logistics_svc/testing/sample_shipment.h"
#include "platform/testing/in_process_server.h"

namespace oms::logistics {
namespace {

using google::protobuf::util::TimeUtil;

class LogisticsServiceTest : public oms::testing::ServiceTest<v1::LogisticsService> {
 protected:
  void SetUp() override {
    UseHost("logistics_svc", {{"logistics", &store::Migrations()}});
    DetectionOptions detection;
    detection.delay_grace = absl::Hours(24);
    detection.lost_after = absl::Hours(72);
    service_ = std::make_unique<LogisticsService>(host_.get(), detection);
    absl::StatusOr<int> seeded =
        service_->carriers().SeedFromFile("logistics_svc/carriers.textproto");
    ASSERT_TRUE(seeded.ok()) << seeded.status();
    ASSERT_EQ(*seeded, 3);
    Serve(service_.get());
  }

  v1::CreateShipmentRequest Request(const std::string& order_id) {
    return logistics::testing::SampleShipmentRequest(order_id);
  }

  v1::Shipment Create(const v1::CreateShipmentRequest& request, grpc::Status* status = nullptr) {
    grpc::ClientContext context;
    v1::Shipment shipment;
    grpc::Status s = stub_->CreateShipment(&context, request, &shipment);
    if (status != nullptr) {
      *status = s;
    } else {
      EXPECT_TRUE(s.ok()) << s.error_message();
    }
    return shipment;
  }

  v1::RecordTrackingEventResponse Track(const std::string& tracking_number,
                                        const std::string& event_id, v1::TrackingEvent::Code code,
                                        absl::Time at) {
    v1::TrackingEvent event;
    event.set_tracking_number(tracking_number);
    event.set_carrier_event_id(event_id);
    event.set_code(code);
    event.set_location("Hub");
    *event.mutable_occurred_at() = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(at));
    grpc::ClientContext context;
    v1::RecordTrackingEventResponse response;
    grpc::Status status = stub_->RecordTrackingEvent(&context, event, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  v1::RunDetectionResponse Detect() {
    grpc::ClientContext context;
    v1::RunDetectionResponse response;
    EXPECT_TRUE(stub_->RunDetection(&context, v1::RunDetectionRequest(), &response).ok());
    return response;
  }

  int CountEvents(const std::string& type) {
    absl::StatusOr<std::vector<events::v1::Event>> events = host_->outbox().List(0, 10000, {type});
    EXPECT_TRUE(events.ok());
    return static_cast<int>(events->size());
  }

  std::unique_ptr<LogisticsService> service_;
};

TEST_F(LogisticsServiceTest, SeedingAddsOnlyMissingCarriers) {
  v1::UpdateCarrierRequest update;
  grpc::ClientContext list_context;
  v1::ListCarriersResponse carriers;
  ASSERT_TRUE(stub_->ListCarriers(&list_context, v1::ListCarriersRequest(), &carriers).ok());
  ASSERT_EQ(carriers.carriers_size(), 3);
  *update.mutable_carrier() = carriers.carriers(0);
  update.mutable_carrier()->set_name("renamed at run time");
  grpc::ClientContext context;
  v1::Carrier updated;
  ASSERT_TRUE(stub_->UpdateCarrier(&context, update, &updated).ok());
  EXPECT_EQ(*service_->carriers().SeedFromFile("logistics_svc/carriers.textproto"), 0);
  grpc::ClientContext again;
  ASSERT_TRUE(stub_->ListCarriers(&again, v1::ListCarriersRequest(), &carriers).ok());
  EXPECT_EQ(carriers.carriers(0).name(), "renamed at run time");
}

TEST_F(LogisticsServiceTest, CarrierValidationNamesBadFields) {
  v1::CreateCarrierRequest request;
  request.mutable_carrier()->set_carrier_id("bad id!");
  grpc::ClientContext context;
  v1::Carrier carrier;
  grpc::Status status = stub_->CreateCarrier(&context, request, &carrier);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  for (const char* field : {"carrier.carrier_id", "carrier.name", "carrier.service_levels"}) {
    EXPECT_NE(status.error_message().find(field), std::string::npos) << field;
  }
}

TEST_F(LogisticsServiceTest, SelectCarrierPicksCheapestMeetingUrgencyAndDeadline) {
  v1::QuoteShipmentRequest quote;
  quote.set_origin_region("East");
  quote.set_destination_region("North");
  quote.set_weight_g(1200);
  quote.set_volume_cm3(3000);
  grpc::ClientContext quote_context;
  v1::QuoteShipmentResponse options;
  ASSERT_TRUE(stub_->QuoteShipment(&quote_context, quote, &options).ok());
  EXPECT_EQ(options.options_size(), 5);  // sf x2, zto x2, jd x1
  grpc::ClientContext select_context;
  v1::SelectCarrierResponse choice;
  ASSERT_TRUE(stub_->SelectCarrier(&select_context, quote, &choice).ok());
  // NORMAL urgency: STANDARD or EXPRESS; zto STANDARD is cheapest (800 + 2 kg x 300).
  EXPECT_EQ(choice.choice().carrier_id(), "zto");
  EXPECT_EQ(choice.choice().price().minor_units(), 1400);

  *quote.mutable_deadline() = TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(clock_.Now() + absl::Hours(36)));  // only next-day options
  grpc::ClientContext deadline_context;
  ASSERT_TRUE(stub_->SelectCarrier(&deadline_context, quote, &choice).ok());
  EXPECT_EQ(choice.choice().carrier_id(), "jd");
  EXPECT_EQ(choice.choice().service_level(), v1::EXPRESS);
}

TEST_F(LogisticsServiceTest, NoFeasibleCarrierIsFailedPreconditionSayingWhy) {
  v1::CreateShipmentRequest request = Request("ord_heavy");
  request.set_destination_region("West");
  request.set_weight_g(60000);
  request.set_cod(true);
  grpc::Status status;
  Create(request, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("jd: does not serve region West"), std::string::npos);
  EXPECT_NE(status.error_message().find("weight 60000 g above max 50000 g"), std::string::npos);
}

TEST_F(LogisticsServiceTest, CreateShipmentIsIdempotentPerOrderAndWarehouse) {
  v1::Shipment first = Create(Request("ord_1"));
  EXPECT_EQ(first.state(), v1::CREATED);
  EXPECT_EQ(first.carrier_id(), "zto");
  EXPECT_EQ(first.tracking_number().substr(0, 3), "ZTO");
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(first.promised_delivery()),
            absl::ToUnixMicros(clock_.Now() + absl::Hours(24 * 4)));
  v1::CreateShipmentRequest again = Request("ord_1");
  again.set_idempotency_key("another");
  EXPECT_EQ(Create(again).shipment_id(), first.shipment_id());
  v1::CreateShipmentRequest other_warehouse = Request("ord_1");
  other_warehouse.set_warehouse_id("BJ-01");
  EXPECT_NE(Create(other_warehouse).shipment_id(), first.shipment_id());
  EXPECT_EQ(CountEvents("ShipmentCreated"), 2);

  v1::CreateShipmentRequest chosen = Request("ord_2");
  chosen.set_carrier_id("sf");
  chosen.set_service_level(v1::EXPRESS);
  EXPECT_EQ(Create(chosen).carrier_id(), "sf");
  chosen = Request("ord_3");
  chosen.set_carrier_id("zto");
  chosen.set_service_level(v1::EXPRESS);  // zto has no EXPRESS
  grpc::Status status;
  Create(chosen, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("zto has no EXPRESS service"), std::string::npos);
}

TEST_F(LogisticsServiceTest, TheCallersReferenceIsKeptAndBounded) {
  v1::CreateShipmentRequest request = Request("ord_ref");
  request.set_reference("workflow revision 2");
  v1::Shipment made = Create(request);
  EXPECT_EQ(made.reference(), "workflow revision 2");
  grpc::ClientContext context;
  v1::GetShipmentRequest get;
  get.set_shipment_id(made.shipment_id());
  v1::Shipment read;
  ASSERT_TRUE(stub_->GetShipment(&context, get, &read).ok());
  EXPECT_EQ(read.reference(), "workflow revision 2");
  v1::CreateShipmentRequest too_long = Request("ord_ref2");
  too_long.set_reference(std::string(65, 'r'));
  grpc::Status status;
  Create(too_long, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("reference"), std::string::npos);
}

TEST_F(LogisticsServiceTest, CancelOnlyBeforePickup) {
  v1::Shipment shipment = Create(Request("ord_1"));
  v1::CancelShipmentRequest cancel;
  cancel.set_shipment_id(shipment.shipment_id());
  cancel.set_reason("order cancelled");
  grpc::ClientContext context;
  v1::Shipment cancelled;
  ASSERT_TRUE(stub_->CancelShipment(&context, cancel, &cancelled).ok());
  EXPECT_EQ(cancelled.state(), v1::CANCELLED);
  grpc::ClientContext twice;
  ASSERT_TRUE(stub_->CancelShipment(&twice, cancel, &cancelled).ok());
  EXPECT_EQ(CountEvents("ShipmentCancelled"), 1);
  // A new shipment for the same order and warehouse can be created after a cancel.
  v1::Shipment replacement = Create(Request("ord_1"));
  EXPECT_NE(replacement.shipment_id(), shipment.shipment_id());

  Track(replacement.tracking_number(), "e1", v1::TrackingEvent::PICKED_UP, clock_.Now());
  cancel.set_shipment_id(replacement.shipment_id());
  grpc::ClientContext late;
  grpc::Status status = stub_->CancelShipment(&late, cancel, &cancelled);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(status.error_message().find("PICKED_UP"), std::string::npos);
}

TEST_F(LogisticsServiceTest, TrackingIsIdempotentAndOrderedAndNeverGoesBackwards) {
  v1::Shipment shipment = Create(Request("ord_1"));
  absl::Time t0 = clock_.Now();
  Track(shipment.tracking_number(), "e1", v1::TrackingEvent::PICKED_UP, t0 + absl::Hours(1));
  Track(shipment.tracking_number(), "e3", v1::TrackingEvent::OUT_FOR_DELIVERY,
        t0 + absl::Hours(30));
  v1::RecordTrackingEventResponse stale =
      Track(shipment.tracking_number(), "e2", v1::TrackingEvent::IN_TRANSIT, t0 + absl::Hours(10));
  EXPECT_FALSE(stale.state_changed());
  EXPECT_EQ(stale.shipment().state(), v1::OUT_FOR_DELIVERY);
  v1::RecordTrackingEventResponse dup = Track(
      shipment.tracking_number(), "e3", v1::TrackingEvent::OUT_FOR_DELIVERY, t0 + absl::Hours(30));
  EXPECT_TRUE(dup.duplicate());

  grpc::ClientContext context;
  v1::GetTrackingRequest request;
  request.set_tracking_number(shipment.tracking_number());
  v1::GetTrackingResponse tracking;
  ASSERT_TRUE(stub_->GetTracking(&context, request, &tracking).ok());
  ASSERT_EQ(tracking.timeline_size(), 3);  // the duplicate is not stored twice
  EXPECT_EQ(tracking.timeline(0).carrier_event_id(), "e1");
  EXPECT_EQ(tracking.timeline(1).carrier_event_id(), "e2");  // stored in time order
  EXPECT_EQ(tracking.timeline(2).carrier_event_id(), "e3");
  EXPECT_EQ(tracking.eta().seconds(), shipment.promised_delivery().seconds());
  EXPECT_EQ(CountEvents("ShipmentStatusChanged"), 2);

  grpc::ClientContext unknown_context;
  request.set_tracking_number("NOPE123");
  EXPECT_EQ(stub_->GetTracking(&unknown_context, request, &tracking).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(LogisticsServiceTest, DeliveryIsConfirmedWithRecipientAndSignature) {
  v1::Shipment shipment = Create(Request("ord_1"));
  Track(shipment.tracking_number(), "e1", v1::TrackingEvent::PICKED_UP, clock_.Now());
  v1::TrackingEvent delivered;
  delivered.set_tracking_number(shipment.tracking_number());
  delivered.set_carrier_event_id("e9");
  delivered.set_code(v1::TrackingEvent::DELIVERED);
  delivered.set_recipient_name("李娜");
  delivered.set_signature_reference("POD-2026-0042");
  *delivered.mutable_occurred_at() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(clock_.Now() + absl::Hours(20)));
  grpc::ClientContext context;
  v1::RecordTrackingEventResponse response;
  ASSERT_TRUE(stub_->RecordTrackingEvent(&context, delivered, &response).ok());
  EXPECT_EQ(response.shipment().state(), v1::DELIVERED);
  EXPECT_EQ(response.shipment().delivery().recipient_name(), "李娜");
  EXPECT_EQ(response.shipment().delivery().signature_reference(), "POD-2026-0042");
  EXPECT_EQ(CountEvents("ShipmentDelivered"), 1);

  v1::Shipment other = Create(Request("ord_2"));
  v1::ConfirmDeliveryRequest confirm;
  confirm.set_shipment_id(other.shipment_id());
  confirm.set_recipient_name("门卫");
  confirm.set_signature_reference("photo-88");
  grpc::ClientContext confirm_context;
  v1::Shipment confirmed;
  ASSERT_TRUE(stub_->ConfirmDelivery(&confirm_context, confirm, &confirmed).ok());
  EXPECT_EQ(confirmed.state(), v1::DELIVERED);
  EXPECT_EQ(confirmed.delivery().recipient_name(), "门卫");
}

TEST_F(LogisticsServiceTest, DelayAndLossAreDetectedOnceWithTheFakeClock) {
  v1::Shipment late = Create(Request("ord_late"));  // promised in 4 days
  v1::Shipment silent = Create(Request("ord_silent"));
  Track(silent.tracking_number(), "s1", v1::TrackingEvent::IN_TRANSIT, clock_.Now());
  clock_.Advance(absl::Hours(24 * 3 + 1));
  Track(late.tracking_number(), "l1", v1::TrackingEvent::IN_TRANSIT, clock_.Now());
  v1::RunDetectionResponse first = Detect();
  EXPECT_EQ(first.delayed_size(), 0);
  ASSERT_EQ(first.lost_size(), 1);  // 73 h without an event
  EXPECT_EQ(first.lost(0), silent.shipment_id());

  clock_.Advance(absl::Hours(24 + 25));  // 4 days promised + 24 h grace passed
  v1::RunDetectionResponse second = Detect();
  EXPECT_EQ(second.delayed_size(), 2);    // both are late now
  EXPECT_EQ(second.lost_size(), 0);       // "late" has been silent only 49 h
  EXPECT_EQ(Detect().delayed_size(), 0);  // once per shipment
  clock_.Advance(absl::Hours(24));        // now 73 h of silence
  EXPECT_EQ(Detect().lost_size(), 1);
  EXPECT_EQ(Detect().lost_size(), 0);
  EXPECT_EQ(CountEvents("ShipmentDelayed"), 2);
  EXPECT_EQ(CountEvents("ShipmentLost"), 2);

  grpc::ClientContext context;
  v1::GetShipmentRequest get;
  get.set_shipment_id(silent.shipment_id());
  v1::Shipment lost;
  ASSERT_TRUE(stub_->GetShipment(&context, get, &lost).ok());
  EXPECT_EQ(lost.state(), v1::LOST);  // LOST is not overwritten by DELAYED
  EXPECT_TRUE(lost.has_delay_detected_at());
}

TEST_F(LogisticsServiceTest, ReshipLinksBothWays) {
  v1::Shipment original = Create(Request("ord_1"));
  v1::ReshipRequest reship;
  reship.set_shipment_id(original.shipment_id());
  reship.set_reason("parcel lost");
  grpc::ClientContext context;
  v1::ReshipResponse response;
  ASSERT_TRUE(stub_->Reship(&context, reship, &response).ok());
  EXPECT_EQ(response.reshipment().reship_of(), original.shipment_id());
  ASSERT_EQ(response.original().reshipped_as_size(), 1);
  EXPECT_EQ(response.original().reshipped_as(0), response.reshipment().shipment_id());
  EXPECT_NE(response.reshipment().tracking_number(), original.tracking_number());
  EXPECT_EQ(CountEvents("ShipmentReshipped"), 1);

  grpc::ClientContext list_context;
  v1::ListShipmentsRequest list;
  list.set_order_id("ord_1");
  v1::ListShipmentsResponse shipments;
  ASSERT_TRUE(stub_->ListShipments(&list_context, list, &shipments).ok());
  EXPECT_EQ(shipments.shipments_size(), 2);
  grpc::ClientContext no_reason_context;
  reship.clear_reason();
  EXPECT_EQ(stub_->Reship(&no_reason_context, reship, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(LogisticsServiceTest, CarrierStatsCountOnTimeLateLostAndFailed) {
  absl::Time t0 = clock_.Now();
  v1::Shipment on_time = Create(Request("ord_1"));
  v1::Shipment late = Create(Request("ord_2"));
  v1::Shipment failed = Create(Request("ord_3"));
  Track(on_time.tracking_number(), "a1", v1::TrackingEvent::PICKED_UP, t0);
  Track(on_time.tracking_number(), "a2", v1::TrackingEvent::DELIVERED, t0 + absl::Hours(48));
  Track(late.tracking_number(), "b1", v1::TrackingEvent::PICKED_UP, t0);
  Track(late.tracking_number(), "b2", v1::TrackingEvent::DELIVERED, t0 + absl::Hours(24 * 6));
  Track(failed.tracking_number(), "c1", v1::TrackingEvent::OUT_FOR_DELIVERY, t0);
  Track(failed.tracking_number(), "c2", v1::TrackingEvent::DELIVERY_FAILED, t0 + absl::Hours(1));
  grpc::ClientContext context;
  v1::GetCarrierStatsResponse stats;
  ASSERT_TRUE(stub_->GetCarrierStats(&context, v1::GetCarrierStatsRequest(), &stats).ok());
  ASSERT_EQ(stats.stats_size(), 1);
  const v1::CarrierStats& zto = stats.stats(0);
  EXPECT_EQ(zto.carrier_id(), "zto");
  EXPECT_EQ(zto.shipments(), 3);
  EXPECT_EQ(zto.delivered(), 2);
  EXPECT_EQ(zto.delivered_on_time(), 1);
  EXPECT_DOUBLE_EQ(zto.on_time_rate(), 0.5);
  EXPECT_DOUBLE_EQ(zto.average_transit_hours(), (48.0 + 144.0) / 2);
  EXPECT_EQ(zto.failed(), 1);
}

}  // namespace
}  // namespace oms::logistics
