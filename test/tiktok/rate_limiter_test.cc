// The client-side token buckets: per app, per endpoint (ad/create/), per advertiser; waiting
// with a bound; concurrent callers driven by a fake clock.
#include <algorithm>
#include <atomic>
#include <map>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "test/tiktok/fake_clock.h"
#include "tiktok/rate_limiter.h"
#include "tiktok/tiktok_error.h"

namespace ttads::tiktok {
namespace {

using ttads::tiktok::testing::FakeClock;

RateLimitConfig Config(double app_qps, double advertiser_qps) {
  RateLimitConfig config;
  config.app_qps = app_qps;
  config.advertiser_qps = advertiser_qps;
  config.max_wait = absl::Seconds(60);
  return config;
}

TEST(RateLimiterTest, SpacesCallsAtTheAppRate) {
  FakeClock clock(FakeClock::Mode::kAutoAdvance);
  RateLimiter limiter(Config(10, 0), &clock);
  const absl::Time start = clock.Now();
  absl::Duration total;
  for (int i = 0; i < 10; ++i) {
    absl::StatusOr<absl::Duration> waited = limiter.Acquire("campaign/get/", "", absl::InfiniteFuture());
    ASSERT_TRUE(waited.ok());
    total += *waited;
  }
  EXPECT_EQ(clock.Now() - start, absl::Milliseconds(900));
  EXPECT_EQ(total, absl::Milliseconds(900));
}

TEST(RateLimiterTest, AdCreateHasItsOwnSlowerBucket) {
  FakeClock clock(FakeClock::Mode::kAutoAdvance);
  RateLimiter limiter(Config(10, 0), &clock);
  // ad/create: 5 QPS on top of the app's 10.
  std::vector<absl::Duration> waits;
  for (int i = 0; i < 3; ++i) {
    waits.push_back(*limiter.Acquire("/ad/create", "", absl::InfiniteFuture()));
  }
  EXPECT_EQ(waits, (std::vector<absl::Duration>{absl::ZeroDuration(), absl::Milliseconds(200),
                                                absl::Milliseconds(200)}));
  // Other endpoints wait only for the app bucket.
  EXPECT_EQ(*limiter.Acquire("ad/get/", "", absl::InfiniteFuture()), absl::Milliseconds(100));
  EXPECT_EQ(*limiter.Acquire("ad/get/", "", absl::InfiniteFuture()), absl::Milliseconds(100));
}

TEST(RateLimiterTest, WaitsAreBoundedAndARefusalTakesNothing) {
  FakeClock clock(FakeClock::Mode::kRecordOnly);
  RateLimitConfig config = Config(1, 0);
  config.max_wait = absl::Milliseconds(500);
  RateLimiter limiter(config, &clock);
  ASSERT_EQ(*limiter.Acquire("a/", "", absl::InfiniteFuture()), absl::ZeroDuration());
  // The next slot is 1 s away: beyond max_wait, refused at once.
  absl::StatusOr<absl::Duration> refused = limiter.Acquire("a/", "", absl::InfiniteFuture());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
  std::optional<TikTokError> error = TikTokErrorOf(refused.status());
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->reason, "LOCAL_RATE_LIMIT");
  EXPECT_TRUE(error->rate_limited);
  EXPECT_TRUE(clock.Sleeps().empty());
  // Beyond the call's deadline: refused too.
  RateLimiter patient(Config(1, 0), &clock);
  ASSERT_TRUE(patient.Acquire("a/", "", absl::InfiniteFuture()).ok());
  EXPECT_FALSE(patient.Acquire("a/", "", clock.Now() + absl::Milliseconds(500)).ok());
  // The refusals took nothing: once the slot comes, one call goes without waiting.
  clock.Advance(absl::Seconds(1));
  EXPECT_EQ(*limiter.Acquire("a/", "", absl::InfiniteFuture()), absl::ZeroDuration());
  EXPECT_EQ(*patient.Acquire("a/", "", absl::InfiniteFuture()), absl::ZeroDuration());
}

TEST(RateLimiterTest, BurstAdmitsThatManyAtOnce) {
  FakeClock clock(FakeClock::Mode::kAutoAdvance);
  RateLimitConfig config = Config(10, 0);
  config.app_burst = 3;
  RateLimiter limiter(config, &clock);
  std::vector<absl::Duration> waits;
  for (int i = 0; i < 5; ++i) waits.push_back(*limiter.Acquire("a/", "", absl::InfiniteFuture()));
  EXPECT_EQ(waits, (std::vector<absl::Duration>{absl::ZeroDuration(), absl::ZeroDuration(),
                                                absl::ZeroDuration(), absl::Milliseconds(100),
                                                absl::Milliseconds(100)}));
}

TEST(RateLimiterTest, SharedPerAppAcrossClients) {
  auto a = RateLimiter::Shared("rate-limiter-test-app", Config(7, 0));
  auto b = RateLimiter::Shared("rate-limiter-test-app", Config(99, 0));
  auto c = RateLimiter::Shared("rate-limiter-test-other-app", Config(3, 0));
  EXPECT_EQ(a.get(), b.get());
  EXPECT_NE(a.get(), c.get());
  EXPECT_EQ(b->config().app_qps, 7);
}

// Runs `threads` callers, each acquiring `per_thread` tokens for its advertiser, with time
// moving only while every caller waits. Returns the grant times per advertiser.
std::map<std::string, std::vector<absl::Time>> RunConcurrently(
    RateLimiter& limiter, FakeClock& clock, const std::vector<std::string>& advertisers,
    int per_thread, std::vector<absl::Time>* all) {
  absl::Mutex mutex;
  std::map<std::string, std::vector<absl::Time>> grants;
  std::atomic<int> finished{0};
  std::vector<std::thread> threads;
  for (const std::string& advertiser : advertisers) {
    threads.emplace_back([&, advertiser] {
      for (int i = 0; i < per_thread; ++i) {
        absl::StatusOr<absl::Duration> waited =
            limiter.Acquire("campaign/get/", advertiser, absl::InfiniteFuture());
        EXPECT_TRUE(waited.ok());
        const absl::Time now = clock.Now();
        absl::MutexLock lock(&mutex);
        grants[advertiser].push_back(now);
        all->push_back(now);
      }
      finished.fetch_add(1);
    });
  }
  const int n = static_cast<int>(advertisers.size());
  while (true) {
    // Move time only when every caller is blocked in the limiter (or done).
    while (clock.Blocked() + finished.load() < n) absl::SleepFor(absl::Microseconds(50));
    if (finished.load() == n) break;
    clock.AdvanceToNextWakeup();
  }
  for (std::thread& thread : threads) thread.join();
  return grants;
}

void ExpectSpacing(std::vector<absl::Time> times, absl::Duration spacing) {
  std::sort(times.begin(), times.end());
  for (size_t i = 1; i < times.size(); ++i) {
    EXPECT_GE(times[i] - times[i - 1], spacing - absl::Microseconds(1)) << "grant " << i;
  }
}

TEST(RateLimiterTest, ConcurrentCallersNeverExceedTheAppRate) {
  FakeClock clock(FakeClock::Mode::kManual);
  RateLimiter limiter(Config(10, 0), &clock);
  const absl::Time start = clock.Now();
  std::vector<absl::Time> all;
  RunConcurrently(limiter, clock, {"", "", "", "", "", ""}, 10, &all);
  ASSERT_EQ(all.size(), 60u);
  ExpectSpacing(all, absl::Milliseconds(100));
  // 60 calls at 10 QPS with no burst: the last one 5.9 s after the first.
  EXPECT_LE(absl::AbsDuration(*std::max_element(all.begin(), all.end()) - start -
                              absl::Milliseconds(5900)),
            absl::Microseconds(1));
}

TEST(RateLimiterTest, ConcurrentCallersPerAdvertiser) {
  FakeClock clock(FakeClock::Mode::kManual);
  RateLimiter limiter(Config(10, 2), &clock);
  std::vector<absl::Time> all;
  const auto grants =
      RunConcurrently(limiter, clock, {"adv-1", "adv-1", "adv-1", "adv-2", "adv-2", "adv-2"}, 4,
                      &all);
  ASSERT_EQ(all.size(), 24u);
  ExpectSpacing(all, absl::Milliseconds(100));
  ExpectSpacing(grants.at("adv-1"), absl::Milliseconds(500));
  ExpectSpacing(grants.at("adv-2"), absl::Milliseconds(500));
  // Each advertiser's 12 calls take about 5.5 s at 2 QPS (the app bucket, shared, may add a
  // slot's delay here and there).
  for (const auto& [advertiser, times] : grants) {
    EXPECT_EQ(times.size(), 12u);
    const absl::Duration span = *std::max_element(times.begin(), times.end()) -
                                *std::min_element(times.begin(), times.end());
    EXPECT_GE(span, absl::Milliseconds(5500) - absl::Microseconds(1)) << advertiser;
    EXPECT_LE(span, absl::Milliseconds(6000)) << advertiser;
  }
}

}  // namespace
}  // namespace ttads::tiktok
