// Services whose behaviour lands with later work (TikTok client, builder workflows,
// brain, analytics). Each RPC authenticates like every other and answers UNIMPLEMENTED naming
// the capability, so clients and the gateway already see the whole contract.
#ifndef TTADS_SERVER_PENDING_SERVICES_H_
#define TTADS_SERVER_PENDING_SERVICES_H_

#include "server/authenticator.h"
#include "server/rpc_adapter.h"
#include "ttads/v1/analytics_service.grpc.pb.h"
#include "ttads/v1/brain_service.grpc.pb.h"
#include "ttads/v1/campaign_builder_service.grpc.pb.h"

namespace ttads::server {

class PendingCampaignBuilderService final : public v1::CampaignBuilderService::Service {
 public:
  explicit PendingCampaignBuilderService(const Authenticator& authenticator)
      : authenticator_(authenticator) {}

  TTADS_PENDING_RPC(AutoLaunch, v1::AutoLaunchRequest, v1::AutoLaunchResponse,
                    "The auto-launch workflow")
  TTADS_PENDING_RPC(ManualLaunch, v1::ManualLaunchRequest, v1::ManualLaunchResponse,
                    "The manual-launch workflow")
  TTADS_PENDING_RPC(ManualLaunchMulti, v1::ManualLaunchMultiRequest,
                    v1::ManualLaunchMultiResponse, "The multi-adset manual launch")
  TTADS_PENDING_RPC(CreateCampaign, v1::CreateCampaignRequest, v1::CreateCampaignResponse,
                    "Campaign creation at TikTok")
  TTADS_PENDING_RPC(ListCampaigns, v1::ListCampaignsRequest, v1::ListCampaignsResponse,
                    "Listing TikTok campaigns")
  TTADS_PENDING_RPC(PauseCampaign, v1::PauseCampaignRequest, v1::PauseCampaignResponse,
                    "Pausing TikTok campaigns")
  TTADS_PENDING_RPC(ResumeCampaign, v1::ResumeCampaignRequest, v1::ResumeCampaignResponse,
                    "Resuming TikTok campaigns")
  TTADS_PENDING_RPC(GetReport, v1::GetReportRequest, v1::GetReportResponse,
                    "TikTok campaign reports")
  TTADS_PENDING_RPC(ListAvailableCreatives, v1::ListAvailableCreativesRequest,
                    v1::ListAvailableCreativesResponse, "The builder's creative listing")
  TTADS_PENDING_RPC(GetAdvertiserInfo, v1::GetAdvertiserInfoRequest,
                    v1::GetAdvertiserInfoResponse, "TikTok advertiser info")

 private:
  const Authenticator& authenticator_;
};

class PendingBrainService final : public v1::BrainService::Service {
 public:
  explicit PendingBrainService(const Authenticator& authenticator)
      : authenticator_(authenticator) {}

  TTADS_PENDING_RPC(RunTikTok, v1::RunTikTokRequest, v1::RunTikTokResponse, "The TikTok brain")
  TTADS_PENDING_RPC(ListExecutions, v1::ListBrainExecutionsRequest,
                    v1::ListBrainExecutionsResponse, "Brain executions")
  TTADS_PENDING_RPC(GetExecution, v1::GetBrainExecutionRequest, v1::BrainExecution,
                    "Brain executions")

 private:
  const Authenticator& authenticator_;
};

class PendingAnalyticsService final : public v1::AnalyticsService::Service {
 public:
  explicit PendingAnalyticsService(const Authenticator& authenticator)
      : authenticator_(authenticator) {}

  TTADS_PENDING_RPC(GetRoi, v1::GetRoiRequest, v1::GetRoiResponse, "ROI analytics")
  TTADS_PENDING_RPC(TikTokProxy, v1::TikTokProxyRequest, v1::TikTokProxyResponse,
                    "The TikTok read proxy")

 private:
  const Authenticator& authenticator_;
};

}  // namespace ttads::server

#endif  // TTADS_SERVER_PENDING_SERVICES_H_
