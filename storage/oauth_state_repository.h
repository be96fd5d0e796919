// oauth_state_uses: the nonces of signed OAuth states already exchanged, so each state works
// once. A nonce is kept until its state expires; after that the signature check rejects the
// state anyway, so the row can go.
#ifndef TTADS_STORAGE_OAUTH_STATE_REPOSITORY_H_
#define TTADS_STORAGE_OAUTH_STATE_REPOSITORY_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "storage/database.h"

namespace ttads::storage {

class OAuthStateRepository {
 public:
  explicit OAuthStateRepository(Database& database) : database_(database) {}

  // Records the nonce as used. ALREADY_EXISTS "oauth state already used" when it was, however
  // many calls race.
  absl::Status MarkUsed(const std::string& nonce, const std::string& user_account_id,
                        absl::Time expires_at, absl::Time now);
  // Deletes the nonces of states that expired before `now`; returns how many.
  absl::StatusOr<int> PurgeExpired(absl::Time now);

 private:
  Database& database_;
};

}  // namespace ttads::storage

#endif  // TTADS_STORAGE_OAUTH_STATE_REPOSITORY_H_
