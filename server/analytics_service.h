// gRPC adapter of AnalyticsService over AnalyticsCore.
#ifndef TTADS_SERVER_ANALYTICS_SERVICE_H_
#define TTADS_SERVER_ANALYTICS_SERVICE_H_

#include "server/analytics_core.h"
#include "server/rpc_adapter.h"
#include "ttads/v1/analytics_service.grpc.pb.h"

namespace ttads::server {

class AnalyticsServiceImpl final : public v1::AnalyticsService::Service {
 public:
  AnalyticsServiceImpl(const Authenticator& authenticator, AnalyticsCore& core)
      : authenticator_(authenticator), core_(core) {}

  TTADS_RPC(GetRoi, v1::GetRoiRequest, v1::GetRoiResponse)
  TTADS_RPC(TikTokProxy, v1::TikTokProxyRequest, v1::TikTokProxyResponse)

 private:
  const Authenticator& authenticator_;
  AnalyticsCore& core_;
};

}  // namespace ttads::server

#endif  // TTADS_SERVER_ANALYTICS_SERVICE_H_
