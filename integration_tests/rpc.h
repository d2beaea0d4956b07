// What tests over the real binaries share for talking to them: unary calls with a deadline
// (Try answers the status; Call expects OK and answers the response) and a bounded poll for
// services that follow each other's feeds.
#ifndef OMS_INTEGRATION_TESTS_RPC_H_
#define OMS_INTEGRATION_TESTS_RPC_H_

#include <functional>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"

namespace oms::integration {

template <typename Stub, typename Req, typename Resp>
grpc::Status Try(Stub* stub, grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
                 const Req& request, Resp* response) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  return (stub->*method)(&context, request, response);
}

template <typename Stub, typename Req, typename Resp>
Resp Call(Stub* stub, grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
          const Req& request) {
  Resp response;
  grpc::Status status = Try(stub, method, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message() << "\n" << request.ShortDebugString();
  return response;
}

// Polls `done` every 100 ms until it holds or `limit` passes; answers its last value.
inline bool WaitFor(const std::function<bool()>& done, absl::Duration limit = absl::Seconds(90)) {
  for (absl::Time give_up = absl::Now() + limit; absl::Now() < give_up;
       absl::SleepFor(absl::Milliseconds(100))) {
    if (done()) return true;
  }
  return done();
}

}  // namespace oms::integration

#endif  // OMS_INTEGRATION_TESTS_RPC_H_
