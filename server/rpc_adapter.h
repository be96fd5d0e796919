// The thin layer between gRPC and the cores: authenticate the caller, call the core with plain
// C++ values, convert its absl::Status once. Every RPC handler goes through Serve, so no method
// can forget authentication.
#ifndef TTADS_SERVER_RPC_ADAPTER_H_
#define TTADS_SERVER_RPC_ADAPTER_H_

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "google/protobuf/message.h"
#include "grpcpp/server_context.h"
#include "server/authenticator.h"
#include "server/principal.h"
#include "server/rpc_status.h"

namespace ttads::server {

// The `authorization` metadata of a call ("" when absent).
std::string AuthorizationOf(const grpc::ServerContext& context);

// The contract's list convention (common.proto): `page_size` is 0 (the service default) or
// positive. Checked here for every request that has one, so no list RPC can clamp a negative
// size silently; INVALID_ARGUMENT naming page_size otherwise.
absl::Status CheckPageSize(const google::protobuf::Message& request);

template <typename Request, typename Response>
grpc::Status Serve(const Authenticator& authenticator, grpc::ServerContext* context,
                   const Request& request, Response* response,
                   absl::FunctionRef<absl::Status(const Principal&, const Request&, Response*)> core) {
  absl::StatusOr<Principal> principal = authenticator.Authenticate(AuthorizationOf(*context));
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  if (absl::Status page = CheckPageSize(request); !page.ok()) return ToGrpcStatus(page);
  return ToGrpcStatus(core(*principal, request, response));
}

}  // namespace ttads::server

// Declares an RPC override that authenticates and hands the request to `core_.Method`.
// The enclosing class has members `authenticator_` and `core_`.
#define TTADS_RPC(Method, Request, Response) TTADS_RPC_ON(core_, Method, Request, Response)

// As TTADS_RPC, for a service whose RPCs are spread over several cores: `core` is the member.
#define TTADS_RPC_ON(core, Method, Request, Response)                                       \
  grpc::Status Method(grpc::ServerContext* context, const Request* request,                \
                      Response* response) override {                                       \
    return ::ttads::server::Serve<Request, Response>(                                      \
        authenticator_, context, *request, response,                                       \
        [this](const ::ttads::server::Principal& principal, const Request& in,             \
               Response* out) { return core.Method(principal, in, *out); });               \
  }

#endif  // TTADS_SERVER_RPC_ADAPTER_H_
