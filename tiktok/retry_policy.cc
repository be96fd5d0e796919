#include "tiktok/retry_policy.h"

#include <algorithm>
#include <cmath>
#include <memory>

#include "absl/random/random.h"
#include "absl/synchronization/mutex.h"

namespace ttads::tiktok {

RandomSource DefaultRandomSource() {
  struct State {
    absl::Mutex mutex;
    absl::BitGen gen ABSL_GUARDED_BY(mutex);
  };
  auto state = std::make_shared<State>();
  return [state] {
    absl::MutexLock lock(&state->mutex);
    return absl::Uniform<double>(state->gen, 0.0, 1.0);
  };
}

Backoff::Backoff(const RetryConfig& config, RandomSource random)
    : config_(config), random_(random ? std::move(random) : DefaultRandomSource()) {}

absl::Duration Backoff::Cap(int failures) const {
  const int exponent = std::clamp(failures - 1, 0, 30);
  const absl::Duration grown = config_.base_delay * std::ldexp(1.0, exponent);
  return std::min(config_.max_delay, grown);
}

absl::Duration Backoff::Delay(int failures, bool rate_limited) const {
  double fraction = random_();
  if (!(fraction >= 0.0)) fraction = 0.0;
  if (fraction >= 1.0) fraction = 1.0;
  absl::Duration delay = Cap(failures) * fraction;
  if (rate_limited) delay = std::max(delay, config_.rate_limit_min_delay);
  return delay;
}

bool MayRetry(const RetryConfig& config, RetryMode mode, const TikTokError& error,
              bool request_sent, int attempts_made) {
  if (!error.retryable) return false;
  const int cap = error.limited ? std::min(config.limited_max_attempts, config.max_attempts)
                                : config.max_attempts;
  if (attempts_made >= cap) return false;
  switch (mode) {
    case RetryMode::kIdempotent:
    case RetryMode::kDedupeKey:
      return true;
    case RetryMode::kNotIdempotent:
      return !request_sent || error.rate_limited;
    case RetryMode::kNever:
      return false;
  }
  return false;
}

}  // namespace ttads::tiktok
