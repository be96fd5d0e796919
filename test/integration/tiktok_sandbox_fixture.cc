#include "test/integration/tiktok_sandbox_fixture.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"

namespace ttads::integration {

using sandbox::Json;

void TikTokSandboxTest::SetUp() {
  sandbox::SandboxOptions options;
  options.seed_file = TTADS_SANDBOX_DEMO_SEED;
  options.config.app_qps = 0;
  options.config.endpoint_qps.clear();
  options.config.advertiser_qps = 0;
  options.clock_start = absl::FromUnixSeconds(absl::ToUnixSeconds(absl::Now()));
  options.freeze_clock = true;
  Configure(options);
  absl::StatusOr<int> port = sandbox_.Start(options);
  ASSERT_TRUE(port.ok()) << port.status();
  base_url_ = sandbox_.BaseUrl();
  control_url_ = absl::StrCat("http://127.0.0.1:", *port, "/_sandbox/");

  tiktok::CurlTransportOptions transport_options;
  transport_options.connect_timeout = absl::Seconds(2);
  transport_options.timeout = absl::Seconds(10);
  absl::StatusOr<std::unique_ptr<tiktok::CurlTransport>> transport =
      tiktok::CurlTransport::Create(transport_options);
  ASSERT_TRUE(transport.ok()) << transport.status();
  control_transport_ = *std::move(transport);
  client_ = MakeClient(ClientConfig());
  ASSERT_NE(client_, nullptr);
}

void TikTokSandboxTest::TearDown() {
  client_.reset();
  control_transport_.reset();
  sandbox_.Stop();
}

tiktok::TikTokClientConfig TikTokSandboxTest::ClientConfig() const {
  tiktok::TikTokClientConfig config;
  config.base_url = base_url_;
  config.app_id = kApp;
  config.app_secret = kAppSecret;
  config.connect_timeout = absl::Seconds(1);
  config.request_timeout = absl::Seconds(3);
  config.upload_timeout = absl::Seconds(3);
  config.upload_timeout_per_mb = absl::Seconds(1);
  config.retry.base_delay = absl::Milliseconds(5);
  config.retry.max_delay = absl::Milliseconds(40);
  config.retry.max_attempts = 5;
  config.retry.limited_max_attempts = 3;
  config.retry.rate_limit_min_delay = absl::Milliseconds(10);
  config.retry.deadline = absl::Seconds(8);
  config.rate_limit.app_qps = 0;
  config.rate_limit.path_qps.clear();
  config.rate_limit.advertiser_qps = 0;
  config.rate_limit.max_wait = absl::Seconds(10);
  return config;
}

std::unique_ptr<tiktok::TikTokClient> TikTokSandboxTest::MakeClient(
    tiktok::TikTokClientConfig config) {
  tiktok::TikTokClientDeps deps;
  deps.rate_limiter = std::make_shared<tiktok::RateLimiter>(config.rate_limit);
  deps.logger = [this](const tiktok::CallLogRecord& record) {
    absl::MutexLock lock(&client_log_mutex_);
    client_log_.push_back(record);
  };
  absl::StatusOr<std::unique_ptr<tiktok::TikTokClient>> client =
      tiktok::TikTokClient::Create(std::move(config), std::move(deps));
  EXPECT_TRUE(client.ok()) << client.status();
  if (!client.ok()) return nullptr;
  return *std::move(client);
}

Json TikTokSandboxTest::Control(tiktok::HttpMethod method, const std::string& path,
                                const Json& body) {
  tiktok::HttpRequest request;
  request.method = method;
  request.url = control_url_ + path;
  if (method == tiktok::HttpMethod::kPost) {
    request.body = body.is_null() ? "{}" : body.dump();
    request.content_type = "application/json";
  }
  tiktok::HttpCallInfo info;
  absl::StatusOr<tiktok::HttpResponse> response = control_transport_->Send(request, &info);
  EXPECT_TRUE(response.ok()) << path << ": " << response.status();
  if (!response.ok()) return nullptr;
  EXPECT_EQ(response->status, 200) << path << ": " << response->body;
  std::optional<Json> json = sandbox::ParseJson(response->body);
  EXPECT_TRUE(json.has_value()) << path << ": " << response->body;
  return json.value_or(Json());
}

std::string TikTokSandboxTest::RawRequestLog() {
  tiktok::HttpRequest request;
  request.url = control_url_ + "requests";
  tiktok::HttpCallInfo info;
  absl::StatusOr<tiktok::HttpResponse> response = control_transport_->Send(request, &info);
  EXPECT_TRUE(response.ok()) << response.status();
  if (!response.ok()) return "";
  EXPECT_EQ(response->status, 200);
  return response->body;
}

void TikTokSandboxTest::AddFault(const std::string& spec) {
  Json answer = Control(tiktok::HttpMethod::kPost, "faults", Json{{"spec", spec}});
  ASSERT_TRUE(answer.contains("ids")) << spec << ": " << answer.dump();
  ASSERT_EQ(answer["ids"].size(), 1u) << spec;
}

std::vector<sandbox::RequestLogEntry> TikTokSandboxTest::Log(const std::string& endpoint) const {
  return sandbox_.RequestLog(endpoint);
}

int TikTokSandboxTest::CountCode(const std::vector<sandbox::RequestLogEntry>& entries, int code) {
  int n = 0;
  for (const sandbox::RequestLogEntry& entry : entries) {
    if (entry.code.has_value() && *entry.code == code) ++n;
  }
  return n;
}

std::vector<sandbox::RequestLogEntry> TikTokSandboxTest::WaitForLog(const std::string& endpoint,
                                                                    size_t count,
                                                                    absl::Duration timeout) {
  const absl::Time until = absl::Now() + timeout;
  std::vector<sandbox::RequestLogEntry> entries = Log(endpoint);
  while (entries.size() < count && absl::Now() < until) {
    absl::SleepFor(absl::Milliseconds(10));
    entries = Log(endpoint);
  }
  return entries;
}

std::vector<tiktok::CallLogRecord> TikTokSandboxTest::ClientLog() {
  absl::MutexLock lock(&client_log_mutex_);
  return client_log_;
}

tiktok::CampaignCreateRequest TikTokSandboxTest::CampaignRequest(const std::string& name,
                                                                 double budget) {
  tiktok::CampaignCreateRequest request;
  request.advertiser_id = kUs;
  request.campaign_name = name;
  request.objective_type = "TRAFFIC";
  request.budget_mode = "BUDGET_MODE_DAY";
  request.budget = budget;
  return request;
}

tiktok::AdGroupCreateRequest TikTokSandboxTest::AdGroupRequest(const std::string& campaign_id,
                                                               const std::string& name,
                                                               double budget) {
  tiktok::AdGroupCreateRequest request;
  request.advertiser_id = kUs;
  request.campaign_id = campaign_id;
  request.adgroup_name = name;
  request.budget_mode = "BUDGET_MODE_DAY";
  request.budget = budget;
  request.schedule_type = "SCHEDULE_FROM_NOW";
  request.schedule_start_time = SandboxNowText();
  request.optimization_goal = "CLICK";
  request.billing_event = "CPC";
  request.bid_type = "BID_TYPE_NO_BID";
  request.pacing = "PACING_MODE_SMOOTH";
  request.placement_type = "PLACEMENT_TYPE_NORMAL";
  request.placements = {"PLACEMENT_TIKTOK"};
  request.location_ids = {"6252001"};
  request.promotion_type = "WEBSITE";
  return request;
}

tiktok::AdCreative TikTokSandboxTest::VideoCreative(const std::string& name,
                                                    const std::string& video_id,
                                                    const std::string& image_id) {
  tiktok::AdCreative creative;
  creative.ad_name = name;
  creative.ad_format = "SINGLE_VIDEO";
  creative.video_id = video_id;
  creative.image_ids = {image_id};
  creative.ad_text = "Integration test ad";
  creative.call_to_action = "LEARN_MORE";
  creative.landing_page_url = "https://example.com/landing";
  creative.identity_type = "TT_USER";
  creative.identity_id = kUsIdentity;
  return creative;
}

std::string TikTokSandboxTest::NewCampaign(const std::string& name, double budget) {
  absl::StatusOr<tiktok::CampaignCreateResult> created =
      client().CreateCampaign(kToken, CampaignRequest(name, budget));
  EXPECT_TRUE(created.ok()) << created.status();
  return created.ok() ? created->campaign_id : "";
}

std::string TikTokSandboxTest::NewAdGroup(const std::string& campaign_id, const std::string& name,
                                          double budget) {
  absl::StatusOr<tiktok::AdGroupCreateResult> created =
      client().CreateAdGroup(kToken, AdGroupRequest(campaign_id, name, budget));
  EXPECT_TRUE(created.ok()) << created.status();
  return created.ok() ? created->adgroup_id : "";
}

std::vector<tiktok::Ad> TikTokSandboxTest::AdsOf(const std::string& adgroup_id) {
  tiktok::AdQuery query;
  query.advertiser_id = kUs;
  query.adgroup_ids = {adgroup_id};
  absl::StatusOr<std::vector<tiktok::Ad>> ads = client().GetAds(kToken, query);
  EXPECT_TRUE(ads.ok()) << ads.status();
  return ads.ok() ? *ads : std::vector<tiktok::Ad>();
}

std::string TikTokSandboxTest::SandboxNowText() const {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", sandbox_.Now(), absl::UTCTimeZone());
}

std::string TikTokSandboxTest::SandboxDay(const std::string& zone, int offset_days) const {
  absl::TimeZone tz;
  EXPECT_TRUE(absl::LoadTimeZone(zone, &tz)) << zone;
  const absl::CivilDay day = absl::ToCivilDay(sandbox_.Now(), tz) + offset_days;
  return absl::FormatCivilTime(day);
}

namespace {

std::string BigEndian32(uint32_t value) {
  std::string out(4, '\0');
  for (int i = 3; i >= 0; --i) {
    out[static_cast<size_t>(i)] = static_cast<char>(value & 0xFF);
    value >>= 8;
  }
  return out;
}

}  // namespace

std::string TinyMp4(int seconds) {
  std::string ftyp = BigEndian32(20) + "ftypisom" + BigEndian32(0x200) + "isom";
  // mvhd version 0: version/flags, creation, modification, timescale, duration.
  std::string mvhd_body = std::string(4, '\0') + BigEndian32(0) + BigEndian32(0) +
                          BigEndian32(1000) + BigEndian32(static_cast<uint32_t>(seconds) * 1000) +
                          std::string(80, '\0');
  std::string mvhd = BigEndian32(static_cast<uint32_t>(8 + mvhd_body.size())) + "mvhd" + mvhd_body;
  std::string moov = BigEndian32(static_cast<uint32_t>(8 + mvhd.size())) + "moov" + mvhd;
  std::string mdat = BigEndian32(8 + 64) + "mdat" + std::string(64, '\x42');
  return ftyp + moov + mdat;
}

std::string TinyPng(int width, int height) {
  std::string png = "\x89PNG\r\n\x1a\n";
  std::string ihdr = BigEndian32(static_cast<uint32_t>(width)) +
                     BigEndian32(static_cast<uint32_t>(height)) + std::string("\x08\x02\x00\x00\x00", 5);
  png += BigEndian32(13) + "IHDR" + ihdr + BigEndian32(0);  // CRC is not checked
  png += BigEndian32(0) + "IEND" + BigEndian32(0xAE426082);
  return png;
}

}  // namespace ttads::integration
