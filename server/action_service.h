// gRPC adapter of ActionService over ActionCore.
#ifndef TTADS_SERVER_ACTION_SERVICE_H_
#define TTADS_SERVER_ACTION_SERVICE_H_

#include "server/action_core.h"
#include "server/rpc_adapter.h"
#include "ttads/v1/action_service.grpc.pb.h"

namespace ttads::server {

class ActionServiceImpl final : public v1::ActionService::Service {
 public:
  ActionServiceImpl(const Authenticator& authenticator, ActionCore& core)
      : authenticator_(authenticator), core_(core) {}

  TTADS_RPC(Dispatch, v1::DispatchRequest, v1::DispatchResponse)
  TTADS_RPC(GetExecution, v1::GetActionExecutionRequest, v1::ActionExecution)
  TTADS_RPC(ListExecutions, v1::ListActionExecutionsRequest, v1::ListActionExecutionsResponse)

 private:
  const Authenticator& authenticator_;
  ActionCore& core_;
};

}  // namespace ttads::server

#endif  // TTADS_SERVER_ACTION_SERVICE_H_
