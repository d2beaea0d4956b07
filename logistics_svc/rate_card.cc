#include "logistics_svc/rate_card.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/time_util.h"
#include "platform/base/money.h"
#include "platform/base/status.h"

namespace oms::logistics {
namespace {

using google::protobuf::util::TimeUtil;

int64_t StartedUnits(int64_t amount, int64_t unit) { return (amount + unit - 1) / unit; }

absl::StatusOr<Money> Price(const v1::ServiceLevelRate& rate, const Parcel& parcel) {
  OMS_ASSIGN_OR_RETURN(Money base, Money::FromProto(rate.base_fee()));
  Money total = base;
  if (rate.has_per_kg_fee()) {
    OMS_ASSIGN_OR_RETURN(Money per_kg, Money::FromProto(rate.per_kg_fee()));
    OMS_ASSIGN_OR_RETURN(Money weight_part, per_kg.Times(StartedUnits(parcel.weight_g, 1000)));
    OMS_ASSIGN_OR_RETURN(total, total.Plus(weight_part));
  }
  if (rate.has_per_liter_surcharge()) {
    OMS_ASSIGN_OR_RETURN(Money per_liter, Money::FromProto(rate.per_liter_surcharge()));
    OMS_ASSIGN_OR_RETURN(Money volume_part, per_liter.Times(StartedUnits(parcel.volume_cm3, 1000)));
    OMS_ASSIGN_OR_RETURN(total, total.Plus(volume_part));
  }
  return total;
}

int TransitDays(const v1::ServiceLevelRate& rate, const Parcel& parcel) {
  for (const v1::TransitTime& t : rate.transit_days()) {
    if (t.origin_region() == parcel.origin_region &&
        t.destination_region() == parcel.destination_region) {
      return t.days();
    }
  }
  return rate.default_transit_days();
}

bool Serves(const v1::Carrier& carrier, const std::string& region) {
  return carrier.destination_regions().empty() ||
         std::find(carrier.destination_regions().begin(), carrier.destination_regions().end(),
                   region) != carrier.destination_regions().end();
}

std::string Describe(const v1::ShippingOption& o) {
  return absl::StrCat(o.carrier_id(), " ", v1::ServiceLevel_Name(o.service_level()), " (",
                      o.price().minor_units(), " ", o.price().currency_code(), ", ",
                      o.transit_days(), " days)");
}

}  // namespace

bool MeetsUrgency(v1::ServiceLevel level, v1::Urgency urgency) {
  switch (urgency) {
    case v1::LOW:
      return true;
    case v1::URGENT:
      return level == v1::EXPRESS;
    default:  // NORMAL and unspecified
      return level == v1::STANDARD || level == v1::EXPRESS;
  }
}

Quote QuoteParcel(const std::vector<v1::Carrier>& carriers, const Parcel& parcel,
                  const OnTimeRates& on_time) {
  Quote quote;
  for (const v1::Carrier& carrier : carriers) {
    if (!Serves(carrier, parcel.destination_region)) {
      quote.refusals.push_back(absl::StrCat(carrier.carrier_id(), ": does not serve region ",
                                            parcel.destination_region));
      continue;
    }
    for (const v1::ServiceLevelRate& rate : carrier.service_levels()) {
      std::string who =
          absl::StrCat(carrier.carrier_id(), " ", v1::ServiceLevel_Name(rate.level()), ": ");
      if (rate.max_weight_g() > 0 && parcel.weight_g > rate.max_weight_g()) {
        quote.refusals.push_back(absl::StrCat(who, "weight ", parcel.weight_g, " g above max ",
                                              rate.max_weight_g(), " g"));
        continue;
      }
      if (rate.max_volume_cm3() > 0 && parcel.volume_cm3 > rate.max_volume_cm3()) {
        quote.refusals.push_back(absl::StrCat(who, "volume ", parcel.volume_cm3, " cm3 above max ",
                                              rate.max_volume_cm3(), " cm3"));
        continue;
      }
      if (parcel.cod && !rate.cod_supported()) {
        quote.refusals.push_back(absl::StrCat(who, "no cash on delivery"));
        continue;
      }
      absl::StatusOr<Money> price = Price(rate, parcel);
      if (!price.ok()) {
        quote.refusals.push_back(absl::StrCat(who, "rate card error: ", price.status().message()));
        continue;
      }
      v1::ShippingOption& option = quote.options.emplace_back();
      option.set_carrier_id(carrier.carrier_id());
      option.set_service_level(rate.level());
      *option.mutable_price() = price->ToProto();
      option.set_transit_days(TransitDays(rate, parcel));
      absl::Time promised = parcel.ship_time + absl::Hours(24) * option.transit_days();
      *option.mutable_promised_delivery() =
          TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(promised));
      option.set_meets_deadline(!parcel.deadline.has_value() || promised <= *parcel.deadline);
      option.set_meets_urgency(MeetsUrgency(rate.level(), parcel.urgency));
      auto history = on_time.find({carrier.carrier_id(), rate.level()});
      option.set_on_time_rate(history == on_time.end() ? 1.0 : history->second);
    }
  }
  std::sort(quote.options.begin(), quote.options.end(),
            [](const v1::ShippingOption& a, const v1::ShippingOption& b) {
              bool a_ok = a.meets_deadline() && a.meets_urgency();
              bool b_ok = b.meets_deadline() && b.meets_urgency();
              if (a_ok != b_ok) return a_ok;
              if (a.price().minor_units() != b.price().minor_units()) {
                return a.price().minor_units() < b.price().minor_units();
              }
              if (a.transit_days() != b.transit_days()) return a.transit_days() < b.transit_days();
              return std::make_pair(a.carrier_id(), static_cast<int>(a.service_level())) <
                     std::make_pair(b.carrier_id(), static_cast<int>(b.service_level()));
            });
  return quote;
}

absl::StatusOr<v1::SelectCarrierResponse> ChooseCarrier(const Quote& quote) {
  if (quote.options.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("no carrier can take this parcel: ", absl::StrJoin(quote.refusals, "; ")));
  }
  const v1::ShippingOption* best = nullptr;
  for (const v1::ShippingOption& option : quote.options) {
    if (!option.meets_deadline() || !option.meets_urgency()) continue;
    if (best == nullptr || option.price().minor_units() < best->price().minor_units() ||
        (option.price().minor_units() == best->price().minor_units() &&
         (option.on_time_rate() > best->on_time_rate() ||
          (option.on_time_rate() == best->on_time_rate() &&
           option.transit_days() < best->transit_days())))) {
      best = &option;
    }
  }
  if (best == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no carrier meets the deadline and urgency; fastest feasible is ",
        Describe(*std::min_element(
            quote.options.begin(), quote.options.end(),
            [](const auto& a, const auto& b) { return a.transit_days() < b.transit_days(); }))));
  }
  v1::SelectCarrierResponse response;
  *response.mutable_choice() = *best;
  for (const v1::ShippingOption& option : quote.options) {
    if (&option != best) *response.add_alternatives() = option;
  }
  return response;
}

}  // namespace oms::logistics
