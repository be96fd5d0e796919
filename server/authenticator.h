// Turns the `authorization: Bearer <credential>` metadata into a Principal: the operator token,
// an API key (looked up by hash), or an HS256 JWT with a userId claim.
#ifndef TTADS_SERVER_AUTHENTICATOR_H_
#define TTADS_SERVER_AUTHENTICATOR_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/clock.h"
#include "server/principal.h"
#include "storage/api_key_repository.h"
#include "storage/user_account_repository.h"

namespace ttads::server {

class Authenticator {
 public:
  Authenticator(std::string admin_token, std::string jwt_secret,
                storage::ApiKeyRepository& api_keys, storage::UserAccountRepository& users,
                const Clock& clock)
      : admin_token_(std::move(admin_token)),
        jwt_secret_(std::move(jwt_secret)),
        api_keys_(api_keys),
        users_(users),
        clock_(clock) {}

  // `authorization` is the metadata value ("Bearer …"; the scheme is case-insensitive).
  // UNAUTHENTICATED with the reason when missing or not valid (also for a user account that no
  // longer exists); PERMISSION_DENIED (reason SUBSCRIPTION_INACTIVE) when the user account is
  // deactivated, as the existing system answered; UNAVAILABLE when the store cannot be read.
  absl::StatusOr<Principal> Authenticate(absl::string_view authorization) const;

 private:
  const std::string admin_token_;
  const std::string jwt_secret_;
  // The user a user-bound credential names must exist and be active.
  absl::Status CheckUserActive(const std::string& user_account_id) const;

  storage::ApiKeyRepository& api_keys_;
  storage::UserAccountRepository& users_;
  const Clock& clock_;
};

}  // namespace ttads::server

#endif  // TTADS_SERVER_AUTHENTICATOR_H_
