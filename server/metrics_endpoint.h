// Serves GET /metrics (Prometheus text format) on its own HTTP port, apart from gRPC.
#ifndef TTADS_SERVER_METRICS_ENDPOINT_H_
#define TTADS_SERVER_METRICS_ENDPOINT_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "server/metrics.h"

namespace httplib {
class Server;
}

namespace ttads::server {

class MetricsEndpoint {
 public:
  // Listens on `address` ("host:port"; port 0 picks one) and serves `registry`.
  static absl::StatusOr<std::unique_ptr<MetricsEndpoint>> Start(const std::string& address,
                                                                MetricsRegistry& registry);
  ~MetricsEndpoint();
  int port() const { return port_; }

 private:
  MetricsEndpoint() = default;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

// Declares the metrics of the server and its RPCs (idempotent).
void DeclareServerMetrics(MetricsRegistry& registry);

}  // namespace ttads::server

#endif  // TTADS_SERVER_METRICS_ENDPOINT_H_
