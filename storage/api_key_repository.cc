#include "storage/api_key_repository.h"

#include "absl/strings/str_cat.h"
#include "storage/sql_statement.h"
#include "storage/uuid.h"

namespace ttads::storage {
namespace {

constexpr absl::string_view kEntity = "api key";

void BindApiKey(SqlColumns& columns, ApiKey& row) {
  columns.Text("id", &row.id)
      .Text("user_account_id", &row.user_account_id)
      .Text("name", &row.name)
      .Text("prefix", &row.prefix)
      .Text("key_hash", &row.key_hash)
      .Time("created_at", &row.created_at)
      .Time("last_used_at", &row.last_used_at)
      .Time("revoked_at", &row.revoked_at);
}

absl::StatusOr<ApiKey> Read(soci::session& session, const std::string& id) {
  SqlParams params;
  params.Uuid("id", id);
  return ReadRow<ApiKey>(session, "api_keys", "id = :id", params, &BindApiKey, kEntity, id);
}

}  // namespace

absl::StatusOr<ApiKey> ApiKeyRepository::Create(const ApiKey& row, absl::Time now) {
  const std::string id = row.id.empty() ? NewUuid() : row.id;
  return TransactFor<ApiKey>(database_, [&](soci::session& session) -> absl::StatusOr<ApiKey> {
    SqlParams user;
    user.Uuid("id", row.user_account_id);
    absl::StatusOr<bool> exists =
        Exists(session, "SELECT 1 FROM user_accounts WHERE id = :id", user);
    if (!exists.ok()) return exists.status();
    if (!*exists) return NotFoundError("user account", row.user_account_id);
    SqlParams params;
    params.Uuid("id", id)
        .Uuid("user_account_id", row.user_account_id)
        .Text("name", row.name)
        .Text("prefix", row.prefix)
        .Text("key_hash", row.key_hash)
        .Time("created_at", now)
        .NullableTime("last_used_at", row.last_used_at)
        .NullableTime("revoked_at", row.revoked_at);
    absl::StatusOr<long long> inserted = Execute(session, InsertSql("api_keys", params), params);
    if (!inserted.ok()) return inserted.status();
    return Read(session, id);
  });
}

absl::StatusOr<ApiKey> ApiKeyRepository::Get(const std::string& id) {
  return RunFor<ApiKey>(database_, [&](soci::session& session) { return Read(session, id); });
}

absl::StatusOr<ApiKey> ApiKeyRepository::FindActiveByHash(const std::string& key_hash) {
  return RunFor<ApiKey>(database_, [&](soci::session& session) -> absl::StatusOr<ApiKey> {
    SqlParams params;
    params.Text("key_hash", key_hash);
    absl::StatusOr<ApiKey> key =
        ReadRow<ApiKey>(session, "api_keys", "key_hash = :key_hash AND revoked_at IS NULL",
                        params, &BindApiKey, kEntity, "");
    // The hash stands for a secret: never echo it.
    if (key.status().code() == absl::StatusCode::kNotFound) {
      return absl::NotFoundError("api key not found");
    }
    return key;
  });
}

absl::StatusOr<std::vector<ApiKey>> ApiKeyRepository::ListForUser(
    const std::string& user_account_id) {
  return RunFor<std::vector<ApiKey>>(database_, [&](soci::session& session) {
    SqlParams params;
    params.Uuid("user_account_id", user_account_id);
    return ReadRows<ApiKey>(session, "api_keys", "user_account_id = :user_account_id", params,
                            &BindApiKey, "ORDER BY created_at DESC, id DESC");
  });
}

absl::StatusOr<Page<ApiKey>> ApiKeyRepository::ListAll(const PageRequest& page) {
  return RunFor<Page<ApiKey>>(database_, [&](soci::session& session) {
    SqlParams params;
    return QueryPage<ApiKey>(session, "api_keys", "", params, page, &BindApiKey);
  });
}

absl::Status ApiKeyRepository::Revoke(const std::string& id, absl::Time now) {
  return database_.Run([&](soci::session& session) -> absl::Status {
    SqlParams params;
    params.Time("revoked_at", now).Uuid("id", id);
    absl::StatusOr<long long> changed = Execute(
        session, "UPDATE api_keys SET revoked_at = :revoked_at WHERE id = :id AND revoked_at IS NULL",
        params);
    if (!changed.ok()) return changed.status();
    if (*changed == 1) return absl::OkStatus();
    return Read(session, id).status();  // already revoked: OK; missing: NOT_FOUND
  });
}

absl::Status ApiKeyRepository::TouchLastUsed(const std::string& id, absl::Time now) {
  return database_.Run([&](soci::session& session) -> absl::Status {
    SqlParams params;
    params.Time("last_used_at", now).Uuid("id", id);
    absl::StatusOr<long long> changed =
        Execute(session, "UPDATE api_keys SET last_used_at = :last_used_at WHERE id = :id", params);
    if (!changed.ok()) return changed.status();
    if (*changed == 0) return NotFoundError(kEntity, id);
    return absl::OkStatus();
  });
}

}  // namespace ttads::storage
