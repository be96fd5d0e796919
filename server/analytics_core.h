// AnalyticsService's logic: the frontend's TikTok proxy (`POST /api/tiktok-proxy`) and the
// typed ROI figures (`GET /api/v1/analytics/roi`).
//
// Proxy: a whitelist of the reads the frontend makes, called with the caller's own stored
// credentials (advertiser_id always set by ttads), answered with TikTok's envelope as is, also
// for a non-zero code (existing-system.md §8 bug 15); the three status updates go through
// ActionCore (validated, idempotent, audited). Anything else is refused (bug 1).
//
// ROI: from creative_metrics_history rows (one per ad per day). The days of the range never
// read in full are fetched from TikTok with ad-level daily reports (≤ 30 days each, every page),
// stored, and recorded as read; today is always fetched again (it is still changing). The
// figures are then summed in C++ per campaign, ad group or ad, per day or in total.
#ifndef TTADS_SERVER_ANALYTICS_CORE_H_
#define TTADS_SERVER_ANALYTICS_CORE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "server/action_core.h"
#include "server/audit.h"
#include "server/clock.h"
#include "server/principal.h"
#include "server/tiktok_access.h"
#include "storage/database.h"
#include "storage/direction_repository.h"
#include "storage/metrics_history_repository.h"
#include "tiktok/tiktok_api.h"
#include "ttads/v1/analytics_service.pb.h"

namespace ttads::server {

// The read endpoints the proxy forwards (GET), in the order the error message lists them.
const std::vector<std::string>& ProxyReadEndpoints();
// The status updates the proxy turns into actions (POST).
const std::vector<std::string>& ProxyStatusEndpoints();

// The TikTok metrics GetRoi asks for, per ad and day. complete_payment and
// total_complete_payment_rate (the purchase count and value, reference §8) exist in TikTok and
// in the sandbox; the attribute metrics name the ad's ad group and campaign.
const std::vector<std::string>& RoiReportMetrics();

class AnalyticsCore {
 public:
  AnalyticsCore(storage::Database& database, TikTokAccessResolver& access,
                tiktok::TikTokApi& tiktok, ActionCore& actions, Auditor& auditor,
                const Clock& clock)
      : history_(database),
        directions_(database),
        access_(access),
        tiktok_(tiktok),
        actions_(actions),
        auditor_(auditor),
        clock_(clock) {}

  absl::Status GetRoi(const Principal& principal, const v1::GetRoiRequest& request,
                      v1::GetRoiResponse& response);
  absl::Status TikTokProxy(const Principal& principal, const v1::TikTokProxyRequest& request,
                           v1::TikTokProxyResponse& response);

  // The brain batch's metrics step (existing collectTikTokMetricsForDays): reads the last `days`
  // complete days (the advertiser's local days) of ad-level figures again, read before or not
  // (late attribution changes them), stores them with `source` and records them as read.
  // Returns the rows written. Internal callers only: `access` is already resolved.
  absl::StatusOr<int> CollectRecentDays(const TikTokAccess& access, int days,
                                        const std::string& source);

 private:
  // Reads the days of `missing` (ascending, contiguous runs split at 30 days) from TikTok and
  // stores them; records the finished ones (before `today`) as read.
  absl::Status FetchDays(const TikTokAccess& access, const storage::MetricsScope& scope,
                         const std::vector<absl::CivilDay>& missing, absl::CivilDay today,
                         const std::string& currency, const std::string& source,
                         int* stored_rows = nullptr);
  absl::Status ProxyStatusUpdate(const Principal& principal, const std::string& user_id,
                                 const std::string& endpoint,
                                 const v1::TikTokProxyRequest& request,
                                 v1::TikTokProxyResponse& response);

  storage::MetricsHistoryRepository history_;
  storage::DirectionRepository directions_;
  TikTokAccessResolver& access_;
  tiktok::TikTokApi& tiktok_;
  ActionCore& actions_;
  Auditor& auditor_;
  const Clock& clock_;
};

}  // namespace ttads::server

#endif  // TTADS_SERVER_ANALYTICS_CORE_H_
