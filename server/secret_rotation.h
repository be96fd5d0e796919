// Re-encrypts every stored TikTok token under a new key (`ttads-server rotate-secret-key`).
// Safe to interrupt and run again: `box` decrypts with the old and the new key, tokens already
// under the new key are skipped, and each row is replaced with a compare-and-set.
#ifndef TTADS_SERVER_SECRET_ROTATION_H_
#define TTADS_SERVER_SECRET_ROTATION_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/secret_box.h"
#include "storage/database.h"

namespace ttads::server {

struct RotationReport {
  int reencrypted = 0;
  int already_current = 0;
  int changed_meanwhile = 0;  // rows rewritten by someone else during the run (left as they are)
};

// `box` must have the new key as primary and the old key(s) as previous keys.
absl::StatusOr<RotationReport> RotateSecretKey(storage::Database& database, const SecretBox& box,
                                               absl::Time now);

}  // namespace ttads::server

#endif  // TTADS_SERVER_SECRET_ROTATION_H_
