#include "server/ad_group_health.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace ttads::server {
namespace {

// Weights of the existing system (freq_penalty 10 exists there but is unused: no frequency).
constexpr double kCplGapWeight = 45;
constexpr double kTrendWeight = 15;
constexpr double kCtrPenalty = 8;
constexpr double kCpmPenalty = 12;
constexpr std::int64_t kTodayMinImpressions = 300;
constexpr std::int64_t kFullVolumeImpressions = 1000;
constexpr std::int64_t kMinVolumeImpressions = 100;

double CplGapPoints(double ratio) {
  if (ratio <= 0.7) return kCplGapWeight;
  if (ratio <= 0.9) return 30;
  if (ratio <= 1.1) return 10;
  if (ratio <= 1.3) return -30;
  return -kCplGapWeight;
}

// +weight when `recent` is cheaper than `older`, −weight/2 when dearer; 0 when either is unknown.
double TrendPoints(std::optional<double> recent, std::optional<double> older) {
  if (!recent.has_value() || !older.has_value()) return 0;
  if (*recent < *older) return kTrendWeight;
  if (*recent > *older) return -kTrendWeight / 2;
  return 0;
}

// Saturates instead of overflowing: a garbled report (absurd counts, e.g. "clicks":
// "780000000000000001012") must not make the fold's sums undefined behaviour.
void AddCount(std::int64_t& total, std::int64_t count) {
  if (__builtin_add_overflow(total, count, &total)) {
    total = count > 0 ? std::numeric_limits<std::int64_t>::max()
                      : std::numeric_limits<std::int64_t>::min();
  }
}

}  // namespace

WindowMetrics& WindowMetrics::operator+=(const WindowMetrics& other) {
  spend += other.spend;
  AddCount(impressions, other.impressions);
  AddCount(clicks, other.clicks);
  AddCount(conversions, other.conversions);
  return *this;
}

std::int64_t LeadsFor(const WindowMetrics& metrics, absl::string_view objective) {
  const std::string lowered = absl::AsciiStrToLower(objective);
  if (absl::StrContains(lowered, "traffic") || absl::StrContains(lowered, "click")) {
    return metrics.clicks;
  }
  if (absl::StrContains(lowered, "lead") || absl::StrContains(lowered, "conversion")) {
    return metrics.conversions;
  }
  return metrics.conversions > 0 ? metrics.conversions : metrics.clicks;
}

std::optional<double> CostPerLead(double spend, std::int64_t leads) {
  if (leads <= 0) return std::nullopt;
  return spend / static_cast<double>(leads);
}

std::optional<double> ClickThroughRate(const WindowMetrics& metrics) {
  if (metrics.impressions <= 0) return std::nullopt;
  return 100.0 * static_cast<double>(metrics.clicks) / static_cast<double>(metrics.impressions);
}

std::optional<double> CostPerMille(const WindowMetrics& metrics) {
  if (metrics.impressions <= 0) return std::nullopt;
  return 1000.0 * metrics.spend / static_cast<double>(metrics.impressions);
}

std::string HealthClass(int score) {
  if (score >= 25) return "very_good";
  if (score >= 5) return "good";
  if (score <= -25) return "bad";
  if (score <= -5) return "neutral_low";
  return "neutral";
}

std::optional<double> MedianCpm(const std::vector<std::optional<double>>& cpms) {
  std::vector<double> values;
  for (const std::optional<double>& cpm : cpms) {
    if (cpm.has_value()) values.push_back(*cpm);
  }
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const std::size_t middle = values.size() / 2;
  return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

HealthScore ScoreAdGroup(const AdGroupWindows& windows, absl::string_view objective,
                         double target_cpl, std::optional<double> median_cpm) {
  HealthScore result;
  const WindowMetrics& yesterday = windows.yesterday;
  result.leads_yesterday = LeadsFor(yesterday, objective);
  result.cpl_yesterday = CostPerLead(yesterday.spend, result.leads_yesterday);
  result.ctr_yesterday = ClickThroughRate(yesterday);
  result.cpm_yesterday = CostPerMille(yesterday);
  if (yesterday.spend <= 0 && result.leads_yesterday == 0) {
    result.skipped = true;
    result.health_class = "neutral";
    return result;
  }

  if (result.cpl_yesterday.has_value() && target_cpl > 0) {
    result.cpl_gap = CplGapPoints(*result.cpl_yesterday / target_cpl);
  }
  const auto cpl_of = [&](const WindowMetrics& window) {
    return CostPerLead(window.spend, LeadsFor(window, objective));
  };
  result.trend = TrendPoints(cpl_of(windows.last_3d), cpl_of(windows.last_7d)) +
                 TrendPoints(cpl_of(windows.last_7d), cpl_of(windows.last_30d));
  if (result.ctr_yesterday.has_value() && *result.ctr_yesterday < 1.0) {
    result.ctr_penalty = -kCtrPenalty;
  }
  if (result.cpm_yesterday.has_value() && median_cpm.has_value() &&
      *result.cpm_yesterday > 1.3 * *median_cpm) {
    result.cpm_penalty = -kCpmPenalty;
  }
  if (windows.today.impressions >= kTodayMinImpressions && result.cpl_yesterday.has_value()) {
    const std::optional<double> cpl_today = cpl_of(windows.today);
    if (cpl_today.has_value()) {
      const double ratio = *cpl_today / *result.cpl_yesterday;
      const double penalty = result.cpl_gap < 0 ? -result.cpl_gap : 0;
      if (ratio <= 0.5) {
        result.today_adjustment = penalty + 15;
      } else if (ratio <= 0.7) {
        result.today_adjustment = 0.6 * penalty + 10;
      } else if (ratio <= 0.9) {
        result.today_adjustment = 5;
      }
    }
  }
  result.raw = result.cpl_gap + result.trend + result.ctr_penalty + result.cpm_penalty +
               result.today_adjustment;
  if (yesterday.impressions < kFullVolumeImpressions) {
    const double clamped = static_cast<double>(
        std::clamp(yesterday.impressions, kMinVolumeImpressions, kFullVolumeImpressions));
    result.volume_factor = 0.6 + 0.4 * (clamped - kMinVolumeImpressions) /
                                     (kFullVolumeImpressions - kMinVolumeImpressions);
  }
  result.score = static_cast<int>(std::lround(result.raw * result.volume_factor));
  result.health_class = HealthClass(result.score);
  return result;
}

}  // namespace ttads::server
