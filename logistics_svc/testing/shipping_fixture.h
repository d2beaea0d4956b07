// Logistics' concepts wired as the service wires them, on an in-memory store with a fake
// clock and the carriers of carriers.textproto. For unit tests of one concept at a time.
#ifndef OMS_LOGISTICS_SVC_TESTING_SHIPPING_FIXTURE_H_
#define OMS_LOGISTICS_SVC_TESTING_SHIPPING_FIXTURE_H_

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "logistics_svc/carrier_choice.h"
#include "logistics_svc/carrier_stats.h"
#include "logistics_svc/carriers.h"
#include "logistics_svc/shipments.h"
#include "logistics_svc/tracking.h"
#include "platform/base/clock.h"

namespace oms::logistics::testing {

class ShippingFixture : public ::testing::Test {
 protected:
  ShippingFixture();
  void SetUp() override;

  // A parcel of tea from SH-01 (East) to North for `order_id`.
  v1::CreateShipmentRequest Request(const std::string& order_id);
  v1::Shipment Create(const std::string& order_id);
  v1::RecordTrackingEventResponse Scan(const v1::Shipment& shipment, const std::string& event_id,
                                       v1::TrackingEvent::Code code);

  FakeClock clock_;
  std::unique_ptr<ServiceHost> host_;
  Carriers carriers_;
  CarrierChoice choice_;
  Shipments shipments_;
  Tracking tracking_;
  CarrierStats stats_;
};

}  // namespace oms::logistics::testing

#endif  // OMS_LOGISTICS_SVC_TESTING_SHIPPING_FIXTURE_H_
