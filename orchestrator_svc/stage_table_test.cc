#include "orchestrator_svc/stage_table.h"

#include <set>

#include "gtest/gtest.h"
#include "platform/base/files.h"

namespace oms::orchestrator {
namespace {

TEST(StageTableTest, EveryStageHasExactlyOneRow) {
  std::set<v1::Stage> seen;
  for (const StageSpec& spec : StageTable()) {
    EXPECT_TRUE(seen.insert(spec.stage).second) << v1::Stage_Name(spec.stage);
  }
  for (int i = v1::Stage_MIN + 1; i <= v1::Stage_MAX; ++i) {
    if (!v1::Stage_IsValid(i)) continue;
    EXPECT_TRUE(seen.count(static_cast<v1::Stage>(i))) << v1::Stage_Name(static_cast<v1::Stage>(i));
  }
}

TEST(StageTableTest, NoCancelOrAmendOnceTheCarrierHasTheGoods) {
  for (v1::Stage stage : {v1::IN_TRANSIT, v1::DELIVERED, v1::COMPLETED}) {
    EXPECT_FALSE(Accepts(stage, Command::kCancel)) << v1::Stage_Name(stage);
    EXPECT_FALSE(Accepts(stage, Command::kAmend)) << v1::Stage_Name(stage);
    EXPECT_FALSE(Accepts(stage, Command::kHold)) << v1::Stage_Name(stage);
    EXPECT_EQ(SpecOf(stage).undo, Undo::kTooLate);
  }
  for (v1::Stage stage : {v1::RECEIVED, v1::PENDING_REVIEW, v1::AWAITING_PAYMENT, v1::ALLOCATING,
                          v1::BACKORDERED, v1::SHIPPING, v1::AWAITING_PICKUP, v1::ON_HOLD}) {
    EXPECT_TRUE(Accepts(stage, Command::kCancel)) << v1::Stage_Name(stage);
    EXPECT_TRUE(Accepts(stage, Command::kAmend)) << v1::Stage_Name(stage);
  }
}

TEST(StageTableTest, LabelledButNotPickedUpIsStillAllocated) {
  EXPECT_EQ(SpecOf(v1::AWAITING_PICKUP).status, order::v1::ALLOCATED);
  EXPECT_EQ(SpecOf(v1::IN_TRANSIT).status, order::v1::SHIPPED);
}

TEST(StageTableTest, RefusalNamesTheStageAndWhatItTakes) {
  v1::Workflow wf;
  wf.set_order_id("ord_1");
  wf.set_stage(v1::IN_TRANSIT);
  absl::Status refused = CheckAccepts(wf, Command::kCancel);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("IN_TRANSIT"), std::string::npos);
  EXPECT_NE(refused.message().find("RequestReturn"), std::string::npos);
  wf.set_stage(v1::SHIPPING);
  EXPECT_TRUE(CheckAccepts(wf, Command::kCancel).ok());
  EXPECT_EQ(CheckAccepts(wf, Command::kRelease).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(StageTableTest, FinalStagesGoNowhere) {
  for (const StageSpec& spec : StageTable()) {
    if (IsFinal(spec.stage)) {
      EXPECT_TRUE(spec.next.empty()) << v1::Stage_Name(spec.stage);
    }
  }
}

// docs/ORDER_LIFECYCLE.md carries the table and the diagram as generated from the code.
TEST(StageTableTest, LifecycleDocIsGeneratedFromTheTable) {
  absl::StatusOr<std::string> doc = ReadSmallFile("docs/ORDER_LIFECYCLE.md");
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_NE(doc->find(RenderLifecycleTable()), std::string::npos)
      << "docs/ORDER_LIFECYCLE.md's stage table is out of date; it should read:\n"
      << RenderLifecycleTable();
  EXPECT_NE(doc->find("```mermaid\n" + RenderStateDiagram() + "```"), std::string::npos)
      << "docs/ORDER_LIFECYCLE.md's diagram is out of date; it should read:\n"
      << RenderStateDiagram();
}

}  // namespace
}  // namespace oms::orchestrator
