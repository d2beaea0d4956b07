#include "platform/base/status.h"

#include <string>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "platform/base/grpc_status.h"

namespace oms {
namespace {

TEST(StatusTest, KeepsCodeAndMessageBothWays) {
  grpc::Status g = ToGrpcStatus(absl::FailedPreconditionError("order is SHIPPED"));
  EXPECT_EQ(g.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(g.error_message(), "order is SHIPPED");
  absl::Status back = FromGrpcStatus(grpc::Status(grpc::StatusCode::UNAVAILABLE, "down"));
  EXPECT_EQ(back.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(back.message(), "down");
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  EXPECT_TRUE(FromGrpcStatus(grpc::Status::OK).ok());
}

TEST(StatusTest, CutsOverlongMessagesOnACharacterBoundary) {
  std::string message;
  while (message.size() < 10000) message += "订单";  // 3-byte UTF-8 characters
  grpc::Status g = ToGrpcStatus(absl::InvalidArgumentError(message));
  EXPECT_LT(g.error_message().size(), 4200u);
  EXPECT_NE(g.error_message().find("more bytes"), std::string::npos);
  size_t cut = g.error_message().find("...");
  EXPECT_EQ(cut % 3, 0u);
}

absl::StatusOr<int> Half(int x) {
  if (x % 2 != 0) return absl::InvalidArgumentError("odd");
  return x / 2;
}

absl::Status Quarter(int x, int* out) {
  OMS_ASSIGN_OR_RETURN(int half, Half(x));
  OMS_ASSIGN_OR_RETURN(*out, Half(half));
  OMS_RETURN_IF_ERROR(absl::OkStatus());
  return absl::OkStatus();
}

TEST(StatusTest, MacrosPropagateErrors) {
  int out = 0;
  EXPECT_TRUE(Quarter(8, &out).ok());
  EXPECT_EQ(out, 2);
  EXPECT_EQ(Quarter(6, &out).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace oms
