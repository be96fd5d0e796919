#include "server/logging_interceptor.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/crypto_util.h"
#include "server/log.h"
#include "server/metrics.h"

namespace ttads::server {
namespace {

using grpc::experimental::InterceptionHookPoints;

// A request id the caller chose is echoed only when it is short and plain.
bool AcceptableRequestId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (const char c : id) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) {
      return false;
    }
  }
  return true;
}

class LoggingInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit LoggingInterceptor(grpc::experimental::ServerRpcInfo* info)
      : method_(info->method()), context_(info->server_context()), start_(absl::Now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      const auto& metadata = *methods->GetRecvInitialMetadata();
      const auto found = metadata.find("x-request-id");
      if (found != metadata.end()) {
        request_id_ = std::string(found->second.data(), found->second.size());
      }
      if (!AcceptableRequestId(request_id_)) request_id_ = ToHex(RandomBytes(8));
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      if (request_id_.empty()) request_id_ = ToHex(RandomBytes(8));
      methods->GetSendInitialMetadata()->emplace("x-request-id", request_id_);
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      const double millis = absl::ToDoubleMilliseconds(absl::Now() - start_);
      LogFields fields = {{"method", method_ == nullptr ? "" : method_},
                          {"code", StatusCodeName(status.error_code())},
                          {"duration_ms", absl::StrCat(millis)},
                          {"request_id", request_id_}};
      if (context_ != nullptr) fields.emplace_back("peer", context_->peer());
      if (!status.ok()) fields.emplace_back("error", status.error_message());
      Log(status.ok() ? "info" : "warning", "rpc", fields);
      const std::string method = method_ == nullptr ? "" : method_;
      MetricsRegistry& metrics = MetricsRegistry::Global();
      metrics.Increment("ttads_rpc_requests_total", {method, StatusCodeName(status.error_code())});
      metrics.Observe("ttads_rpc_duration_seconds", {method}, millis / 1000);
    }
    methods->Proceed();
  }

 private:
  static std::string StatusCodeName(grpc::StatusCode code) {
    static const char* const kNames[] = {
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
        "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
        "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
        "UNAUTHENTICATED"};
    const int index = static_cast<int>(code);
    return index >= 0 && index < 17 ? kNames[index] : absl::StrCat(index);
  }

  const char* method_;
  grpc::ServerContextBase* context_;
  const absl::Time start_;
  std::string request_id_;
};

}  // namespace

grpc::experimental::Interceptor* LoggingInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new LoggingInterceptor(info);
}

}  // namespace ttads::server
