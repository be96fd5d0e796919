#include "storage/dispatch_pause_repository.h"

#include "absl/strings/str_cat.h"
#include "storage/sql_statement.h"

namespace ttads::storage {
namespace {

constexpr char kTable[] = "brain_dispatch_pauses";

void BindPause(SqlColumns& columns, DispatchPauseRow& row) {
  columns.Text("scope", &row.scope)
      .Text("user_account_id", &row.user_account_id)
      .Text("paused_by", &row.paused_by)
      .Text("reason", &row.reason)
      .Time("created_at", &row.created_at);
}

}  // namespace

absl::Status DispatchPauseRepository::Pause(const DispatchPauseRow& row, absl::Time now) {
  return database_.Run([&](soci::session& session) -> absl::Status {
    SqlParams params;
    params.Text("scope", row.scope)
        .NullableUuid("user_account_id", row.user_account_id)
        .Text("paused_by", row.paused_by)
        .NullableText("reason", row.reason)
        .Time("created_at", now);
    return Execute(session,
                   absl::StrCat(InsertSql(kTable, params),
                                " ON CONFLICT (scope) DO UPDATE SET paused_by = "
                                "excluded.paused_by, reason = excluded.reason, created_at = "
                                "excluded.created_at"),
                   params)
        .status();
  });
}

absl::Status DispatchPauseRepository::Resume(const std::string& scope) {
  return database_.Run([&](soci::session& session) -> absl::Status {
    SqlParams params;
    params.Text("scope", scope);
    return Execute(session, absl::StrCat("DELETE FROM ", kTable, " WHERE scope = :scope"), params)
        .status();
  });
}

absl::StatusOr<std::vector<DispatchPauseRow>> DispatchPauseRepository::Matching(
    const std::vector<std::string>& scopes) {
  return RunFor<std::vector<DispatchPauseRow>>(database_, [&](soci::session& session) {
    SqlParams params;
    std::string where = "scope = '*'";
    for (size_t i = 0; i < scopes.size(); ++i) {
      const std::string name = absl::StrCat("scope", i);
      params.Text(name, scopes[i]);
      absl::StrAppend(&where, " OR scope = :", name);
    }
    return ReadRows<DispatchPauseRow>(session, kTable, where, params, &BindPause,
                                      " ORDER BY scope");
  });
}

absl::StatusOr<std::vector<DispatchPauseRow>> DispatchPauseRepository::List(
    const std::optional<std::string>& user_account_id) {
  return RunFor<std::vector<DispatchPauseRow>>(database_, [&](soci::session& session) {
    SqlParams params;
    std::string where;
    if (user_account_id.has_value()) {
      params.Uuid("user_account_id", *user_account_id);
      where = "scope = '*' OR user_account_id = :user_account_id";
    }
    return ReadRows<DispatchPauseRow>(session, kTable, where, params, &BindPause,
                                      " ORDER BY scope");
  });
}

}  // namespace ttads::storage
