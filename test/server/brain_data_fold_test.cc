// The fold of ad-level daily report rows into the brain's windows, without HTTP: window
// boundaries, TikTok's string metrics, time-zone days and the assembly into BrainData.
#include "server/brain_data.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace ttads::server {
namespace {

constexpr absl::CivilDay kToday(2026, 3, 11);

tiktok::ReportRow Row(const std::string& ad_id, absl::CivilDay day, const std::string& spend,
                      const std::string& impressions = "100", const std::string& clicks = "5",
                      const std::string& conversion = "1", const std::string& adgroup_id = "G1",
                      const std::string& campaign_id = "C1") {
  tiktok::ReportRow row;
  row.dimensions["ad_id"] = ad_id;
  row.dimensions["stat_time_day"] = absl::FormatCivilTime(day) + " 00:00:00";
  row.metrics["spend"] = spend;
  row.metrics["impressions"] = impressions;
  row.metrics["clicks"] = clicks;
  row.metrics["conversion"] = conversion;
  row.metrics["adgroup_id"] = adgroup_id;
  row.metrics["campaign_id"] = campaign_id;
  row.metrics["ad_name"] = "ad " + ad_id;
  row.metrics["campaign_name"] = "campaign " + campaign_id;
  row.metrics["objective_type"] = "LEAD_GENERATION";
  return row;
}

FoldedReport Fold(const std::vector<tiktok::ReportRow>& rows) {
  FoldedReport folded;
  FoldReportRows(rows, BrainDatesFor(kToday), folded);
  return folded;
}

TEST(BrainDataFoldTest, DatesEndYesterdayAndTodayIsItsOwnWindow) {
  const BrainDates dates = BrainDatesFor(kToday);
  EXPECT_EQ(dates.today, kToday);
  EXPECT_EQ(dates.yesterday, absl::CivilDay(2026, 3, 10));
  EXPECT_EQ(dates.last_3d.first, absl::CivilDay(2026, 3, 8));
  EXPECT_EQ(dates.last_3d.last, absl::CivilDay(2026, 3, 10));
  EXPECT_EQ(dates.last_7d.first, absl::CivilDay(2026, 3, 4));
  EXPECT_EQ(dates.last_30d.first, absl::CivilDay(2026, 2, 9));
  EXPECT_EQ(dates.last_30d.last, absl::CivilDay(2026, 3, 10));
  // TikTok's daily-report limit: exactly 30 days.
  EXPECT_EQ(dates.last_30d.last - dates.last_30d.first + 1, 30);
}

TEST(BrainDataFoldTest, EachDayCountsInItsWindowsOnly) {
  // One row per interesting day, with a distinct spend so every window's sum says which days
  // it took: D-31 → 1, D-30 → 2, D-8 → 4, D-7 → 8, D-4 → 16, D-3 → 32, D-2 → 64, D-1 → 128,
  // D → 256, D+1 → 512.
  const std::vector<tiktok::ReportRow> rows = {
      Row("A1", kToday - 31, "1"),  Row("A1", kToday - 30, "2"),  Row("A1", kToday - 8, "4"),
      Row("A1", kToday - 7, "8"),   Row("A1", kToday - 4, "16"),  Row("A1", kToday - 3, "32"),
      Row("A1", kToday - 2, "64"),  Row("A1", kToday - 1, "128"), Row("A1", kToday, "256"),
      Row("A1", kToday + 1, "512"),
  };
  const FoldedReport folded = Fold(rows);
  EXPECT_EQ(folded.rows_folded, 8);
  EXPECT_EQ(folded.rows_outside, 2);  // D-31 and D+1 count nowhere
  EXPECT_EQ(folded.rows_unusable, 0);

  const AdGroupWindows& ad = folded.ads.at("A1").windows;
  EXPECT_DOUBLE_EQ(ad.yesterday.spend, 128);
  EXPECT_DOUBLE_EQ(ad.last_3d.spend, 32 + 64 + 128);
  EXPECT_DOUBLE_EQ(ad.last_7d.spend, 8 + 16 + 32 + 64 + 128);
  EXPECT_DOUBLE_EQ(ad.last_30d.spend, 2 + 4 + 8 + 16 + 32 + 64 + 128);  // D-30 only here
  EXPECT_DOUBLE_EQ(ad.today.spend, 256);                                // D only here
  EXPECT_EQ(ad.last_30d.impressions, 700);
  EXPECT_EQ(ad.last_7d.clicks, 25);
  EXPECT_EQ(ad.today.conversions, 1);

  // The ad group and campaign of the attribute metrics get the same sums.
  const AdGroupWindows& group = folded.adgroup_windows.at("G1");
  EXPECT_DOUBLE_EQ(group.last_7d.spend, ad.last_7d.spend);
  EXPECT_DOUBLE_EQ(group.today.spend, 256);
  const BrainCampaign& campaign = folded.campaigns.at("C1");
  EXPECT_DOUBLE_EQ(campaign.windows.last_30d.spend, ad.last_30d.spend);
  EXPECT_EQ(campaign.campaign_name, "campaign C1");
  EXPECT_EQ(campaign.objective_type, "LEAD_GENERATION");
  EXPECT_EQ(folded.ads.at("A1").ad_name, "ad A1");
  EXPECT_EQ(folded.ads.at("A1").adgroup_id, "G1");
  EXPECT_EQ(folded.ads.at("A1").campaign_id, "C1");
}

TEST(BrainDataFoldTest, AdsAddUpIntoAdGroupsAndCampaigns) {
  const FoldedReport folded = Fold({
      Row("A1", kToday - 1, "10.25", "1000", "10", "1", "G1", "C1"),
      Row("A2", kToday - 1, "4.75", "500", "5", "0", "G1", "C1"),
      Row("A3", kToday - 2, "3.00", "300", "3", "2", "G2", "C1"),
      Row("A4", kToday - 1, "7.00", "700", "7", "1", "G3", "C2"),
  });
  EXPECT_DOUBLE_EQ(folded.adgroup_windows.at("G1").yesterday.spend, 15);
  EXPECT_EQ(folded.adgroup_windows.at("G1").yesterday.impressions, 1500);
  EXPECT_DOUBLE_EQ(folded.adgroup_windows.at("G2").yesterday.spend, 0);
  EXPECT_DOUBLE_EQ(folded.adgroup_windows.at("G2").last_3d.spend, 3);
  EXPECT_DOUBLE_EQ(folded.campaigns.at("C1").windows.last_3d.spend, 18);
  EXPECT_EQ(folded.campaigns.at("C1").windows.last_3d.conversions, 3);
  EXPECT_DOUBLE_EQ(folded.campaigns.at("C2").windows.yesterday.spend, 7);
}

TEST(BrainDataFoldTest, StringMetricsParseRobustly) {
  tiktok::ReportRow row = Row("A1", kToday - 1, "12.50", "-", "", "3");
  row.metrics.erase("conversion");
  row.metrics["conversion"] = " 3 ";
  const WindowMetrics metrics = RowMetrics(row);
  EXPECT_DOUBLE_EQ(metrics.spend, 12.5);
  EXPECT_EQ(metrics.impressions, 0);  // "-": no data
  EXPECT_EQ(metrics.clicks, 0);       // "": no data
  EXPECT_EQ(metrics.conversions, 3);

  tiktok::ReportRow none = Row("A2", kToday - 1, "-", "-", "-", "-");
  none.metrics.erase("clicks");  // absent
  const WindowMetrics zero = RowMetrics(none);
  EXPECT_DOUBLE_EQ(zero.spend, 0);
  EXPECT_EQ(zero.impressions, 0);
  EXPECT_EQ(zero.clicks, 0);
  EXPECT_EQ(zero.conversions, 0);

  // Garbage is not a number either.
  tiktok::ReportRow odd = Row("A3", kToday - 1, "abc", "1e3x");
  EXPECT_DOUBLE_EQ(RowMetrics(odd).spend, 0);
  EXPECT_EQ(RowMetrics(odd).impressions, 0);
}

TEST(BrainDataFoldTest, RowsWithoutAdOrDayAreIgnoredAndMissingAttributesKeepTheAd) {
  tiktok::ReportRow no_day = Row("A1", kToday - 1, "5");
  no_day.dimensions.erase("stat_time_day");
  tiktok::ReportRow bad_day = Row("A1", kToday - 1, "5");
  bad_day.dimensions["stat_time_day"] = "yesterday";
  tiktok::ReportRow no_ad = Row("", kToday - 1, "5");
  tiktok::ReportRow no_group = Row("A9", kToday - 1, "6", "10", "1", "0", "-", "-");
  // A bare date (no time part) is read too.
  tiktok::ReportRow bare = Row("A8", kToday - 1, "7");
  bare.dimensions["stat_time_day"] = absl::FormatCivilTime(kToday - 1);

  const FoldedReport folded = Fold({no_day, bad_day, no_ad, no_group, bare});
  EXPECT_EQ(folded.rows_unusable, 3);
  EXPECT_EQ(folded.rows_folded, 2);
  ASSERT_EQ(folded.ads.count("A9"), 1u);
  EXPECT_EQ(folded.ads.at("A9").adgroup_id, "");
  EXPECT_DOUBLE_EQ(folded.ads.at("A9").windows.yesterday.spend, 6);
  EXPECT_EQ(folded.adgroup_windows.count("-"), 0u);
  EXPECT_DOUBLE_EQ(folded.ads.at("A8").windows.yesterday.spend, 7);
}

TEST(BrainDataFoldTest, TodayIsTheAdvertisersLocalDay) {
  // 20:00 UTC is already the next day in Almaty (UTC+5; UTC+6 before 2024).
  const absl::Time now = absl::FromCivil(absl::CivilSecond(2026, 3, 10, 20, 0, 0),
                                         absl::UTCTimeZone());
  std::vector<std::string> notes;
  const ResolvedZone almaty = ResolveBrainZone("Asia/Almaty", notes);
  EXPECT_TRUE(notes.empty());
  EXPECT_EQ(almaty.name, "Asia/Almaty");
  EXPECT_EQ(BrainDatesAt(now, almaty.zone).today, absl::CivilDay(2026, 3, 11));
  EXPECT_EQ(BrainDatesAt(now, almaty.zone).yesterday, absl::CivilDay(2026, 3, 10));
  // ... and still the same day in UTC and New York.
  const ResolvedZone new_york = ResolveBrainZone("America/New_York", notes);
  EXPECT_EQ(BrainDatesAt(now, new_york.zone).today, absl::CivilDay(2026, 3, 10));
  EXPECT_EQ(BrainDatesAt(now, absl::UTCTimeZone()).today, absl::CivilDay(2026, 3, 10));
  // One second before local midnight in Almaty is still the 10th.
  const absl::Time before = absl::FromCivil(absl::CivilSecond(2026, 3, 10, 23, 59, 59), almaty.zone);
  EXPECT_EQ(BrainDatesAt(before, almaty.zone).today, absl::CivilDay(2026, 3, 10));
  EXPECT_EQ(BrainDatesAt(before + absl::Seconds(1), almaty.zone).today,
            absl::CivilDay(2026, 3, 11));
  EXPECT_TRUE(notes.empty());
}

TEST(BrainDataFoldTest, MissingZoneDefaultsToAlmatyAndAnUnknownOneToUtc) {
  std::vector<std::string> notes;
  const ResolvedZone missing = ResolveBrainZone("", notes);
  EXPECT_EQ(missing.name, kDefaultBrainTimeZone);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("Asia/Almaty"), std::string::npos) << notes[0];

  const ResolvedZone unknown = ResolveBrainZone("Mars/Olympus_Mons", notes);
  EXPECT_EQ(unknown.name, "UTC");
  EXPECT_EQ(unknown.zone, absl::UTCTimeZone());
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_NE(notes[1].find("Mars/Olympus_Mons"), std::string::npos) << notes[1];
  EXPECT_NE(notes[1].find("UTC"), std::string::npos) << notes[1];
}

TEST(BrainDataFoldTest, AssemblyKeepsSilentAdGroupsAndUnlistedOnes) {
  BrainData data;
  data.dates = BrainDatesFor(kToday);
  tiktok::AdGroup listed_with_rows;
  listed_with_rows.adgroup_id = "G1";
  listed_with_rows.campaign_id = "C1";
  listed_with_rows.campaign_name = "listed campaign C1";
  tiktok::AdGroup silent;
  silent.adgroup_id = "G2";
  silent.campaign_id = "C3";
  silent.campaign_name = "quiet campaign";
  data.ad_groups = {listed_with_rows, silent};

  FoldedReport folded;
  FoldReportRows({Row("A1", kToday - 1, "10", "100", "1", "0", "G1", "C1"),
                  Row("A2", kToday - 1, "5", "100", "1", "0", "G1", "C1"),
                  // An ad under an ad group adgroup/get did not list (deleted since).
                  Row("A3", kToday - 2, "4", "100", "1", "0", "G_GONE", "C1")},
                 data.dates, folded);
  AssembleBrainData(std::move(folded), {"C1", "C9"}, data);

  ASSERT_EQ(data.adgroup_windows.size(), 3u);
  EXPECT_DOUBLE_EQ(data.adgroup_windows.at("G1").yesterday.spend, 15);
  // No rows: zero windows, still there.
  EXPECT_DOUBLE_EQ(data.adgroup_windows.at("G2").last_30d.spend, 0);
  EXPECT_EQ(data.adgroup_windows.at("G2").today.impressions, 0);
  EXPECT_DOUBLE_EQ(data.adgroup_windows.at("G_GONE").last_3d.spend, 4);

  ASSERT_EQ(data.ads_by_adgroup.at("G1").size(), 2u);
  EXPECT_EQ(data.ads_by_adgroup.at("G1")[0].ad_id, "A1");
  EXPECT_DOUBLE_EQ(data.ads_by_adgroup.at("G1")[0].windows.yesterday.spend, 10);
  EXPECT_EQ(data.ads_by_adgroup.at("G1")[0].campaign_id, "C1");
  ASSERT_EQ(data.ads_by_adgroup.at("G_GONE").size(), 1u);
  EXPECT_EQ(data.ads_by_adgroup.count("G2"), 0u);

  // Campaigns: with rows (report's name wins), of a silent ad group, and of the options.
  ASSERT_EQ(data.campaigns.size(), 3u);
  EXPECT_DOUBLE_EQ(data.campaigns.at("C1").windows.last_3d.spend, 19);
  EXPECT_EQ(data.campaigns.at("C1").campaign_name, "campaign C1");
  EXPECT_EQ(data.campaigns.at("C3").campaign_name, "quiet campaign");
  EXPECT_DOUBLE_EQ(data.campaigns.at("C3").windows.last_30d.spend, 0);
  EXPECT_EQ(data.campaigns.at("C9").campaign_id, "C9");

  ASSERT_EQ(data.notes.size(), 1u);
  EXPECT_NE(data.notes[0].find("not listed"), std::string::npos) << data.notes[0];
}

// Found by fuzz/report_fold_fuzz (fuzz/corpus/report_fold_fuzz/regression_count_overflow): absurd
// counts in a garbled report overflowed the int64 sums (undefined behaviour); they saturate.
TEST(BrainDataFoldTest, AbsurdCountsSaturateInsteadOfOverflowing) {
  const std::string huge = "9000000000000000000";  // 9e18: two of them exceed int64
  const FoldedReport folded = Fold({Row("A1", kToday - 1, "1", huge, huge, huge),
                                    Row("A2", kToday - 1, "1", huge, "-" + huge, huge)});
  const WindowMetrics& group = folded.adgroup_windows.at("G1").yesterday;
  EXPECT_EQ(group.impressions, std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(group.conversions, std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(group.clicks, 0);  // 9e18 - 9e18: no overflow, no saturation
  EXPECT_EQ(folded.ads.at("A1").windows.last_30d.impressions, 9000000000000000000);
}

// Counts beyond int64 used to round to INT64_MIN whatever their sign.
TEST(BrainDataFoldTest, CountsBeyondInt64SaturateWithTheirSign) {
  const WindowMetrics metrics = RowMetrics(Row("A1", kToday - 1, "1", "1e30", "-1e30", "1e300"));
  EXPECT_EQ(metrics.impressions, std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(metrics.clicks, std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(metrics.conversions, std::numeric_limits<std::int64_t>::max());
}

}  // namespace
}  // namespace ttads::server
