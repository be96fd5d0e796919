// CampaignBuilderService's RPCs other than the launches (`/api/tiktok-campaign-builder/*`):
// listing, pausing and resuming the advertiser's campaigns, the campaign report, the creatives a
// launch can use and the advertiser's info. Unlike the old routes, every TikTok page is read,
// callers reach only their own user account, and pause/resume keep ttads's records in step.
#ifndef TTADS_SERVER_CAMPAIGN_QUERY_CORE_H_
#define TTADS_SERVER_CAMPAIGN_QUERY_CORE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/audit.h"
#include "server/clock.h"
#include "server/idempotency.h"
#include "server/principal.h"
#include "server/tiktok_access.h"
#include "storage/creative_repository.h"
#include "storage/database.h"
#include "storage/direction_repository.h"
#include "tiktok/tiktok_api.h"
#include "ttads/v1/campaign_builder_service.pb.h"

namespace ttads::server {

class CampaignQueryCore {
 public:
  CampaignQueryCore(storage::Database& database, IdempotencyGuard& idempotency, Auditor& auditor,
                    TikTokAccessResolver& access, tiktok::TikTokApi& tiktok, const Clock& clock)
      : directions_(database),
        creatives_(database),
        idempotency_(idempotency),
        auditor_(auditor),
        access_(access),
        tiktok_(tiktok),
        clock_(clock) {}

  absl::Status ListCampaigns(const Principal& principal, const v1::ListCampaignsRequest& request,
                             v1::ListCampaignsResponse& response);
  absl::Status PauseCampaign(const Principal& principal, const v1::PauseCampaignRequest& request,
                             v1::PauseCampaignResponse& response);
  absl::Status ResumeCampaign(const Principal& principal,
                              const v1::ResumeCampaignRequest& request,
                              v1::ResumeCampaignResponse& response);
  absl::Status GetReport(const Principal& principal, const v1::GetReportRequest& request,
                         v1::GetReportResponse& response);
  absl::Status ListAvailableCreatives(const Principal& principal,
                                      const v1::ListAvailableCreativesRequest& request,
                                      v1::ListAvailableCreativesResponse& response);
  absl::Status GetAdvertiserInfo(const Principal& principal,
                                 const v1::GetAdvertiserInfoRequest& request,
                                 v1::GetAdvertiserInfoResponse& response);

 private:
  // What a pause or resume changes.
  struct StatusChange {
    const char* rpc;               // "CampaignBuilderService.PauseCampaign"
    const char* operation_status;  // DISABLE | ENABLE (TikTok)
    const char* campaign_status;   // PAUSED | ACTIVE (account_directions)
  };

  // The validated user account and TikTok credentials of a request.
  absl::StatusOr<TikTokAccess> Access(const Principal& principal,
                                      const std::string& user_account_id,
                                      const std::string& account_id);
  // Pause/resume: checks the campaign exists at the advertiser, changes it (unless
  // validate_only), mirrors it into ttads and audits it. Fills `mutation` through the guard.
  template <typename Request, typename Response>
  absl::Status ChangeStatus(const Principal& principal, const Request& request,
                            Response& response, const StatusChange& change,
                            const char* done_message);

  storage::DirectionRepository directions_;
  storage::CreativeRepository creatives_;
  IdempotencyGuard& idempotency_;
  Auditor& auditor_;
  TikTokAccessResolver& access_;
  tiktok::TikTokApi& tiktok_;
  const Clock& clock_;
};

}  // namespace ttads::server

#endif  // TTADS_SERVER_CAMPAIGN_QUERY_CORE_H_
