// omsctl: the suite from an operator's shell. `omsctl --help` lists the commands,
// `omsctl <group> <verb> --help` explains one and lists its request fields.
#include <cstdio>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/client_context.h"
#include "grpcpp/impl/codegen/client_unary_call.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "grpcpp/support/sync_stream.h"
#include "oms/analytics/v1/analytics.grpc.pb.h"
#include "platform/base/files.h"
#include "platform/base/status.h"
#include "platform/security/call_tracker.h"
#include "platform/security/client_channel.h"
#include "tools/omsctl/commands.h"
#include "tools/omsctl/exit_codes.h"
#include "tools/omsctl/linked_protos.h"
#include "tools/omsctl/render.h"
#include "tools/omsctl/request_builder.h"

ABSL_FLAG(std::string, host, "127.0.0.1", "host of the suite");
ABSL_FLAG(int, base_port, 50050,
          "first of the six ports (orchestrator; then order, inventory, logistics, notify, "
          "analytics), as ./oms up's OMS_BASE_PORT");
ABSL_FLAG(std::string, orchestrator, "", "orchestrator_svc address (default host:base_port)");
ABSL_FLAG(std::string, order, "", "order_svc address (default host:base_port+1)");
ABSL_FLAG(std::string, inventory, "", "inventory_svc address (default host:base_port+2)");
ABSL_FLAG(std::string, logistics, "", "logistics_svc address (default host:base_port+3)");
ABSL_FLAG(std::string, notify, "", "notify_svc address (default host:base_port+4)");
ABSL_FLAG(std::string, analytics, "", "analytics_svc address (default host:base_port+5)");
ABSL_FLAG(std::string, key_file, "var/auth/ops.key", "API key file (tools/keys writes them)");
ABSL_FLAG(bool, json, false, "print the answer as JSON instead of tables");
ABSL_FLAG(std::string, request, "", "the request as JSON: a file, or - for stdin");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(10), "deadline of the call");

namespace oms::omsctl {
namespace {

using google::protobuf::Message;

std::string Address(Target target) {
  static const absl::Flag<std::string>* flags[] = {&FLAGS_orchestrator, &FLAGS_order,
                                                   &FLAGS_inventory,    &FLAGS_logistics,
                                                   &FLAGS_notify,       &FLAGS_analytics};
  int i = static_cast<int>(target);
  std::string address = absl::GetFlag(*flags[i]);
  if (!address.empty()) return address;
  return absl::StrCat(absl::GetFlag(FLAGS_host), ":", absl::GetFlag(FLAGS_base_port) + i);
}

std::string Usage() {
  std::string out =
      "omsctl: the OMS suite from the shell.\n\n"
      "  omsctl [flags] <group> <verb> [ARG] [field=value ...]\n"
      "  omsctl <group> <verb> --help     what a command does and its request fields\n\n"
      "Commands:\n";
  for (const Command& c : Commands()) {
    std::string head =
        absl::StrCat(c.group, " ", c.verb, c.target == Target::kChosen ? " SERVICE" : "",
                     c.argument.empty() ? "" : " " + c.argument);
    absl::StrAppend(&out, absl::StrFormat("  %-34s %s\n", head, c.summary));
  }
  absl::StrAppend(
      &out,
      "\nFlags: --key_file (default var/auth/ops.key), --base_port/--host or --order=host:port "
      "etc.,\n  --json, --request=FILE|-, --timeout. Writes without idempotency_key= get a fresh "
      "one,\n  printed on stderr: pass it back to retry safely.\n"
      "\nExit status: 0 done; 1 other error; 2 usage; 3 invalid argument; 4 not found;\n"
      "  5 not in a state that allows it (failed precondition, already exists); 6 key missing "
      "or not allowed;\n  7 unavailable or timed out (safe to retry with the same key).\n");
  return out;
}

std::string CommandHelp(const Command& c, const google::protobuf::MethodDescriptor* method) {
  std::string out =
      absl::StrCat("omsctl ", c.group, " ", c.verb, c.target == Target::kChosen ? " SERVICE" : "",
                   c.argument.empty() ? "" : " " + c.argument, " [field=value ...]\n\n  ",
                   c.summary, "\n\n", "Calls ", c.service, "/", c.method,
                   c.target == Target::kChosen ? " on SERVICE (orchestrator, order, inventory, "
                                                 "logistics, notify, analytics)"
                                               : "",
                   ".\n");
  if (!c.argument.empty()) absl::StrAppend(&out, "ARG sets ", c.argument, ".\n");
  if (!c.presets.empty()) absl::StrAppend(&out, "Preset: ", absl::StrJoin(c.presets, " "), "\n");
  absl::StrAppend(&out, "\nRequest fields (", method->input_type()->full_name(), "):\n");
  const google::protobuf::Descriptor* d = method->input_type();
  for (int i = 0; i < d->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* f = d->field(i);
    std::string type =
        f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_ENUM ? f->enum_type()->name()
        : f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE
            ? f->message_type()->name() + " (set its fields as " + f->name() + ".<field>=)"
            : f->type_name();
    absl::StrAppend(&out, "  ", f->is_repeated() ? "repeated " : "", f->name(), "  ", type, "\n");
  }
  return out;
}

int Fail(ExitCode code, const std::string& message) {
  std::cerr << "omsctl: " << message << std::endl;
  return code;
}

// The answer as the user asked for it: tables, or JSON with --json.
std::string Rendered(const Message& response) {
  return absl::GetFlag(FLAGS_json) ? RenderJson(response) + "\n" : RenderText(response);
}

// The request from the command's presets, --request and the arguments after the command
// (`args`: ARG, then field=value); a write without a key gets a fresh one, shown so that a
// retry can reuse it. Errors are the user's (usage).
absl::Status FillRequest(const Command& command, const std::vector<std::string>& args,
                         Message& request) {
  for (const std::string& preset : command.presets) {
    OMS_RETURN_IF_ERROR(SetField(request, preset));
  }
  if (std::string source = absl::GetFlag(FLAGS_request); !source.empty()) {
    std::string json;
    if (source == "-") {
      json.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    } else {
      OMS_ASSIGN_OR_RETURN(json, ReadSmallFile(source));
    }
    OMS_RETURN_IF_ERROR(MergeJson(request, json));
  }
  for (std::string arg : args) {
    if (arg.find('=') == std::string::npos && !command.argument.empty()) {
      arg = command.argument + "=" + arg;
    }
    OMS_RETURN_IF_ERROR(SetField(request, arg));
  }
  const google::protobuf::FieldDescriptor* key =
      request.GetDescriptor()->FindFieldByName("idempotency_key");
  if (key != nullptr && request.GetReflection()->GetString(request, key).empty()) {
    std::string fresh = absl::StrFormat("omsctl-%d-%08x", absl::ToUnixSeconds(absl::Now()),
                                        absl::Uniform<uint32_t>(absl::BitGen()));
    request.GetReflection()->SetString(&request, key, fresh);
    std::cerr << "omsctl: idempotency_key=" << fresh << " (pass it to retry this call)"
              << std::endl;
  }
  return absl::OkStatus();
}

// Calls the command's method and prints the answer (each message of a stream as it comes;
// the CSV of an export as it is).
grpc::Status Invoke(const Command& command, const google::protobuf::MethodDescriptor& method,
                    grpc::ChannelInterface* channel, const Message& request, Message& response) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::GetFlag(FLAGS_timeout)));
  std::string path = absl::StrCat("/", command.service, "/", command.method);
  if (!command.stream) {
    grpc::Status status = grpc::internal::BlockingUnaryCall(
        channel, grpc::internal::RpcMethod(path.c_str(), grpc::internal::RpcMethod::NORMAL_RPC),
        &context, request, &response);
    if (status.ok()) std::cout << Rendered(response);
    return status;
  }
  // Streams until the server ends them or the deadline: --timeout bounds a `feed watch`.
  auto reader = std::unique_ptr<grpc::ClientReader<Message>>(
      grpc::internal::ClientReaderFactory<Message>::Create(
          channel,
          grpc::internal::RpcMethod(path.c_str(), grpc::internal::RpcMethod::SERVER_STREAMING),
          &context, request));
  bool csv = method.output_type() == analytics::v1::CsvChunk::descriptor();
  while (reader->Read(&response)) {
    if (csv) {
      std::cout << static_cast<const analytics::v1::CsvChunk&>(response).data();
    } else {
      std::cout << Rendered(response) << "\n" << std::flush;
    }
  }
  grpc::Status status = reader->Finish();
  // A watch that ran until --timeout ended as asked.
  if (!csv && status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) return grpc::Status();
  return status;
}

int Run(int argc, char** argv) {
  // --help after a command explains that command; absl's own --help lists flags only.
  bool help = false;
  std::vector<char*> kept;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (i > 0 && (arg == "--help" || arg == "-h" || arg == "help")) {
      help = true;
    } else {
      kept.push_back(argv[i]);
    }
  }
  std::vector<char*> positional =
      absl::ParseCommandLine(static_cast<int>(kept.size()), kept.data());
  LinkAllProtos();
  if (positional.size() < 3) {
    std::cout << Usage();
    return help || positional.size() == 1 ? kOk : kUsage;
  }
  const Command* command = FindCommand(positional[1], positional[2]);
  if (command == nullptr) {
    std::cerr << Usage();
    return Fail(kUsage, absl::StrCat("no command \"", positional[1], " ", positional[2], "\""));
  }
  const google::protobuf::MethodDescriptor* method =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
          absl::StrCat(command->service, ".", command->method));
  if (method == nullptr) return Fail(kOtherError, "method missing from this build");
  if (help) {
    std::cout << CommandHelp(*command, method);
    return kOk;
  }

  std::vector<std::string> args(positional.begin() + 3, positional.end());
  Target target = command->target;
  if (target == Target::kChosen) {
    if (args.empty()) return Fail(kUsage, "name the service (order, inventory, ...)");
    target = TargetByName(args.front());
    if (target == Target::kChosen) {
      return Fail(kUsage, absl::StrCat("no service \"", args.front(), "\""));
    }
    args.erase(args.begin());
  }
  google::protobuf::MessageFactory* factory = google::protobuf::MessageFactory::generated_factory();
  std::unique_ptr<Message> request(factory->GetPrototype(method->input_type())->New());
  std::unique_ptr<Message> response(factory->GetPrototype(method->output_type())->New());
  if (absl::Status filled = FillRequest(*command, args, *request); !filled.ok()) {
    return Fail(kUsage, std::string(filled.message()));
  }

  absl::StatusOr<std::string> token = ReadSmallFile(absl::GetFlag(FLAGS_key_file));
  ClientSecurity security;
  if (token.ok()) security.bearer_token = *token;
  auto channel = OpenChannel(Address(target), security);
  grpc::Status status = Invoke(*command, *method, channel.get(), *request, *response);
  if (!status.ok()) {
    std::string hint = !token.ok() && status.error_code() == grpc::StatusCode::UNAUTHENTICATED
                           ? absl::StrCat(" (", token.status().message(), ": see --key_file)")
                           : "";
    return Fail(ExitCodeFor(status.error_code()),
                absl::StrCat(command->method, ": ", StatusCodeName(status.error_code()), ": ",
                             status.error_message(), hint));
  }
  return kOk;
}

}  // namespace
}  // namespace oms::omsctl

int main(int argc, char** argv) { return oms::omsctl::Run(argc, argv); }
