// TikTokClient over real HTTP against a scripted local server: retries where they should be
// and never where they must not, request_id reuse, read-back before an ad/create retry, the
// deadline, connection reuse, paging, batching, encodings on the wire, headers and logs.
#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <filesystem>
#include <fstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "test/tiktok/fake_clock.h"
#include "test/tiktok/scripted_server.h"
#include "tiktok/json_value.h"
#include "tiktok/lenient.h"
#include "tiktok/tiktok_client.h"

namespace ttads::tiktok {
namespace {

using ttads::tiktok::testing::FakeClock;
using ttads::tiktok::testing::RecordedRequest;
using ttads::tiktok::testing::ScriptedResponse;
using ttads::tiktok::testing::ScriptedServer;

constexpr char kToken[] = "act.SECRET-TOKEN-123";
constexpr char kAppSecret[] = "app-secret-456";
constexpr char kAdvertiser[] = "7012345678901234567";

class ClientTest : public ::testing::Test {
 protected:
  TikTokClientConfig Config() {
    TikTokClientConfig config;
    config.base_url = server_.base_url();
    config.app_id = "app-1";
    config.app_secret = kAppSecret;
    config.connect_timeout = absl::Seconds(2);
    config.request_timeout = absl::Seconds(5);
    config.retry.base_delay = absl::Milliseconds(2);
    config.retry.max_delay = absl::Milliseconds(10);
    config.retry.max_attempts = 4;
    config.retry.limited_max_attempts = 2;
    config.retry.rate_limit_min_delay = absl::Milliseconds(2);
    config.retry.deadline = absl::Seconds(10);
    config.rate_limit.app_qps = 0;  // unlimited unless a test says otherwise
    config.rate_limit.advertiser_qps = 0;
    config.rate_limit.path_qps.clear();
    return config;
  }

  std::unique_ptr<TikTokClient> Client(TikTokClientConfig config, Clock* clock = nullptr) {
    TikTokClientDeps deps;
    deps.clock = clock;
    deps.rate_limiter = std::make_shared<RateLimiter>(config.rate_limit, clock);
    deps.logger = [this](const CallLogRecord& record) {
      absl::MutexLock lock(&log_mutex_);
      logs_.push_back(record);
    };
    absl::StatusOr<std::unique_ptr<TikTokClient>> client =
        TikTokClient::Create(std::move(config), std::move(deps));
    EXPECT_TRUE(client.ok()) << client.status();
    return *std::move(client);
  }
  std::unique_ptr<TikTokClient> Client() { return Client(Config()); }

  std::vector<CallLogRecord> Logs() {
    absl::MutexLock lock(&log_mutex_);
    return logs_;
  }

  static std::string CampaignJson(const std::string& id, const std::string& name) {
    return absl::StrCat(R"({"campaign_id":")", id, R"(","campaign_name":")", name,
                        R"(","budget":50,"budget_mode":"BUDGET_MODE_DAY"})");
  }

  ScriptedServer server_;
  absl::Mutex log_mutex_;
  std::vector<CallLogRecord> logs_;
};

// ---- envelope errors: retried only when the table says so ----

TEST_F(ClientTest, ValidationErrorIsNotRetried) {
  server_.Script("campaign/get/",
                 {ScriptedResponse::Envelope(40002, "{}", "Budget too low", "rid-40002")});
  auto client = Client();
  absl::StatusOr<std::vector<Campaign>> result =
      client->GetCampaigns(kToken, {.advertiser_id = kAdvertiser});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  std::optional<TikTokError> error = TikTokErrorOf(result.status());
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code, 40002);
  EXPECT_EQ(error->message, "Budget too low");
  EXPECT_EQ(error->request_id, "rid-40002");
  EXPECT_EQ(error->path, "campaign/get/");
  EXPECT_EQ(error->attempts, 1);
  EXPECT_EQ(server_.CountTo("campaign/get/"), 1);
}

TEST_F(ClientTest, RetryableCodesAreRetriedUntilSuccess) {
  server_.Script("campaign/get/",
                 {ScriptedResponse::Envelope(50000, "{}", "System error."),
                  ScriptedResponse::Envelope(40100, "{}", "Too many requests"),
                  ScriptedResponse::Envelope(
                      0, absl::StrCat(R"({"list":[)", CampaignJson("1", "a"),
                                      R"(],"page_info":{"page":1,"total_page":1}})"))});
  auto client = Client();
  absl::StatusOr<std::vector<Campaign>> result =
      client->GetCampaigns(kToken, {.advertiser_id = kAdvertiser});
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->size(), 1u);
  EXPECT_EQ(server_.CountTo("campaign/get/"), 3);
  const std::vector<CallLogRecord> logs = Logs();
  ASSERT_EQ(logs.size(), 3u);
  EXPECT_EQ(logs[0].code, 50000);
  EXPECT_FALSE(logs[0].final);
  EXPECT_EQ(logs[1].outcome, "RATE_LIMITED_APP");
  EXPECT_EQ(logs[2].outcome, "ok");
  EXPECT_EQ(logs[2].attempt, 3);
  EXPECT_TRUE(logs[2].final);
}

TEST_F(ClientTest, Http5xxHtmlAndNonJsonBodiesAreRetried) {
  server_.Script("advertiser/info/",
                 {ScriptedResponse::Html(502), ScriptedResponse::Html(200, "<html>cf</html>"),
                  ScriptedResponse::Envelope(
                      0, R"({"list":[{"advertiser_id":7012345678901234567,"currency":"KZT",)"
                         R"("timezone":"Asia/Almaty","balance":"12.5","create_time":1700000000}]})")});
  auto client = Client();
  absl::StatusOr<std::vector<AdvertiserInfo>> info =
      client->GetAdvertiserInfo(kToken, {kAdvertiser}, {});
  ASSERT_TRUE(info.ok()) << info.status();
  ASSERT_EQ(info->size(), 1u);
  EXPECT_EQ((*info)[0].advertiser_id, kAdvertiser);  // a bare number above 2^53, kept exact
  EXPECT_EQ((*info)[0].currency, "KZT");
  EXPECT_DOUBLE_EQ(*(*info)[0].balance, 12.5);
  EXPECT_EQ(server_.CountTo("advertiser/info/"), 3);
}

TEST_F(ClientTest, ReauthCodesAreNotRetried) {
  server_.Script("campaign/get/", {ScriptedResponse::Envelope(40105, "{}", "Access token invalid")});
  auto client = Client();
  absl::StatusOr<std::vector<Campaign>> result =
      client->GetCampaigns(kToken, {.advertiser_id = kAdvertiser});
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(NeedsReauth(result.status()));
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(server_.CountTo("campaign/get/"), 1);
}

TEST_F(ClientTest, NoPermissionIsNotAReauth) {
  server_.Script("campaign/get/", {ScriptedResponse::Envelope(40001, "{}", "No permission")});
  auto client = Client();
  absl::StatusOr<std::vector<Campaign>> result =
      client->GetCampaigns(kToken, {.advertiser_id = kAdvertiser});
  ASSERT_FALSE(result.ok());
  EXPECT_FALSE(NeedsReauth(result.status()));
  EXPECT_EQ(result.status().code(), absl::StatusCode::kPermissionDenied);
}

TEST_F(ClientTest, MissingPathIsNotRetried) {
  // The scripted server answers unknown paths with an HTML 404 (like TikTok without the slash).
  auto client = Client();
  absl::StatusOr<RawCallResult> result =
      client->CallRaw(HttpMethod::kGet, "no/such/path", kToken, Params::object());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_EQ(server_.CountTo("no/such/path/"), 1);
}

// ---- the backoff schedule, with a fake sleeper ----

TEST_F(ClientTest, BackoffScheduleIsExponentialWithJitter) {
  server_.Script("campaign/get/", {ScriptedResponse::Envelope(50000), ScriptedResponse::Envelope(50000),
                                   ScriptedResponse::Envelope(50000),
                                   ScriptedResponse::Envelope(0, R"({"list":[]})")});
  FakeClock clock(FakeClock::Mode::kAutoAdvance);
  TikTokClientConfig config = Config();
  config.retry.base_delay = absl::Seconds(1);
  config.retry.max_delay = absl::Seconds(3);
  config.retry.deadline = absl::Minutes(1);
  TikTokClientDeps deps;
  deps.clock = &clock;
  deps.random = [] { return 0.5; };
  deps.rate_limiter = std::make_shared<RateLimiter>(config.rate_limit, &clock);
  auto client = *TikTokClient::Create(config, std::move(deps));
  ASSERT_TRUE(client->GetCampaigns(kToken, {.advertiser_id = kAdvertiser}).ok());
  std::vector<absl::Duration> backoffs;
  for (absl::Duration d : clock.Sleeps()) {
    if (d > absl::ZeroDuration()) backoffs.push_back(d);
  }
  // Caps 1 s, 2 s, 3 s (max), half of each with the fixed jitter.
  EXPECT_EQ(backoffs, (std::vector<absl::Duration>{absl::Milliseconds(500), absl::Seconds(1),
                                                   absl::Milliseconds(1500)}));
}

TEST_F(ClientTest, RateLimitAnswersWaitAtLeastTheFloor) {
  server_.Script("campaign/get/", {ScriptedResponse::Envelope(40100),
                                   ScriptedResponse::Envelope(0, R"({"list":[]})")});
  FakeClock clock(FakeClock::Mode::kAutoAdvance);
  TikTokClientConfig config = Config();
  config.retry.rate_limit_min_delay = absl::Seconds(1);
  TikTokClientDeps deps;
  deps.clock = &clock;
  deps.random = [] { return 0.0; };
  deps.rate_limiter = std::make_shared<RateLimiter>(config.rate_limit, &clock);
  auto client = *TikTokClient::Create(config, std::move(deps));
  ASSERT_TRUE(client->GetCampaigns(kToken, {.advertiser_id = kAdvertiser}).ok());
  const std::vector<absl::Duration> sleeps = clock.Sleeps();
  EXPECT_NE(std::find(sleeps.begin(), sleeps.end(), absl::Seconds(1)), sleeps.end());
}

// ---- deadline and timeouts ----

TEST_F(ClientTest, TheRetryDeadlineIsHonoured) {
  server_.Script("campaign/get/", {ScriptedResponse::Envelope(50000, "{}", "System error.")});
  TikTokClientConfig config = Config();
  config.retry.max_attempts = 1000;
  config.retry.base_delay = absl::Milliseconds(20);
  config.retry.max_delay = absl::Milliseconds(40);
  config.retry.deadline = absl::Milliseconds(300);
  auto client = Client(config);
  const absl::Time start = absl::Now();
  absl::StatusOr<std::vector<Campaign>> result =
      client->GetCampaigns(kToken, {.advertiser_id = kAdvertiser});
  const absl::Duration elapsed = absl::Now() - start;
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(TikTokCodeOf(result.status()), 50000);
  EXPECT_TRUE(absl::StrContains(result.status().message(), "deadline")) << result.status();
  EXPECT_LT(elapsed, absl::Milliseconds(1000));
  EXPECT_GT(server_.CountTo("campaign/get/"), 2);
}

TEST_F(ClientTest, SlowResponsesTimeOutWithinTheDeadline) {
  server_.Script("campaign/get/", {ScriptedResponse::Slow(absl::Milliseconds(700),
                                                          ScriptedResponse::Envelope(0))});
  TikTokClientConfig config = Config();
  config.request_timeout = absl::Milliseconds(100);
  config.retry.deadline = absl::Milliseconds(350);
  auto client = Client(config);
  const absl::Time start = absl::Now();
  absl::StatusOr<std::vector<Campaign>> result =
      client->GetCampaigns(kToken, {.advertiser_id = kAdvertiser});
  const absl::Duration elapsed = absl::Now() - start;
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(TikTokErrorOf(result.status())->reason, "TIMEOUT");
  EXPECT_LT(elapsed, absl::Milliseconds(650));
  EXPECT_GE(server_.CountTo("campaign/get/"), 2);
}

// ---- creates: request_id dedupe, read-back, never blind ----

TEST_F(ClientTest, CampaignCreateRetriesWithTheSameRequestId) {
  server_.Script("campaign/create/",
                 {ScriptedResponse::Dropped(),
                  ScriptedResponse::Slow(absl::Milliseconds(600), ScriptedResponse::Envelope(0)),
                  ScriptedResponse::Envelope(50000),
                  ScriptedResponse::Envelope(0, CampaignJson("1800000000000000123", "Spring"))});
  TikTokClientConfig config = Config();
  config.request_timeout = absl::Milliseconds(200);
  auto client = Client(config);
  CampaignCreateRequest request;
  request.advertiser_id = kAdvertiser;
  request.campaign_name = "Spring";
  request.objective_type = "TRAFFIC";
  request.budget_mode = "BUDGET_MODE_DAY";
  request.budget = 2500;
  absl::StatusOr<CampaignCreateResult> result = client->CreateCampaign(kToken, request);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->campaign_id, "1800000000000000123");
  const std::vector<RecordedRequest> requests = server_.RequestsTo("campaign/create/");
  ASSERT_EQ(requests.size(), 4u);
  std::set<std::string> request_ids;
  for (const RecordedRequest& r : requests) {
    absl::StatusOr<JsonValue> body = ParseJson(r.body);
    ASSERT_TRUE(body.ok()) << r.body;
    request_ids.insert(ReadStringField(&*body, "request_id"));
    EXPECT_EQ(ReadIdField(&*body, "advertiser_id"), kAdvertiser);
    EXPECT_EQ(ReadNumberField(&*body, "budget"), 2500);
    EXPECT_EQ(r.Header("Content-Type"), "application/json");
  }
  ASSERT_EQ(request_ids.size(), 1u);
  EXPECT_EQ(*request_ids.begin(), result->dedupe_request_id);
  int64_t as_int = 0;
  EXPECT_TRUE(absl::SimpleAtoi(result->dedupe_request_id, &as_int));
  EXPECT_GT(as_int, 0);
}

TEST_F(ClientTest, AdGroupCreateUsesTheCallersDedupeKey) {
  server_.Script("adgroup/create/",
                 {ScriptedResponse::Envelope(0, R"({"adgroup_id":1800000000000000999})")});
  auto client = Client();
  AdGroupCreateRequest request;
  request.advertiser_id = kAdvertiser;
  request.campaign_id = "1800000000000000123";
  request.adgroup_name = "G";
  request.location_ids = {"1522867"};
  request.dedupe_request_id = "4242424242";
  absl::StatusOr<AdGroupCreateResult> result = client->CreateAdGroup(kToken, request);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->adgroup_id, "1800000000000000999");
  absl::StatusOr<JsonValue> body = ParseJson(server_.RequestsTo("adgroup/create/")[0].body);
  EXPECT_EQ(ReadStringField(&*body, "request_id"), "4242424242");
  EXPECT_EQ(FieldOf(&*body, "location_ids")->items()[0].text(), "1522867");
  EXPECT_TRUE(FieldOf(&*body, "location_ids")->items()[0].is_string());
}

TEST_F(ClientTest, DuplicatedCampaignCreateIsFoundByName) {
  server_.Script("campaign/create/", {ScriptedResponse::Envelope(40050, "{}", "Duplicated request")});
  server_.Script("campaign/get/",
                 {ScriptedResponse::Envelope(
                     0, absl::StrCat(R"({"list":[)", CampaignJson("111", "Spring"), ",",
                                     CampaignJson("222", "Spring sale"),
                                     R"(],"page_info":{"page":1,"total_page":1}})"))});
  auto client = Client();
  CampaignCreateRequest request;
  request.advertiser_id = kAdvertiser;
  request.campaign_name = "Spring";
  request.objective_type = "TRAFFIC";
  absl::StatusOr<CampaignCreateResult> result = client->CreateCampaign(kToken, request);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->campaign_id, "111");
  EXPECT_TRUE(result->recovered_by_read_back);
  EXPECT_EQ(server_.CountTo("campaign/create/"), 1);
}

AdCreateRequest OneAd() {
  AdCreateRequest request;
  request.advertiser_id = kAdvertiser;
  request.adgroup_id = "1800000000000000999";
  AdCreative creative;
  creative.ad_name = "ad-7f3a";
  creative.ad_format = "SINGLE_VIDEO";
  creative.video_id = "v1";
  creative.image_ids = {"img1"};
  creative.identity_type = "TT_USER";
  creative.identity_id = "id1";
  request.creatives.push_back(creative);
  return request;
}

TEST_F(ClientTest, AdCreateIsNotRetriedWhenTheReadBackFindsTheAd) {
  server_.Script("ad/create/", {ScriptedResponse::Dropped()});
  server_.Script("ad/get/", {ScriptedResponse::Envelope(
                                0, R"({"list":[{"ad_id":1900000000000000001,"ad_name":"ad-7f3a"},)"
                                   R"({"ad_id":"1900000000000000002","ad_name":"older"}],)"
                                   R"("page_info":{"page":1,"total_page":1}})")});
  auto client = Client();
  absl::StatusOr<AdCreateResult> result = client->CreateAds(kToken, OneAd());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->recovered_by_read_back);
  EXPECT_EQ(result->ad_ids, (std::vector<std::string>{"1900000000000000001"}));
  EXPECT_EQ(server_.CountTo("ad/create/"), 1);
  const RecordedRequest read_back = server_.RequestsTo("ad/get/")[0];
  absl::StatusOr<JsonValue> filtering = ParseJson(read_back.params.at("filtering"));
  ASSERT_TRUE(filtering.ok());
  EXPECT_EQ(ReadIdsField(&*filtering, "adgroup_ids"),
            (std::vector<std::string>{"1800000000000000999"}));
}

TEST_F(ClientTest, AdCreateIsRetriedOnlyAfterTheReadBackProvesNothingWasCreated) {
  server_.Script("ad/create/",
                 {ScriptedResponse::Html(503),
                  ScriptedResponse::Envelope(0, R"({"ad_ids":["1900000000000000003"]})")});
  server_.Script("ad/get/", {ScriptedResponse::Envelope(
                                0, R"({"list":[],"page_info":{"page":1,"total_page":0}})")});
  auto client = Client();
  absl::StatusOr<AdCreateResult> result = client->CreateAds(kToken, OneAd());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_FALSE(result->recovered_by_read_back);
  EXPECT_EQ(result->ad_ids, (std::vector<std::string>{"1900000000000000003"}));
  // create, read-back, create: in that order.
  std::vector<std::string> order;
  for (const RecordedRequest& r : server_.Requests()) order.push_back(r.path);
  EXPECT_EQ(order, (std::vector<std::string>{"ad/create/", "ad/get/", "ad/create/"}));
}

TEST_F(ClientTest, AdCreateOutcomeUnknownWhenTheReadBackFails) {
  server_.Script("ad/create/", {ScriptedResponse::Dropped()});
  server_.Script("ad/get/", {ScriptedResponse::Envelope(40001, "{}", "No permission")});
  auto client = Client();
  absl::StatusOr<AdCreateResult> result = client->CreateAds(kToken, OneAd());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(TikTokErrorOf(result.status())->reason, "OUTCOME_UNKNOWN");
  EXPECT_FALSE(IsRetryableTikTokError(result.status()));
  EXPECT_EQ(server_.CountTo("ad/create/"), 1);
}

TEST_F(ClientTest, AdCreateWithoutNamesIsNeverRetried) {
  server_.Script("ad/create/", {ScriptedResponse::Envelope(50000)});
  auto client = Client();
  AdCreateRequest request = OneAd();
  request.creatives[0].ad_name.clear();
  ASSERT_FALSE(client->CreateAds(kToken, request).ok());
  EXPECT_EQ(server_.CountTo("ad/create/"), 1);
  EXPECT_EQ(server_.CountTo("ad/get/"), 0);
}

TEST_F(ClientTest, UploadsAreNotResentAfterAnAmbiguousFailure) {
  server_.Script("file/video/ad/upload/", {ScriptedResponse::Html(502)});
  auto client = Client();
  VideoUploadByUrlRequest request{kAdvertiser, "https://cdn.example/v.mp4", "v.mp4"};
  absl::StatusOr<VideoUploadResult> result = client->UploadVideoByUrl(kToken, request);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(server_.CountTo("file/video/ad/upload/"), 1);
  EXPECT_TRUE(absl::StrContains(result.status().message(), "may have taken effect"));
}

TEST_F(ClientTest, UploadsAreResentAfterARateLimitRefusal) {
  server_.Script("file/video/ad/upload/",
                 {ScriptedResponse::Envelope(40100),
                  ScriptedResponse::Envelope(0, R"([{"video_id":"v-9","displayable":true}])")});
  auto client = Client();
  VideoUploadByUrlRequest request{kAdvertiser, "https://cdn.example/v.mp4", "v.mp4"};
  absl::StatusOr<VideoUploadResult> result = client->UploadVideoByUrl(kToken, request);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->video.video_id, "v-9");
  EXPECT_EQ(server_.CountTo("file/video/ad/upload/"), 2);
}

TEST_F(ClientTest, NonIdempotentCallsAreRetriedWhenNothingWasSent) {
  TikTokClientConfig config = Config();
  config.base_url = "http://127.0.0.1:1/open_api";  // nothing listens: connect fails
  auto client = Client(config);
  absl::StatusOr<AccessTokenResult> result = client->ExchangeAuthCode("code-1");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(TikTokErrorOf(result.status())->reason, "TRANSPORT");
  EXPECT_EQ(Logs().size(), 4u);  // every attempt provably never left
}

// ---- transport: connection reuse, headers, logs ----

TEST_F(ClientTest, ConnectionsAreReused) {
  server_.Script("campaign/get/", {ScriptedResponse::Envelope(0, R"({"list":[]})")});
  auto client = Client();
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(client->GetCampaigns(kToken, {.advertiser_id = kAdvertiser}).ok());
  }
  EXPECT_EQ(server_.CountTo("campaign/get/"), 20);
  EXPECT_EQ(server_.ConnectionCount(), 1u);
  int64_t new_connections = 0;
  for (const CallLogRecord& log : Logs()) new_connections += log.new_connections;
  EXPECT_EQ(new_connections, 1);
}

TEST_F(ClientTest, ConcurrentCallersShareAFewConnections) {
  server_.Script("campaign/get/", {ScriptedResponse::Envelope(0, R"({"list":[]})")});
  auto client = Client();
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        if (!client->GetCampaigns(kToken, {.advertiser_id = kAdvertiser}).ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(server_.CountTo("campaign/get/"), 40);
  EXPECT_LE(server_.ConnectionCount(), 4u);
}

TEST_F(ClientTest, AccessTokenHeaderIsSentAndSecretsAreNeverLogged) {
  server_.Script("oauth2/advertiser/get/",
                 {ScriptedResponse::Envelope(
                     0, R"({"list":[{"advertiser_id":"7012345678901234567","advertiser_name":"A"}]})")});
  server_.Script("campaign/get/", {ScriptedResponse::Envelope(40100), ScriptedResponse::Envelope(0)});
  auto client = Client();
  absl::StatusOr<AuthorizedAdvertisersResult> advertisers = client->GetAuthorizedAdvertisers(kToken);
  ASSERT_TRUE(advertisers.ok()) << advertisers.status();
  EXPECT_EQ(advertisers->advertisers[0].advertiser_name, "A");
  ASSERT_TRUE(client->GetCampaigns(kToken, {.advertiser_id = kAdvertiser}).ok());
  for (const RecordedRequest& r : server_.Requests()) {
    EXPECT_EQ(r.Header("Access-Token"), kToken);
    EXPECT_EQ(r.Header("Authorization"), "");
  }
  const RecordedRequest oauth = server_.RequestsTo("oauth2/advertiser/get/")[0];
  EXPECT_EQ(oauth.params.at("app_id"), "app-1");
  EXPECT_EQ(oauth.params.at("secret"), kAppSecret);
  const std::vector<CallLogRecord> logs = Logs();
  ASSERT_EQ(logs.size(), 3u);
  for (const CallLogRecord& log : logs) {
    for (const auto& [key, value] : log.Fields()) {
      EXPECT_FALSE(absl::StrContains(value, kToken)) << key;
      EXPECT_FALSE(absl::StrContains(value, kAppSecret)) << key;
    }
  }
  EXPECT_EQ(logs[0].path, "oauth2/advertiser/get/");
  EXPECT_EQ(logs[0].request_id, "req-1");
  EXPECT_EQ(logs[1].advertiser_id, kAdvertiser);
}

TEST_F(ClientTest, TokenExchangeSendsNoTokenHeader) {
  server_.Script("oauth2/access_token/",
                 {ScriptedResponse::Envelope(
                     0, R"({"access_token":"act.new","advertiser_ids":[7012345678901234567],"scope":[1,2,4]})")});
  auto client = Client();
  absl::StatusOr<AccessTokenResult> result = client->ExchangeAuthCode("auth-code-1");
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->access_token, "act.new");
  EXPECT_EQ(result->advertiser_ids, (std::vector<std::string>{kAdvertiser}));
  EXPECT_EQ(result->scope, (std::vector<int64_t>{1, 2, 4}));
  const RecordedRequest r = server_.RequestsTo("oauth2/access_token/")[0];
  EXPECT_EQ(r.Header("Access-Token"), "");
  absl::StatusOr<JsonValue> body = ParseJson(r.body);
  EXPECT_EQ(ReadStringField(&*body, "auth_code"), "auth-code-1");
  EXPECT_EQ(ReadStringField(&*body, "secret"), kAppSecret);
}

TEST_F(ClientTest, RevokingAnInvalidTokenCountsAsRevoked) {
  server_.Script("oauth2/revoke_token/", {ScriptedResponse::Envelope(40105, "{}", "invalid")});
  auto client = Client();
  absl::StatusOr<RevokeTokenResult> result = client->RevokeToken(kToken);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->already_invalid);
  EXPECT_EQ(server_.RequestsTo("oauth2/revoke_token/")[0].Header("Access-Token"), "");
}

// ---- paging and batching ----

TEST_F(ClientTest, PaginationReadsEveryPage) {
  server_.Handle("campaign/get/", [](const RecordedRequest& r) {
    const int page = std::stoi(r.params.at("page"));
    const int page_size = std::stoi(r.params.at("page_size"));
    const int total = 5;
    std::string list;
    for (int i = (page - 1) * page_size; i < std::min(total, page * page_size); ++i) {
      absl::StrAppend(&list, list.empty() ? "" : ",",
                      R"({"campaign_id":)", 1800000000000000000 + i, R"(,"budget":"-"})");
    }
    return ScriptedResponse::Envelope(
        0, absl::StrCat(R"({"list":[)", list, R"(],"page_info":{"page":)", page,
                        R"(,"page_size":)", page_size, R"(,"total_number":5,"total_page":3}})"));
  });
  auto client = Client();
  absl::StatusOr<std::vector<Campaign>> result =
      client->GetCampaigns(kToken, {.advertiser_id = kAdvertiser, .page_size = 2});
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->size(), 5u);
  EXPECT_EQ((*result)[4].campaign_id, "1800000000000000004");
  EXPECT_FALSE((*result)[0].budget.has_value());
  EXPECT_EQ(server_.CountTo("campaign/get/"), 3);
}

TEST_F(ClientTest, IdFiltersAndStatusUpdatesAreBatched) {
  server_.Script("campaign/get/", {ScriptedResponse::Envelope(0, R"({"list":[]})")});
  server_.Handle("campaign/status/update/", [](const RecordedRequest& r) {
    absl::StatusOr<JsonValue> body = ParseJson(r.body);
    return ScriptedResponse::Envelope(
        0, absl::StrCat(R"({"campaign_ids":)", FieldOf(&*body, "campaign_ids")->ToJson(),
                        R"(,"status":"DISABLE"})"));
  });
  auto client = Client();
  std::vector<std::string> ids;
  for (int i = 0; i < 250; ++i) ids.push_back(absl::StrCat(1800000000000000000 + i));
  ASSERT_TRUE(client->GetCampaigns(kToken, {.advertiser_id = kAdvertiser, .campaign_ids = ids}).ok());
  std::vector<size_t> sizes;
  for (const RecordedRequest& r : server_.RequestsTo("campaign/get/")) {
    absl::StatusOr<JsonValue> filtering = ParseJson(r.params.at("filtering"));
    ASSERT_TRUE(filtering.ok());
    sizes.push_back(ReadIdsField(&*filtering, "campaign_ids").size());
  }
  EXPECT_EQ(sizes, (std::vector<size_t>{100, 100, 50}));

  std::vector<std::string> some(ids.begin(), ids.begin() + 45);
  absl::StatusOr<StatusUpdateResult> updated =
      client->UpdateCampaignStatus(kToken, kAdvertiser, some, "DISABLE");
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->ids.size(), 45u);
  EXPECT_EQ(updated->status, "DISABLE");
  sizes.clear();
  for (const RecordedRequest& r : server_.RequestsTo("campaign/status/update/")) {
    absl::StatusOr<JsonValue> body = ParseJson(r.body);
    sizes.push_back(FieldOf(&*body, "campaign_ids")->items().size());
    EXPECT_EQ(ReadStringField(&*body, "operation_status"), "DISABLE");
  }
  EXPECT_EQ(sizes, (std::vector<size_t>{20, 20, 5}));
}

TEST_F(ClientTest, PartialSuccessOfAdGroupStatusUpdate) {
  server_.Script("adgroup/status/update/",
                 {ScriptedResponse::Envelope(
                     20001, R"({"adgroup_ids":["1"],"status":"DISABLE",)"
                            R"("error_list":[{"adgroup_id":2,"error_message":"RF ad group"}]})",
                     "Partial success")});
  auto client = Client();
  absl::StatusOr<StatusUpdateResult> result =
      client->UpdateAdGroupStatus(kToken, kAdvertiser, {"1", "2"}, "DISABLE", true);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->partial);
  EXPECT_EQ(result->ids, (std::vector<std::string>{"1"}));
  ASSERT_EQ(result->errors.size(), 1u);
  EXPECT_EQ(result->errors[0].id, "2");
  absl::StatusOr<JsonValue> body = ParseJson(server_.RequestsTo("adgroup/status/update/")[0].body);
  EXPECT_TRUE(ReadBoolField(&*body, "allow_partial_success"));
}

TEST_F(ClientTest, IdentitiesPixelsAndAdGroupsReadTheirListKeys) {
  server_.Script("identity/get/",
                 {ScriptedResponse::Envelope(
                     0, R"({"identity_list":[{"identity_id":"i1","identity_type":"TT_USER",)"
                        R"("can_push_video":true}],"page_info":{"page":1,"total_page":1}})")});
  server_.Script("pixel/list/",
                 {ScriptedResponse::Envelope(
                     0, R"({"pixels":[{"pixel_id":7100000000000000001,"pixel_code":"C1",)"
                        R"("events":[{"optimization_event":"FORM"}]}],"page_info":{"page":1,"total_page":1}})")});
  server_.Script("adgroup/get/",
                 {ScriptedResponse::Envelope(
                     0, R"({"list":[{"adgroup_id":1800000000000000999,"budget":2500,)"
                        R"("location_ids":[1522867]}],"page_info":{"page":1,"total_page":1}})")});
  auto client = Client();
  absl::StatusOr<std::vector<Identity>> identities =
      client->GetIdentities(kToken, {.advertiser_id = kAdvertiser});
  ASSERT_TRUE(identities.ok()) << identities.status();
  ASSERT_EQ(identities->size(), 1u);
  EXPECT_TRUE((*identities)[0].can_push_video);
  EXPECT_EQ(server_.RequestsTo("identity/get/")[0].params.at("page_size"), "100");
  absl::StatusOr<std::vector<Pixel>> pixels = client->ListPixels(kToken, kAdvertiser);
  ASSERT_TRUE(pixels.ok()) << pixels.status();
  ASSERT_EQ(pixels->size(), 1u);
  EXPECT_EQ((*pixels)[0].pixel_id, "7100000000000000001");
  EXPECT_EQ((*pixels)[0].events[0].optimization_event, "FORM");
  EXPECT_EQ(server_.RequestsTo("pixel/list/")[0].params.at("page_size"), "20");
  absl::StatusOr<std::vector<AdGroup>> adgroups = client->GetAdGroups(
      kToken, {.advertiser_id = kAdvertiser, .campaign_ids = {"1800000000000000123"}});
  ASSERT_TRUE(adgroups.ok()) << adgroups.status();
  EXPECT_EQ((*adgroups)[0].location_ids, (std::vector<std::string>{"1522867"}));
  EXPECT_DOUBLE_EQ(*(*adgroups)[0].budget, 2500);
  // Two id filters of more than 100 ids cannot be split consistently.
  std::vector<std::string> many;
  for (int i = 0; i < 101; ++i) many.push_back(absl::StrCat(i + 1));
  EXPECT_EQ(client
                ->GetAds(kToken, {.advertiser_id = kAdvertiser, .campaign_ids = many,
                                  .adgroup_ids = many})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

// ---- reports ----

TEST_F(ClientTest, ReportReadsEveryPageWithLenientMetrics) {
  server_.Handle("report/integrated/get/", [](const RecordedRequest& r) {
    const int page = std::stoi(r.params.at("page"));
    const std::string row = absl::StrCat(
        R"({"dimensions":{"ad_id":)", 1900000000000000000 + page,
        R"(,"stat_time_day":"2024-01-0)", page,
        R"( 00:00:00"},"metrics":{"spend":"20.00","impressions":5830,"conversion":"-",)"
        R"("reach":null,"campaign_name":"Spring","adgroup_id":"1800000000000000999"}})");
    return ScriptedResponse::Envelope(
        0, absl::StrCat(R"({"list":[)", row, R"(],"page_info":{"page":)", page,
                        R"(,"page_size":1000,"total_number":2,"total_page":2}})"));
  });
  auto client = Client();
  ReportQuery query;
  query.advertiser_id = kAdvertiser;
  query.data_level = "AUCTION_AD";
  query.dimensions = {"ad_id", "stat_time_day"};
  query.metrics = {"spend", "impressions", "conversion", "reach", "campaign_name", "adgroup_id"};
  query.start_date = "2024-01-01";
  query.end_date = "2024-01-02";
  query.filtering = {ReportFilter::In("campaign_ids", {"111", "222"})};
  absl::StatusOr<ReportResult> report = client->GetReport(kToken, query);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->rows.size(), 2u);
  const ReportRow& row = report->rows[1];
  EXPECT_EQ(row.Dimension("ad_id"), "1900000000000000002");
  EXPECT_EQ(row.Dimension("stat_time_day"), "2024-01-02 00:00:00");
  EXPECT_DOUBLE_EQ(row.NumberOr0("spend"), 20);
  EXPECT_DOUBLE_EQ(row.NumberOr0("impressions"), 5830);
  EXPECT_FALSE(row.Number("conversion").has_value());
  EXPECT_EQ(row.Text("campaign_name"), "Spring");
  EXPECT_EQ(row.Text("adgroup_id"), "1800000000000000999");

  const RecordedRequest first = server_.RequestsTo("report/integrated/get/")[0];
  EXPECT_EQ(first.method, "GET");
  EXPECT_EQ(first.params.at("report_type"), "BASIC");
  EXPECT_EQ(first.params.at("data_level"), "AUCTION_AD");
  EXPECT_EQ(first.params.at("dimensions"), R"(["ad_id","stat_time_day"])");
  EXPECT_EQ(first.params.at("start_date"), "2024-01-01");
  EXPECT_EQ(first.params.at("page_size"), "1000");
  EXPECT_EQ(first.params.at("filtering"),
            R"([{"field_name":"campaign_ids","filter_type":"IN","filter_value":"[\"111\",\"222\"]"}])");
}

TEST_F(ClientTest, ReportFilterOfManyIdsIsSplit) {
  server_.Script("report/integrated/get/", {ScriptedResponse::Envelope(0, R"({"list":[]})")});
  auto client = Client();
  std::vector<std::string> ids;
  for (int i = 0; i < 150; ++i) ids.push_back(absl::StrCat(i + 1));
  ReportQuery query;
  query.advertiser_id = kAdvertiser;
  query.data_level = "AUCTION_CAMPAIGN";
  query.dimensions = {"campaign_id"};
  query.start_date = query.end_date = "2024-01-01";
  query.filtering = {ReportFilter::In("campaign_ids", ids)};
  ASSERT_TRUE(client->GetReport(kToken, query).ok());
  EXPECT_EQ(server_.CountTo("report/integrated/get/"), 2);
  query.dimensions = {"stat_time_day"};
  EXPECT_EQ(client->GetReport(kToken, query).status().code(), absl::StatusCode::kInvalidArgument);
}

// ---- uploads, files, leads, lookups, raw ----

TEST_F(ClientTest, VideoUploadByFileIsMultipartWithMd5) {
  server_.Script("file/video/ad/upload/",
                 {ScriptedResponse::Envelope(0, R"({"video_id":"v-1","file_name":"clip.mp4"})")});
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / "ttads_tiktok_client_test_clip.mp4";
  const std::string content = std::string(70000, 'x') + "end";
  std::ofstream(path, std::ios::binary) << content;
  auto client = Client();
  VideoUploadByFileRequest request;
  request.advertiser_id = kAdvertiser;
  request.source.file_path = path.string();
  request.source.content_type = "video/mp4";
  request.file_name = "clip.mp4";
  absl::StatusOr<VideoUploadResult> result = client->UploadVideoByFile(kToken, request);
  std::filesystem::remove(path);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->video.video_id, "v-1");  // data as one object is accepted too
  const RecordedRequest r = server_.RequestsTo("file/video/ad/upload/")[0];
  EXPECT_TRUE(absl::StartsWith(r.Header("Content-Type"), "multipart/form-data"));
  std::map<std::string, testing::RecordedFile> parts;
  for (const testing::RecordedFile& f : r.files) parts[f.name] = f;
  EXPECT_EQ(parts.at("advertiser_id").content, kAdvertiser);
  EXPECT_EQ(parts.at("upload_type").content, "UPLOAD_BY_FILE");
  EXPECT_EQ(parts.at("file_name").content, "clip.mp4");
  EXPECT_EQ(parts.at("video_signature").content, Md5Hex(content));
  EXPECT_EQ(parts.at("video_file").content, content);
  EXPECT_EQ(parts.at("video_file").file_name, "clip.mp4");
  EXPECT_EQ(parts.at("video_file").content_type, "video/mp4");
}

TEST_F(ClientTest, ImageUploadFromMemory) {
  server_.Script("file/image/ad/upload/",
                 {ScriptedResponse::Envelope(0, R"({"image_id":"ad-site-i18n-sg/abc","width":720})")});
  auto client = Client();
  ImageUploadRequest request;
  request.advertiser_id = kAdvertiser;
  request.source = UploadSource{"", "PNGDATA", "cover.png", "image/png"};
  absl::StatusOr<ImageUploadResult> result = client->UploadImage(kToken, request);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->image.image_id, "ad-site-i18n-sg/abc");
  EXPECT_EQ(result->image.width, 720);
  const RecordedRequest r = server_.RequestsTo("file/image/ad/upload/")[0];
  std::map<std::string, std::string> parts;
  for (const testing::RecordedFile& f : r.files) parts[f.name] = f.content;
  EXPECT_EQ(parts.at("image_signature"), Md5Hex("PNGDATA"));
  EXPECT_EQ(parts.at("image_file"), "PNGDATA");
}

TEST_F(ClientTest, VideoInfoIsBatchedBy60) {
  server_.Script("file/video/ad/info/",
                 {ScriptedResponse::Envelope(0, R"({"list":[{"video_id":"v","duration":"12.5"}]})")});
  auto client = Client();
  std::vector<std::string> ids;
  for (int i = 0; i < 61; ++i) ids.push_back(absl::StrCat("v", i));
  absl::StatusOr<std::vector<VideoInfo>> videos = client->GetVideoInfo(kToken, kAdvertiser, ids);
  ASSERT_TRUE(videos.ok()) << videos.status();
  EXPECT_EQ(videos->size(), 2u);
  EXPECT_DOUBLE_EQ(*(*videos)[0].duration, 12.5);
  EXPECT_EQ(server_.CountTo("file/video/ad/info/"), 2);
  EXPECT_TRUE(absl::StartsWith(server_.RequestsTo("file/video/ad/info/")[0].params.at("video_ids"),
                               R"(["v0","v1",)"));
}

TEST_F(ClientTest, LeadTaskAndDownload) {
  server_.Script("page/lead/task/",
                 {ScriptedResponse::Envelope(0, R"({"task_id":123456789,"status":"SUCCEED"})")});
  ScriptedResponse csv;
  csv.body = "lead_id,email\n1,a@example.com\n";
  csv.content_type = "application/octet-stream";
  csv.headers = {{"Content-Disposition", "attachment; filename=\"leads.csv\""}};
  server_.Script("page/lead/task/download/", {ScriptedResponse::Envelope(40201, "{}", "not ready"), csv});
  auto client = Client();
  absl::StatusOr<LeadTask> task =
      client->CreateLeadTask(kToken, {.advertiser_id = kAdvertiser, .page_id = "p1"});
  ASSERT_TRUE(task.ok()) << task.status();
  EXPECT_EQ(task->task_id, "123456789");
  absl::StatusOr<LeadFile> file = client->DownloadLeadTask(kToken, kAdvertiser, task->task_id);
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->bytes, "lead_id,email\n1,a@example.com\n");
  EXPECT_EQ(file->file_name, "leads.csv");
  EXPECT_EQ(server_.CountTo("page/lead/task/download/"), 2);  // 40201 = poll again
}

TEST_F(ClientTest, RegionsAndInstantPages) {
  server_.Script("tool/region/",
                 {ScriptedResponse::Envelope(
                     0, R"({"region_list":["KZ"],"region_info":[{"location_id":1522867,)"
                        R"("name":"Kazakhstan","region_code":"KZ","level":"COUNTRY"}]})")});
  server_.Script("page/get/",
                 {ScriptedResponse::Envelope(
                     0, R"({"list":[{"page_id":7200000000000000001,"title":"Form","status":"PUBLISHED"}],)"
                        R"("page_info":{"page":1,"total_page":1}})")});
  auto client = Client();
  absl::StatusOr<RegionResult> regions =
      client->SearchRegions(kToken, {.advertiser_id = kAdvertiser, .objective_type = "TRAFFIC"});
  ASSERT_TRUE(regions.ok()) << regions.status();
  EXPECT_EQ(regions->regions[0].location_id, "1522867");
  EXPECT_EQ(server_.RequestsTo("tool/region/")[0].params.at("placements"), R"(["PLACEMENT_TIKTOK"])");
  absl::StatusOr<std::vector<InstantPage>> pages =
      client->ListInstantPages(kToken, {.advertiser_id = kAdvertiser});
  ASSERT_TRUE(pages.ok()) << pages.status();
  EXPECT_EQ((*pages)[0].page_id, "7200000000000000001");
  EXPECT_EQ(server_.RequestsTo("page/get/")[0].params.at("business_type"), "LEAD_GEN");
}

TEST_F(ClientTest, CallRawReturnsTheEnvelopeAsReceived) {
  const std::string body =
      R"({"code":40002,"message":"bad","request_id":"r-raw","data":{"n":7012345678901234567}})";
  ScriptedResponse response;
  response.body = body;
  server_.Script("tool/region/", {response});
  server_.Script("campaign/get/", {ScriptedResponse::Html(502)});
  auto client = Client();
  absl::StatusOr<RawCallResult> raw = client->CallRaw(
      HttpMethod::kGet, "tool/region", kToken,
      {{"advertiser_id", kAdvertiser}, {"placements", {"PLACEMENT_TIKTOK"}}});
  ASSERT_TRUE(raw.ok()) << raw.status();
  EXPECT_EQ(raw->body, body);
  EXPECT_EQ(raw->code, 40002);
  EXPECT_EQ(raw->request_id, "r-raw");
  EXPECT_EQ(server_.RequestsTo("tool/region/")[0].params.at("placements"), R"(["PLACEMENT_TIKTOK"])");
  absl::StatusOr<RawCallResult> failed =
      client->CallRaw(HttpMethod::kGet, "campaign/get/", kToken, Params::object());
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(server_.CountTo("campaign/get/"), 4);  // retried, then no envelope to hand back
}

TEST_F(ClientTest, TheClientSideRateLimiterSpacesCalls) {
  server_.Script("campaign/get/", {ScriptedResponse::Envelope(0, R"({"list":[]})")});
  TikTokClientConfig config = Config();
  config.rate_limit.app_qps = 20;
  auto client = Client(config);
  const absl::Time start = absl::Now();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(client->GetCampaigns(kToken, {.advertiser_id = kAdvertiser}).ok());
  }
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(190));
  // The spacing shows as waits in the call log; how long they are depends on how long the calls
  // themselves took on a busy machine, so only their presence is asserted.
  absl::Duration waited;
  for (const CallLogRecord& log : Logs()) waited += log.rate_limit_wait;
  EXPECT_GT(waited, absl::ZeroDuration());
}

}  // namespace
}  // namespace ttads::tiktok
