// report/integrated/get/: deterministic synthetic metrics that add up across levels, days and
// hours, in the advertiser's time zone, with TikTok's range limits, paging and string values.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "absl/strings/numbers.h"
#include "test/sandbox/sandbox_fixture.h"

namespace ttads::sandbox::testing {
namespace {

class ReportTest : public SandboxTest {
 protected:
  void Configure(SandboxOptions& options) override { options.config.backfill_days = 20; }

  void SetUp() override {
    SandboxTest::SetUp();
    campaign_ = CreateCampaign(kUs, "Report campaign", 200);
    adgroup_a_ = CreateAdGroup(kUs, campaign_, "Group A", 60);
    adgroup_b_ = CreateAdGroup(kUs, campaign_, "Group B", 40);
    ad_a1_ = CreateAd(kUs, adgroup_a_, "Ad A1");
    ad_a2_ = CreateAd(kUs, adgroup_a_, "Ad A2");
    ad_b1_ = CreateAd(kUs, adgroup_b_, "Ad B1");
    other_campaign_ = CreateCampaign(kUs, "Other campaign", 100);
    std::string other_group = CreateAdGroup(kUs, other_campaign_, "Other group", 50);
    other_ad_ = CreateAd(kUs, other_group, "Other ad");
  }

  std::string campaign_, adgroup_a_, adgroup_b_, ad_a1_, ad_a2_, ad_b1_, other_campaign_, other_ad_;
};

const std::vector<std::string> kCounters = {"spend", "impressions", "clicks", "conversion"};

// Rows keyed by the value of `dimension`.
std::map<std::string, Json> ByDimension(const Json& report, const std::string& dimension) {
  std::map<std::string, Json> rows;
  for (const Json& row : report["data"]["list"]) {
    rows[row["dimensions"][dimension].get<std::string>()] = row["metrics"];
  }
  return rows;
}

double Number(const Json& value) {
  double d = 0;
  EXPECT_TRUE(absl::SimpleAtod(value.get<std::string>(), &d)) << value;
  return d;
}

TEST_F(ReportTest, SameQueryTwiceGivesTheSameNumbers) {
  Json first =
      Report(kUs, "AUCTION_AD", {"ad_id", "stat_time_day"}, kCounters, "2025-03-01", "2025-03-07");
  Json second =
      Report(kUs, "AUCTION_AD", {"ad_id", "stat_time_day"}, kCounters, "2025-03-01", "2025-03-07");
  ASSERT_EQ(first["code"], 0) << first.dump();
  EXPECT_FALSE(first["data"]["list"].empty());
  EXPECT_EQ(first["data"], second["data"]);
  EXPECT_GT(SumMetric(first, "spend"), 0);
}

TEST_F(ReportTest, ValuesAreStringsWithRatiosFromTheSums) {
  Json report =
      Report(kUs, "AUCTION_CAMPAIGN", {"campaign_id"},
             {"spend", "impressions", "clicks", "ctr", "cpc", "cpm"}, "2025-03-01", "2025-03-07");
  ASSERT_EQ(report["code"], 0) << report.dump();
  const Json m = ByDimension(report, "campaign_id")[campaign_];
  for (auto it = m.begin(); it != m.end(); ++it) EXPECT_TRUE(it.value().is_string()) << it.key();
  std::string spend = m["spend"];
  EXPECT_EQ(spend.size() - spend.find('.'), 3u);  // two decimals
  double impressions = Number(m["impressions"]);
  double clicks = Number(m["clicks"]);
  EXPECT_NEAR(Number(m["ctr"]), std::round(clicks / impressions * 10000) / 100, 0.0051);
  EXPECT_NEAR(Number(m["cpm"]), Number(m["spend"]) / impressions * 1000, 0.0051);
  EXPECT_NEAR(Number(m["cpc"]), Number(m["spend"]) / clicks, 0.0051);
}

TEST_F(ReportTest, CampaignTotalIsTheSumOfItsAdsAndAdGroups) {
  const std::string start = "2025-03-01", end = "2025-03-07";
  Json campaigns = Report(kUs, "AUCTION_CAMPAIGN", {"campaign_id"}, kCounters, start, end);
  Json adgroups =
      Report(kUs, "AUCTION_ADGROUP", {"adgroup_id"},
             {"spend", "impressions", "clicks", "conversion", "campaign_id"}, start, end);
  Json ads = Report(kUs, "AUCTION_AD", {"ad_id"},
                    {"spend", "impressions", "clicks", "conversion", "campaign_id", "adgroup_id"},
                    start, end);
  Json advertiser = Report(kUs, "AUCTION_ADVERTISER", {"advertiser_id"}, kCounters, start, end);
  ASSERT_EQ(ads["code"], 0) << ads.dump();
  ASSERT_EQ(ads["data"]["list"].size(), 4u);
  for (const std::string& metric : kCounters) {
    double from_ads = 0, from_adgroups = 0, all_campaigns = 0;
    for (const Json& row : ads["data"]["list"]) {
      if (row["metrics"]["campaign_id"] == campaign_) from_ads += Number(row["metrics"][metric]);
    }
    for (const Json& row : adgroups["data"]["list"]) {
      if (row["metrics"]["campaign_id"] == campaign_) {
        from_adgroups += Number(row["metrics"][metric]);
      }
    }
    for (const Json& row : campaigns["data"]["list"])
      all_campaigns += Number(row["metrics"][metric]);
    double campaign_total = Number(ByDimension(campaigns, "campaign_id")[campaign_][metric]);
    EXPECT_NEAR(campaign_total, from_ads, 0.001) << metric;
    EXPECT_NEAR(campaign_total, from_adgroups, 0.001) << metric;
    EXPECT_NEAR(Number(advertiser["data"]["list"][0]["metrics"][metric]), all_campaigns, 0.001)
        << metric;
  }
}

TEST_F(ReportTest, ARangeIsTheSumOfItsDaysAndADayTheSumOfItsHours) {
  Json week =
      Report(kUs, "AUCTION_CAMPAIGN", {"campaign_id"}, kCounters, "2025-03-01", "2025-03-07");
  Json days = Report(kUs, "AUCTION_CAMPAIGN", {"campaign_id", "stat_time_day"}, kCounters,
                     "2025-03-01", "2025-03-07");
  ASSERT_EQ(days["code"], 0) << days.dump();
  std::map<std::string, int> day_count;
  for (const std::string& metric : kCounters) {
    double sum = 0;
    for (const Json& row : days["data"]["list"]) {
      if (row["dimensions"]["campaign_id"] != campaign_) continue;
      sum += Number(row["metrics"][metric]);
      day_count[row["dimensions"]["stat_time_day"]]++;
    }
    EXPECT_NEAR(Number(ByDimension(week, "campaign_id")[campaign_][metric]), sum, 0.001) << metric;
  }
  EXPECT_EQ(day_count.size(), 7u);
  EXPECT_EQ(day_count.begin()->first, "2025-03-01 00:00:00");

  Json day = Report(kUs, "AUCTION_AD", {"ad_id"}, kCounters, "2025-03-05", "2025-03-05");
  Json hours =
      Report(kUs, "AUCTION_AD", {"ad_id", "stat_time_hour"}, kCounters, "2025-03-05", "2025-03-05");
  ASSERT_EQ(hours["code"], 0) << hours.dump();
  for (const std::string& metric : kCounters) {
    double sum = 0;
    for (const Json& row : hours["data"]["list"]) {
      if (row["dimensions"]["ad_id"] == ad_a1_) sum += Number(row["metrics"][metric]);
    }
    EXPECT_NEAR(Number(ByDimension(day, "ad_id")[ad_a1_][metric]), sum, 0.001) << metric;
  }
  EXPECT_EQ(
      hours["data"]["list"][0]["dimensions"]["stat_time_hour"].get<std::string>().substr(0, 11),
      "2025-03-05 ");
}

TEST_F(ReportTest, DatesAreTheAdvertisersLocalDays) {
  // 20:00 UTC: 01:00 tomorrow in Almaty, 16:00 today in New York.
  sandbox_.SetClock(absl::FromCivil(absl::CivilSecond(2025, 3, 10, 20, 0, 0), absl::UTCTimeZone()),
                    true);
  std::string kz_campaign = CreateCampaign(kKz, "KZ", 5000);
  CreateAd(kKz, CreateAdGroup(kKz, kz_campaign, "KZ group", 5000), "KZ ad");
  Json kz =
      Report(kKz, "AUCTION_AD", {"ad_id", "stat_time_hour"}, kCounters, "2025-03-11", "2025-03-11");
  ASSERT_EQ(kz["code"], 0) << kz.dump();
  std::set<std::string> hours;
  for (const Json& row : kz["data"]["list"]) hours.insert(row["dimensions"]["stat_time_hour"]);
  EXPECT_EQ(hours, (std::set<std::string>{"2025-03-11 00:00:00", "2025-03-11 01:00:00"}));
  Json us =
      Report(kUs, "AUCTION_AD", {"ad_id", "stat_time_day"}, kCounters, "2025-03-11", "2025-03-11");
  EXPECT_TRUE(us["data"]["list"].empty());
  Json us_today =
      Report(kUs, "AUCTION_AD", {"ad_id", "stat_time_hour"}, kCounters, "2025-03-10", "2025-03-10");
  EXPECT_EQ(us_today["data"]["list"].back()["dimensions"]["stat_time_hour"], "2025-03-10 16:00:00");
}

TEST_F(ReportTest, PausingAnAdStopsItsSpendFromThenOn) {
  ASSERT_EQ(
      Post("ad/status/update/",
           {{"advertiser_id", kUs}, {"ad_ids", {ad_a1_}}, {"operation_status", "DISABLE"}})["code"],
      0);
  sandbox_.AdvanceClock(absl::Hours(48));
  Json before = Report(kUs, "AUCTION_AD", {"ad_id"}, kCounters, "2025-03-09", "2025-03-09");
  Json after = Report(kUs, "AUCTION_AD", {"ad_id"}, kCounters, "2025-03-11", "2025-03-11");
  EXPECT_NE(ByDimension(before, "ad_id")[ad_a1_]["spend"], "-");
  EXPECT_EQ(ByDimension(after, "ad_id")[ad_a1_]["spend"], "-");  // no data: "-"
  EXPECT_NE(ByDimension(after, "ad_id")[ad_a2_]["spend"], "-");
}

TEST_F(ReportTest, DateRangeLimits) {
  auto code = [&](const std::vector<std::string>& dims, const char* start, const char* end) {
    return Report(kUs, "AUCTION_CAMPAIGN", dims, kCounters, start, end)["code"];
  };
  EXPECT_EQ(code({"campaign_id", "stat_time_day"}, "2025-02-01", "2025-03-02"), 0);      // 30 days
  EXPECT_EQ(code({"campaign_id", "stat_time_day"}, "2025-02-01", "2025-03-03"), 40002);  // 31
  EXPECT_EQ(code({"campaign_id", "stat_time_hour"}, "2025-03-01", "2025-03-01"), 0);
  EXPECT_EQ(code({"campaign_id", "stat_time_hour"}, "2025-03-01", "2025-03-02"), 40002);
  EXPECT_EQ(code({"campaign_id"}, "2024-03-11", "2025-03-10"), 0);      // 365 days
  EXPECT_EQ(code({"campaign_id"}, "2024-03-10", "2025-03-10"), 40002);  // 366
  EXPECT_EQ(code({"campaign_id"}, "2025-03-05", "2025-03-01"), 40002);
  EXPECT_EQ(code({"campaign_id"}, "2025/03/01", "2025-03-05"), 40002);
  EXPECT_EQ(code({"campaign_id"}, "2025-02-30", "2025-03-05"), 40002);
  Json missing = Get("report/integrated/get/", {{"report_type", "BASIC"},
                                                {"advertiser_id", kUs},
                                                {"data_level", "AUCTION_CAMPAIGN"},
                                                {"dimensions", {"campaign_id"}}});
  EXPECT_EQ(missing["message"], "Missing required field(s): start_date, end_date.");
  Json lifetime = Get("report/integrated/get/", {{"report_type", "BASIC"},
                                                 {"advertiser_id", kUs},
                                                 {"data_level", "AUCTION_CAMPAIGN"},
                                                 {"dimensions", {"campaign_id"}},
                                                 {"query_lifetime", true}});
  EXPECT_EQ(lifetime["code"], 0) << lifetime.dump();
}

TEST_F(ReportTest, PagingCountsRows) {
  Json page = Report(kUs, "AUCTION_AD", {"ad_id", "stat_time_day"}, kCounters, "2025-03-01",
                     "2025-03-07", {{"page", 2}, {"page_size", 5}});
  ASSERT_EQ(page["code"], 0) << page.dump();
  EXPECT_EQ(page["data"]["page_info"],
            (Json{{"page", 2}, {"page_size", 5}, {"total_number", 28}, {"total_page", 6}}));
  EXPECT_EQ(page["data"]["list"].size(), 5u);
  Json all =
      Report(kUs, "AUCTION_AD", {"ad_id", "stat_time_day"}, kCounters, "2025-03-01", "2025-03-07");
  EXPECT_EQ(all["data"]["list"][5], page["data"]["list"][0]);
}

TEST_F(ReportTest, FilteringUsesTheArrayForm) {
  Json filtered = Report(
      kUs, "AUCTION_AD", {"ad_id"}, kCounters, "2025-03-01", "2025-03-07",
      {{"filtering", Json::array({{{"field_name", "campaign_ids"},
                                   {"filter_type", "IN"},
                                   {"filter_value", Json::array({other_campaign_}).dump()}}})}});
  ASSERT_EQ(filtered["code"], 0) << filtered.dump();
  ASSERT_EQ(filtered["data"]["list"].size(), 1u);
  EXPECT_EQ(filtered["data"]["list"][0]["dimensions"]["ad_id"], other_ad_);
  Json object_form = Report(kUs, "AUCTION_AD", {"ad_id"}, kCounters, "2025-03-01", "2025-03-07",
                            {{"filtering", {{"campaign_ids", {campaign_}}}}});
  EXPECT_EQ(object_form["code"], 40002);
  Json bad_value = Report(kUs, "AUCTION_AD", {"ad_id"}, kCounters, "2025-03-01", "2025-03-07",
                          {{"filtering", Json::array({{{"field_name", "campaign_ids"},
                                                       {"filter_type", "IN"},
                                                       {"filter_value", campaign_}}})}});
  EXPECT_EQ(bad_value["code"], 40002);
}

TEST_F(ReportTest, DeletedAdsNeedStatusAll) {
  ASSERT_EQ(
      Post("ad/status/update/",
           {{"advertiser_id", kUs}, {"ad_ids", {ad_b1_}}, {"operation_status", "DELETE"}})["code"],
      0);
  Json normal = Report(kUs, "AUCTION_AD", {"ad_id"}, kCounters, "2025-03-01", "2025-03-07");
  EXPECT_EQ(ByDimension(normal, "ad_id").count(ad_b1_), 0u);
  Json all = Report(kUs, "AUCTION_AD", {"ad_id"}, kCounters, "2025-03-01", "2025-03-07",
                    {{"filtering", Json::array({{{"field_name", "ad_status"},
                                                 {"filter_type", "IN"},
                                                 {"filter_value", "[\"STATUS_ALL\"]"}}})}});
  ASSERT_EQ(all["code"], 0) << all.dump();
  EXPECT_EQ(ByDimension(all, "ad_id").count(ad_b1_), 1u);
}

TEST_F(ReportTest, AttributeMetricsAndTheirRules) {
  Json report = Report(kUs, "AUCTION_AD", {"ad_id", "stat_time_day"},
                       {"spend", "campaign_id", "campaign_name", "adgroup_id", "adgroup_name",
                        "ad_name", "currency"},
                       "2025-03-07", "2025-03-07");
  ASSERT_EQ(report["code"], 0) << report.dump();
  const Json m = ByDimension(report, "ad_id")[ad_b1_];
  EXPECT_EQ(m["campaign_id"], campaign_);
  EXPECT_EQ(m["campaign_name"], "Report campaign");
  EXPECT_EQ(m["adgroup_id"], adgroup_b_);
  EXPECT_EQ(m["adgroup_name"], "Group B");
  EXPECT_EQ(m["ad_name"], "Ad B1");
  EXPECT_EQ(m["currency"], "USD");
  EXPECT_EQ(Report(kUs, "AUCTION_CAMPAIGN", {"campaign_id"}, {"ad_name"}, "2025-03-07",
                   "2025-03-07")["code"],
            40002);
  EXPECT_EQ(
      Report(kUs, "AUCTION_AD", {"stat_time_day"}, {"ad_name"}, "2025-03-07", "2025-03-07")["code"],
      40002);
  EXPECT_EQ(Report(kUs, "AUCTION_AD", {"ad_id"}, {"magic"}, "2025-03-07", "2025-03-07")["code"],
            40002);
  EXPECT_EQ(
      Report(kUs, "AUCTION_AD", {"campaign_id"}, {"spend"}, "2025-03-07", "2025-03-07")["code"],
      40002);
}

TEST_F(ReportTest, EntitiesWithoutDataShowDashes) {
  std::string empty = CreateCampaign(kUs, "No ads yet", 100);
  Json report = Report(kUs, "AUCTION_CAMPAIGN", {"campaign_id"}, {"spend", "ctr"}, "2025-03-01",
                       "2025-03-07");
  EXPECT_EQ(ByDimension(report, "campaign_id")[empty], (Json{{"spend", "-"}, {"ctr", "-"}}));
  Json by_day = Report(kUs, "AUCTION_CAMPAIGN", {"campaign_id", "stat_time_day"}, {"spend"},
                       "2025-03-01", "2025-03-07");
  for (const Json& row : by_day["data"]["list"]) EXPECT_NE(row["dimensions"]["campaign_id"], empty);
}

TEST_F(ReportTest, TotalMetricsAndPostBodies) {
  Json report = Report(kUs, "AUCTION_AD", {"ad_id"}, kCounters, "2025-03-01", "2025-03-07",
                       {{"enable_total_metrics", true}, {"page_size", 1}});
  ASSERT_EQ(report["code"], 0) << report.dump();
  Json all = Report(kUs, "AUCTION_AD", {"ad_id"}, kCounters, "2025-03-01", "2025-03-07");
  EXPECT_NEAR(Number(report["data"]["total_metrics"]["spend"]), SumMetric(all, "spend"), 0.001);
  Json post = Post("report/integrated/get/", {{"report_type", "BASIC"},
                                              {"advertiser_id", kUs},
                                              {"data_level", "AUCTION_AD"},
                                              {"dimensions", {"ad_id"}},
                                              {"metrics", kCounters},
                                              {"start_date", "2025-03-01"},
                                              {"end_date", "2025-03-07"},
                                              {"page_size", 1000}});
  EXPECT_EQ(post["data"], all["data"]);
}

TEST_F(ReportTest, UnsupportedReportsAreSandboxErrors) {
  Json audience = Report(kUs, "AUCTION_AD", {"ad_id"}, kCounters, "2025-03-01", "2025-03-07",
                         {{"report_type", "AUDIENCE"}});
  EXPECT_EQ(audience["code"], 40009);
  EXPECT_EQ(Report(kUs, "AUCTION_AD", {"ad_id"}, kCounters, "2025-03-01", "2025-03-07",
                   {{"data_level", "AUCTION_EVERYTHING"}})["code"],
            40002);
}

}  // namespace
}  // namespace ttads::sandbox::testing
