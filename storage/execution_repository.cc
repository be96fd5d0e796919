#include "storage/execution_repository.h"

#include "absl/strings/str_cat.h"
#include "storage/sql_statement.h"
#include "storage/uuid.h"

namespace ttads::storage {
namespace {

constexpr char kExecutions[] = "agent_executions";
constexpr char kActions[] = "agent_actions";
constexpr char kExecutionEntity[] = "execution";

void BindExecution(SqlColumns& columns, ExecutionRow& row) {
  columns.Text("id", &row.id)
      .Text("user_account_id", &row.user_account_id)
      .Text("account_id", &row.account_id)
      .Text("ad_account_id", &row.ad_account_id)
      .Text("idempotency_key", &row.idempotency_key)
      .Text("source", &row.source)
      .Text("status", &row.status)
      .Bool("executed", &row.executed)
      .Text("request_json", &row.request_json)
      .Text("error_json", &row.error_json)
      .Text("result_json", &row.result_json)
      .Time("started_at", &row.started_at)
      .Time("finished_at", &row.finished_at)
      .Time("created_at", &row.created_at);
}

void BindAction(SqlColumns& columns, ActionRow& row) {
  columns.Text("id", &row.id)
      .Text("execution_id", &row.execution_id)
      .Int("action_idx", &row.action_idx)
      .Text("type", &row.type)
      .Text("params_json", &row.params_json)
      .Text("status", &row.status)
      .Text("result_json", &row.result_json)
      .Text("error_json", &row.error_json)
      .Time("started_at", &row.started_at)
      .Time("finished_at", &row.finished_at)
      .Time("created_at", &row.created_at);
}

std::optional<std::string> JsonOrNull(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return text;
}

absl::StatusOr<ExecutionRow> ReadByKey(soci::session& session, const std::string& user_account_id,
                                       const std::string& idempotency_key) {
  SqlParams params;
  params.Uuid("user_account_id", user_account_id).Text("idempotency_key", idempotency_key);
  return ReadRow<ExecutionRow>(
      session, kExecutions,
      "user_account_id = :user_account_id AND idempotency_key = :idempotency_key", params,
      &BindExecution, "execution with idempotency key", idempotency_key);
}

}  // namespace

absl::StatusOr<ExecutionClaim> ExecutionRepository::CreateOrGet(
    const ExecutionRow& execution, const std::vector<ActionRow>& actions, absl::Time now) {
  return TransactFor<ExecutionClaim>(
      database_, [&](soci::session& session) -> absl::StatusOr<ExecutionClaim> {
        const std::string id = execution.id.empty() ? NewUuid() : execution.id;
        SqlParams insert;
        insert.Uuid("id", id)
            .Uuid("user_account_id", execution.user_account_id)
            .NullableUuid("account_id", execution.account_id)
            .Text("ad_account_id", execution.ad_account_id)
            .Text("idempotency_key", execution.idempotency_key)
            .Text("source", execution.source)
            .Text("status", "running")
            .Bool("executed", false)
            .NullableText("request_json", JsonOrNull(execution.request_json))
            .Time("started_at", now)
            .Time("created_at", now);
        absl::StatusOr<long long> inserted =
            Execute(session,
                    absl::StrCat(InsertSql(kExecutions, insert),
                                 " ON CONFLICT (user_account_id, idempotency_key) DO NOTHING"),
                    insert);
        if (!inserted.ok()) return inserted.status();
        const bool created = *inserted == 1;
        if (created) {
          for (const ActionRow& action : actions) {
            SqlParams row;
            row.Uuid("id", action.id.empty() ? NewUuid() : action.id)
                .Uuid("execution_id", id)
                .Int("action_idx", action.action_idx)
                .Text("type", action.type)
                .NullableText("params_json", JsonOrNull(action.params_json))
                .Text("status", "queued")
                .Time("created_at", now);
            absl::StatusOr<long long> added = Execute(session, InsertSql(kActions, row), row);
            if (!added.ok()) return added.status();
          }
        }
        absl::StatusOr<ExecutionRow> stored =
            ReadByKey(session, execution.user_account_id, execution.idempotency_key);
        if (!stored.ok()) return stored.status();
        return ExecutionClaim{created, *std::move(stored)};
      });
}

absl::StatusOr<ExecutionRow> ExecutionRepository::FindByKey(const std::string& user_account_id,
                                                            const std::string& idempotency_key) {
  return RunFor<ExecutionRow>(database_, [&](soci::session& session) {
    return ReadByKey(session, user_account_id, idempotency_key);
  });
}

absl::StatusOr<bool> ExecutionRepository::TakeOver(const std::string& id, absl::Time stale_before,
                                                   absl::Time now) {
  return RunFor<bool>(database_, [&](soci::session& session) -> absl::StatusOr<bool> {
    SqlParams params;
    params.Time("started_at", now).Uuid("id", id).Time("stale_before", stale_before);
    absl::StatusOr<long long> changed = Execute(
        session,
        absl::StrCat("UPDATE ", kExecutions,
                     " SET started_at = :started_at WHERE id = :id AND status = 'running' AND "
                     "(started_at IS NULL OR started_at < :stale_before)"),
        params);
    if (!changed.ok()) return changed.status();
    return *changed == 1;
  });
}

absl::StatusOr<bool> ExecutionRepository::Reopen(const std::string& id, absl::Time now) {
  return RunFor<bool>(database_, [&](soci::session& session) -> absl::StatusOr<bool> {
    SqlParams params;
    params.Time("started_at", now).Uuid("id", id);
    absl::StatusOr<long long> changed = Execute(
        session,
        absl::StrCat("UPDATE ", kExecutions,
                     " SET status = 'running', started_at = :started_at, finished_at = NULL, "
                     "error_json = NULL WHERE id = :id AND status IN ('failed', 'partial')"),
        params);
    if (!changed.ok()) return changed.status();
    return *changed == 1;
  });
}

absl::StatusOr<int> ExecutionRepository::AppendAction(const std::string& execution_id,
                                                      const ActionRow& action, absl::Time now) {
  return TransactFor<int>(database_, [&](soci::session& session) -> absl::StatusOr<int> {
    long long last = -1;
    SqlParams where;
    where.Uuid("execution_id", execution_id);
    SqlColumns columns;
    columns.Int("last_idx", &last);
    if (absl::Status read = Query(session,
                                  absl::StrCat("SELECT COALESCE(MAX(action_idx), -1) AS last_idx "
                                               "FROM ", kActions,
                                               " WHERE execution_id = :execution_id"),
                                  where, columns, [] {});
        !read.ok()) {
      return read;
    }
    const int next = static_cast<int>(last + 1);
    SqlParams row;
    row.Uuid("id", action.id.empty() ? NewUuid() : action.id)
        .Uuid("execution_id", execution_id)
        .Int("action_idx", next)
        .Text("type", action.type)
        .NullableText("params_json", JsonOrNull(action.params_json))
        .Text("status", action.status)
        .NullableText("result_json", JsonOrNull(action.result_json))
        .NullableText("error_json", JsonOrNull(action.error_json))
        .Time("started_at", now)
        .Time("created_at", now);
    absl::StatusOr<long long> added = Execute(session, InsertSql(kActions, row), row);
    if (!added.ok()) return added.status();
    return next;
  });
}

absl::Status ExecutionRepository::SetResult(const std::string& id, const std::string& result_json) {
  return database_.Run([&](soci::session& session) -> absl::Status {
    SqlParams params;
    params.NullableText("result_json", JsonOrNull(result_json)).Uuid("id", id);
    absl::StatusOr<long long> changed = Execute(
        session,
        absl::StrCat("UPDATE ", kExecutions, " SET result_json = :result_json WHERE id = :id"),
        params);
    if (!changed.ok()) return changed.status();
    if (*changed == 0) return NotFoundError(kExecutionEntity, id);
    return absl::OkStatus();
  });
}

absl::Status ExecutionRepository::StartAction(const std::string& execution_id, int action_idx,
                                              absl::Time now) {
  return database_.Run([&](soci::session& session) -> absl::Status {
    SqlParams params;
    params.Text("status", "running").Time("started_at", now);
    const std::string assignments = params.Assignments();
    params.Uuid("where_execution_id", execution_id).Int("where_action_idx", action_idx);
    absl::StatusOr<long long> changed = Execute(
        session,
        absl::StrCat("UPDATE ", kActions, " SET ", assignments,
                     " WHERE execution_id = :where_execution_id AND action_idx = "
                     ":where_action_idx"),
        params);
    if (!changed.ok()) return changed.status();
    if (*changed == 0) return NotFoundError("action of execution", execution_id);
    return absl::OkStatus();
  });
}

absl::Status ExecutionRepository::FinishAction(const std::string& execution_id, int action_idx,
                                               const std::string& status,
                                               const std::string& result_json,
                                               const std::string& error_json, absl::Time now) {
  return database_.Run([&](soci::session& session) -> absl::Status {
    SqlParams params;
    params.Text("status", status)
        .NullableText("result_json", JsonOrNull(result_json))
        .NullableText("error_json", JsonOrNull(error_json))
        .Time("finished_at", now);
    const std::string assignments = params.Assignments();
    params.Uuid("where_execution_id", execution_id).Int("where_action_idx", action_idx);
    absl::StatusOr<long long> changed = Execute(
        session,
        absl::StrCat("UPDATE ", kActions, " SET ", assignments,
                     " WHERE execution_id = :where_execution_id AND action_idx = "
                     ":where_action_idx"),
        params);
    if (!changed.ok()) return changed.status();
    if (*changed == 0) return NotFoundError("action of execution", execution_id);
    return absl::OkStatus();
  });
}

absl::Status ExecutionRepository::FinishExecution(const std::string& id, const std::string& status,
                                                  bool executed, const std::string& error_json,
                                                  absl::Time now) {
  return database_.Transact([&](soci::session& session) -> absl::Status {
    SqlParams params;
    params.Text("status", status)
        .Bool("executed", executed)
        .NullableText("error_json", JsonOrNull(error_json))
        .Time("finished_at", now);
    const std::string assignments = params.Assignments();
    params.Uuid("where_id", id);
    absl::StatusOr<long long> changed =
        Execute(session,
                absl::StrCat("UPDATE ", kExecutions, " SET ", assignments, " WHERE id = :where_id"),
                params);
    if (!changed.ok()) return changed.status();
    if (*changed == 0) return NotFoundError(kExecutionEntity, id);
    if (status != "success") {
      SqlParams skip;
      skip.Uuid("execution_id", id);
      absl::StatusOr<long long> skipped = Execute(
          session,
          absl::StrCat("UPDATE ", kActions,
                       " SET status = 'skipped' WHERE execution_id = :execution_id AND "
                       "status = 'queued'"),
          skip);
      if (!skipped.ok()) return skipped.status();
    }
    return absl::OkStatus();
  });
}

absl::Status ExecutionRepository::AppendLog(const std::string& execution_id, int step_idx,
                                            const std::string& step,
                                            const std::string& input_json,
                                            const std::string& output_json, absl::Time now) {
  return database_.Run([&](soci::session& session) -> absl::Status {
    SqlParams params;
    params.Uuid("id", NewUuid())
        .Uuid("execution_id", execution_id)
        .Int("step_idx", step_idx)
        .Text("step", step)
        .NullableText("input_json", JsonOrNull(input_json))
        .NullableText("output_json", JsonOrNull(output_json))
        .Time("created_at", now);
    return Execute(session, InsertSql("agent_logs", params), params).status();
  });
}

absl::StatusOr<ExecutionRow> ExecutionRepository::Get(
    const std::optional<std::string>& user_account_id, const std::string& id) {
  return RunFor<ExecutionRow>(database_, [&](soci::session& session) {
    SqlParams params;
    params.Uuid("id", id);
    std::string where = "id = :id";
    if (user_account_id.has_value()) {
      params.Uuid("user_account_id", *user_account_id);
      where += " AND user_account_id = :user_account_id";
    }
    return ReadRow<ExecutionRow>(session, kExecutions, where, params, &BindExecution,
                                 kExecutionEntity, id);
  });
}

absl::StatusOr<std::vector<ActionRow>> ExecutionRepository::ListActions(
    const std::string& execution_id) {
  return RunFor<std::vector<ActionRow>>(database_, [&](soci::session& session) {
    SqlParams params;
    params.Uuid("execution_id", execution_id);
    return ReadRows<ActionRow>(session, kActions, "execution_id = :execution_id", params,
                               &BindAction, "ORDER BY action_idx");
  });
}

absl::StatusOr<Page<ExecutionRow>> ExecutionRepository::List(const ExecutionFilter& filter,
                                                             const PageRequest& page) {
  return RunFor<Page<ExecutionRow>>(database_, [&](soci::session& session) {
    SqlParams params;
    std::string where;
    const auto add = [&where](absl::string_view condition) {
      absl::StrAppend(&where, where.empty() ? "" : " AND ", condition);
    };
    if (filter.user_account_id.has_value()) {
      params.Uuid("user_account_id", *filter.user_account_id);
      add("user_account_id = :user_account_id");
    }
    if (!filter.account_id.empty()) {
      params.Uuid("account_id", filter.account_id);
      add("account_id = :account_id");
    }
    if (!filter.status.empty()) {
      params.Text("status", filter.status);
      add("status = :status");
    }
    if (!filter.statuses.empty()) {
      std::string any;
      for (std::size_t i = 0; i < filter.statuses.size(); ++i) {
        const std::string name = absl::StrCat("status_", i);
        params.Text(name, filter.statuses[i]);
        absl::StrAppend(&any, i == 0 ? "" : " OR ", "status = :", name);
      }
      add(absl::StrCat("(", any, ")"));
    }
    if (!filter.source.empty()) {
      params.Text("source", filter.source);
      add("source = :source");
    }
    if (!filter.idempotency_key.empty()) {
      params.Text("idempotency_key", filter.idempotency_key);
      add("idempotency_key = :idempotency_key");
    }
    return QueryPage<ExecutionRow>(session, kExecutions, where, params, page, &BindExecution);
  });
}

}  // namespace ttads::storage
