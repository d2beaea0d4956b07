#ifndef OMS_PLATFORM_TESTING_REFLECTION_CLIENT_H_
#define OMS_PLATFORM_TESTING_REFLECTION_CLIENT_H_

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"

namespace oms::testing {

// What grpcurl sees of a server through reflection (v1alpha, which grpcurl falls back to).

// `grpcurl list`: the services the server names.
absl::StatusOr<std::set<std::string>> ListServicesByReflection(
    const std::shared_ptr<grpc::Channel>& channel);

// `grpcurl describe SERVICE`: fetches the file holding `service` and its dependencies,
// builds a descriptor pool from them exactly as a client must, and answers the service's
// method names. NOT_FOUND when the server cannot describe it well enough to be called.
absl::StatusOr<std::vector<std::string>> DescribeServiceByReflection(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& service);

}  // namespace oms::testing

#endif  // OMS_PLATFORM_TESTING_REFLECTION_CLIENT_H_
