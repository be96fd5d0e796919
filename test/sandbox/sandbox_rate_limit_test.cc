// Rate limits like TikTok: 40100 past the app's QPS (also per endpoint), 40133 past an
// advertiser's per-path QPS; HTTP 200 either way.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "test/sandbox/sandbox_fixture.h"
#include "tools/sandbox/rate_limiter.h"

namespace ttads::sandbox::testing {
namespace {

TEST(RateLimiterTest, CountsPerKeyPerSecond) {
  RateLimiter limiter;
  absl::Time t = absl::FromUnixSeconds(1000);
  EXPECT_TRUE(limiter.Allow("a", 2, t));
  EXPECT_TRUE(limiter.Allow("a", 2, t + absl::Milliseconds(10)));
  EXPECT_FALSE(limiter.Allow("a", 2, t + absl::Milliseconds(20)));
  EXPECT_TRUE(limiter.Allow("b", 2, t + absl::Milliseconds(30)));  // another key
  EXPECT_TRUE(limiter.Allow("a", 2, t + absl::Seconds(1)));        // the next second
  EXPECT_TRUE(limiter.Allow("a", 0, t));                           // 0: unlimited
  EXPECT_TRUE(limiter.Allow("c", 0.5, t));                         // at least one per second
  EXPECT_FALSE(limiter.Allow("c", 0.5, t));
}

class AppRateLimitTest : public SandboxTest {
 protected:
  void Configure(SandboxOptions& options) override {
    options.config.app_qps = 3;
    options.config.endpoint_qps = {{"ad/create/", 1}};
  }
};

TEST_F(AppRateLimitTest, BurstBeyondTheAppQpsGets40100) {
  int ok = 0, limited = 0;
  for (int i = 0; i < 12; ++i) {
    Json reply = Get("campaign/get/", {{"advertiser_id", kUs}});
    if (reply["code"] == 0) ++ok;
    if (reply["code"] == 40100) ++limited;
  }
  EXPECT_EQ(ok + limited, 12);
  EXPECT_GE(limited, 6);  // at most 3 per second, and the burst spans at most two seconds
  EXPECT_LE(ok, 6);
  EXPECT_GE(ok, 3);
}

TEST_F(AppRateLimitTest, ConcurrentCallersShareTheAppBudget) {
  std::atomic<int> ok{0}, limited{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      httplib::Client client("127.0.0.1", port_);
      for (int i = 0; i < 5; ++i) {
        httplib::Result r =
            client.Get("/open_api/v1.3/campaign/get/", EncodeParams({{"advertiser_id", kKz}}),
                       {{"Access-Token", kToken}});
        if (!r) continue;
        int code = (*ParseJson(r->body))["code"];
        (code == 0 ? ok : limited)++;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(ok + limited, 20);
  EXPECT_LE(ok.load(), 6);
  EXPECT_GE(limited.load(), 14);
}

TEST_F(AppRateLimitTest, RecoversInTheNextSecond) {
  for (int i = 0; i < 5; ++i) Get("campaign/get/", {{"advertiser_id", kUs}});
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(Get("campaign/get/", {{"advertiser_id", kUs}})["code"], 0);
}

class AdvertiserRateLimitTest : public SandboxTest {
 protected:
  void Configure(SandboxOptions& options) override { options.config.advertiser_qps = 2; }
};

TEST_F(AdvertiserRateLimitTest, BurstOnOneAdvertiserGets40133) {
  int limited = 0;
  std::string message;
  for (int i = 0; i < 8; ++i) {
    Json reply = Get("campaign/get/", {{"advertiser_id", kUs}});
    if (reply["code"] == 40133) {
      ++limited;
      message = reply["message"];
    }
  }
  EXPECT_GE(limited, 4);
  EXPECT_NE(message.find(kUs), std::string::npos);
  // Another advertiser, or another path of the same one, has its own budget.
  EXPECT_EQ(Get("campaign/get/", {{"advertiser_id", kKz}})["code"], 0);
  EXPECT_EQ(Get("adgroup/get/", {{"advertiser_id", kUs}})["code"], 0);
}

}  // namespace
}  // namespace ttads::sandbox::testing
