#include "server/brain_data.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "tiktok/pagination.h"

namespace ttads::server {
namespace {

// Counters asked for, and the attribute metrics that tie an ad's row to its ad group and
// campaign (reference §8 "Attribute metrics").
const std::vector<std::string>& ReportMetrics() {
  static const auto* const metrics = new std::vector<std::string>{
      "spend",     "impressions", "clicks",        "conversion",    "adgroup_id",
      "campaign_id", "ad_name",   "adgroup_name",  "campaign_name", "objective_type"};
  return *metrics;
}

// llround's result is unspecified beyond int64 (x86 answers INT64_MIN even for +1e30), so
// absurd counts saturate with their sign, and a value that is not a number counts as none.
std::int64_t Count(const tiktok::ReportRow& row, const std::string& metric) {
  const double value = row.NumberOr0(metric);
  constexpr double kLimit = 9.2e18;  // just under 2^63: llround is defined below it
  if (std::isnan(value)) return 0;
  if (value >= kLimit) return std::numeric_limits<std::int64_t>::max();
  if (value <= -kLimit) return std::numeric_limits<std::int64_t>::min();
  return std::llround(value);
}

// The fold reads every row of a report (1000 to a page), so it looks values up in place rather
// than copying them (docs/performance.md, figure 6).
const std::string& Empty() {
  static const std::string* const empty = new std::string();
  return *empty;
}

const std::string& Find(const std::map<std::string, std::string>& values, const std::string& key) {
  const auto it = values.find(key);
  return it == values.end() ? Empty() : it->second;
}

// An attribute's text; "-" (no data) reads as absent.
const std::string& AttributeRef(const tiktok::ReportRow& row, const std::string& metric) {
  const std::string& text = Find(row.metrics, metric);
  return text == "-" ? Empty() : text;
}

// "YYYY-MM-DD 00:00:00" (or just "YYYY-MM-DD"): the date's digits read directly (a real date
// only: 2026-02-30 is refused, as absl::ParseCivilTime refuses it).
bool ParseStatDay(const std::string& text, absl::CivilDay& day) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return false;
  int parts[3] = {0, 0, 0};
  const int starts[3] = {0, 5, 8};
  const int lengths[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p) {
    for (int i = starts[p]; i < starts[p] + lengths[p]; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      parts[p] = parts[p] * 10 + (text[i] - '0');
    }
  }
  const absl::CivilDay parsed(parts[0], parts[1], parts[2]);
  if (parsed.year() != parts[0] || parsed.month() != parts[1] || parsed.day() != parts[2]) {
    return false;
  }
  day = parsed;
  return true;
}

int64_t PagesFor(size_t items, int page_size) {
  // A list with no items still took one request.
  if (items == 0) return 1;
  return static_cast<int64_t>((items + static_cast<size_t>(page_size) - 1) /
                              static_cast<size_t>(page_size));
}

tiktok::ReportQuery AdDailyQuery(const std::string& advertiser_id, const DayRange& range,
                                 const std::vector<std::string>& campaign_ids, int page_size) {
  tiktok::ReportQuery query;
  query.advertiser_id = advertiser_id;
  query.report_type = "BASIC";
  query.data_level = "AUCTION_AD";
  query.dimensions = {"ad_id", "stat_time_day"};
  query.metrics = ReportMetrics();
  query.start_date = absl::FormatCivilTime(range.first);
  query.end_date = absl::FormatCivilTime(range.last);
  query.page_size = page_size;
  // Deleted ads too (TikTok leaves them out by default): their spend in the window belongs to
  // their ad group's and campaign's figures, as TikTok's own ad-group reports count it.
  query.filtering = {tiktok::ReportFilter::In("ad_status", {"STATUS_ALL"})};
  if (!campaign_ids.empty()) {
    query.filtering.push_back(tiktok::ReportFilter::In("campaign_ids", campaign_ids));
  }
  return query;
}

}  // namespace

BrainDates BrainDatesFor(absl::CivilDay today) {
  BrainDates dates;
  dates.today = today;
  dates.yesterday = today - 1;
  dates.last_3d = {today - 3, today - 1};
  dates.last_7d = {today - 7, today - 1};
  dates.last_30d = {today - 30, today - 1};
  return dates;
}

BrainDates BrainDatesAt(absl::Time now, absl::TimeZone zone) {
  return BrainDatesFor(absl::ToCivilDay(now, zone));
}

ResolvedZone ResolveBrainZone(const std::string& name, std::vector<std::string>& notes) {
  ResolvedZone resolved;
  resolved.name = name;
  if (resolved.name.empty()) {
    resolved.name = kDefaultBrainTimeZone;
    notes.push_back(absl::StrCat("advertiser/info gave no timezone; using ",
                                 kDefaultBrainTimeZone));
  }
  if (!absl::LoadTimeZone(resolved.name, &resolved.zone)) {
    notes.push_back(
        absl::StrCat("unknown timezone \"", resolved.name, "\"; days are counted in UTC"));
    resolved.name = "UTC";
    resolved.zone = absl::UTCTimeZone();
  }
  return resolved;
}

WindowMetrics RowMetrics(const tiktok::ReportRow& row) {
  // Keys made once, not per row.
  static const std::string* const kSpend = new std::string("spend");
  static const std::string* const kImpressions = new std::string("impressions");
  static const std::string* const kClicks = new std::string("clicks");
  static const std::string* const kConversion = new std::string("conversion");
  WindowMetrics metrics;
  metrics.spend = row.NumberOr0(*kSpend);
  metrics.impressions = Count(row, *kImpressions);
  metrics.clicks = Count(row, *kClicks);
  metrics.conversions = Count(row, *kConversion);
  return metrics;
}

bool AddToWindows(absl::CivilDay day, const BrainDates& dates, const WindowMetrics& metrics,
                  AdGroupWindows& windows) {
  if (day == dates.today) {
    windows.today += metrics;
    return true;
  }
  if (!dates.last_30d.Contains(day)) return false;
  windows.last_30d += metrics;
  if (dates.last_7d.Contains(day)) windows.last_7d += metrics;
  if (dates.last_3d.Contains(day)) windows.last_3d += metrics;
  if (day == dates.yesterday) windows.yesterday += metrics;
  return true;
}

void FoldReportRows(const std::vector<tiktok::ReportRow>& rows, const BrainDates& dates,
                    FoldedReport& folded) {
  static const std::string* const kAdId = new std::string("ad_id");
  static const std::string* const kStatTimeDay = new std::string("stat_time_day");
  static const std::string* const kAdgroupId = new std::string("adgroup_id");
  static const std::string* const kCampaignId = new std::string("campaign_id");
  static const std::string* const kAdName = new std::string("ad_name");
  static const std::string* const kAdgroupName = new std::string("adgroup_name");
  static const std::string* const kCampaignName = new std::string("campaign_name");
  static const std::string* const kObjectiveType = new std::string("objective_type");
  for (const tiktok::ReportRow& row : rows) {
    const std::string& ad_id = Find(row.dimensions, *kAdId);
    absl::CivilDay day;
    if (ad_id.empty() || !ParseStatDay(Find(row.dimensions, *kStatTimeDay), day)) {
      ++folded.rows_unusable;
      continue;
    }
    if (day != dates.today && !dates.last_30d.Contains(day)) {
      ++folded.rows_outside;
      continue;
    }
    const WindowMetrics metrics = RowMetrics(row);
    const std::string& adgroup_id = AttributeRef(row, *kAdgroupId);
    const std::string& campaign_id = AttributeRef(row, *kCampaignId);

    BrainAd& ad = folded.ads.try_emplace(ad_id).first->second;
    if (ad.ad_id.empty()) ad.ad_id = ad_id;
    // Attributes are the same on every row of an ad; keep the first non-empty ones.
    if (ad.ad_name.empty()) ad.ad_name = AttributeRef(row, *kAdName);
    if (ad.adgroup_id.empty()) ad.adgroup_id = adgroup_id;
    if (ad.campaign_id.empty()) ad.campaign_id = campaign_id;
    AddToWindows(day, dates, metrics, ad.windows);

    if (!adgroup_id.empty()) {
      AddToWindows(day, dates, metrics,
                   folded.adgroup_windows.try_emplace(adgroup_id).first->second);
      const std::string& name = AttributeRef(row, *kAdgroupName);
      if (!name.empty()) folded.adgroup_names.try_emplace(adgroup_id, name);
    }
    if (!campaign_id.empty()) {
      BrainCampaign& campaign = folded.campaigns.try_emplace(campaign_id).first->second;
      if (campaign.campaign_id.empty()) campaign.campaign_id = campaign_id;
      if (campaign.campaign_name.empty()) {
        campaign.campaign_name = AttributeRef(row, *kCampaignName);
      }
      if (campaign.objective_type.empty()) {
        campaign.objective_type = AttributeRef(row, *kObjectiveType);
      }
      AddToWindows(day, dates, metrics, campaign.windows);
    }
    ++folded.rows_folded;
  }
}

void AssembleBrainData(FoldedReport folded, const std::vector<std::string>& campaign_ids,
                       BrainData& data) {
  if (folded.rows_unusable > 0) {
    data.notes.push_back(absl::StrCat(folded.rows_unusable,
                                      " report rows without ad_id or stat_time_day were ignored"));
  }
  if (folded.rows_outside > 0) {
    data.notes.push_back(absl::StrCat(folded.rows_outside,
                                      " report rows dated outside the requested days were ignored"));
  }
  std::set<std::string> listed;
  for (const tiktok::AdGroup& group : data.ad_groups) {
    listed.insert(group.adgroup_id);
    data.adgroup_windows[group.adgroup_id];
    BrainCampaign& campaign = data.campaigns[group.campaign_id];
    campaign.campaign_id = group.campaign_id;
    if (campaign.campaign_name.empty()) campaign.campaign_name = group.campaign_name;
  }
  for (const std::string& id : campaign_ids) data.campaigns[id].campaign_id = id;
  for (auto& [id, windows] : folded.adgroup_windows) data.adgroup_windows[id] = windows;
  for (auto& [id, folded_campaign] : folded.campaigns) {
    BrainCampaign& campaign = data.campaigns[id];
    const std::string listed_name = campaign.campaign_name;
    campaign = folded_campaign;
    if (campaign.campaign_name.empty()) campaign.campaign_name = listed_name;
  }
  std::set<std::string> unlisted;
  for (auto& [id, ad] : folded.ads) {
    if (!ad.adgroup_id.empty() && listed.count(ad.adgroup_id) == 0) unlisted.insert(ad.adgroup_id);
    data.ads_by_adgroup[ad.adgroup_id].push_back(std::move(ad));
  }
  if (!unlisted.empty()) {
    data.notes.push_back(absl::StrCat(unlisted.size(),
                                      " ad groups have report rows but were not listed by "
                                      "adgroup/get (deleted?); their figures are kept"));
  }
  if (data.ads_by_adgroup.count("") > 0) {
    data.notes.push_back(
        absl::StrCat(data.ads_by_adgroup[""].size(), " ads came without an adgroup_id"));
  }
}

absl::StatusOr<BrainData> FetchBrainData(tiktok::TikTokApi& api, const std::string& access_token,
                                         const std::string& advertiser_id, absl::Time now,
                                         const BrainFetchOptions& options) {
  BrainData data;
  data.advertiser_id = advertiser_id;
  const int page_size = std::clamp(options.page_size, 1, tiktok::kMaxPageSizeEntities);
  // Deduplicated, order kept (also what the client's batching does).
  std::vector<std::string> campaign_ids;
  {
    std::set<std::string> seen;
    for (const std::string& id : options.campaign_ids) {
      if (!id.empty() && seen.insert(id).second) campaign_ids.push_back(id);
    }
  }

  // (1) advertiser/info: one advertiser is one request.
  absl::StatusOr<std::vector<tiktok::AdvertiserInfo>> infos =
      api.GetAdvertiserInfo(access_token, {advertiser_id}, {});
  data.tiktok_calls += 1;
  if (!infos.ok()) return infos.status();
  const tiktok::AdvertiserInfo* info = nullptr;
  for (const tiktok::AdvertiserInfo& candidate : *infos) {
    if (candidate.advertiser_id == advertiser_id) info = &candidate;
  }
  if (info == nullptr) {
    data.notes.push_back("advertiser/info did not list the advertiser; its status is unknown");
  } else {
    data.advertiser_name = info->name;
    data.advertiser_status = info->status;
    data.currency = info->currency;
  }
  const ResolvedZone zone = ResolveBrainZone(info == nullptr ? "" : info->timezone, data.notes);
  data.timezone = zone.name;
  data.dates = BrainDatesAt(now, zone.zone);

  // (2) adgroup/get. The client reads every page but does not say how many it read, so the id
  // batches are made here and each batch's pages follow from its size: the client reads until
  // page >= total_page = ceil(items / page_size), and an empty list is one request.
  std::vector<std::vector<std::string>> batches =
      tiktok::BatchIds(campaign_ids, tiktok::kMaxFilterIds);
  if (campaign_ids.empty()) batches.emplace_back();
  for (const std::vector<std::string>& batch : batches) {
    tiktok::AdGroupQuery query;
    query.advertiser_id = advertiser_id;
    query.campaign_ids = batch;
    query.page_size = page_size;
    absl::StatusOr<std::vector<tiktok::AdGroup>> groups = api.GetAdGroups(access_token, query);
    if (!groups.ok()) return groups.status();
    data.tiktok_calls += static_cast<int>(PagesFor(groups->size(), page_size));
    for (tiktok::AdGroup& group : *groups) data.ad_groups.push_back(std::move(group));
  }

  // (3) and (4): the ad-level daily reports. A campaign filter of more than 100 ids is split by
  // the client into several reports; pages_read counts every page of every one.
  FoldedReport folded;
  const DayRange today_range{data.dates.today, data.dates.today};
  for (const DayRange& range : {data.dates.last_30d, today_range}) {
    absl::StatusOr<tiktok::ReportResult> report =
        api.GetReport(access_token, AdDailyQuery(advertiser_id, range, campaign_ids, page_size));
    if (!report.ok()) return report.status();
    data.tiktok_calls += static_cast<int>(std::max<int64_t>(report->pages_read, 1));
    FoldReportRows(report->rows, data.dates, folded);
  }
  AssembleBrainData(std::move(folded), campaign_ids, data);
  return data;
}

}  // namespace ttads::server
