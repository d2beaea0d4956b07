#include "orchestrator_svc/amendment.h"

#include "gtest/gtest.h"
#include "orchestrator_svc/workflow_state.h"
#include "platform/storage/proto_rows.h"

namespace oms::orchestrator {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

order::v1::Order OrderTo(const std::string& region, int64_t tea, int64_t version) {
  order::v1::Order order;
  order.set_order_id("ord_1");
  order.set_version(version);
  order.mutable_customer()->set_name("张伟");
  order.mutable_customer()->set_phone("+8613800138000");
  order.mutable_customer()->mutable_shipping_address()->set_region(region);
  order.mutable_customer()->mutable_shipping_address()->set_street("世纪大道 100 号");
  order::v1::OrderLine* line = order.add_lines();
  line->set_sku("TEA");
  line->set_quantity(tea);
  return order;
}

// A workflow for OrderTo("East", 2, 1), at `stage`, allocated and labelled when it got there.
v1::Workflow At(v1::Stage stage) {
  v1::Workflow wf = NewWorkflow(OrderTo("East", 2, 1), kNow);
  wf.set_stage(stage);
  bool allocated = stage == v1::BACKORDERED || stage == v1::SHIPPING ||
                   stage == v1::AWAITING_PICKUP || stage == v1::IN_TRANSIT;
  wf.set_allocation_requested(allocated);
  if (stage == v1::AWAITING_PICKUP || stage == v1::IN_TRANSIT) {
    v1::WorkflowShipment* s = wf.add_shipments();
    s->set_shipment_id("shp_1");
    s->set_warehouse_id("SH-01");
    SetState(*s, stage == v1::IN_TRANSIT ? logistics::v1::IN_TRANSIT : logistics::v1::CREATED);
  }
  return wf;
}

TEST(AmendmentTest, AnOlderOrNotNewerOrderChangesNothing) {
  v1::Workflow wf = At(v1::AWAITING_PICKUP);
  ReplanOutcome outcome = Replan(wf, OrderTo("North", 5, 1), kNow, OrchestratorOptions());
  EXPECT_FALSE(outcome.changed);
  EXPECT_EQ(wf.region(), "East");
}

TEST(AmendmentTest, BeforeAllocationOnlyTheCopyChanges) {
  v1::Workflow wf = At(v1::PENDING_REVIEW);
  ReplanOutcome outcome = Replan(wf, OrderTo("North", 5, 2), kNow, OrchestratorOptions());
  EXPECT_TRUE(outcome.changed);
  EXPECT_FALSE(outcome.reallocate);
  EXPECT_FALSE(outcome.relabel);
  EXPECT_EQ(wf.stage(), v1::PENDING_REVIEW);
  EXPECT_EQ(wf.region(), "North");  // allocation will use the corrected address
  EXPECT_EQ(wf.lines(0).quantity(), 5);
}

TEST(AmendmentTest, NewRegionAfterLabelsReallocatesAndRelabels) {
  v1::Workflow wf = At(v1::AWAITING_PICKUP);
  ReplanOutcome outcome = Replan(wf, OrderTo("North", 2, 2), kNow, OrchestratorOptions());
  EXPECT_TRUE(outcome.reallocate);
  EXPECT_TRUE(outcome.relabel);
  EXPECT_EQ(wf.stage(), v1::ALLOCATING);
  EXPECT_EQ(wf.amendment().region(), "North");
  EXPECT_TRUE(wf.shipments(0).superseded());
  EXPECT_EQ(wf.revision(), 1);
  EXPECT_EQ(FromProtoTime(wf.next_run_at()), kNow);
}

TEST(AmendmentTest, NewStreetOnlyRelabels) {
  v1::Workflow wf = At(v1::AWAITING_PICKUP);
  order::v1::Order order = OrderTo("East", 2, 2);
  order.mutable_customer()->mutable_shipping_address()->set_street("陆家嘴环路 1 号");
  ReplanOutcome outcome = Replan(wf, order, kNow, OrchestratorOptions());
  EXPECT_FALSE(outcome.reallocate);
  EXPECT_TRUE(outcome.relabel);
  EXPECT_EQ(wf.stage(), v1::SHIPPING);
}

TEST(AmendmentTest, LineChangesQueueTheNetDifference) {
  v1::Workflow wf = At(v1::BACKORDERED);
  Replan(wf, OrderTo("East", 5, 2), kNow, OrchestratorOptions());
  ASSERT_EQ(wf.amendment().add_size(), 1);
  EXPECT_EQ(wf.amendment().add(0).quantity(), 3);
  Replan(wf, OrderTo("East", 1, 3), kNow, OrchestratorOptions());  // before ALLOCATING ran
  EXPECT_EQ(wf.amendment().add_size(), 0);
  ASSERT_EQ(wf.amendment().release_size(), 1);
  EXPECT_EQ(wf.amendment().release(0).quantity(), 1);  // 2 -> 1 in all
  EXPECT_EQ(wf.stage(), v1::ALLOCATING);
}

TEST(AmendmentTest, AHeldWorkflowKeepsHoldingAndReplansOnRelease) {
  v1::Workflow wf = At(v1::AWAITING_PICKUP);
  wf.set_held_stage(v1::AWAITING_PICKUP);
  wf.set_stage(v1::ON_HOLD);
  Replan(wf, OrderTo("North", 2, 2), kNow, OrchestratorOptions());
  EXPECT_EQ(wf.stage(), v1::ON_HOLD);
  EXPECT_EQ(wf.held_stage(), v1::ALLOCATING);
}

TEST(AmendmentTest, AfterPickupTheChangeIsRecordedButTooLate) {
  v1::Workflow wf = At(v1::IN_TRANSIT);
  ReplanOutcome outcome = Replan(wf, OrderTo("North", 2, 2), kNow, OrchestratorOptions());
  EXPECT_TRUE(outcome.too_late);
  EXPECT_FALSE(outcome.relabel);
  EXPECT_EQ(wf.stage(), v1::IN_TRANSIT);
  EXPECT_FALSE(wf.shipments(0).superseded());
}

TEST(AmendmentTest, AStoppedWorkflowRunsAgainAmended) {
  v1::Workflow wf = At(v1::SHIPPING);
  wf.set_compensated(true);
  wf.set_allocation_requested(false);
  ReplanOutcome outcome = Replan(wf, OrderTo("North", 2, 2), kNow, OrchestratorOptions());
  EXPECT_TRUE(outcome.reallocate);
  EXPECT_FALSE(wf.compensated());
  EXPECT_EQ(wf.stage(), v1::ALLOCATING);
}

}  // namespace
}  // namespace oms::orchestrator
