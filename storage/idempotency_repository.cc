#include "storage/idempotency_repository.h"

#include "absl/strings/str_cat.h"
#include "storage/sql_statement.h"

namespace ttads::storage {
namespace {

constexpr char kKeyCondition[] =
    "scope = :scope AND method = :method AND idempotency_key = :idempotency_key";

// A claim can change under us (abandoned, completed, taken over) between the statements of
// Begin; it starts over this many times before giving up with ABORTED.
constexpr int kBeginAttempts = 4;

void AddKey(SqlParams& params, const std::string& scope, const std::string& method,
            const std::string& key) {
  params.Text("scope", scope).Text("method", method).Text("idempotency_key", key);
}

struct Record {
  std::string request_hash;
  std::string state;
  std::string response;
  absl::Time lease_expires_at = absl::InfinitePast();
};

absl::StatusOr<bool> ReadRecord(soci::session& session, const std::string& scope,
                                const std::string& method, const std::string& key,
                                Record& record) {
  SqlColumns columns;
  columns.Text("request_hash", &record.request_hash)
      .Text("state", &record.state)
      .Text("response", &record.response)
      .Time("lease_expires_at", &record.lease_expires_at);
  SqlParams params;
  AddKey(params, scope, method, key);
  return QueryOne(session,
                  absl::StrCat("SELECT ", columns.List(), " FROM idempotency_records WHERE ",
                               kKeyCondition),
                  params, columns);
}

absl::Status MissingRecord(const std::string& scope, const std::string& method,
                           const std::string& key) {
  return absl::NotFoundError(absl::StrCat("idempotency record ", scope, " ", method, " ", key,
                                          " not found"));
}

}  // namespace

absl::StatusOr<IdempotencyBegin> IdempotencyRepository::Begin(
    const std::string& scope, const std::string& method, const std::string& key,
    const std::string& request_hash, absl::Time lease_until, absl::Time now) {
  return RunFor<IdempotencyBegin>(
      database_, [&](soci::session& session) -> absl::StatusOr<IdempotencyBegin> {
        for (int attempt = 0; attempt < kBeginAttempts; ++attempt) {
          SqlParams insert;
          AddKey(insert, scope, method, key);
          insert.Text("request_hash", request_hash)
              .Text("state", "in_progress")
              .Time("lease_expires_at", lease_until)
              .Time("created_at", now)
              .Time("updated_at", now);
          absl::StatusOr<long long> inserted = Execute(
              session,
              absl::StrCat(InsertSql("idempotency_records", insert),
                           " ON CONFLICT (scope, method, idempotency_key) DO NOTHING"),
              insert);
          if (!inserted.ok()) return inserted.status();
          if (*inserted == 1) return IdempotencyBegin{IdempotencyOutcome::kStarted, "", lease_until};

          Record record;
          absl::StatusOr<bool> found = ReadRecord(session, scope, method, key, record);
          if (!found.ok()) return found.status();
          if (!*found) continue;  // abandoned in between: try to claim it again
          if (record.request_hash != request_hash) {
            return IdempotencyBegin{IdempotencyOutcome::kConflict, "", absl::InfinitePast()};
          }
          if (record.state == "done") {
            return IdempotencyBegin{IdempotencyOutcome::kReplay, record.response,
                                    absl::InfinitePast()};
          }
          if (record.lease_expires_at > now) {
            return IdempotencyBegin{IdempotencyOutcome::kInProgress, "",
                                    record.lease_expires_at};
          }
          // The holder's lease ran out: take over, unless someone else just did.
          SqlParams take;
          take.Time("lease_expires_at", lease_until).Time("updated_at", now);
          const std::string assignments = take.Assignments();
          AddKey(take, scope, method, key);
          take.Time("now", now).Text("request_hash", request_hash);
          absl::StatusOr<long long> taken = Execute(
              session,
              absl::StrCat("UPDATE idempotency_records SET ", assignments, " WHERE ",
                           kKeyCondition,
                           " AND state = 'in_progress' AND lease_expires_at <= :now AND "
                           "request_hash = :request_hash"),
              take);
          if (!taken.ok()) return taken.status();
          if (*taken == 1) return IdempotencyBegin{IdempotencyOutcome::kStarted, "", lease_until};
        }
        return absl::AbortedError(absl::StrCat("idempotency key ", key,
                                               " kept changing under concurrent calls; retry"));
      });
}

absl::Status IdempotencyRepository::Complete(const std::string& scope, const std::string& method,
                                             const std::string& key, const std::string& response,
                                             absl::Time now) {
  return database_.Run([&](soci::session& session) -> absl::Status {
    SqlParams params;
    params.Text("state", "done").Text("response", response).Time("updated_at", now);
    const std::string assignments = params.Assignments();
    AddKey(params, scope, method, key);
    absl::StatusOr<long long> changed = Execute(
        session,
        absl::StrCat("UPDATE idempotency_records SET ", assignments, " WHERE ", kKeyCondition,
                     " AND state = 'in_progress'"),
        params);
    if (!changed.ok()) return changed.status();
    if (*changed == 1) return absl::OkStatus();
    Record record;
    absl::StatusOr<bool> found = ReadRecord(session, scope, method, key, record);
    if (!found.ok()) return found.status();
    if (!*found) return MissingRecord(scope, method, key);
    return absl::FailedPreconditionError(
        absl::StrCat("idempotency record ", scope, " ", method, " ", key, " already completed"));
  });
}

absl::Status IdempotencyRepository::Abandon(const std::string& scope, const std::string& method,
                                            const std::string& key) {
  return database_.Run([&](soci::session& session) -> absl::Status {
    SqlParams params;
    AddKey(params, scope, method, key);
    return Execute(session,
                   absl::StrCat("DELETE FROM idempotency_records WHERE ", kKeyCondition,
                                " AND state = 'in_progress'"),
                   params)
        .status();
  });
}

absl::StatusOr<int> IdempotencyRepository::DeleteOlderThan(absl::Time cutoff) {
  return RunFor<int>(database_, [&](soci::session& session) -> absl::StatusOr<int> {
    SqlParams params;
    params.Time("cutoff", cutoff).Time("lease_cutoff", cutoff);
    absl::StatusOr<long long> deleted = Execute(
        session,
        "DELETE FROM idempotency_records WHERE updated_at < :cutoff AND "
        "(state = 'done' OR lease_expires_at < :lease_cutoff)",
        params);
    if (!deleted.ok()) return deleted.status();
    return static_cast<int>(*deleted);
  });
}

}  // namespace ttads::storage
