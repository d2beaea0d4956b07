// A day of trading over the real binaries: 200 orders across five channels with automatic
// and manual review, prepaid orders paid and unpaid, a scarce product backordered and then
// restocked by a purchase order (drafted, approved, sent, received), deliveries, a return, parcels
// running late, one lost, unpaid orders timing out; and the changes customers and staff make on the
// way: cancellations in review, waiting for payment, backordered and labelled (and one refused
// after pickup), holds released and cancelled, amendments of address, contact and lines in review,
// labelled and backordered, a refund before pickup. Time moves through every process's test clock
// (--test_clock_offset_file) and the sweeps are triggered explicitly; nothing sleeps for
// time to pass. Afterwards, checked against this file's own bookkeeping: every order's
// status, the stock figures and the ledger's own invariants, exactly one customer
// notification per channel for every customer-facing event, and analytics' order, revenue,
// exception and sales figures.
#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "integration_tests/customer_messages.h"
#include "integration_tests/rpc.h"
#include "integration_tests/seed.h"
#include "integration_tests/service_process.h"
#include "integration_tests/suite.h"
#include "oms/analytics/v1/analytics.grpc.pb.h"
#include "oms/analytics/v1/anomalies.grpc.pb.h"
#include "oms/events/v1/events.grpc.pb.h"
#include "oms/inventory/v1/purchasing.grpc.pb.h"
#include "oms/logistics/v1/logistics.grpc.pb.h"
#include "oms/notify/v1/notify.grpc.pb.h"
#include "oms/orchestrator/v1/orchestrator.grpc.pb.h"
#include "oms/orchestrator/v1/satisfaction.pb.h"
#include "oms/order/v1/order.grpc.pb.h"
#include "order_svc/test_orders.h"
#include "platform/base/files.h"
#include "platform/testing/temp_dir.h"

namespace oms::integration {
namespace {

using order::v1::OrderStatus;

constexpr int kOrders = 200;
constexpr char kTea[] = "TEA-LONGJING-250G";  // plenty
constexpr char kCup[] = "CUP-CELADON";        // scarce: backorders until the restock
constexpr int64_t kTeaPrice = 12800, kCupPrice = 4550;
constexpr int64_t kTeaStock = 2000, kCupStock = 15;

enum class Kind {
  kCod,
  kPrepaidPaid,
  kPrepaidUnpaid,
  kReviewApproved,
  kReviewRejected,
  // Changed on the way (the index in PlaceTheDay says which order):
  kCancelInReview,
  kAmendInReview,
  kCancelUnpaid,
  kCancelLabelled,
  kHoldRelease,
  kHoldCancel,
  kAmendLabelled,
  kAmendLines,
  kRefundBeforePickup,
  kCancelBackordered,
  kHoldBackordered,
  kAmendBackordered,
};

// Which order of the day is changed how.
Kind ChangeOf(int i) {
  switch (i) {
    case 135:
      return Kind::kCancelInReview;
    case 155:
      return Kind::kAmendInReview;
    case 61:
      return Kind::kCancelUnpaid;
    case 30:
      return Kind::kCancelLabelled;
    case 40:
      return Kind::kHoldRelease;
    case 50:
      return Kind::kHoldCancel;
    case 60:
      return Kind::kAmendLabelled;
    case 70:
      return Kind::kAmendLines;
    case 80:
      return Kind::kRefundBeforePickup;
    case 195:
      return Kind::kCancelBackordered;
    case 187:
      return Kind::kHoldBackordered;
    case 179:
      return Kind::kAmendBackordered;
    default:
      return Kind::kCod;
  }
}

struct Planned {
  std::string id;
  order::v1::Channel channel;
  Kind kind = Kind::kCod;
  std::map<std::string, int64_t> lines;
  int64_t total = 0;
  OrderStatus expected = order::v1::COMPLETED;
};

class DayOfTradingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Started(suite_.Start()));
    RecordProperty("replicas", suite_.order().size());  // test.xml says how it ran
    orders_ = order::v1::OrderService::NewStub(suite_.order().NewChannel());
    inventory_stub_ = inventory::v1::InventoryService::NewStub(suite_.inventory().NewChannel());
    logistics_stub_ = logistics::v1::LogisticsService::NewStub(suite_.logistics().NewChannel());
    orchestrator_stub_ =
        orchestrator::v1::OrchestratorService::NewStub(suite_.orchestrator().NewChannel());
    notify_stub_ = notify::v1::NotifyService::NewStub(suite_.notify().NewChannel());
    analytics_stub_ = analytics::v1::AnalyticsService::NewStub(suite_.analytics().NewChannel());
    ASSERT_TRUE(SeedCatalogue(*inventory_stub_, {{kTea, kTeaStock}, {kCup, kCupStock}}).ok());
  }

  void SetClockOffset(absl::Duration offset) {
    ASSERT_TRUE(WriteFileAtomically(clock_file_, absl::FormatDuration(offset)).ok());
  }

  OrderStatus StatusOf(const std::string& id) {
    order::v1::GetOrderRequest get;
    get.set_order_id(id);
    return Call(orders_.get(), &order::v1::OrderService::Stub::GetOrder, get).status();
  }

  std::vector<logistics::v1::Shipment> Shipments() {
    std::vector<logistics::v1::Shipment> all;
    logistics::v1::ListShipmentsRequest list;
    list.set_page_size(500);
    do {
      auto page =
          Call(logistics_stub_.get(), &logistics::v1::LogisticsService::Stub::ListShipments, list);
      all.insert(all.end(), page.shipments().begin(), page.shipments().end());
      list.set_page_token(page.next_page_token());
    } while (!list.page_token().empty());
    return all;
  }

  int64_t TicketsOf(orchestrator::v1::ExceptionType type) {
    orchestrator::v1::ListExceptionsRequest list;
    list.set_type(type);
    return Call(orchestrator_stub_.get(),
                &orchestrator::v1::OrchestratorService::Stub::ListExceptions, list)
        .tickets_size();
  }

  // Each ticket of `type` with its order's workflow: what a failure needs to be read.
  std::string DescribeTickets(orchestrator::v1::ExceptionType type) {
    orchestrator::v1::ListExceptionsRequest list;
    list.set_type(type);
    std::string out;
    // Held in a variable: a range-for over a member of the temporary answer would read it
    // after it is destroyed.
    orchestrator::v1::ListExceptionsResponse listed =
        Call(orchestrator_stub_.get(), &orchestrator::v1::OrchestratorService::Stub::ListExceptions,
             list);
    for (const auto& ticket : listed.tickets()) {
      orchestrator::v1::GetWorkflowRequest get;
      get.set_order_id(ticket.order_id());
      out += ticket.DebugString() + "workflow: " +
             Call(orchestrator_stub_.get(),
                  &orchestrator::v1::OrchestratorService::Stub::GetWorkflow, get)
                 .DebugString();
    }
    return out;
  }

  orchestrator::v1::Stage StageOf(const std::string& id) {
    orchestrator::v1::GetWorkflowRequest get;
    get.set_order_id(id);
    return Call(orchestrator_stub_.get(), &orchestrator::v1::OrchestratorService::Stub::GetWorkflow,
                get)
        .stage();
  }

  bool WaitStage(const std::string& id, orchestrator::v1::Stage stage) {
    return WaitFor([&] { return StageOf(id) == stage; });
  }

  Planned& Plan(Kind kind) {
    for (Planned& p : plan_) {
      if (p.kind == kind) return p;
    }
    ADD_FAILURE() << "no order of kind " << static_cast<int>(kind);
    return plan_[0];
  }

  orchestrator::v1::Workflow Cancel(const Planned& p, const std::string& reason) {
    orchestrator::v1::CancelOrderRequest cancel;
    cancel.set_idempotency_key("cancel-" + p.id);
    cancel.set_order_id(p.id);
    cancel.set_actor("cs:desk");
    cancel.set_reason(reason);
    return Call(orchestrator_stub_.get(), &orchestrator::v1::OrchestratorService::Stub::CancelOrder,
                cancel);
  }

  void Hold(const Planned& p) {
    orchestrator::v1::HoldOrderRequest hold;
    hold.set_idempotency_key("hold-" + p.id);
    hold.set_order_id(p.id);
    hold.set_actor("ops:li");
    hold.set_reason("address check");
    EXPECT_EQ(Call(orchestrator_stub_.get(),
                   &orchestrator::v1::OrchestratorService::Stub::HoldOrder, hold)
                  .stage(),
              orchestrator::v1::ON_HOLD);
  }

  void Release(const Planned& p) {
    orchestrator::v1::ReleaseHoldRequest release;
    release.set_idempotency_key("release-" + p.id);
    release.set_order_id(p.id);
    release.set_actor("ops:li");
    Call(orchestrator_stub_.get(), &orchestrator::v1::OrchestratorService::Stub::ReleaseHold,
         release);
  }

  orchestrator::v1::Workflow Amend(orchestrator::v1::AmendOrderRequest amend, const Planned& p) {
    amend.set_idempotency_key("amend-" + p.id);
    amend.set_order_id(p.id);
    amend.set_actor("cs:desk");
    if (amend.reason().empty()) amend.set_reason("customer called");
    return Call(orchestrator_stub_.get(), &orchestrator::v1::OrchestratorService::Stub::AmendOrder,
                amend);
  }

  // The lines of `p` as an amendment (after p.lines changed).
  static order::v1::OrderLines LinesOf(const Planned& p) {
    order::v1::OrderLines lines;
    for (const auto& [sku, quantity] : p.lines) {
      order::v1::OrderLine* line = lines.add_lines();
      line->set_sku(sku);
      line->set_quantity(quantity);
      line->mutable_unit_price()->set_currency_code("CNY");
      line->mutable_unit_price()->set_minor_units(sku == kTea ? kTeaPrice : kCupPrice);
    }
    return lines;
  }

  static int64_t TotalOf(const Planned& p) {
    int64_t total = 0;
    for (const auto& [sku, quantity] : p.lines)
      total += quantity * (sku == kTea ? kTeaPrice : kCupPrice);
    return total;
  }

  // The day's orders, placed through the orchestrator.
  void PlaceTheDay() {
    const order::v1::Channel channels[] = {order::v1::WEB, order::v1::MOBILE_APP, order::v1::PHONE,
                                           order::v1::MARKETPLACE, order::v1::ERP};
    for (int i = 0; i < kOrders; ++i) {
      Planned p;
      p.channel = channels[i % 5];
      p.kind = ChangeOf(i);
      if (p.kind != Kind::kCod) {
        // changed on the way (below)
      } else if (i == 11 || i == 137)
        p.kind = Kind::kPrepaidUnpaid;
      else if (i % 50 == 7 || i % 50 == 23)
        p.kind = Kind::kPrepaidPaid;
      else if (i == 5 || i == 55 || i == 105 || i == 159)
        p.kind = Kind::kReviewApproved;
      else if (i == 181 || i == 199)
        p.kind = Kind::kReviewRejected;
      bool review = p.kind == Kind::kReviewApproved || p.kind == Kind::kReviewRejected ||
                    p.kind == Kind::kCancelInReview || p.kind == Kind::kAmendInReview;
      p.lines[kTea] = review ? 60 : 1 + i % 3;  // 60 x 128.00 is above the 5,000 CNY rule
      if (!review && i % 8 == 3) p.lines[kCup] = 1;

      order::v1::CreateOrderRequest create = order::SampleCreateOrder(absl::StrCat("DAY-", i));
      create.set_channel(p.channel);
      create.mutable_customer()->set_phone(absl::StrCat("+86 139 ", 10000000 + i));
      create.mutable_customer()->set_email(absl::StrCat("customer", i, "@example.cn"));
      create.mutable_customer()->mutable_shipping_address()->set_region("East");
      create.clear_discount();
      create.clear_shipping_fee();
      create.set_tax_rate_bp(0);
      bool prepaid = p.kind == Kind::kPrepaidPaid || p.kind == Kind::kPrepaidUnpaid ||
                     p.kind == Kind::kCancelUnpaid || p.kind == Kind::kRefundBeforePickup;
      create.set_payment_method(prepaid ? order::v1::PREPAID : order::v1::COD);
      create.clear_lines();
      for (const auto& [sku, quantity] : p.lines) {
        order::v1::OrderLine* line = create.add_lines();
        line->set_sku(sku);
        line->set_quantity(quantity);
        line->mutable_unit_price()->set_currency_code("CNY");
        line->mutable_unit_price()->set_minor_units(sku == kTea ? kTeaPrice : kCupPrice);
        p.total += quantity * (sku == kTea ? kTeaPrice : kCupPrice);
      }
      // The storefront asks first: the placed order keeps the date it was quoted.
      orchestrator::v1::QuotePromiseRequest ask;
      ask.set_region("East");
      for (const auto& [sku, quantity] : p.lines) {
        inventory::v1::AllocationLine* line = ask.add_lines();
        line->set_sku(sku);
        line->set_quantity(quantity);
      }
      ask.set_cod(create.payment_method() == order::v1::COD);
      auto quoted = Call(orchestrator_stub_.get(),
                         &orchestrator::v1::OrchestratorService::Stub::QuotePromise, ask);
      orchestrator::v1::PlaceOrderRequest place;
      place.set_idempotency_key(absl::StrCat("day-", i));
      *place.mutable_order() = create;
      auto placed = Call(orchestrator_stub_.get(),
                         &orchestrator::v1::OrchestratorService::Stub::PlaceOrder, place);
      ASSERT_FALSE(placed.order_id().empty());
      EXPECT_TRUE(placed.has_promise()) << i;
      EXPECT_EQ(placed.promise().promised_delivery().seconds(),
                quoted.promised_delivery().seconds())
          << i << ": " << quoted.explanation();
      p.id = placed.order_id();
      switch (p.kind) {
        case Kind::kPrepaidUnpaid:
        case Kind::kCancelInReview:
        case Kind::kCancelUnpaid:
        case Kind::kCancelLabelled:
        case Kind::kHoldCancel:
        case Kind::kRefundBeforePickup:
        case Kind::kCancelBackordered:
          p.expected = order::v1::CANCELLED;
          break;
        case Kind::kReviewRejected:
          p.expected = order::v1::REJECTED;
          break;
        default:
          p.expected = order::v1::COMPLETED;
      }
      plan_.push_back(p);
    }
  }

  // The cup's supplier, a draft for what the suggestion says, approved, sent and received in
  // full; checks that the receipt served the backorder queue in its order and answers the
  // units received.
  int64_t ReceivePurchaseOrderForCups() {
    auto purchasing = inventory::v1::PurchasingService::NewStub(suite_.inventory().NewChannel());
    inventory::v1::SaveSupplierRequest supplier;
    supplier.set_idempotency_key("supplier-kiln");
    supplier.mutable_supplier()->set_supplier_id("KILN");
    supplier.mutable_supplier()->set_name("Longquan Kiln");
    supplier.mutable_supplier()->set_email("orders@kiln.example");
    supplier.mutable_supplier()->set_currency("CNY");
    inventory::v1::SupplyTerm* term = supplier.mutable_supplier()->add_terms();
    term->set_sku(kCup);
    term->set_unit_cost_minor(1800);
    term->set_minimum_order_quantity(10);
    term->set_pack_size(6);
    term->set_lead_time_days(3);
    Call(purchasing.get(), &inventory::v1::PurchasingService::Stub::SaveSupplier, supplier);
    inventory::v1::ListBackordersRequest cups;
    cups.set_sku(kCup);
    auto waiting =
        Call(inventory_stub_.get(), &inventory::v1::InventoryService::Stub::ListBackorders, cups);
    std::vector<std::string> queue;
    for (const auto& b : waiting.backorders()) {
      if (std::find(queue.begin(), queue.end(), b.order_id()) == queue.end()) {
        queue.push_back(b.order_id());
      }
    }
    inventory::v1::DraftPurchaseOrdersRequest draft;
    draft.set_idempotency_key("draft-cups");
    draft.set_sku(kCup);
    auto drafts =
        Call(purchasing.get(), &inventory::v1::PurchasingService::Stub::DraftPurchaseOrders, draft);
    EXPECT_EQ(drafts.drafts_size(), 1);
    if (drafts.drafts_size() != 1) return 0;
    const inventory::v1::PurchaseOrder& po = drafts.drafts(0);
    EXPECT_EQ(po.lines(0).quantity_ordered() % 6, 0);  // whole packs
    inventory::v1::ApprovePurchaseOrderRequest approve;
    approve.set_idempotency_key("approve-cups");
    approve.set_purchase_order_id(po.purchase_order_id());
    Call(purchasing.get(), &inventory::v1::PurchasingService::Stub::ApprovePurchaseOrder, approve);
    inventory::v1::SendPurchaseOrderRequest send;
    send.set_idempotency_key("send-cups");
    send.set_purchase_order_id(po.purchase_order_id());
    Call(purchasing.get(), &inventory::v1::PurchasingService::Stub::SendPurchaseOrder, send);
    inventory::v1::ReceivePurchaseOrderRequest receive;
    receive.set_idempotency_key("receive-cups");
    receive.set_purchase_order_id(po.purchase_order_id());
    auto received = Call(purchasing.get(),
                         &inventory::v1::PurchasingService::Stub::ReceivePurchaseOrder, receive);
    EXPECT_EQ(received.purchase_order().status(), inventory::v1::PO_RECEIVED);
    std::vector<std::string> served;
    for (const auto& a : received.backorders_allocated()) {
      EXPECT_TRUE(a.fully_allocated()) << a.order_id();
      served.push_back(a.order_id());
    }
    EXPECT_EQ(served, queue);  // first come, first served
    // The supplier is sent the order by email, with its CSV document.
    EXPECT_TRUE(WaitFor([&] {
      notify::v1::ListMessagesRequest sent;
      sent.set_recipient("supplier:KILN");
      auto messages =
          Call(notify_stub_.get(), &notify::v1::NotifyService::Stub::ListMessages, sent);
      return messages.messages_size() == 1 &&
             absl::StrContains(messages.messages(0).body(), absl::StrCat(kCup, ","));
    })) << "purchase order email to the supplier";
    return po.lines(0).quantity_ordered();
  }

  // After delivery the customer is asked how it went: a low rating opens a follow-up ticket,
  // on which support proposes a coupon above its own limit; support cannot approve it, ops
  // can. Answers the follow-up ticket's id.
  std::string FeedbackAndCompensation(const std::string& order_id) {
    auto feed = events::v1::EventFeed::NewStub(suite_.orchestrator().NewChannel());
    std::string token;
    EXPECT_TRUE(WaitFor([&] {
      events::v1::ListEventsRequest list;
      list.set_limit(1000);
      list.add_types("FeedbackRequested");
      for (;;) {
        auto page = Call(feed.get(), &events::v1::EventFeed::Stub::ListEvents, list);
        if (page.events().empty()) return false;
        for (const auto& e : page.events()) {
          orchestrator::v1::FeedbackRequested asked;
          if (e.payload().UnpackTo(&asked) && asked.order_id() == order_id &&
              asked.ticket_id().empty()) {
            token = asked.token();
            return true;
          }
        }
        list.set_after_seq(page.events(page.events_size() - 1).seq());
      }
    })) << "no survey after the delivery of "
        << order_id;
    auto as_shop =
        orchestrator::v1::OrchestratorService::NewStub(suite_.orchestrator().NewChannel("admin"));
    orchestrator::v1::SubmitFeedbackRequest rate;
    rate.set_idempotency_key("rate-" + order_id);
    rate.set_token(token);
    rate.set_rating(1);
    rate.set_comment("the box was crushed");
    auto feedback =
        Call(as_shop.get(), &orchestrator::v1::OrchestratorService::Stub::SubmitFeedback, rate);
    EXPECT_FALSE(feedback.followup_ticket_id().empty());
    auto as_support =
        orchestrator::v1::OrchestratorService::NewStub(suite_.orchestrator().NewChannel("support"));
    orchestrator::v1::ProposeCompensationRequest propose;
    propose.set_idempotency_key("coupon-" + order_id);
    propose.set_ticket_id(feedback.followup_ticket_id());
    propose.set_kind(orchestrator::v1::COUPON);
    propose.mutable_amount()->set_currency_code("CNY");
    propose.mutable_amount()->set_minor_units(50000);  // above support's 200.00
    propose.set_reason("crushed box");
    auto proposed =
        Call(as_support.get(), &orchestrator::v1::OrchestratorService::Stub::ProposeCompensation,
             propose);
    EXPECT_EQ(proposed.status(), orchestrator::v1::Compensation::AWAITING_APPROVAL);
    orchestrator::v1::ApproveCompensationRequest approve;
    approve.set_compensation_id(proposed.compensation_id());
    orchestrator::v1::Compensation answer;
    EXPECT_EQ(
        Try(as_support.get(), &orchestrator::v1::OrchestratorService::Stub::ApproveCompensation,
            approve, &answer)
            .error_code(),
        grpc::StatusCode::FAILED_PRECONDITION);  // not by the proposer
    auto as_ops =
        orchestrator::v1::OrchestratorService::NewStub(suite_.orchestrator().NewChannel("ops"));
    auto granted = Call(as_ops.get(),
                        &orchestrator::v1::OrchestratorService::Stub::ApproveCompensation, approve);
    EXPECT_EQ(granted.status(), orchestrator::v1::Compensation::GRANTED);
    EXPECT_EQ(granted.approved_by(), "ops");
    EXPECT_FALSE(granted.coupon_code().empty());
    return feedback.followup_ticket_id();
  }

  testing::TempDir dir_;
  std::string clock_file_ = dir_.File("clock_offset");
  // Every process follows the test clock; delay and loss are found only when RunDetection
  // is called, loss after 200 h; a message that cannot be sent is not retried.
  static SuiteFlags Flags(const std::string& clock_file) {
    SuiteFlags flags;
    flags.all = {"--test_clock_offset_file=" + clock_file};
    flags.logistics = {"--detection_interval=1000h", "--lost_after=200h"};
    flags.notify = {"--max_attempts=1"};
    flags.analytics = {"--anomaly_interval=0"};  // detection when the test asks
    return flags;
  }
  Suite suite_{dir_.path(), Flags(clock_file_)};
  std::unique_ptr<order::v1::OrderService::Stub> orders_;
  std::unique_ptr<inventory::v1::InventoryService::Stub> inventory_stub_;
  std::unique_ptr<logistics::v1::LogisticsService::Stub> logistics_stub_;
  std::unique_ptr<orchestrator::v1::OrchestratorService::Stub> orchestrator_stub_;
  std::unique_ptr<notify::v1::NotifyService::Stub> notify_stub_;
  std::unique_ptr<analytics::v1::AnalyticsService::Stub> analytics_stub_;
  std::vector<Planned> plan_;
};

TEST_F(DayOfTradingTest, EveryOrderStockNotificationAndFigureAddsUp) {
  // Morning: big orders wait for a person.
  orchestrator::v1::SaveReviewRuleRequest rule;
  rule.mutable_rule()->set_rule_id("big-orders");
  rule.mutable_rule()->set_position(10);
  rule.mutable_rule()->set_kind(orchestrator::v1::ReviewRule::AMOUNT_ABOVE);
  rule.mutable_rule()->mutable_limit()->set_currency_code("CNY");
  rule.mutable_rule()->mutable_limit()->set_minor_units(500000);
  rule.mutable_rule()->set_action(orchestrator::v1::ReviewRule::MANUAL_REVIEW);
  rule.mutable_rule()->set_enabled(true);
  Call(orchestrator_stub_.get(), &orchestrator::v1::OrchestratorService::Stub::SaveReviewRule,
       rule);
  // Orders far from their customer's own history wait too; none of the day's is (the queue
  // below holds the big orders only).
  orchestrator::v1::SaveReviewRuleRequest unusual;
  unusual.mutable_rule()->set_rule_id("unusual-orders");
  unusual.mutable_rule()->set_position(5);
  unusual.mutable_rule()->set_kind(orchestrator::v1::ReviewRule::UNUSUAL_ORDER);
  unusual.mutable_rule()->set_action(orchestrator::v1::ReviewRule::MANUAL_REVIEW);
  unusual.mutable_rule()->set_enabled(true);
  Call(orchestrator_stub_.get(), &orchestrator::v1::OrchestratorService::Stub::SaveReviewRule,
       unusual);
  PlaceTheDay();
  ASSERT_EQ(plan_.size(), static_cast<size_t>(kOrders));

  // The review queue holds exactly the eight big orders. One is cancelled while it waits, one
  // gets a corrected address; then five are approved and two rejected.
  auto queue =
      Call(orchestrator_stub_.get(), &orchestrator::v1::OrchestratorService::Stub::ListReviewQueue,
           orchestrator::v1::ListReviewQueueRequest());
  EXPECT_EQ(queue.entries_size(), 8);
  EXPECT_EQ(Cancel(Plan(Kind::kCancelInReview), "duplicate of a phone order").stage(),
            orchestrator::v1::CANCELLED);
  {
    orchestrator::v1::AmendOrderRequest street;
    *street.mutable_shipping_address() = order::AddressIn("East", "世纪大道 200 号 (corrected)");
    EXPECT_EQ(Amend(street, Plan(Kind::kAmendInReview)).stage(), orchestrator::v1::PENDING_REVIEW);
  }
  int64_t cup_demand = 0;
  for (const Planned& p : plan_) {
    if (p.kind != Kind::kPrepaidUnpaid && p.kind != Kind::kCancelUnpaid && p.lines.count(kCup)) {
      cup_demand += p.lines.at(kCup);
    }
    if (p.kind == Kind::kReviewApproved || p.kind == Kind::kReviewRejected ||
        p.kind == Kind::kAmendInReview) {
      orchestrator::v1::ReviewOrderRequest review;
      review.set_idempotency_key("review-" + p.id);
      review.set_order_id(p.id);
      review.set_reviewer("ops:li");
      if (p.kind != Kind::kReviewRejected) {
        Call(orchestrator_stub_.get(), &orchestrator::v1::OrchestratorService::Stub::ApproveOrder,
             review);
      } else {
        review.set_note("not a known customer");
        Call(orchestrator_stub_.get(), &orchestrator::v1::OrchestratorService::Stub::RejectOrder,
             review);
      }
    }
    if (p.kind == Kind::kPrepaidPaid || p.kind == Kind::kRefundBeforePickup) {  // bank payments
      order::v1::RecordPaymentRequest pay;
      pay.set_idempotency_key("bank-" + p.id);
      pay.set_order_id(p.id);
      pay.set_status(order::v1::Payment::PAID);
      pay.mutable_amount()->set_currency_code("CNY");
      pay.mutable_amount()->set_minor_units(p.total);
      pay.set_reference("bank-" + p.id);
      Call(orders_.get(), &order::v1::OrderService::Stub::RecordPayment, pay);
    }
  }
  ASSERT_GT(cup_demand, kCupStock);  // the scarce product really runs out
  ASSERT_TRUE(WaitFor([&] {
    return Call(inventory_stub_.get(), &inventory::v1::InventoryService::Stub::ListBackorders,
                inventory::v1::ListBackordersRequest())
               .backorders_size() == cup_demand - kCupStock;
  })) << "backorders";

  // Late morning, customers and staff change orders at every stage before pickup.
  EXPECT_EQ(Cancel(Plan(Kind::kCancelUnpaid), "paid by mistake elsewhere").stage(),
            orchestrator::v1::CANCELLED);  // waiting for payment
  for (Kind kind : {Kind::kCancelLabelled, Kind::kHoldRelease, Kind::kHoldCancel,
                    Kind::kAmendLabelled, Kind::kAmendLines, Kind::kRefundBeforePickup}) {
    ASSERT_TRUE(WaitStage(Plan(kind).id, orchestrator::v1::AWAITING_PICKUP)) << int(kind);
  }
  for (Kind kind : {Kind::kCancelBackordered, Kind::kHoldBackordered, Kind::kAmendBackordered}) {
    ASSERT_TRUE(WaitStage(Plan(kind).id, orchestrator::v1::BACKORDERED)) << int(kind);
  }
  EXPECT_EQ(Cancel(Plan(Kind::kCancelLabelled), "found it cheaper").stage(),
            orchestrator::v1::CANCELLED);
  Hold(Plan(Kind::kHoldRelease));
  Hold(Plan(Kind::kHoldCancel));
  EXPECT_EQ(Cancel(Plan(Kind::kHoldCancel), "fraud check failed").stage(),
            orchestrator::v1::CANCELLED);
  {
    orchestrator::v1::AmendOrderRequest contact;  // new phone and street: a new label
    contact.set_customer_phone("+86 139 2222 0060");
    *contact.mutable_shipping_address() = order::AddressIn("East", "陆家嘴环路 60 号");
    EXPECT_EQ(Amend(contact, Plan(Kind::kAmendLabelled)).stage(),
              orchestrator::v1::AWAITING_PICKUP);
  }
  {
    Planned& more = Plan(Kind::kAmendLines);
    more.lines[kTea] += 2;
    more.total = TotalOf(more);
    orchestrator::v1::AmendOrderRequest lines;
    *lines.mutable_lines() = LinesOf(more);
    EXPECT_EQ(Amend(lines, more).stage(), orchestrator::v1::AWAITING_PICKUP);
  }
  {
    orchestrator::v1::OpenExceptionRequest complaint;
    complaint.set_idempotency_key("complaint-refund");
    complaint.set_order_id(Plan(Kind::kRefundBeforePickup).id);
    complaint.set_type(orchestrator::v1::CUSTOMER_COMPLAINT);
    complaint.set_description("ordered twice");
    complaint.set_actor("cs:desk");
    auto ticket = Call(orchestrator_stub_.get(),
                       &orchestrator::v1::OrchestratorService::Stub::OpenException, complaint);
    orchestrator::v1::ResolveExceptionRequest refund;
    refund.set_idempotency_key("refund-before-pickup");
    refund.set_ticket_id(ticket.ticket_id());
    refund.set_resolution(orchestrator::v1::REFUND);
    refund.set_actor("cs:desk");
    Call(orchestrator_stub_.get(), &orchestrator::v1::OrchestratorService::Stub::ResolveException,
         refund);
  }
  EXPECT_EQ(Cancel(Plan(Kind::kCancelBackordered), "will not wait").stage(),
            orchestrator::v1::CANCELLED);
  Hold(Plan(Kind::kHoldBackordered));
  {
    Planned& tea_only = Plan(Kind::kAmendBackordered);  // drops the cup it waits for
    tea_only.lines.erase(kCup);
    tea_only.total = TotalOf(tea_only);
    orchestrator::v1::AmendOrderRequest lines;
    *lines.mutable_lines() = LinesOf(tea_only);
    EXPECT_EQ(Amend(lines, tea_only).stage(), orchestrator::v1::AWAITING_PICKUP);
  }

  // Noon: purchasing drafts a purchase order for the scarce cup from the replenishment
  // suggestion, approves and sends it; the goods arrive and serve the backorders in queue
  // order.
  int64_t restocked = ReceivePurchaseOrderForCups();
  // The backordered order held over the restock is released; so is the other hold.
  ASSERT_TRUE(WaitFor([&] {
    return StageOf(Plan(Kind::kHoldBackordered).id) == orchestrator::v1::ON_HOLD &&
           Call(inventory_stub_.get(), &inventory::v1::InventoryService::Stub::ListBackorders,
                inventory::v1::ListBackordersRequest())
                   .backorders_size() == 0;
  }));
  Release(Plan(Kind::kHoldBackordered));
  Release(Plan(Kind::kHoldRelease));

  // Everything that can ship has its label and waits for the carrier (ALLOCATED from the
  // moment its stock is reserved, so the stage says when the label is there too); the two
  // unpaid prepaid orders still wait.
  ASSERT_TRUE(WaitFor([&] {
    for (const Planned& p : plan_) {
      OrderStatus want = p.expected == order::v1::COMPLETED ? order::v1::ALLOCATED : p.expected;
      if (p.kind == Kind::kPrepaidUnpaid) want = order::v1::APPROVED;
      if (StatusOf(p.id) != want) return false;
      if (want == order::v1::ALLOCATED && StageOf(p.id) != orchestrator::v1::AWAITING_PICKUP) {
        return false;
      }
    }
    return true;
  })) << "orders did not all get their labels";

  // Past the payment timeout: the worker cancels the unpaid orders and opens their tickets.
  SetClockOffset(absl::Minutes(31));
  Call(orchestrator_stub_.get(), &orchestrator::v1::OrchestratorService::Stub::RunWorkflows,
       orchestrator::v1::RunWorkflowsRequest());
  ASSERT_TRUE(WaitFor([&] { return TicketsOf(orchestrator::v1::PAYMENT_TIMEOUT) == 2; }));

  // Afternoon: carriers deliver all but five parcels (labels cancelled on the way stay put).
  std::vector<logistics::v1::Shipment> labels = Shipments();
  std::vector<logistics::v1::Shipment> shipments;
  for (const auto& s : labels) {
    if (s.state() != logistics::v1::CANCELLED) shipments.push_back(s);
  }
  std::set<std::string> shipped_orders;
  for (const auto& s : shipments) EXPECT_TRUE(shipped_orders.insert(s.order_id()).second);
  std::vector<logistics::v1::Shipment> late;
  std::map<std::string, int64_t> delivered_units;
  for (const auto& s : shipments) {
    if (late.size() < 5 && s.order_id() != plan_[0].id) {
      late.push_back(s);
      continue;
    }
    logistics::v1::ConfirmDeliveryRequest deliver;
    deliver.set_idempotency_key("deliver-" + s.shipment_id());
    deliver.set_shipment_id(s.shipment_id());
    deliver.set_recipient_name("customer");
    Call(logistics_stub_.get(), &logistics::v1::LogisticsService::Stub::ConfirmDelivery, deliver);
    for (const auto& line : s.lines()) delivered_units[line.sku()] += line.quantity();
  }
  int cancelled_or_rejected = 0;
  for (const Planned& p : plan_) {
    cancelled_or_rejected +=
        p.expected == order::v1::CANCELLED || p.expected == order::v1::REJECTED;
  }
  EXPECT_EQ(shipments.size(), static_cast<size_t>(kOrders - cancelled_or_rejected));
  for (const auto& s : late) {  // picked up (stock leaves), then nothing for a while
    logistics::v1::TrackingEvent pickup;
    pickup.set_tracking_number(s.tracking_number());
    pickup.set_carrier_event_id("pickup-" + s.shipment_id());
    pickup.set_code(logistics::v1::TrackingEvent::PICKED_UP);
    pickup.set_location("Shanghai");
    pickup.mutable_occurred_at()->set_seconds(absl::ToUnixSeconds(absl::Now()));
    Call(logistics_stub_.get(), &logistics::v1::LogisticsService::Stub::RecordTrackingEvent,
         pickup);
  }
  ASSERT_TRUE(WaitFor([&] { return StatusOf(plan_[0].id) == order::v1::COMPLETED; }));
  // Once the carrier has it, a cancel is refused with the way to go instead (a return).
  ASSERT_TRUE(WaitFor([&] { return StatusOf(late[0].order_id()) == order::v1::SHIPPED; }));
  {
    orchestrator::v1::CancelOrderRequest cancel;
    cancel.set_order_id(late[0].order_id());
    cancel.set_actor("cs:desk");
    cancel.set_reason("too slow");
    grpc::ClientContext context;
    orchestrator::v1::Workflow answer;
    grpc::Status refused = orchestrator_stub_->CancelOrder(&context, cancel, &answer);
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_TRUE(absl::StrContains(refused.error_message(), "RequestReturn"));
  }

  // A return: the first order comes back whole, is restocked and refunded.
  Planned& returned = plan_[0];
  ASSERT_EQ(returned.kind, Kind::kCod);
  orchestrator::v1::RequestReturnRequest ask;
  ask.set_idempotency_key("return-ask");
  ask.set_order_id(returned.id);
  ask.set_reason("changed mind");
  for (const auto& [sku, quantity] : returned.lines) {
    orchestrator::v1::ReturnLine* line = ask.add_lines();
    line->set_sku(sku);
    line->set_quantity(quantity);
  }
  auto record = Call(orchestrator_stub_.get(),
                     &orchestrator::v1::OrchestratorService::Stub::RequestReturn, ask);
  orchestrator::v1::ReceiveReturnRequest receive;
  receive.set_idempotency_key("return-receive");
  receive.set_return_id(record.return_id());
  receive.set_warehouse_id("SH-01");
  *receive.mutable_lines() = ask.lines();
  Call(orchestrator_stub_.get(), &orchestrator::v1::OrchestratorService::Stub::ReceiveReturn,
       receive);
  orchestrator::v1::RefundReturnRequest refund;
  refund.set_idempotency_key("return-refund");
  refund.set_return_id(record.return_id());
  Call(orchestrator_stub_.get(), &orchestrator::v1::OrchestratorService::Stub::RefundReturn,
       refund);
  returned.expected = order::v1::REFUNDED;

  // The carriers' news has reached every workflow before time moves on (what the feed has
  // not delivered yet would be two days late by the new clock).
  ASSERT_TRUE(WaitFor([&] {
    for (const auto& s : shipments) {
      if (StageOf(s.order_id()) == orchestrator::v1::AWAITING_PICKUP) return false;
    }
    return true;
  })) << "carrier events not applied";

  // Three days on, the five undelivered parcels are late; four then turn up, one never does.
  absl::Time latest_promise = absl::Now();
  for (const auto& s : late) {
    latest_promise =
        std::max(latest_promise, absl::FromUnixSeconds(s.promised_delivery().seconds()));
  }
  absl::Duration offset = latest_promise - absl::Now() + absl::Hours(25);
  SetClockOffset(offset);
  Call(logistics_stub_.get(), &logistics::v1::LogisticsService::Stub::RunDetection,
       logistics::v1::RunDetectionRequest());
  ASSERT_TRUE(WaitFor([&] { return TicketsOf(orchestrator::v1::LOGISTICS_DELAY) == 5; }));
  for (size_t i = 0; i + 1 < late.size(); ++i) {
    logistics::v1::TrackingEvent scan;
    scan.set_tracking_number(late[i].tracking_number());
    scan.set_carrier_event_id("late-scan-" + late[i].shipment_id());
    scan.set_code(logistics::v1::TrackingEvent::IN_TRANSIT);
    scan.set_location("Hangzhou hub");
    scan.mutable_occurred_at()->set_seconds(absl::ToUnixSeconds(absl::Now() + offset));
    Call(logistics_stub_.get(), &logistics::v1::LogisticsService::Stub::RecordTrackingEvent, scan);
    logistics::v1::ConfirmDeliveryRequest deliver;
    deliver.set_idempotency_key("deliver-" + late[i].shipment_id());
    deliver.set_shipment_id(late[i].shipment_id());
    deliver.set_recipient_name("customer");
    Call(logistics_stub_.get(), &logistics::v1::LogisticsService::Stub::ConfirmDelivery, deliver);
    for (const auto& line : late[i].lines()) delivered_units[line.sku()] += line.quantity();
  }
  const logistics::v1::Shipment& lost = late.back();
  SetClockOffset(absl::Hours(210));
  Call(logistics_stub_.get(), &logistics::v1::LogisticsService::Stub::RunDetection,
       logistics::v1::RunDetectionRequest());
  ASSERT_TRUE(WaitFor([&] { return TicketsOf(orchestrator::v1::PACKAGE_LOST) == 1; }));
  for (Planned& p : plan_) {
    if (p.id == lost.order_id()) p.expected = order::v1::SHIPPED;  // still out there
  }

  // 1. Every order where the day left it.
  ASSERT_TRUE(WaitFor([&] {
    for (const Planned& p : plan_) {
      if (StatusOf(p.id) != p.expected) return false;
    }
    return true;
  })) << "final statuses";
  std::map<OrderStatus, int> by_status;
  for (const Planned& p : plan_) ++by_status[p.expected];
  EXPECT_EQ(by_status[order::v1::CANCELLED], 8);  // 2 unpaid, 6 cancelled on the way
  EXPECT_EQ(by_status[order::v1::REJECTED], 2);
  EXPECT_EQ(TicketsOf(orchestrator::v1::LATE_CHANGE), 0);  // the refused cancel opened none
  EXPECT_EQ(by_status[order::v1::REFUNDED], 1);
  EXPECT_EQ(by_status[order::v1::SHIPPED], 1);
  // Only the expected tickets, no more.
  EXPECT_EQ(TicketsOf(orchestrator::v1::STOCK_SHORTAGE), 0);
  EXPECT_EQ(TicketsOf(orchestrator::v1::PROCESSING_TIMEOUT), 0)
      << DescribeTickets(orchestrator::v1::PROCESSING_TIMEOUT);
  EXPECT_EQ(TicketsOf(orchestrator::v1::STEP_FAILED), 0)
      << DescribeTickets(orchestrator::v1::STEP_FAILED);
  FeedbackAndCompensation(plan_[1].id);
  EXPECT_EQ(TicketsOf(orchestrator::v1::FEEDBACK_FOLLOWUP), 1);

  // 2. Stock: what left is what was delivered or picked up (the lost parcel), the return is
  // back on the shelf, nothing is still reserved; and the ledger's own invariants hold.
  std::map<std::string, int64_t> lost_units;
  for (const auto& line : lost.lines()) lost_units[line.sku()] += line.quantity();
  const std::map<std::string, int64_t> received = {{kTea, kTeaStock},
                                                   {kCup, kCupStock + restocked}};
  for (const char* sku : {kTea, kCup}) {
    inventory::v1::GetStockRequest get;
    get.set_sku(sku);
    auto stock = Call(inventory_stub_.get(), &inventory::v1::InventoryService::Stub::GetStock, get);
    int64_t back = returned.lines.count(sku) ? returned.lines.at(sku) : 0;
    EXPECT_EQ(stock.on_hand(), received.at(sku) - delivered_units[sku] - lost_units[sku] + back)
        << sku;
    EXPECT_EQ(stock.reserved(), 0) << sku;  // every reservation left with its parcel
    EXPECT_EQ(stock.available(), stock.on_hand() - stock.reserved()) << sku;
  }
  auto invariants =
      Call(inventory_stub_.get(), &inventory::v1::InventoryService::Stub::CheckInvariants,
           inventory::v1::CheckInvariantsRequest());
  EXPECT_TRUE(invariants.clean()) << invariants.ShortDebugString();

  // 3. Notifications: every customer-facing event, one EMAIL and one SMS to the customer.
  std::map<std::string, std::string> customer_events;  // event id -> type
  auto collect = [&](const Endpoint& source, const std::vector<std::string>& types) {
    auto feed = events::v1::EventFeed::NewStub(source.NewChannel());
    events::v1::ListEventsRequest list;
    list.set_limit(1000);
    for (const std::string& t : types) list.add_types(t);
    while (true) {
      auto page = Call(feed.get(), &events::v1::EventFeed::Stub::ListEvents, list);
      for (const auto& e : page.events()) {
        orchestrator::v1::ReviewDecided decided;  // customers hear only of rejections
        if (e.payload().UnpackTo(&decided) &&
            decided.decision().outcome() != orchestrator::v1::ReviewDecision::REJECTED) {
          continue;
        }
        customer_events[e.event_id()] = e.type();
      }
      if (page.events_size() < list.limit()) break;
      list.set_after_seq(page.events(page.events_size() - 1).seq());
    }
  };
  collect(suite_.order(), {"OrderCreated", "OrderCancelled", "PaymentRefunded"});
  collect(suite_.logistics(), {"ShipmentCreated", "ShipmentDelayed", "ShipmentDelivered"});
  collect(suite_.orchestrator(), {"OrderHeld", "ReviewDecided"});
  std::map<std::string, int> type_count;
  for (const auto& [id, type] : customer_events) ++type_count[type];
  EXPECT_EQ(type_count["OrderCreated"], kOrders);
  EXPECT_EQ(type_count["OrderCancelled"], 8);
  EXPECT_EQ(type_count["PaymentRefunded"], 2);  // the refund before pickup, the return's
  EXPECT_EQ(type_count["ShipmentCreated"], static_cast<int>(labels.size()));  // remade ones too
  EXPECT_EQ(type_count["ShipmentDelayed"], 5);
  EXPECT_EQ(type_count["ShipmentDelivered"], static_cast<int>(shipments.size()) - 1);
  EXPECT_EQ(type_count["OrderHeld"], 3);
  EXPECT_EQ(type_count["ReviewDecided"], 2);  // the two rejections
  // Surveys (after each delivery and each resolved ticket) and the granted coupon go by
  // EMAIL and in-app.
  std::map<std::string, std::string> text_events = customer_events;
  customer_events.clear();
  collect(suite_.orchestrator(), {"FeedbackRequested", "CompensationGranted"});
  std::map<std::string, std::string> inbox_events = customer_events;
  customer_events = text_events;
  int after_delivery = 0, granted = 0;
  for (const auto& [id, type] : inbox_events) granted += type == "CompensationGranted";
  {
    auto feed = events::v1::EventFeed::NewStub(suite_.orchestrator().NewChannel());
    events::v1::ListEventsRequest list;
    list.set_limit(1000);
    list.add_types("FeedbackRequested");
    for (auto page = Call(feed.get(), &events::v1::EventFeed::Stub::ListEvents, list);
         page.events_size() > 0; list.set_after_seq(page.events(page.events_size() - 1).seq()),
              page = Call(feed.get(), &events::v1::EventFeed::Stub::ListEvents, list)) {
      for (const auto& e : page.events()) {
        orchestrator::v1::FeedbackRequested asked;
        after_delivery += e.payload().UnpackTo(&asked) && asked.ticket_id().empty();
      }
    }
  }
  EXPECT_EQ(after_delivery, static_cast<int>(shipments.size()) - 1);  // every delivered order
  EXPECT_EQ(granted, 1);
  MessageCounts sent;
  const size_t expected_messages = 2 * customer_events.size() + 2 * inbox_events.size();
  auto count_messages = [&] {
    sent = CustomerMessages(notify_stub_.get());
    return sent.size() == expected_messages;
  };
  EXPECT_TRUE(WaitFor(count_messages)) << sent.size() << " of " << expected_messages;
  for (const auto& [id, type] : customer_events) {
    for (notify::v1::Channel channel : {notify::v1::EMAIL, notify::v1::SMS}) {
      EXPECT_EQ((sent[{id, channel}]), 1) << type << " " << id << " " << channel;
    }
  }
  for (const auto& [id, type] : inbox_events) {
    for (notify::v1::Channel channel : {notify::v1::EMAIL, notify::v1::IN_APP}) {
      EXPECT_EQ((sent[{id, channel}]), 1) << type << " " << id << " " << channel;
    }
  }

  // 4. Analytics equals this day's own bookkeeping. Promises: every parcel delivered in the
  // afternoon came before its promise, the four late ones after it, the lost one is overdue.
  analytics::v1::GetPromiseAccuracyResponse promises;
  EXPECT_TRUE(WaitFor([&] {
    promises =
        Call(analytics_stub_.get(), &analytics::v1::AnalyticsService::Stub::GetPromiseAccuracy,
             analytics::v1::GetPromiseAccuracyRequest());
    return promises.delivered() == static_cast<int64_t>(shipments.size()) - 1;
  })) << promises.ShortDebugString();
  EXPECT_EQ(promises.promised(), static_cast<int64_t>(shipments.size()));
  EXPECT_EQ(promises.on_time(), promises.delivered() - 4);
  EXPECT_EQ(promises.overdue(), 1);
  // Satisfaction: the one low rating, and the coupon granted on its follow-up.
  analytics::v1::GetSatisfactionResponse csat;
  EXPECT_TRUE(WaitFor([&] {
    csat = Call(analytics_stub_.get(), &analytics::v1::AnalyticsService::Stub::GetSatisfaction,
                analytics::v1::GetSatisfactionRequest());
    return csat.overall().responses() == 1 && csat.compensation_size() == 1;
  })) << csat.ShortDebugString();
  EXPECT_DOUBLE_EQ(csat.overall().average_rating(), 1);
  EXPECT_EQ(csat.compensation(0).exception_type(), "FEEDBACK_FOLLOWUP");
  EXPECT_EQ(csat.compensation(0).total().minor_units(), 50000);
  std::map<std::string, int64_t> orders_by_channel;
  int64_t revenue = 0;
  std::map<std::string, int64_t> sold;
  for (const Planned& p : plan_) {
    ++orders_by_channel[order::v1::Channel_Name(p.channel)];
    // Orders that never ship are no sale: cancelled, and refused in review.
    if (p.expected == order::v1::CANCELLED || p.expected == order::v1::REJECTED) continue;
    revenue += p.total;
    for (const auto& [sku, quantity] : p.lines) sold[sku] += quantity;
  }
  for (const auto& [sku, quantity] : returned.lines) sold[sku] -= quantity;
  analytics::v1::GetOrderStatsResponse stats;
  EXPECT_TRUE(WaitFor([&] {
    stats = Call(analytics_stub_.get(), &analytics::v1::AnalyticsService::Stub::GetOrderStats,
                 analytics::v1::GetOrderStatsRequest());
    return stats.orders() == kOrders && stats.cancelled() == 8;
  })) << stats.ShortDebugString();
  int64_t reported_revenue = 0, reported_refunds = 0, reported_net = 0;
  for (const auto& bucket : stats.buckets()) {
    if (bucket.channel().empty()) {
      for (const auto& money : bucket.revenue()) reported_revenue += money.minor_units();
      for (const auto& money : bucket.refunded()) reported_refunds += money.minor_units();
      for (const auto& money : bucket.net_revenue()) reported_net += money.minor_units();
    } else {
      EXPECT_EQ(bucket.orders(), orders_by_channel[bucket.channel()]) << bucket.channel();
    }
  }
  EXPECT_EQ(reported_revenue, revenue);
  EXPECT_EQ(stats.rejected(), std::count_if(plan_.begin(), plan_.end(), [](const Planned& p) {
              return p.expected == order::v1::REJECTED;
            }));
  // The returned order's refund is netted in its own column (the refund before pickup
  // cancelled its order, which is in no revenue to net).
  EXPECT_EQ(reported_refunds, plan_[0].total);
  EXPECT_EQ(reported_net, revenue - plan_[0].total);
  analytics::v1::GetExceptionStatsResponse exceptions;
  std::map<std::string, int64_t> by_type;
  EXPECT_TRUE(WaitFor([&] {
    exceptions =
        Call(analytics_stub_.get(), &analytics::v1::AnalyticsService::Stub::GetExceptionStats,
             analytics::v1::GetExceptionStatsRequest());
    by_type.clear();
    for (const auto& t : exceptions.types()) by_type[t.type()] = t.count();
    return by_type["PACKAGE_LOST"] == 1;
  })) << exceptions.ShortDebugString();
  EXPECT_EQ(by_type, (std::map<std::string, int64_t>{{"CUSTOMER_COMPLAINT", 1},
                                                     {"FEEDBACK_FOLLOWUP", 1},
                                                     {"LOGISTICS_DELAY", 5},
                                                     {"PACKAGE_LOST", 1},
                                                     {"PAYMENT_TIMEOUT", 2}}));
  analytics::v1::GetSalesReportResponse sales;
  EXPECT_TRUE(WaitFor([&] {
    sales = Call(analytics_stub_.get(), &analytics::v1::AnalyticsService::Stub::GetSalesReport,
                 analytics::v1::GetSalesReportRequest());
    std::map<std::string, int64_t> reported;
    for (const auto& s : sales.skus()) reported[s.sku()] = s.quantity();
    return reported == sold;
  })) << sales.ShortDebugString()
      << "\nexpected tea " << sold[kTea] << " cup " << sold[kCup];

  // A normal day raises no anomaly: every order was scored at review (none skipped for want
  // of an answer), baselines are fitted from the day, and its last hour is tested.
  absl::StatusOr<std::string> orchestrator_log =
      ReadSmallFile(dir_.path() + "/orchestrator_svc.log");
  ASSERT_TRUE(orchestrator_log.ok());
  EXPECT_FALSE(absl::StrContains(*orchestrator_log, "UNUSUAL_ORDER review of"));
  auto anomalies = analytics::v1::AnomalyService::NewStub(suite_.analytics().NewChannel("ops"));
  EXPECT_GT(Call(anomalies.get(), &analytics::v1::AnomalyService::Stub::RefitBaselines,
                 analytics::v1::RefitBaselinesRequest())
                .baselines(),
            0);
  EXPECT_EQ(Call(anomalies.get(), &analytics::v1::AnomalyService::Stub::DetectAnomalies,
                 analytics::v1::DetectAnomaliesRequest())
                .found_size(),
            0);
  auto listed = Call(anomalies.get(), &analytics::v1::AnomalyService::Stub::ListAnomalies,
                     analytics::v1::ListAnomaliesRequest());
  EXPECT_EQ(listed.anomalies_size(), 0) << listed.DebugString();
}

}  // namespace
}  // namespace oms::integration
