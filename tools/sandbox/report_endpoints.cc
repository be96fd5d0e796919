// report/integrated/get/ (reference §8): the synchronous BASIC report over the synthetic
// metrics. Dates are local days of the advertiser's time zone; ranges are limited to 30 days
// with stat_time_day, 1 day with stat_time_hour and 365 days otherwise (counted inclusively);
// metric values are strings; a row of only an ID dimension appears for every entity in scope,
// with "-" for every metric when it had no data, while rows with a time dimension appear only
// where there was delivery. Deleted entities of the report's level are left out unless a
// *_status filter asks for them. GET as documented; POST with a JSON body is also accepted
// (inferred: some clients, the existing system's included, call it that way).
#include <algorithm>
#include <cstdlib>
#include <functional>
#include <map>
#include <set>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "tools/sandbox/endpoints.h"
#include "tools/sandbox/synthetic_metrics.h"

namespace ttads::sandbox {
namespace {

enum class Level { kAdvertiser = 0, kCampaign = 1, kAdGroup = 2, kAd = 3 };

const char* IdDimension(Level level) {
  switch (level) {
    case Level::kAdvertiser:
      return "advertiser_id";
    case Level::kCampaign:
      return "campaign_id";
    case Level::kAdGroup:
      return "adgroup_id";
    case Level::kAd:
      return "ad_id";
  }
  return "ad_id";
}

const char* LevelName(Level level) {
  switch (level) {
    case Level::kAdvertiser:
      return "AUCTION_ADVERTISER";
    case Level::kCampaign:
      return "AUCTION_CAMPAIGN";
    case Level::kAdGroup:
      return "AUCTION_ADGROUP";
    case Level::kAd:
      return "AUCTION_AD";
  }
  return "AUCTION_AD";
}

enum class MetricKind { kMoney, kCount, kRatio, kReach, kAttribute };

struct MetricDef {
  MetricKind kind;
  Level min_level = Level::kAdvertiser;  // attributes: the lowest level they need
};

const std::map<std::string, MetricDef>& Metrics() {
  static const auto* const metrics = new std::map<std::string, MetricDef>{
      {"spend", {MetricKind::kMoney}},
      {"total_complete_payment_rate", {MetricKind::kMoney}},
      {"impressions", {MetricKind::kCount}},
      {"clicks", {MetricKind::kCount}},
      {"conversion", {MetricKind::kCount}},
      {"real_time_conversion", {MetricKind::kCount}},
      {"result", {MetricKind::kCount}},
      {"video_play_actions", {MetricKind::kCount}},
      {"video_watched_2s", {MetricKind::kCount}},
      {"video_watched_6s", {MetricKind::kCount}},
      {"video_views_p25", {MetricKind::kCount}},
      {"video_views_p50", {MetricKind::kCount}},
      {"video_views_p75", {MetricKind::kCount}},
      {"video_views_p100", {MetricKind::kCount}},
      {"likes", {MetricKind::kCount}},
      {"comments", {MetricKind::kCount}},
      {"shares", {MetricKind::kCount}},
      {"follows", {MetricKind::kCount}},
      {"profile_visits", {MetricKind::kCount}},
      {"complete_payment", {MetricKind::kCount}},
      {"form", {MetricKind::kCount}},
      {"onsite_form", {MetricKind::kCount}},
      {"ctr", {MetricKind::kRatio}},
      {"cpc", {MetricKind::kRatio}},
      {"cpm", {MetricKind::kRatio}},
      {"cost_per_conversion", {MetricKind::kRatio}},
      {"conversion_rate", {MetricKind::kRatio}},
      {"real_time_cost_per_conversion", {MetricKind::kRatio}},
      {"real_time_conversion_rate", {MetricKind::kRatio}},
      {"cost_per_result", {MetricKind::kRatio}},
      {"result_rate", {MetricKind::kRatio}},
      {"complete_payment_roas", {MetricKind::kRatio}},
      {"value_per_complete_payment", {MetricKind::kRatio}},
      {"cost_per_complete_payment", {MetricKind::kRatio}},
      {"average_video_play", {MetricKind::kRatio}},
      {"reach", {MetricKind::kReach}},
      {"frequency", {MetricKind::kReach}},
      {"cost_per_1000_reached", {MetricKind::kReach}},
      // Attribute metrics (reference §8, medium confidence): properties of the row's entity.
      {"advertiser_name", {MetricKind::kAttribute, Level::kAdvertiser}},
      {"currency", {MetricKind::kAttribute, Level::kAdvertiser}},
      {"campaign_id", {MetricKind::kAttribute, Level::kCampaign}},
      {"campaign_name", {MetricKind::kAttribute, Level::kCampaign}},
      {"objective_type", {MetricKind::kAttribute, Level::kCampaign}},
      {"campaign_budget", {MetricKind::kAttribute, Level::kCampaign}},
      {"adgroup_id", {MetricKind::kAttribute, Level::kAdGroup}},
      {"adgroup_name", {MetricKind::kAttribute, Level::kAdGroup}},
      {"placement_type", {MetricKind::kAttribute, Level::kAdGroup}},
      {"promotion_type", {MetricKind::kAttribute, Level::kAdGroup}},
      {"budget", {MetricKind::kAttribute, Level::kAdGroup}},
      {"ad_name", {MetricKind::kAttribute, Level::kAd}},
      {"ad_text", {MetricKind::kAttribute, Level::kAd}},
      {"call_to_action", {MetricKind::kAttribute, Level::kAd}},
  };
  return *metrics;
}

std::string Money(int64_t cents) {
  return absl::StrFormat("%s%d.%02d", cents < 0 ? "-" : "", std::llabs(cents) / 100,
                         std::llabs(cents) % 100);
}

// A ratio with two decimals; "0.00" when the denominator is zero (as TikTok's own rows show
// cost_per_conversion "0.00" with conversion "0").
std::string Ratio(double numerator, double denominator, double scale = 1.0) {
  if (denominator == 0) return "0.00";
  return absl::StrFormat("%.2f", numerator / denominator * scale);
}

int64_t Reach(int64_t impressions) {
  return static_cast<int64_t>(static_cast<double>(impressions) / 1.25 + 0.5);
}

// A metric's value for a row: summed counters (money in cents), as a string.
std::string MetricValue(const std::string& name, const MetricCounters& c) {
  const double spend = static_cast<double>(c.spend_cents) / 100.0;
  const double value = static_cast<double>(c.complete_payment_value_cents) / 100.0;
  auto d = [](int64_t x) { return static_cast<double>(x); };
  static const std::map<std::string, std::function<std::string(const MetricCounters&)>>* const
      values = new std::map<std::string, std::function<std::string(const MetricCounters&)>>{
          {"impressions", [](const MetricCounters& m) { return absl::StrCat(m.impressions); }},
          {"clicks", [](const MetricCounters& m) { return absl::StrCat(m.clicks); }},
          {"conversion", [](const MetricCounters& m) { return absl::StrCat(m.conversion); }},
          {"real_time_conversion",
           [](const MetricCounters& m) { return absl::StrCat(m.conversion); }},
          {"result", [](const MetricCounters& m) { return absl::StrCat(m.result); }},
          {"video_play_actions",
           [](const MetricCounters& m) { return absl::StrCat(m.video_play_actions); }},
          {"video_watched_2s",
           [](const MetricCounters& m) { return absl::StrCat(m.video_watched_2s); }},
          {"video_watched_6s",
           [](const MetricCounters& m) { return absl::StrCat(m.video_watched_6s); }},
          {"video_views_p25",
           [](const MetricCounters& m) { return absl::StrCat(m.video_views_p25); }},
          {"video_views_p50",
           [](const MetricCounters& m) { return absl::StrCat(m.video_views_p50); }},
          {"video_views_p75",
           [](const MetricCounters& m) { return absl::StrCat(m.video_views_p75); }},
          {"video_views_p100",
           [](const MetricCounters& m) { return absl::StrCat(m.video_views_p100); }},
          {"likes", [](const MetricCounters& m) { return absl::StrCat(m.likes); }},
          {"comments", [](const MetricCounters& m) { return absl::StrCat(m.comments); }},
          {"shares", [](const MetricCounters& m) { return absl::StrCat(m.shares); }},
          {"follows", [](const MetricCounters& m) { return absl::StrCat(m.follows); }},
          {"profile_visits",
           [](const MetricCounters& m) { return absl::StrCat(m.profile_visits); }},
          {"complete_payment",
           [](const MetricCounters& m) { return absl::StrCat(m.complete_payment); }},
          {"form", [](const MetricCounters& m) { return absl::StrCat(m.form); }},
          {"onsite_form", [](const MetricCounters& m) { return absl::StrCat(m.form); }},
      };
  if (name == "spend") return Money(c.spend_cents);
  if (name == "total_complete_payment_rate") return Money(c.complete_payment_value_cents);
  auto it = values->find(name);
  if (it != values->end()) return it->second(c);
  if (name == "ctr") return Ratio(d(c.clicks), d(c.impressions), 100);
  if (name == "cpc") return Ratio(spend, d(c.clicks));
  if (name == "cpm") return Ratio(spend, d(c.impressions), 1000);
  if (name == "cost_per_conversion" || name == "real_time_cost_per_conversion") {
    return Ratio(spend, d(c.conversion));
  }
  if (name == "conversion_rate" || name == "real_time_conversion_rate") {
    return Ratio(d(c.conversion), d(c.clicks), 100);
  }
  if (name == "cost_per_result") return Ratio(spend, d(c.result));
  if (name == "result_rate") return Ratio(d(c.result), d(c.impressions), 100);
  if (name == "complete_payment_roas") return Ratio(value, spend);
  if (name == "value_per_complete_payment") return Ratio(value, d(c.complete_payment));
  if (name == "cost_per_complete_payment") return Ratio(spend, d(c.complete_payment));
  if (name == "average_video_play") {
    if (c.video_play_actions == 0) return "0.00";
    return absl::StrFormat("%.2f", 1.5 + 6.0 * d(c.video_watched_6s) / d(c.video_play_actions));
  }
  if (name == "reach") return absl::StrCat(Reach(c.impressions));
  if (name == "frequency") return Ratio(d(c.impressions), d(Reach(c.impressions)));
  if (name == "cost_per_1000_reached") return Ratio(spend, d(Reach(c.impressions)), 1000);
  return "-";
}

struct Scope {
  const Advertiser* advertiser = nullptr;
  const Campaign* campaign = nullptr;
  const AdGroup* adgroup = nullptr;
  const Ad* ad = nullptr;
};

std::string AttributeValue(const std::string& name, const Scope& s) {
  if (name == "advertiser_name") return s.advertiser->name;
  if (name == "currency") return s.advertiser->currency;
  if (name == "campaign_id") return s.campaign->campaign_id;
  if (name == "campaign_name") return s.campaign->campaign_name;
  if (name == "objective_type") return s.campaign->objective_type;
  if (name == "campaign_budget") return absl::StrFormat("%.2f", s.campaign->budget);
  if (name == "adgroup_id") return s.adgroup->adgroup_id;
  if (name == "adgroup_name") return s.adgroup->adgroup_name;
  if (name == "placement_type") return s.adgroup->placement_type;
  if (name == "promotion_type") return s.adgroup->promotion_type;
  if (name == "budget") return absl::StrFormat("%.2f", s.adgroup->budget);
  if (name == "ad_name") return s.ad->ad_name;
  if (name == "ad_text") return s.ad->ad_text;
  if (name == "call_to_action") return s.ad->call_to_action;
  return "-";
}

// One report filter, decoded.
struct Filter {
  std::string field;
  std::string type;
  std::vector<std::string> values;  // IN / BETWEEN: the JSON array; others: the one value
};

std::vector<Filter> ReadFilters(const Params& p, Level level) {
  std::vector<Filter> filters;
  std::optional<Json> value = p.Value("filtering");
  if (!value) return filters;
  if (!value->is_array()) {
    // v1.3 takes the array form [{field_name, filter_type, filter_value}]; the older object
    // form is refused (inferred).
    InvalidParameter(
        "filtering: Not a valid list. Use [{\"field_name\", \"filter_type\", "
        "\"filter_value\"}].");
  }
  static const std::map<std::string, Level> kFields = {{"campaign_ids", Level::kCampaign},
                                                       {"adgroup_ids", Level::kAdGroup},
                                                       {"ad_ids", Level::kAd},
                                                       {"campaign_name", Level::kCampaign},
                                                       {"adgroup_name", Level::kAdGroup},
                                                       {"ad_name", Level::kAd},
                                                       {"campaign_status", Level::kCampaign},
                                                       {"adgroup_status", Level::kAdGroup},
                                                       {"ad_status", Level::kAd},
                                                       {"objective_type", Level::kCampaign},
                                                       {"buying_type", Level::kAdvertiser}};
  for (const Json& item : *value) {
    if (!item.is_object()) InvalidParameter("filtering: Not a valid mapping type.");
    Params f(item, /*query_encoded=*/false);
    f.Require({"field_name", "filter_type", "filter_value"});
    Filter filter;
    filter.field = f.RequiredString("field_name");
    filter.type = *f.Enum("filter_type", EnumSet{"IN", "MATCH", "GREATER_EQUAL", "GREATER_THAN",
                                                 "LOWER_EQUAL", "LOWER_THAN", "BETWEEN"});
    auto field = kFields.find(filter.field);
    if (field == kFields.end() || (field->second != Level::kAdvertiser &&
                                   static_cast<int>(field->second) > static_cast<int>(level))) {
      InvalidParameter(absl::StrCat("filtering: field_name ", filter.field,
                                    " is not supported for data_level ", LevelName(level), "."));
    }
    std::string raw = f.RequiredString("filter_value");
    if (filter.type == "IN" || filter.type == "BETWEEN") {
      std::optional<Json> list = ParseJson(raw);
      bool is_status = absl::EndsWith(filter.field, "_status");
      if (list && list->is_array()) {
        for (const Json& v : *list) {
          filter.values.push_back(v.is_string() ? v.get<std::string>() : v.dump());
        }
      } else if (is_status) {
        filter.values.push_back(raw);  // a bare status value is accepted too
      } else {
        InvalidParameter(absl::StrCat("filtering: filter_value of ", filter.field,
                                      " must be a JSON array string for filter_type ", filter.type,
                                      "."));
      }
      if (absl::EndsWith(filter.field, "_ids"))
        CheckListLength(filter.field, filter.values.size(), 100);
    } else {
      filter.values.push_back(raw);
    }
    if (absl::EndsWith(filter.field, "_status")) {
      for (const std::string& status : filter.values) {
        CheckEnum(filter.field, status, PrimaryStatuses());
      }
    }
    filters.push_back(std::move(filter));
  }
  return filters;
}

bool StatusPasses(const std::vector<std::string>& statuses, const std::string& secondary,
                  bool deleted) {
  for (const std::string& status : statuses) {
    if (MatchesPrimaryStatus(secondary, deleted, status)) return true;
  }
  return false;
}

bool TextPasses(const Filter& filter, const std::string& text) {
  if (filter.type == "MATCH") {
    return absl::StrContains(absl::AsciiStrToLower(text), absl::AsciiStrToLower(filter.values[0]));
  }
  return std::find(filter.values.begin(), filter.values.end(), text) != filter.values.end();
}

// Orders ids as numbers (shorter first), then as text.
bool IdLess(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

struct RowKey {
  std::string id;    // the level's entity id ("" without an ID dimension)
  std::string time;  // "YYYY-MM-DD 00:00:00" / "YYYY-MM-DD HH:00:00" ("" without time)
  bool operator<(const RowKey& o) const {
    if (time != o.time) return time < o.time;
    return IdLess(id, o.id);
  }
};

}  // namespace

EndpointResult ReportIntegratedGet(EndpointContext& ctx) {
  const Params& p = ctx.params;
  p.Require({"report_type"});
  std::string report_type =
      *p.Enum("report_type", EnumSet{"BASIC", "AUDIENCE", "PLAYABLE_MATERIAL", "CATALOG", "BC",
                                     "TT_SHOP", "VIDEO_INSIGHT"});
  if (report_type != "BASIC") {
    throw ApiError(
        kCodeNotSupportedInSandbox,
        absl::StrCat("Unsupported report_type in sandbox environment: ", report_type, "."));
  }
  if (!p.Has("advertiser_id") && (p.Has("advertiser_ids") || p.Has("bc_id"))) {
    throw ApiError(kCodeNotSupportedInSandbox,
                   "advertiser_ids and bc_id are not supported in the sandbox; use advertiser_id.");
  }
  p.Require({"advertiser_id", "data_level", "dimensions"});
  const Advertiser& advertiser = ctx.RequireAdvertiser();
  std::string service_type =
      p.Enum("service_type", EnumSet{"AUCTION", "RESERVATION"}).value_or("AUCTION");
  std::string level_name =
      *p.Enum("data_level", EnumSet{"AUCTION_ADVERTISER", "AUCTION_CAMPAIGN", "AUCTION_ADGROUP",
                                    "AUCTION_AD", "RESERVATION_ADVERTISER", "RESERVATION_CAMPAIGN",
                                    "RESERVATION_ADGROUP", "RESERVATION_AD"});
  if (service_type == "RESERVATION" || absl::StartsWith(level_name, "RESERVATION_")) {
    throw ApiError(
        kCodeNotSupportedInSandbox,
        absl::StrCat("Unsupported data_level in sandbox environment: ", level_name, "."));
  }
  Level level = level_name == "AUCTION_ADVERTISER" ? Level::kAdvertiser
                : level_name == "AUCTION_CAMPAIGN" ? Level::kCampaign
                : level_name == "AUCTION_ADGROUP"  ? Level::kAdGroup
                                                   : Level::kAd;

  // Dimensions: the level's ID dimension and/or one of stat_time_day / stat_time_hour.
  std::vector<std::string> dimensions = *p.StringList("dimensions");
  if (dimensions.empty()) InvalidParameter("dimensions: Length must be at least 1.");
  const std::string id_dimension = IdDimension(level);
  bool has_id = false, by_day = false, by_hour = false;
  for (const std::string& dimension : dimensions) {
    bool* flag = dimension == id_dimension       ? &has_id
                 : dimension == "stat_time_day"  ? &by_day
                 : dimension == "stat_time_hour" ? &by_hour
                                                 : nullptr;
    if (flag == nullptr) {
      InvalidParameter(absl::StrCat(
          "dimensions: ", dimension, " is not a supported dimension for data_level ", level_name,
          " in the sandbox. Use ", id_dimension, ", stat_time_day or stat_time_hour."));
    }
    if (*flag) InvalidParameter(absl::StrCat("dimensions: ", dimension, " is repeated."));
    *flag = true;
  }
  if (by_day && by_hour) {
    InvalidParameter("dimensions: stat_time_day and stat_time_hour cannot be used together.");
  }

  std::vector<std::string> metrics =
      p.StringList("metrics").value_or(std::vector<std::string>{"spend", "impressions"});
  for (const std::string& metric : metrics) {
    auto def = Metrics().find(metric);
    if (def == Metrics().end())
      InvalidParameter(absl::StrCat("metrics: Invalid metric: ", metric, "."));
    if (def->second.kind == MetricKind::kAttribute) {
      if (static_cast<int>(def->second.min_level) > static_cast<int>(level)) {
        InvalidParameter(absl::StrCat("metrics: ", metric, " is not available for data_level ",
                                      level_name, "."));
      }
      if (!has_id) {
        InvalidParameter(absl::StrCat("metrics: The attribute metric ", metric,
                                      " needs the ID dimension ", id_dimension, "."));
      }
    }
  }

  // Dates, in the advertiser's zone.
  const MetricModel model(ctx.state, ctx.config, ctx.now);
  const absl::CivilDay today = model.Today(advertiser);
  bool lifetime = p.Bool("query_lifetime").value_or(false);
  absl::CivilDay start_day, end_day;
  if (lifetime) {
    if (by_day || by_hour) {
      InvalidParameter("query_lifetime does not support time dimensions.");
    }
    start_day = absl::CivilDay(1970, 1, 1);
    end_day = today;
  } else {
    p.Require({"start_date", "end_date"});
    std::optional<absl::CivilDay> start = ParseDate(p.RequiredString("start_date"));
    std::optional<absl::CivilDay> end = ParseDate(p.RequiredString("end_date"));
    if (!start) InvalidParameter("start_date: Date format should be YYYY-MM-DD.");
    if (!end) InvalidParameter("end_date: Date format should be YYYY-MM-DD.");
    if (*end < *start) InvalidParameter("end_date must be later than or equal to start_date.");
    int64_t days = (*end - *start) + 1;
    int64_t limit = by_hour ? 1 : by_day ? 30 : 365;
    if (days > limit) {
      InvalidParameter(absl::StrCat("The time range between start_date and end_date cannot exceed ",
                                    limit, limit == 1 ? " day" : " days",
                                    by_hour  ? " when stat_time_hour is used."
                                    : by_day ? " when stat_time_day is used."
                                             : "."));
    }
    start_day = *start;
    end_day = *end;
  }

  std::optional<std::string> order_field = p.String("order_field");
  if (order_field) {
    auto def = Metrics().find(*order_field);
    if (def == Metrics().end() || def->second.kind == MetricKind::kAttribute) {
      InvalidParameter(absl::StrCat("order_field: ", *order_field, " cannot be sorted on."));
    }
  }
  std::string order_type = p.Enum("order_type", EnumSet{"ASC", "DESC"}).value_or("DESC");
  p.Enum("query_mode", EnumSet{"REGULAR", "CHUNK"});
  p.Bool("multi_adv_report_in_utc_time");
  bool want_total = p.Bool("enable_total_metrics").value_or(false);
  std::vector<Filter> filters = ReadFilters(p, level);
  PageRequest page = p.Page(10, 1000);

  // Which entities are in scope: the filters, plus the implicit *_status = STATUS_NOT_DELETE
  // of the report's level.
  std::map<std::string, std::vector<std::string>> status_filters;
  if (level == Level::kCampaign) status_filters["campaign_status"] = {"STATUS_NOT_DELETE"};
  if (level == Level::kAdGroup) status_filters["adgroup_status"] = {"STATUS_NOT_DELETE"};
  if (level == Level::kAd) status_filters["ad_status"] = {"STATUS_NOT_DELETE"};
  for (const Filter& filter : filters) {
    if (absl::EndsWith(filter.field, "_status")) status_filters[filter.field] = filter.values;
  }
  auto campaign_passes = [&](const Campaign& campaign) {
    auto status = status_filters.find("campaign_status");
    if (status != status_filters.end() &&
        !StatusPasses(status->second, CampaignSecondaryStatus(campaign), campaign.deleted)) {
      return false;
    }
    for (const Filter& filter : filters) {
      if (filter.field == "campaign_ids" && !TextPasses(filter, campaign.campaign_id)) return false;
      if (filter.field == "campaign_name" && !TextPasses(filter, campaign.campaign_name)) {
        return false;
      }
      if (filter.field == "objective_type" && !TextPasses(filter, campaign.objective_type)) {
        return false;
      }
    }
    return true;
  };
  auto adgroup_passes = [&](const AdGroup& adgroup) {
    auto status = status_filters.find("adgroup_status");
    if (status != status_filters.end() &&
        !StatusPasses(status->second, AdGroupSecondaryStatus(ctx.state, adgroup, ctx.now),
                      adgroup.deleted)) {
      return false;
    }
    for (const Filter& filter : filters) {
      if (filter.field == "adgroup_ids" && !TextPasses(filter, adgroup.adgroup_id)) return false;
      if (filter.field == "adgroup_name" && !TextPasses(filter, adgroup.adgroup_name)) {
        return false;
      }
    }
    return true;
  };
  auto ad_passes = [&](const Ad& ad) {
    auto status = status_filters.find("ad_status");
    if (status != status_filters.end() &&
        !StatusPasses(status->second, AdSecondaryStatus(ctx.state, ad, ctx.now), ad.deleted)) {
      return false;
    }
    for (const Filter& filter : filters) {
      if (filter.field == "ad_ids" && !TextPasses(filter, ad.ad_id)) return false;
      if (filter.field == "ad_name" && !TextPasses(filter, ad.ad_name)) return false;
    }
    return true;
  };

  // Entities of the report's level that get a row even without data (ID-only reports).
  std::map<std::string, Scope, bool (*)(const std::string&, const std::string&)> entities(IdLess);
  if (level == Level::kAdvertiser) entities[advertiser.advertiser_id] = Scope{&advertiser};
  for (const auto& [id, campaign] : ctx.state.campaigns) {
    if (campaign.advertiser_id != advertiser.advertiser_id || !campaign_passes(campaign)) continue;
    if (level == Level::kCampaign) entities[id] = Scope{&advertiser, &campaign};
  }
  for (const auto& [id, adgroup] : ctx.state.adgroups) {
    if (adgroup.advertiser_id != advertiser.advertiser_id || level < Level::kAdGroup) continue;
    const Campaign& campaign = ctx.state.campaigns.at(adgroup.campaign_id);
    if (!campaign_passes(campaign) || !adgroup_passes(adgroup)) continue;
    if (level == Level::kAdGroup) entities[id] = Scope{&advertiser, &campaign, &adgroup};
  }

  // Aggregate the ads' hourly numbers into rows.
  std::map<RowKey, MetricCounters> rows;
  std::map<std::string, Scope> row_scope;
  for (const auto& [id, ad] : ctx.state.ads) {
    if (ad.advertiser_id != advertiser.advertiser_id) continue;
    const Campaign& campaign = ctx.state.campaigns.at(ad.campaign_id);
    const AdGroup& adgroup = ctx.state.adgroups.at(ad.adgroup_id);
    if (level >= Level::kCampaign && !campaign_passes(campaign)) continue;
    if (level >= Level::kAdGroup && !adgroup_passes(adgroup)) continue;
    if (level == Level::kAd && !ad_passes(ad)) continue;
    Scope scope{&advertiser, &campaign, &adgroup, &ad};
    std::string entity_id = level == Level::kAdvertiser ? advertiser.advertiser_id
                            : level == Level::kCampaign ? campaign.campaign_id
                            : level == Level::kAdGroup  ? adgroup.adgroup_id
                                                        : ad.ad_id;
    if (level == Level::kAd) entities[entity_id] = scope;
    std::string key_id = has_id ? entity_id : "";
    absl::CivilDay first = std::max(start_day, model.FirstDay(ad));
    absl::CivilDay last = std::min(end_day, today);
    for (absl::CivilDay day = first; day <= last; ++day) {
      std::string day_text = absl::StrCat(absl::FormatCivilTime(day), " 00:00:00");
      if (by_hour) {
        for (int h = 0; h < 24; ++h) {
          MetricCounters counters = model.AdHour(ad, absl::CivilHour(day) + h);
          if (counters.Empty()) continue;
          rows[{key_id, absl::StrFormat("%s %02d:00:00", absl::FormatCivilTime(day), h)}].Add(
              counters);
        }
      } else {
        MetricCounters counters = model.AdDay(ad, day);
        if (counters.Empty()) continue;
        rows[{key_id, by_day ? day_text : ""}].Add(counters);
      }
    }
  }
  if (has_id && !by_day && !by_hour) {
    for (const auto& [id, scope] : entities) rows.try_emplace(RowKey{id, ""});
  }

  // Render, order, page.
  struct Row {
    RowKey key;
    MetricCounters counters;
  };
  std::vector<Row> ordered;
  for (const auto& [key, counters] : rows) ordered.push_back({key, counters});
  if (order_field) {
    auto number = [&](const Row& row) {
      double value = 0;
      std::string text = MetricValue(*order_field, row.counters);
      return absl::SimpleAtod(text, &value) ? value : 0.0;
    };
    std::stable_sort(ordered.begin(), ordered.end(), [&](const Row& a, const Row& b) {
      return order_type == "ASC" ? number(a) < number(b) : number(a) > number(b);
    });
  }
  MetricCounters total;
  for (const Row& row : ordered) total.Add(row.counters);

  Json list = Json::array();
  const int64_t count = static_cast<int64_t>(ordered.size());
  const int64_t begin = (page.page - 1) * page.page_size;
  for (int64_t i = begin; i < count && i < begin + page.page_size; ++i) {
    const Row& row = ordered[i];
    Json dims = Json::object();
    for (const std::string& dimension : dimensions) {
      dims[dimension] = dimension == id_dimension ? row.key.id : row.key.time;
    }
    bool no_data = row.counters.Empty();
    Json values = Json::object();
    for (const std::string& metric : metrics) {
      const MetricDef& def = Metrics().at(metric);
      if (def.kind == MetricKind::kAttribute) {
        values[metric] = AttributeValue(metric, entities.at(row.key.id));
      } else if (no_data || (def.kind == MetricKind::kReach && by_hour)) {
        values[metric] = "-";  // no data (reach is not reported per hour)
      } else {
        values[metric] = MetricValue(metric, row.counters);
      }
    }
    list.push_back({{"dimensions", std::move(dims)}, {"metrics", std::move(values)}});
  }
  EndpointResult result;
  result.data = Json{{"list", std::move(list)}, {"page_info", PageInfo(page, count)}};
  // total_metrics applies to one ID dimension with or without stat_time_day (reference §8).
  if (want_total && has_id && !by_hour) {
    Json totals = Json::object();
    for (const std::string& metric : metrics) {
      const MetricDef& def = Metrics().at(metric);
      totals[metric] = def.kind == MetricKind::kAttribute ? "-" : MetricValue(metric, total);
    }
    result.data["total_metrics"] = std::move(totals);
  }
  return result;
}

}  // namespace ttads::sandbox
