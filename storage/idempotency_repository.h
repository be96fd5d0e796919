// idempotency_records: one row per (scope, method, idempotency key), so a retried mutation runs
// once and its retries get the first call's response. A call first Begins (claiming the key with
// a lease), does its work, then Completes with the response to replay, or Abandons so a retry
// can start over. A call that died holding the lease is taken over once the lease expires.
#ifndef TTADS_STORAGE_IDEMPOTENCY_REPOSITORY_H_
#define TTADS_STORAGE_IDEMPOTENCY_REPOSITORY_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "storage/database.h"

namespace ttads::storage {

enum class IdempotencyOutcome {
  kStarted,     // this call holds the key now: do the work, then Complete or Abandon
  kInProgress,  // another call holds an unexpired lease: tell the caller to retry later
  kReplay,      // done before: return `response`
  kConflict,    // the key was used for a different request
};

struct IdempotencyBegin {
  IdempotencyOutcome outcome = IdempotencyOutcome::kStarted;
  std::string response;                               // kReplay only
  absl::Time lease_expires_at = absl::InfinitePast();  // kStarted and kInProgress
};

class IdempotencyRepository {
 public:
  explicit IdempotencyRepository(Database& database) : database_(database) {}

  // Claims (scope, method, key) for a request whose fingerprint is `request_hash`, holding it
  // until `lease_until`. Safe under concurrency: of several simultaneous calls exactly one gets
  // kStarted, across replicas too.
  absl::StatusOr<IdempotencyBegin> Begin(const std::string& scope, const std::string& method,
                                         const std::string& key, const std::string& request_hash,
                                         absl::Time lease_until, absl::Time now);
  // Stores the response to replay. NOT_FOUND when the key was never begun (or was abandoned);
  // FAILED_PRECONDITION when it was already completed.
  absl::Status Complete(const std::string& scope, const std::string& method,
                        const std::string& key, const std::string& response, absl::Time now);
  // Drops an in-progress claim so a retry starts over; a completed record is kept. OK when there
  // is nothing to drop.
  absl::Status Abandon(const std::string& scope, const std::string& method,
                       const std::string& key);
  // Deletes records last written before `cutoff` that are done or whose lease has expired;
  // returns how many.
  absl::StatusOr<int> DeleteOlderThan(absl::Time cutoff);

 private:
  Database& database_;
};

}  // namespace ttads::storage

#endif  // TTADS_STORAGE_IDEMPOTENCY_REPOSITORY_H_
