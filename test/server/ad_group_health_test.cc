#include "server/ad_group_health.h"

#include "gtest/gtest.h"

namespace ttads::server {
namespace {

WindowMetrics Window(double spend, std::int64_t impressions, std::int64_t clicks,
                     std::int64_t conversions) {
  return {spend, impressions, clicks, conversions};
}

TEST(LeadsTest, ObjectiveDecidesWhatALeadIs) {
  const WindowMetrics metrics = Window(1000, 5000, 120, 7);
  EXPECT_EQ(LeadsFor(metrics, "traffic"), 120);
  EXPECT_EQ(LeadsFor(metrics, "TRAFFIC"), 120);
  EXPECT_EQ(LeadsFor(metrics, "click"), 120);
  EXPECT_EQ(LeadsFor(metrics, "lead_generation"), 7);
  EXPECT_EQ(LeadsFor(metrics, "conversions"), 7);
  EXPECT_EQ(LeadsFor(metrics, "reach"), 7);  // conversions when there are any
  EXPECT_EQ(LeadsFor(Window(10, 10, 3, 0), "reach"), 3);  // else clicks
}

TEST(RatesTest, NoDenominatorMeansUnknown) {
  EXPECT_FALSE(CostPerLead(100, 0).has_value());
  EXPECT_DOUBLE_EQ(*CostPerLead(100, 4), 25);
  EXPECT_FALSE(ClickThroughRate(Window(0, 0, 0, 0)).has_value());
  EXPECT_DOUBLE_EQ(*ClickThroughRate(Window(0, 2000, 30, 0)), 1.5);
  EXPECT_DOUBLE_EQ(*CostPerMille(Window(500, 2000, 0, 0)), 250);
}

TEST(HealthClassTest, Boundaries) {
  EXPECT_EQ(HealthClass(25), "very_good");
  EXPECT_EQ(HealthClass(24), "good");
  EXPECT_EQ(HealthClass(5), "good");
  EXPECT_EQ(HealthClass(4), "neutral");
  EXPECT_EQ(HealthClass(-4), "neutral");
  EXPECT_EQ(HealthClass(-5), "neutral_low");
  EXPECT_EQ(HealthClass(-24), "neutral_low");
  EXPECT_EQ(HealthClass(-25), "bad");
}

TEST(MedianTest, IgnoresUnknownAndAveragesTheMiddlePair) {
  EXPECT_FALSE(MedianCpm({std::nullopt}).has_value());
  EXPECT_DOUBLE_EQ(*MedianCpm({3.0, std::nullopt, 1.0, 2.0}), 2.0);
  EXPECT_DOUBLE_EQ(*MedianCpm({4.0, 1.0, 2.0, 3.0}), 2.5);
}

TEST(ScoreTest, NoSpendAndNoLeadsIsNotJudged) {
  AdGroupWindows windows;
  const HealthScore score = ScoreAdGroup(windows, "lead_generation", 5000, std::nullopt);
  EXPECT_TRUE(score.skipped);
}

TEST(ScoreTest, CheapLeadsWithImprovingTrendAreVeryGood) {
  AdGroupWindows windows;
  // Yesterday: 10 leads for 30 000 → CPL 3000 against a target of 5000 (ratio 0.6: +45).
  windows.yesterday = Window(30000, 20000, 400, 10);
  windows.last_3d = Window(90000, 60000, 1200, 30);    // CPL 3000
  windows.last_7d = Window(245000, 140000, 2800, 70);  // CPL 3500: 3d better (+15)
  windows.last_30d = Window(1200000, 600000, 12000, 300);  // CPL 4000: 7d better (+15)
  const HealthScore score = ScoreAdGroup(windows, "lead_generation", 5000, 1500.0);
  EXPECT_FALSE(score.skipped);
  EXPECT_DOUBLE_EQ(score.cpl_gap, 45);
  EXPECT_DOUBLE_EQ(score.trend, 30);
  EXPECT_DOUBLE_EQ(score.ctr_penalty, 0);   // CTR 2 %
  EXPECT_DOUBLE_EQ(score.cpm_penalty, 0);   // CPM 1500, median 1500
  EXPECT_DOUBLE_EQ(score.volume_factor, 1);
  EXPECT_EQ(score.score, 75);
  EXPECT_EQ(score.health_class, "very_good");
  EXPECT_DOUBLE_EQ(*score.cpl_yesterday, 3000);
}

TEST(ScoreTest, ExpensiveLeadsLowCtrAndHighCpmAreBad) {
  AdGroupWindows windows;
  // CPL 10 000 vs target 5000 (ratio 2: −45); CTR 0.5 % (−8); CPM 5000 vs median 2000 (−12).
  windows.yesterday = Window(20000, 4000, 20, 2);
  windows.last_3d = Window(60000, 12000, 60, 5);  // CPL 12 000
  windows.last_7d = Window(100000, 30000, 150, 10);  // CPL 10 000: 3d worse (−7.5)
  windows.last_30d = Window(300000, 100000, 500, 40);  // CPL 7500: 7d worse (−7.5)
  const HealthScore score = ScoreAdGroup(windows, "lead_generation", 5000, 2000.0);
  EXPECT_DOUBLE_EQ(score.cpl_gap, -45);
  EXPECT_DOUBLE_EQ(score.trend, -15);
  EXPECT_DOUBLE_EQ(score.ctr_penalty, -8);
  EXPECT_DOUBLE_EQ(score.cpm_penalty, -12);
  EXPECT_EQ(score.score, -80);
  EXPECT_EQ(score.health_class, "bad");
}

TEST(ScoreTest, TodaysRecoveryGivesBackThePenalty) {
  AdGroupWindows windows;
  windows.yesterday = Window(20000, 5000, 100, 2);  // CPL 10 000: −45
  windows.today = Window(4000, 1000, 30, 2);       // CPL 2000: ratio 0.2 → +45 + 15
  const HealthScore score = ScoreAdGroup(windows, "lead_generation", 5000, std::nullopt);
  EXPECT_DOUBLE_EQ(score.cpl_gap, -45);
  EXPECT_DOUBLE_EQ(score.today_adjustment, 60);
  EXPECT_EQ(score.score, 15);

  windows.today = Window(4000, 299, 30, 2);  // too few impressions today: no adjustment
  EXPECT_DOUBLE_EQ(ScoreAdGroup(windows, "lead_generation", 5000, std::nullopt).today_adjustment,
                   0);
  windows.today = Window(13000, 1000, 30, 2);  // CPL 6500: ratio 0.65 → 0.6 × 45 + 10
  EXPECT_DOUBLE_EQ(ScoreAdGroup(windows, "lead_generation", 5000, std::nullopt).today_adjustment,
                   37);
}

TEST(ScoreTest, LowVolumeDampsTheScore) {
  AdGroupWindows windows;
  windows.yesterday = Window(3000, 550, 20, 1);  // CPL 3000: +45; CTR 3.6 %
  const HealthScore score = ScoreAdGroup(windows, "lead_generation", 5000, std::nullopt);
  EXPECT_DOUBLE_EQ(score.volume_factor, 0.8);  // 0.6 + 0.4 × (550 − 100) / 900
  EXPECT_EQ(score.score, 36);
  windows.yesterday.impressions = 40;  // below 100: the floor
  EXPECT_DOUBLE_EQ(ScoreAdGroup(windows, "lead_generation", 5000, std::nullopt).volume_factor, 0.6);
}

TEST(ScoreTest, NoLeadsYesterdayGivesNoCplGap) {
  AdGroupWindows windows;
  windows.yesterday = Window(8000, 3000, 45, 0);
  const HealthScore score = ScoreAdGroup(windows, "lead_generation", 5000, std::nullopt);
  EXPECT_FALSE(score.skipped);  // it spent
  EXPECT_DOUBLE_EQ(score.cpl_gap, 0);
  EXPECT_FALSE(score.cpl_yesterday.has_value());
}

}  // namespace
}  // namespace ttads::server
