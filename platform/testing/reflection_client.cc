#include "platform/testing/reflection_client.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "src/proto/grpc/reflection/v1alpha/reflection.grpc.pb.h"

namespace oms::testing {
namespace {

using grpc::reflection::v1alpha::ServerReflection;
using grpc::reflection::v1alpha::ServerReflectionRequest;
using grpc::reflection::v1alpha::ServerReflectionResponse;

absl::StatusOr<ServerReflectionResponse> Ask(const std::shared_ptr<grpc::Channel>& channel,
                                             const ServerReflectionRequest& request) {
  auto stub = ServerReflection::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  auto stream = stub->ServerReflectionInfo(&context);
  ServerReflectionResponse response;
  if (!stream->Write(request) || !stream->Read(&response)) {
    stream->WritesDone();
    grpc::Status status = stream->Finish();
    return absl::UnavailableError(absl::StrCat("reflection failed: ", status.error_message()));
  }
  stream->WritesDone();
  grpc::Status status = stream->Finish();
  if (!status.ok()) return absl::UnavailableError(status.error_message());
  if (response.has_error_response()) {
    return absl::NotFoundError(response.error_response().error_message());
  }
  return response;
}

}  // namespace

absl::StatusOr<std::set<std::string>> ListServicesByReflection(
    const std::shared_ptr<grpc::Channel>& channel) {
  ServerReflectionRequest request;
  request.set_list_services("");
  absl::StatusOr<ServerReflectionResponse> response = Ask(channel, request);
  if (!response.ok()) return response.status();
  std::set<std::string> names;
  for (const auto& service : response->list_services_response().service()) {
    names.insert(service.name());
  }
  return names;
}

absl::StatusOr<std::vector<std::string>> DescribeServiceByReflection(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& service) {
  ServerReflectionRequest request;
  request.set_file_containing_symbol(service);
  absl::StatusOr<ServerReflectionResponse> response = Ask(channel, request);
  if (!response.ok()) return response.status();
  // Add files once all their imports are in the pool; the server sends them in any order.
  std::vector<google::protobuf::FileDescriptorProto> pending;
  for (const std::string& bytes : response->file_descriptor_response().file_descriptor_proto()) {
    pending.emplace_back().ParseFromString(bytes);
  }
  google::protobuf::DescriptorPool pool;
  bool progress = true;
  while (!pending.empty() && progress) {
    progress = false;
    for (auto it = pending.begin(); it != pending.end();) {
      bool ready = true;
      for (const std::string& dependency : it->dependency()) {
        ready = ready && pool.FindFileByName(dependency) != nullptr;
      }
      if (ready && pool.BuildFile(*it) != nullptr) {
        it = pending.erase(it);
        progress = true;
      } else {
        ++it;
      }
    }
  }
  const google::protobuf::ServiceDescriptor* descriptor = pool.FindServiceByName(service);
  if (descriptor == nullptr) {
    return absl::NotFoundError(absl::StrCat("reflection cannot describe ", service));
  }
  std::vector<std::string> methods;
  for (int i = 0; i < descriptor->method_count(); ++i) {
    methods.push_back(descriptor->method(i)->name());
  }
  return methods;
}

}  // namespace oms::testing
