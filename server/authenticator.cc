#include "server/authenticator.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "server/api_key.h"
#include "server/crypto_util.h"
#include "server/jwt.h"
#include "server/log.h"
#include "server/rpc_status.h"

namespace ttads::server {

absl::Status Authenticator::CheckUserActive(const std::string& user_account_id) const {
  absl::StatusOr<storage::UserAccount> user = users_.Get(user_account_id);
  if (!user.ok()) {
    if (user.status().code() == absl::StatusCode::kNotFound ||
        user.status().code() == absl::StatusCode::kInvalidArgument) {
      return absl::UnauthenticatedError("the credential names a user account that does not exist");
    }
    return user.status();
  }
  if (!user->is_active) {
    return WithErrorInfo(absl::PermissionDeniedError("this user account is deactivated"),
                         "SUBSCRIPTION_INACTIVE", "ttads.v1", {});
  }
  return absl::OkStatus();
}

absl::StatusOr<Principal> Authenticator::Authenticate(absl::string_view authorization) const {
  if (authorization.empty()) {
    return absl::UnauthenticatedError(
        "missing credentials: send `authorization: Bearer <token>` (operator token, API key or "
        "JWT)");
  }
  if (!absl::StartsWithIgnoreCase(authorization, "bearer ")) {
    return absl::UnauthenticatedError("authorization must use the Bearer scheme");
  }
  const absl::string_view credential =
      absl::StripAsciiWhitespace(authorization.substr(std::string_view("bearer ").size()));
  if (credential.empty()) return absl::UnauthenticatedError("empty bearer credential");

  if (!admin_token_.empty() && ConstantTimeEquals(credential, admin_token_)) {
    return Principal::Operator();
  }
  if (LooksLikeApiKey(credential)) {
    auto key = api_keys_.FindActiveByHash(HashApiKey(credential));
    if (!key.ok()) {
      if (key.status().code() == absl::StatusCode::kNotFound) {
        return absl::UnauthenticatedError("unknown or revoked API key");
      }
      return key.status();
    }
    // Best effort: a failed touch must not fail the call.
    if (absl::Status touched = api_keys_.TouchLastUsed(key->id, clock_.Now()); !touched.ok()) {
      LogWarning("api_key_touch_failed", {{"api_key_id", key->id},
                                          {"error", std::string(touched.message())}});
    }
    if (absl::Status active = CheckUserActive(key->user_account_id); !active.ok()) return active;
    return Principal{Principal::Kind::kApiKey, key->user_account_id, key->id};
  }
  if (absl::StrContains(credential, ".")) {
    auto claims = VerifyJwt(credential, jwt_secret_, clock_.Now());
    if (!claims.ok()) return claims.status();
    if (absl::Status active = CheckUserActive(claims->user_id); !active.ok()) return active;
    return Principal::ForUser(claims->user_id, Principal::Kind::kJwt);
  }
  return absl::UnauthenticatedError("credential is not the operator token, an API key or a JWT");
}

}  // namespace ttads::server
