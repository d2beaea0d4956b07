#ifndef OMS_ORDER_SVC_ORDER_VALIDATION_H_
#define OMS_ORDER_SVC_ORDER_VALIDATION_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "oms/order/v1/order.pb.h"
#include "platform/base/validation.h"

namespace oms::order {

// Size limits on what a channel may send (characters, not bytes).
inline constexpr size_t kMaxNameChars = 100;
inline constexpr size_t kMaxStreetChars = 200;
inline constexpr size_t kMaxShortTextChars = 64;  // skus, references, regions, cities
inline constexpr size_t kMaxNotesChars = 2000;
inline constexpr int kMaxLines = 500;
inline constexpr int64_t kMaxQuantity = 1'000'000;
inline constexpr int64_t kMaxUnitPriceMinor = 1'000'000'000'000;  // 10 billion in 2-decimal units

// Each check adds every problem it finds under `field` (e.g. "customer") and keeps going.
void CheckPhone(absl::string_view phone, const std::string& field, FieldErrors& errors);
void CheckAddress(const v1::Address& address, const std::string& field, FieldErrors& errors);
void CheckLines(const google::protobuf::RepeatedPtrField<v1::OrderLine>& lines,
                absl::string_view currency, const std::string& field, FieldErrors& errors);

// A requested delivery date must lie ahead of `now` (and within a year).
void CheckDeliveryDate(const google::protobuf::Timestamp& date, absl::Time now,
                       const std::string& field, FieldErrors& errors);

// Every field of a new order; INVALID_ARGUMENT naming all bad fields at once.
absl::Status ValidateCreateOrder(const v1::CreateOrderRequest& request);
// INVALID_ARGUMENT unless `order_id` is given and at most 64 characters.
absl::Status RequireOrderId(const std::string& order_id);
// Who a change is recorded under: the caller's actor, or "system".
std::string ActorOrSystem(const std::string& actor);

}  // namespace oms::order

#endif  // OMS_ORDER_SVC_ORDER_VALIDATION_H_
