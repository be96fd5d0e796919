// Who hears about an account on Telegram, and through which bot: the ad account's
// telegram_id..4 for ad-account credentials (falling back to the user's, where
// UpdateAccountSettings stores them), the user account's telegram_id..4 for the legacy ones; the
// user's own bot (user_accounts.telegram_bot_token) when set, else the server's. One rule for
// the re-authorisation notice and the brain's report.
#ifndef TTADS_SERVER_TELEGRAM_RECIPIENTS_H_
#define TTADS_SERVER_TELEGRAM_RECIPIENTS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "storage/credential_repository.h"
#include "storage/database.h"

namespace ttads::server {

struct TelegramRecipients {
  std::vector<std::string> chats;  // distinct, non-empty
  std::string bot_token;           // secret; "" when neither the user nor the server has a bot
};

// `row_id` is the credentials' row (ad_accounts.id or user_accounts.id, per `source`).
absl::StatusOr<TelegramRecipients> TelegramRecipientsFor(storage::Database& database,
                                                         const std::string& user_account_id,
                                                         storage::CredentialTable source,
                                                         const std::string& row_id,
                                                         const std::string& server_bot_token);

}  // namespace ttads::server

#endif  // TTADS_SERVER_TELEGRAM_RECIPIENTS_H_
