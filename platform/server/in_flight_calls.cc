#include "platform/server/in_flight_calls.h"

namespace oms {

// Lives exactly as long as its call: gRPC creates it when the call arrives and destroys it
// once the call is done.
class CountedCall : public grpc::experimental::Interceptor {
 public:
  explicit CountedCall(InFlightCalls* calls) : calls_(calls) { calls_->Enter(); }
  ~CountedCall() override { calls_->Leave(); }
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    methods->Proceed();
  }

 private:
  InFlightCalls* calls_;
};

namespace {

class CountedCallFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit CountedCallFactory(InFlightCalls* calls) : calls_(calls) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo*) override {
    return new CountedCall(calls_);
  }

 private:
  InFlightCalls* calls_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> InFlightCalls::Factory() {
  return std::make_unique<CountedCallFactory>(this);
}

int InFlightCalls::count() const {
  absl::MutexLock lock(&mu_);
  return count_;
}

bool InFlightCalls::WaitUntilNone(absl::Time deadline) const {
  absl::MutexLock lock(&mu_);
  return mu_.AwaitWithDeadline(absl::Condition(
                                   +[](const int* count) { return *count == 0; }, &count_),
                               deadline);
}

void InFlightCalls::Enter() {
  absl::MutexLock lock(&mu_);
  ++count_;
}

void InFlightCalls::Leave() {
  absl::MutexLock lock(&mu_);
  --count_;
}

}  // namespace oms
