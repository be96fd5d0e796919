// A closed-loop load generator for unary gRPC calls on gRPC C++'s callback API: `concurrency`
// calls in flight on one channel, each answered call immediately followed by the next, for a
// warm-up and then a measured period. The request is pre-serialised and sent through the
// generic stub, so the same client (same code, same channel settings, same metadata) drives any
// server: ttads-server's reads and the hello-world baseline alike.
#ifndef TTADS_TOOLS_BENCH_LOAD_CLIENT_H_
#define TTADS_TOOLS_BENCH_LOAD_CLIENT_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"

namespace ttads::bench {

struct LoadSpec {
  std::string target;                                         // host:port
  std::string method;                                         // "/package.Service/Method"
  std::string request;                                        // the serialised request message
  std::vector<std::pair<std::string, std::string>> metadata;  // e.g. authorization
  int concurrency = 16;
  absl::Duration warmup = absl::Seconds(2);
  absl::Duration duration = absl::Seconds(10);
};

struct LoadResult {
  int64_t calls = 0;   // answered in the measured period
  int64_t errors = 0;  // of those, not OK
  double qps = 0;      // calls / measured period
  double p50_ms = 0;
  double p99_ms = 0;
  std::string first_error;
};

LoadResult RunLoad(const LoadSpec& spec);

}  // namespace ttads::bench

#endif  // TTADS_TOOLS_BENCH_LOAD_CLIENT_H_
