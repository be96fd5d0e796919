#include "storage/ad_account_repository.h"

#include "absl/strings/str_cat.h"
#include "storage/credential_repository.h"
#include "storage/uuid.h"

namespace ttads::storage {
namespace {

constexpr absl::string_view kEntity = "ad account";

void BindAdAccount(SqlColumns& columns, AdAccount& row) {
  columns.Text("id", &row.id)
      .Text("user_account_id", &row.user_account_id)
      .Text("name", &row.name)
      .Text("username", &row.username)
      .Bool("is_active", &row.is_active)
      .Text("tiktok_account_id", &row.tiktok_account_id)
      .Text("tiktok_business_id", &row.tiktok_business_id)
      .Text("tiktok_access_token", &row.tiktok_access_token)
      .Text("tiktok_token_key_id", &row.tiktok_token_key_id)
      .Bool("tiktok_needs_reauth", &row.tiktok_needs_reauth)
      .Time("tiktok_reauth_notified_at", &row.tiktok_reauth_notified_at)
      .Bool("autopilot_tiktok", &row.autopilot_tiktok)
      .Int("brain_schedule_hour", &row.brain_schedule_hour)
      .Text("brain_timezone", &row.brain_timezone)
      .Time("last_brain_batch_run_at", &row.last_brain_batch_run_at)
      .Text("brain_mode", &row.brain_mode)
      .Bool("autopilot", &row.autopilot)
      .Text("telegram_id", &row.telegram_id)
      .Text("telegram_id_2", &row.telegram_id_2)
      .Text("telegram_id_3", &row.telegram_id_3)
      .Text("telegram_id_4", &row.telegram_id_4)
      .Text("access_token", &row.access_token)
      .Text("ad_account_id", &row.ad_account_id)
      .Time("created_at", &row.created_at)
      .Time("updated_at", &row.updated_at);
}

// The account `id`, and when `user_account_id` is given only if it is that user's.
absl::StatusOr<AdAccount> Read(soci::session& session,
                               const std::optional<std::string>& user_account_id,
                               const std::string& id) {
  SqlParams params;
  params.Uuid("id", id);
  std::string where = "id = :id";
  if (user_account_id.has_value()) {
    params.Uuid("user_account_id", *user_account_id);
    where += " AND user_account_id = :user_account_id";
  }
  return ReadRow<AdAccount>(session, "ad_accounts", where, params, &BindAdAccount, kEntity, id);
}

absl::Status CheckUserExists(soci::session& session, const std::string& user_account_id) {
  SqlParams params;
  params.Uuid("id", user_account_id);
  absl::StatusOr<bool> exists =
      Exists(session, "SELECT 1 FROM user_accounts WHERE id = :id", params);
  if (!exists.ok()) return exists.status();
  if (!*exists) return NotFoundError("user account", user_account_id);
  return absl::OkStatus();
}

void AddPatch(SqlParams& params, const AdAccountPatch& patch) {
  if (patch.name) params.Text("name", *patch.name);
  if (patch.username) params.NullableText("username", *patch.username);
  if (patch.is_active) params.Bool("is_active", *patch.is_active);
  if (patch.autopilot_tiktok) params.Bool("autopilot_tiktok", *patch.autopilot_tiktok);
  if (patch.brain_schedule_hour) params.Int("brain_schedule_hour", *patch.brain_schedule_hour);
  if (patch.brain_timezone) params.Text("brain_timezone", *patch.brain_timezone);
  if (patch.telegram_id) params.NullableText("telegram_id", *patch.telegram_id);
  if (patch.telegram_id_2) params.NullableText("telegram_id_2", *patch.telegram_id_2);
  if (patch.telegram_id_3) params.NullableText("telegram_id_3", *patch.telegram_id_3);
  if (patch.telegram_id_4) params.NullableText("telegram_id_4", *patch.telegram_id_4);
}

}  // namespace

absl::StatusOr<AdAccount> AdAccountRepository::Create(const AdAccount& row, absl::Time now) {
  const std::string id = row.id.empty() ? NewUuid() : row.id;
  return TransactFor<AdAccount>(
      database_, [&](soci::session& session) -> absl::StatusOr<AdAccount> {
        if (absl::Status exists = CheckUserExists(session, row.user_account_id); !exists.ok()) {
          return exists;
        }
        SqlParams params;
        params.Uuid("id", id)
            .Uuid("user_account_id", row.user_account_id)
            .Text("name", row.name)
            .NullableText("username", row.username)
            .Bool("is_active", row.is_active)
            .NullableText("tiktok_account_id", row.tiktok_account_id)
            .NullableText("tiktok_business_id", row.tiktok_business_id)
            .NullableText("tiktok_access_token", row.tiktok_access_token)
            .NullableText("tiktok_token_key_id", row.tiktok_token_key_id)
            .Bool("tiktok_needs_reauth", row.tiktok_needs_reauth)
            .NullableTime("tiktok_reauth_notified_at", row.tiktok_reauth_notified_at)
            .Bool("autopilot_tiktok", row.autopilot_tiktok)
            .Int("brain_schedule_hour", row.brain_schedule_hour)
            .Text("brain_timezone", row.brain_timezone)
            .NullableTime("last_brain_batch_run_at", row.last_brain_batch_run_at)
            .Text("brain_mode", row.brain_mode)
            .Bool("autopilot", row.autopilot)
            .NullableText("telegram_id", row.telegram_id)
            .NullableText("telegram_id_2", row.telegram_id_2)
            .NullableText("telegram_id_3", row.telegram_id_3)
            .NullableText("telegram_id_4", row.telegram_id_4)
            .NullableText("access_token", row.access_token)
            .NullableText("ad_account_id", row.ad_account_id)
            .Time("created_at", now)
            .Time("updated_at", now);
        absl::StatusOr<long long> inserted =
            Execute(session, InsertSql("ad_accounts", params), params);
        if (!inserted.ok()) return inserted.status();
        return Read(session, std::nullopt, id);
      });
}

absl::StatusOr<AdAccount> AdAccountRepository::Get(const std::string& id) {
  return RunFor<AdAccount>(database_,
                           [&](soci::session& session) { return Read(session, std::nullopt, id); });
}

absl::StatusOr<AdAccount> AdAccountRepository::GetForUser(const std::string& user_account_id,
                                                          const std::string& id) {
  return RunFor<AdAccount>(
      database_, [&](soci::session& session) { return Read(session, user_account_id, id); });
}

absl::StatusOr<Page<AdAccount>> AdAccountRepository::ListForUser(
    const std::string& user_account_id, const PageRequest& page) {
  return RunFor<Page<AdAccount>>(database_, [&](soci::session& session) {
    SqlParams params;
    params.Uuid("user_account_id", user_account_id);
    return QueryPage<AdAccount>(session, "ad_accounts", "user_account_id = :user_account_id",
                                params, page, &BindAdAccount);
  });
}

absl::StatusOr<AdAccount> AdAccountRepository::Update(const std::string& user_account_id,
                                                      const std::string& id,
                                                      const AdAccountPatch& patch,
                                                      absl::Time now) {
  return TransactFor<AdAccount>(
      database_, [&](soci::session& session) -> absl::StatusOr<AdAccount> {
        SqlParams params;
        AddPatch(params, patch);
        params.Time("updated_at", now);
        const std::string assignments = params.Assignments();
        params.Uuid("where_id", id).Uuid("where_user_account_id", user_account_id);
        absl::StatusOr<long long> changed = Execute(
            session,
            absl::StrCat("UPDATE ad_accounts SET ", assignments,
                         " WHERE id = :where_id AND user_account_id = :where_user_account_id"),
            params);
        if (!changed.ok()) return changed.status();
        if (*changed == 0) return NotFoundError(kEntity, id);
        return Read(session, user_account_id, id);
      });
}

absl::Status AdAccountRepository::SetTikTokCredentials(const std::string& user_account_id,
                                                       const std::string& id,
                                                       const TikTokCredentials& credentials,
                                                       absl::Time now) {
  return database_.Run([&](soci::session& session) {
    return internal::WriteCredentials(
        session, CredentialTable::kAdAccounts, kEntity, id, user_account_id,
        {credentials.encrypted_token, credentials.key_id, credentials.business_id,
         credentials.identity_id},
        now);
  });
}

absl::Status AdAccountRepository::ClearTikTokCredentials(const std::string& user_account_id,
                                                         const std::string& id, absl::Time now) {
  return database_.Run([&](soci::session& session) {
    return internal::WriteCredentials(session, CredentialTable::kAdAccounts, kEntity, id,
                                      user_account_id, {}, now);
  });
}

absl::StatusOr<bool> AdAccountRepository::MarkNeedsReauth(const std::string& user_account_id,
                                                          const std::string& id,
                                                          absl::Time now) {
  return RunFor<bool>(database_, [&](soci::session& session) {
    return internal::MarkNeedsReauth(session, CredentialTable::kAdAccounts, kEntity, id,
                                     user_account_id, now);
  });
}

absl::Status AdAccountRepository::Delete(const std::string& user_account_id,
                                         const std::string& id) {
  return database_.Run([&](soci::session& session) -> absl::Status {
    SqlParams params;
    params.Uuid("id", id).Uuid("user_account_id", user_account_id);
    absl::StatusOr<long long> deleted = Execute(
        session, "DELETE FROM ad_accounts WHERE id = :id AND user_account_id = :user_account_id",
        params);
    if (!deleted.ok()) return deleted.status();
    if (*deleted == 0) return NotFoundError(kEntity, id);
    return absl::OkStatus();
  });
}

}  // namespace ttads::storage
