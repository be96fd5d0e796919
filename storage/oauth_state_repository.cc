#include "storage/oauth_state_repository.h"

#include "absl/strings/str_cat.h"
#include "storage/sql_statement.h"

namespace ttads::storage {

absl::Status OAuthStateRepository::MarkUsed(const std::string& nonce,
                                            const std::string& user_account_id,
                                            absl::Time expires_at, absl::Time now) {
  if (nonce.empty()) return absl::InvalidArgumentError("oauth state nonce is empty");
  return database_.Run([&](soci::session& session) -> absl::Status {
    SqlParams params;
    params.Text("nonce", nonce)
        .Uuid("user_account_id", user_account_id)
        .Time("used_at", now)
        .Time("expires_at", expires_at);
    absl::StatusOr<long long> inserted = Execute(
        session,
        absl::StrCat(InsertSql("oauth_state_uses", params), " ON CONFLICT (nonce) DO NOTHING"),
        params);
    if (!inserted.ok()) return inserted.status();
    if (*inserted == 0) return absl::AlreadyExistsError("oauth state already used");
    return absl::OkStatus();
  });
}

absl::StatusOr<int> OAuthStateRepository::PurgeExpired(absl::Time now) {
  return RunFor<int>(database_, [&](soci::session& session) -> absl::StatusOr<int> {
    SqlParams params;
    params.Time("now", now);
    absl::StatusOr<long long> deleted =
        Execute(session, "DELETE FROM oauth_state_uses WHERE expires_at < :now", params);
    if (!deleted.ok()) return deleted.status();
    return static_cast<int>(*deleted);
  });
}

}  // namespace ttads::storage
