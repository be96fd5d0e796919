#include "server/account_core.h"

#include "absl/strings/str_cat.h"
#include "server/json_text.h"
#include "server/proto_convert.h"
#include "server/rpc_status.h"
#include "server/tiktok_status.h"
#include "server/validation.h"
#include "tiktok/api_endpoint.h"

namespace ttads::server {
namespace {

constexpr char kLegacy[] = "legacy_user";
constexpr char kAdAccount[] = "ad_account";

void SetTelegramIds(const storage::UserAccount& user, v1::Account& out) {
  out.set_telegram_id(TextOf(user.telegram_id));
  out.set_telegram_id_2(TextOf(user.telegram_id_2));
  out.set_telegram_id_3(TextOf(user.telegram_id_3));
  out.set_telegram_id_4(TextOf(user.telegram_id_4));
}

// The columns user_accounts and ad_accounts share: TikTok credentials state and schedule.
template <typename Row>
void SetCredentialFields(const Row& row, v1::Account& out) {
  out.set_is_active(row.is_active);
  out.set_tiktok_connected(row.tiktok_access_token.has_value() &&
                           row.tiktok_business_id.has_value());
  out.set_needs_reauth(row.tiktok_needs_reauth);
  out.set_needs_reauth_since(row.tiktok_needs_reauth ? TimeText(row.tiktok_reauth_notified_at)
                                                     : "");
  out.set_tiktok_business_id(TextOf(row.tiktok_business_id));
  out.set_tiktok_account_id(TextOf(row.tiktok_account_id));
  out.set_autopilot_tiktok(row.autopilot_tiktok);
  out.set_brain_schedule_hour(row.brain_schedule_hour);
  out.set_brain_timezone(row.brain_timezone);
  out.set_created_at(TimeText(row.created_at));
  out.set_updated_at(TimeText(row.updated_at));
}

// The checks every request addressing one account shares.
void ValidateAccountAddress(RequestValidator& validator, const std::string& user_account_id,
                            const std::string& account_id) {
  validator.Uuid("user_account_id", user_account_id, /*required=*/false);
  validator.Uuid("account_id", account_id, /*required=*/false);
}

}  // namespace

void ToAccount(const storage::UserAccount& user, v1::Account& out) {
  out.set_kind(kLegacy);
  out.set_user_account_id(user.id);
  out.set_name(TextOf(user.username));
  out.set_username(TextOf(user.username));
  SetCredentialFields(user, out);
  SetTelegramIds(user, out);
}

void ToAccount(const storage::AdAccount& row, const storage::UserAccount& owner,
               v1::Account& out) {
  out.set_kind(kAdAccount);
  out.set_user_account_id(row.user_account_id);
  out.set_account_id(row.id);
  out.set_name(row.name);
  out.set_username(TextOf(row.username));
  SetCredentialFields(row, out);
  SetTelegramIds(owner, out);
}

absl::Status AccountCore::LoadAccount(const std::string& user_account_id,
                                      const std::string& account_id, v1::Account& out) {
  absl::StatusOr<storage::UserAccount> user = user_accounts_.Get(user_account_id);
  if (!user.ok()) return user.status();
  if (account_id.empty()) {
    ToAccount(*user, out);
    return absl::OkStatus();
  }
  absl::StatusOr<storage::AdAccount> row = ad_accounts_.GetForUser(user_account_id, account_id);
  if (!row.ok()) return row.status();
  ToAccount(*row, *user, out);
  return absl::OkStatus();
}

absl::StatusOr<AccountCore::AdvertiserChoice> AccountCore::ChooseAdvertiser(
    const std::string& token, const std::string& wanted,
    google::protobuf::RepeatedPtrField<v1::Advertiser>& listed) {
  absl::StatusOr<tiktok::AuthorizedAdvertisersResult> advertisers =
      tiktok_.GetAuthorizedAdvertisers(token);
  if (!advertisers.ok()) return advertisers.status();
  if (advertisers->advertisers.empty()) {
    return WithErrorInfo(absl::FailedPreconditionError(
                             "No TikTok advertiser accounts found. Please create a TikTok Ads "
                             "account first."),
                         "NO_ADVERTISERS", "ttads.v1", {});
  }
  const tiktok::AuthorizedAdvertiser* chosen = &advertisers->advertisers.front();
  for (const tiktok::AuthorizedAdvertiser& advertiser : advertisers->advertisers) {
    v1::Advertiser* item = listed.Add();
    item->set_id(advertiser.advertiser_id);
    item->set_name(advertiser.advertiser_name);
    if (advertiser.advertiser_id == wanted) chosen = &advertiser;
  }
  if (!wanted.empty() && chosen->advertiser_id != wanted) {
    return InvalidField("advertiser_id", "the token cannot see this advertiser");
  }
  AdvertiserChoice choice{chosen->advertiser_id, chosen->advertiser_name, ""};
  tiktok::IdentityQuery identities;
  identities.advertiser_id = chosen->advertiser_id;
  identities.identity_type = "TT_USER";
  // Best effort: an advertiser without a TT_USER identity is still connected.
  absl::StatusOr<std::vector<tiktok::Identity>> found = tiktok_.GetIdentities(token, identities);
  if (found.ok()) {
    for (const tiktok::Identity& identity : *found) {
      if (identity.identity_type == "TT_USER") {
        choice.identity_id = identity.identity_id;
        break;
      }
    }
  }
  return choice;
}

absl::Status AccountCore::IssueOAuthState(const Principal& principal,
                                          const v1::IssueOAuthStateRequest& request,
                                          v1::IssueOAuthStateResponse& response) {
  RequestValidator validator;
  validator.Uuid("user_account_id", request.user_account_id(), /*required=*/false);
  validator.Uuid("ad_account_id", request.ad_account_id(), /*required=*/false);
  const std::string& redirect = request.redirect_uri();
  if (!redirect.empty() && redirect.rfind("https://", 0) != 0 &&
      redirect.rfind("http://localhost", 0) != 0 && redirect.rfind("http://127.0.0.1", 0) != 0) {
    validator.Fail("redirect_uri", "must be an https:// URL (http only for localhost)");
  }
  if (!validator.ok()) return validator.status();
  if (config_.tiktok_app_id.empty()) {
    return WithErrorInfo(absl::FailedPreconditionError(
                             "TikTok OAuth is not configured on this server (TIKTOK_APP_ID)"),
                         "OAUTH_NOT_CONFIGURED", "ttads.v1", {});
  }
  absl::StatusOr<std::string> user_id =
      principal.EffectiveUser(request.user_account_id(), "user_account_id");
  if (!user_id.ok()) return user_id.status();
  // The state must name an existing account of this user, so the exchange cannot be pointed at
  // someone else's row.
  v1::Account account;
  if (absl::Status loaded = LoadAccount(*user_id, request.ad_account_id(), account);
      !loaded.ok()) {
    return loaded;
  }
  const absl::Time now = clock_.Now();
  OAuthState issued;
  const std::string state =
      state_signer_.Issue(*user_id, request.ad_account_id(), now,
                          absl::Seconds(config_.oauth_state_ttl_seconds), &issued);
  response.set_state(state);
  response.set_expires_at(TimeText(issued.expires_at));
  response.set_expires_in_seconds(config_.oauth_state_ttl_seconds);
  response.set_authorization_url(tiktok::AuthorizationUrl(
      config_.tiktok_app_id, state, redirect.empty() ? config_.tiktok_redirect_uri : redirect));
  return absl::OkStatus();
}

absl::Status AccountCore::ExchangeOAuthCode(const Principal& principal,
                                            const v1::ExchangeOAuthCodeRequest& request,
                                            v1::ExchangeOAuthCodeResponse& response) {
  const std::string& code = request.auth_code().empty() ? request.code() : request.auth_code();
  RequestValidator validator;
  if (code.empty()) validator.Fail("auth_code", "Missing auth_code parameter");
  if (request.state().empty()) validator.Fail("state", "Missing state parameter");
  if (!request.advertiser_id().empty() &&
      request.advertiser_id().find_first_not_of("0123456789") != std::string::npos) {
    validator.Fail("advertiser_id", "must be a TikTok advertiser id (digits)");
  }
  if (!validator.ok()) return validator.status();
  const absl::Time now = clock_.Now();
  absl::StatusOr<OAuthState> state = state_signer_.Parse(request.state(), now);
  if (!state.ok()) return state.status();
  if (!state->signed_by_ttads && principal.is_operator()) {
    return InvalidField("state", "an unsigned state is only accepted from the user it names");
  }
  if (absl::Status access = principal.CheckUserAccess(state->user_account_id); !access.ok()) {
    return access;
  }
  if (config_.tiktok_app_id.empty() || config_.tiktok_app_secret.empty()) {
    return WithErrorInfo(absl::FailedPreconditionError(
                             "TikTok OAuth not configured on server (TIKTOK_APP_ID, "
                             "TIKTOK_APP_SECRET)"),
                         "OAUTH_NOT_CONFIGURED", "ttads.v1", {});
  }
  const std::string& user_id = state->user_account_id;
  const std::string& ad_account_id = state->ad_account_id;
  return RunIdempotent(idempotency_, principal, "AccountService/ExchangeOAuthCode", request,
                       response, [&]() -> absl::Status {
    v1::Account target;  // the row the state names must exist and belong to the user
    if (absl::Status loaded = LoadAccount(user_id, ad_account_id, target); !loaded.ok()) {
      return loaded;
    }
    if (request.validate_only()) return absl::OkStatus();
    absl::StatusOr<tiktok::AccessTokenResult> token = tiktok_.ExchangeAuthCode(code);
    if (!token.ok()) return FromTikTokStatus(token.status());
    if (token->access_token.empty()) {
      return absl::UnavailableError("No access token received from TikTok");
    }
    absl::StatusOr<AdvertiserChoice> chosen = ChooseAdvertiser(
        token->access_token, request.advertiser_id(), *response.mutable_advertisers());
    if (!chosen.ok()) return FromTikTokStatus(chosen.status());
    const std::string& identity_id = chosen->identity_id;
    // The state is spent only once a token is in hand, so a transient TikTok failure can be
    // retried with the same state; a second exchange of the same state is refused here.
    if (state->signed_by_ttads) {
      const absl::Status fresh =
          oauth_states_.MarkUsed(state->nonce, user_id, state->expires_at, now);
      if (fresh.code() == absl::StatusCode::kAlreadyExists) {
        return InvalidField("state", "this state was already used; start the connection again");
      }
      if (!fresh.ok()) return fresh;
    }
    absl::StatusOr<std::string> sealed = secrets_.Encrypt(token->access_token);
    if (!sealed.ok()) return sealed.status();
    const storage::TikTokCredentials credentials{*sealed, secrets_.key_id(),
                                                 chosen->advertiser_id, identity_id};
    const absl::Status stored =
        ad_account_id.empty()
            ? user_accounts_.SetTikTokCredentials(user_id, credentials, clock_.Now())
            : ad_accounts_.SetTikTokCredentials(user_id, ad_account_id, credentials, clock_.Now());
    auditor_.Record(principal,
                    {"AccountService.ExchangeOAuthCode", user_id, ad_account_id,
                     ad_account_id.empty() ? "user_account" : "ad_account",
                     ad_account_id.empty() ? user_id : ad_account_id, request.idempotency_key(),
                     JsonObject({{"advertiser_id", chosen->advertiser_id},
                                 {"identity_id", identity_id}})},
                    stored);
    if (!stored.ok()) return stored;
    response.set_success(true);
    response.set_business_id(chosen->advertiser_id);
    response.set_account_id(chosen->advertiser_name);  // the old wire's meaning: the name
    response.set_advertiser_id(chosen->advertiser_id);
    response.set_advertiser_name(chosen->advertiser_name);
    response.set_identity_id(identity_id);
    response.set_user_account_id(user_id);
    if (!ad_account_id.empty()) response.mutable_ad_account_id()->set_value(ad_account_id);
    response.set_message("TikTok connected successfully");
    return absl::OkStatus();
  });
}

absl::Status AccountCore::SelectAdvertiser(const Principal& principal,
                                           const v1::SelectAdvertiserRequest& request,
                                           v1::SelectAdvertiserResponse& response) {
  RequestValidator validator;
  ValidateAccountAddress(validator, request.user_account_id(), request.account_id());
  if (request.advertiser_id().empty()) {
    validator.Fail("advertiser_id", "required");
  } else if (request.advertiser_id().find_first_not_of("0123456789") != std::string::npos) {
    validator.Fail("advertiser_id", "must be a TikTok advertiser id (digits)");
  }
  if (!validator.ok()) return validator.status();
  absl::StatusOr<std::string> user_id =
      principal.EffectiveUser(request.user_account_id(), "user_account_id");
  if (!user_id.ok()) return user_id.status();
  const std::string& account_id = request.account_id();
  const bool legacy = account_id.empty();
  return RunIdempotent(idempotency_, principal, "AccountService/SelectAdvertiser", request,
                       response, [&]() -> absl::Status {
    // The stored credentials of exactly the addressed row (tenancy checked by the lookups).
    TikTokAccess access;
    access.user_account_id = *user_id;
    access.account_id = account_id;
    std::optional<std::string> ciphertext;
    std::string previous_advertiser;
    bool needs_reauth = false;
    if (legacy) {
      absl::StatusOr<storage::UserAccount> row = user_accounts_.Get(*user_id);
      if (!row.ok()) return row.status();
      access.credentials.source = storage::CredentialTable::kUserAccounts;
      access.credentials.row_id = row->id;
      ciphertext = row->tiktok_access_token;
      previous_advertiser = TextOf(row->tiktok_business_id);
      needs_reauth = row->tiktok_needs_reauth;
    } else {
      absl::StatusOr<storage::AdAccount> row = ad_accounts_.GetForUser(*user_id, account_id);
      if (!row.ok()) return row.status();
      access.credentials.source = storage::CredentialTable::kAdAccounts;
      access.credentials.row_id = row->id;
      ciphertext = row->tiktok_access_token;
      previous_advertiser = TextOf(row->tiktok_business_id);
      needs_reauth = row->tiktok_needs_reauth;
    }
    if (!ciphertext.has_value() || ciphertext->empty()) {
      return WithErrorInfo(absl::FailedPreconditionError(
                               "TikTok credentials not found. Please connect TikTok account "
                               "first."),
                           "CREDENTIALS_NOT_FOUND", "ttads.v1", {});
    }
    if (needs_reauth) {
      return WithErrorInfo(absl::FailedPreconditionError(
                               "TikTok rejected the stored access token earlier: connect the "
                               "TikTok account again"),
                           "NEEDS_REAUTH", "ttads.v1", {});
    }
    absl::StatusOr<std::string> token = secrets_.Decrypt(*ciphertext);
    if (!token.ok()) return token.status();
    access.credentials.advertiser_id = previous_advertiser;
    access.access_token = *token;
    absl::StatusOr<AdvertiserChoice> chosen =
        ChooseAdvertiser(*token, request.advertiser_id(), *response.mutable_advertisers());
    if (!chosen.ok()) return access_.OnTikTokError(access, chosen.status());
    if (request.validate_only()) {
      return LoadAccount(*user_id, account_id, *response.mutable_account());
    }
    // Re-sealed under the current key, as a fresh exchange stores it.
    absl::StatusOr<std::string> sealed = secrets_.Encrypt(*token);
    if (!sealed.ok()) return sealed.status();
    const storage::TikTokCredentials credentials{*sealed, secrets_.key_id(),
                                                 chosen->advertiser_id, chosen->identity_id};
    const absl::Status stored =
        legacy ? user_accounts_.SetTikTokCredentials(*user_id, credentials, clock_.Now())
               : ad_accounts_.SetTikTokCredentials(*user_id, account_id, credentials,
                                                   clock_.Now());
    auditor_.Record(principal,
                    {"AccountService.SelectAdvertiser", *user_id, account_id,
                     legacy ? "user_account" : "ad_account", legacy ? *user_id : account_id,
                     request.idempotency_key(),
                     JsonObject({{"previous_advertiser_id", previous_advertiser},
                                 {"advertiser_id", chosen->advertiser_id},
                                 {"identity_id", chosen->identity_id}})},
                    stored);
    if (!stored.ok()) return stored;
    return LoadAccount(*user_id, account_id, *response.mutable_account());
  });
}

absl::Status AccountCore::CreateAdAccount(const Principal& principal,
                                          const v1::CreateAdAccountRequest& request,
                                          v1::CreateAdAccountResponse& response) {
  RequestValidator validator;
  validator.Uuid("user_account_id", request.user_account_id(), /*required=*/false);
  CheckLength(validator, "name", request.name(), 1, 100);
  if (CharacterCount(request.username()) > 100) validator.Fail("username", "at most 100 characters");
  if (!validator.ok()) return validator.status();
  absl::StatusOr<std::string> user_id =
      principal.EffectiveUser(request.user_account_id(), "user_account_id");
  if (!user_id.ok()) return user_id.status();
  return RunIdempotent(idempotency_, principal, "AccountService/CreateAdAccount", request,
                       response, [&]() -> absl::Status {
    absl::StatusOr<storage::UserAccount> owner = user_accounts_.Get(*user_id);
    if (!owner.ok()) return owner.status();
    storage::AdAccount row;
    row.user_account_id = *user_id;
    row.name = request.name();
    row.username = NullIfEmpty(request.username());
    if (request.validate_only()) {
      ToAccount(row, *owner, *response.mutable_account());
      return absl::OkStatus();
    }
    absl::StatusOr<storage::AdAccount> created = ad_accounts_.Create(row, clock_.Now());
    if (created.ok()) ToAccount(*created, *owner, *response.mutable_account());
    auditor_.Record(principal,
                    {"AccountService.CreateAdAccount", *user_id, created.ok() ? created->id : "",
                     "ad_account", created.ok() ? created->id : "", request.idempotency_key(),
                     JsonObject({{"name", request.name()}})},
                    created.status());
    return created.status();
  });
}

absl::Status AccountCore::ListAccounts(const Principal& principal,
                                       const v1::ListAccountsRequest& request,
                                       v1::ListAccountsResponse& response) {
  RequestValidator validator;
  validator.Uuid("user_account_id", request.user_account_id(), /*required=*/false);
  const std::string& kind = request.kind();
  if (!kind.empty() && kind != kLegacy && kind != kAdAccount) {
    validator.Fail("kind", "must be legacy_user or ad_account");
  }
  if (!validator.ok()) return validator.status();

  // Adds one user's accounts: the legacy credentials first, then every ad account.
  const auto add_user = [&](const storage::UserAccount& user) -> absl::Status {
    if (kind != kAdAccount) ToAccount(user, *response.add_accounts());
    if (kind == kLegacy) return absl::OkStatus();
    storage::PageRequest page{"", storage::kMaxPageSize};
    do {
      absl::StatusOr<storage::Page<storage::AdAccount>> rows =
          ad_accounts_.ListForUser(user.id, page);
      if (!rows.ok()) return rows.status();
      for (const storage::AdAccount& row : rows->items) {
        ToAccount(row, user, *response.add_accounts());
      }
      page.page_token = rows->next_page_token;
    } while (!page.page_token.empty());
    return absl::OkStatus();
  };

  if (request.user_account_id().empty() && principal.is_operator()) {
    // Every account, paged by user account.
    absl::StatusOr<storage::Page<storage::UserAccount>> users =
        user_accounts_.List(PageOf(request.page_size(), request.page_token()));
    if (!users.ok()) return users.status();
    for (const storage::UserAccount& user : users->items) {
      if (absl::Status added = add_user(user); !added.ok()) return added;
    }
    response.set_next_page_token(users->next_page_token);
    return absl::OkStatus();
  }
  absl::StatusOr<std::string> user_id =
      principal.EffectiveUser(request.user_account_id(), "user_account_id");
  if (!user_id.ok()) return user_id.status();
  if (!request.page_token().empty()) {
    return InvalidField("page_token", "a single user's accounts fit in one page; omit it");
  }
  absl::StatusOr<storage::UserAccount> user = user_accounts_.Get(*user_id);
  if (!user.ok()) return user.status();
  return add_user(*user);
}

absl::Status AccountCore::GetAccount(const Principal& principal,
                                     const v1::GetAccountRequest& request,
                                     v1::Account& response) {
  RequestValidator validator;
  ValidateAccountAddress(validator, request.user_account_id(), request.account_id());
  if (!validator.ok()) return validator.status();
  absl::StatusOr<std::string> user_id =
      principal.EffectiveUser(request.user_account_id(), "user_account_id");
  if (!user_id.ok()) return user_id.status();
  return LoadAccount(*user_id, request.account_id(), response);
}

absl::Status AccountCore::UpdateAccountSettings(const Principal& principal,
                                                const v1::UpdateAccountSettingsRequest& request,
                                                v1::UpdateAccountSettingsResponse& response) {
  RequestValidator validator;
  ValidateAccountAddress(validator, request.user_account_id(), request.account_id());
  const bool legacy = request.account_id().empty();
  if (request.has_brain_schedule_hour()) {
    const int hour = request.brain_schedule_hour().value();
    if (hour < 0 || hour > 23) validator.Fail("brain_schedule_hour", "must be 0..23");
  }
  if (request.has_brain_timezone() && !IsTimeZone(request.brain_timezone().value())) {
    validator.Fail("brain_timezone", "must be an IANA time zone such as Asia/Almaty");
  }
  if (request.has_name()) CheckLength(validator, "name", request.name().value(), 1, 100);
  if (legacy) {
    for (const auto& [present, field] :
         {std::pair{request.has_brain_schedule_hour(), "brain_schedule_hour"},
          std::pair{request.has_brain_timezone(), "brain_timezone"},
          std::pair{request.has_name(), "name"}, std::pair{request.has_is_active(), "is_active"}}) {
      if (present) validator.Fail(field, "can only be set on an ad account (give account_id)");
    }
  }
  for (const auto* id : {&request.telegram_id(), &request.telegram_id_2(),
                         &request.telegram_id_3(), &request.telegram_id_4()}) {
    if (id->value().size() > 64) validator.Fail("telegram_id", "at most 64 characters");
  }
  if (!validator.ok()) return validator.status();
  absl::StatusOr<std::string> user_id =
      principal.EffectiveUser(request.user_account_id(), "user_account_id");
  if (!user_id.ok()) return user_id.status();

  return RunIdempotent(idempotency_, principal, "AccountService/UpdateAccountSettings", request,
                       response, [&]() -> absl::Status {
    v1::Account current;
    if (absl::Status loaded = LoadAccount(*user_id, request.account_id(), current);
        !loaded.ok()) {
      return loaded;
    }
    if (request.validate_only()) {
      *response.mutable_account() = current;
      return absl::OkStatus();
    }
    const absl::Time now = clock_.Now();
    // Telegram ids and, for legacy accounts, the autopilot switch live on the user account.
    storage::UserAccountPatch user_patch;
    user_patch.telegram_id = TextPatch(request.has_telegram_id(), request.telegram_id());
    user_patch.telegram_id_2 = TextPatch(request.has_telegram_id_2(), request.telegram_id_2());
    user_patch.telegram_id_3 = TextPatch(request.has_telegram_id_3(), request.telegram_id_3());
    user_patch.telegram_id_4 = TextPatch(request.has_telegram_id_4(), request.telegram_id_4());
    if (legacy) {
      user_patch.autopilot_tiktok =
          ValuePatch(request.has_autopilot_tiktok(), request.autopilot_tiktok());
    }
    absl::StatusOr<storage::UserAccount> user = user_accounts_.Update(*user_id, user_patch, now);
    absl::Status status = user.status();
    if (status.ok() && !legacy) {
      storage::AdAccountPatch patch;
      patch.name = ValuePatch(request.has_name(), request.name());
      patch.is_active = ValuePatch(request.has_is_active(), request.is_active());
      patch.autopilot_tiktok =
          ValuePatch(request.has_autopilot_tiktok(), request.autopilot_tiktok());
      patch.brain_schedule_hour =
          ValuePatch(request.has_brain_schedule_hour(), request.brain_schedule_hour());
      patch.brain_timezone = ValuePatch(request.has_brain_timezone(), request.brain_timezone());
      status = ad_accounts_.Update(*user_id, request.account_id(), patch, now).status();
    }
    auditor_.Record(principal,
                    {"AccountService.UpdateAccountSettings", *user_id, request.account_id(),
                     legacy ? "user_account" : "ad_account",
                     legacy ? *user_id : request.account_id(), request.idempotency_key(), ""},
                    status);
    if (!status.ok()) return status;
    return LoadAccount(*user_id, request.account_id(), *response.mutable_account());
  });
}

absl::Status AccountCore::DisconnectAccount(const Principal& principal,
                                            const v1::DisconnectAccountRequest& request,
                                            v1::DisconnectAccountResponse& response) {
  RequestValidator validator;
  ValidateAccountAddress(validator, request.user_account_id(), request.account_id());
  if (!validator.ok()) return validator.status();
  absl::StatusOr<std::string> user_id =
      principal.EffectiveUser(request.user_account_id(), "user_account_id");
  if (!user_id.ok()) return user_id.status();
  return RunIdempotent(idempotency_, principal, "AccountService/DisconnectAccount", request,
                       response, [&]() -> absl::Status {
    v1::Account current;
    if (absl::Status loaded = LoadAccount(*user_id, request.account_id(), current);
        !loaded.ok()) {
      return loaded;
    }
    if (request.validate_only()) {
      *response.mutable_account() = current;
      response.set_success(true);
      return absl::OkStatus();
    }
    const absl::Time now = clock_.Now();
    // Revoke first (best effort): once the ciphertext is gone the token cannot be revoked.
    std::string revoke_note;
    bool revoked = false;
    std::optional<std::string> ciphertext;
    if (request.account_id().empty()) {
      absl::StatusOr<storage::UserAccount> row = user_accounts_.Get(*user_id);
      if (row.ok()) ciphertext = row->tiktok_access_token;
    } else {
      absl::StatusOr<storage::AdAccount> row =
          ad_accounts_.GetForUser(*user_id, request.account_id());
      if (row.ok()) ciphertext = row->tiktok_access_token;
    }
    if (ciphertext.has_value()) {
      absl::StatusOr<std::string> token = secrets_.Decrypt(*ciphertext);
      if (token.ok()) {
        absl::StatusOr<tiktok::RevokeTokenResult> revocation = tiktok_.RevokeToken(*token);
        revoked = revocation.ok();
        if (!revoked) revoke_note = std::string(FromTikTokStatus(revocation.status()).message());
      } else {
        revoke_note = std::string(token.status().message());
      }
    }
    const absl::Status cleared =
        request.account_id().empty()
            ? user_accounts_.ClearTikTokCredentials(*user_id, now)
            : ad_accounts_.ClearTikTokCredentials(*user_id, request.account_id(), now);
    auditor_.Record(principal,
                    {"AccountService.DisconnectAccount", *user_id, request.account_id(),
                     request.account_id().empty() ? "user_account" : "ad_account",
                     request.account_id().empty() ? *user_id : request.account_id(),
                     request.idempotency_key(), ""},
                    cleared);
    if (!cleared.ok()) return cleared;
    response.set_success(true);
    response.set_token_revoked(revoked);
    response.set_message(
        !current.tiktok_connected() ? "No TikTok credentials were stored"
        : revoked ? "TikTok disconnected: the token was revoked and removed"
                  : absl::StrCat("TikTok credentials removed from ttads; revoking the token at "
                                 "TikTok failed (",
                                 revoke_note, "), revoke the app's access in TikTok Business "
                                 "Center if needed"));
    return LoadAccount(*user_id, request.account_id(), *response.mutable_account());
  });
}

}  // namespace ttads::server
