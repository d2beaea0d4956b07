#ifndef OMS_NOTIFY_SVC_DISPATCHER_H_
#define OMS_NOTIFY_SVC_DISPATCHER_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "notify_svc/notify_config.h"
#include "notify_svc/notify_store.h"
#include "notify_svc/template_engine.h"
#include "oms/events/v1/events.pb.h"
#include "oms/notify/v1/notify.pb.h"
#include "oms/order/v1/order.pb.h"
#include "platform/events/batch_preparer.h"
#include "platform/events/event_router.h"
#include "platform/server/service_host.h"

namespace oms::notify {

// Turns events into messages, inside the feed consumer's transaction: the rules for the
// event type (those whose `when` the event matches) name audiences and channels; recipients are
// resolved (the order's customer, staff and groups by audience, webhook subscribers); templates are
// rendered; then each message passes opt-outs, frequency limits (suppress or fold into a digest)
// and quiet hours. A message is unique per (event, recipient, channel), so a redelivered event
// notifies nobody twice. Rules, templates, limits and recipients are read from a copy in
// memory that one row read per event proves current (NotifyConfigCache). Thread-safe.
class Dispatcher {
 public:
  explicit Dispatcher(ServiceHost* host);

  // Asks order_svc for an order's customer (nullopt: no such order). notify_svc learns
  // contacts from order_svc's OrderCreated, but follows each service's feed on its own: a
  // ShipmentCreated can arrive first, and its customer must not go without the message.
  // Asked outside any transaction (PrepareBatch).
  using ContactLookup =
      std::function<absl::StatusOr<std::optional<store::Contact>>(const std::string& order_id)>;
  void SetContactLookup(ContactLookup lookup) { lookup_contact_ = std::move(lookup); }
  // Asks orchestrator_svc for a customer's tier by phone ("NEW", "REGULAR", "VIP",
  // "RISKY"), for rules (`when` customer.tier) and templates ({{customer.tier}}) of the
  // event that use it: only then is it asked, outside any transaction (PrepareBatch).
  using TierLookup = std::function<absl::StatusOr<std::string>(const std::string& phone)>;
  void SetTierLookup(TierLookup lookup) { lookup_tier_ = std::move(lookup); }

  // Other services' answers a batch of events needs, fetched before its transaction.
  struct Lookups {
    // Customers of orders notify_svc had not seen, by order id (nullopt: order_svc has no
    // such order).
    std::map<std::string, std::optional<store::Contact>> contacts;
    std::map<std::string, std::string> tiers;  // customers' tiers, by phone
  };
  // The feed consumers' BatchPreparer (platform/events/batch_preparer.h). A call inside the
  // batch's transaction would hold notify_svc's write lock (every consumer's batches, the
  // courier's claims and records, the API's writes) for the round trip, and for the whole
  // deadline while the peer is down. So a batch is first tried without lookups; an event
  // that needs one answers PrepareAgainError, and the second preparation asks order_svc and
  // orchestrator_svc for everything the batch needs, with no transaction open.
  absl::StatusOr<EventHandler> PrepareBatch(const std::vector<events::v1::Event>& batch,
                                            const absl::Status& failed);
  // Called with its channel when a message for the courier was queued (it wakes that
  // channel's delivery instead of leaving the message to its next round). Set once, before
  // events flow.
  void SetOnQueued(std::function<void(v1::Channel)> on_queued) {
    on_queued_ = std::move(on_queued);
  }
  // Messages on `channel` cannot be delivered (no provider is configured): they are stored
  // SUPPRESSED with `why` instead of queued for attempts that can only fail. Set before
  // events flow.
  void SetUndeliverable(v1::Channel channel, std::string why) {
    undeliverable_[channel] = std::move(why);
  }
  // Why `channel` cannot be delivered, or nullptr when it has a provider.
  const std::string* Undeliverable(v1::Channel channel) const {
    auto found = undeliverable_.find(channel);
    return found == undeliverable_.end() ? nullptr : &found->second;
  }

  // Applies `event` with what was looked up for its batch; an event that needs an answer
  // not among `lookups` answers PrepareAgainError. The first form has none.
  absl::Status HandleEvent(Session& s, const events::v1::Event& event, const Lookups& lookups);
  absl::Status HandleEvent(Session& s, const events::v1::Event& event);
  // The event types HandleEvent acts on (those rules may name, and those that carry
  // contacts): the feeds send no others.
  std::vector<std::string> FeedTypes() const;

  // Stores `message` (id, times and status are set here) after opt-out, limit and
  // quiet-hour checks; `recipient` supplies quiet hours. IN_APP messages are delivered at
  // once into the inbox. Answers the stored message, or nullopt if this (event, recipient,
  // channel) already had one.
  absl::StatusOr<std::optional<v1::Message>> Admit(Session& s, v1::Message message,
                                                   const v1::Recipient* recipient,
                                                   const std::string& opt_out_contact);

 private:
  // Where one message goes.
  struct Target {
    std::string key;  // the recipient, for limits and dedupe
    std::string address;
    std::string locale;
    std::string opt_out_contact;
    const v1::Recipient* recipient = nullptr;
  };
  // One event on its way to its rules' audiences.
  struct Delivery {
    const events::v1::Event& event;
    const NotifyConfig& config;  // rules, templates, limits and recipients
    const Lookups& lookups;      // what was asked of other services for the batch
    Values values;               // the payload's fields by path, the event's own and the customer's
    std::optional<store::Contact> contact;
    // The event as JSON, made by its first webhook message for the others.
    mutable std::optional<std::string> webhook_json;
  };
  // The event's payload as its type (nullptr: a type notify_svc does not know; DATA_LOSS:
  // a payload that is not of its type).
  static absl::StatusOr<std::unique_ptr<google::protobuf::Message>> UnpackPayload(
      const events::v1::Event& event);
  // The order an event is about (its payload's order_id at any depth), or "".
  static std::string OrderIdOf(const Values& values);
  // Whether the batch's events use customers' tiers (by the last configuration copy): then
  // its lookups are made before the first try.
  bool AsksForTiers(const std::vector<events::v1::Event>& batch) const;
  // Everything `batch` needs from order_svc and orchestrator_svc (batch_lookups.cc).
  absl::StatusOr<Lookups> LookUp(const std::vector<events::v1::Event>& batch);
  // Whether every field the rule's `when` names has the value it asks for.
  static bool Applies(const v1::Rule& rule, const Values& values);
  // Whether the event type's rules or templates use the customer's tier and it can be asked.
  bool UsesTier(const NotifyConfig& config, const std::string& event_type) const;
  // The order's customer into `delivery` (from the batch's lookups when `may_ask` and
  // notify_svc has not seen them yet), and with `with_tier` their tier.
  absl::Status AddCustomer(Session& s, Delivery& delivery, bool may_ask, bool with_tier);
  absl::Status Reach(Session& s, const v1::Rule& rule, const Delivery& delivery);
  absl::Status ReachCustomer(Session& s, const v1::Rule& rule, const Delivery& delivery);
  // The supplier the event names, by its email or webhook (purchase orders).
  absl::Status ReachSupplier(Session& s, const v1::Rule& rule, const Delivery& delivery);
  absl::Status Send(Session& s, const Delivery& delivery, const v1::Rule& rule, v1::Channel channel,
                    const Target& target);
  absl::StatusOr<std::optional<v1::Message>> Admit(Session& s, const NotifyConfig& config,
                                                   v1::Message message,
                                                   const v1::Recipient* recipient,
                                                   const std::string& opt_out_contact);

  ServiceHost* host_;
  ContactLookup lookup_contact_;
  TierLookup lookup_tier_;
  std::function<void(v1::Channel)> on_queued_;
  std::map<v1::Channel, std::string> undeliverable_;
  // Events that carry an order's customer contact: kept for later events about the order.
  EventRouter<Session&> contacts_;
  NotifyConfigCache config_;
};

// The contact notify_svc keeps for an order's customer.
store::Contact ContactOf(const order::v1::Order& order);

// "zh-CN" for Chinese-speaking regions, else "en".
std::string LocaleForCountry(const std::string& country_code);

}  // namespace oms::notify

#endif  // OMS_NOTIFY_SVC_DISPATCHER_H_
