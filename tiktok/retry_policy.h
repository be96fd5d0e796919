// When and how long the client waits before trying a TikTok call again.
//
// Backoff is exponential with full jitter: before attempt n+1 (after n failures) the client
// sleeps uniform(0, min(max_delay, base_delay * 2^(n-1))). A rate-limit answer (40100 etc.)
// waits at least rate_limit_min_delay (TikTok: "retry next second"). No attempt starts, and no
// sleep is begun, past the call's overall deadline; each attempt's HTTP timeout is cut to the
// time left.
//
// What is retried: errors whose TikTokError is retryable (the code table, transport errors,
// timeouts, HTTP 5xx/408/429, non-JSON bodies), at most max_attempts in all (codes marked
// "limited" at most limited_max_attempts). Whether the call may be repeated at all depends on
// its RetryMode:
//   kIdempotent    reads and updates that set a value: every retryable error.
//   kDedupeKey     creates that carry TikTok's `request_id` dedupe field (campaign/create,
//                  adgroup/create): every retryable error; TikTok creates at most once.
//   kNotIdempotent everything else that writes (ad/create is wrapped in a read-back, uploads,
//                  token exchange): only when the request provably did not take effect -
//                  nothing was sent (DNS/connect failure) or TikTok answered with a
//                  rate-limit code (the request was refused, not processed).
//   kNever         one attempt.
#ifndef TTADS_TIKTOK_RETRY_POLICY_H_
#define TTADS_TIKTOK_RETRY_POLICY_H_

#include <functional>

#include "absl/time/time.h"
#include "tiktok/tiktok_error.h"

namespace ttads::tiktok {

struct RetryConfig {
  absl::Duration base_delay = absl::Milliseconds(500);
  absl::Duration max_delay = absl::Seconds(20);
  int max_attempts = 5;
  int limited_max_attempts = 3;
  absl::Duration rate_limit_min_delay = absl::Seconds(1);
  // Overall budget of one logical call, rate-limiter waits and sleeps included.
  absl::Duration deadline = absl::Seconds(120);
};

enum class RetryMode { kIdempotent, kDedupeKey, kNotIdempotent, kNever };

// Returns a uniformly distributed number in [0, 1).
using RandomSource = std::function<double()>;
RandomSource DefaultRandomSource();

class Backoff {
 public:
  Backoff(const RetryConfig& config, RandomSource random);
  // The sleep before the next attempt, after `failures` failed attempts (>= 1).
  absl::Duration Delay(int failures, bool rate_limited) const;
  // The upper bound the jitter is drawn under, after `failures` failed attempts.
  absl::Duration Cap(int failures) const;

 private:
  RetryConfig config_;
  RandomSource random_;
};

// Whether the policy allows another attempt after `error`, given the call's mode, whether the
// failed attempt's request left this process, and how many attempts were made.
bool MayRetry(const RetryConfig& config, RetryMode mode, const TikTokError& error,
              bool request_sent, int attempts_made);

}  // namespace ttads::tiktok

#endif  // TTADS_TIKTOK_RETRY_POLICY_H_
