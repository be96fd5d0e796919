#include "storage/migration_runner.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "storage/time_format.h"

namespace ttads::storage {
namespace {

// Arbitrary constant naming the advisory lock that serialises migrations on PostgreSQL.
constexpr int64_t kMigrationLockId = 7317001;

absl::Status EnsureMigrationsTable(Database& database) {
  return database.Transact([&](soci::session& session) {
    if (database.backend() == Backend::kPostgres) {
      session << "SELECT pg_advisory_xact_lock(" << kMigrationLockId << ")";
    }
    session << "CREATE TABLE IF NOT EXISTS schema_migrations ("
               "version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, "
               "applied_at TEXT NOT NULL)";
    return absl::OkStatus();
  });
}

absl::Status ApplyOne(Database& database, const Migration& migration, const std::string& now,
                      bool& applied) {
  applied = false;
  const std::string checksum = MigrationChecksum(migration.sql);
  return database.Transact([&](soci::session& session) -> absl::Status {
    if (database.backend() == Backend::kPostgres) {
      session << "SELECT pg_advisory_xact_lock(" << kMigrationLockId << ")";
    }
    std::string recorded_checksum;
    soci::indicator indicator = soci::i_null;
    session << "SELECT checksum FROM schema_migrations WHERE version = :version",
        soci::into(recorded_checksum, indicator), soci::use(migration.version);
    if (session.got_data() && indicator == soci::i_ok) {
      if (recorded_checksum != checksum) {
        return absl::FailedPreconditionError(absl::StrFormat(
            "migration %03d_%s was changed after it was applied (checksum %s, recorded %s); "
            "add a new migration instead of editing an applied one",
            migration.version, migration.name, checksum, recorded_checksum));
      }
      return absl::OkStatus();
    }
    for (const std::string& statement :
         SplitStatements(RenderSql(migration.sql, database.backend()))) {
      try {
        session << statement;
      } catch (const std::exception& error) {
        const absl::Status status = ToStatus(error);
        return absl::Status(status.code(),
                            absl::StrFormat("migration %03d_%s failed: %s\nstatement: %s",
                                            migration.version, migration.name, status.message(),
                                            statement));
      }
    }
    session << "INSERT INTO schema_migrations (version, name, checksum, applied_at) "
               "VALUES (:version, :name, :checksum, :applied_at)",
        soci::use(migration.version), soci::use(migration.name), soci::use(checksum),
        soci::use(now);
    applied = true;
    return absl::OkStatus();
  });
}

}  // namespace

std::string RenderSql(absl::string_view sql, Backend backend) {
  if (backend == Backend::kPostgres) {
    return absl::StrReplaceAll(sql, {{"{{UUID}}", "UUID"},
                                     {"{{TIMESTAMPTZ}}", "TIMESTAMPTZ"},
                                     {"{{JSON}}", "JSONB"},
                                     {"{{DATE}}", "DATE"},
                                     {"{{NOW}}", "now()"}});
  }
  return absl::StrReplaceAll(sql, {{"{{UUID}}", "TEXT"},
                                   {"{{TIMESTAMPTZ}}", "TEXT"},
                                   {"{{JSON}}", "TEXT"},
                                   {"{{DATE}}", "TEXT"},
                                   {"{{NOW}}", "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"}});
}

std::vector<std::string> SplitStatements(absl::string_view sql) {
  std::vector<std::string> statements;
  std::string current;
  for (absl::string_view line : absl::StrSplit(sql, '\n')) {
    const absl::string_view trimmed = absl::StripAsciiWhitespace(line);
    if (trimmed.empty() || trimmed.substr(0, 2) == "--") continue;
    absl::StrAppend(&current, current.empty() ? "" : "\n", line);
    if (trimmed.back() == ';') {
      current.erase(current.find_last_of(';'));
      statements.push_back(std::move(current));
      current.clear();
    }
  }
  if (!absl::StripAsciiWhitespace(current).empty()) statements.push_back(std::move(current));
  return statements;
}

std::string MigrationChecksum(absl::string_view sql) {
  // FNV-1a, 64 bit: stable across builds and platforms, which std::hash is not.
  uint64_t hash = 1469598103934665603ull;
  for (const unsigned char c : sql) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return absl::StrFormat("%016x", hash);
}

absl::StatusOr<MigrationReport> ApplyMigrations(Database& database,
                                                const std::vector<Migration>& migrations) {
  if (absl::Status status = EnsureMigrationsTable(database); !status.ok()) return status;
  std::vector<const Migration*> ordered;
  for (const Migration& migration : migrations) ordered.push_back(&migration);
  std::sort(ordered.begin(), ordered.end(),
            [](const Migration* a, const Migration* b) { return a->version < b->version; });
  MigrationReport report;
  const std::string now = FormatTimestamp(absl::Now());
  for (const Migration* migration : ordered) {
    bool applied = false;
    if (absl::Status status = ApplyOne(database, *migration, now, applied); !status.ok()) {
      return status;
    }
    if (applied) report.applied.push_back(migration->version);
  }
  absl::Status read = database.Run([&](soci::session& session) {
    soci::indicator indicator = soci::i_null;
    int version = 0;
    session << "SELECT MAX(version) FROM schema_migrations", soci::into(version, indicator);
    report.current_version = indicator == soci::i_ok ? version : 0;
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  return report;
}

}  // namespace ttads::storage
