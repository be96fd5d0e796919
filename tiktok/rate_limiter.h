// Client-side rate limiting, so ttads slows itself down before TikTok answers 40100/40133
// (reference §12). Token buckets:
//   - one per app (all endpoints): app_qps, default 10 (TikTok's Basic tier);
//   - one per endpoint with its own TikTok limit, on top of the app bucket: path_qps, default
//     {"ad/create/": 5};
//   - one per advertiser (all endpoints): advertiser_qps, default 5 (TikTok does not publish
//     the 40133 numbers; 0 turns it off).
// A caller takes one token from every bucket that applies, all at the moment it goes (so no
// bucket ever sees more than its rate, and a caller waiting on its advertiser's bucket does not
// hold app capacity others could use). When a bucket is empty the caller WAITS until every
// bucket has a token, then checks again; it fails only when its total wait would exceed
// max_wait or pass the call's deadline, with RESOURCE_EXHAUSTED (reason LOCAL_RATE_LIMIT),
// taking nothing. Waiters are not served in strict arrival order. Acquire reports how long it
// waited. (Buckets are kept as GCRA "theoretical arrival times": a bucket of rate r and burst b
// admits a call at t when t >= tat - (b-1)/r, and then moves tat to max(tat, t) + 1/r.)
//
// One limiter per app is shared by every TikTokClient in the process (Shared()). It is local
// to the process: with N ttads-server replicas using one TikTok app, configure each replica
// with its share (e.g. app_qps = 10 / N); a limiter shared across replicas can come later.
#ifndef TTADS_TIKTOK_RATE_LIMITER_H_
#define TTADS_TIKTOK_RATE_LIMITER_H_

#include <map>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "tiktok/clock.h"

namespace ttads::tiktok {

struct RateLimitConfig {
  double app_qps = 10;
  double app_burst = 1;  // tokens a bucket holds; 1 spaces calls evenly (never >qps in 1 s)
  std::map<std::string, double> path_qps = {{"ad/create/", 5}};
  double advertiser_qps = 5;
  double advertiser_burst = 1;
  absl::Duration max_wait = absl::Seconds(60);
};

class RateLimiter {
 public:
  // `clock` must outlive the limiter; nullptr = the system clock.
  explicit RateLimiter(RateLimitConfig config, Clock* clock = nullptr);

  // The limiter of `app_id`, created with `config` on first use; later calls get the same
  // object (their config is ignored). Uses the system clock.
  static std::shared_ptr<RateLimiter> Shared(absl::string_view app_id,
                                             const RateLimitConfig& config);

  // Waits until a call to `path` (any form, e.g. "ad/create") for `advertiser_id` (may be
  // empty) may go, and returns how long it waited.
  absl::StatusOr<absl::Duration> Acquire(absl::string_view path, absl::string_view advertiser_id,
                                         absl::Time deadline = absl::InfiniteFuture());

  const RateLimitConfig& config() const { return config_; }

 private:
  struct Bucket {
    absl::Duration interval;   // 1 / rate
    absl::Duration tolerance;  // (burst - 1) / rate
    absl::Time tat = absl::InfinitePast();  // theoretical arrival time of the next call
    bool Full(absl::Time now) const { return tat <= now; }
  };
  static Bucket MakeBucket(double rate, double burst);

  const RateLimitConfig config_;
  Clock* const clock_;
  absl::Mutex mutex_;
  Bucket app_ ABSL_GUARDED_BY(mutex_);
  std::map<std::string, Bucket> paths_ ABSL_GUARDED_BY(mutex_);
  absl::flat_hash_map<std::string, Bucket> advertisers_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace ttads::tiktok

#endif  // TTADS_TIKTOK_RATE_LIMITER_H_
