#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "platform/testing/temp_dir.h"
#include "platform/tracing/span.h"
#include "platform/tracing/trace_context.h"
#include "platform/tracing/tracer.h"

namespace oms::tracing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(TraceparentTest, ParsesTheW3CFormatAndRefusesMalformedValues) {
  std::optional<TraceContext> context =
      ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  ASSERT_TRUE(context.has_value());
  EXPECT_EQ(context->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(context->span_id, "00f067aa0ba902b7");
  EXPECT_TRUE(context->sampled);
  EXPECT_EQ(FormatTraceparent(*context), "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  EXPECT_FALSE(
      ParseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")->sampled);
  for (const char* bad : {"", "garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                          "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
                          "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
                          "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                          "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
                          "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01"}) {
    EXPECT_FALSE(ParseTraceparent(bad).has_value()) << bad;
  }
  // A later version may append fields; its first four are read.
  EXPECT_TRUE(ParseTraceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-later")
                  .has_value());
}

TEST(TraceparentTest, NewIdsAreHexOfTheRightLength) {
  std::string trace = NewTraceId(), span = NewSpanId();
  EXPECT_EQ(trace.size(), 32u);
  EXPECT_EQ(span.size(), 16u);
  EXPECT_TRUE(ParseTraceparent("00-" + trace + "-" + span + "-01").has_value());
  EXPECT_NE(NewTraceId(), trace);
}

TEST(ScopedSpanTest, ChildrenShareTheTraceAndNameTheirParent) {
  TraceContext root = Tracer::Global().NewRoot();
  TraceScope scope(&root);
  ScopedSpan span("apply OrderCreated", Span::Kind::kConsumer);
  EXPECT_EQ(span.context().trace_id, root.trace_id);
  EXPECT_NE(span.context().span_id, root.span_id);
  EXPECT_EQ(CurrentTrace(), &span.context());
  EXPECT_EQ(CurrentTraceparent(), FormatTraceparent(span.context()));
}

// order_svc's spans exported to the file at `path`.
TracerOptions FileExport(const std::string& path) {
  TracerOptions options;
  options.service = "order_svc";
  options.export_target = "file:" + path;
  return options;
}

TEST(TracerTest, ExportsSampledSpansAsOtlpJsonLines) {
  oms::testing::TempDir dir;
  std::string path = dir.path() + "/spans.jsonl";
  TracerOptions options = FileExport(path);
  ASSERT_TRUE(Tracer::Global().Configure(options).ok());
  std::string trace_id;
  {
    ScopedSpan parent("/oms.order.v1.OrderService/CreateOrder", Span::Kind::kServer, nullptr);
    trace_id = parent.context().trace_id;
    EXPECT_TRUE(parent.context().sampled);
    ScopedSpan child("apply \"quoted\"", Span::Kind::kConsumer);
    child.SetError("no stock");
  }
  Tracer::Global().Shutdown();
  std::ifstream file(path);
  std::string line;
  ASSERT_TRUE(std::getline(file, line));
  EXPECT_THAT(line, HasSubstr("{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":"
                              "\"service.name\",\"value\":{\"stringValue\":\"order_svc\"}}]}"));
  EXPECT_THAT(line, HasSubstr("\"traceId\":\"" + trace_id + "\""));
  EXPECT_THAT(line, HasSubstr("\"name\":\"/oms.order.v1.OrderService/CreateOrder\",\"kind\":2"));
  EXPECT_THAT(line, HasSubstr("\"name\":\"apply \\\"quoted\\\"\",\"kind\":5"));
  EXPECT_THAT(line, HasSubstr("\"status\":{\"code\":2,\"message\":\"no stock\"}"));
  EXPECT_THAT(line, HasSubstr("\"parentSpanId\":"));
}

TEST(TracerTest, AFullSpanFileIsRotatedSoAtMostTwoAreKept) {
  oms::testing::TempDir dir;
  std::string path = dir.path() + "/spans.jsonl";
  TracerOptions options = FileExport(path);
  options.max_file_bytes = 1;  // every batch fills it
  auto export_one = [&](const std::string& name) {
    ASSERT_TRUE(Tracer::Global().Configure(options).ok());
    { ScopedSpan span(name, Span::Kind::kServer, nullptr); }
    Tracer::Global().Shutdown();  // writes the batch
  };
  auto read = [](const std::string& file_path) {
    std::ifstream file(file_path);
    return std::string(std::istreambuf_iterator<char>(file), {});
  };
  export_one("first");
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_THAT(read(path + ".1"), HasSubstr("\"name\":\"first\""));
  export_one("second");
  EXPECT_THAT(read(path + ".1"), HasSubstr("\"name\":\"second\""));
  EXPECT_THAT(read(path + ".1"), Not(HasSubstr("\"name\":\"first\"")));
  // Under the limit, the file stays where it is.
  options.max_file_bytes = 1 << 20;
  export_one("third");
  EXPECT_THAT(read(path), HasSubstr("\"name\":\"third\""));
}

TEST(TracerTest, RefusesAnUnknownExportTargetAndARateOutsideZeroToOne) {
  TracerOptions options;
  options.export_target = "ftp://x";
  EXPECT_EQ(Tracer::Global().Configure(options).code(), absl::StatusCode::kInvalidArgument);
  options.export_target = "";
  options.sample_rate = 2;
  EXPECT_EQ(Tracer::Global().Configure(options).code(), absl::StatusCode::kInvalidArgument);
}

TEST(TracerTest, WithoutExportNothingIsSampled) {
  ASSERT_TRUE(Tracer::Global().Configure(TracerOptions()).ok());
  EXPECT_FALSE(Tracer::Global().NewRoot().sampled);
}

}  // namespace
}  // namespace oms::tracing
