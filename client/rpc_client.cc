#include "client/rpc_client.h"

#include <condition_variable>
#include <mutex>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/byte_buffer.h"
// Linking the generated services registers their descriptors in the generated pool.
#include "ttads/v1/account_service.grpc.pb.h"
#include "ttads/v1/action_service.grpc.pb.h"
#include "ttads/v1/admin_service.grpc.pb.h"
#include "ttads/v1/analytics_service.grpc.pb.h"
#include "ttads/v1/audit_service.grpc.pb.h"
#include "ttads/v1/brain_service.grpc.pb.h"
#include "ttads/v1/campaign_builder_service.grpc.pb.h"
#include "ttads/v1/creative_service.grpc.pb.h"
#include "ttads/v1/direction_service.grpc.pb.h"

namespace ttads::client {
namespace {

using google::protobuf::DescriptorPool;
using google::protobuf::MethodDescriptor;

absl::Status FromGrpc(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status result(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  google::rpc::Status rich;
  if (!status.error_details().empty() && rich.ParseFromString(status.error_details())) {
    for (const auto& detail : rich.details()) {
      result.SetPayload(detail.type_url(), absl::Cord(detail.value()));
    }
  }
  return result;
}

// One unary call with raw bytes in and out, waiting for the answer.
absl::StatusOr<std::string> BlockingUnary(const std::shared_ptr<grpc::Channel>& channel,
                                          const ClientOptions& options, const std::string& path,
                                          const std::string& request_bytes) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + options.timeout));
  if (!options.token.empty()) context.AddMetadata("authorization", "Bearer " + options.token);
  grpc::Slice slice(request_bytes);
  grpc::ByteBuffer request_buffer(&slice, 1);
  grpc::ByteBuffer response_buffer;
  grpc::Status status;
  std::mutex mutex;
  std::condition_variable done_signal;
  bool done = false;
  stub.UnaryCall(&context, path, grpc::StubOptions(), &request_buffer, &response_buffer,
                 [&](grpc::Status result) {
                   std::lock_guard<std::mutex> lock(mutex);
                   status = std::move(result);
                   done = true;
                   done_signal.notify_one();
                 });
  {
    std::unique_lock<std::mutex> lock(mutex);
    done_signal.wait(lock, [&] { return done; });
  }
  if (!status.ok()) return FromGrpc(status);
  std::vector<grpc::Slice> slices;
  if (!response_buffer.Dump(&slices).ok()) return absl::InternalError("unreadable response");
  std::string bytes;
  for (const grpc::Slice& part : slices) {
    bytes.append(reinterpret_cast<const char*>(part.begin()), part.size());
  }
  return bytes;
}

// Forces the linker to keep every generated file, so the pool knows every service.
void TouchDescriptors() {
  // A message of each file: referencing it links the generated file, which registers the
  // file (and its service) in the generated pool.
  static const bool touched = [] {
    (void)v1::GetAccountRequest::descriptor();
    (void)v1::DispatchRequest::descriptor();
    (void)v1::GetUserAccountRequest::descriptor();
    (void)v1::GetRoiRequest::descriptor();
    (void)v1::ListAuditEventsRequest::descriptor();
    (void)v1::RunTikTokRequest::descriptor();
    (void)v1::AutoLaunchRequest::descriptor();
    (void)v1::GetCreativeRequest::descriptor();
    (void)v1::GetDirectionRequest::descriptor();
    return true;
  }();
  (void)touched;
}

}  // namespace

RpcClient::RpcClient(ClientOptions options)
    : options_(std::move(options)),
      channel_(grpc::CreateChannel(options_.address, grpc::InsecureChannelCredentials())) {}

absl::StatusOr<const MethodDescriptor*> RpcClient::FindMethod(absl::string_view method) {
  TouchDescriptors();
  std::string name(method);
  if (!absl::StartsWith(name, "ttads.v1.") && !absl::StartsWith(name, "grpc.")) {
    name = absl::StrCat("ttads.v1.", name);
  }
  const std::size_t slash = name.find('/');
  if (slash == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat("method '", method, "': expected Service/Method"));
  }
  const auto* service = DescriptorPool::generated_pool()->FindServiceByName(name.substr(0, slash));
  if (service == nullptr) {
    return absl::NotFoundError(absl::StrCat("no service ", name.substr(0, slash)));
  }
  const auto* found = service->FindMethodByName(name.substr(slash + 1));
  if (found == nullptr) return absl::NotFoundError(absl::StrCat("no method ", name));
  return found;
}

absl::Status RpcClient::Call(absl::string_view method, const google::protobuf::Message& request,
                             google::protobuf::Message& response) {
  absl::StatusOr<const MethodDescriptor*> descriptor = FindMethod(method);
  if (!descriptor.ok()) return descriptor.status();
  const std::string path =
      absl::StrCat("/", (*descriptor)->service()->full_name(), "/", (*descriptor)->name());
  absl::StatusOr<std::string> response_bytes =
      BlockingUnary(channel_, options_, path, request.SerializeAsString());
  if (!response_bytes.ok()) return response_bytes.status();
  if (!response.ParseFromString(*response_bytes)) {
    return absl::InternalError("response does not parse as " + response.GetTypeName());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> RpcClient::CallJson(absl::string_view method,
                                                absl::string_view request_json) {
  absl::StatusOr<const MethodDescriptor*> descriptor = FindMethod(method);
  if (!descriptor.ok()) return descriptor.status();
  google::protobuf::DynamicMessageFactory factory;
  std::unique_ptr<google::protobuf::Message> request(
      factory.GetPrototype((*descriptor)->input_type())->New());
  std::unique_ptr<google::protobuf::Message> response(
      factory.GetPrototype((*descriptor)->output_type())->New());
  const auto parsed = google::protobuf::util::JsonStringToMessage(
      std::string(request_json.empty() ? "{}" : request_json), request.get());
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("request JSON for ", (*descriptor)->full_name(), ": ", parsed.ToString()));
  }
  if (absl::Status status = Call(method, *request, *response); !status.ok()) return status;
  return ToJson(*response, /*pretty=*/true);
}

absl::StatusOr<std::string> RpcClient::Health() {
  // grpc.health.v1.Health/Check with an empty service name, decoded by hand (two tiny protos
  // not worth a dependency): HealthCheckResponse { ServingStatus status = 1; }.
  absl::StatusOr<std::string> bytes =
      BlockingUnary(channel_, options_, "/grpc.health.v1.Health/Check", "");
  if (!bytes.ok()) return bytes.status();
  static const char* const kNames[] = {"UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"};
  int value = 0;  // field 1 varint: tag 0x08
  if (bytes->size() >= 2 && (*bytes)[0] == 0x08) value = static_cast<unsigned char>((*bytes)[1]);
  return std::string(value >= 0 && value < 4 ? kNames[value] : "UNKNOWN");
}

const std::vector<const google::protobuf::ServiceDescriptor*>& ContractServices() {
  TouchDescriptors();
  static const auto* const services = [] {
    auto* found = new std::vector<const google::protobuf::ServiceDescriptor*>();
    for (const char* name :
         {"AccountService", "CampaignBuilderService", "ActionService", "BrainService",
          "DirectionService", "CreativeService", "AnalyticsService", "AdminService",
          "AuditService"}) {
      found->push_back(
          DescriptorPool::generated_pool()->FindServiceByName(absl::StrCat("ttads.v1.", name)));
    }
    return found;
  }();
  return *services;
}

std::string ToJson(const google::protobuf::Message& message, bool pretty) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = pretty;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

}  // namespace ttads::client
