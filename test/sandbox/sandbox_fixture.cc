#include "test/sandbox/sandbox_fixture.h"

#include <cmath>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace ttads::sandbox::testing {

std::string FixtureSeed() {
  Json seed = {
      {"metrics_seed", 99},
      {"apps", {{{"app_id", kApp}, {"secret", kAppSecret}}}},
      {"advertisers",
       {{{"advertiser_id", kKz},
         {"name", "KZ advertiser"},
         {"currency", "KZT"},
         {"timezone", "Asia/Almaty"},
         {"balance", 100000}},
        {{"advertiser_id", kUs},
         {"name", "US advertiser"},
         {"currency", "USD"},
         {"timezone", "America/New_York"},
         {"balance", 1000}}}},
      {"tokens",
       {{{"access_token", kToken}, {"app_id", kApp}, {"advertiser_ids", {kKz, kUs}}},
        {{"access_token", kKzOnlyToken}, {"app_id", kApp}, {"advertiser_ids", {kKz}}}}},
      {"auth_codes",
       {{{"auth_code", kAuthCode}, {"app_id", kApp}, {"advertiser_ids", {kKz, kUs}}}}},
      {"identities",
       {{{"identity_id", kKzIdentity},
         {"advertiser_id", kKz},
         {"identity_type", "TT_USER"},
         {"display_name", "KZ user"}},
        {{"identity_id", kUsIdentity},
         {"advertiser_id", kUs},
         {"identity_type", "TT_USER"},
         {"display_name", "US user"}},
        {{"identity_id", "7300000000000000003"},
         {"advertiser_id", kUs},
         {"identity_type", "BC_AUTH_TT"},
         {"identity_authorized_bc_id", "7350000000000000001"},
         {"display_name", "US BC user"}}}},
      {"pixels",
       {{{"pixel_id", "7500000000000000002"},
         {"advertiser_id", kUs},
         {"pixel_code", "CTESTPIXEL"},
         {"pixel_name", "US pixel"}}}},
      {"pages", {{{"page_id", kKzPage}, {"advertiser_id", kKz}, {"title", "Lead form KZ"}}}},
      {"videos",
       {{{"video_id", kUsVideo}, {"advertiser_id", kUs}},
        {{"video_id", kKzVideo}, {"advertiser_id", kKz}}}},
      {"images",
       {{{"image_id", kUsImage}, {"advertiser_id", kUs}},
        {{"image_id", kKzImage}, {"advertiser_id", kKz}}}}};
  return seed.dump();
}

void SandboxTest::SetUp() {
  SandboxOptions options;
  options.config.app_qps = 0;
  options.config.endpoint_qps.clear();
  options.clock_start = FixtureNow();
  options.freeze_clock = true;
  options.seed_json = FixtureSeed();
  Configure(options);
  absl::StatusOr<int> port = sandbox_.Start(options);
  ASSERT_TRUE(port.ok()) << port.status();
  port_ = *port;
  client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
  client_->set_read_timeout(10, 0);
}

void SandboxTest::TearDown() {
  client_.reset();
  sandbox_.Stop();
}

httplib::Params EncodeParams(const Json& params) {
  httplib::Params out;
  for (auto it = params.begin(); it != params.end(); ++it) {
    out.emplace(it.key(),
                it.value().is_string() ? it.value().get<std::string>() : it.value().dump());
  }
  return out;
}

httplib::Result SandboxTest::RawGet(const std::string& path, const Json& params,
                                    const std::string& token) {
  httplib::Headers headers;
  if (!token.empty()) headers.emplace("Access-Token", token);
  return client_->Get(path.c_str(), EncodeParams(params), headers);
}

httplib::Result SandboxTest::RawPost(const std::string& path, const std::string& body,
                                     const std::string& token) {
  httplib::Headers headers;
  if (!token.empty()) headers.emplace("Access-Token", token);
  return client_->Post(path.c_str(), headers, body, "application/json");
}

namespace {
Json ParseEnvelope(const httplib::Result& result) {
  if (!result) {
    ADD_FAILURE() << "transport error " << httplib::to_string(result.error());
    return Json::object();
  }
  EXPECT_EQ(result->status, 200) << result->body;
  std::optional<Json> json = ParseJson(result->body);
  if (!json) {
    ADD_FAILURE() << "not JSON: " << result->body;
    return Json::object();
  }
  return *json;
}
}  // namespace

Json SandboxTest::Get(const std::string& endpoint, const Json& params, const std::string& token) {
  return ParseEnvelope(RawGet(absl::StrCat("/open_api/v1.3/", endpoint), params, token));
}

Json SandboxTest::Post(const std::string& endpoint, const Json& body, const std::string& token) {
  return ParseEnvelope(RawPost(absl::StrCat("/open_api/v1.3/", endpoint), body.dump(), token));
}

std::string SandboxTest::CreateCampaign(const std::string& advertiser, const std::string& name,
                                        double budget, const std::string& objective) {
  Json reply = Post("campaign/create/", {{"advertiser_id", advertiser},
                                         {"campaign_name", name},
                                         {"objective_type", objective},
                                         {"budget_mode", "BUDGET_MODE_DAY"},
                                         {"budget", budget}});
  EXPECT_EQ(reply.value("code", -1), 0) << reply.dump();
  return reply["data"].value("campaign_id", "");
}

Json SandboxTest::AdGroupBody(const std::string& advertiser, const std::string& campaign_id,
                              const std::string& name, double budget) {
  return Json{{"advertiser_id", advertiser},
              {"campaign_id", campaign_id},
              {"adgroup_name", name},
              {"placement_type", "PLACEMENT_TYPE_NORMAL"},
              {"placements", {"PLACEMENT_TIKTOK"}},
              {"location_ids", {advertiser == kKz ? "1522867" : "6252001"}},
              {"promotion_type", "WEBSITE"},
              {"budget_mode", "BUDGET_MODE_DAY"},
              {"budget", budget},
              {"schedule_type", "SCHEDULE_FROM_NOW"},
              {"schedule_start_time", "2025-03-10 12:00:00"},
              {"optimization_goal", "CLICK"},
              {"billing_event", "CPC"},
              {"bid_type", "BID_TYPE_NO_BID"},
              {"pacing", "PACING_MODE_SMOOTH"}};
}

std::string SandboxTest::CreateAdGroup(const std::string& advertiser,
                                       const std::string& campaign_id, const std::string& name,
                                       double budget) {
  Json reply = Post("adgroup/create/", AdGroupBody(advertiser, campaign_id, name, budget));
  EXPECT_EQ(reply.value("code", -1), 0) << reply.dump();
  return reply["data"].value("adgroup_id", "");
}

Json SandboxTest::CreativeFor(const std::string& advertiser, const std::string& name) {
  bool kz = advertiser == kKz;
  return Json{{"ad_name", name},
              {"ad_format", "SINGLE_VIDEO"},
              {"video_id", kz ? kKzVideo : kUsVideo},
              {"image_ids", {kz ? kKzImage : kUsImage}},
              {"ad_text", "Sandbox ad text"},
              {"call_to_action", "LEARN_MORE"},
              {"landing_page_url", "https://example.com/landing"},
              {"identity_type", "TT_USER"},
              {"identity_id", kz ? kKzIdentity : kUsIdentity}};
}

std::string SandboxTest::CreateAd(const std::string& advertiser, const std::string& adgroup_id,
                                  const std::string& name) {
  Json reply = Post("ad/create/", {{"advertiser_id", advertiser},
                                   {"adgroup_id", adgroup_id},
                                   {"creatives", {CreativeFor(advertiser, name)}}});
  EXPECT_EQ(reply.value("code", -1), 0) << reply.dump();
  if (!reply["data"].contains("ad_ids") || reply["data"]["ad_ids"].empty()) return "";
  return reply["data"]["ad_ids"][0].get<std::string>();
}

Json SandboxTest::Report(const std::string& advertiser, const std::string& level,
                         const std::vector<std::string>& dimensions,
                         const std::vector<std::string>& metrics, const std::string& start,
                         const std::string& end, const Json& extra) {
  Json params = {{"report_type", "BASIC"}, {"advertiser_id", advertiser},
                 {"data_level", level},    {"dimensions", dimensions},
                 {"metrics", metrics},     {"start_date", start},
                 {"end_date", end},        {"page_size", 1000}};
  for (auto it = extra.begin(); it != extra.end(); ++it) params[it.key()] = it.value();
  return Get("report/integrated/get/", params);
}

double SumMetric(const Json& report, const std::string& metric) {
  double sum = 0;
  for (const Json& row : report["data"]["list"]) {
    double value = 0;
    const std::string text = row["metrics"][metric].get<std::string>();
    if (text != "-") {
      EXPECT_TRUE(absl::SimpleAtod(text, &value)) << metric << "=" << text;
    }
    sum += value;
  }
  return std::round(sum * 100) / 100;
}

}  // namespace ttads::sandbox::testing
