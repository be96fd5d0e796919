#include "tiktok/rate_limiter.h"

#include <algorithm>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "tiktok/api_endpoint.h"
#include "tiktok/tiktok_error.h"

namespace ttads::tiktok {
namespace {

constexpr size_t kMaxIdleAdvertiserBuckets = 10000;

}  // namespace

RateLimiter::RateLimiter(RateLimitConfig config, Clock* clock)
    : config_(std::move(config)), clock_(clock != nullptr ? clock : SystemClock::Get()) {
  absl::MutexLock lock(&mutex_);
  app_ = MakeBucket(config_.app_qps, config_.app_burst);
  for (const auto& [path, qps] : config_.path_qps) {
    if (qps > 0) paths_[NormalizePath(path)] = MakeBucket(qps, 1);
  }
}

std::shared_ptr<RateLimiter> RateLimiter::Shared(absl::string_view app_id,
                                                 const RateLimitConfig& config) {
  static absl::Mutex* const mutex = new absl::Mutex();
  static auto* const limiters = new std::map<std::string, std::shared_ptr<RateLimiter>>();
  absl::MutexLock lock(mutex);
  std::shared_ptr<RateLimiter>& limiter = (*limiters)[std::string(app_id)];
  if (limiter == nullptr) limiter = std::make_shared<RateLimiter>(config);
  return limiter;
}

RateLimiter::Bucket RateLimiter::MakeBucket(double rate, double burst) {
  Bucket bucket;
  if (rate <= 0) return bucket;
  bucket.interval = absl::Seconds(1.0 / rate);
  bucket.tolerance = absl::Seconds((std::max(1.0, burst) - 1.0) / rate);
  return bucket;
}

absl::StatusOr<absl::Duration> RateLimiter::Acquire(absl::string_view path,
                                                    absl::string_view advertiser_id,
                                                    absl::Time deadline) {
  const std::string normalized = NormalizePath(path);
  absl::Duration waited;
  while (true) {
    absl::Duration wait;
    {
      absl::MutexLock lock(&mutex_);
      const absl::Time now = clock_->Now();
      std::vector<Bucket*> buckets;
      if (config_.app_qps > 0) buckets.push_back(&app_);
      if (auto it = paths_.find(normalized); it != paths_.end()) buckets.push_back(&it->second);
      if (config_.advertiser_qps > 0 && !advertiser_id.empty()) {
        if (advertisers_.size() > kMaxIdleAdvertiserBuckets) {
          // Forget buckets that are full again: they remember nothing.
          absl::erase_if(advertisers_, [&](const auto& entry) { return entry.second.Full(now); });
        }
        auto [it, inserted] = advertisers_.try_emplace(std::string(advertiser_id));
        if (inserted) it->second = MakeBucket(config_.advertiser_qps, config_.advertiser_burst);
        buckets.push_back(&it->second);
      }
      absl::Time ready = now;
      for (const Bucket* bucket : buckets) ready = std::max(ready, bucket->tat - bucket->tolerance);
      if (ready <= now) {
        for (Bucket* bucket : buckets) bucket->tat = std::max(bucket->tat, now) + bucket->interval;
        return waited;
      }
      wait = ready - now;
      if (waited + wait > config_.max_wait || ready > deadline) {
        TikTokError error;
        error.path = normalized;
        error.reason = std::string(kReasonLocalRateLimit);
        error.rate_limited = true;
        error.message = absl::StrFormat(
            "local rate limit: the next slot is %dms away, beyond the %s",
            absl::ToInt64Milliseconds(wait),
            waited + wait > config_.max_wait ? "maximum wait" : "call's deadline");
        return MakeTikTokStatus(absl::StatusCode::kResourceExhausted, error);
      }
    }
    clock_->SleepFor(wait);
    waited += wait;
  }
}

}  // namespace ttads::tiktok
