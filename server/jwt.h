// HS256 JSON Web Tokens as the existing frontend sends them: the `userId` claim names the user
// account. Only HS256 is accepted (never "none" or an asymmetric algorithm chosen by the token).
#ifndef TTADS_SERVER_JWT_H_
#define TTADS_SERVER_JWT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace ttads::server {

struct JwtClaims {
  std::string user_id;
  absl::Time expires_at = absl::InfiniteFuture();  // `exp`, when present
};

// Verifies signature, algorithm, `exp` and `nbf` (with `leeway`) and returns the claims.
// UNAUTHENTICATED with a reason on any failure.
absl::StatusOr<JwtClaims> VerifyJwt(absl::string_view token, absl::string_view secret,
                                    absl::Time now, absl::Duration leeway = absl::Seconds(30));

// Signs claims {"userId", "exp"} (for tests, the demo and operators minting a frontend token).
std::string SignJwt(const JwtClaims& claims, absl::string_view secret, absl::Time issued_at);

}  // namespace ttads::server

#endif  // TTADS_SERVER_JWT_H_
