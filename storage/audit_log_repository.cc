#include "storage/audit_log_repository.h"

#include "absl/strings/str_cat.h"
#include "storage/sql_statement.h"
#include "storage/uuid.h"

namespace ttads::storage {
namespace {

void BindEntry(SqlColumns& columns, AuditEntry& row) {
  columns.Text("id", &row.id)
      .Text("actor", &row.actor)
      .Text("user_account_id", &row.user_account_id)
      .Text("account_id", &row.account_id)
      .Text("action", &row.action)
      .Text("target_type", &row.target_type)
      .Text("target_id", &row.target_id)
      .Text("idempotency_key", &row.idempotency_key)
      .Text("outcome", &row.outcome)
      .Text("details", &row.details_json)
      .Time("created_at", &row.created_at);
}

}  // namespace

absl::Status AuditLogRepository::Append(const AuditEntry& entry, absl::Time now) {
  const std::string id = entry.id.empty() ? NewUuid() : entry.id;
  return database_.Run([&](soci::session& session) -> absl::Status {
    SqlParams params;
    params.Uuid("id", id)
        .Text("actor", entry.actor)
        .NullableUuid("user_account_id", entry.user_account_id)
        .NullableUuid("account_id", entry.account_id)
        .Text("action", entry.action)
        .NullableText("target_type", entry.target_type)
        .NullableText("target_id", entry.target_id)
        .NullableText("idempotency_key", entry.idempotency_key)
        .Text("outcome", entry.outcome)
        .NullableText("details", entry.details_json)
        .Time("created_at", now);
    return Execute(session, InsertSql("audit_log", params), params).status();
  });
}

absl::StatusOr<Page<AuditEntry>> AuditLogRepository::ListForUser(
    const std::string& user_account_id, const PageRequest& page) {
  return RunFor<Page<AuditEntry>>(database_, [&](soci::session& session) {
    SqlParams params;
    params.Uuid("user_account_id", user_account_id);
    return QueryPage<AuditEntry>(session, "audit_log", "user_account_id = :user_account_id",
                                 params, page, &BindEntry);
  });
}

absl::StatusOr<Page<AuditEntry>> AuditLogRepository::ListAll(const PageRequest& page) {
  return RunFor<Page<AuditEntry>>(database_, [&](soci::session& session) {
    SqlParams params;
    return QueryPage<AuditEntry>(session, "audit_log", "", params, page, &BindEntry);
  });
}

absl::StatusOr<std::map<std::string, absl::Time>> AuditLogRepository::LatestSuccessByTarget(
    const std::string& user_account_id, const std::string& action, const std::string& target_type,
    absl::Time since) {
  return RunFor<std::map<std::string, absl::Time>>(
      database_, [&](soci::session& session) -> absl::StatusOr<std::map<std::string, absl::Time>> {
        SqlParams params;
        params.Uuid("user_account_id", user_account_id)
            .Text("action", action)
            .Text("target_type", target_type)
            .Time("since", since);
        std::string target;
        absl::Time at = absl::InfinitePast();
        SqlColumns columns;
        columns.Text("target_id", &target).Time("created_at", &at);
        std::map<std::string, absl::Time> latest;
        absl::Status status = Query(
            session,
            "SELECT target_id, created_at FROM audit_log WHERE user_account_id = "
            ":user_account_id AND action = :action AND target_type = :target_type AND outcome = "
            "'OK' AND created_at >= :since",
            params, columns, [&] {
              auto [it, inserted] = latest.emplace(target, at);
              if (!inserted && at > it->second) it->second = at;
            });
        if (!status.ok()) return status;
        return latest;
      });
}

}  // namespace ttads::storage
