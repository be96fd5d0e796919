#include "storage/credential_repository.h"

#include "absl/strings/str_cat.h"

namespace ttads::storage {
namespace {

// "id = :where_id" plus the owner when one is given.
std::string RowCondition(SqlParams& params, const std::string& id,
                         const std::optional<std::string>& user_account_id) {
  params.Uuid("where_id", id);
  if (!user_account_id.has_value()) return "id = :where_id";
  params.Uuid("where_user_account_id", *user_account_id);
  return "id = :where_id AND user_account_id = :where_user_account_id";
}

absl::Status MissingCredentials() {
  return absl::FailedPreconditionError("TikTok credentials not found");
}

struct CredentialRow {
  std::optional<std::string> token;
  std::optional<std::string> key_id;
  std::optional<std::string> business_id;
  std::optional<std::string> identity_id;
  bool needs_reauth = false;
};

void BindCredentialRow(SqlColumns& columns, CredentialRow& row) {
  columns.Text("tiktok_access_token", &row.token)
      .Text("tiktok_token_key_id", &row.key_id)
      .Text("tiktok_business_id", &row.business_id)
      .Text("tiktok_account_id", &row.identity_id)
      .Bool("tiktok_needs_reauth", &row.needs_reauth);
}

absl::StatusOr<ResolvedCredentials> FromRow(CredentialTable table, const std::string& id,
                                            const CredentialRow& row) {
  if (!row.token.has_value() || row.token->empty() || !row.business_id.has_value() ||
      row.business_id->empty()) {
    return MissingCredentials();
  }
  ResolvedCredentials resolved;
  resolved.source = table;
  resolved.row_id = id;
  resolved.encrypted_token = *row.token;
  resolved.key_id = row.key_id;
  resolved.advertiser_id = *row.business_id;
  resolved.identity_id = row.identity_id.value_or("");
  resolved.needs_reauth = row.needs_reauth;
  return resolved;
}

}  // namespace

absl::string_view CredentialTableName(CredentialTable table) {
  return table == CredentialTable::kUserAccounts ? "user_accounts" : "ad_accounts";
}

absl::StatusOr<ResolvedCredentials> CredentialRepository::Resolve(
    const std::string& user_account_id, const std::optional<std::string>& ad_account_id) {
  return RunFor<ResolvedCredentials>(
      database_, [&](soci::session& session) -> absl::StatusOr<ResolvedCredentials> {
        CredentialRow user;
        bool multi_account = false;
        std::string user_id;
        SqlColumns columns;
        columns.Text("id", &user_id).Bool("multi_account_enabled", &multi_account);
        BindCredentialRow(columns, user);
        SqlParams params;
        params.Uuid("id", user_account_id);
        absl::StatusOr<bool> found = QueryOne(
            session, absl::StrCat("SELECT ", columns.List(), " FROM user_accounts WHERE id = :id"),
            params, columns);
        if (!found.ok()) return found.status();
        if (!*found) return NotFoundError("user account", user_account_id);
        if (!multi_account || !ad_account_id.has_value()) {
          return FromRow(CredentialTable::kUserAccounts, user_id, user);
        }
        CredentialRow account;
        std::string account_id;
        SqlColumns account_columns;
        account_columns.Text("id", &account_id);
        BindCredentialRow(account_columns, account);
        SqlParams account_params;
        account_params.Uuid("id", *ad_account_id).Uuid("user_account_id", user_account_id);
        found = QueryOne(session,
                         absl::StrCat("SELECT ", account_columns.List(),
                                      " FROM ad_accounts WHERE id = :id AND "
                                      "user_account_id = :user_account_id"),
                         account_params, account_columns);
        if (!found.ok()) return found.status();
        if (!*found) return NotFoundError("ad account", *ad_account_id);
        return FromRow(CredentialTable::kAdAccounts, account_id, account);
      });
}

absl::StatusOr<std::vector<EncryptedToken>> CredentialRepository::ListEncryptedTokens() {
  return RunFor<std::vector<EncryptedToken>>(
      database_, [&](soci::session& session) -> absl::StatusOr<std::vector<EncryptedToken>> {
        std::vector<EncryptedToken> tokens;
        for (CredentialTable table : {CredentialTable::kUserAccounts, CredentialTable::kAdAccounts}) {
          EncryptedToken token;
          token.table = table;
          SqlColumns columns;
          columns.Text("id", &token.id)
              .Text("tiktok_access_token", &token.ciphertext)
              .Text("tiktok_token_key_id", &token.key_id);
          SqlParams params;
          const absl::Status status = Query(
              session,
              absl::StrCat("SELECT ", columns.List(), " FROM ", CredentialTableName(table),
                           " WHERE tiktok_access_token IS NOT NULL ORDER BY id"),
              params, columns, [&] { tokens.push_back(token); });
          if (!status.ok()) return status;
        }
        return tokens;
      });
}

absl::StatusOr<bool> CredentialRepository::ReplaceEncryptedToken(
    CredentialTable table, const std::string& id, const std::string& old_ciphertext,
    const std::string& new_ciphertext, const std::string& new_key_id, absl::Time now) {
  return RunFor<bool>(database_, [&](soci::session& session) -> absl::StatusOr<bool> {
    SqlParams params;
    params.Text("tiktok_access_token", new_ciphertext)
        .Text("tiktok_token_key_id", new_key_id)
        .Time("updated_at", now);
    const std::string assignments = params.Assignments();
    params.Uuid("where_id", id).Text("old_ciphertext", old_ciphertext);
    absl::StatusOr<long long> changed = Execute(
        session,
        absl::StrCat("UPDATE ", CredentialTableName(table), " SET ", assignments,
                     " WHERE id = :where_id AND tiktok_access_token = :old_ciphertext"),
        params);
    if (!changed.ok()) return changed.status();
    return *changed == 1;
  });
}

namespace internal {

absl::Status WriteCredentials(soci::session& session, CredentialTable table,
                              absl::string_view entity, const std::string& id,
                              const std::optional<std::string>& user_account_id,
                              const CredentialValues& values, absl::Time now) {
  SqlParams params;
  params.NullableText("tiktok_access_token", values.encrypted_token)
      .NullableText("tiktok_token_key_id", values.key_id)
      .NullableText("tiktok_business_id", values.business_id)
      .NullableText("tiktok_account_id", values.identity_id)
      .Bool("tiktok_needs_reauth", false)
      .NullableTime("tiktok_reauth_notified_at", std::nullopt)
      .Time("updated_at", now);
  const std::string assignments = params.Assignments();
  const std::string where = RowCondition(params, id, user_account_id);
  absl::StatusOr<long long> changed = Execute(
      session,
      absl::StrCat("UPDATE ", CredentialTableName(table), " SET ", assignments, " WHERE ", where),
      params);
  if (!changed.ok()) return changed.status();
  if (*changed == 0) return NotFoundError(entity, id);
  return absl::OkStatus();
}

absl::StatusOr<bool> MarkNeedsReauth(soci::session& session, CredentialTable table,
                                     absl::string_view entity, const std::string& id,
                                     const std::optional<std::string>& user_account_id,
                                     absl::Time now) {
  // First notice: one conditional UPDATE, so of two concurrent callers exactly one wins.
  SqlParams first;
  first.Bool("tiktok_needs_reauth", true)
      .Time("tiktok_reauth_notified_at", now)
      .Time("updated_at", now);
  std::string assignments = first.Assignments();
  std::string where = RowCondition(first, id, user_account_id);
  absl::StatusOr<long long> changed =
      Execute(session,
              absl::StrCat("UPDATE ", CredentialTableName(table), " SET ", assignments, " WHERE ",
                           where, " AND tiktok_reauth_notified_at IS NULL"),
              first);
  if (!changed.ok()) return changed.status();
  if (*changed == 1) return true;
  // Already told: keep the flag set (it is, unless written around this repository).
  SqlParams again;
  again.Bool("tiktok_needs_reauth", true);
  assignments = again.Assignments();
  where = RowCondition(again, id, user_account_id);
  changed = Execute(session,
                    absl::StrCat("UPDATE ", CredentialTableName(table), " SET ", assignments,
                                 " WHERE ", where),
                    again);
  if (!changed.ok()) return changed.status();
  if (*changed == 0) return NotFoundError(entity, id);
  return false;
}

}  // namespace internal
}  // namespace ttads::storage
