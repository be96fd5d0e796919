// The production TikTok client against the sandbox's injected faults and rate limits, over real
// HTTP: retries happen where they should (retryable codes, HTTP 5xx, HTML, dropped GETs) and
// never where they must not (40002, non-idempotent POSTs); a create whose answer was lost is not
// duplicated (request_id dedupe, ad read-back); the deadline holds; concurrent callers stay
// under TikTok's QPS; and neither log ever holds a token.
#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "test/integration/tiktok_sandbox_fixture.h"
#include "tiktok/tiktok_error.h"

namespace ttads::integration {
namespace {

using sandbox::Json;
using tiktok::HttpMethod;

// ---- retried where they should be ----

TEST_F(TikTokSandboxTest, RetryableCodeOnceIsRetriedOnce) {
  for (int code : {50000, 40100, 40202, 51010}) {
    SCOPED_TRACE(code);
    sandbox_.ClearRequestLog();
    AddFault(absl::StrCat("error:campaign/get/,code=", code, ",once"));
    absl::StatusOr<std::vector<tiktok::Campaign>> campaigns =
        client().GetCampaigns(kToken, {.advertiser_id = kUs});
    ASSERT_TRUE(campaigns.ok()) << campaigns.status();
    EXPECT_EQ(campaigns->size(), 1u);
    std::vector<sandbox::RequestLogEntry> log = Log("campaign/get/");
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[0].code, code);
    EXPECT_EQ(log[0].fault, "error");
    EXPECT_EQ(log[1].code, 0);
  }
  // The client logged one record per attempt: a retryable failure, then "ok".
  std::vector<tiktok::CallLogRecord> records = ClientLog();
  ASSERT_GE(records.size(), 2u);
  EXPECT_EQ(records[records.size() - 2].attempt, 1);
  EXPECT_FALSE(records[records.size() - 2].final);
  EXPECT_EQ(records[records.size() - 2].code, 51010);
  EXPECT_EQ(records.back().attempt, 2);
  EXPECT_EQ(records.back().outcome, "ok");
}

TEST_F(TikTokSandboxTest, RateLimitAnswerIsRetriedEvenForANonIdempotentPost) {
  // 40100 means TikTok refused the request unprocessed, so even an upload may go again.
  AddFault("error:file/image/ad/upload/,code=40100,once");
  tiktok::ImageUploadRequest image;
  image.advertiser_id = kUs;
  image.image_url = "https://cdn.example.com/images/it-rate-limited.jpg";
  absl::StatusOr<tiktok::ImageUploadResult> uploaded = client().UploadImage(kToken, image);
  ASSERT_TRUE(uploaded.ok()) << uploaded.status();
  std::vector<sandbox::RequestLogEntry> log = Log("file/image/ad/upload/");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].code, 40100);
  EXPECT_EQ(log[1].code, 0);
}

TEST_F(TikTokSandboxTest, Http5xxAndHtmlBodiesAreRetried) {
  AddFault("http:advertiser/info/,status=503,once");
  absl::StatusOr<std::vector<tiktok::AdvertiserInfo>> info =
      client().GetAdvertiserInfo(kToken, {kUs}, {});
  ASSERT_TRUE(info.ok()) << info.status();
  std::vector<sandbox::RequestLogEntry> log = Log("advertiser/info/");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].http_status, 503);
  EXPECT_EQ(log[1].code, 0);

  AddFault("html:identity/get/,once");
  absl::StatusOr<std::vector<tiktok::Identity>> identities =
      client().GetIdentities(kToken, {.advertiser_id = kUs});
  ASSERT_TRUE(identities.ok()) << identities.status();
  log = Log("identity/get/");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].fault, "html");
  EXPECT_EQ(log[0].http_status, 200);
  EXPECT_EQ(log[1].code, 0);

  // A gateway error on a status update (idempotent POST) is retried as well.
  AddFault("http:ad/status/update/,status=502,once");
  ASSERT_TRUE(client().UpdateAdStatus(kToken, kUs, {kUsAd}, "DISABLE").ok());
  EXPECT_EQ(Log("ad/status/update/").size(), 2u);
}

TEST_F(TikTokSandboxTest, DroppedConnectionIsRetriedForGetsOnly) {
  AddFault("drop:campaign/get/,once");
  absl::StatusOr<std::vector<tiktok::Campaign>> campaigns =
      client().GetCampaigns(kToken, {.advertiser_id = kUs});
  ASSERT_TRUE(campaigns.ok()) << campaigns.status();
  // (A dropped request is logged once the sandbox has given up on it, maybe after the retry.)
  std::vector<sandbox::RequestLogEntry> log = WaitForLog("campaign/get/", 2);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_NE(log[0].fault == "drop", log[1].fault == "drop");  // exactly one was dropped
  EXPECT_EQ(CountCode(log, 0), 1);

  // An upload is not idempotent: once the request left, a lost answer is not retried.
  AddFault("drop:file/image/ad/upload/,once");
  tiktok::ImageUploadRequest image;
  image.advertiser_id = kUs;
  image.image_url = "https://cdn.example.com/images/it-dropped.jpg";
  absl::StatusOr<tiktok::ImageUploadResult> uploaded = client().UploadImage(kToken, image);
  ASSERT_FALSE(uploaded.ok());
  std::optional<tiktok::TikTokError> error = tiktok::TikTokErrorOf(uploaded.status());
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->reason, tiktok::kReasonTransport);
  EXPECT_EQ(error->attempts, 1);
  WaitForLog("file/image/ad/upload/", 1);
  absl::SleepFor(absl::Milliseconds(50));
  EXPECT_EQ(Log("file/image/ad/upload/").size(), 1u);
}

// ---- never retried where they must not be ----

TEST_F(TikTokSandboxTest, NonRetryableCodeIsTriedOnce) {
  AddFault("error:campaign/get/,code=40002,once");
  absl::StatusOr<std::vector<tiktok::Campaign>> campaigns =
      client().GetCampaigns(kToken, {.advertiser_id = kUs});
  ASSERT_FALSE(campaigns.ok());
  EXPECT_EQ(tiktok::TikTokCodeOf(campaigns.status()), 40002);
  EXPECT_EQ(campaigns.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(tiktok::IsRetryableTikTokError(campaigns.status()));
  EXPECT_EQ(Log("campaign/get/").size(), 1u);

  // A system error on a non-idempotent upload is not retried either (it may have happened).
  AddFault("error:file/video/ad/upload/,code=50000,once");
  tiktok::VideoUploadByUrlRequest video;
  video.advertiser_id = kUs;
  video.video_url = "https://cdn.example.com/videos/it-system-error.mp4";
  absl::StatusOr<tiktok::VideoUploadResult> uploaded = client().UploadVideoByUrl(kToken, video);
  ASSERT_FALSE(uploaded.ok());
  EXPECT_EQ(tiktok::TikTokCodeOf(uploaded.status()), 50000);
  EXPECT_EQ(Log("file/video/ad/upload/").size(), 1u);

  // Nor is the single-use auth code exchange.
  AddFault("error:oauth2/access_token/,code=50000,once");
  absl::StatusOr<tiktok::AccessTokenResult> token = client().ExchangeAuthCode(kAuthCode);
  ASSERT_FALSE(token.ok());
  EXPECT_EQ(Log("oauth2/access_token/").size(), 1u);
}

// ---- creates whose answer was lost are not duplicated ----

TEST_F(TikTokSandboxTest, TimedOutCampaignCreateIsRetriedWithTheSameRequestId) {
  tiktok::TikTokClientConfig config = ClientConfig();
  config.request_timeout = absl::Milliseconds(300);
  std::unique_ptr<tiktok::TikTokClient> client = MakeClient(config);
  // The sandbox creates the campaign, then holds the answer past the client's timeout.
  AddFault("timeout:campaign/create/,ms=1200,once");
  absl::StatusOr<tiktok::CampaignCreateResult> created =
      client->CreateCampaign(kToken, CampaignRequest("IT timed out campaign"));
  ASSERT_TRUE(created.ok()) << created.status();

  std::vector<sandbox::RequestLogEntry> log = WaitForLog("campaign/create/", 2);
  ASSERT_EQ(log.size(), 2u);
  for (const sandbox::RequestLogEntry& entry : log) {
    EXPECT_EQ(entry.body.value("request_id", ""), created->dedupe_request_id);
    EXPECT_EQ(entry.code, 0);
  }
  std::set<std::string> faults = {log[0].fault, log[1].fault};
  EXPECT_TRUE(faults.count("timeout"));
  std::vector<tiktok::CallLogRecord> records = ClientLog();
  ASSERT_GE(records.size(), 2u);
  EXPECT_EQ(records[0].path, "campaign/create/");
  EXPECT_EQ(records[0].outcome, tiktok::kReasonTimeout);

  tiktok::CampaignQuery query;
  query.advertiser_id = kUs;
  query.filtering = {{"campaign_name", "IT timed out campaign"}};
  absl::StatusOr<std::vector<tiktok::Campaign>> found = client->GetCampaigns(kToken, query);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].campaign_id, created->campaign_id);

  // The same for an ad group.
  AddFault("timeout:adgroup/create/,ms=1200,once");
  absl::StatusOr<tiktok::AdGroupCreateResult> adgroup = client->CreateAdGroup(
      kToken, AdGroupRequest(created->campaign_id, "IT timed out ad group"));
  ASSERT_TRUE(adgroup.ok()) << adgroup.status();
  log = WaitForLog("adgroup/create/", 2);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].body.value("request_id", ""), log[1].body.value("request_id", ""));
  absl::StatusOr<std::vector<tiktok::AdGroup>> adgroups =
      client->GetAdGroups(kToken, {.advertiser_id = kUs, .campaign_ids = {created->campaign_id}});
  ASSERT_TRUE(adgroups.ok()) << adgroups.status();
  ASSERT_EQ(adgroups->size(), 1u);
  EXPECT_EQ((*adgroups)[0].adgroup_id, adgroup->adgroup_id);
}

class AdCreateLostAnswerTest : public TikTokSandboxTest {
 protected:
  void SetUp() override {
    TikTokSandboxTest::SetUp();
    campaign_ = NewCampaign("IT lost answer campaign");
    adgroup_ = NewAdGroup(campaign_, "IT lost answer ad group");
    sandbox_.ClearRequestLog();
  }
  tiktok::AdCreateRequest Request() const {
    return {.advertiser_id = kUs,
            .adgroup_id = adgroup_,
            .creatives = {VideoCreative("IT lost answer ad 1"),
                          VideoCreative("IT lost answer ad 2")}};
  }
  // Exactly the two intended ads exist, with these ids.
  void ExpectExactlyTheIntendedAds(const std::vector<std::string>& ids) {
    std::vector<tiktok::Ad> ads = AdsOf(adgroup_);
    std::map<std::string, std::string> by_name;
    for (const tiktok::Ad& ad : ads) by_name[ad.ad_name] = ad.ad_id;
    EXPECT_EQ(ads.size(), 2u);
    ASSERT_EQ(ids.size(), 2u);
    EXPECT_EQ(by_name["IT lost answer ad 1"], ids[0]);
    EXPECT_EQ(by_name["IT lost answer ad 2"], ids[1]);
  }

  std::string campaign_;
  std::string adgroup_;
};

TEST_F(AdCreateLostAnswerTest, DroppedAfterTheCreateIsRecoveredByReadBack) {
  AddFault("drop:ad/create/,after,once");
  absl::StatusOr<tiktok::AdCreateResult> created = client().CreateAds(kToken, Request());
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_TRUE(created->recovered_by_read_back);
  WaitForLog("ad/create/", 1);
  absl::SleepFor(absl::Milliseconds(50));
  EXPECT_EQ(Log("ad/create/").size(), 1u);  // no second create, not even by libcurl
  EXPECT_GE(Log("ad/get/").size(), 1u);     // the read-back
  ExpectExactlyTheIntendedAds(created->ad_ids);
}

TEST_F(AdCreateLostAnswerTest, TimedOutCreateIsRecoveredByReadBack) {
  tiktok::TikTokClientConfig config = ClientConfig();
  config.request_timeout = absl::Milliseconds(300);
  std::unique_ptr<tiktok::TikTokClient> client = MakeClient(config);
  AddFault("timeout:ad/create/,ms=1200,once");
  absl::StatusOr<tiktok::AdCreateResult> created = client->CreateAds(kToken, Request());
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_TRUE(created->recovered_by_read_back);
  WaitForLog("ad/create/", 1);
  absl::SleepFor(absl::Milliseconds(50));
  EXPECT_EQ(Log("ad/create/").size(), 1u);
  ExpectExactlyTheIntendedAds(created->ad_ids);
}

TEST_F(AdCreateLostAnswerTest, DroppedBeforeTheCreateIsCreatedOnce) {
  AddFault("drop:ad/create/,once");
  absl::StatusOr<tiktok::AdCreateResult> created = client().CreateAds(kToken, Request());
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_FALSE(created->recovered_by_read_back);
  std::vector<sandbox::RequestLogEntry> log = WaitForLog("ad/create/", 2);
  ASSERT_EQ(log.size(), 2u);  // the read-back proved the first did not happen
  EXPECT_GE(Log("ad/get/").size(), 1u);
  EXPECT_EQ(CountCode(log, 0), 1);
  EXPECT_TRUE(log[0].fault == "drop" || log[1].fault == "drop");
  ExpectExactlyTheIntendedAds(created->ad_ids);
}

TEST_F(AdCreateLostAnswerTest, SystemErrorIsRetriedAfterAnEmptyReadBack) {
  AddFault("error:ad/create/,code=50000,once");
  absl::StatusOr<tiktok::AdCreateResult> created = client().CreateAds(kToken, Request());
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_FALSE(created->recovered_by_read_back);
  EXPECT_EQ(Log("ad/create/").size(), 2u);
  ExpectExactlyTheIntendedAds(created->ad_ids);
}

TEST_F(AdCreateLostAnswerTest, SystemErrorAfterTheCreateIsRecoveredByReadBack) {
  AddFault("error:ad/create/,code=50000,after,once");
  absl::StatusOr<tiktok::AdCreateResult> created = client().CreateAds(kToken, Request());
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_TRUE(created->recovered_by_read_back);
  EXPECT_EQ(Log("ad/create/").size(), 1u);
  ExpectExactlyTheIntendedAds(created->ad_ids);
}

// ---- the deadline ----

TEST_F(TikTokSandboxTest, PersistentFailureStopsAtTheDeadline) {
  tiktok::TikTokClientConfig config = ClientConfig();
  config.retry.deadline = absl::Milliseconds(600);
  config.retry.max_attempts = 1000;
  config.retry.base_delay = absl::Milliseconds(20);
  config.retry.max_delay = absl::Milliseconds(60);
  std::unique_ptr<tiktok::TikTokClient> client = MakeClient(config);

  AddFault("error:pixel/list/,code=50000");
  absl::Time start = absl::Now();
  absl::StatusOr<std::vector<tiktok::Pixel>> pixels = client->ListPixels(kToken, kUs);
  absl::Duration elapsed = absl::Now() - start;
  ASSERT_FALSE(pixels.ok());
  EXPECT_EQ(tiktok::TikTokCodeOf(pixels.status()), 50000);
  EXPECT_LE(elapsed, absl::Milliseconds(600 + 300));
  const size_t attempts = Log("pixel/list/").size();
  EXPECT_GE(attempts, 3u);
  std::optional<tiktok::TikTokError> error = tiktok::TikTokErrorOf(pixels.status());
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(static_cast<size_t>(error->attempts), attempts);
  EXPECT_TRUE(absl::StrContains(pixels.status().message(), "deadline"))
      << pixels.status().message();

  // Answers that never come in time: each attempt is cut to what is left of the deadline.
  config.request_timeout = absl::Milliseconds(250);
  config.retry.deadline = absl::Milliseconds(700);
  client = MakeClient(config);
  AddFault("timeout:identity/get/,ms=3000");
  start = absl::Now();
  absl::StatusOr<std::vector<tiktok::Identity>> identities =
      client->GetIdentities(kToken, {.advertiser_id = kUs});
  elapsed = absl::Now() - start;
  ASSERT_FALSE(identities.ok());
  EXPECT_LE(elapsed, absl::Milliseconds(700 + 300));
  EXPECT_GE(elapsed, absl::Milliseconds(500));
  error = tiktok::TikTokErrorOf(identities.status());
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->reason, tiktok::kReasonTimeout);
  EXPECT_GE(error->attempts, 2);
}

// ---- rate limits ----

TEST_F(TikTokSandboxTest, ConcurrentCallersStayUnderTheAppQps) {
  // TikTok's app limit at 5 QPS; the client's own limiter just under it.
  Json config = Control(HttpMethod::kPost, "config",
                        Json{{"app_qps", 5}, {"reset_rate_limits", true}});
  ASSERT_EQ(config.value("app_qps", 0.0), 5.0);
  tiktok::TikTokClientConfig client_config = ClientConfig();
  client_config.rate_limit.app_qps = 4;
  client_config.rate_limit.advertiser_qps = 4;
  client_config.retry.deadline = absl::Seconds(20);
  client_config.rate_limit.max_wait = absl::Seconds(20);
  std::unique_ptr<tiktok::TikTokClient> client = MakeClient(client_config);
  sandbox_.ClearRequestLog();

  constexpr int kThreads = 3;
  constexpr int kCallsPerThread = 4;
  std::atomic<int> failures{0};
  std::atomic<int> rate_limited{0};
  const absl::Time start = absl::Now();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCallsPerThread; ++i) {
        absl::Status status;
        switch ((t + i) % 3) {
          case 0:
            status = client->GetAdvertiserInfo(kToken, {kUs}, {}).status();
            break;
          case 1:
            status = client->GetCampaigns(kToken, {.advertiser_id = kKz}).status();
            break;
          default:
            status = client->ListPixels(kToken, kUs).status();
            break;
        }
        if (!status.ok()) ++failures;
        if (tiktok::TikTokCodeOf(status) == 40100 || tiktok::IsRateLimitedTikTokError(status)) {
          ++rate_limited;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  const absl::Duration elapsed = absl::Now() - start;

  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(rate_limited.load(), 0);
  std::vector<sandbox::RequestLogEntry> log = sandbox_.RequestLog("");
  EXPECT_EQ(log.size(), static_cast<size_t>(kThreads * kCallsPerThread));
  EXPECT_EQ(CountCode(log, 40100), 0);
  EXPECT_EQ(CountCode(log, 0), kThreads * kCallsPerThread);
  // 12 calls spaced 1/4 s apart take at least 11/4 s, and not much more.
  EXPECT_GE(elapsed, absl::Milliseconds(2750 - 50));
  EXPECT_LE(elapsed, absl::Milliseconds(2750 + 1500));
  for (const tiktok::CallLogRecord& record : ClientLog()) EXPECT_EQ(record.attempt, 1);
}

TEST_F(TikTokSandboxTest, ClientAbsorbsTikTokRateLimitsItDidNotPrevent) {
  // The client's limiter is off (e.g. another process shares the app): TikTok answers 40100
  // and the client waits and retries, so no caller sees it.
  Control(HttpMethod::kPost, "config", Json{{"app_qps", 4}, {"reset_rate_limits", true}});
  tiktok::TikTokClientConfig client_config = ClientConfig();
  client_config.retry.rate_limit_min_delay = absl::Milliseconds(150);
  client_config.retry.max_attempts = 40;
  client_config.retry.deadline = absl::Seconds(20);
  std::unique_ptr<tiktok::TikTokClient> client = MakeClient(client_config);
  sandbox_.ClearRequestLog();

  // More callers than two one-second windows admit, so TikTok must refuse some.
  constexpr int kCallers = 10;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kCallers; ++t) {
    threads.emplace_back([&] {
      absl::StatusOr<std::vector<tiktok::AdvertiserInfo>> info =
          client->GetAdvertiserInfo(kToken, {kKz}, {});
      if (!info.ok()) {
        ADD_FAILURE() << info.status();
        ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  std::vector<sandbox::RequestLogEntry> log = Log("advertiser/info/");
  EXPECT_EQ(CountCode(log, 0), kCallers);
  EXPECT_GT(CountCode(log, 40100), 0) << "10 simultaneous calls against 4 QPS";
}

// ---- secrets stay out of the logs ----

TEST_F(TikTokSandboxTest, RequestLogNeverHoldsTheAccessToken) {
  absl::StatusOr<tiktok::AccessTokenResult> exchanged = client().ExchangeAuthCode(kAuthCode);
  ASSERT_TRUE(exchanged.ok()) << exchanged.status();
  const std::string fresh = exchanged->access_token;
  ASSERT_TRUE(client().GetAuthorizedAdvertisers(fresh).ok());
  ASSERT_TRUE(client().GetAdvertiserInfo(kToken, {kUs, kKz}, {}).ok());
  ASSERT_TRUE(client().GetCampaigns(fresh, {.advertiser_id = kUs}).ok());
  tiktok::VideoUploadByFileRequest upload;
  upload.advertiser_id = kUs;
  upload.source.bytes = TinyMp4(10);
  upload.source.file_name = "it-secret-check.mp4";
  ASSERT_TRUE(client().UploadVideoByFile(kToken, upload).ok());
  ASSERT_TRUE(client()
                  .CallRaw(HttpMethod::kGet, "pixel/list/", kToken,
                           tiktok::Params{{"advertiser_id", kUs}})
                  .ok());
  AddFault("error:identity/get/,code=50000,once");
  ASSERT_TRUE(client().GetIdentities(fresh, {.advertiser_id = kUs}).ok());
  ASSERT_TRUE(client().RevokeToken(fresh).ok());
  EXPECT_FALSE(client().GetAdvertiserInfo(fresh, {kUs}, {}).ok());

  const std::string raw = RawRequestLog();
  std::optional<Json> log = sandbox::ParseJson(raw);
  ASSERT_TRUE(log.has_value()) << raw;
  ASSERT_GE((*log)["count"].get<int>(), 10);
  for (const std::string& secret : {std::string(kToken), fresh, std::string(kAppSecret),
                                   std::string(kAuthCode)}) {
    EXPECT_FALSE(absl::StrContains(raw, secret)) << "the request log holds " << secret;
  }
  int with_header = 0;
  for (const Json& entry : (*log)["requests"]) {
    for (auto it = entry["headers"].begin(); it != entry["headers"].end(); ++it) {
      if (absl::EqualsIgnoreCase(it.key(), "Access-Token")) {
        EXPECT_EQ(it.value(), sandbox::kRedacted);
        ++with_header;
      }
    }
  }
  EXPECT_GE(with_header, 8);

  // Nor does the client's own per-attempt log.
  for (const tiktok::CallLogRecord& record : ClientLog()) {
    for (const auto& [key, value] : record.Fields()) {
      EXPECT_FALSE(absl::StrContains(value, kToken)) << key;
      EXPECT_FALSE(absl::StrContains(value, fresh)) << key;
      EXPECT_FALSE(absl::StrContains(value, kAppSecret)) << key;
    }
  }
}

}  // namespace
}  // namespace ttads::integration
