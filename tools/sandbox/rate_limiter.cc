#include "tools/sandbox/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace ttads::sandbox {

bool RateLimiter::Allow(const std::string& key, double qps) { return Allow(key, qps, absl::Now()); }

bool RateLimiter::Allow(const std::string& key, double qps, absl::Time now) {
  if (qps <= 0) return true;
  // A fractional limit such as 0.5 QPS still lets one request through per second window.
  const int64_t limit = std::max<int64_t>(1, static_cast<int64_t>(std::floor(qps)));
  const int64_t second = absl::ToUnixSeconds(now);
  absl::MutexLock lock(&mu_);
  Window& window = windows_[key];
  if (window.second != second) window = Window{second, 0};
  if (window.count >= limit) return false;
  ++window.count;
  return true;
}

void RateLimiter::Reset() {
  absl::MutexLock lock(&mu_);
  windows_.clear();
}

}  // namespace ttads::sandbox
