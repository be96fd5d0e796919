// The database handle every repository uses: a pool of SOCI sessions on SQLite or PostgreSQL,
// with SOCI's exceptions turned into absl::Status at this one boundary.
#ifndef TTADS_STORAGE_DATABASE_H_
#define TTADS_STORAGE_DATABASE_H_

#include <memory>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "soci/connection-pool.h"
#include "soci/soci.h"
#include "storage/database_url.h"

namespace ttads::storage {

struct DatabaseOptions {
  // Sessions kept open. SQLite allows one writer at a time, so more sessions there only help
  // concurrent readers.
  int pool_size = 4;
  // How long a caller waits for a free session before UNAVAILABLE.
  absl::Duration acquire_timeout = absl::Seconds(10);
};

class Database {
 public:
  // Opens every session of the pool; for SQLite creates the file's folder, enables foreign keys
  // and WAL. Fails with UNAVAILABLE when the server cannot be reached.
  static absl::StatusOr<std::unique_ptr<Database>> Open(const DatabaseTarget& target,
                                                        const DatabaseOptions& options = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Backend backend() const { return target_.backend; }
  const DatabaseTarget& target() const { return target_; }

  // Runs `work` on a leased session outside any explicit transaction. Exceptions SOCI throws
  // inside become a status (see ToStatus); `work`'s own status is returned as is.
  absl::Status Run(absl::FunctionRef<absl::Status(soci::session&)> work);

  // Runs `work` inside one transaction (BEGIN IMMEDIATE on SQLite, so writers queue instead of
  // deadlocking). Commits when `work` returns OK, rolls back otherwise.
  absl::Status Transact(absl::FunctionRef<absl::Status(soci::session&)> work);

  // Sessions currently leased, for metrics.
  int sessions_in_use() const;
  int pool_size() const { return options_.pool_size; }

 private:
  Database(DatabaseTarget target, DatabaseOptions options);
  absl::Status OpenSession(soci::session& session);
  absl::Status WithSession(absl::FunctionRef<absl::Status(soci::session&)> work);

  const DatabaseTarget target_;
  const DatabaseOptions options_;
  soci::connection_pool pool_;
  std::atomic<int> in_use_{0};
};

// Maps a database error to the code a caller should act on: ALREADY_EXISTS for a unique
// violation, FAILED_PRECONDITION for other constraint failures, ABORTED for serialisation
// failures and deadlocks (retry the transaction), UNAVAILABLE for lost connections and a busy
// SQLite file (retry the call), RESOURCE_EXHAUSTED for a full disk, INTERNAL otherwise.
absl::Status ToStatus(const std::exception& error);

}  // namespace ttads::storage

#endif  // TTADS_STORAGE_DATABASE_H_
