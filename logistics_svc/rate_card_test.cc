#include "logistics_svc/rate_card.h"

#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"

namespace oms::logistics {
namespace {

std::vector<v1::Carrier> Carriers() {
  v1::CarrierList list;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(
      R"pb(
        carriers {
          carrier_id: "cheap"
          name: "Cheap Post"
          service_levels {
            level: ECONOMY
            base_fee { currency_code: "CNY" minor_units: 500 }
            per_kg_fee { currency_code: "CNY" minor_units: 100 }
            max_weight_g: 20000
            default_transit_days: 6
          }
          service_levels {
            level: STANDARD
            base_fee { currency_code: "CNY" minor_units: 800 }
            per_kg_fee { currency_code: "CNY" minor_units: 100 }
            max_weight_g: 20000
            cod_supported: true
            default_transit_days: 4
            transit_days { origin_region: "East" destination_region: "East" days: 1 }
          }
        }
        carriers {
          carrier_id: "fast"
          name: "Fast Air"
          destination_regions: "East"
          destination_regions: "North"
          service_levels {
            level: EXPRESS
            base_fee { currency_code: "CNY" minor_units: 1500 }
            per_kg_fee { currency_code: "CNY" minor_units: 200 }
            per_liter_surcharge { currency_code: "CNY" minor_units: 10 }
            max_weight_g: 30000
            max_volume_cm3: 100000
            cod_supported: true
            default_transit_days: 1
          }
          service_levels {
            level: STANDARD
            base_fee { currency_code: "CNY" minor_units: 800 }
            per_kg_fee { currency_code: "CNY" minor_units: 100 }
            max_weight_g: 30000
            default_transit_days: 3
          }
        }
      )pb",
      &list));
  return {list.carriers().begin(), list.carriers().end()};
}

Parcel ParcelTo(const std::string& region, int64_t weight_g = 2500) {
  Parcel parcel;
  parcel.origin_region = "East";
  parcel.destination_region = region;
  parcel.weight_g = weight_g;
  parcel.volume_cm3 = 1500;
  parcel.ship_time = absl::FromUnixSeconds(1767225600);
  return parcel;
}

TEST(RateCardTest, PricesByStartedKilogramAndLiter) {
  Quote quote = QuoteParcel(Carriers(), ParcelTo("North"), {});
  // fast EXPRESS: 1500 + 3 kg x 200 + 2 liters x 10
  for (const auto& o : quote.options) {
    if (o.carrier_id() == "fast" && o.service_level() == v1::EXPRESS) {
      EXPECT_EQ(o.price().minor_units(), 1500 + 600 + 20);
      EXPECT_EQ(o.transit_days(), 1);
    }
  }
  EXPECT_EQ(quote.options.size(), 4u);
}

TEST(RateCardTest, OptionsMeetingUrgencyComeFirstThenByPrice) {
  Quote quote = QuoteParcel(Carriers(), ParcelTo("North"), {});  // NORMAL urgency
  ASSERT_EQ(quote.options.size(), 4u);
  EXPECT_EQ(quote.options[0].service_level(), v1::STANDARD);
  EXPECT_EQ(quote.options[0].carrier_id(), "fast");  // same price as cheap STANDARD, faster
  EXPECT_FALSE(quote.options[3].meets_urgency());    // ECONOMY last under NORMAL
}

TEST(RateCardTest, RouteSpecificTransitTimeWins) {
  Quote quote = QuoteParcel(Carriers(), ParcelTo("East"), {});
  for (const auto& o : quote.options) {
    if (o.carrier_id() == "cheap" && o.service_level() == v1::STANDARD) {
      EXPECT_EQ(o.transit_days(), 1);
      EXPECT_EQ(o.promised_delivery().seconds(), 1767225600 + 86400);
    }
  }
}

TEST(RateCardTest, ChoiceIsCheapestMeetingDeadlineWithTiesByOnTimeRate) {
  Parcel parcel = ParcelTo("North");
  OnTimeRates history = {{{"cheap", v1::STANDARD}, 0.99}, {{"fast", v1::STANDARD}, 0.80}};
  auto choice = ChooseCarrier(QuoteParcel(Carriers(), parcel, history));
  ASSERT_TRUE(choice.ok());
  EXPECT_EQ(choice->choice().carrier_id(), "cheap");  // same price, better on-time record

  parcel.deadline = parcel.ship_time + absl::Hours(48);  // only EXPRESS arrives in time
  choice = ChooseCarrier(QuoteParcel(Carriers(), parcel, history));
  ASSERT_TRUE(choice.ok());
  EXPECT_EQ(choice->choice().carrier_id(), "fast");
  EXPECT_EQ(choice->choice().service_level(), v1::EXPRESS);

  parcel.deadline.reset();
  parcel.urgency = v1::LOW;
  choice = ChooseCarrier(QuoteParcel(Carriers(), parcel, history));
  EXPECT_EQ(choice->choice().service_level(), v1::ECONOMY);
}

TEST(RateCardTest, NoFeasibleCarrierSaysWhy) {
  Parcel parcel = ParcelTo("West", 25000);
  parcel.cod = true;
  Quote quote = QuoteParcel(Carriers(), parcel, {});
  EXPECT_TRUE(quote.options.empty());
  absl::StatusOr<v1::SelectCarrierResponse> choice = ChooseCarrier(quote);
  EXPECT_EQ(choice.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(choice.status().message().find("fast: does not serve region West"), std::string::npos);
  EXPECT_NE(choice.status().message().find("cheap ECONOMY: weight 25000 g above max 20000 g"),
            std::string::npos);
}

TEST(RateCardTest, CashOnDeliveryNeedsSupport) {
  Parcel parcel = ParcelTo("North");
  parcel.cod = true;
  Quote quote = QuoteParcel(Carriers(), parcel, {});
  for (const auto& o : quote.options) {
    EXPECT_TRUE(o.carrier_id() == "fast" ? o.service_level() == v1::EXPRESS
                                         : o.service_level() == v1::STANDARD);
  }
  EXPECT_EQ(quote.options.size(), 2u);
}

TEST(RateCardTest, DeadlineNobodyMeetsIsAClearError) {
  Parcel parcel = ParcelTo("North");
  parcel.deadline = parcel.ship_time + absl::Hours(2);
  auto choice = ChooseCarrier(QuoteParcel(Carriers(), parcel, {}));
  EXPECT_EQ(choice.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(choice.status().message().find("fastest feasible is fast EXPRESS"), std::string::npos);
}

}  // namespace
}  // namespace oms::logistics
