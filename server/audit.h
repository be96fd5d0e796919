// The audit trail: every mutation that reached a core, who asked, what it touched, how it ended.
// Writing it must never fail the mutation it describes (the change already happened), so a
// failed append is logged instead.
#ifndef TTADS_SERVER_AUDIT_H_
#define TTADS_SERVER_AUDIT_H_

#include <string>

#include "absl/status/status.h"
#include "server/clock.h"
#include "server/principal.h"
#include "storage/audit_log_repository.h"

namespace ttads::server {

struct AuditRecord {
  std::string action;  // the RPC, e.g. "AdminService.CreateApiKey"
  std::string user_account_id;
  std::string account_id;
  std::string target_type;  // "user_account", "api_key", "direction", …
  std::string target_id;
  std::string idempotency_key;
  std::string details_json;  // a JSON object; "" for none. Never secrets.
};

class Auditor {
 public:
  Auditor(storage::AuditLogRepository& log, const Clock& clock) : log_(log), clock_(clock) {}

  // Appends `record` with the outcome of `status` ("OK" or the code name).
  void Record(const Principal& principal, const AuditRecord& record, const absl::Status& status);

 private:
  storage::AuditLogRepository& log_;
  const Clock& clock_;
};

}  // namespace ttads::server

#endif  // TTADS_SERVER_AUDIT_H_
