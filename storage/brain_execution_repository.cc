#include "storage/brain_execution_repository.h"

#include "absl/strings/str_cat.h"
#include "storage/sql_statement.h"
#include "storage/uuid.h"

namespace ttads::storage {
namespace {

constexpr char kTable[] = "brain_executions";
constexpr char kEntity[] = "brain execution";

void BindExecution(SqlColumns& columns, BrainExecutionRow& row) {
  columns.Text("id", &row.id)
      .Text("user_account_id", &row.user_account_id)
      .Text("account_id", &row.account_id)
      .Text("idempotency_key", &row.idempotency_key)
      .Text("plan_json", &row.plan_json)
      .Text("actions_json", &row.actions_json)
      .Text("executor_response_json", &row.executor_response_json)
      .Text("report_text", &row.report_text)
      .Text("status", &row.status)
      .Int("duration_ms", &row.duration_ms)
      .Text("platform", &row.platform)
      .Text("execution_mode", &row.execution_mode)
      .Int("actions_taken", &row.actions_taken)
      .Int("actions_failed", &row.actions_failed)
      .Int("tiktok_calls", &row.tiktok_calls)
      .Text("error_json", &row.error_json)
      .Time("created_at", &row.created_at);
}

std::optional<std::string> OrNull(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return text;
}

}  // namespace

absl::StatusOr<BrainClaim> BrainExecutionRepository::CreateOrGet(const BrainExecutionRow& row,
                                                                 absl::Time now) {
  return TransactFor<BrainClaim>(database_, [&](soci::session& session) -> absl::StatusOr<BrainClaim> {
    SqlParams insert;
    insert.Uuid("id", row.id.empty() ? NewUuid() : row.id)
        .Uuid("user_account_id", row.user_account_id)
        .NullableUuid("account_id", row.account_id)
        .Text("idempotency_key", row.idempotency_key)
        .Text("status", "running")
        .Text("platform", row.platform)
        .Text("execution_mode", row.execution_mode)
        .Time("created_at", now);
    // The unique index is partial (idempotency_key IS NOT NULL), so the conflict target names
    // its predicate.
    absl::StatusOr<long long> inserted = Execute(
        session,
        absl::StrCat(InsertSql(kTable, insert),
                     " ON CONFLICT (user_account_id, idempotency_key) WHERE idempotency_key IS "
                     "NOT NULL DO NOTHING"),
        insert);
    if (!inserted.ok()) return inserted.status();
    SqlParams key;
    key.Uuid("user_account_id", row.user_account_id).Text("idempotency_key", row.idempotency_key);
    absl::StatusOr<BrainExecutionRow> stored = ReadRow<BrainExecutionRow>(
        session, kTable,
        "user_account_id = :user_account_id AND idempotency_key = :idempotency_key", key,
        &BindExecution, "brain execution with idempotency key", row.idempotency_key);
    if (!stored.ok()) return stored.status();
    return BrainClaim{*inserted == 1, *std::move(stored)};
  });
}

absl::StatusOr<bool> BrainExecutionRepository::TakeOver(const std::string& id,
                                                        absl::Time stale_before, absl::Time now) {
  return RunFor<bool>(database_, [&](soci::session& session) -> absl::StatusOr<bool> {
    SqlParams params;
    params.Time("created_at", now).Uuid("id", id).Time("stale_before", stale_before);
    absl::StatusOr<long long> changed = Execute(
        session,
        absl::StrCat("UPDATE ", kTable,
                     " SET created_at = :created_at WHERE id = :id AND status = 'running' AND "
                     "created_at < :stale_before"),
        params);
    if (!changed.ok()) return changed.status();
    return *changed == 1;
  });
}

absl::Status BrainExecutionRepository::Finish(const BrainExecutionRow& row) {
  return database_.Run([&](soci::session& session) -> absl::Status {
    SqlParams params;
    params.Text("status", row.status)
        .NullableText("plan_json", OrNull(row.plan_json))
        .NullableText("actions_json", OrNull(row.actions_json))
        .NullableText("executor_response_json", OrNull(row.executor_response_json))
        .Text("report_text", row.report_text)
        .Int("duration_ms", row.duration_ms)
        .Int("actions_taken", row.actions_taken)
        .Int("actions_failed", row.actions_failed)
        .Int("tiktok_calls", row.tiktok_calls)
        .NullableText("error_json", OrNull(row.error_json));
    const std::string assignments = params.Assignments();
    params.Uuid("where_id", row.id);
    absl::StatusOr<long long> changed = Execute(
        session, absl::StrCat("UPDATE ", kTable, " SET ", assignments, " WHERE id = :where_id"),
        params);
    if (!changed.ok()) return changed.status();
    if (*changed == 0) return NotFoundError(kEntity, row.id);
    return absl::OkStatus();
  });
}

absl::StatusOr<BrainExecutionRow> BrainExecutionRepository::Get(
    const std::optional<std::string>& user_account_id, const std::string& id) {
  return RunFor<BrainExecutionRow>(database_, [&](soci::session& session) {
    SqlParams params;
    params.Uuid("id", id);
    std::string where = "id = :id";
    if (user_account_id.has_value()) {
      params.Uuid("user_account_id", *user_account_id);
      where += " AND user_account_id = :user_account_id";
    }
    return ReadRow<BrainExecutionRow>(session, kTable, where, params, &BindExecution, kEntity, id);
  });
}

absl::StatusOr<Page<BrainExecutionRow>> BrainExecutionRepository::List(
    const BrainExecutionFilter& filter, const PageRequest& page) {
  return RunFor<Page<BrainExecutionRow>>(database_, [&](soci::session& session) {
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
    if (!filter.platform.empty()) {
      params.Text("platform", filter.platform);
      add("platform = :platform");
    }
    if (filter.start_time.has_value()) {
      params.Time("start_time", *filter.start_time);
      add("created_at >= :start_time");
    }
    if (filter.end_time.has_value()) {
      params.Time("end_time", *filter.end_time);
      add("created_at < :end_time");
    }
    return QueryPage<BrainExecutionRow>(session, kTable, where, params, page, &BindExecution);
  });
}

absl::Status BrainExecutionRepository::AddCampaignReport(
    const std::string& user_account_id, const std::optional<std::string>& account_id,
    const std::string& telegram_id, const std::string& report_json, const std::string& platform,
    absl::Time now) {
  return database_.Run([&](soci::session& session) -> absl::Status {
    SqlParams params;
    params.Uuid("id", NewUuid())
        .Uuid("user_account_id", user_account_id)
        .NullableUuid("account_id", account_id)
        .Text("telegram_id", telegram_id)
        .NullableText("report_data", OrNull(report_json))
        .Text("platform", platform)
        .Time("created_at", now)
        .Time("updated_at", now);
    return Execute(session, InsertSql("campaign_reports", params), params).status();
  });
}

}  // namespace ttads::storage
