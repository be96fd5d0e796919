#include "server/principal.h"

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "server/rpc_status.h"

namespace ttads::server {

std::string Principal::actor() const {
  switch (kind) {
    case Kind::kOperator: return "operator";
    case Kind::kApiKey: return absl::StrCat("api_key:", api_key_id);
    case Kind::kJwt: return absl::StrCat("user:", user_account_id);
  }
  return "unknown";
}

std::string Principal::scope() const {
  return is_operator() ? "operator" : absl::StrCat("user:", user_account_id);
}

absl::Status Principal::CheckUserAccess(absl::string_view requested) const {
  if (is_operator() || requested == user_account_id) return absl::OkStatus();
  return absl::PermissionDeniedError(
      "this credential belongs to another user account and cannot act on the one requested");
}

absl::StatusOr<std::string> Principal::EffectiveUser(absl::string_view requested,
                                                     absl::string_view field) const {
  if (requested.empty()) {
    if (is_operator()) return InvalidField(field, "is required");
    return user_account_id;
  }
  if (absl::Status status = CheckUserAccess(requested); !status.ok()) return status;
  return std::string(requested);
}

absl::Status Principal::RequireOperator() const {
  if (is_operator()) return absl::OkStatus();
  return absl::PermissionDeniedError("this call needs the operator token");
}

}  // namespace ttads::server
