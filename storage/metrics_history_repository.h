// creative_metrics_history: one ad's figures on one day, per user account and ad account (the
// ROI page's data; AnalyticsService.GetRoi and the brain's daily batch fill it), and
// metrics_history_days: which days of an advertiser were read from TikTok in full, so a repeated
// question is answered from here and only the days never read are fetched.
#ifndef TTADS_STORAGE_METRICS_HISTORY_REPOSITORY_H_
#define TTADS_STORAGE_METRICS_HISTORY_REPOSITORY_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "storage/database.h"

namespace ttads::storage {

// One row of creative_metrics_history. Money in the account currency, 2 decimals kept.
struct MetricsHistoryRow {
  std::string id;  // generated on insert
  std::string user_account_id;
  std::optional<std::string> account_id;        // ad_accounts.id; NULL = legacy credentials
  std::optional<std::string> user_creative_id;  // from ad_creative_mapping, when known
  std::string platform = "tiktok";
  std::optional<std::string> source;  // ttads_roi | tiktok_batch | …
  std::string date;                   // YYYY-MM-DD, the advertiser's local day
  std::string ad_id;
  std::optional<std::string> adset_id;  // TikTok ad group id
  std::optional<std::string> campaign_id;
  long long impressions = 0;
  long long clicks = 0;
  double spend = 0;
  long long conversions = 0;
  long long leads = 0;  // by the objective rule, for this row alone
  long long purchases = 0;
  double purchase_value = 0;
  long long reach = 0;
  long long video_views = 0;
  std::optional<std::string> currency;
  std::optional<std::string> advertiser_id;
  std::optional<std::string> campaign_name;
  std::optional<std::string> adset_name;
  std::optional<std::string> ad_name;
  std::optional<std::string> objective_type;
  absl::Time created_at = absl::InfinitePast();
  absl::Time updated_at = absl::InfinitePast();
};

// Whose rows: one user account's credentials (legacy when account_id is empty) for one
// advertiser on one platform.
struct MetricsScope {
  std::string user_account_id;
  std::optional<std::string> account_id;
  std::string platform = "tiktok";
  std::string advertiser_id;
};

// What ad_creative_mapping says about an ad.
struct AdCreativeLink {
  std::string user_creative_id;
  std::optional<std::string> direction_id;
};

class MetricsHistoryRepository {
 public:
  explicit MetricsHistoryRepository(Database& database) : database_(database) {}

  // Inserts or replaces each row, keyed by (user_account_id, account_id, platform, ad_id,
  // date), in one transaction; returns how many rows were written. Repeating it changes nothing
  // but updated_at. A known user_creative_id or name is never replaced by NULL.
  // INVALID_ARGUMENT for a row without ad_id or a date that is not YYYY-MM-DD.
  absl::StatusOr<int> Upsert(const std::vector<MetricsHistoryRow>& rows, absl::Time now);

  // The scope's rows of days first..last (YYYY-MM-DD, inclusive), by date then ad_id. Rows
  // stored without an advertiser_id (older writers) count as the scope's.
  absl::StatusOr<std::vector<MetricsHistoryRow>> List(const MetricsScope& scope,
                                                      const std::string& first,
                                                      const std::string& last);

  // Records that `dates` of the scope's advertiser were read in full (idempotent). Call it only
  // after an unfiltered ad-level read of those whole days, every page.
  absl::Status MarkDaysCovered(const MetricsScope& scope, const std::vector<std::string>& dates,
                               absl::Time now);
  // The recorded days within first..last, ascending.
  absl::StatusOr<std::vector<std::string>> CoveredDays(const MetricsScope& scope,
                                                       const std::string& first,
                                                       const std::string& last);

  // ad_creative_mapping of the user's TikTok ads, by ad_id.
  absl::StatusOr<std::map<std::string, AdCreativeLink>> CreativeLinks(
      const std::string& user_account_id);

 private:
  Database& database_;
};

}  // namespace ttads::storage

#endif  // TTADS_STORAGE_METRICS_HISTORY_REPOSITORY_H_
