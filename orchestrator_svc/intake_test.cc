// Intake: PlaceOrder refuses what it could never fulfil, records the order and its
// workflow once per key, and takes orders while a peer is away.
// Against real in-process services (testing/orchestrator_fixture.h).
#include "absl/strings/match.h"
#include "orchestrator_svc/testing/orchestrator_fixture.h"
#include "order_svc/test_orders.h"

namespace oms::orchestrator {
namespace {

class IntakeTest : public testing::OrchestratorFixture {};

TEST_F(IntakeTest, IntakeRefusesLinesTheCatalogueDoesNotSell) {
  order::v1::CreateOrderRequest request = order::SampleCreateOrder("WEB-1");
  request.mutable_lines(1)->set_sku("NO-SUCH-SKU");
  v1::PlaceOrderRequest place;
  place.set_idempotency_key("k1");
  *place.mutable_order() = request;
  absl::Status refused = orchestrator_->intake().PlaceOrder(place).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(refused.message(), "lines[1].sku")) << refused;
  grpc::ClientContext context;
  order::v1::ListOrdersResponse orders;
  ASSERT_TRUE(order_stub_->ListOrders(&context, order::v1::ListOrdersRequest(), &orders).ok());
  EXPECT_EQ(orders.orders_size(), 0);  // nothing recorded
}

TEST_F(IntakeTest, ShipCompleteReservesNothingUntilEverythingCan) {
  order::v1::CreateOrderRequest big = order::SampleCreateOrder("WEB-1");
  big.mutable_lines(0)->set_quantity(25);  // 20 in stock
  v1::PlaceOrderRequest request;
  request.set_idempotency_key("k1");
  *request.mutable_order() = big;
  request.set_policy(inventory::v1::SHIP_COMPLETE);
  absl::StatusOr<v1::PlaceOrderResponse> placed = orchestrator_->intake().PlaceOrder(request);
  ASSERT_TRUE(placed.ok()) << placed.status();
  EXPECT_EQ(placed->stage(), v1::BACKORDERED);
  EXPECT_TRUE(Order(placed->order_id()).ship_complete());
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 0);  // all or nothing
  Receive("TEA-LONGJING-250G", 5);
  Pump();
  EXPECT_EQ(Workflow(placed->order_id()).stage(), v1::AWAITING_PICKUP);
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 25);
}

TEST_F(IntakeTest, AnInventoryOutageDoesNotStopIntake) {
  inventory_.server->Shutdown();  // inventory is down when the order arrives
  v1::PlaceOrderRequest request;
  request.set_idempotency_key("k1");
  *request.mutable_order() = order::SampleCreateOrder("WEB-1");
  absl::StatusOr<v1::PlaceOrderResponse> placed = orchestrator_->intake().PlaceOrder(request);
  ASSERT_TRUE(placed.ok()) << placed.status();  // accepted; allocation will follow
  v1::Workflow wf = Workflow(placed->order_id());
  EXPECT_EQ(wf.stage(), v1::ALLOCATING);
  EXPECT_EQ(wf.attempts(), 1);
  EXPECT_FALSE(wf.last_error().empty());
  EXPECT_TRUE(Tickets(placed->order_id()).empty());  // transient: no exception
}

TEST_F(IntakeTest, ARetryWithTheSameKeyAnswersTheSameOrderAndWorkflow) {
  v1::PlaceOrderResponse first = Place(order::SampleCreateOrder("WEB-1"), "k1");
  v1::PlaceOrderResponse again = Place(order::SampleCreateOrder("WEB-1"), "k1");
  EXPECT_EQ(again.order_id(), first.order_id());
  EXPECT_EQ(again.stage(), first.stage());
  EXPECT_EQ(again.status(), order::v1::ALLOCATED);
  EXPECT_EQ(LiveShipments(first.order_id()).size(), 1u);
  EXPECT_EQ(StockOf("TEA-LONGJING-250G").reserved(), 2);  // reserved once
  EXPECT_TRUE(Order(first.order_id()).workflow_managed());
  // The channel resending the same order under a new key is recognised too.
  EXPECT_EQ(Place(order::SampleCreateOrder("WEB-1"), "k2").order_id(), first.order_id());
}

TEST_F(IntakeTest, APlacedOrderReachesItsLabelInOneCommitWithEveryStageAnnounced) {
  const int64_t commits_before = host_->db().commits();
  v1::PlaceOrderResponse placed = Place(order::SampleCreateOrder("WEB-1"), "k1");
  ASSERT_EQ(placed.stage(), v1::AWAITING_PICKUP);
  // The workflow stored once, with its review, allocation and labels.
  EXPECT_EQ(host_->db().commits() - commits_before, 1);
  absl::StatusOr<std::vector<events::v1::Event>> events =
      host_->outbox().List(0, 100, {"WorkflowStageChanged"});
  ASSERT_TRUE(events.ok()) << events.status();
  std::vector<std::pair<v1::Stage, v1::Stage>> moves;
  for (const events::v1::Event& e : *events) {
    v1::WorkflowStageChanged changed;
    ASSERT_TRUE(e.payload().UnpackTo(&changed));
    moves.emplace_back(changed.from_stage(), changed.to_stage());
  }
  std::vector<std::pair<v1::Stage, v1::Stage>> expected = {{v1::STAGE_UNSPECIFIED, v1::ALLOCATING},
                                                           {v1::ALLOCATING, v1::SHIPPING},
                                                           {v1::SHIPPING, v1::AWAITING_PICKUP}};
  EXPECT_EQ(moves, expected);
}

}  // namespace
}  // namespace oms::orchestrator
