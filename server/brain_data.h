// The brain's data for one run of one advertiser, fetched in at most four TikTok requests (more
// only when a list or report needs more than one page) and folded into the windows the brain
// compares:
//   1. advertiser/info        status, currency, time zone;
//   2. adgroup/get            the ad groups (budget, operation_status, campaign), every page;
//   3. report/integrated/get  ONE ad-level daily report (AUCTION_AD, ["ad_id","stat_time_day"],
//                             ad_status STATUS_ALL) over D-30..D-1, with the attribute metrics
//                             adgroup_id, campaign_id, names and objective_type, so ad, ad-group
//                             and campaign figures of every window come from the same rows
//                             (reference §8);
//   4. report/integrated/get  the same for D alone (today).
// D is today's date in the advertiser's time zone. The existing system pulled eleven reports,
// lost its per-ad data (existing-system.md §8 bug 6) and never paginated (bug 14).
//
// Windows (AdGroupWindows): yesterday = D-1, last_3d = D-3..D-1, last_7d = D-7..D-1,
// last_30d = D-30..D-1, today = D. The existing system's last_Nd included today (bug 17: 4, 8
// and 31 days); ttads ends them yesterday so today's partial day does not skew the trends, and
// today is its own window. TikTok allows at most 30 days per daily report, which is exactly
// D-30..D-1.
#ifndef TTADS_SERVER_BRAIN_DATA_H_
#define TTADS_SERVER_BRAIN_DATA_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "server/ad_group_health.h"
#include "tiktok/api_types.h"
#include "tiktok/tiktok_api.h"

namespace ttads::server {

// The time zone of an advertiser that gives none.
inline constexpr char kDefaultBrainTimeZone[] = "Asia/Almaty";

// An inclusive range of local days.
struct DayRange {
  absl::CivilDay first;
  absl::CivilDay last;
  bool Contains(absl::CivilDay day) const { return first <= day && day <= last; }
};

// The days of one run, in the advertiser's time zone.
struct BrainDates {
  absl::CivilDay today;      // D
  absl::CivilDay yesterday;  // D-1
  DayRange last_3d;          // D-3..D-1
  DayRange last_7d;          // D-7..D-1
  DayRange last_30d;         // D-30..D-1 (also the daily report's range)
};

BrainDates BrainDatesFor(absl::CivilDay today);
// The dates of a run at `now` in `zone`.
BrainDates BrainDatesAt(absl::Time now, absl::TimeZone zone);

// The advertiser's zone: `name`, or Asia/Almaty when empty, or UTC when the name is unknown
// (each fallback adds a line to `notes`).
struct ResolvedZone {
  std::string name;  // the zone actually used
  absl::TimeZone zone;
};
ResolvedZone ResolveBrainZone(const std::string& name, std::vector<std::string>& notes);

// One ad with its windows. Deleted ads are included (their spend is part of their ad group's);
// ads without delivery in D-30..D have no rows and do not appear. The ad's operation_status is
// not known within four requests (no ad/get): an ad that spent yesterday was running then.
struct BrainAd {
  std::string ad_id;
  std::string ad_name;
  std::string adgroup_id;  // from the attribute metric ("" when TikTok sent none)
  std::string campaign_id;
  AdGroupWindows windows;
};

struct BrainCampaign {
  std::string campaign_id;
  std::string campaign_name;
  std::string objective_type;  // from the report's attribute metric; "" without rows
  AdGroupWindows windows;
};

// The counters of one report row: "-", "" or absent read as 0 (TikTok's "no data").
WindowMetrics RowMetrics(const tiktok::ReportRow& row);

// Adds `metrics` of local day `day` to every window of `windows` the day belongs to; false when
// it belongs to none (before D-30 or after D).
bool AddToWindows(absl::CivilDay day, const BrainDates& dates, const WindowMetrics& metrics,
                  AdGroupWindows& windows);

// Ad-level daily rows (dimensions ad_id + stat_time_day, attributes adgroup_id / campaign_id /
// ad_name / adgroup_name / campaign_name / objective_type) folded by day into windows.
struct FoldedReport {
  std::map<std::string, BrainAd> ads;                     // by ad_id
  std::map<std::string, AdGroupWindows> adgroup_windows;  // by adgroup_id (attribute metric)
  std::map<std::string, std::string> adgroup_names;       // by adgroup_id, when sent
  std::map<std::string, BrainCampaign> campaigns;         // by campaign_id (attribute metric)
  int rows_folded = 0;
  int rows_outside = 0;   // dated outside D-30..D
  int rows_unusable = 0;  // no ad_id, or no readable stat_time_day
};

// Folds `rows` into `folded` (call once per report; the sums accumulate). Pure.
void FoldReportRows(const std::vector<tiktok::ReportRow>& rows, const BrainDates& dates,
                    FoldedReport& folded);

struct BrainFetchOptions {
  // The directions' campaigns; empty = every campaign of the advertiser. When given, adgroup/get
  // and both reports are filtered to them (campaign_ids IN).
  std::vector<std::string> campaign_ids;
  int page_size = 1000;  // adgroup/get and the reports (1-1000)
};

struct BrainData {
  std::string advertiser_id;
  std::string advertiser_name;
  std::string advertiser_status;  // "" when advertiser/info listed no such advertiser
  std::string currency;
  std::string timezone;  // the zone `dates` are in (after the defaults, see ResolveBrainZone)
  BrainDates dates;

  std::vector<tiktok::AdGroup> ad_groups;  // as adgroup/get listed them
  // Every listed ad group (zero windows without rows), plus any ad group the report names that
  // adgroup/get did not list (e.g. deleted since), under its attribute adgroup_id.
  std::map<std::string, AdGroupWindows> adgroup_windows;
  // Ads with rows, per adgroup_id (same keys as above; "" for rows without adgroup_id).
  std::map<std::string, std::vector<BrainAd>> ads_by_adgroup;
  // Every campaign of a listed ad group or of the options, plus any the report names.
  std::map<std::string, BrainCampaign> campaigns;

  // TikTok HTTP requests made: one per page of every call (retries of one request by the
  // client are not counted; the client's call log has them).
  int tiktok_calls = 0;
  std::vector<std::string> notes;  // fallbacks and oddities worth a line in the run's report
};

// Puts `folded` into `data`, whose ad_groups are already listed: every listed ad group and every
// campaign of one (and of `campaign_ids`) gets windows, zero without rows; ad groups and
// campaigns only the report names are kept; ads are grouped by their ad group. Notes what was
// odd. Pure.
void AssembleBrainData(FoldedReport folded, const std::vector<std::string>& campaign_ids,
                       BrainData& data);

// Fetches and folds one advertiser's data for a run at `now`. Any failed call fails the fetch
// (with the client's TikTokError payload); advertiser/info answering without the advertiser
// does not (status "" and the default zone, noted), so the caller can go report-only.
absl::StatusOr<BrainData> FetchBrainData(tiktok::TikTokApi& api, const std::string& access_token,
                                         const std::string& advertiser_id, absl::Time now,
                                         const BrainFetchOptions& options);

}  // namespace ttads::server

#endif  // TTADS_SERVER_BRAIN_DATA_H_
