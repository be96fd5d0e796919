// A pass-through HTTP relay in front of the TikTok sandbox that drops the client's
// Accept-Encoding. The sandbox's HTTP library answers "Accept-Encoding: br" (libcurl offers it)
// with brotli at its highest quality, about 0.7 s of CPU for one 30-day ad report on a 2-core
// machine: the test double, not ttads, would then set the pace of figure 2. Real TikTok spends
// its own CPU on compression. See docs/performance.md.
#ifndef TTADS_TOOLS_BENCH_SANDBOX_RELAY_H_
#define TTADS_TOOLS_BENCH_SANDBOX_RELAY_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"

namespace httplib {
class Server;
}

namespace ttads::bench {

class SandboxRelay {
 public:
  ~SandboxRelay();
  // Listens on a free loopback port and relays every request to 127.0.0.1:`sandbox_port`.
  absl::StatusOr<int> Start(int sandbox_port);
  void Stop();

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

}  // namespace ttads::bench

#endif  // TTADS_TOOLS_BENCH_SANDBOX_RELAY_H_
