// Backoff schedule (exponential, full jitter, capped) and which failures may be retried.
#include "gtest/gtest.h"
#include "tiktok/retry_policy.h"
#include "tiktok/tiktok_error.h"

namespace ttads::tiktok {
namespace {

RetryConfig Config() {
  RetryConfig config;
  config.base_delay = absl::Milliseconds(10);
  config.max_delay = absl::Milliseconds(50);
  config.max_attempts = 5;
  config.limited_max_attempts = 2;
  config.rate_limit_min_delay = absl::Milliseconds(20);
  return config;
}

TEST(BackoffTest, ExponentialCapsWithFullJitter) {
  Backoff full(Config(), [] { return 0.999999; });
  EXPECT_EQ(full.Cap(1), absl::Milliseconds(10));
  EXPECT_EQ(full.Cap(2), absl::Milliseconds(20));
  EXPECT_EQ(full.Cap(3), absl::Milliseconds(40));
  EXPECT_EQ(full.Cap(4), absl::Milliseconds(50));
  EXPECT_EQ(full.Cap(40), absl::Milliseconds(50));
  EXPECT_LE(full.Delay(3, false), absl::Milliseconds(40));
  EXPECT_GT(full.Delay(3, false), absl::Microseconds(39990));

  Backoff half(Config(), [] { return 0.5; });
  EXPECT_EQ(half.Delay(1, false), absl::Milliseconds(5));
  EXPECT_EQ(half.Delay(2, false), absl::Milliseconds(10));
  EXPECT_EQ(half.Delay(3, false), absl::Milliseconds(20));
  EXPECT_EQ(half.Delay(9, false), absl::Milliseconds(25));

  Backoff zero(Config(), [] { return 0.0; });
  EXPECT_EQ(zero.Delay(2, false), absl::ZeroDuration());
  // A rate limit waits at least the floor ("retry next second" in production).
  EXPECT_EQ(zero.Delay(2, true), absl::Milliseconds(20));
  EXPECT_EQ(half.Delay(4, true), absl::Milliseconds(25));
}

TEST(BackoffTest, DefaultJitterStaysInRange) {
  Backoff backoff(Config(), nullptr);
  for (int i = 0; i < 200; ++i) {
    const absl::Duration delay = backoff.Delay(2, false);
    EXPECT_GE(delay, absl::ZeroDuration());
    EXPECT_LE(delay, absl::Milliseconds(20));
  }
}

TikTokError Error(int64_t code) { return ErrorForCode(code, "", "", "x/", 200); }

TikTokError Transport() {
  TikTokError error;
  error.reason = "TRANSPORT";
  error.retryable = true;
  return error;
}

TEST(MayRetryTest, ByModeAndError) {
  const RetryConfig config = Config();
  // Reads and idempotent writes: every retryable error, up to max_attempts.
  EXPECT_TRUE(MayRetry(config, RetryMode::kIdempotent, Error(50000), true, 1));
  EXPECT_TRUE(MayRetry(config, RetryMode::kIdempotent, Error(40100), true, 4));
  EXPECT_FALSE(MayRetry(config, RetryMode::kIdempotent, Error(40100), true, 5));
  EXPECT_FALSE(MayRetry(config, RetryMode::kIdempotent, Error(40002), true, 1));
  EXPECT_FALSE(MayRetry(config, RetryMode::kIdempotent, Error(40105), true, 1));
  EXPECT_FALSE(MayRetry(config, RetryMode::kIdempotent, Error(40001), true, 1));
  // "Limited" codes stop earlier.
  EXPECT_TRUE(MayRetry(config, RetryMode::kIdempotent, Error(51000), true, 1));
  EXPECT_FALSE(MayRetry(config, RetryMode::kIdempotent, Error(51000), true, 2));
  // Creates with TikTok's dedupe key: like idempotent.
  EXPECT_TRUE(MayRetry(config, RetryMode::kDedupeKey, Transport(), true, 1));
  EXPECT_TRUE(MayRetry(config, RetryMode::kDedupeKey, Error(50000), true, 1));
  // Other writes: only what provably did not take effect.
  EXPECT_FALSE(MayRetry(config, RetryMode::kNotIdempotent, Transport(), true, 1));
  EXPECT_TRUE(MayRetry(config, RetryMode::kNotIdempotent, Transport(), false, 1));
  EXPECT_FALSE(MayRetry(config, RetryMode::kNotIdempotent, Error(50000), true, 1));
  EXPECT_TRUE(MayRetry(config, RetryMode::kNotIdempotent, Error(40100), true, 1));
  EXPECT_TRUE(MayRetry(config, RetryMode::kNotIdempotent, Error(40133), true, 1));
  EXPECT_FALSE(MayRetry(config, RetryMode::kNever, Error(40100), false, 1));
}

}  // namespace
}  // namespace ttads::tiktok
