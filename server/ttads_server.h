// ttads-server assembled: database and migrations, secrets, authentication, every service, health
// and reflection, on one gRPC port. main() and the server tests both start it through here.
#ifndef TTADS_SERVER_TTADS_SERVER_H_
#define TTADS_SERVER_TTADS_SERVER_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/clock.h"
#include "server/config.h"

namespace ttads::server {

class TtadsServer {
 public:
  // Opens the database, applies migrations, loads the secret key, starts serving. The clock is
  // the server's notion of now (tests pass a FakeClock).
  static absl::StatusOr<std::unique_ptr<TtadsServer>> Start(
      const ServerConfig& config, const Clock& clock = SystemClock::Get());
  ~TtadsServer();

  // The port actually bound (useful with port 0).
  int port() const;
  // The port of the Prometheus endpoint, 0 when it is off.
  int metrics_port() const;
  // Stops accepting calls, lets in-flight calls finish within `grace`, then cancels the rest.
  void Shutdown(absl::Duration grace);
  // Blocks until the server has shut down.
  void Wait();

 private:
  struct State;
  explicit TtadsServer(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace ttads::server

#endif  // TTADS_SERVER_TTADS_SERVER_H_
