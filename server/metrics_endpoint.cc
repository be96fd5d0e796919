#include "server/metrics_endpoint.h"

#include <httplib.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace ttads::server {

void DeclareServerMetrics(MetricsRegistry& registry) {
  registry.DeclareCounter("ttads_rpc_requests_total", "RPCs handled, by method and status code",
                          {"method", "code"});
  registry.DeclareHistogram("ttads_rpc_duration_seconds", "RPC latency, by method", {"method"},
                            LatencyBuckets());
}

absl::StatusOr<std::unique_ptr<MetricsEndpoint>> MetricsEndpoint::Start(
    const std::string& address, MetricsRegistry& registry) {
  const std::size_t colon = address.rfind(':');
  int port = -1;
  if (colon == std::string::npos || !absl::SimpleAtoi(address.substr(colon + 1), &port) ||
      port < 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("TTADS_METRICS_LISTEN: expected host:port, got '", address, "'"));
  }
  const std::string host = address.substr(0, colon);
  std::unique_ptr<MetricsEndpoint> endpoint(new MetricsEndpoint());
  endpoint->server_ = std::make_unique<httplib::Server>();
  endpoint->server_->Get("/metrics", [&registry](const httplib::Request&, httplib::Response& res) {
    res.set_content(registry.Render(), "text/plain; version=0.0.4");
  });
  if (port == 0) {
    endpoint->port_ = endpoint->server_->bind_to_any_port(host);
  } else {
    endpoint->port_ = endpoint->server_->bind_to_port(host, port) ? port : -1;
  }
  if (endpoint->port_ <= 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen for metrics on ", address));
  }
  httplib::Server* server = endpoint->server_.get();
  endpoint->thread_ = std::thread([server] { server->listen_after_bind(); });
  return endpoint;
}

MetricsEndpoint::~MetricsEndpoint() {
  if (server_ != nullptr) server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace ttads::server
