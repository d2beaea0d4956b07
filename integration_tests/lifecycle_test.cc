// The order lifecycle after intake over the real binaries, as an ops engineer and an ERP
// would meet it: each failure of issue 15's list as a scenario (the numbers refer to it).
// Time moves through every process's test clock (--test_clock_offset_file); nothing sleeps
// for time to pass, only polls (bounded) while the services follow each other's feeds.
#include <functional>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "integration_tests/rpc.h"
#include "integration_tests/seed.h"
#include "integration_tests/service_process.h"
#include "integration_tests/suite.h"
#include "oms/inventory/v1/inventory.grpc.pb.h"
#include "oms/logistics/v1/logistics.grpc.pb.h"
#include "oms/notify/v1/notify.grpc.pb.h"
#include "oms/orchestrator/v1/orchestrator.grpc.pb.h"
#include "oms/order/v1/order.grpc.pb.h"
#include "order_svc/test_orders.h"
#include "platform/base/files.h"
#include "platform/testing/temp_dir.h"

namespace oms::integration {
namespace {

using orchestrator::v1::OrchestratorService;

constexpr char kTea[] = "TEA-LONGJING-250G";
constexpr char kCup[] = "CUP-CELADON";

class LifecycleTest : public ::testing::Test {
 protected:
  static SuiteFlags Flags(const std::string& clock_file) {
    SuiteFlags flags;
    flags.all = {"--test_clock_offset_file=" + clock_file};
    return flags;
  }

  void SetUp() override {
    ASSERT_TRUE(Started(suite_.Start()));
    orders_ = order::v1::OrderService::NewStub(suite_.order().NewChannel());
    inventory_ = inventory::v1::InventoryService::NewStub(suite_.inventory().NewChannel());
    logistics_ = logistics::v1::LogisticsService::NewStub(suite_.logistics().NewChannel());
    orchestrator_ = OrchestratorService::NewStub(suite_.orchestrator().NewChannel());
    notify_ = notify::v1::NotifyService::NewStub(suite_.notify().NewChannel());
    ASSERT_TRUE(SeedCatalogue(*inventory_, {{kTea, 20}, {kCup, 20}}).ok());
    inventory::v1::CreateWarehouseRequest north;
    north.mutable_warehouse()->set_warehouse_id("BJ-01");
    north.mutable_warehouse()->set_name("Beijing");
    north.mutable_warehouse()->set_region("North");
    Call(inventory_.get(), &inventory::v1::InventoryService::Stub::CreateWarehouse, north);
    Receive(kTea, 10, "BJ-01");
  }

  void Receive(const std::string& sku, int64_t units, const std::string& warehouse = "SH-01") {
    inventory::v1::AdjustStockRequest receipt;
    receipt.set_idempotency_key(absl::StrCat("rcv-", sku, "-", warehouse, "-", ++keys_));
    receipt.set_sku(sku);
    receipt.set_warehouse_id(warehouse);
    receipt.set_delta(units);
    receipt.set_reason(inventory::v1::RECEIPT);
    Call(inventory_.get(), &inventory::v1::InventoryService::Stub::AdjustStock, receipt);
  }

  order::v1::CreateOrderRequest Tea(const std::string& reference, int64_t quantity = 2) {
    order::v1::CreateOrderRequest request = order::SampleCreateOrder(reference);
    request.mutable_lines()->DeleteSubrange(1, 1);
    request.mutable_lines(0)->set_quantity(quantity);
    request.mutable_customer()->mutable_shipping_address()->set_region("East");
    return request;
  }

  orchestrator::v1::PlaceOrderResponse Place(const order::v1::CreateOrderRequest& order) {
    orchestrator::v1::PlaceOrderRequest request;
    request.set_idempotency_key("place-" + order.external_reference());
    *request.mutable_order() = order;
    return Call(orchestrator_.get(), &OrchestratorService::Stub::PlaceOrder, request);
  }

  order::v1::Order Order(const std::string& id) {
    order::v1::GetOrderRequest get;
    get.set_order_id(id);
    return Call(orders_.get(), &order::v1::OrderService::Stub::GetOrder, get);
  }

  orchestrator::v1::Workflow Workflow(const std::string& id) {
    orchestrator::v1::GetWorkflowRequest get;
    get.set_order_id(id);
    return Call(orchestrator_.get(), &OrchestratorService::Stub::GetWorkflow, get);
  }

  std::vector<logistics::v1::Shipment> Live(const std::string& id) {
    logistics::v1::ListShipmentsRequest list;
    list.set_order_id(id);
    std::vector<logistics::v1::Shipment> live;
    auto listed =
        Call(logistics_.get(), &logistics::v1::LogisticsService::Stub::ListShipments, list);
    for (const auto& s : listed.shipments()) {
      if (s.state() != logistics::v1::CANCELLED) live.push_back(s);
    }
    return live;
  }

  inventory::v1::StockSummary Stock(const std::string& sku) {
    inventory::v1::GetStockRequest get;
    get.set_sku(sku);
    return Call(inventory_.get(), &inventory::v1::InventoryService::Stub::GetStock, get);
  }

  grpc::Status Cancel(const std::string& id, orchestrator::v1::Workflow* answer) {
    orchestrator::v1::CancelOrderRequest cancel;
    cancel.set_idempotency_key(absl::StrCat("cancel-", id));
    cancel.set_order_id(id);
    cancel.set_actor("cs:wang");
    cancel.set_reason("customer changed their mind");
    return Try(orchestrator_.get(), &OrchestratorService::Stub::CancelOrder, cancel, answer);
  }

  orchestrator::v1::ExceptionTicket Complaint(const std::string& id) {
    orchestrator::v1::OpenExceptionRequest open;
    open.set_idempotency_key("complaint-" + id);
    open.set_order_id(id);
    open.set_type(orchestrator::v1::CUSTOMER_COMPLAINT);
    open.set_description("wants the money back");
    open.set_actor("cs:wang");
    return Call(orchestrator_.get(), &OrchestratorService::Stub::OpenException, open);
  }

  bool HistoryNames(const std::string& id, order::v1::OrderStatus to, const std::string& actor,
                    const std::string& reason_part = "") {
    order::v1::GetOrderHistoryRequest get;
    get.set_order_id(id);
    auto history = Call(orders_.get(), &order::v1::OrderService::Stub::GetOrderHistory, get);
    for (const auto& change : history.changes()) {
      if (change.to_status() == to && change.actor() == actor &&
          absl::StrContains(change.reason(), reason_part)) {
        return true;
      }
    }
    return false;
  }

  testing::TempDir dir_;
  std::string clock_file_ = dir_.File("clock_offset");
  Suite suite_{dir_.path(), Flags(clock_file_)};
  std::unique_ptr<order::v1::OrderService::Stub> orders_;
  std::unique_ptr<inventory::v1::InventoryService::Stub> inventory_;
  std::unique_ptr<logistics::v1::LogisticsService::Stub> logistics_;
  std::unique_ptr<OrchestratorService::Stub> orchestrator_;
  std::unique_ptr<notify::v1::NotifyService::Stub> notify_;
  int keys_ = 0;
};

// 1: an order with stock could never be cancelled (SHIPPED as soon as its label was made).
TEST_F(LifecycleTest, CancelBeforePickupEndsEverything) {
  auto placed = Place(Tea("LC-1"));
  EXPECT_EQ(placed.status(), order::v1::ALLOCATED);
  EXPECT_EQ(Stock(kTea).reserved(), 2);
  orchestrator::v1::Workflow cancelled;
  grpc::Status status = Cancel(placed.order_id(), &cancelled);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(cancelled.stage(), orchestrator::v1::CANCELLED);
  EXPECT_EQ(Order(placed.order_id()).status(), order::v1::CANCELLED);
  EXPECT_TRUE(Live(placed.order_id()).empty());
  EXPECT_EQ(Stock(kTea).reserved(), 0);
  EXPECT_TRUE(
      HistoryNames(placed.order_id(), order::v1::CANCELLED, "cs:wang", "changed their mind"));
  // After pickup: refused, with the way to go instead.
  auto picked = Place(Tea("LC-1b"));
  logistics::v1::ConfirmPickupRequest pickup;
  pickup.set_shipment_id(Live(picked.order_id())[0].shipment_id());
  Call(logistics_.get(), &logistics::v1::LogisticsService::Stub::ConfirmPickup, pickup);
  ASSERT_TRUE(WaitFor([&] { return Order(picked.order_id()).status() == order::v1::SHIPPED; },
                      absl::Seconds(60)));
  status = Cancel(picked.order_id(), &cancelled);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "RequestReturn")) << status.error_message();
}

// 2: REFUND marked the payment refunded while the parcel still went out.
TEST_F(LifecycleTest, RefundBeforePickupKeepsTheGoods) {
  order::v1::CreateOrderRequest prepaid = Tea("LC-2");
  prepaid.set_payment_method(order::v1::PREPAID);
  auto placed = Place(prepaid);
  order::v1::RecordPaymentRequest pay;
  pay.set_order_id(placed.order_id());
  pay.set_status(order::v1::Payment::PAID);
  *pay.mutable_amount() = Order(placed.order_id()).total();
  Call(orders_.get(), &order::v1::OrderService::Stub::RecordPayment, pay);
  ASSERT_TRUE(WaitFor([&] { return !Live(placed.order_id()).empty(); }));
  orchestrator::v1::ResolveExceptionRequest resolve;
  resolve.set_ticket_id(Complaint(placed.order_id()).ticket_id());
  resolve.set_resolution(orchestrator::v1::REFUND);
  resolve.set_actor("cs:wang");
  Call(orchestrator_.get(), &OrchestratorService::Stub::ResolveException, resolve);
  order::v1::Order order = Order(placed.order_id());
  EXPECT_EQ(order.payment().status(), order::v1::Payment::REFUNDED);
  EXPECT_EQ(order.status(), order::v1::CANCELLED);
  EXPECT_TRUE(Live(placed.order_id()).empty());
  EXPECT_EQ(Stock(kTea).reserved(), 0);
}

// 3: a cancelled backordered order kept stock and its queue place; a receipt served it.
TEST_F(LifecycleTest, CancelledBackorderTakesNothingFromTheNextReceipt) {
  order::v1::CreateOrderRequest cups = order::SampleCreateOrder("LC-3");
  cups.mutable_lines()->DeleteSubrange(0, 1);
  cups.mutable_lines(0)->set_quantity(25);  // 20 in stock
  auto placed = Place(cups);
  ASSERT_EQ(placed.stage(), orchestrator::v1::BACKORDERED);
  orchestrator::v1::Workflow cancelled;
  ASSERT_TRUE(Cancel(placed.order_id(), &cancelled).ok());
  inventory::v1::AdjustStockRequest receipt;
  receipt.set_idempotency_key("rcv-after-cancel");
  receipt.set_sku(kCup);
  receipt.set_warehouse_id("SH-01");
  receipt.set_delta(10);
  receipt.set_reason(inventory::v1::RECEIPT);
  auto received =
      Call(inventory_.get(), &inventory::v1::InventoryService::Stub::AdjustStock, receipt);
  EXPECT_EQ(received.backorders_allocated_size(), 0);
  EXPECT_EQ(Stock(kCup).reserved(), 0);
  EXPECT_EQ(Stock(kCup).backordered(), 0);
}

// 4: PlaceOrder's SHIP_COMPLETE was ignored.
TEST_F(LifecycleTest, ShipCompleteIsHonoured) {
  order::v1::CreateOrderRequest cups = order::SampleCreateOrder("LC-4");
  cups.mutable_lines()->DeleteSubrange(0, 1);
  cups.mutable_lines(0)->set_quantity(25);
  orchestrator::v1::PlaceOrderRequest request;
  request.set_idempotency_key("place-LC-4");
  *request.mutable_order() = cups;
  request.set_policy(inventory::v1::SHIP_COMPLETE);
  auto placed = Call(orchestrator_.get(), &OrchestratorService::Stub::PlaceOrder, request);
  EXPECT_EQ(placed.stage(), orchestrator::v1::BACKORDERED);
  EXPECT_EQ(Stock(kCup).reserved(), 0);
}

// 5: an address corrected during review was not used; 9: the reviewer was not named.
TEST_F(LifecycleTest, AddressCorrectedInReviewIsWhereItShipsAndTheReviewerIsNamed) {
  orchestrator::v1::SaveReviewRuleRequest rule;
  rule.mutable_rule()->set_rule_id("everything");
  rule.mutable_rule()->set_kind(orchestrator::v1::ReviewRule::AMOUNT_ABOVE);
  rule.mutable_rule()->mutable_limit()->set_currency_code("CNY");
  rule.mutable_rule()->set_action(orchestrator::v1::ReviewRule::MANUAL_REVIEW);
  rule.mutable_rule()->set_enabled(true);
  Call(orchestrator_.get(), &OrchestratorService::Stub::SaveReviewRule, rule);
  auto placed = Place(Tea("LC-5"));
  ASSERT_EQ(placed.stage(), orchestrator::v1::PENDING_REVIEW);
  order::v1::UpdateOrderRequest update;
  update.set_idempotency_key("fix-address");
  update.set_order_id(placed.order_id());
  update.set_actor("cs:wang");
  update.set_reason("customer called");
  *update.mutable_shipping_address() = order::AddressIn("North", "长安街 1 号");
  Call(orders_.get(), &order::v1::OrderService::Stub::UpdateOrder, update);
  orchestrator::v1::ReviewOrderRequest approve;
  approve.set_order_id(placed.order_id());
  approve.set_reviewer("reviewer:chen");
  approve.set_note("called back, address confirmed");
  Call(orchestrator_.get(), &OrchestratorService::Stub::ApproveOrder, approve);
  std::vector<logistics::v1::Shipment> live = Live(placed.order_id());
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].destination_region(), "North");
  EXPECT_EQ(live[0].warehouse_id(), "BJ-01");
  EXPECT_TRUE(
      HistoryNames(placed.order_id(), order::v1::APPROVED, "reviewer:chen", "address confirmed"));
}

// 7: ticket events could notify nobody.
TEST_F(LifecycleTest, ATicketReachesItsAssigneeAndNotifyTakesOrchestratorRules) {
  notify::v1::SaveRuleRequest save;
  save.mutable_rule()->set_event_type("ExceptionOpened");
  save.mutable_rule()->add_audiences(notify::v1::ASSIGNEE);
  save.mutable_rule()->add_channels(notify::v1::IN_APP);
  Call(notify_.get(), &notify::v1::NotifyService::Stub::SaveRule, save);  // was refused
  notify::v1::SaveRecipientRequest support;
  support.mutable_recipient()->set_recipient_id("support");  // the default rule's assignee
  support.mutable_recipient()->set_kind(notify::v1::Recipient::GROUP);
  support.mutable_recipient()->set_name("Customer support");
  support.mutable_recipient()->set_in_app_id("support-desk");
  Call(notify_.get(), &notify::v1::NotifyService::Stub::SaveRecipient, support);
  auto placed = Place(Tea("LC-7"));
  orchestrator::v1::ExceptionTicket ticket = Complaint(placed.order_id());
  EXPECT_EQ(ticket.assignee(), "support");  // 9: a default rule exists
  notify::v1::ListMessagesRequest list;
  list.set_recipient("recipient:support");
  ASSERT_TRUE(WaitFor([&] {
    return Call(notify_.get(), &notify::v1::NotifyService::Stub::ListMessages, list)
               .messages_size() > 0;
  }));
}

// 8: nothing could correct an order after allocation.
TEST_F(LifecycleTest, AmendingTheAddressAfterAllocationShipsToTheNewRegion) {
  auto placed = Place(Tea("LC-8"));
  std::string old_label = Live(placed.order_id())[0].shipment_id();
  orchestrator::v1::AmendOrderRequest amend;
  amend.set_idempotency_key("amend-LC-8");
  amend.set_order_id(placed.order_id());
  amend.set_actor("cs:wang");
  amend.set_reason("customer moved");
  *amend.mutable_shipping_address() = order::AddressIn("North", "长安街 2 号");
  auto amended = Call(orchestrator_.get(), &OrchestratorService::Stub::AmendOrder, amend);
  EXPECT_EQ(amended.stage(), orchestrator::v1::AWAITING_PICKUP);
  std::vector<logistics::v1::Shipment> live = Live(placed.order_id());
  ASSERT_EQ(live.size(), 1u);
  EXPECT_NE(live[0].shipment_id(), old_label);
  EXPECT_EQ(live[0].destination_region(), "North");
  EXPECT_EQ(live[0].ship_to().street(), "长安街 2 号");
  EXPECT_EQ(Stock(kTea).reserved(), 2);
}

// 9: an unknown sku was accepted and parked; escalated tickets were never overdue; no rule
// for risky payment; urgency ignored.
TEST_F(LifecycleTest, IntakeReviewTicketsAndCarrierChoiceUseWhatTheOrderSays) {
  order::v1::CreateOrderRequest unknown = Tea("LC-9a");
  unknown.mutable_lines(0)->set_sku("NO-SUCH-TEA");
  orchestrator::v1::PlaceOrderRequest request;
  request.set_idempotency_key("place-LC-9a");
  *request.mutable_order() = unknown;
  orchestrator::v1::PlaceOrderResponse refused;
  grpc::Status status =
      Try(orchestrator_.get(), &OrchestratorService::Stub::PlaceOrder, request, &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "lines[0].sku")) << status.error_message();

  order::v1::CreateOrderRequest urgent = Tea("LC-9b");
  urgent.set_urgency(order::v1::URGENT);
  auto placed = Place(urgent);
  ASSERT_EQ(Live(placed.order_id()).size(), 1u);
  EXPECT_EQ(Live(placed.order_id())[0].service_level(), logistics::v1::EXPRESS);

  orchestrator::v1::SaveReviewRuleRequest cod;
  cod.mutable_rule()->set_rule_id("cod-above-100");
  cod.mutable_rule()->set_kind(orchestrator::v1::ReviewRule::PAYMENT_RISK);
  cod.mutable_rule()->add_payment_methods(order::v1::COD);
  cod.mutable_rule()->mutable_limit()->set_currency_code("CNY");
  cod.mutable_rule()->mutable_limit()->set_minor_units(10000);
  cod.mutable_rule()->set_action(orchestrator::v1::ReviewRule::MANUAL_REVIEW);
  cod.mutable_rule()->set_enabled(true);
  Call(orchestrator_.get(), &OrchestratorService::Stub::SaveReviewRule, cod);
  EXPECT_EQ(Place(Tea("LC-9c")).stage(), orchestrator::v1::PENDING_REVIEW);

  // A complaint left alone past its SLA escalates, and stays in the overdue list.
  Complaint(placed.order_id());
  ASSERT_TRUE(WriteFileAtomically(clock_file_, absl::FormatDuration(absl::Hours(25))).ok());
  Call(orchestrator_.get(), &OrchestratorService::Stub::RunWorkflows,
       orchestrator::v1::RunWorkflowsRequest());
  orchestrator::v1::ListExceptionsRequest overdue;
  overdue.set_overdue_only(true);
  auto listed = Call(orchestrator_.get(), &OrchestratorService::Stub::ListExceptions, overdue);
  bool escalated = false;
  for (const auto& t : listed.tickets()) escalated = escalated || t.escalation_level() > 0;
  EXPECT_TRUE(escalated) << listed.ShortDebugString();
}

}  // namespace
}  // namespace oms::integration
