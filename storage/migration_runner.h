// Applies the numbered SQL migrations in order, each in its own transaction, and records them in
// schema_migrations. The same files serve SQLite and PostgreSQL through a few dialect tokens.
#ifndef TTADS_STORAGE_MIGRATION_RUNNER_H_
#define TTADS_STORAGE_MIGRATION_RUNNER_H_

#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/statusor.h"
#include "storage/database.h"

namespace ttads::storage {

struct Migration {
  int version = 0;
  std::string name;
  std::string sql;  // with dialect tokens, see RenderSql
};

// The migrations/*.sql files compiled into the binary, in version order.
const std::vector<Migration>& EmbeddedMigrations();

// Replaces the dialect tokens ({{UUID}}, {{TIMESTAMPTZ}}, {{JSON}}, {{DATE}}, {{NOW}}) with the
// backend's types.
std::string RenderSql(absl::string_view sql, Backend backend);

// Splits a migration into statements: a statement ends with a line whose last non-blank
// character is ';'. Comment lines ("--") are dropped.
std::vector<std::string> SplitStatements(absl::string_view sql);

// A stable fingerprint of a migration's text, to notice an applied file that was edited.
std::string MigrationChecksum(absl::string_view sql);

struct MigrationReport {
  std::vector<int> applied;         // versions applied by this call
  int current_version = 0;          // highest version recorded afterwards
};

// Applies every migration not yet recorded. Safe to run from several processes at once: on
// PostgreSQL an advisory lock serialises them, on SQLite BEGIN IMMEDIATE does. Fails with
// FAILED_PRECONDITION when an applied migration's text changed, and leaves a failed migration
// wholly unapplied.
absl::StatusOr<MigrationReport> ApplyMigrations(Database& database,
                                                const std::vector<Migration>& migrations);

}  // namespace ttads::storage

#endif  // TTADS_STORAGE_MIGRATION_RUNNER_H_
