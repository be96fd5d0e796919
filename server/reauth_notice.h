// The once-only "TikTok needs re-authorisation" Telegram notice (TikTokAccessResolver calls it
// the first time TikTok rejects stored credentials). Recipients: the ad account's telegram_id..4
// for ad-account credentials (falling back to the user's, where UpdateAccountSettings stores
// them), the user account's telegram_id..4 for the legacy ones; the user's own bot
// (user_accounts.telegram_bot_token) when set, the server's otherwise.
#ifndef TTADS_SERVER_REAUTH_NOTICE_H_
#define TTADS_SERVER_REAUTH_NOTICE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "server/background_queue.h"
#include "server/telegram_notifier.h"
#include "server/tiktok_access.h"
#include "storage/database.h"
#include "storage/credential_repository.h"

namespace ttads::server {

// The notice's text (Russian: the users are Russian-speaking).
std::string ReauthNoticeText(const std::string& advertiser_id);

class TelegramReauthNotice {
 public:
  // `telegram` is the server's bot (its token may be empty when only per-user bots are used).
  static absl::StatusOr<std::unique_ptr<TelegramReauthNotice>> Create(storage::Database& database,
                                                                      TelegramOptions telegram);
  // Sends what is still queued (bounded), then stops.
  ~TelegramReauthNotice() = default;

  // For TikTokAccessResolver::set_reauth_notice; valid while this object lives. Only queues the
  // notice: the recipients are looked up and Telegram is called on the worker, so the RPC that
  // met the rejection is not held up by Telegram.
  ReauthNotice AsNotice();

  // Blocks until the queued notices went out (tests).
  void Drain() { queue_->Drain(); }

 private:
  struct Target {
    std::string user_account_id;
    storage::CredentialTable source = storage::CredentialTable::kUserAccounts;
    std::string row_id;
    std::string advertiser_id;
  };
  TelegramReauthNotice(storage::Database& database, TelegramOptions telegram,
                       std::shared_ptr<tiktok::HttpTransport> transport);
  void Deliver(const Target& target);

  storage::Database& database_;
  const TelegramOptions telegram_;
  std::shared_ptr<tiktok::HttpTransport> transport_;
  // Last: destroyed (joined) first, while everything its tasks use is still alive.
  std::unique_ptr<BackgroundQueue> queue_;
};

}  // namespace ttads::server

#endif  // TTADS_SERVER_REAUTH_NOTICE_H_
