// FetchBrainData with the production TikTok client against the TikTok sandbox over real HTTP:
// an advertiser with 3 campaigns, 10 ad groups and 30 ads with 35 days of synthetic delivery,
// the sandbox clock frozen at a fixed time. The brain's data costs at most four requests, and
// its fold of the ad-level daily rows matches TikTok's own ad-group and campaign reports for
// every window.
#include "server/brain_data.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "test/integration/tiktok_sandbox_fixture.h"
#include "tiktok/tiktok_error.h"

namespace ttads::integration {
namespace {

using sandbox::Json;
using server::AdGroupWindows;
using server::BrainData;
using server::BrainFetchOptions;
using server::DayRange;
using server::WindowMetrics;

constexpr char kAdvertiser[] = "7400000000000000777";
constexpr char kBrainToken[] = "brain-data-test-token";

std::string CampaignId(int i) { return absl::StrCat("78000000000007770", i); }
std::string AdGroupId(int i) { return absl::StrCat("7900000000000777", i < 10 ? "0" : "", i); }
std::string AdId(int i) { return absl::StrCat("800000000000077", i < 10 ? "0" : "", i); }

// 3 campaigns; ad groups 1-10 spread over them (4/3/3); ads 1-30 over ad groups 1-9 (ad group
// 10 has none: zero windows). Ad group 9 is switched off and was created 10 days ago, so it has
// only back-filled days, all before D-9.
Json BrainSeed() {
  Json seed = Json::object();
  seed["advertisers"] = Json::array({{{"advertiser_id", kAdvertiser},
                                      {"name", "Brain data test (KZT)"},
                                      {"currency", "KZT"},
                                      {"timezone", "Asia/Almaty"},
                                      {"country", "KZ"},
                                      {"status", "STATUS_ENABLE"},
                                      {"created_days_ago", 400}}});
  seed["tokens"] = Json::array({{{"access_token", kBrainToken},
                                 {"app_id", kApp},
                                 {"advertiser_ids", Json::array({kAdvertiser})}}});
  Json campaigns = Json::array();
  const char* const objectives[] = {"TRAFFIC", "LEAD_GENERATION", "TRAFFIC"};
  for (int c = 1; c <= 3; ++c) {
    campaigns.push_back({{"campaign_id", CampaignId(c)},
                         {"advertiser_id", kAdvertiser},
                         {"campaign_name", absl::StrCat("Brain campaign ", c)},
                         {"objective_type", objectives[c - 1]},
                         {"budget_mode", "BUDGET_MODE_DAY"},
                         {"budget", 500000},
                         {"operation_status", "ENABLE"},
                         {"created_days_ago", 40}});
  }
  seed["campaigns"] = campaigns;
  Json adgroups = Json::array();
  for (int g = 1; g <= 10; ++g) {
    const int campaign = g <= 4 ? 1 : g <= 7 ? 2 : 3;
    adgroups.push_back({{"adgroup_id", AdGroupId(g)},
                        {"campaign_id", CampaignId(campaign)},
                        {"adgroup_name", absl::StrCat("Brain ad group ", g)},
                        {"operation_status", g == 9 ? "DISABLE" : "ENABLE"},
                        {"budget_mode", "BUDGET_MODE_DAY"},
                        {"budget", 5000 + 1000 * g},
                        {"optimization_goal", "CLICK"},
                        {"billing_event", "CPC"},
                        {"placement_type", "PLACEMENT_TYPE_NORMAL"},
                        {"placements", Json::array({"PLACEMENT_TIKTOK"})},
                        {"location_ids", Json::array({"1522867"})},
                        {"promotion_type", "WEBSITE"},
                        {"created_days_ago", g == 9 ? 10 : 35}});
  }
  seed["adgroups"] = adgroups;
  Json ads = Json::array();
  for (int a = 1; a <= 30; ++a) {
    const int group = (a - 1) % 9 + 1;
    ads.push_back({{"ad_id", AdId(a)},
                   {"adgroup_id", AdGroupId(group)},
                   {"ad_name", absl::StrCat("Brain ad ", a)},
                   {"ad_text", "Brain data"},
                   {"call_to_action", "LEARN_MORE"},
                   {"landing_page_url", "https://example.com/brain"},
                   {"operation_status", a == 2 ? "DISABLE" : "ENABLE"},
                   {"created_days_ago", group == 9 ? 10 : 35}});
  }
  seed["ads"] = ads;
  return seed;
}

class BrainDataSandboxTest : public TikTokSandboxTest {
 protected:
  // A fixed time: 09:30 UTC is mid-afternoon in Almaty, so "today" has data.
  void Configure(sandbox::SandboxOptions& options) override {
    options.clock_start =
        absl::FromCivil(absl::CivilSecond(2026, 3, 10, 9, 30, 0), absl::UTCTimeZone());
    options.freeze_clock = true;
  }

  void SetUp() override {
    TikTokSandboxTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(sandbox_.LoadSeed(BrainSeed().dump()).ok());
  }

  absl::StatusOr<BrainData> Fetch(const BrainFetchOptions& options = {}) {
    return server::FetchBrainData(client(), kBrainToken, kAdvertiser, sandbox_.Now(), options);
  }

  // The API requests the sandbox logged (control-API calls have no endpoint).
  std::vector<std::string> ApiRequests() const {
    std::vector<std::string> endpoints;
    for (const sandbox::RequestLogEntry& entry : Log("")) {
      if (!entry.endpoint.empty()) endpoints.push_back(entry.endpoint);
    }
    return endpoints;
  }

  // TikTok's own totals per id over `range` (no day dimension), read as WindowMetrics.
  std::map<std::string, WindowMetrics> LevelReport(const std::string& data_level,
                                                   const std::string& id_dimension,
                                                   const DayRange& range) {
    tiktok::ReportQuery query;
    query.advertiser_id = kAdvertiser;
    query.data_level = data_level;
    query.dimensions = {id_dimension};
    query.metrics = {"spend", "impressions", "clicks", "conversion"};
    query.start_date = absl::FormatCivilTime(range.first);
    query.end_date = absl::FormatCivilTime(range.last);
    std::map<std::string, WindowMetrics> totals;
    absl::StatusOr<tiktok::ReportResult> report = client().GetReport(kBrainToken, query);
    EXPECT_TRUE(report.ok()) << report.status();
    if (!report.ok()) return totals;
    for (const tiktok::ReportRow& row : report->rows) {
      totals[row.Dimension(id_dimension)] = server::RowMetrics(row);
    }
    return totals;
  }
};

void ExpectSame(const WindowMetrics& folded, const WindowMetrics& tiktok,
                const std::string& what) {
  EXPECT_NEAR(folded.spend, tiktok.spend, 0.01) << what;
  EXPECT_EQ(folded.impressions, tiktok.impressions) << what;
  EXPECT_EQ(folded.clicks, tiktok.clicks) << what;
  EXPECT_EQ(folded.conversions, tiktok.conversions) << what;
}

struct Window {
  const char* name;
  std::function<const WindowMetrics&(const AdGroupWindows&)> of;
  std::function<DayRange(const server::BrainDates&)> range;
};

const std::vector<Window>& Windows() {
  static const auto* const windows = new std::vector<Window>{
      {"yesterday", [](const AdGroupWindows& w) -> const WindowMetrics& { return w.yesterday; },
       [](const server::BrainDates& d) { return DayRange{d.yesterday, d.yesterday}; }},
      {"last_3d", [](const AdGroupWindows& w) -> const WindowMetrics& { return w.last_3d; },
       [](const server::BrainDates& d) { return d.last_3d; }},
      {"last_7d", [](const AdGroupWindows& w) -> const WindowMetrics& { return w.last_7d; },
       [](const server::BrainDates& d) { return d.last_7d; }},
      {"last_30d", [](const AdGroupWindows& w) -> const WindowMetrics& { return w.last_30d; },
       [](const server::BrainDates& d) { return d.last_30d; }},
      {"today", [](const AdGroupWindows& w) -> const WindowMetrics& { return w.today; },
       [](const server::BrainDates& d) { return DayRange{d.today, d.today}; }},
  };
  return *windows;
}

TEST_F(BrainDataSandboxTest, FourRequestsFoldIntoTikToksOwnAdGroupFigures) {
  // One ad deleted today: its spend still belongs to its ad group's figures.
  absl::StatusOr<tiktok::StatusUpdateResult> deleted =
      client().UpdateAdStatus(kBrainToken, kAdvertiser, {AdId(5)}, "DELETE");
  ASSERT_TRUE(deleted.ok()) << deleted.status();

  sandbox_.ClearRequestLog();
  absl::StatusOr<BrainData> data = Fetch();
  ASSERT_TRUE(data.ok()) << data.status();

  // The cost: four requests, and the count says so honestly.
  EXPECT_EQ(data->tiktok_calls, 4);
  EXPECT_EQ(ApiRequests(),
            (std::vector<std::string>{"advertiser/info/", "adgroup/get/", "report/integrated/get/",
                                      "report/integrated/get/"}));
  const std::vector<sandbox::RequestLogEntry> reports = Log("report/integrated/get/");
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].query.value("data_level", ""), "AUCTION_AD");
  EXPECT_EQ(sandbox::ParseJson(reports[0].query.value("dimensions", "")),
            Json::array({"ad_id", "stat_time_day"}));

  // The advertiser and its days.
  EXPECT_EQ(data->advertiser_status, "STATUS_ENABLE");
  EXPECT_EQ(data->currency, "KZT");
  EXPECT_EQ(data->timezone, "Asia/Almaty");
  EXPECT_TRUE(data->notes.empty()) << data->notes[0];
  EXPECT_EQ(absl::FormatCivilTime(data->dates.today), SandboxDay("Asia/Almaty", 0));
  EXPECT_EQ(absl::FormatCivilTime(data->dates.last_30d.first), SandboxDay("Asia/Almaty", -30));
  EXPECT_EQ(absl::FormatCivilTime(data->dates.last_30d.last), SandboxDay("Asia/Almaty", -1));
  EXPECT_EQ(reports[0].query.value("start_date", ""), SandboxDay("Asia/Almaty", -30));
  EXPECT_EQ(reports[0].query.value("end_date", ""), SandboxDay("Asia/Almaty", -1));
  EXPECT_EQ(reports[1].query.value("start_date", ""), SandboxDay("Asia/Almaty", 0));
  EXPECT_EQ(reports[1].query.value("end_date", ""), SandboxDay("Asia/Almaty", 0));

  // Every ad group, the one without ads included (zero windows).
  ASSERT_EQ(data->ad_groups.size(), 10u);
  ASSERT_EQ(data->adgroup_windows.size(), 10u);
  const AdGroupWindows& empty = data->adgroup_windows.at(AdGroupId(10));
  EXPECT_EQ(empty.last_30d.impressions, 0);
  EXPECT_EQ(empty.today.impressions, 0);
  EXPECT_EQ(data->ads_by_adgroup.count(AdGroupId(10)), 0u);
  // The switched-off ad group had back-filled days only, all before its creation 10 days ago.
  EXPECT_GT(data->adgroup_windows.at(AdGroupId(9)).last_30d.impressions, 0);
  EXPECT_EQ(data->adgroup_windows.at(AdGroupId(9)).last_7d.impressions, 0);
  for (const tiktok::AdGroup& group : data->ad_groups) {
    EXPECT_FALSE(group.operation_status.empty()) << group.adgroup_id;
    EXPECT_TRUE(group.budget.has_value()) << group.adgroup_id;
  }

  // The fold equals TikTok's own ad-group report, window by window.
  for (const Window& window : Windows()) {
    const std::map<std::string, WindowMetrics> tiktok =
        LevelReport("AUCTION_ADGROUP", "adgroup_id", window.range(data->dates));
    EXPECT_EQ(tiktok.size(), 10u) << window.name;
    for (const auto& [id, windows] : data->adgroup_windows) {
      ASSERT_EQ(tiktok.count(id), 1u) << id;
      ExpectSame(window.of(windows), tiktok.at(id), absl::StrCat(id, " ", window.name));
    }
  }
  // ... and the campaign report.
  for (const Window& window : Windows()) {
    const std::map<std::string, WindowMetrics> tiktok =
        LevelReport("AUCTION_CAMPAIGN", "campaign_id", window.range(data->dates));
    ASSERT_EQ(data->campaigns.size(), 3u);
    for (const auto& [id, campaign] : data->campaigns) {
      ASSERT_EQ(tiktok.count(id), 1u) << id;
      ExpectSame(window.of(campaign.windows), tiktok.at(id), absl::StrCat(id, " ", window.name));
    }
  }
  EXPECT_EQ(data->campaigns.at(CampaignId(2)).objective_type, "LEAD_GENERATION");
  EXPECT_EQ(data->campaigns.at(CampaignId(1)).campaign_name, "Brain campaign 1");
  EXPECT_GT(data->adgroup_windows.at(AdGroupId(1)).today.impressions, 0);
  EXPECT_GT(data->adgroup_windows.at(AdGroupId(1)).last_7d.spend, 0);

  // Ads carry what an AdSnapshot needs, the deleted one included; the ad switched off since its
  // creation never delivered in the window and has no rows.
  std::set<std::string> ads;
  for (const auto& [adgroup_id, list] : data->ads_by_adgroup) {
    for (const server::BrainAd& ad : list) {
      ads.insert(ad.ad_id);
      EXPECT_EQ(ad.adgroup_id, adgroup_id);
      EXPECT_FALSE(ad.campaign_id.empty()) << ad.ad_id;
      EXPECT_FALSE(ad.ad_name.empty()) << ad.ad_id;
    }
  }
  EXPECT_EQ(ads.size(), 29u);
  EXPECT_TRUE(ads.count(AdId(5)));
  EXPECT_FALSE(ads.count(AdId(2)));
  const std::map<std::string, WindowMetrics> by_ad = [&] {
    tiktok::ReportQuery query;
    query.advertiser_id = kAdvertiser;
    query.data_level = "AUCTION_AD";
    query.dimensions = {"ad_id"};
    query.metrics = {"spend", "impressions", "clicks", "conversion"};
    query.start_date = query.end_date = absl::FormatCivilTime(data->dates.yesterday);
    std::map<std::string, WindowMetrics> totals;
    absl::StatusOr<tiktok::ReportResult> report = client().GetReport(kBrainToken, query);
    EXPECT_TRUE(report.ok()) << report.status();
    if (report.ok()) {
      for (const tiktok::ReportRow& row : report->rows) {
        totals[row.Dimension("ad_id")] = server::RowMetrics(row);
      }
    }
    return totals;
  }();
  for (const server::BrainAd& ad : data->ads_by_adgroup.at(AdGroupId(1))) {
    ASSERT_EQ(by_ad.count(ad.ad_id), 1u) << ad.ad_id;
    ExpectSame(ad.windows.yesterday, by_ad.at(ad.ad_id), ad.ad_id);
  }
}

TEST_F(BrainDataSandboxTest, CampaignFilterNarrowsTheListAndTheReports) {
  sandbox_.ClearRequestLog();
  BrainFetchOptions options;
  options.campaign_ids = {CampaignId(2), CampaignId(3), CampaignId(2)};
  absl::StatusOr<BrainData> data = Fetch(options);
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_EQ(data->tiktok_calls, 4);
  EXPECT_EQ(ApiRequests().size(), 4u);

  ASSERT_EQ(data->ad_groups.size(), 6u);  // ad groups 5-10
  for (const tiktok::AdGroup& group : data->ad_groups) {
    EXPECT_NE(group.campaign_id, CampaignId(1)) << group.adgroup_id;
  }
  EXPECT_EQ(data->adgroup_windows.size(), 6u);
  EXPECT_EQ(data->campaigns.size(), 2u);
  EXPECT_EQ(data->campaigns.count(CampaignId(1)), 0u);
  for (const auto& [adgroup_id, list] : data->ads_by_adgroup) {
    for (const server::BrainAd& ad : list) EXPECT_NE(ad.campaign_id, CampaignId(1)) << ad.ad_id;
  }
  for (const sandbox::RequestLogEntry& report : Log("report/integrated/get/")) {
    std::optional<Json> filtering = sandbox::ParseJson(report.query.value("filtering", ""));
    ASSERT_TRUE(filtering.has_value());
    bool has_campaigns = false;
    for (const Json& filter : *filtering) {
      if (filter.value("field_name", "") != "campaign_ids") continue;
      has_campaigns = true;
      EXPECT_EQ(filter.value("filter_type", ""), "IN");
      EXPECT_EQ(filter.value("filter_value", ""),
                Json::array({CampaignId(2), CampaignId(3)}).dump());
    }
    EXPECT_TRUE(has_campaigns);
  }
}

TEST_F(BrainDataSandboxTest, EveryPageCountsAsACall) {
  sandbox_.ClearRequestLog();
  BrainFetchOptions options;
  options.page_size = 9;  // 10 ad groups: 2 pages; hundreds of daily rows: many pages
  absl::StatusOr<BrainData> data = Fetch(options);
  ASSERT_TRUE(data.ok()) << data.status();
  const std::vector<std::string> requests = ApiRequests();
  EXPECT_GT(requests.size(), 4u);
  EXPECT_EQ(data->tiktok_calls, static_cast<int>(requests.size()));
  EXPECT_EQ(Log("adgroup/get/").size(), 2u);
  EXPECT_GT(Log("report/integrated/get/").size(), 20u);
  EXPECT_EQ(data->ad_groups.size(), 10u);

  // The same figures as with one page per call.
  absl::StatusOr<BrainData> whole = Fetch();
  ASSERT_TRUE(whole.ok()) << whole.status();
  ASSERT_EQ(whole->adgroup_windows.size(), data->adgroup_windows.size());
  for (const auto& [id, windows] : whole->adgroup_windows) {
    for (const Window& window : Windows()) {
      ExpectSame(window.of(data->adgroup_windows.at(id)), window.of(windows),
                 absl::StrCat(id, " ", window.name));
    }
  }
}

TEST_F(BrainDataSandboxTest, TheDaysFollowTheAdvertisersZone) {
  // The demo US advertiser: its days are New York's (the fold test covers days that differ).
  sandbox_.ClearRequestLog();
  absl::StatusOr<BrainData> data =
      server::FetchBrainData(client(), kToken, kUs, sandbox_.Now(), {});
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_EQ(data->timezone, "America/New_York");
  EXPECT_EQ(absl::FormatCivilTime(data->dates.today), SandboxDay("America/New_York", 0));
  EXPECT_EQ(data->tiktok_calls, 4);
}

TEST_F(BrainDataSandboxTest, AFailedCallFailsTheFetch) {
  // A report TikTok refuses (40002 is not retried): no half-folded data.
  AddFault("error:report/integrated/get/,code=40002,times=-1");
  absl::StatusOr<BrainData> data = Fetch();
  ASSERT_FALSE(data.ok());
  EXPECT_EQ(tiktok::TikTokCodeOf(data.status()), 40002);
}

}  // namespace
}  // namespace ttads::integration
