#include "order_svc/order_validation.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "platform/base/money.h"

namespace oms::order {
namespace {

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(c)) return false;
  }
  return !s.empty();
}

// Shape of one postal code: '9' a digit, 'A' a letter, anything else itself.
bool MatchesShape(absl::string_view code, absl::string_view shape) {
  if (code.size() != shape.size()) return false;
  for (size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    char s = shape[i];
    if (s == '9' ? !absl::ascii_isdigit(c) : s == 'A' ? !absl::ascii_isalpha(c) : c != s) {
      return false;
    }
  }
  return true;
}

// Postal code formats of the countries OMS ships to most; others get a generic check.
const std::multimap<std::string, std::string>& PostalShapes() {
  static const auto* shapes = new std::multimap<std::string, std::string>{
      {"CN", "999999"},   {"US", "99999"},   {"US", "99999-9999"}, {"DE", "99999"},
      {"FR", "99999"},    {"IT", "99999"},   {"ES", "99999"},      {"JP", "999-9999"},
      {"JP", "9999999"},  {"CA", "A9A 9A9"}, {"AU", "9999"},       {"IN", "999999"},
      {"NL", "9999 AA"},  {"SG", "999999"},  {"KR", "99999"},      {"TW", "999"},
      {"TW", "99999"},    {"GB", "A9 9AA"},  {"GB", "A99 9AA"},    {"GB", "AA9 9AA"},
      {"GB", "AA99 9AA"}, {"GB", "A9A 9AA"}, {"GB", "AA9A 9AA"},
  };
  return *shapes;
}

// Countries without postal codes: the field must be empty or is ignored.
bool HasNoPostalCodes(absl::string_view country) { return country == "HK" || country == "AE"; }

}  // namespace

void CheckPhone(absl::string_view phone, const std::string& field, FieldErrors& errors) {
  if (!errors.Required(phone, field)) return;
  std::string normalized = NormalizePhone(phone);
  absl::string_view digits = normalized;
  if (absl::StartsWith(digits, "+")) digits.remove_prefix(1);
  errors.Check(AllDigits(digits) && digits.size() >= 7 && digits.size() <= 15, field,
               "is not a phone number (7 to 15 digits, optional leading +)");
}

void CheckAddress(const v1::Address& address, const std::string& field, FieldErrors& errors) {
  const std::string& country = address.country_code();
  bool country_ok = errors.Check(
      country.size() == 2 && absl::ascii_isupper(country[0]) && absl::ascii_isupper(country[1]),
      field + ".country_code", "must be an ISO 3166-1 alpha-2 code such as CN or US");
  errors.MaxLength(address.region(), kMaxShortTextChars, field + ".region");
  if (errors.Required(address.city(), field + ".city")) {
    errors.MaxLength(address.city(), kMaxShortTextChars, field + ".city");
  }
  if (errors.Required(address.street(), field + ".street")) {
    errors.MaxLength(address.street(), kMaxStreetChars, field + ".street");
  }
  const std::string& postal = address.postal_code();
  std::string postal_field = field + ".postal_code";
  if (!country_ok || HasNoPostalCodes(country)) return;
  if (!errors.Required(postal, postal_field)) return;
  auto [begin, end] = PostalShapes().equal_range(country);
  if (begin == end) {
    bool generic = postal.size() <= 12;
    for (char c : postal) generic = generic && (absl::ascii_isalnum(c) || c == ' ' || c == '-');
    errors.Check(generic, postal_field, "is not a postal code");
    return;
  }
  std::string upper = absl::AsciiStrToUpper(postal);
  bool matched = false;
  for (auto it = begin; it != end; ++it) matched = matched || MatchesShape(upper, it->second);
  errors.Check(matched, postal_field, absl::StrCat("is not a valid ", country, " postal code"));
}

void CheckLines(const google::protobuf::RepeatedPtrField<v1::OrderLine>& lines,
                absl::string_view currency, const std::string& field, FieldErrors& errors) {
  if (!errors.Check(!lines.empty(), field, "at least one line is required")) return;
  if (!errors.Check(lines.size() <= kMaxLines, field,
                    absl::StrCat("at most ", kMaxLines, " lines"))) {
    return;
  }
  std::map<std::string, int> first_line_of_sku;
  for (int i = 0; i < lines.size(); ++i) {
    const v1::OrderLine& line = lines[i];
    std::string sku_field = IndexedField(field, i, "sku");
    if (errors.Required(line.sku(), sku_field)) {
      bool sku_ok = line.sku().size() <= kMaxShortTextChars;
      for (char c : line.sku()) {
        sku_ok = sku_ok && (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.');
      }
      errors.Check(sku_ok, sku_field, "must be up to 64 of A-Z a-z 0-9 - _ .");
      auto [it, inserted] = first_line_of_sku.emplace(line.sku(), i);
      errors.Check(inserted, sku_field,
                   absl::StrCat("duplicates ", field, "[", it->second, "]; merge the quantities"));
    }
    errors.MaxLength(line.product_name(), kMaxNameChars, IndexedField(field, i, "product_name"));
    errors.Check(line.quantity() > 0 && line.quantity() <= kMaxQuantity,
                 IndexedField(field, i, "quantity"),
                 absl::StrCat("must be between 1 and ", kMaxQuantity));
    std::string price_field = IndexedField(field, i, "unit_price");
    if (errors.Check(line.unit_price().currency_code() == currency, price_field,
                     absl::StrCat("currency must be the order's (", currency, ")"))) {
      errors.Check(line.unit_price().minor_units() >= 0 &&
                       line.unit_price().minor_units() <= kMaxUnitPriceMinor,
                   price_field, "must be >= 0 and at most 10^12 minor units");
    }
  }
}

void CheckDeliveryDate(const google::protobuf::Timestamp& date, absl::Time now,
                       const std::string& field, FieldErrors& errors) {
  absl::Time at = absl::FromUnixSeconds(date.seconds()) + absl::Nanoseconds(date.nanos());
  errors.Check(at > now, field, "must be in the future");
  errors.Check(at <= now + absl::Hours(24 * 366), field, "must be within a year");
}

absl::Status ValidateCreateOrder(const v1::CreateOrderRequest& request) {
  FieldErrors errors;
  errors.MaxLength(request.idempotency_key(), 128, "idempotency_key");
  errors.Check(
      request.channel() != v1::CHANNEL_UNSPECIFIED && v1::Channel_IsValid(request.channel()),
      "channel", "is required (WEB, MOBILE_APP, PHONE, MARKETPLACE, ERP, POS, EMAIL)");
  errors.MaxLength(request.external_reference(), kMaxShortTextChars, "external_reference");
  const v1::Customer& customer = request.customer();
  if (errors.Required(customer.name(), "customer.name")) {
    errors.MaxLength(customer.name(), kMaxNameChars, "customer.name");
  }
  errors.MaxLength(customer.customer_id(), kMaxShortTextChars, "customer.customer_id");
  CheckPhone(customer.phone(), "customer.phone", errors);
  CheckEmail(customer.email(), "customer.email", errors);
  CheckAddress(customer.shipping_address(), "customer.shipping_address", errors);
  bool currency_ok = errors.Check(IsKnownCurrency(request.currency_code()), "currency_code",
                                  "must be an ISO 4217 code such as CNY or USD");
  CheckLines(request.lines(), request.currency_code(), "lines", errors);
  for (const auto& [name, money] : {std::make_pair("discount", &request.discount()),
                                    std::make_pair("shipping_fee", &request.shipping_fee())}) {
    if (money->minor_units() == 0 && money->currency_code().empty()) continue;  // not given
    errors.Check(!currency_ok || money->currency_code() == request.currency_code(), name,
                 absl::StrCat("currency must be the order's (", request.currency_code(), ")"));
    errors.Check(money->minor_units() >= 0 && money->minor_units() <= kMaxUnitPriceMinor, name,
                 "must be >= 0");
  }
  errors.Check(request.tax_rate_bp() >= 0 && request.tax_rate_bp() <= 10000, "tax_rate_bp",
               "must be between 0 and 10000 basis points");
  errors.Check(request.payment_method() != v1::PAYMENT_METHOD_UNSPECIFIED &&
                   v1::PaymentMethod_IsValid(request.payment_method()),
               "payment_method", "is required (PREPAID, COD, CREDIT_TERMS)");
  errors.MaxLength(request.notes(), kMaxNotesChars, "notes");
  errors.MaxLength(request.actor(), kMaxNameChars, "actor");
  errors.Check(v1::Urgency_IsValid(request.urgency()), "urgency", "is not LOW, NORMAL or URGENT");
  return errors.ToStatus();
}

absl::Status RequireOrderId(const std::string& order_id) {
  FieldErrors errors;
  errors.Required(order_id, "order_id");
  errors.MaxLength(order_id, 64, "order_id");
  return errors.ToStatus();
}

std::string ActorOrSystem(const std::string& actor) { return actor.empty() ? "system" : actor; }

}  // namespace oms::order
