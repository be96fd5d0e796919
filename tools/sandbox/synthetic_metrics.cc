#include "tools/sandbox/synthetic_metrics.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace ttads::sandbox {
namespace {

uint64_t Mix(uint64_t x) {  // splitmix64's finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t Fnv1a(const std::string& text) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

// Tags keep the random streams of different quantities apart.
enum Tag : uint64_t {
  kShare = 1,
  kCpm,
  kCtr,
  kCvr,
  kDay,
  kHourNoise,
  kSpendRound,
  kImpressionRound,
  kClickNoise,
  kClickRound,
  kConversionRound,
  kPlayRate,
  kRound2s,
  kRound6s,
  kRoundP25,
  kRoundP50,
  kRoundP75,
  kRoundP100,
  kRoundLikes,
  kRoundComments,
  kRoundShares,
  kRoundFollows,
  kRoundVisits,
  kOrderValue,
  kPlayRound
};

// A uniform number in [0, 1) from the key parts.
double Unit(uint64_t seed, uint64_t ad_key, uint64_t tag, uint64_t a = 0, uint64_t b = 0) {
  uint64_t h = Mix(seed ^ Mix(ad_key ^ Mix(tag ^ Mix(a * 0x100000001b3ULL + b))));
  return static_cast<double>(h >> 11) * (1.0 / 9007199254740992.0);
}

double Between(double lo, double hi, double unit) { return lo + (hi - lo) * unit; }

// floor(x), plus one with probability frac(x): unbiased, deterministic integer rounding.
int64_t RandomRound(double x, double unit) {
  if (!(x > 0)) return 0;
  double whole = std::floor(x);
  return static_cast<int64_t>(whole) + (unit < x - whole ? 1 : 0);
}

// Relative delivery by local hour of day: quiet nights, evening peak.
constexpr double kHourProfile[24] = {2.0, 1.2, 0.8, 0.6, 0.6, 0.9, 1.6, 2.6, 3.6, 4.2, 4.6, 4.9,
                                     5.2, 5.2, 5.0, 5.0, 5.3, 5.8, 6.5, 7.3, 7.6, 7.0, 5.4, 3.6};

double HourWeight(int hour) {
  static const double total = [] {
    double sum = 0;
    for (double w : kHourProfile) sum += w;
    return sum;
  }();
  return kHourProfile[hour] / total;
}

bool IsDailyMode(const std::string& mode) {
  return mode == "BUDGET_MODE_DAY" || mode == "BUDGET_MODE_DYNAMIC_DAILY_BUDGET";
}

}  // namespace

void MetricCounters::Add(const MetricCounters& o) {
  spend_cents += o.spend_cents;
  impressions += o.impressions;
  clicks += o.clicks;
  conversion += o.conversion;
  video_play_actions += o.video_play_actions;
  video_watched_2s += o.video_watched_2s;
  video_watched_6s += o.video_watched_6s;
  video_views_p25 += o.video_views_p25;
  video_views_p50 += o.video_views_p50;
  video_views_p75 += o.video_views_p75;
  video_views_p100 += o.video_views_p100;
  likes += o.likes;
  comments += o.comments;
  shares += o.shares;
  follows += o.follows;
  profile_visits += o.profile_visits;
  complete_payment += o.complete_payment;
  complete_payment_value_cents += o.complete_payment_value_cents;
  form += o.form;
  result += o.result;
}

double CurrencyFactor(const std::string& currency) {
  if (currency == "KZT") return 500;
  if (currency == "EUR") return 0.92;
  if (currency == "GBP") return 0.8;
  if (currency == "RUB") return 90;
  if (currency == "UZS") return 12500;
  if (currency == "KGS") return 87;
  if (currency == "CNY") return 7.2;
  if (currency == "JPY") return 150;
  if (currency == "TRY") return 32;
  if (currency == "BRL") return 5;
  if (currency == "IDR") return 16000;
  return 1;
}

MetricModel::MetricModel(const SandboxState& state, const SandboxConfig& config, absl::Time now)
    : state_(state), config_(config), now_(now) {}

int MetricModel::BackfillDays(const Ad& ad, const AdGroup& adgroup,
                              const Campaign& campaign) const {
  if (ad.backfill_days) return *ad.backfill_days;
  if (adgroup.backfill_days) return *adgroup.backfill_days;
  if (campaign.backfill_days) return *campaign.backfill_days;
  return config_.backfill_days;
}

double MetricModel::DailyBudget(const AdGroup& adgroup, const Campaign& campaign, absl::Time t,
                                double currency_factor) const {
  auto spread = [](double budget, const std::string& mode, absl::Duration schedule) {
    if (IsDailyMode(mode)) return budget;
    double days = std::max(1.0, std::ceil(absl::ToDoubleHours(schedule) / 24.0));
    return budget / days;
  };
  if (campaign.budget_optimize_on && campaign.budget_mode != "BUDGET_MODE_INFINITE") {
    // CBO: the campaign budget is shared; each ad group gets about half of it.
    return 0.5 * spread(campaign.BudgetAt(t), campaign.budget_mode, absl::Hours(24 * 30));
  }
  if (adgroup.budget_mode != "BUDGET_MODE_INFINITE" && adgroup.budget > 0) {
    absl::Duration schedule = adgroup.schedule_end_time
                                  ? *adgroup.schedule_end_time - adgroup.schedule_start_time
                                  : absl::Hours(24 * 30);
    return spread(adgroup.BudgetAt(t), adgroup.budget_mode, schedule);
  }
  if (campaign.budget_mode != "BUDGET_MODE_INFINITE" && campaign.budget > 0) {
    return spread(campaign.BudgetAt(t), campaign.budget_mode, absl::Hours(24 * 30));
  }
  return 50 * currency_factor;
}

absl::CivilDay MetricModel::FirstDay(const Ad& ad) const {
  auto advertiser = state_.advertisers.find(ad.advertiser_id);
  auto adgroup = state_.adgroups.find(ad.adgroup_id);
  auto campaign = state_.campaigns.find(ad.campaign_id);
  absl::TimeZone zone =
      advertiser == state_.advertisers.end() ? absl::UTCTimeZone() : advertiser->second.zone;
  absl::CivilDay created = absl::ToCivilDay(ad.create_time, zone);
  if (adgroup == state_.adgroups.end() || campaign == state_.campaigns.end()) return created;
  return created - BackfillDays(ad, adgroup->second, campaign->second);
}

absl::CivilDay MetricModel::Today(const Advertiser& advertiser) const {
  return absl::ToCivilDay(now_, advertiser.zone);
}

MetricCounters MetricModel::AdHour(const Ad& ad, absl::CivilHour hour) const {
  MetricCounters out;
  auto advertiser_it = state_.advertisers.find(ad.advertiser_id);
  auto adgroup_it = state_.adgroups.find(ad.adgroup_id);
  auto campaign_it = state_.campaigns.find(ad.campaign_id);
  if (advertiser_it == state_.advertisers.end() || adgroup_it == state_.adgroups.end() ||
      campaign_it == state_.campaigns.end()) {
    return out;
  }
  const Advertiser& advertiser = advertiser_it->second;
  const AdGroup& adgroup = adgroup_it->second;
  const Campaign& campaign = campaign_it->second;

  absl::Time start = advertiser.zone.At(hour).pre;
  if (start > now_) return out;  // the hour has not begun
  absl::CivilDay day = absl::CivilDay(hour);
  int backfill = BackfillDays(ad, adgroup, campaign);
  absl::Time budget_time = start;
  if (start < ad.create_time) {
    // Back-filled history: before creation the ad is taken to have run, within the window.
    if (backfill <= 0) return out;
    if (day < absl::ToCivilDay(ad.create_time, advertiser.zone) - backfill) return out;
    budget_time = ad.create_time;
  } else {
    if (!ad.EnabledAt(start) || !adgroup.EnabledAt(start) || !campaign.EnabledAt(start)) {
      return out;
    }
    if (start + absl::Hours(1) <= adgroup.schedule_start_time) return out;
    if (adgroup.schedule_end_time && start >= *adgroup.schedule_end_time) return out;
  }

  const uint64_t seed = config_.metrics_seed;
  const uint64_t key = Fnv1a(ad.ad_id);
  const uint64_t day_index = static_cast<uint64_t>(day - absl::CivilDay(1970, 1, 1));
  const uint64_t hour_index = static_cast<uint64_t>(hour.hour());
  const double factor = CurrencyFactor(advertiser.currency);

  double budget_cents = DailyBudget(adgroup, campaign, budget_time, factor) * 100.0;
  double share = Between(0.35, 0.75, Unit(seed, key, kShare));
  double day_level = Between(0.6, 1.05, Unit(seed, key, kDay, day_index));
  double hour_noise = Between(0.75, 1.25, Unit(seed, key, kHourNoise, day_index, hour_index));
  double spend = budget_cents * share * day_level * HourWeight(hour.hour()) * hour_noise;
  out.spend_cents = RandomRound(spend, Unit(seed, key, kSpendRound, day_index, hour_index));
  if (out.spend_cents == 0) return out;

  double cpm_cents = Between(2.5, 9.0, Unit(seed, key, kCpm)) * factor * 100.0;
  out.impressions = RandomRound(static_cast<double>(out.spend_cents) / cpm_cents * 1000.0,
                                Unit(seed, key, kImpressionRound, day_index, hour_index));
  double ctr = Between(0.006, 0.025, Unit(seed, key, kCtr)) *
               Between(0.8, 1.2, Unit(seed, key, kClickNoise, day_index, hour_index));
  out.clicks = RandomRound(static_cast<double>(out.impressions) * ctr,
                           Unit(seed, key, kClickRound, day_index, hour_index));
  double cvr = Between(0.03, 0.15, Unit(seed, key, kCvr));
  out.conversion = RandomRound(static_cast<double>(out.clicks) * cvr,
                               Unit(seed, key, kConversionRound, day_index, hour_index));

  auto round = [&](double x, Tag tag) {
    return RandomRound(x, Unit(seed, key, tag, day_index, hour_index));
  };
  double impressions = static_cast<double>(out.impressions);
  out.video_play_actions =
      round(impressions * Between(0.8, 0.95, Unit(seed, key, kPlayRate)), kPlayRound);
  double plays = static_cast<double>(out.video_play_actions);
  out.video_watched_2s = round(plays * 0.45, kRound2s);
  out.video_watched_6s = round(plays * 0.22, kRound6s);
  out.video_views_p25 = round(plays * 0.30, kRoundP25);
  out.video_views_p50 = round(plays * 0.18, kRoundP50);
  out.video_views_p75 = round(plays * 0.11, kRoundP75);
  out.video_views_p100 = round(plays * 0.07, kRoundP100);
  out.likes = round(impressions * 0.004, kRoundLikes);
  out.comments = round(impressions * 0.0004, kRoundComments);
  out.shares = round(impressions * 0.0006, kRoundShares);
  out.follows = round(impressions * 0.0003, kRoundFollows);
  out.profile_visits = round(impressions * 0.002, kRoundVisits);
  if (campaign.objective_type == "WEB_CONVERSIONS" || campaign.objective_type == "PRODUCT_SALES" ||
      campaign.objective_type == "CONVERSIONS") {
    out.complete_payment = out.conversion;
    double order_value_cents = Between(20, 60, Unit(seed, key, kOrderValue)) * factor * 100.0;
    out.complete_payment_value_cents =
        static_cast<int64_t>(std::llround(order_value_cents)) * out.complete_payment;
  }
  if (campaign.objective_type == "LEAD_GENERATION") out.form = out.conversion;
  const std::string& goal = adgroup.optimization_goal;
  if (goal == "CLICK" || goal == "TRAFFIC_LANDING_PAGE_VIEW" || goal == "PAGE_VISITS") {
    out.result = out.clicks;
  } else if (goal == "REACH" || goal == "SHOW") {
    out.result = out.impressions;
  } else if (goal == "ENGAGED_VIEW" || goal == "ENGAGED_VIEW_FIFTEEN") {
    out.result = out.video_watched_6s;
  } else {
    out.result = out.conversion;
  }
  return out;
}

MetricCounters MetricModel::AdDay(const Ad& ad, absl::CivilDay day) const {
  MetricCounters sum;
  for (int h = 0; h < 24; ++h) sum.Add(AdHour(ad, absl::CivilHour(day) + h));
  return sum;
}

}  // namespace ttads::sandbox
