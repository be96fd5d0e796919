// The brain's decisions for one account: the deterministic plan (the existing system's rules)
// and the guards every plan passes — deterministic or proposed by an LLM — before anything is
// dispatched. Each guard that changed or dropped an action says so. Pure functions, no I/O.
#ifndef TTADS_SERVER_BRAIN_PLAN_H_
#define TTADS_SERVER_BRAIN_PLAN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "server/ad_group_health.h"

namespace ttads::server {

// Action type names, as on the wire.
inline constexpr char kGetCampaignStatus[] = "TikTok.GetCampaignStatus";
inline constexpr char kUpdateAdGroupBudget[] = "TikTok.UpdateAdGroupBudget";
inline constexpr char kPauseAd[] = "TikTok.PauseAd";
inline constexpr char kPauseAdGroup[] = "TikTok.PauseAdGroup";
inline constexpr char kResumeAdGroup[] = "TikTok.ResumeAdGroup";

struct AdSnapshot {
  std::string ad_id;
  std::string operation_status;  // ENABLE | DISABLE | DELETE
  double spend_yesterday = 0;
  std::int64_t leads_yesterday = 0;
};

struct AdGroupSnapshot {
  std::string adgroup_id;
  std::string campaign_id;
  std::string operation_status;  // ENABLE | DISABLE | DELETE
  double daily_budget = 0;       // account currency
  std::int64_t impressions_yesterday = 0;
  HealthScore health;
  std::vector<AdSnapshot> ads;
  // When ttads last changed this ad group's budget (for the cooldown guard).
  std::optional<absl::Time> last_budget_change;
};

struct PlanPolicy {
  double target_cpl = 5000;  // account currency
  double min_budget = 2500;  // account currency, from the per-currency table
  double max_budget = 100000000;
  double raise_factor = 1.3;   // very_good
  double cut_factor = 0.5;     // bad
  double max_step_up = 1.3;    // a run never raises a budget by more than 30 %
  double max_step_down = 0.5;  // … nor cuts it below half
  double pause_ad_cpl_ratio = 1.3;
  int max_actions = 5;  // changes per run; status reads are not counted
  absl::Duration budget_cooldown = absl::Hours(24);
  std::int64_t min_impressions = 300;  // no decision on less data than this yesterday
  std::vector<std::string> allowed_types = {kUpdateAdGroupBudget, kPauseAd, kPauseAdGroup,
                                            kResumeAdGroup};
};

struct PlannedAction {
  std::string type;
  std::string campaign_id;
  std::string adgroup_id;
  std::string ad_id;
  std::optional<double> old_budget;
  std::optional<double> new_budget;
  std::string reason;  // why it was proposed
};

// What a guard did to one proposed action.
struct GuardOutcome {
  std::string guard;  // whitelist | report_only | unknown_adgroup | min_data | cooldown |
                      // budget_bounds | step_limit | no_change | max_actions
  std::string effect;  // dropped | changed
  std::string action_type;
  std::string target_id;
  std::string detail;
};

struct GuardedPlan {
  std::vector<PlannedAction> actions;  // status reads first, then the changes in order
  std::vector<GuardOutcome> outcomes;
};

// The existing system's rules: very_good → budget × 1.3, bad → × 0.5, and in an ad group with at
// least two spending ads the top spender is paused when it has no leads or a CPL above
// 1.3 × target. Only active ad groups; nothing when skipped by the score.
std::vector<PlannedAction> DeterministicPlan(const std::vector<AdGroupSnapshot>& ad_groups,
                                             const PlanPolicy& policy);

// Applies every guard to `proposed` (any source) and prepends a TikTok.GetCampaignStatus for
// each campaign a kept change touches. `report_only_reason` non-empty drops every change.
GuardedPlan ApplyGuards(const std::vector<PlannedAction>& proposed,
                        const std::vector<AdGroupSnapshot>& ad_groups, const PlanPolicy& policy,
                        const std::string& report_only_reason, absl::Time now);

}  // namespace ttads::server

#endif  // TTADS_SERVER_BRAIN_PLAN_H_
