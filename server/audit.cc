#include "server/audit.h"

#include "server/log.h"
#include "server/proto_convert.h"

namespace ttads::server {

void Auditor::Record(const Principal& principal, const AuditRecord& record,
                     const absl::Status& status) {
  storage::AuditEntry entry;
  entry.actor = principal.actor();
  entry.user_account_id = NullIfEmpty(record.user_account_id);
  entry.account_id = NullIfEmpty(record.account_id);
  entry.action = record.action;
  entry.target_type = NullIfEmpty(record.target_type);
  entry.target_id = NullIfEmpty(record.target_id);
  entry.idempotency_key = NullIfEmpty(record.idempotency_key);
  entry.outcome = status.ok() ? "OK" : std::string(absl::StatusCodeToString(status.code()));
  entry.details_json = NullIfEmpty(record.details_json);
  if (absl::Status appended = log_.Append(entry, clock_.Now()); !appended.ok()) {
    LogError("audit_append_failed", {{"action", record.action},
                                     {"target_id", record.target_id},
                                     {"error", std::string(appended.message())}});
  }
}

}  // namespace ttads::server
