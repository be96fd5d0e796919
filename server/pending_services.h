// Services whose behaviour lands with later work (TikTok client, builder workflows,
// analytics). Each RPC authenticates like every other and answers UNIMPLEMENTED naming
// the capability, so clients and the gateway already see the whole contract.
#ifndef TTADS_SERVER_PENDING_SERVICES_H_
#define TTADS_SERVER_PENDING_SERVICES_H_

#include "server/authenticator.h"
#include "server/rpc_adapter.h"
#include "ttads/v1/analytics_service.grpc.pb.h"

namespace ttads::server {

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
