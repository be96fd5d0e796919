// gRPC adapter of AuditService over AuditCore.
#ifndef TTADS_SERVER_AUDIT_SERVICE_H_
#define TTADS_SERVER_AUDIT_SERVICE_H_

#include "server/audit_core.h"
#include "server/rpc_adapter.h"
#include "ttads/v1/audit_service.grpc.pb.h"

namespace ttads::server {

class AuditServiceImpl final : public v1::AuditService::Service {
 public:
  AuditServiceImpl(const Authenticator& authenticator, AuditCore& core)
      : authenticator_(authenticator), core_(core) {}

  TTADS_RPC(ListAuditEvents, v1::ListAuditEventsRequest, v1::ListAuditEventsResponse)
  TTADS_RPC(ListOperations, v1::ListOperationsRequest, v1::ListOperationsResponse)
  TTADS_RPC(GetOperation, v1::GetOperationRequest, v1::Operation)

 private:
  const Authenticator& authenticator_;
  AuditCore& core_;
};

}  // namespace ttads::server

#endif  // TTADS_SERVER_AUDIT_SERVICE_H_
