// Deterministic synthetic delivery: what each ad spent and earned in each hour of the
// advertiser's local time, derived from the metrics seed, the ad's id and the state of the ad,
// its ad group and campaign at that hour (on/off history, schedule, budget). Every higher
// number is a sum of these hourly integers (money in cents), so a day is the sum of its hours,
// a range the sum of its days and a campaign the sum of its ads, exactly. Ratios (ctr, cpc, cpm,
// ...) are recomputed from the sums by the report. An ad may have history before its creation
// (back-fill): during those days it delivers as if switched on, at its creation-time budget.
#ifndef TTADS_TOOLS_SANDBOX_SYNTHETIC_METRICS_H_
#define TTADS_TOOLS_SANDBOX_SYNTHETIC_METRICS_H_

#include <cstdint>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "tools/sandbox/sandbox_config.h"
#include "tools/sandbox/sandbox_state.h"

namespace ttads::sandbox {

// Additive counters; money in cents of the account currency.
struct MetricCounters {
  int64_t spend_cents = 0;
  int64_t impressions = 0;
  int64_t clicks = 0;
  int64_t conversion = 0;
  int64_t video_play_actions = 0;
  int64_t video_watched_2s = 0;
  int64_t video_watched_6s = 0;
  int64_t video_views_p25 = 0;
  int64_t video_views_p50 = 0;
  int64_t video_views_p75 = 0;
  int64_t video_views_p100 = 0;
  int64_t likes = 0;
  int64_t comments = 0;
  int64_t shares = 0;
  int64_t follows = 0;
  int64_t profile_visits = 0;
  int64_t complete_payment = 0;
  int64_t complete_payment_value_cents = 0;
  int64_t form = 0;
  // What the ad group optimises for: clicks (CLICK and landing-page goals), impressions
  // (REACH, SHOW), 6-second views (ENGAGED_VIEW*), conversions otherwise.
  int64_t result = 0;

  void Add(const MetricCounters& other);
  // No delivery at all.
  bool Empty() const { return spend_cents == 0 && impressions == 0; }
  bool operator==(const MetricCounters& other) const = default;
};

class MetricModel {
 public:
  // `now` is the sandbox clock: hours that have not started have no data.
  MetricModel(const SandboxState& state, const SandboxConfig& config, absl::Time now);

  // The ad's counters in the local hour `hour` of its advertiser's zone; zero when it did not
  // deliver then.
  MetricCounters AdHour(const Ad& ad, absl::CivilHour hour) const;
  // The sum of the ad's 24 local hours of `day`.
  MetricCounters AdDay(const Ad& ad, absl::CivilDay day) const;
  // The first local day the ad can have data: its creation day minus its back-fill days.
  absl::CivilDay FirstDay(const Ad& ad) const;
  // The advertiser's local date at the sandbox's now.
  absl::CivilDay Today(const Advertiser& advertiser) const;

 private:
  int BackfillDays(const Ad& ad, const AdGroup& adgroup, const Campaign& campaign) const;
  // The ad group's effective daily budget (account currency) at `t`.
  double DailyBudget(const AdGroup& adgroup, const Campaign& campaign, absl::Time t,
                     double currency_factor) const;

  const SandboxState& state_;
  const SandboxConfig& config_;
  absl::Time now_;
};

// Roughly how many units of `currency` make one US dollar (scales CPMs and order values).
double CurrencyFactor(const std::string& currency);

}  // namespace ttads::sandbox

#endif  // TTADS_TOOLS_SANDBOX_SYNTHETIC_METRICS_H_
