#include "server/reauth_notice.h"

#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "server/log.h"
#include "server/telegram_recipients.h"
#include "storage/ad_account_repository.h"
#include "storage/user_account_repository.h"

namespace ttads::server {
namespace {

}  // namespace

std::string ReauthNoticeText(const std::string& advertiser_id) {
  return absl::StrCat("⚠️ TikTok: доступ к рекламному кабинету ", advertiser_id,
                      " отозван или истёк. Подключите TikTok заново в настройках.");
}

absl::StatusOr<std::unique_ptr<TelegramReauthNotice>> TelegramReauthNotice::Create(
    storage::Database& database, TelegramOptions telegram) {
  absl::StatusOr<std::shared_ptr<tiktok::HttpTransport>> transport =
      MakeTelegramTransport(telegram.timeout);
  if (!transport.ok()) return transport.status();
  return std::unique_ptr<TelegramReauthNotice>(
      new TelegramReauthNotice(database, std::move(telegram), *std::move(transport)));
}

TelegramReauthNotice::TelegramReauthNotice(storage::Database& database, TelegramOptions telegram,
                                           std::shared_ptr<tiktok::HttpTransport> transport)
    : database_(database),
      telegram_(std::move(telegram)),
      transport_(std::move(transport)),
      queue_(std::make_unique<BackgroundQueue>("telegram_reauth")) {}

ReauthNotice TelegramReauthNotice::AsNotice() {
  return [this](const TikTokAccess& access) {
    // Only ids are copied: the decrypted TikTok token stays with the caller.
    Target target{access.user_account_id, access.credentials.source, access.credentials.row_id,
                  access.advertiser_id()};
    if (!queue_->Post([this, target = std::move(target)] { Deliver(target); })) {
      LogWarning("reauth_notice_failed", {{"user_account_id", access.user_account_id},
                                          {"advertiser_id", access.advertiser_id()},
                                          {"error", "notification queue full"}});
    }
  };
}

void TelegramReauthNotice::Deliver(const Target& target) {
  LogFields fields = {{"user_account_id", target.user_account_id},
                      {"advertiser_id", target.advertiser_id}};
  if (target.source == storage::CredentialTable::kAdAccounts) {
    fields.emplace_back("account_id", target.row_id);
  }
  absl::StatusOr<TelegramRecipients> recipients = TelegramRecipientsFor(
      database_, target.user_account_id, target.source, target.row_id, telegram_.bot_token);
  if (!recipients.ok()) {
    fields.emplace_back("error", std::string(recipients.status().message()));
    LogWarning("reauth_notice_failed", fields);
    return;
  }
  const std::vector<std::string>& chats = recipients->chats;
  TelegramOptions options = telegram_;
  options.bot_token = recipients->bot_token;
  if (chats.empty() || options.bot_token.empty()) {
    fields.emplace_back("reason", chats.empty() ? "no telegram_id" : "no bot token");
    LogInfo("reauth_notice_skipped", fields);
    return;
  }
  TelegramNotifier notifier(std::move(options), transport_);
  const DeliveryReport report = notifier.SendToAll(chats, ReauthNoticeText(target.advertiser_id));
  fields.emplace_back("sent", absl::StrCat(report.sent));
  if (report.status.ok()) {
    LogInfo("reauth_notice_sent", fields);
  } else {
    fields.emplace_back("failed", absl::StrCat(report.failed));
    fields.emplace_back("error", std::string(report.status.message()));  // token redacted
    LogWarning("reauth_notice_failed", fields);
  }
}

}  // namespace ttads::server
