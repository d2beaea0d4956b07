// Counts a server's calls from arrival to the end of their last message, so a shutdown can
// tell when nothing is left to drain (gRPC itself only knows when every client connection
// is gone, and idle clients keep theirs open).
#ifndef OMS_PLATFORM_SERVER_IN_FLIGHT_CALLS_H_
#define OMS_PLATFORM_SERVER_IN_FLIGHT_CALLS_H_

#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/support/server_interceptor.h"

namespace oms {

class InFlightCalls {
 public:
  // An interceptor factory for grpc::ServerBuilder; it must not outlive this object.
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> Factory();

  int count() const;
  // True once no call is in flight, false if `deadline` came first.
  bool WaitUntilNone(absl::Time deadline) const;

 private:
  friend class CountedCall;
  void Enter();
  void Leave();

  mutable absl::Mutex mu_;
  int count_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace oms

#endif  // OMS_PLATFORM_SERVER_IN_FLIGHT_CALLS_H_
