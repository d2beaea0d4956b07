#include "platform/base/money.h"

#include <cstdlib>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace oms {
namespace {

struct CurrencyInfo {
  const char* code;
  int decimals;
};

constexpr CurrencyInfo kCurrencies[] = {
    {"AED", 2}, {"AUD", 2}, {"BHD", 3}, {"BRL", 2}, {"CAD", 2}, {"CHF", 2}, {"CNY", 2},
    {"CZK", 2}, {"DKK", 2}, {"EUR", 2}, {"GBP", 2}, {"HKD", 2}, {"HUF", 2}, {"IDR", 2},
    {"ILS", 2}, {"INR", 2}, {"JPY", 0}, {"KRW", 0}, {"KWD", 3}, {"MXN", 2}, {"MYR", 2},
    {"NOK", 2}, {"NZD", 2}, {"PHP", 2}, {"PLN", 2}, {"RUB", 2}, {"SAR", 2}, {"SEK", 2},
    {"SGD", 2}, {"THB", 2}, {"TRY", 2}, {"TWD", 2}, {"USD", 2}, {"VND", 0}, {"ZAR", 2},
};

const CurrencyInfo* Find(absl::string_view code) {
  for (const CurrencyInfo& info : kCurrencies) {
    if (code == info.code) return &info;
  }
  return nullptr;
}

absl::Status Overflow(absl::string_view op) {
  return absl::OutOfRangeError(absl::StrCat("money overflow in ", op));
}

}  // namespace

bool IsKnownCurrency(absl::string_view code) { return Find(code) != nullptr; }

int CurrencyDecimals(absl::string_view code) {
  const CurrencyInfo* info = Find(code);
  return info == nullptr ? 2 : info->decimals;
}

absl::StatusOr<Money> Money::Of(int64_t minor_units, absl::string_view currency) {
  if (!IsKnownCurrency(currency)) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown ISO 4217 currency code \"", currency, "\""));
  }
  return Money(minor_units, std::string(currency));
}

absl::StatusOr<Money> Money::FromProto(const common::v1::Money& proto) {
  return Of(proto.minor_units(), proto.currency_code());
}

Money Money::Zero(absl::string_view currency) { return Money(0, std::string(currency)); }

common::v1::Money Money::ToProto() const {
  common::v1::Money proto;
  proto.set_currency_code(currency_);
  proto.set_minor_units(minor_units_);
  return proto;
}

absl::Status Money::CheckSameCurrency(const Money& other) const {
  if (currency_ != other.currency_) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot mix currencies ", currency_, " and ", other.currency_));
  }
  return absl::OkStatus();
}

absl::StatusOr<Money> Money::Plus(const Money& other) const {
  if (absl::Status s = CheckSameCurrency(other); !s.ok()) return s;
  int64_t sum;
  if (__builtin_add_overflow(minor_units_, other.minor_units_, &sum)) return Overflow("add");
  return Money(sum, currency_);
}

absl::StatusOr<Money> Money::Minus(const Money& other) const {
  if (absl::Status s = CheckSameCurrency(other); !s.ok()) return s;
  int64_t diff;
  if (__builtin_sub_overflow(minor_units_, other.minor_units_, &diff)) {
    return Overflow("subtract");
  }
  return Money(diff, currency_);
}

absl::StatusOr<Money> Money::Times(int64_t factor) const {
  int64_t product;
  if (__builtin_mul_overflow(minor_units_, factor, &product)) return Overflow("multiply");
  return Money(product, currency_);
}

absl::StatusOr<Money> Money::BasisPoints(int64_t basis_points) const {
  return Share(basis_points, 10000);
}

absl::StatusOr<Money> Money::Share(int64_t numerator, int64_t denominator) const {
  if (denominator == 0) return absl::InvalidArgumentError("money share of a zero whole");
  __int128 scaled = static_cast<__int128>(minor_units_) * numerator;
  __int128 whole = denominator;
  if (whole < 0) {
    scaled = -scaled;
    whole = -whole;
  }
  __int128 quotient = scaled / whole;
  __int128 remainder = scaled % whole;
  // Half away from zero: 0.5 minor units and more round outward.
  if (2 * remainder >= whole) ++quotient;
  if (2 * remainder <= -whole) --quotient;
  if (quotient > INT64_MAX || quotient < INT64_MIN) return Overflow("share");
  return Money(static_cast<int64_t>(quotient), currency_);
}

std::string Money::ToString() const {
  int decimals = CurrencyDecimals(currency_);
  if (decimals == 0) return absl::StrCat(minor_units_, " ", currency_);
  uint64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  uint64_t magnitude = minor_units_ < 0 ? 0 - static_cast<uint64_t>(minor_units_)
                                        : static_cast<uint64_t>(minor_units_);
  return absl::StrFormat("%s%d.%0*d %s", minor_units_ < 0 ? "-" : "", magnitude / scale, decimals,
                         magnitude % scale, currency_);
}

std::string MoneyText(int64_t minor_units, absl::string_view currency) {
  absl::StatusOr<Money> money = Money::Of(minor_units, currency);
  return money.ok() ? money->ToString() : absl::StrCat(minor_units, " ", currency);
}

std::string MoneyText(const common::v1::Money& amount) {
  return MoneyText(amount.minor_units(), amount.currency_code());
}

}  // namespace oms
