#include "server/admin_core.h"

#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/api_key.h"
#include "server/json_text.h"
#include "server/proto_convert.h"
#include "server/rpc_status.h"
#include "server/validation.h"

namespace ttads::server {
namespace {

void CheckTelegramId(RequestValidator& validator, absl::string_view field, absl::string_view id) {
  if (id.size() > 64) validator.Fail(field, "must be at most 64 characters");
}

}  // namespace

void ToProto(const storage::UserAccount& row, v1::UserAccount& out) {
  out.set_id(row.id);
  out.set_username(TextOf(row.username));
  out.set_is_active(row.is_active);
  out.set_optimization(TextOf(row.optimization));
  out.set_multi_account_enabled(row.multi_account_enabled);
  out.set_telegram_id(TextOf(row.telegram_id));
  out.set_telegram_id_2(TextOf(row.telegram_id_2));
  out.set_telegram_id_3(TextOf(row.telegram_id_3));
  out.set_telegram_id_4(TextOf(row.telegram_id_4));
  out.set_account_timezone(TextOf(row.account_timezone));
  out.set_prompt3(TextOf(row.prompt3));
  out.set_autopilot_tiktok(row.autopilot_tiktok);
  out.set_tiktok_connected(row.tiktok_access_token.has_value() &&
                           row.tiktok_business_id.has_value());
  out.set_created_at(TimeText(row.created_at));
  out.set_updated_at(TimeText(row.updated_at));
}

void ToProto(const storage::ApiKey& row, v1::ApiKey& out) {
  out.set_id(row.id);
  out.set_user_account_id(row.user_account_id);
  out.set_name(row.name);
  out.set_prefix(row.prefix);
  out.set_created_at(TimeText(row.created_at));
  out.set_last_used_at(TimeText(row.last_used_at));
  out.set_revoked(row.revoked_at.has_value());
  out.set_revoked_at(TimeText(row.revoked_at));
}

void ToProto(const storage::CurrencyRate& row, v1::CurrencyRate& out) {
  out.set_id(row.id);
  out.set_from_currency(row.from_currency);
  out.set_to_currency(row.to_currency);
  out.set_rate(row.rate);
  out.set_source(TextOf(row.source));
  out.set_created_at(TimeText(row.created_at));
  out.set_updated_at(TimeText(row.updated_at));
}

absl::Status AdminCore::CreateUserAccount(const Principal& principal,
                                          const v1::CreateUserAccountRequest& request,
                                          v1::CreateUserAccountResponse& response) {
  if (absl::Status allowed = principal.RequireOperator(); !allowed.ok()) return allowed;
  RequestValidator validator;
  CheckLength(validator, "username", request.username(), 1, 100);
  if (request.optimization().size() > 64) validator.Fail("optimization", "at most 64 characters");
  CheckTelegramId(validator, "telegram_id", request.telegram_id());
  CheckTelegramId(validator, "telegram_id_2", request.telegram_id_2());
  CheckTelegramId(validator, "telegram_id_3", request.telegram_id_3());
  CheckTelegramId(validator, "telegram_id_4", request.telegram_id_4());
  if (!request.account_timezone().empty() && !IsTimeZone(request.account_timezone())) {
    validator.Fail("account_timezone", "must be an IANA time zone such as Asia/Almaty");
  }
  if (request.prompt3().size() > 20000) validator.Fail("prompt3", "at most 20000 bytes");
  if (!validator.ok()) return validator.status();

  return RunIdempotent(idempotency_, principal, "AdminService/CreateUserAccount", request,
                       response, [&]() -> absl::Status {
    storage::UserAccount row;
    row.username = request.username();
    row.is_active = request.has_is_active() ? request.is_active().value() : true;
    row.optimization = NullIfEmpty(request.optimization());
    row.multi_account_enabled = request.multi_account_enabled();
    row.telegram_id = NullIfEmpty(request.telegram_id());
    row.telegram_id_2 = NullIfEmpty(request.telegram_id_2());
    row.telegram_id_3 = NullIfEmpty(request.telegram_id_3());
    row.telegram_id_4 = NullIfEmpty(request.telegram_id_4());
    row.account_timezone = NullIfEmpty(request.account_timezone());
    row.prompt3 = NullIfEmpty(request.prompt3());
    if (request.validate_only()) {
      ToProto(row, *response.mutable_user_account());
      return absl::OkStatus();
    }
    absl::StatusOr<storage::UserAccount> created = user_accounts_.Create(row, clock_.Now());
    if (created.ok()) ToProto(*created, *response.mutable_user_account());
    auditor_.Record(principal,
                    {"AdminService.CreateUserAccount", created.ok() ? created->id : "", "",
                     "user_account", created.ok() ? created->id : "", request.idempotency_key(),
                     JsonObject({{"username", request.username()}})},
                    created.status());
    return created.status();
  });
}

absl::Status AdminCore::GetUserAccount(const Principal& principal,
                                       const v1::GetUserAccountRequest& request,
                                       v1::UserAccount& response) {
  if (absl::Status allowed = principal.RequireOperator(); !allowed.ok()) return allowed;
  RequestValidator validator;
  validator.Uuid("user_account_id", request.user_account_id(), /*required=*/true);
  if (!validator.ok()) return validator.status();
  absl::StatusOr<storage::UserAccount> row = user_accounts_.Get(request.user_account_id());
  if (!row.ok()) return row.status();
  ToProto(*row, response);
  return absl::OkStatus();
}

absl::Status AdminCore::ListUserAccounts(const Principal& principal,
                                         const v1::ListUserAccountsRequest& request,
                                         v1::ListUserAccountsResponse& response) {
  if (absl::Status allowed = principal.RequireOperator(); !allowed.ok()) return allowed;
  const std::string& status = request.status();
  if (!status.empty() && status != "active" && status != "inactive" && status != "all") {
    return InvalidField("status", "must be active, inactive or all");
  }
  absl::StatusOr<storage::Page<storage::UserAccount>> page =
      user_accounts_.List(PageOf(request.page_size(), request.page_token()));
  if (!page.ok()) return page.status();
  const std::string prefix = absl::AsciiStrToLower(request.username_prefix());
  for (const storage::UserAccount& row : page->items) {
    if (status == "active" && !row.is_active) continue;
    if (status == "inactive" && row.is_active) continue;
    if (!prefix.empty() &&
        !absl::StartsWith(absl::AsciiStrToLower(TextOf(row.username)), prefix)) {
      continue;
    }
    ToProto(row, *response.add_user_accounts());
  }
  response.set_next_page_token(page->next_page_token);
  return absl::OkStatus();
}

absl::Status AdminCore::UpdateUserAccount(const Principal& principal,
                                          const v1::UpdateUserAccountRequest& request,
                                          v1::UpdateUserAccountResponse& response) {
  if (absl::Status allowed = principal.RequireOperator(); !allowed.ok()) return allowed;
  RequestValidator validator;
  validator.Uuid("user_account_id", request.user_account_id(), /*required=*/true);
  if (request.has_username()) CheckLength(validator, "username", request.username().value(), 1, 100);
  if (request.has_account_timezone() && !request.account_timezone().value().empty() &&
      !IsTimeZone(request.account_timezone().value())) {
    validator.Fail("account_timezone", "must be an IANA time zone such as Asia/Almaty");
  }
  CheckTelegramId(validator, "telegram_id", request.telegram_id().value());
  CheckTelegramId(validator, "telegram_id_2", request.telegram_id_2().value());
  CheckTelegramId(validator, "telegram_id_3", request.telegram_id_3().value());
  CheckTelegramId(validator, "telegram_id_4", request.telegram_id_4().value());
  if (!validator.ok()) return validator.status();

  storage::UserAccountPatch patch;
  patch.username = TextPatch(request.has_username(), request.username());
  patch.is_active = ValuePatch(request.has_is_active(), request.is_active());
  patch.optimization = TextPatch(request.has_optimization(), request.optimization());
  patch.multi_account_enabled =
      ValuePatch(request.has_multi_account_enabled(), request.multi_account_enabled());
  patch.autopilot_tiktok = ValuePatch(request.has_autopilot_tiktok(), request.autopilot_tiktok());
  patch.telegram_id = TextPatch(request.has_telegram_id(), request.telegram_id());
  patch.telegram_id_2 = TextPatch(request.has_telegram_id_2(), request.telegram_id_2());
  patch.telegram_id_3 = TextPatch(request.has_telegram_id_3(), request.telegram_id_3());
  patch.telegram_id_4 = TextPatch(request.has_telegram_id_4(), request.telegram_id_4());
  patch.account_timezone = TextPatch(request.has_account_timezone(), request.account_timezone());
  patch.prompt3 = TextPatch(request.has_prompt3(), request.prompt3());

  return RunIdempotent(idempotency_, principal, "AdminService/UpdateUserAccount", request,
                       response, [&]() -> absl::Status {
    if (request.validate_only()) {
      absl::StatusOr<storage::UserAccount> current = user_accounts_.Get(request.user_account_id());
      if (current.ok()) ToProto(*current, *response.mutable_user_account());
      return current.status();
    }
    absl::StatusOr<storage::UserAccount> updated =
        user_accounts_.Update(request.user_account_id(), patch, clock_.Now());
    if (updated.ok()) ToProto(*updated, *response.mutable_user_account());
    auditor_.Record(principal,
                    {"AdminService.UpdateUserAccount", request.user_account_id(), "",
                     "user_account", request.user_account_id(), request.idempotency_key(), ""},
                    updated.status());
    return updated.status();
  });
}

absl::Status AdminCore::CreateApiKey(const Principal& principal,
                                     const v1::CreateApiKeyRequest& request,
                                     v1::CreateApiKeyResponse& response) {
  if (absl::Status allowed = principal.RequireOperator(); !allowed.ok()) return allowed;
  RequestValidator validator;
  validator.Uuid("user_account_id", request.user_account_id(), /*required=*/true);
  CheckLength(validator, "name", request.name(), 1, 100);
  if (!validator.ok()) return validator.status();

  std::string secret;
  absl::Status status = RunIdempotent(idempotency_, principal, "AdminService/CreateApiKey",
                                      request, response, [&]() -> absl::Status {
    absl::StatusOr<storage::UserAccount> owner = user_accounts_.Get(request.user_account_id());
    if (!owner.ok()) return owner.status();
    if (request.validate_only()) return absl::OkStatus();
    const NewApiKey key = GenerateApiKey();
    storage::ApiKey row;
    row.user_account_id = request.user_account_id();
    row.name = request.name();
    row.prefix = key.prefix;
    row.key_hash = key.hash;
    absl::StatusOr<storage::ApiKey> created = api_keys_.Create(row, clock_.Now());
    if (created.ok()) {
      ToProto(*created, *response.mutable_api_key());
      secret = key.secret;  // added after the answer is stored, so it is never persisted
    }
    auditor_.Record(principal,
                    {"AdminService.CreateApiKey", request.user_account_id(), "", "api_key",
                     created.ok() ? created->id : "", request.idempotency_key(),
                     JsonObject({{"name", request.name()}})},
                    created.status());
    return created.status();
  });
  if (status.ok()) response.set_secret(secret);
  return status;
}

absl::Status AdminCore::ListApiKeys(const Principal& principal,
                                    const v1::ListApiKeysRequest& request,
                                    v1::ListApiKeysResponse& response) {
  if (absl::Status allowed = principal.RequireOperator(); !allowed.ok()) return allowed;
  RequestValidator validator;
  validator.Uuid("user_account_id", request.user_account_id(), /*required=*/false);
  if (!validator.ok()) return validator.status();
  std::vector<storage::ApiKey> keys;
  if (!request.user_account_id().empty()) {
    absl::StatusOr<std::vector<storage::ApiKey>> listed =
        api_keys_.ListForUser(request.user_account_id());
    if (!listed.ok()) return listed.status();
    keys = *std::move(listed);
  } else {
    absl::StatusOr<storage::Page<storage::ApiKey>> page =
        api_keys_.ListAll(PageOf(request.page_size(), request.page_token()));
    if (!page.ok()) return page.status();
    keys = std::move(page->items);
    response.set_next_page_token(page->next_page_token);
  }
  for (const storage::ApiKey& key : keys) {
    if (key.revoked_at.has_value() && !request.include_revoked()) continue;
    ToProto(key, *response.add_api_keys());
  }
  return absl::OkStatus();
}

absl::Status AdminCore::RevokeApiKey(const Principal& principal,
                                     const v1::RevokeApiKeyRequest& request,
                                     v1::RevokeApiKeyResponse& response) {
  if (absl::Status allowed = principal.RequireOperator(); !allowed.ok()) return allowed;
  RequestValidator validator;
  validator.Uuid("api_key_id", request.api_key_id(), /*required=*/true);
  if (!validator.ok()) return validator.status();
  return RunIdempotent(idempotency_, principal, "AdminService/RevokeApiKey", request, response,
                       [&]() -> absl::Status {
    absl::StatusOr<storage::ApiKey> key = api_keys_.Get(request.api_key_id());
    if (!key.ok()) return key.status();
    if (request.validate_only()) {
      ToProto(*key, *response.mutable_api_key());
      return absl::OkStatus();
    }
    absl::Status revoked = api_keys_.Revoke(request.api_key_id(), clock_.Now());
    auditor_.Record(principal,
                    {"AdminService.RevokeApiKey", key->user_account_id, "", "api_key",
                     request.api_key_id(), request.idempotency_key(), ""},
                    revoked);
    if (!revoked.ok()) return revoked;
    absl::StatusOr<storage::ApiKey> after = api_keys_.Get(request.api_key_id());
    if (!after.ok()) return after.status();
    ToProto(*after, *response.mutable_api_key());
    return absl::OkStatus();
  });
}

absl::Status AdminCore::SetCurrencyRate(const Principal& principal,
                                        const v1::SetCurrencyRateRequest& request,
                                        v1::SetCurrencyRateResponse& response) {
  if (absl::Status allowed = principal.RequireOperator(); !allowed.ok()) return allowed;
  RequestValidator validator;
  if (!IsCurrencyCode(request.from_currency())) {
    validator.Fail("from_currency", "must be an ISO 4217 code such as USD");
  }
  if (!IsCurrencyCode(request.to_currency())) {
    validator.Fail("to_currency", "must be an ISO 4217 code such as KZT");
  }
  if (request.from_currency() == request.to_currency() && !request.from_currency().empty()) {
    validator.Fail("to_currency", "must differ from from_currency");
  }
  if (!std::isfinite(request.rate()) || request.rate() <= 0 || request.rate() >= 1e8) {
    validator.Fail("rate", "must be a number above 0 and below 100000000");
  }
  if (request.source().size() > 50) validator.Fail("source", "must be at most 50 characters");
  if (!validator.ok()) return validator.status();
  return RunIdempotent(idempotency_, principal, "AdminService/SetCurrencyRate", request, response,
                       [&]() -> absl::Status {
    if (request.validate_only()) return absl::OkStatus();
    absl::StatusOr<storage::CurrencyRate> stored = currency_rates_.Upsert(
        request.from_currency(), request.to_currency(), request.rate(),
        request.source().empty() ? "manual" : request.source(), clock_.Now());
    if (stored.ok()) ToProto(*stored, *response.mutable_currency_rate());
    auditor_.Record(principal,
                    {"AdminService.SetCurrencyRate", "", "", "currency_rate",
                     absl::StrCat(request.from_currency(), "/", request.to_currency()),
                     request.idempotency_key(),
                     JsonObject({{"rate", absl::StrCat(request.rate())}})},
                    stored.status());
    return stored.status();
  });
}

absl::Status AdminCore::ListCurrencyRates(const Principal& principal,
                                          const v1::ListCurrencyRatesRequest& request,
                                          v1::ListCurrencyRatesResponse& response) {
  (void)request;  // a handful of rows: one page always
  if (absl::Status allowed = principal.RequireOperator(); !allowed.ok()) return allowed;
  absl::StatusOr<std::vector<storage::CurrencyRate>> rates = currency_rates_.List();
  if (!rates.ok()) return rates.status();
  for (const storage::CurrencyRate& rate : *rates) ToProto(rate, *response.add_currency_rates());
  return absl::OkStatus();
}

}  // namespace ttads::server
