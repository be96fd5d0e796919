// Who is calling: the operator (all access) or a caller bound to one user account (an API key
// or the frontend's JWT). Every core takes a Principal and checks the ids it is handed.
#ifndef TTADS_SERVER_PRINCIPAL_H_
#define TTADS_SERVER_PRINCIPAL_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ttads::server {

struct Principal {
  enum class Kind { kOperator, kApiKey, kJwt };
  Kind kind = Kind::kOperator;
  std::string user_account_id;  // empty for the operator
  std::string api_key_id;       // for kApiKey

  static Principal Operator() { return Principal{}; }
  static Principal ForUser(absl::string_view user_account_id, Kind kind = Kind::kJwt) {
    return Principal{kind, std::string(user_account_id), ""};
  }

  bool is_operator() const { return kind == Kind::kOperator; }
  // "operator", "api_key:<id>" or "user:<uuid>": written to logs and the audit log.
  std::string actor() const;
  // The idempotency scope: records of one caller never collide with another's.
  std::string scope() const;

  // OK when this caller may act on `user_account_id`; PERMISSION_DENIED otherwise.
  absl::Status CheckUserAccess(absl::string_view user_account_id) const;
  // The user account a request acts for: the request's `requested` id (checked), or the
  // caller's own when the request leaves it empty. The operator must name one (INVALID_ARGUMENT
  // naming `field`).
  absl::StatusOr<std::string> EffectiveUser(absl::string_view requested,
                                            absl::string_view field) const;
  // OK for the operator only.
  absl::Status RequireOperator() const;
  // Whose records a lookup by id may return: the caller's own user account, or everyone's
  // (nullopt) for the operator.
  std::optional<std::string> ReadScope() const {
    return is_operator() ? std::nullopt : std::optional<std::string>(user_account_id);
  }
};

}  // namespace ttads::server

#endif  // TTADS_SERVER_PRINCIPAL_H_
