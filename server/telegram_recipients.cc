#include "server/telegram_recipients.h"

#include <algorithm>
#include <optional>

#include "storage/ad_account_repository.h"
#include "storage/user_account_repository.h"

namespace ttads::server {
namespace {

void AddChats(const std::optional<std::string>& a, const std::optional<std::string>& b,
              const std::optional<std::string>& c, const std::optional<std::string>& d,
              std::vector<std::string>& out) {
  for (const auto* id : {&a, &b, &c, &d}) {
    if (id->has_value() && !(*id)->empty() &&
        std::find(out.begin(), out.end(), **id) == out.end()) {
      out.push_back(**id);
    }
  }
}

}  // namespace

absl::StatusOr<TelegramRecipients> TelegramRecipientsFor(storage::Database& database,
                                                         const std::string& user_account_id,
                                                         storage::CredentialTable source,
                                                         const std::string& row_id,
                                                         const std::string& server_bot_token) {
  storage::UserAccountRepository users(database);
  absl::StatusOr<storage::UserAccount> user = users.Get(user_account_id);
  if (!user.ok()) return user.status();
  TelegramRecipients recipients;
  if (source == storage::CredentialTable::kAdAccounts) {
    storage::AdAccountRepository ad_accounts(database);
    absl::StatusOr<storage::AdAccount> account = ad_accounts.Get(row_id);
    if (account.ok()) {
      AddChats(account->telegram_id, account->telegram_id_2, account->telegram_id_3,
               account->telegram_id_4, recipients.chats);
    }
  }
  if (recipients.chats.empty()) {
    AddChats(user->telegram_id, user->telegram_id_2, user->telegram_id_3, user->telegram_id_4,
             recipients.chats);
  }
  recipients.bot_token = user->telegram_bot_token.has_value() && !user->telegram_bot_token->empty()
                             ? *user->telegram_bot_token  // the tenant's own bot
                             : server_bot_token;
  return recipients;
}

}  // namespace ttads::server
