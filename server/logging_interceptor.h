// Writes one structured log line per RPC (method, code, duration, request id, peer), counts it in
// the metrics (ttads_rpc_requests_total, ttads_rpc_duration_seconds), and returns the request id
// to the caller in `x-request-id`. Never logs metadata values or bodies, so no
// credential can reach the log.
#ifndef TTADS_SERVER_LOGGING_INTERCEPTOR_H_
#define TTADS_SERVER_LOGGING_INTERCEPTOR_H_

#include "grpcpp/server_context.h"
#include "grpcpp/support/server_interceptor.h"

namespace ttads::server {

class LoggingInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace ttads::server

#endif  // TTADS_SERVER_LOGGING_INTERCEPTOR_H_
