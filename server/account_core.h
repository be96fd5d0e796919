// AccountService's logic: the places TikTok credentials live (the legacy user_accounts row and
// ad_accounts rows), their settings, the signed OAuth state, and disconnecting.
#ifndef TTADS_SERVER_ACCOUNT_CORE_H_
#define TTADS_SERVER_ACCOUNT_CORE_H_

#include "absl/status/status.h"
#include "server/audit.h"
#include "server/clock.h"
#include "server/config.h"
#include "server/idempotency.h"
#include "server/oauth_state.h"
#include "server/principal.h"
#include "server/secret_box.h"
#include "server/tiktok_access.h"
#include "storage/ad_account_repository.h"
#include "storage/oauth_state_repository.h"
#include "tiktok/tiktok_api.h"
#include "storage/database.h"
#include "storage/user_account_repository.h"
#include "ttads/v1/account_service.pb.h"

namespace ttads::server {

class AccountCore {
 public:
  AccountCore(storage::Database& database, IdempotencyGuard& idempotency, Auditor& auditor,
              const OAuthStateSigner& state_signer, const SecretBox& secrets,
              TikTokAccessResolver& access, tiktok::TikTokApi& tiktok, const ServerConfig& config,
              const Clock& clock)
      : user_accounts_(database),
        ad_accounts_(database),
        oauth_states_(database),
        idempotency_(idempotency),
        auditor_(auditor),
        state_signer_(state_signer),
        secrets_(secrets),
        access_(access),
        tiktok_(tiktok),
        config_(config),
        clock_(clock) {}

  // POST /api/tiktok/oauth/exchange: trades the auth code for a token, lists the token's
  // advertisers, finds the TT_USER identity and stores the encrypted token on the account the
  // state names. The state must be ttads-signed, unexpired, unused and name the caller's own
  // account (an old unsigned state only when it names the caller's own account).
  absl::Status ExchangeOAuthCode(const Principal& principal,
                                 const v1::ExchangeOAuthCodeRequest& request,
                                 v1::ExchangeOAuthCodeResponse& response);

  // Points a connected account at another advertiser its stored token can see and re-resolves
  // the TT_USER identity. INVALID_ARGUMENT advertiser_id when the token cannot see it;
  // FAILED_PRECONDITION CREDENTIALS_NOT_FOUND without a stored token; a token TikTok rejects
  // flags the account NEEDS_REAUTH. validate_only checks (TikTok included) and changes nothing.
  absl::Status SelectAdvertiser(const Principal& principal,
                                const v1::SelectAdvertiserRequest& request,
                                v1::SelectAdvertiserResponse& response);

  absl::Status IssueOAuthState(const Principal& principal,
                               const v1::IssueOAuthStateRequest& request,
                               v1::IssueOAuthStateResponse& response);
  absl::Status CreateAdAccount(const Principal& principal,
                               const v1::CreateAdAccountRequest& request,
                               v1::CreateAdAccountResponse& response);
  absl::Status ListAccounts(const Principal& principal, const v1::ListAccountsRequest& request,
                            v1::ListAccountsResponse& response);
  absl::Status GetAccount(const Principal& principal, const v1::GetAccountRequest& request,
                          v1::Account& response);
  absl::Status UpdateAccountSettings(const Principal& principal,
                                     const v1::UpdateAccountSettingsRequest& request,
                                     v1::UpdateAccountSettingsResponse& response);
  // Revokes the token at TikTok (best effort, reported in `token_revoked` / `message`) and
  // clears the stored credentials either way.
  absl::Status DisconnectAccount(const Principal& principal,
                                 const v1::DisconnectAccountRequest& request,
                                 v1::DisconnectAccountResponse& response);

 private:
  // Loads the account (legacy when account_id is empty) into `out`, tenancy checked.
  absl::Status LoadAccount(const std::string& user_account_id, const std::string& account_id,
                           v1::Account& out);

  // The advertiser chosen among those `token` sees (listed into `listed`) and its TT_USER
  // identity ("" when none is found).
  struct AdvertiserChoice {
    std::string advertiser_id;
    std::string advertiser_name;
    std::string identity_id;
  };
  // Lists the advertisers `token` can see and picks `wanted` ("" = the first). A TikTok failure
  // is returned as the client reported it (the caller maps it); FAILED_PRECONDITION
  // NO_ADVERTISERS when the token sees none; INVALID_ARGUMENT advertiser_id when it cannot see
  // `wanted`.
  absl::StatusOr<AdvertiserChoice> ChooseAdvertiser(
      const std::string& token, const std::string& wanted,
      google::protobuf::RepeatedPtrField<v1::Advertiser>& listed);

  storage::UserAccountRepository user_accounts_;
  storage::AdAccountRepository ad_accounts_;
  storage::OAuthStateRepository oauth_states_;
  IdempotencyGuard& idempotency_;
  Auditor& auditor_;
  const OAuthStateSigner& state_signer_;
  const SecretBox& secrets_;
  TikTokAccessResolver& access_;
  tiktok::TikTokApi& tiktok_;
  const ServerConfig& config_;
  const Clock& clock_;
};

// Row → message: the legacy credentials of a user account, and an ad account (Telegram ids
// always come from the user account, as the brain reads them).
void ToAccount(const storage::UserAccount& user, v1::Account& out);
void ToAccount(const storage::AdAccount& row, const storage::UserAccount& owner, v1::Account& out);

}  // namespace ttads::server

#endif  // TTADS_SERVER_ACCOUNT_CORE_H_
