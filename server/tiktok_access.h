// Which TikTok advertiser a call acts on, and with which token: the existing system's credential
// rule (storage::CredentialRepository::Resolve) plus decryption and the re-authorisation state,
// in one place for every core that calls TikTok (actions, builder, brain, analytics).
#ifndef TTADS_SERVER_TIKTOK_ACCESS_H_
#define TTADS_SERVER_TIKTOK_ACCESS_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/clock.h"
#include "server/secret_box.h"
#include "storage/ad_account_repository.h"
#include "storage/credential_repository.h"
#include "storage/database.h"
#include "storage/user_account_repository.h"

namespace ttads::server {

// The resolved credentials of one call. Holds the decrypted token: never log it.
struct TikTokAccess {
  std::string user_account_id;
  std::string account_id;  // ad_accounts.id, or "" when the legacy credentials are used
  storage::ResolvedCredentials credentials;
  std::string access_token;

  const std::string& advertiser_id() const { return credentials.advertiser_id; }
};

// Told once when TikTok first rejects a stored token (Telegram, in production).
using ReauthNotice = std::function<void(const TikTokAccess& access)>;

class TikTokAccessResolver {
 public:
  TikTokAccessResolver(storage::Database& database, const SecretBox& secrets, const Clock& clock)
      : credentials_(database),
        user_accounts_(database),
        ad_accounts_(database),
        secrets_(secrets),
        clock_(clock) {}

  // Where a first rejection is reported (optional; set once at wiring time).
  void set_reauth_notice(ReauthNotice notice) { reauth_notice_ = std::move(notice); }

  // The credentials of `user_account_id` (and `account_id`, used only when the user has
  // multi_account_enabled). FAILED_PRECONDITION with ErrorInfo reason `missing_reason`
  // (and `missing_message`) when there are none; FAILED_PRECONDITION reason NEEDS_REAUTH when
  // TikTok rejected the stored token earlier; NOT_FOUND for an unknown user or ad account.
  absl::StatusOr<TikTokAccess> Resolve(
      const std::string& user_account_id, const std::string& account_id,
      const std::string& missing_reason = "CREDENTIALS_NOT_FOUND",
      const std::string& missing_message =
          "TikTok credentials not found. Please connect TikTok account first.");

  // Maps a status of the TikTok client to ttads's answer (FromTikTokStatus). When it is TikTok
  // rejecting the token (40102/40104/40105), flags the credentials as needing a new OAuth and,
  // the first time only, sends the re-authorisation notice.
  absl::Status OnTikTokError(const TikTokAccess& access, const absl::Status& status);

 private:
  storage::CredentialRepository credentials_;
  storage::UserAccountRepository user_accounts_;
  storage::AdAccountRepository ad_accounts_;
  const SecretBox& secrets_;
  const Clock& clock_;
  ReauthNotice reauth_notice_;
};

}  // namespace ttads::server

#endif  // TTADS_SERVER_TIKTOK_ACCESS_H_
