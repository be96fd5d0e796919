// AuditService's logic: reading the audit trail. Operation records (per-call steps of the launch
// workflows) arrive with the builder workflows.
#ifndef TTADS_SERVER_AUDIT_CORE_H_
#define TTADS_SERVER_AUDIT_CORE_H_

#include "absl/status/status.h"
#include "server/principal.h"
#include "storage/audit_log_repository.h"
#include "storage/database.h"
#include "ttads/v1/audit_service.pb.h"

namespace ttads::server {

class AuditCore {
 public:
  explicit AuditCore(storage::Database& database) : audit_log_(database) {}

  // Newest first. Filters on the user are applied by the database; the others within the page,
  // so a page may hold fewer events than page_size while next_page_token is set.
  absl::Status ListAuditEvents(const Principal& principal,
                               const v1::ListAuditEventsRequest& request,
                               v1::ListAuditEventsResponse& response);

 private:
  storage::AuditLogRepository audit_log_;
};

}  // namespace ttads::server

#endif  // TTADS_SERVER_AUDIT_CORE_H_
