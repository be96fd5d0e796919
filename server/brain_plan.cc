#include "server/brain_plan.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace ttads::server {
namespace {

const AdGroupSnapshot* FindAdGroup(const std::vector<AdGroupSnapshot>& ad_groups,
                                   const std::string& adgroup_id) {
  for (const AdGroupSnapshot& group : ad_groups) {
    if (group.adgroup_id == adgroup_id) return &group;
  }
  return nullptr;
}

std::string TargetOf(const PlannedAction& action) {
  return !action.ad_id.empty() ? action.ad_id : action.adgroup_id;
}

// Lower is applied first when the action budget runs out: protect spend before growing it.
int Priority(const PlannedAction& action) {
  if (action.type == kPauseAd || action.type == kPauseAdGroup) return 0;
  if (action.type == kUpdateAdGroupBudget && action.new_budget.has_value() &&
      action.old_budget.has_value() && *action.new_budget < *action.old_budget) {
    return 1;
  }
  return 2;
}

}  // namespace

std::vector<PlannedAction> DeterministicPlan(const std::vector<AdGroupSnapshot>& ad_groups,
                                             const PlanPolicy& policy) {
  std::vector<PlannedAction> plan;
  for (const AdGroupSnapshot& group : ad_groups) {
    if (group.operation_status != "ENABLE" || group.health.skipped) continue;
    const std::string& health_class = group.health.health_class;
    if (health_class == "very_good" || health_class == "bad") {
      const bool raise = health_class == "very_good";
      const double factor = raise ? policy.raise_factor : policy.cut_factor;
      plan.push_back({kUpdateAdGroupBudget, group.campaign_id, group.adgroup_id, "",
                      group.daily_budget, std::round(group.daily_budget * factor),
                      absl::StrFormat("health %s (score %d): budget x%.1f", health_class,
                                      group.health.score, factor)});
    }
    std::vector<const AdSnapshot*> spending;
    for (const AdSnapshot& ad : group.ads) {
      if (ad.spend_yesterday > 0 && ad.operation_status == "ENABLE") spending.push_back(&ad);
    }
    if (spending.size() < 2) continue;
    const AdSnapshot* top = *std::max_element(
        spending.begin(), spending.end(),
        [](const AdSnapshot* a, const AdSnapshot* b) { return a->spend_yesterday < b->spend_yesterday; });
    const std::optional<double> cpl = CostPerLead(top->spend_yesterday, top->leads_yesterday);
    if (!cpl.has_value() || *cpl > policy.pause_ad_cpl_ratio * policy.target_cpl) {
      plan.push_back({kPauseAd, group.campaign_id, group.adgroup_id, top->ad_id, std::nullopt,
                      std::nullopt,
                      cpl.has_value()
                          ? absl::StrFormat("top-spend ad: CPL %.0f above %.1fx target %.0f", *cpl,
                                            policy.pause_ad_cpl_ratio, policy.target_cpl)
                          : absl::StrFormat("top-spend ad: %.0f spent, no leads",
                                            top->spend_yesterday)});
    }
  }
  return plan;
}

GuardedPlan ApplyGuards(const std::vector<PlannedAction>& proposed,
                        const std::vector<AdGroupSnapshot>& ad_groups, const PlanPolicy& policy,
                        const std::string& report_only_reason, absl::Time now) {
  GuardedPlan result;
  const auto drop = [&](const PlannedAction& action, const std::string& guard,
                        const std::string& detail) {
    result.outcomes.push_back({guard, "dropped", action.type, TargetOf(action), detail});
  };
  std::vector<PlannedAction> kept;
  for (PlannedAction action : proposed) {
    if (std::find(policy.allowed_types.begin(), policy.allowed_types.end(), action.type) ==
        policy.allowed_types.end()) {
      drop(action, "whitelist", "action type not allowed for the brain");
      continue;
    }
    if (!report_only_reason.empty()) {
      drop(action, "report_only", report_only_reason);
      continue;
    }
    const AdGroupSnapshot* group = FindAdGroup(ad_groups, action.adgroup_id);
    if (group == nullptr) {
      drop(action, "unknown_adgroup", "the ad group is not part of this account's data");
      continue;
    }
    action.campaign_id = group->campaign_id;
    if (group->impressions_yesterday < policy.min_impressions) {
      drop(action, "min_data",
           absl::StrCat(group->impressions_yesterday, " impressions yesterday, fewer than ",
                        policy.min_impressions));
      continue;
    }
    if (action.type == kUpdateAdGroupBudget) {
      action.old_budget = group->daily_budget;
      if (!action.new_budget.has_value() || !std::isfinite(*action.new_budget)) {
        drop(action, "budget_bounds", "no valid new_budget");
        continue;
      }
      if (group->last_budget_change.has_value() &&
          now - *group->last_budget_change < policy.budget_cooldown) {
        drop(action, "cooldown",
             absl::StrCat("budget changed ", absl::FormatDuration(now - *group->last_budget_change),
                          " ago; cooldown ", absl::FormatDuration(policy.budget_cooldown)));
        continue;
      }
      const double requested = *action.new_budget;
      double budget = std::clamp(requested, group->daily_budget * policy.max_step_down,
                                 group->daily_budget * policy.max_step_up);
      if (budget != requested) {
        result.outcomes.push_back({"step_limit", "changed", action.type, action.adgroup_id,
                                   absl::StrFormat("%.2f -> %.2f (steps +%.0f%%/-%.0f%%)",
                                                   requested, budget,
                                                   (policy.max_step_up - 1) * 100,
                                                   (1 - policy.max_step_down) * 100)});
      }
      const double bounded = std::clamp(std::round(budget), policy.min_budget, policy.max_budget);
      if (bounded != std::round(budget)) {
        result.outcomes.push_back({"budget_bounds", "changed", action.type, action.adgroup_id,
                                   absl::StrFormat("%.2f -> %.2f (min %.0f, max %.0f)", budget,
                                                   bounded, policy.min_budget,
                                                   policy.max_budget)});
      }
      action.new_budget = bounded;
      if (bounded == group->daily_budget) {
        drop(action, "no_change", absl::StrFormat("budget stays %.2f", bounded));
        continue;
      }
    }
    kept.push_back(std::move(action));
  }

  std::stable_sort(kept.begin(), kept.end(), [](const PlannedAction& a, const PlannedAction& b) {
    return Priority(a) < Priority(b);
  });
  if (static_cast<int>(kept.size()) > policy.max_actions) {
    for (std::size_t i = policy.max_actions; i < kept.size(); ++i) {
      drop(kept[i], "max_actions", absl::StrCat("more than ", policy.max_actions, " changes"));
    }
    kept.resize(policy.max_actions);
  }

  std::set<std::string> campaigns;
  for (const PlannedAction& action : kept) {
    if (!action.campaign_id.empty() && campaigns.insert(action.campaign_id).second) {
      result.actions.push_back({kGetCampaignStatus, action.campaign_id, "", "", std::nullopt,
                                std::nullopt, "check the campaign before changing it"});
    }
  }
  result.actions.insert(result.actions.end(), kept.begin(), kept.end());
  return result;
}

}  // namespace ttads::server
