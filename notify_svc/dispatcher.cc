#include "notify_svc/dispatcher.h"

#include <algorithm>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "notify_svc/event_catalog.h"
#include "notify_svc/notify_checks.h"
#include "notify_svc/notify_store.h"
#include "notify_svc/template_engine.h"
#include "oms/order/v1/order.pb.h"
#include "platform/base/status.h"
#include "platform/storage/proto_rows.h"

namespace oms::notify {
namespace {

using google::protobuf::util::TimeUtil;

// The end of the recipient's quiet hours if `now` falls inside them.
std::optional<absl::Time> QuietUntil(const v1::Recipient& r, absl::Time now) {
  int start = r.quiet_start_minute(), end = r.quiet_end_minute();
  if (start == end) return std::nullopt;
  absl::Time local = now + absl::Minutes(r.utc_offset_minutes());
  int64_t minute_of_day = (absl::ToUnixSeconds(local) / 60) % (24 * 60);
  bool quiet = start < end ? (minute_of_day >= start && minute_of_day < end)
                           : (minute_of_day >= start || minute_of_day < end);
  if (!quiet) return std::nullopt;
  int64_t wait = (end - minute_of_day + 24 * 60) % (24 * 60);
  return now + absl::Minutes(wait) - absl::Seconds(absl::ToUnixSeconds(local) % 60);
}

bool Has(const google::protobuf::RepeatedField<int>& list, int value) {
  for (int v : list) {
    if (v == value) return true;
  }
  return false;
}

}  // namespace

std::string Dispatcher::OrderIdOf(const Values& values) {
  for (const auto& [key, value] : values) {
    if ((key == "order_id" || absl::EndsWith(key, ".order_id")) && !value.empty()) return value;
  }
  return "";
}

store::Contact ContactOf(const order::v1::Order& order) {
  return {order.customer().name(), order.customer().phone(),
          absl::AsciiStrToLower(order.customer().email()),
          LocaleForCountry(order.customer().shipping_address().country_code())};
}

std::string LocaleForCountry(const std::string& country_code) {
  return country_code == "CN" || country_code == "TW" || country_code == "HK" ||
                 country_code == "MO" || country_code == "SG"
             ? "zh-CN"
             : "en";
}

absl::StatusOr<std::optional<v1::Message>> Dispatcher::Admit(Session& s, v1::Message message,
                                                             const v1::Recipient* recipient,
                                                             const std::string& opt_out_contact) {
  OMS_ASSIGN_OR_RETURN(std::shared_ptr<const NotifyConfig> config, config_.Current(s));
  return Admit(s, *config, std::move(message), recipient, opt_out_contact);
}

absl::StatusOr<std::optional<v1::Message>> Dispatcher::Admit(Session& s, const NotifyConfig& config,
                                                             v1::Message message,
                                                             const v1::Recipient* recipient,
                                                             const std::string& opt_out_contact) {
  absl::Time now = host_->clock().Now();
  message.set_message_id(host_->ids().Next("msg"));
  *message.mutable_created_at() = ToProtoTime(now);
  *message.mutable_updated_at() = message.created_at();
  *message.mutable_next_attempt_at() = message.created_at();
  message.set_status(v1::Message::QUEUED);

  // In SetOptOut's form: an order's "Wei@Example.cn" is the opted-out "wei@example.cn".
  OMS_ASSIGN_OR_RETURN(bool opted_out, opt_out_contact.empty()
                                           ? absl::StatusOr<bool>(false)
                                           : store::IsOptedOut(s, NormalizeContact(opt_out_contact),
                                                               message.channel()));
  const v1::FrequencyLimit* limit = config.FindLimit(message.channel());
  std::optional<absl::Time> digest_until;
  if (opted_out) {
    message.set_status(v1::Message::SUPPRESSED);
    message.set_suppressed_by(v1::Message::OPTED_OUT);
    message.set_last_error(
        absl::StrCat("the customer opted out of ", v1::Channel_Name(message.channel())));
  } else if (limit != nullptr && limit->max_messages() > 0 && message.digest_of() == 0) {
    absl::Duration window = absl::Seconds(limit->window().seconds());
    OMS_ASSIGN_OR_RETURN(store::Counted counted,
                         store::CountedSince(s, message.recipient(), message.channel(),
                                             now - window, limit->max_messages()));
    if (counted.messages >= limit->max_messages()) {
      message.set_status(v1::Message::SUPPRESSED);
      message.set_suppressed_by(v1::Message::FREQUENCY_LIMIT);
      std::string rule = absl::StrCat("frequency limit ", limit->max_messages(), " per ",
                                      absl::FormatDuration(window));
      if (limit->overflow() == v1::FrequencyLimit::DIGEST) {
        digest_until = counted.first_created + window;
        message.set_last_error(absl::StrCat(rule, ": folded into the digest sent at ",
                                            absl::FormatTime(*digest_until)));
      } else {
        message.set_last_error(rule);
      }
    }
  }
  if (auto no_provider = undeliverable_.find(message.channel());
      message.status() == v1::Message::QUEUED && no_provider != undeliverable_.end()) {
    message.set_status(v1::Message::SUPPRESSED);
    message.set_suppressed_by(v1::Message::NO_PROVIDER);
    message.set_last_error(no_provider->second);
  }
  if (message.status() == v1::Message::QUEUED && message.channel() == v1::IN_APP) {
    message.set_status(v1::Message::SENT);
    message.set_attempts(1);
    *message.mutable_sent_at() = message.created_at();
    message.set_provider_response("inbox");
  } else if (message.status() == v1::Message::QUEUED && recipient != nullptr && !message.urgent()) {
    if (std::optional<absl::Time> until = QuietUntil(*recipient, now)) {
      *message.mutable_next_attempt_at() = ToProtoTime(*until);
      message.set_last_error("waiting for the end of the recipient's quiet hours");
    }
  }
  OMS_ASSIGN_OR_RETURN(bool inserted, store::InsertMessage(s, message));
  if (!inserted) return std::optional<v1::Message>();
  if (message.status() == v1::Message::QUEUED && on_queued_) on_queued_(message.channel());
  if (digest_until.has_value()) OMS_RETURN_IF_ERROR(store::AddToDigest(s, message, *digest_until));
  if (message.status() == v1::Message::SENT && message.channel() == v1::IN_APP) {
    v1::InboxItem item;
    item.set_message_id(message.message_id());
    item.set_in_app_id(message.address());
    item.set_subject(message.subject());
    item.set_body(message.body());
    *item.mutable_created_at() = message.created_at();
    OMS_RETURN_IF_ERROR(store::AddInboxItem(s, item));
    v1::MessageSent event;
    *event.mutable_message() = message;
    OMS_RETURN_IF_ERROR(host_->outbox().Append(s, message.message_id(), event).status());
  }
  return std::optional<v1::Message>(message);
}

Dispatcher::Dispatcher(ServiceHost* host) : host_(host) {
  // Later events about an order carry only its id: keep the customer's contact from these.
  auto save = [](Session& s, const order::v1::Order& order) {
    return store::SaveContact(s, order.order_id(), ContactOf(order));
  };
  contacts_
      .On<order::v1::OrderCreated>([save](Session& s, const order::v1::OrderCreated& p,
                                          const events::v1::Event&) { return save(s, p.order()); })
      .On<order::v1::OrderUpdated>([save](Session& s, const order::v1::OrderUpdated& p,
                                          const events::v1::Event&) { return save(s, p.order()); });
}

std::vector<std::string> Dispatcher::FeedTypes() const {
  std::vector<std::string> types = KnownEventTypes();
  for (const std::string& type : contacts_.types()) {
    if (std::find(types.begin(), types.end(), type) == types.end()) types.push_back(type);
  }
  return types;
}

absl::Status Dispatcher::HandleEvent(Session& s, const events::v1::Event& event) {
  static const Lookups* const kNone = new Lookups();
  return HandleEvent(s, event, *kNone);
}

absl::StatusOr<std::unique_ptr<google::protobuf::Message>> Dispatcher::UnpackPayload(
    const events::v1::Event& event) {
  const google::protobuf::Descriptor* type = EventPayloadType(event.type());
  if (type == nullptr) return nullptr;
  std::unique_ptr<google::protobuf::Message> payload(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type)->New());
  if (!event.payload().UnpackTo(payload.get())) {
    return absl::DataLossError(
        absl::StrCat("event ", event.event_id(), " payload is not a ", type->full_name()));
  }
  return payload;
}

absl::Status Dispatcher::HandleEvent(Session& s, const events::v1::Event& event,
                                     const Lookups& lookups) {
  OMS_ASSIGN_OR_RETURN(std::unique_ptr<google::protobuf::Message> payload, UnpackPayload(event));
  if (payload == nullptr) return absl::OkStatus();  // not an event anyone is notified about
  OMS_RETURN_IF_ERROR(contacts_.Route(s, event));
  OMS_ASSIGN_OR_RETURN(std::shared_ptr<const NotifyConfig> config, config_.Current(s));
  const std::vector<v1::Rule>& all_rules = config->RulesFor(event.type());
  if (all_rules.empty()) return absl::OkStatus();
  Delivery delivery{event, *config, lookups, {}, std::nullopt};
  FlattenMessage(*payload, "", delivery.values);
  delivery.values["event.type"] = event.type();
  delivery.values["event.id"] = event.event_id();
  delivery.values["event.occurred_at"] = TimeUtil::ToString(event.occurred_at());
  // The customer's tier decides which rules apply: known before they are chosen.
  bool wants_tier = UsesTier(*config, event.type());
  if (wants_tier) OMS_RETURN_IF_ERROR(AddCustomer(s, delivery, true, true));
  std::vector<const v1::Rule*> rules;
  for (const v1::Rule& rule : all_rules) {
    if (Applies(rule, delivery.values)) rules.push_back(&rule);
  }
  if (rules.empty()) return absl::OkStatus();
  bool for_customer = false;
  for (const v1::Rule* rule : rules) {
    for (int a : rule->audiences()) for_customer = for_customer || a == v1::CUSTOMER;
  }
  if (!wants_tier) OMS_RETURN_IF_ERROR(AddCustomer(s, delivery, for_customer, false));
  for (const v1::Rule* rule : rules) OMS_RETURN_IF_ERROR(Reach(s, *rule, delivery));
  return absl::OkStatus();
}

bool Dispatcher::UsesTier(const NotifyConfig& config, const std::string& event_type) const {
  return lookup_tier_ && config.UsesTier(event_type);
}

absl::Status Dispatcher::AddCustomer(Session& s, Delivery& delivery, bool may_ask, bool with_tier) {
  std::string order_id = OrderIdOf(delivery.values);
  if (order_id.empty()) return absl::OkStatus();
  OMS_ASSIGN_OR_RETURN(delivery.contact, store::FindContact(s, order_id));
  if (!delivery.contact.has_value() && lookup_contact_ && may_ask) {
    // Ahead of the order's own events (rare): order_svc is asked outside the transaction.
    auto asked = delivery.lookups.contacts.find(order_id);
    if (asked == delivery.lookups.contacts.end()) {
      return PrepareAgainError(absl::StrCat("order ", order_id,
                                            "'s customer is not known here yet: order_svc is "
                                            "asked before the batch is tried again"));
    }
    delivery.contact = asked->second;
    if (delivery.contact.has_value()) {
      OMS_RETURN_IF_ERROR(store::SaveContact(s, order_id, *delivery.contact));
    }
  }
  if (!delivery.contact.has_value()) return absl::OkStatus();
  delivery.values["customer.name"] = delivery.contact->name;
  delivery.values["customer.email"] = delivery.contact->email;
  delivery.values["customer.phone"] = delivery.contact->phone;
  if (with_tier && !delivery.contact->phone.empty()) {
    auto tier = delivery.lookups.tiers.find(delivery.contact->phone);
    if (tier == delivery.lookups.tiers.end()) {
      return PrepareAgainError(absl::StrCat("order ", order_id,
                                            "'s customer tier is not known here: "
                                            "orchestrator_svc is asked before the batch is "
                                            "tried again"));
    }
    delivery.values[kTierPlaceholder] = tier->second;
  }
  return absl::OkStatus();
}

bool Dispatcher::Applies(const v1::Rule& rule, const Values& values) {
  for (const auto& [field, value] : rule.when()) {
    auto found = values.find(field);
    if (found == values.end() || found->second != value) return false;
  }
  return true;
}

absl::Status Dispatcher::Send(Session& s, const Delivery& delivery, const v1::Rule& rule,
                              v1::Channel channel, const Target& target) {
  const events::v1::Event& event = delivery.event;
  if (target.address.empty()) return absl::OkStatus();  // no address for this channel
  v1::Message message;
  message.set_event_id(event.event_id());
  message.set_event_type(event.type());
  message.set_recipient(target.key);
  message.set_channel(channel);
  message.set_address(target.address);
  message.set_urgent(rule.urgent());
  if (channel == v1::WEBHOOK) {
    message.set_subject(event.type());
    if (!delivery.webhook_json.has_value()) {  // once per event, for all its subscribers
      google::protobuf::util::JsonPrintOptions options;
      options.preserve_proto_field_names = true;
      std::string json;
      if (!google::protobuf::util::MessageToJsonString(event, &json, options).ok()) {
        return absl::InternalError(absl::StrCat("event ", event.event_id(), " has no JSON form"));
      }
      delivery.webhook_json = std::move(json);
    }
    message.set_body(*delivery.webhook_json);
  } else {
    const v1::Template* found = delivery.config.FindTemplate(event.type(), channel, target.locale);
    if (found == nullptr && target.locale != "en") {
      found = delivery.config.FindTemplate(event.type(), channel, "en");
    }
    if (found == nullptr) {
      message.set_status(v1::Message::SUPPRESSED);
      message.set_suppressed_by(v1::Message::NO_TEMPLATE);
      message.set_last_error(
          absl::StrCat("no ", v1::Channel_Name(channel), " template for ", event.type()));
    } else {
      message.set_subject(Render(found->subject(), delivery.values));
      message.set_body(Render(found->body(), delivery.values));
    }
  }
  if (message.status() == v1::Message::SUPPRESSED) {
    absl::Time now = host_->clock().Now();
    message.set_message_id(host_->ids().Next("msg"));
    *message.mutable_created_at() = ToProtoTime(now);
    *message.mutable_updated_at() = message.created_at();
    *message.mutable_next_attempt_at() = message.created_at();
    return store::InsertMessage(s, message).status();
  }
  return Admit(s, delivery.config, message, target.recipient, target.opt_out_contact).status();
}

absl::Status Dispatcher::ReachCustomer(Session& s, const v1::Rule& rule, const Delivery& delivery) {
  if (!delivery.contact.has_value()) return absl::OkStatus();
  const store::Contact& contact = *delivery.contact;
  std::string key =
      absl::StrCat("customer:", contact.phone.empty() ? contact.email : contact.phone);
  for (int channel : rule.channels()) {
    Target target{key, "", contact.locale, "", nullptr};
    if (channel == v1::EMAIL) target.address = contact.email;
    if (channel == v1::SMS) target.address = contact.phone;
    if (channel == v1::IN_APP && !contact.phone.empty()) {
      target.address = absl::StrCat("customer:", contact.phone);
    }
    if (channel == v1::WEBHOOK) continue;
    target.opt_out_contact = target.address;
    OMS_RETURN_IF_ERROR(Send(s, delivery, rule, static_cast<v1::Channel>(channel), target));
  }
  return absl::OkStatus();
}

absl::Status Dispatcher::ReachSupplier(Session& s, const v1::Rule& rule, const Delivery& delivery) {
  auto value = [&](const char* field) {
    auto found = delivery.values.find(field);
    return found == delivery.values.end() ? std::string() : found->second;
  };
  std::string key = absl::StrCat("supplier:", value("supplier.supplier_id"));
  for (int channel : rule.channels()) {
    Target target{key, "", "en", "", nullptr};
    if (channel == v1::EMAIL) target.address = value("supplier.email");
    if (channel == v1::WEBHOOK) target.address = value("supplier.webhook_url");
    OMS_RETURN_IF_ERROR(Send(s, delivery, rule, static_cast<v1::Channel>(channel), target));
  }
  return absl::OkStatus();
}

absl::Status Dispatcher::Reach(Session& s, const v1::Rule& rule, const Delivery& delivery) {
  for (int audience : rule.audiences()) {
    if (audience == v1::CUSTOMER) {
      OMS_RETURN_IF_ERROR(ReachCustomer(s, rule, delivery));
      continue;
    }
    if (audience == v1::SUPPLIER) {
      OMS_RETURN_IF_ERROR(ReachSupplier(s, rule, delivery));
      continue;
    }
    auto assignee = delivery.values.find("ticket.assignee");
    for (const v1::Recipient& r : delivery.config.recipients()) {
      bool reached = audience == v1::ASSIGNEE
                         ? assignee != delivery.values.end() && !assignee->second.empty() &&
                               r.recipient_id() == assignee->second
                         : Has(r.audiences(), audience);
      if (!reached) continue;
      std::string key = absl::StrCat("recipient:", r.recipient_id());
      std::string locale = r.locale().empty() ? "en" : r.locale();
      if (r.kind() == v1::Recipient::WEBHOOK) {
        bool subscribed = r.event_types().empty();
        for (const std::string& t : r.event_types()) {
          subscribed = subscribed || t == delivery.event.type();
        }
        if (subscribed) {
          OMS_RETURN_IF_ERROR(
              Send(s, delivery, rule, v1::WEBHOOK, Target{key, r.webhook_url(), locale, "", &r}));
        }
        continue;
      }
      for (int channel : rule.channels()) {
        std::string address = channel == v1::EMAIL    ? r.email()
                              : channel == v1::SMS    ? r.phone()
                              : channel == v1::IN_APP ? r.in_app_id()
                                                      : "";
        OMS_RETURN_IF_ERROR(Send(s, delivery, rule, static_cast<v1::Channel>(channel),
                                 Target{key, address, locale, "", &r}));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace oms::notify
