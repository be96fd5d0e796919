#include "storage/user_account_repository.h"

#include "absl/strings/str_cat.h"
#include "storage/credential_repository.h"
#include "storage/uuid.h"

namespace ttads::storage {
namespace {

constexpr absl::string_view kEntity = "user account";

void BindUserAccount(SqlColumns& columns, UserAccount& row) {
  columns.Text("id", &row.id)
      .Text("username", &row.username)
      .Bool("is_active", &row.is_active)
      .Text("optimization", &row.optimization)
      .Bool("multi_account_enabled", &row.multi_account_enabled)
      .Text("tiktok_access_token", &row.tiktok_access_token)
      .Text("tiktok_token_key_id", &row.tiktok_token_key_id)
      .Text("tiktok_business_id", &row.tiktok_business_id)
      .Text("tiktok_account_id", &row.tiktok_account_id)
      .Bool("tiktok_needs_reauth", &row.tiktok_needs_reauth)
      .Time("tiktok_reauth_notified_at", &row.tiktok_reauth_notified_at)
      .Bool("autopilot_tiktok", &row.autopilot_tiktok)
      .Bool("autopilot", &row.autopilot)
      .Text("telegram_id", &row.telegram_id)
      .Text("telegram_id_2", &row.telegram_id_2)
      .Text("telegram_id_3", &row.telegram_id_3)
      .Text("telegram_id_4", &row.telegram_id_4)
      .Text("telegram_bot_token", &row.telegram_bot_token)
      .Text("account_timezone", &row.account_timezone)
      .Int("preferred_check_hour_local", &row.preferred_check_hour_local)
      .Int("brain_schedule_hour", &row.brain_schedule_hour)
      .Text("brain_timezone", &row.brain_timezone)
      .Time("last_brain_batch_run_at", &row.last_brain_batch_run_at)
      .Text("ad_account_id", &row.ad_account_id)
      .Text("prompt3", &row.prompt3)
      .Time("created_at", &row.created_at)
      .Time("updated_at", &row.updated_at);
}

absl::StatusOr<UserAccount> Read(soci::session& session, const std::string& id) {
  SqlParams params;
  params.Uuid("id", id);
  return ReadRow<UserAccount>(session, "user_accounts", "id = :id", params, &BindUserAccount,
                              kEntity, id);
}

void AddPatch(SqlParams& params, const UserAccountPatch& patch) {
  if (patch.username) params.NullableText("username", *patch.username);
  if (patch.is_active) params.Bool("is_active", *patch.is_active);
  if (patch.optimization) params.NullableText("optimization", *patch.optimization);
  if (patch.multi_account_enabled) {
    params.Bool("multi_account_enabled", *patch.multi_account_enabled);
  }
  if (patch.autopilot_tiktok) params.Bool("autopilot_tiktok", *patch.autopilot_tiktok);
  if (patch.brain_schedule_hour) params.Int("brain_schedule_hour", *patch.brain_schedule_hour);
  if (patch.brain_timezone) params.Text("brain_timezone", *patch.brain_timezone);
  if (patch.telegram_id) params.NullableText("telegram_id", *patch.telegram_id);
  if (patch.telegram_id_2) params.NullableText("telegram_id_2", *patch.telegram_id_2);
  if (patch.telegram_id_3) params.NullableText("telegram_id_3", *patch.telegram_id_3);
  if (patch.telegram_id_4) params.NullableText("telegram_id_4", *patch.telegram_id_4);
  if (patch.account_timezone) params.NullableText("account_timezone", *patch.account_timezone);
  if (patch.prompt3) params.NullableText("prompt3", *patch.prompt3);
}

}  // namespace

absl::StatusOr<UserAccount> UserAccountRepository::Create(const UserAccount& row,
                                                          absl::Time now) {
  const std::string id = row.id.empty() ? NewUuid() : row.id;
  return TransactFor<UserAccount>(
      database_, [&](soci::session& session) -> absl::StatusOr<UserAccount> {
        SqlParams params;
        params.Uuid("id", id)
            .NullableText("username", row.username)
            .Bool("is_active", row.is_active)
            .NullableText("optimization", row.optimization)
            .Bool("multi_account_enabled", row.multi_account_enabled)
            .NullableText("tiktok_access_token", row.tiktok_access_token)
            .NullableText("tiktok_token_key_id", row.tiktok_token_key_id)
            .NullableText("tiktok_business_id", row.tiktok_business_id)
            .NullableText("tiktok_account_id", row.tiktok_account_id)
            .Bool("tiktok_needs_reauth", row.tiktok_needs_reauth)
            .NullableTime("tiktok_reauth_notified_at", row.tiktok_reauth_notified_at)
            .Bool("autopilot_tiktok", row.autopilot_tiktok)
            .Bool("autopilot", row.autopilot)
            .NullableText("telegram_id", row.telegram_id)
            .NullableText("telegram_id_2", row.telegram_id_2)
            .NullableText("telegram_id_3", row.telegram_id_3)
            .NullableText("telegram_id_4", row.telegram_id_4)
            .NullableText("telegram_bot_token", row.telegram_bot_token)
            .NullableText("account_timezone", row.account_timezone)
            .NullableInt("preferred_check_hour_local", row.preferred_check_hour_local)
            .Int("brain_schedule_hour", row.brain_schedule_hour)
            .Text("brain_timezone", row.brain_timezone)
            .NullableTime("last_brain_batch_run_at", row.last_brain_batch_run_at)
            .NullableText("ad_account_id", row.ad_account_id)
            .NullableText("prompt3", row.prompt3)
            .Time("created_at", now)
            .Time("updated_at", now);
        absl::StatusOr<long long> inserted =
            Execute(session, InsertSql("user_accounts", params), params);
        if (!inserted.ok()) return inserted.status();
        return Read(session, id);
      });
}

absl::StatusOr<UserAccount> UserAccountRepository::Get(const std::string& id) {
  return RunFor<UserAccount>(database_, [&](soci::session& session) { return Read(session, id); });
}

absl::StatusOr<Page<UserAccount>> UserAccountRepository::List(const PageRequest& page) {
  return RunFor<Page<UserAccount>>(database_, [&](soci::session& session) {
    SqlParams params;
    return QueryPage<UserAccount>(session, "user_accounts", "", params, page, &BindUserAccount);
  });
}

absl::StatusOr<UserAccount> UserAccountRepository::Update(const std::string& id,
                                                          const UserAccountPatch& patch,
                                                          absl::Time now) {
  return TransactFor<UserAccount>(
      database_, [&](soci::session& session) -> absl::StatusOr<UserAccount> {
        SqlParams params;
        AddPatch(params, patch);
        params.Time("updated_at", now);
        const std::string assignments = params.Assignments();
        params.Uuid("where_id", id);
        absl::StatusOr<long long> changed = Execute(
            session,
            absl::StrCat("UPDATE user_accounts SET ", assignments, " WHERE id = :where_id"),
            params);
        if (!changed.ok()) return changed.status();
        if (*changed == 0) return NotFoundError(kEntity, id);
        return Read(session, id);
      });
}

absl::Status UserAccountRepository::SetTikTokCredentials(const std::string& id,
                                                         const TikTokCredentials& credentials,
                                                         absl::Time now) {
  return database_.Run([&](soci::session& session) {
    return internal::WriteCredentials(
        session, CredentialTable::kUserAccounts, kEntity, id, std::nullopt,
        {credentials.encrypted_token, credentials.key_id, credentials.business_id,
         credentials.identity_id},
        now);
  });
}

absl::Status UserAccountRepository::ClearTikTokCredentials(const std::string& id,
                                                           absl::Time now) {
  return database_.Run([&](soci::session& session) {
    return internal::WriteCredentials(session, CredentialTable::kUserAccounts, kEntity, id,
                                      std::nullopt, {}, now);
  });
}

absl::StatusOr<bool> UserAccountRepository::MarkNeedsReauth(const std::string& id,
                                                            absl::Time now) {
  return RunFor<bool>(database_, [&](soci::session& session) {
    return internal::MarkNeedsReauth(session, CredentialTable::kUserAccounts, kEntity, id,
                                     std::nullopt, now);
  });
}

absl::Status UserAccountRepository::Delete(const std::string& id) {
  return database_.Run([&](soci::session& session) -> absl::Status {
    SqlParams params;
    params.Uuid("id", id);
    absl::StatusOr<long long> deleted =
        Execute(session, "DELETE FROM user_accounts WHERE id = :id", params);
    if (!deleted.ok()) return deleted.status();
    if (*deleted == 0) return NotFoundError(kEntity, id);
    return absl::OkStatus();
  });
}

}  // namespace ttads::storage
