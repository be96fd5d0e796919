// gRPC adapter of CampaignBuilderService: the launches run on LaunchCore, the queries and
// pause/resume on CampaignQueryCore.
#ifndef TTADS_SERVER_CAMPAIGN_BUILDER_SERVICE_H_
#define TTADS_SERVER_CAMPAIGN_BUILDER_SERVICE_H_

#include "server/campaign_query_core.h"
#include "server/launch_core.h"
#include "server/rpc_adapter.h"
#include "ttads/v1/campaign_builder_service.grpc.pb.h"

namespace ttads::server {

class CampaignBuilderServiceImpl final : public v1::CampaignBuilderService::Service {
 public:
  CampaignBuilderServiceImpl(const Authenticator& authenticator, LaunchCore& launch_core,
                             CampaignQueryCore& core)
      : authenticator_(authenticator), launch_core_(launch_core), core_(core) {}

  TTADS_RPC_ON(launch_core_, AutoLaunch, v1::AutoLaunchRequest, v1::AutoLaunchResponse)
  TTADS_RPC_ON(launch_core_, ManualLaunch, v1::ManualLaunchRequest, v1::ManualLaunchResponse)
  TTADS_RPC_ON(launch_core_, ManualLaunchMulti, v1::ManualLaunchMultiRequest,
               v1::ManualLaunchMultiResponse)
  TTADS_RPC_ON(launch_core_, CreateCampaign, v1::CreateCampaignRequest,
               v1::CreateCampaignResponse)
  TTADS_RPC(ListCampaigns, v1::ListCampaignsRequest, v1::ListCampaignsResponse)
  TTADS_RPC(PauseCampaign, v1::PauseCampaignRequest, v1::PauseCampaignResponse)
  TTADS_RPC(ResumeCampaign, v1::ResumeCampaignRequest, v1::ResumeCampaignResponse)
  TTADS_RPC(GetReport, v1::GetReportRequest, v1::GetReportResponse)
  TTADS_RPC(ListAvailableCreatives, v1::ListAvailableCreativesRequest,
            v1::ListAvailableCreativesResponse)
  TTADS_RPC(GetAdvertiserInfo, v1::GetAdvertiserInfoRequest, v1::GetAdvertiserInfoResponse)

 private:
  const Authenticator& authenticator_;
  LaunchCore& launch_core_;
  CampaignQueryCore& core_;
};

}  // namespace ttads::server

#endif  // TTADS_SERVER_CAMPAIGN_BUILDER_SERVICE_H_
