#include "storage/database.h"


#include <filesystem>
#include <system_error>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "soci/postgresql/soci-postgresql.h"
#include "soci/sqlite3/soci-sqlite3.h"

namespace ttads::storage {
namespace {

// Returns the session to the pool however the work ends.
class Lease {
 public:
  Lease(soci::connection_pool& pool, std::size_t position, std::atomic<int>& in_use)
      : pool_(pool), position_(position), in_use_(in_use) {
    ++in_use_;
  }
  ~Lease() {
    --in_use_;
    pool_.give_back(position_);
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  soci::session& session() { return pool_.at(position_); }

 private:
  soci::connection_pool& pool_;
  const std::size_t position_;
  std::atomic<int>& in_use_;
};

absl::Status PostgresStatus(const soci::postgresql_soci_error& error) {
  const std::string state = error.sqlstate();
  const std::string message = error.get_error_message();
  if (state == "23505") return absl::AlreadyExistsError(message);
  if (absl::StartsWith(state, "23")) return absl::FailedPreconditionError(message);
  if (state == "40001" || state == "40P01") return absl::AbortedError(message);
  if (absl::StartsWith(state, "08") || absl::StartsWith(state, "57P") ||
      error.get_error_category() == soci::soci_error::connection_error) {
    return absl::UnavailableError(absl::StrCat("database unavailable: ", message));
  }
  if (state == "53100") return absl::ResourceExhaustedError(message);
  if (absl::StartsWith(state, "22")) return absl::InvalidArgumentError(message);
  return absl::InternalError(absl::StrCat("database error ", state, ": ", message));
}

absl::Status SqliteStatus(const soci::sqlite3_soci_error& error) {
  const std::string message = error.get_error_message();
  switch (error.result() & 0xff) {
    case SQLITE_CONSTRAINT:
      if (absl::StrContains(message, "UNIQUE") || absl::StrContains(message, "PRIMARY KEY")) {
        return absl::AlreadyExistsError(message);
      }
      return absl::FailedPreconditionError(message);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(absl::StrCat("database busy: ", message));
    case SQLITE_FULL:
      return absl::ResourceExhaustedError(absl::StrCat("database full: ", message));
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
      return absl::UnavailableError(absl::StrCat("database I/O error: ", message));
    default:
      return absl::InternalError(absl::StrCat("database error: ", message));
  }
}

}  // namespace

absl::Status ToStatus(const std::exception& error) {
  if (const auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&error)) {
    return PostgresStatus(*pg);
  }
  if (const auto* lite = dynamic_cast<const soci::sqlite3_soci_error*>(&error)) {
    return SqliteStatus(*lite);
  }
  if (const auto* soci_error = dynamic_cast<const soci::soci_error*>(&error)) {
    if (soci_error->get_error_category() == soci::soci_error::connection_error) {
      return absl::UnavailableError(
          absl::StrCat("database unavailable: ", soci_error->get_error_message()));
    }
    return absl::InternalError(absl::StrCat("database error: ", soci_error->get_error_message()));
  }
  return absl::InternalError(absl::StrCat("database error: ", error.what()));
}

Database::Database(DatabaseTarget target, DatabaseOptions options)
    : target_(std::move(target)), options_(options), pool_(options.pool_size) {}

Database::~Database() = default;

absl::StatusOr<std::unique_ptr<Database>> Database::Open(const DatabaseTarget& target,
                                                         const DatabaseOptions& options) {
  if (options.pool_size < 1) return absl::InvalidArgumentError("pool_size must be >= 1");
  if (target.backend == Backend::kSqlite) {
    const std::filesystem::path folder = std::filesystem::path(target.sqlite_path).parent_path();
    std::error_code ignored;
    if (!folder.empty()) std::filesystem::create_directories(folder, ignored);
  }
  std::unique_ptr<Database> database(new Database(target, options));
  for (int i = 0; i < options.pool_size; ++i) {
    if (absl::Status opened = database->OpenSession(database->pool_.at(i)); !opened.ok()) {
      return opened;
    }
  }
  return database;
}

absl::Status Database::OpenSession(soci::session& session) {
  try {
    if (target_.backend == Backend::kSqlite) {
      session.open(*soci::factory_sqlite3(), target_.soci_connect_string);
      session << "PRAGMA foreign_keys = ON";
      session << "PRAGMA journal_mode = WAL";
      session << "PRAGMA synchronous = NORMAL";
    } else {
      session.open(*soci::factory_postgresql(), target_.soci_connect_string);
      session << "SET TIME ZONE 'UTC'";
      session << "SET client_min_messages TO WARNING";
    }
    return absl::OkStatus();
  } catch (const std::exception& error) {
    absl::Status status = ToStatus(error);
    if (status.code() == absl::StatusCode::kInternal) {
      // Failing to open is a reachability problem for the caller, whatever the driver says.
      status = absl::UnavailableError(status.message());
    }
    return absl::Status(status.code(), absl::StrCat("cannot open database (", target_.redacted,
                                                    "): ", status.message()));
  }
}

absl::Status Database::WithSession(absl::FunctionRef<absl::Status(soci::session&)> work) {
  std::size_t position = 0;
  if (!pool_.try_lease(position,
                       static_cast<int>(absl::ToInt64Milliseconds(options_.acquire_timeout)))) {
    return absl::UnavailableError("database: no free session in the pool");
  }
  Lease lease(pool_, position, in_use_);
  soci::session& session = lease.session();
  if (target_.backend == Backend::kPostgres && !session.is_connected()) {
    try {
      session.reconnect();
      session << "SET TIME ZONE 'UTC'";
    } catch (const std::exception& error) {
      return absl::UnavailableError(absl::StrCat("database unavailable: ", error.what()));
    }
  }
  try {
    return work(session);
  } catch (const std::exception& error) {
    return ToStatus(error);
  }
}

absl::Status Database::Run(absl::FunctionRef<absl::Status(soci::session&)> work) {
  return WithSession(work);
}

absl::Status Database::Transact(absl::FunctionRef<absl::Status(soci::session&)> work) {
  return WithSession([&](soci::session& session) -> absl::Status {
    session << (target_.backend == Backend::kSqlite ? "BEGIN IMMEDIATE" : "BEGIN");
    absl::Status result;
    try {
      result = work(session);
    } catch (const std::exception& error) {
      result = ToStatus(error);
    }
    if (!result.ok()) {
      try {
        session << "ROLLBACK";
      } catch (const std::exception&) {
        // The connection may be gone; the server rolls back on its own then.
      }
      return result;
    }
    session << "COMMIT";
    return absl::OkStatus();
  });
}

int Database::sessions_in_use() const { return in_use_.load(); }

}  // namespace ttads::storage
