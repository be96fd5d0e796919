// The brain's judgement of one ad group: leads by objective, CPL, CTR, CPM and the health score
// with every component kept, so a score can be explained. The rules are the existing system's
// (shared/reference/tiktok-api-v1.3.md §14), minus its bugs; pure functions, no I/O.
#ifndef TTADS_SERVER_AD_GROUP_HEALTH_H_
#define TTADS_SERVER_AD_GROUP_HEALTH_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace ttads::server {

// Sums of one entity over one window.
struct WindowMetrics {
  double spend = 0;  // account currency
  std::int64_t impressions = 0;
  std::int64_t clicks = 0;
  std::int64_t conversions = 0;

  WindowMetrics& operator+=(const WindowMetrics& other);
};

// Which metric counts as a lead for an objective (lower-cased substring match, as today):
// "traffic"/"click" → clicks; "lead" or "conversion" → conversions; anything else →
// conversions when there are any, else clicks.
std::int64_t LeadsFor(const WindowMetrics& metrics, absl::string_view objective);

// spend / leads; nullopt when there are no leads (the existing system's "infinite" CPL).
std::optional<double> CostPerLead(double spend, std::int64_t leads);
// clicks / impressions in percent; nullopt without impressions.
std::optional<double> ClickThroughRate(const WindowMetrics& metrics);
// spend per 1000 impressions; nullopt without impressions.
std::optional<double> CostPerMille(const WindowMetrics& metrics);

// The windows the brain compares. `last_3d`/`last_7d`/`last_30d` end yesterday (ttads's choice:
// the existing system included today, so they covered 4, 8 and 31 days).
struct AdGroupWindows {
  WindowMetrics yesterday;
  WindowMetrics last_3d;
  WindowMetrics last_7d;
  WindowMetrics last_30d;
  WindowMetrics today;
};

struct HealthScore {
  bool skipped = false;  // no spend and no leads yesterday: not judged
  // Components, in points (positive is good).
  double cpl_gap = 0;           // yesterday's CPL vs target: +45 … −45
  double trend = 0;             // 3d vs 7d and 7d vs 30d CPL: +15 each better, −7.5 each worse
  double ctr_penalty = 0;       // −8 when yesterday's CTR < 1 %
  double cpm_penalty = 0;       // −12 when yesterday's CPM > 1.3 × the account median
  double today_adjustment = 0;  // recovery seen today (≥ 300 impressions)
  double volume_factor = 1;     // 0.6 … 1.0 damping below 1000 impressions yesterday
  double raw = 0;               // sum of the components
  int score = 0;                // round(raw × volume_factor)
  std::string health_class;     // very_good | good | neutral | neutral_low | bad
  // Figures the components were computed from.
  std::int64_t leads_yesterday = 0;
  std::optional<double> cpl_yesterday;
  std::optional<double> ctr_yesterday;
  std::optional<double> cpm_yesterday;
};

// Scores one ad group. `target_cpl` > 0 in the account currency; `median_cpm` is the median
// yesterday CPM over the account's ad groups (nullopt when none had impressions).
HealthScore ScoreAdGroup(const AdGroupWindows& windows, absl::string_view objective,
                         double target_cpl, std::optional<double> median_cpm);

// The class of a score: ≥25 very_good, ≥5 good, ≤−25 bad, ≤−5 neutral_low, else neutral.
std::string HealthClass(int score);

// Median of the CPMs that exist (nullopt for none).
std::optional<double> MedianCpm(const std::vector<std::optional<double>>& cpms);

}  // namespace ttads::server

#endif  // TTADS_SERVER_AD_GROUP_HEALTH_H_
