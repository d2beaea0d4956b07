#ifndef OMS_PLATFORM_BASE_MONEY_H_
#define OMS_PLATFORM_BASE_MONEY_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "oms/common/v1/common.pb.h"

namespace oms {

// An exact amount: int64 minor units of an ISO 4217 currency. Arithmetic checks overflow
// and refuses to mix currencies; there is no floating point anywhere. Value type.
class Money {
 public:
  // `currency` must be a known ISO 4217 code (uppercase).
  static absl::StatusOr<Money> Of(int64_t minor_units, absl::string_view currency);
  static absl::StatusOr<Money> FromProto(const common::v1::Money& proto);
  static Money Zero(absl::string_view currency);  // currency is trusted here

  int64_t minor_units() const { return minor_units_; }
  const std::string& currency() const { return currency_; }
  common::v1::Money ToProto() const;

  absl::StatusOr<Money> Plus(const Money& other) const;
  absl::StatusOr<Money> Minus(const Money& other) const;
  absl::StatusOr<Money> Times(int64_t factor) const;
  // This amount times basis_points / 10000, rounded half away from zero to a minor unit.
  absl::StatusOr<Money> BasisPoints(int64_t basis_points) const;
  // This amount times numerator / denominator, rounded half away from zero to a minor unit
  // (a part's pro-rata share of a total); a denominator of 0 is INVALID_ARGUMENT.
  absl::StatusOr<Money> Share(int64_t numerator, int64_t denominator) const;

  // "123.45 CNY" (uses the currency's number of decimals).
  std::string ToString() const;

  friend bool operator==(const Money& a, const Money& b) {
    return a.minor_units_ == b.minor_units_ && a.currency_ == b.currency_;
  }

 private:
  Money(int64_t minor_units, std::string currency)
      : minor_units_(minor_units), currency_(std::move(currency)) {}
  absl::Status CheckSameCurrency(const Money& other) const;

  int64_t minor_units_;
  std::string currency_;
};

// An amount for people to read, as Money::ToString ("12.80 CNY"), also for a currency Money
// does not know ("1280 XYZ": minor units, as stored), so messages never fail on one.
std::string MoneyText(int64_t minor_units, absl::string_view currency);
// The same for a Money message.
std::string MoneyText(const common::v1::Money& amount);

// True for ISO 4217 codes OMS knows (the common trading currencies).
bool IsKnownCurrency(absl::string_view code);
// Number of minor-unit decimals: 2 for CNY/USD, 0 for JPY/KRW, 3 for KWD/BHD.
int CurrencyDecimals(absl::string_view code);

}  // namespace oms

#endif  // OMS_PLATFORM_BASE_MONEY_H_
