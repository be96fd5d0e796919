// Turns TTADS_DATABASE_URL into what SOCI needs: the backend name and a connect string in the
// key=value form SOCI's backends expect (SOCI 4.0.3 mangles standard postgresql:// URIs).
#ifndef TTADS_STORAGE_DATABASE_URL_H_
#define TTADS_STORAGE_DATABASE_URL_H_

#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"

namespace ttads::storage {

enum class Backend { kSqlite, kPostgres };

struct DatabaseTarget {
  Backend backend = Backend::kSqlite;
  // SOCI connect string without the backend prefix, e.g. "db=/var/ttads.db timeout=5" or
  // "host=127.0.0.1 port=5432 dbname=ttads user=ttads".
  std::string soci_connect_string;
  // The SQLite file path (empty for PostgreSQL).
  std::string sqlite_path;
  // The URL with any password replaced by "***", safe to log.
  std::string redacted;
};

// The default database: an SQLite file under ./var.
inline constexpr absl::string_view kDefaultDatabaseUrl = "sqlite:./var/ttads.db";

// Accepts "sqlite:PATH", "sqlite://PATH", "sqlite3:PATH", a bare path ending in .db/.sqlite, or a
// standard "postgresql://user:pass@host:port/db?opt=val" / "postgres://..." URI (also a libpq
// key=value string prefixed with "postgresql:"). Rejects anything else with INVALID_ARGUMENT.
absl::StatusOr<DatabaseTarget> ParseDatabaseUrl(absl::string_view url);

}  // namespace ttads::storage

#endif  // TTADS_STORAGE_DATABASE_URL_H_
