// A small C++ client for ttads: one channel with the caller's bearer token, and calls by full
// method name with JSON in and out (protobuf reflection over the compiled-in contract), which is
// what the operator CLI and scripted tests need.
#ifndef TTADS_CLIENT_RPC_CLIENT_H_
#define TTADS_CLIENT_RPC_CLIENT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/channel.h"

namespace ttads::client {

struct ClientOptions {
  std::string address = "127.0.0.1:50051";
  std::string token;  // sent as `authorization: Bearer <token>` when not empty
  absl::Duration timeout = absl::Seconds(30);
};

class RpcClient {
 public:
  explicit RpcClient(ClientOptions options);

  // Calls "ttads.v1.Service/Method" (or "Service/Method") with a JSON request (proto field names
  // or their camelCase; unknown fields are an error) and returns the response as JSON with proto
  // field names and defaults included. Failures come back as the server's status, details kept.
  absl::StatusOr<std::string> CallJson(absl::string_view method, absl::string_view request_json);

  // The same with messages: `response` must be of the method's output type.
  absl::Status Call(absl::string_view method, const google::protobuf::Message& request,
                    google::protobuf::Message& response);

  // grpc.health.v1 status of the whole server: "SERVING", "NOT_SERVING", …
  absl::StatusOr<std::string> Health();

  // The method descriptor for "ttads.v1.Service/Method" or "Service/Method".
  static absl::StatusOr<const google::protobuf::MethodDescriptor*> FindMethod(
      absl::string_view method);

 private:
  const ClientOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
};

// Every ttads.v1 service of the contract (their generated files are linked in by this call).
const std::vector<const google::protobuf::ServiceDescriptor*>& ContractServices();

// Renders a message as JSON (proto field names, defaults included), pretty or on one line.
std::string ToJson(const google::protobuf::Message& message, bool pretty);

}  // namespace ttads::client

#endif  // TTADS_CLIENT_RPC_CLIENT_H_
