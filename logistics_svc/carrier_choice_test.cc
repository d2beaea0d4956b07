// Carrier choice on an in-memory store with the carriers of carriers.textproto.
#include "logistics_svc/carrier_choice.h"

#include "logistics_svc/parcels.h"
#include "logistics_svc/testing/shipping_fixture.h"

namespace oms::logistics {
namespace {

class CarrierChoiceTest : public testing::ShippingFixture {
 protected:
  v1::QuoteShipmentRequest Parcel(v1::Urgency urgency) {
    v1::QuoteShipmentRequest q;
    q.set_origin_region("East");
    q.set_destination_region("North");
    q.set_weight_g(1200);
    q.set_urgency(urgency);
    return q;
  }
};

TEST_F(CarrierChoiceTest, QuotesEveryOptionAndChoosesOneOfThem) {
  absl::StatusOr<v1::QuoteShipmentResponse> quote = choice_.QuoteShipment(Parcel(v1::NORMAL));
  ASSERT_TRUE(quote.ok()) << quote.status();
  ASSERT_GT(quote->options_size(), 1);
  absl::StatusOr<v1::SelectCarrierResponse> chosen = choice_.SelectCarrier(Parcel(v1::NORMAL));
  ASSERT_TRUE(chosen.ok()) << chosen.status();
  bool offered = false;
  for (const v1::ShippingOption& o : quote->options()) {
    offered = offered || (o.carrier_id() == chosen->choice().carrier_id() &&
                          o.service_level() == chosen->choice().service_level());
  }
  EXPECT_TRUE(offered);
}

TEST_F(CarrierChoiceTest, AParcelWithoutWeightOrRegionsIsRefusedNamingEachField) {
  v1::QuoteShipmentRequest empty;
  absl::Status refused = choice_.QuoteShipment(empty).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  for (const char* field : {"origin_region", "destination_region", "weight_g"}) {
    EXPECT_NE(refused.message().find(field), std::string::npos) << field << ": " << refused;
  }
}

TEST_F(CarrierChoiceTest, AnAskedForCarrierMustOfferTheLevel) {
  absl::Status missing = host_->db().Read([&](Session& s) -> absl::Status {
    return choice_.ChooseFor(s, ParcelOf(Parcel(v1::NORMAL), clock_.Now()), "zto", v1::EXPRESS)
        .status();
  });
  EXPECT_EQ(missing.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(missing.message().find("no EXPRESS service"), std::string::npos) << missing;
}

}  // namespace
}  // namespace oms::logistics
