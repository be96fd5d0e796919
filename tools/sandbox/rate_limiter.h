// TikTok-style QPS limits: at most N requests per key in each one-second window of real time
// (TikTok's advice on 40100 is "retry in the next second"). Rejected requests do not count.
// Keys are the caller's: the sandbox uses "app:<app_id>", "app:<app_id>:<path>" and
// "advertiser:<id>:<path>". Real wall-clock seconds, not the settable sandbox clock, so moving
// the sandbox clock never opens or closes a window. Thread-safe.
#ifndef TTADS_TOOLS_SANDBOX_RATE_LIMITER_H_
#define TTADS_TOOLS_SANDBOX_RATE_LIMITER_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace ttads::sandbox {

class RateLimiter {
 public:
  RateLimiter() = default;

  // Counts the request and returns true when `key` has had fewer than `qps` requests in the
  // current second; false (not counted) otherwise. `qps` <= 0 means unlimited. `now` defaults
  // to the real clock; tests pass their own.
  bool Allow(const std::string& key, double qps);
  bool Allow(const std::string& key, double qps, absl::Time now);
  // Forgets every window.
  void Reset();

 private:
  struct Window {
    int64_t second = 0;
    int64_t count = 0;
  };
  absl::Mutex mu_;
  std::map<std::string, Window> windows_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ttads::sandbox

#endif  // TTADS_TOOLS_SANDBOX_RATE_LIMITER_H_
