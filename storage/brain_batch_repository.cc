#include "storage/brain_batch_repository.h"

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "storage/sql_statement.h"
#include "storage/uuid.h"

namespace ttads::storage {
namespace {

constexpr char kBatches[] = "brain_batches";
constexpr char kSlots[] = "brain_batch_slots";

void BindBatch(SqlColumns& columns, BrainBatchRow& row) {
  columns.Text("id", &row.id)
      .Text("kind", &row.kind)
      .Text("triggered_by", &row.triggered_by)
      .Text("slot_key", &row.slot_key)
      .Text("instance_id", &row.instance_id)
      .Bool("dry_run", &row.dry_run)
      .Time("started_at", &row.started_at)
      .Time("finished_at", &row.finished_at)
      .Int("accounts_total", &row.accounts_total)
      .Int("succeeded", &row.succeeded)
      .Int("failed", &row.failed)
      .Int("skipped", &row.skipped)
      .Text("summary_json", &row.summary_json);
}

void BindSlot(SqlColumns& columns, BatchSlotRow& row) {
  columns.Text("slot_key", &row.slot_key)
      .Text("account_key", &row.account_key)
      .Text("user_account_id", &row.user_account_id)
      .Text("batch_id", &row.batch_id)
      .Text("claimed_by", &row.claimed_by)
      .Time("claimed_at", &row.claimed_at)
      .Time("finished_at", &row.finished_at)
      .Text("outcome", &row.outcome)
      .Text("execution_id", &row.execution_id)
      .Text("error", &row.error);
}

// The local hour of `when` in `zone_name`; the UTC hour when the zone is unknown.
int LocalHour(absl::Time when, const std::string& zone_name) {
  absl::TimeZone zone = absl::UTCTimeZone();
  if (!zone_name.empty() && !absl::LoadTimeZone(zone_name, &zone)) zone = absl::UTCTimeZone();
  return absl::ToCivilHour(when, zone).hour();
}

}  // namespace

absl::StatusOr<std::vector<BatchAccount>> BrainBatchRepository::LegacyAccounts() {
  return RunFor<std::vector<BatchAccount>>(database_, [&](soci::session& session)
                                                          -> absl::StatusOr<std::vector<BatchAccount>> {
    std::vector<BatchAccount> accounts;
    BatchAccount row;
    std::optional<std::string> username;
    SqlColumns columns;
    columns.Text("id", &row.user_account_id)
        .Text("username", &username)
        .Text("tiktok_business_id", &row.advertiser_id)
        .Bool("autopilot_tiktok", &row.autopilot_tiktok)
        .Bool("tiktok_needs_reauth", &row.needs_reauth)
        .Int("brain_schedule_hour", &row.brain_schedule_hour)
        .Text("brain_timezone", &row.brain_timezone);
    SqlParams params;
    const absl::Status status = Query(
        session,
        absl::StrCat("SELECT ", columns.List(),
                     " FROM user_accounts WHERE is_active = TRUE AND optimization = 'agent2' AND "
                     "(multi_account_enabled = FALSE OR multi_account_enabled IS NULL) AND "
                     "tiktok_access_token IS NOT NULL AND tiktok_business_id IS NOT NULL "
                     "ORDER BY created_at, id"),
        params, columns, [&] {
          BatchAccount account = row;
          account.account_key = absl::StrCat("user:", row.user_account_id);
          account.name = username.value_or(row.user_account_id);
          accounts.push_back(std::move(account));
        });
    if (!status.ok()) return status;
    return accounts;
  });
}

absl::StatusOr<std::vector<BatchAccount>> BrainBatchRepository::HourlyAccounts(
    absl::Time hour_start) {
  return RunFor<std::vector<BatchAccount>>(database_, [&](soci::session& session)
                                                          -> absl::StatusOr<std::vector<BatchAccount>> {
    std::vector<BatchAccount> accounts;
    BatchAccount row;
    SqlColumns columns;
    columns.Text("id", &row.account_id)
        .Text("user_account_id", &row.user_account_id)
        .Text("name", &row.name)
        .Text("tiktok_business_id", &row.advertiser_id)
        .Bool("autopilot_tiktok", &row.autopilot_tiktok)
        .Bool("tiktok_needs_reauth", &row.needs_reauth)
        .Int("brain_schedule_hour", &row.brain_schedule_hour)
        .Text("brain_timezone", &row.brain_timezone);
    SqlParams params;
    const absl::Status status = Query(
        session,
        absl::StrCat("SELECT ", columns.List("a"),
                     " FROM ad_accounts a JOIN user_accounts u ON u.id = a.user_account_id "
                     "WHERE a.is_active = TRUE AND a.tiktok_access_token IS NOT NULL AND "
                     "a.tiktok_business_id IS NOT NULL AND u.is_active = TRUE AND "
                     "u.multi_account_enabled = TRUE ORDER BY a.created_at, a.name, a.id"),
        params, columns, [&] {
          if (LocalHour(hour_start, row.brain_timezone) != row.brain_schedule_hour) return;
          BatchAccount account = row;
          account.account_key = absl::StrCat("account:", row.account_id);
          accounts.push_back(std::move(account));
        });
    if (!status.ok()) return status;
    return accounts;
  });
}

absl::StatusOr<bool> BrainBatchRepository::ClaimSlot(const std::string& slot_key,
                                                     const BatchAccount& account,
                                                     const std::string& batch_id,
                                                     const std::string& instance_id,
                                                     absl::Time now) {
  return RunFor<bool>(database_, [&](soci::session& session) -> absl::StatusOr<bool> {
    SqlParams params;
    params.Text("slot_key", slot_key)
        .Text("account_key", account.account_key)
        .NullableUuid("user_account_id",
                      account.user_account_id.empty()
                          ? std::nullopt
                          : std::optional<std::string>(account.user_account_id))
        .NullableUuid("batch_id",
                      batch_id.empty() ? std::nullopt : std::optional<std::string>(batch_id))
        .Text("claimed_by", instance_id)
        .Time("claimed_at", now);
    absl::StatusOr<long long> inserted =
        Execute(session,
                absl::StrCat(InsertSql(kSlots, params),
                             " ON CONFLICT (slot_key, account_key) DO NOTHING"),
                params);
    if (!inserted.ok()) return inserted.status();
    return *inserted == 1;
  });
}

absl::Status BrainBatchRepository::FinishSlot(const std::string& slot_key,
                                              const std::string& account_key,
                                              const std::string& outcome,
                                              const std::optional<std::string>& execution_id,
                                              const std::optional<std::string>& error,
                                              absl::Time now) {
  return database_.Run([&](soci::session& session) -> absl::Status {
    SqlParams params;
    params.Text("outcome", outcome)
        .NullableUuid("execution_id", execution_id)
        .NullableText("error", error)
        .Time("finished_at", now);
    const std::string assignments = params.Assignments();
    params.Text("where_slot", slot_key).Text("where_account", account_key);
    return Execute(session,
                   absl::StrCat("UPDATE ", kSlots, " SET ", assignments,
                                " WHERE slot_key = :where_slot AND account_key = :where_account"),
                   params)
        .status();
  });
}

absl::Status BrainBatchRepository::MarkRun(const BatchAccount& account, absl::Time now) {
  return database_.Run([&](soci::session& session) -> absl::Status {
    SqlParams params;
    params.Time("last_brain_batch_run_at", now).Time("updated_at", now);
    const std::string assignments = params.Assignments();
    const bool legacy = account.account_id.empty();
    params.Uuid("where_id", legacy ? account.user_account_id : account.account_id);
    return Execute(session,
                   absl::StrCat("UPDATE ", legacy ? "user_accounts" : "ad_accounts", " SET ",
                                assignments, " WHERE id = :where_id"),
                   params)
        .status();
  });
}

absl::StatusOr<std::vector<BatchSlotRow>> BrainBatchRepository::ListSlots(
    const std::string& slot_key) {
  return RunFor<std::vector<BatchSlotRow>>(database_, [&](soci::session& session) {
    SqlParams params;
    params.Text("slot_key", slot_key);
    return ReadRows<BatchSlotRow>(session, kSlots, "slot_key = :slot_key", params, &BindSlot,
                                  " ORDER BY account_key");
  });
}

absl::StatusOr<BrainBatchRow> BrainBatchRepository::CreateBatch(const BrainBatchRow& row,
                                                                absl::Time now) {
  BrainBatchRow stored = row;
  if (stored.id.empty()) stored.id = NewUuid();
  stored.started_at = now;
  const absl::Status status = database_.Run([&](soci::session& session) -> absl::Status {
    SqlParams params;
    params.Uuid("id", stored.id)
        .Text("kind", stored.kind)
        .Text("triggered_by", stored.triggered_by)
        .Text("slot_key", stored.slot_key)
        .Text("instance_id", stored.instance_id)
        .Bool("dry_run", stored.dry_run)
        .Time("started_at", stored.started_at)
        .Int("accounts_total", stored.accounts_total)
        .Int("succeeded", stored.succeeded)
        .Int("failed", stored.failed)
        .Int("skipped", stored.skipped)
        .NullableText("summary_json", stored.summary_json.empty()
                                          ? std::nullopt
                                          : std::optional<std::string>(stored.summary_json));
    return Execute(session, InsertSql(kBatches, params), params).status();
  });
  if (!status.ok()) return status;
  return stored;
}

absl::Status BrainBatchRepository::FinishBatch(const BrainBatchRow& row) {
  return database_.Run([&](soci::session& session) -> absl::Status {
    SqlParams params;
    params.NullableTime("finished_at", row.finished_at)
        .Int("accounts_total", row.accounts_total)
        .Int("succeeded", row.succeeded)
        .Int("failed", row.failed)
        .Int("skipped", row.skipped)
        .Text("summary_json", row.summary_json);
    const std::string assignments = params.Assignments();
    params.Uuid("where_id", row.id);
    absl::StatusOr<long long> changed = Execute(
        session, absl::StrCat("UPDATE ", kBatches, " SET ", assignments, " WHERE id = :where_id"),
        params);
    if (!changed.ok()) return changed.status();
    if (*changed == 0) return NotFoundError("brain batch", row.id);
    return absl::OkStatus();
  });
}

absl::StatusOr<BrainBatchRow> BrainBatchRepository::GetBatch(const std::string& id) {
  if (!IsUuid(id)) return NotFoundError("brain batch", id);
  return RunFor<BrainBatchRow>(database_, [&](soci::session& session) {
    SqlParams params;
    params.Uuid("id", id);
    return ReadRow<BrainBatchRow>(session, kBatches, "id = :id", params, &BindBatch,
                                  "brain batch", id);
  });
}

absl::StatusOr<std::vector<BrainBatchRow>> BrainBatchRepository::ListBatches(int limit) {
  return RunFor<std::vector<BrainBatchRow>>(database_, [&](soci::session& session) {
    SqlParams params;
    params.Int("limit", limit);
    return ReadRows<BrainBatchRow>(session, kBatches, "", params, &BindBatch,
                                   "ORDER BY started_at DESC, id DESC LIMIT :limit");
  });
}

}  // namespace ttads::storage
