// gRPC adapter of CreativeService over CreativeCore.
#ifndef TTADS_SERVER_CREATIVE_SERVICE_H_
#define TTADS_SERVER_CREATIVE_SERVICE_H_

#include "server/creative_core.h"
#include "server/rpc_adapter.h"
#include "ttads/v1/creative_service.grpc.pb.h"

namespace ttads::server {

class CreativeServiceImpl final : public v1::CreativeService::Service {
 public:
  CreativeServiceImpl(const Authenticator& authenticator, CreativeCore& core)
      : authenticator_(authenticator), core_(core) {}

  TTADS_RPC(CreateCreative, v1::CreateCreativeRequest, v1::CreateCreativeResponse)
  TTADS_RPC(UpdateCreative, v1::UpdateCreativeRequest, v1::UpdateCreativeResponse)
  TTADS_RPC(GetCreative, v1::GetCreativeRequest, v1::Creative)
  TTADS_RPC(ListCreatives, v1::ListCreativesRequest, v1::ListCreativesResponse)

 private:
  const Authenticator& authenticator_;
  CreativeCore& core_;
};

}  // namespace ttads::server

#endif  // TTADS_SERVER_CREATIVE_SERVICE_H_
