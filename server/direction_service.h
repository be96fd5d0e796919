// gRPC adapter of DirectionService over DirectionCore.
#ifndef TTADS_SERVER_DIRECTION_SERVICE_H_
#define TTADS_SERVER_DIRECTION_SERVICE_H_

#include "server/direction_core.h"
#include "server/rpc_adapter.h"
#include "ttads/v1/direction_service.grpc.pb.h"

namespace ttads::server {

class DirectionServiceImpl final : public v1::DirectionService::Service {
 public:
  DirectionServiceImpl(const Authenticator& authenticator, DirectionCore& core)
      : authenticator_(authenticator), core_(core) {}

  TTADS_RPC(CreateDirection, v1::CreateDirectionRequest, v1::CreateDirectionResponse)
  TTADS_RPC(UpdateDirection, v1::UpdateDirectionRequest, v1::UpdateDirectionResponse)
  TTADS_RPC(GetDirection, v1::GetDirectionRequest, v1::Direction)
  TTADS_RPC(ListDirections, v1::ListDirectionsRequest, v1::ListDirectionsResponse)
  TTADS_RPC(GetDirectionAdSettings, v1::GetDirectionAdSettingsRequest, v1::DirectionAdSettings)
  TTADS_RPC(SetDirectionAdSettings, v1::SetDirectionAdSettingsRequest,
            v1::SetDirectionAdSettingsResponse)
  TTADS_RPC(AddDirectionAdGroup, v1::AddDirectionAdGroupRequest, v1::AddDirectionAdGroupResponse)
  TTADS_RPC(ListDirectionAdGroups, v1::ListDirectionAdGroupsRequest,
            v1::ListDirectionAdGroupsResponse)
  TTADS_RPC(UpdateDirectionAdGroup, v1::UpdateDirectionAdGroupRequest,
            v1::UpdateDirectionAdGroupResponse)
  TTADS_RPC(RemoveDirectionAdGroup, v1::RemoveDirectionAdGroupRequest,
            v1::RemoveDirectionAdGroupResponse)

 private:
  const Authenticator& authenticator_;
  DirectionCore& core_;
};

}  // namespace ttads::server

#endif  // TTADS_SERVER_DIRECTION_SERVICE_H_
