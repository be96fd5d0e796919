// gRPC adapter of BrainService over BrainCore.
#ifndef TTADS_SERVER_BRAIN_SERVICE_H_
#define TTADS_SERVER_BRAIN_SERVICE_H_

#include "server/authenticator.h"
#include "server/brain_batch.h"
#include "server/brain_core.h"
#include "server/rpc_adapter.h"
#include "ttads/v1/brain_service.grpc.pb.h"

namespace ttads::server {

class BrainServiceImpl final : public v1::BrainService::Service {
 public:
  BrainServiceImpl(const Authenticator& authenticator, BrainCore& core, BrainBatch& batch)
      : authenticator_(authenticator), core_(core), batch_(batch) {}

  TTADS_RPC(RunTikTok, v1::RunTikTokRequest, v1::RunTikTokResponse)
  TTADS_RPC(ListExecutions, v1::ListBrainExecutionsRequest, v1::ListBrainExecutionsResponse)
  TTADS_RPC(GetExecution, v1::GetBrainExecutionRequest, v1::BrainExecution)
  TTADS_RPC(RevertExecution, v1::RevertBrainExecutionRequest, v1::RevertBrainExecutionResponse)
  TTADS_RPC(ReplayExecution, v1::ReplayBrainExecutionRequest, v1::ReplayBrainExecutionResponse)
  TTADS_RPC(SetDispatchPause, v1::SetDispatchPauseRequest, v1::DispatchPauseState)
  TTADS_RPC(GetDispatchPause, v1::GetDispatchPauseRequest, v1::DispatchPauseState)
  TTADS_RPC_ON(batch_, RunBatch, v1::RunBrainBatchRequest, v1::BrainBatchRecord)
  TTADS_RPC_ON(batch_, ListBatches, v1::ListBrainBatchesRequest, v1::ListBrainBatchesResponse)

 private:
  const Authenticator& authenticator_;
  BrainCore& core_;
  BrainBatch& batch_;
};

}  // namespace ttads::server

#endif  // TTADS_SERVER_BRAIN_SERVICE_H_
