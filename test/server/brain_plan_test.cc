#include "server/brain_plan.h"

#include "gtest/gtest.h"

namespace ttads::server {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1795000000);

AdGroupSnapshot Group(const std::string& id, const std::string& health_class, double budget) {
  AdGroupSnapshot group;
  group.adgroup_id = id;
  group.campaign_id = "c-" + id;
  group.operation_status = "ENABLE";
  group.daily_budget = budget;
  group.impressions_yesterday = 5000;
  group.health.health_class = health_class;
  group.health.score = health_class == "very_good" ? 40 : health_class == "bad" ? -40 : 0;
  return group;
}

const GuardOutcome* OutcomeOf(const GuardedPlan& plan, const std::string& guard) {
  for (const GuardOutcome& outcome : plan.outcomes) {
    if (outcome.guard == guard) return &outcome;
  }
  return nullptr;
}

TEST(DeterministicPlanTest, RaisesVeryGoodAndCutsBad) {
  const std::vector<AdGroupSnapshot> groups = {Group("1", "very_good", 10000),
                                               Group("2", "bad", 10000), Group("3", "good", 10000)};
  const auto plan = DeterministicPlan(groups, PlanPolicy());
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_EQ(plan[0].type, kUpdateAdGroupBudget);
  EXPECT_EQ(*plan[0].new_budget, 13000);
  EXPECT_EQ(*plan[1].new_budget, 5000);
}

TEST(DeterministicPlanTest, InactiveOrSkippedGroupsAreLeftAlone) {
  AdGroupSnapshot paused = Group("1", "bad", 10000);
  paused.operation_status = "DISABLE";
  AdGroupSnapshot skipped = Group("2", "bad", 10000);
  skipped.health.skipped = true;
  EXPECT_TRUE(DeterministicPlan({paused, skipped}, PlanPolicy()).empty());
}

TEST(DeterministicPlanTest, PausesTheTopSpendingAdOnlyWhenItsLeadsAreTooDear) {
  AdGroupSnapshot group = Group("1", "neutral", 10000);
  group.ads = {{"a1", "ENABLE", 9000, 1}, {"a2", "ENABLE", 3000, 2}};  // a1: CPL 9000 > 6500
  auto plan = DeterministicPlan({group}, PlanPolicy());
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_EQ(plan[0].type, kPauseAd);
  EXPECT_EQ(plan[0].ad_id, "a1");

  group.ads = {{"a1", "ENABLE", 9000, 3}, {"a2", "ENABLE", 3000, 0}};  // a1: CPL 3000: fine
  EXPECT_TRUE(DeterministicPlan({group}, PlanPolicy()).empty());
  group.ads = {{"a1", "ENABLE", 9000, 0}};  // only one spending ad: never paused
  EXPECT_TRUE(DeterministicPlan({group}, PlanPolicy()).empty());
  group.ads = {{"a1", "ENABLE", 9000, 0}, {"a2", "ENABLE", 10, 0}};  // no leads at all
  plan = DeterministicPlan({group}, PlanPolicy());
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_EQ(plan[0].ad_id, "a1");
}

TEST(GuardsTest, PrependsOneStatusCheckPerTouchedCampaign) {
  const std::vector<AdGroupSnapshot> groups = {Group("1", "very_good", 10000),
                                               Group("2", "bad", 10000)};
  const GuardedPlan plan =
      ApplyGuards(DeterministicPlan(groups, PlanPolicy()), groups, PlanPolicy(), "", kNow);
  ASSERT_EQ(plan.actions.size(), 4u);
  EXPECT_EQ(plan.actions[0].type, kGetCampaignStatus);
  EXPECT_EQ(plan.actions[1].type, kGetCampaignStatus);
  // The cut comes before the raise: protecting spend goes first.
  EXPECT_EQ(plan.actions[2].adgroup_id, "2");
  EXPECT_EQ(plan.actions[3].adgroup_id, "1");
  EXPECT_TRUE(plan.outcomes.empty());
}

TEST(GuardsTest, ReportOnlyDropsEverythingAndSaysWhy) {
  const std::vector<AdGroupSnapshot> groups = {Group("1", "very_good", 10000)};
  const GuardedPlan plan = ApplyGuards(DeterministicPlan(groups, PlanPolicy()), groups,
                                       PlanPolicy(), "account_inactive", kNow);
  EXPECT_TRUE(plan.actions.empty());
  ASSERT_NE(OutcomeOf(plan, "report_only"), nullptr);
  EXPECT_EQ(OutcomeOf(plan, "report_only")->detail, "account_inactive");
}

TEST(GuardsTest, ClampsBudgetsToStepsAndBounds) {
  const std::vector<AdGroupSnapshot> groups = {Group("1", "neutral", 4000),
                                               Group("2", "neutral", 3000)};
  // An LLM proposes tripling one budget and cutting the other to 100.
  const std::vector<PlannedAction> proposed = {
      {kUpdateAdGroupBudget, "", "1", "", std::nullopt, 12000.0, "llm"},
      {kUpdateAdGroupBudget, "", "2", "", std::nullopt, 100.0, "llm"}};
  const GuardedPlan plan = ApplyGuards(proposed, groups, PlanPolicy(), "", kNow);
  ASSERT_EQ(plan.actions.size(), 4u);
  EXPECT_EQ(*plan.actions[2].new_budget, 2500);  // step limit 1500, then the KZT minimum
  EXPECT_EQ(*plan.actions[3].new_budget, 5200);  // +30 % at most
  EXPECT_NE(OutcomeOf(plan, "step_limit"), nullptr);
  EXPECT_NE(OutcomeOf(plan, "budget_bounds"), nullptr);
}

TEST(GuardsTest, DropsWhatItCannotJustify) {
  AdGroupSnapshot thin = Group("1", "very_good", 10000);
  thin.impressions_yesterday = 120;
  AdGroupSnapshot recent = Group("2", "very_good", 10000);
  recent.last_budget_change = kNow - absl::Hours(3);
  AdGroupSnapshot floor = Group("3", "bad", 2500);  // halving hits the minimum: no change
  const std::vector<AdGroupSnapshot> groups = {thin, recent, floor};
  std::vector<PlannedAction> proposed = DeterministicPlan(groups, PlanPolicy());
  proposed.push_back({"TikTok.DeleteCampaign", "", "1", "", std::nullopt, std::nullopt, "llm"});
  proposed.push_back({kPauseAdGroup, "", "999", "", std::nullopt, std::nullopt, "llm"});
  const GuardedPlan plan = ApplyGuards(proposed, groups, PlanPolicy(), "", kNow);
  EXPECT_TRUE(plan.actions.empty());
  for (const char* guard : {"min_data", "cooldown", "no_change", "whitelist", "unknown_adgroup"}) {
    EXPECT_NE(OutcomeOf(plan, guard), nullptr) << guard;
  }
}

TEST(GuardsTest, AtMostMaxActionsChangesKeepingPausesFirst) {
  std::vector<AdGroupSnapshot> groups;
  std::vector<PlannedAction> proposed;
  for (int i = 0; i < 6; ++i) {
    groups.push_back(Group(std::to_string(i), "very_good", 10000));
    groups.back().campaign_id = "c";
    proposed.push_back({kUpdateAdGroupBudget, "", std::to_string(i), "", std::nullopt, 13000.0, ""});
  }
  proposed.push_back({kPauseAdGroup, "", "5", "", std::nullopt, std::nullopt, "llm"});
  PlanPolicy policy;
  policy.max_actions = 3;
  const GuardedPlan plan = ApplyGuards(proposed, groups, policy, "", kNow);
  ASSERT_EQ(plan.actions.size(), 4u);  // one status read + 3 changes
  EXPECT_EQ(plan.actions[1].type, kPauseAdGroup);
  int dropped = 0;
  for (const GuardOutcome& outcome : plan.outcomes) dropped += outcome.guard == "max_actions";
  EXPECT_EQ(dropped, 4);
}

}  // namespace
}  // namespace ttads::server
