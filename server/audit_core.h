// AuditService's logic: reading the audit trail, and the operation records: the agent_executions
// rows (action batches and launch workflows) with their agent_actions rows as steps.
#ifndef TTADS_SERVER_AUDIT_CORE_H_
#define TTADS_SERVER_AUDIT_CORE_H_

#include "absl/status/status.h"
#include "server/principal.h"
#include "storage/audit_log_repository.h"
#include "storage/database.h"
#include "storage/execution_repository.h"
#include "ttads/v1/audit_service.pb.h"

namespace ttads::server {

class AuditCore {
 public:
  explicit AuditCore(storage::Database& database) : audit_log_(database), executions_(database) {}

  // Newest first. Filters on the user are applied by the database; the others within the page,
  // so a page may hold fewer events than page_size while next_page_token is set.
  absl::Status ListAuditEvents(const Principal& principal,
                               const v1::ListAuditEventsRequest& request,
                               v1::ListAuditEventsResponse& response);

  // Newest first. User, account, status and idempotency key are filtered by the database; the
  // method within the page (a page may hold fewer operations than page_size while
  // next_page_token is set).
  absl::Status ListOperations(const Principal& principal,
                              const v1::ListOperationsRequest& request,
                              v1::ListOperationsResponse& response);
  // NOT_FOUND for another user's operation (unless the caller is the operator).
  absl::Status GetOperation(const Principal& principal, const v1::GetOperationRequest& request,
                            v1::Operation& response);

 private:
  storage::AuditLogRepository audit_log_;
  storage::ExecutionRepository executions_;
};

}  // namespace ttads::server

#endif  // TTADS_SERVER_AUDIT_CORE_H_
