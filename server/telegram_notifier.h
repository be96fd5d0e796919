// Telegram messages through the Bot API (POST {base}/bot{token}/sendMessage): the re-authorisation
// notice now, the brain's daily summary later. The bot token is a secret: it is part of the URL
// only, and never appears in a status message or a log line.
#ifndef TTADS_SERVER_TELEGRAM_NOTIFIER_H_
#define TTADS_SERVER_TELEGRAM_NOTIFIER_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tiktok/http_transport.h"

namespace ttads::server {

// Telegram's limit on one message's text, in UTF-16 code units (what Telegram counts).
inline constexpr std::size_t kTelegramMaxMessageLength = 4096;

// What SendToAll did.
struct DeliveryReport {
  int sent = 0;         // chats that received the whole text
  int failed = 0;       // chats that did not
  absl::Status status;  // the first failure; OK when every chat received it
};

// Something that delivers a text to a chat. Cores take a Notifier so unit tests can pass a fake.
class Notifier {
 public:
  virtual ~Notifier() = default;
  // Delivers `text` to `chat_id`, as several messages when it is too long for one.
  virtual absl::Status Send(const std::string& chat_id, const std::string& text) = 0;
  // Send to every distinct non-empty id in turn; one chat failing does not stop the others.
  DeliveryReport SendToAll(const std::vector<std::string>& chat_ids, const std::string& text);
};

struct TelegramOptions {
  std::string bot_token;  // secret
  std::string base_url = "https://api.telegram.org";
  absl::Duration timeout = absl::Seconds(10);  // per HTTP request (one message)
};

class TelegramNotifier final : public Notifier {
 public:
  // A notifier with its own connection pool.
  static absl::StatusOr<std::unique_ptr<TelegramNotifier>> Create(TelegramOptions options);
  // Shares `transport` (and its connections) with other notifiers, e.g. one per bot token.
  TelegramNotifier(TelegramOptions options, std::shared_ptr<tiktok::HttpTransport> transport);

  // OK when Telegram answered {"ok":true} for every part. Otherwise the HTTP status and
  // Telegram's description: INVALID_ARGUMENT (400, e.g. chat not found), UNAUTHENTICATED (401,
  // bad token), PERMISSION_DENIED (403, the user blocked the bot), RESOURCE_EXHAUSTED (429),
  // UNAVAILABLE / DEADLINE_EXCEEDED (5xx, transport). Parts after a failed one are not sent.
  absl::Status Send(const std::string& chat_id, const std::string& text) override;

 private:
  absl::Status SendMessage(const std::string& chat_id, const std::string& text);
  // `message` with the bot token blanked out, in case anything ever echoes the URL.
  std::string Redact(absl::string_view message) const;

  TelegramOptions options_;
  std::shared_ptr<tiktok::HttpTransport> transport_;
};

// A libcurl transport sized for Telegram (small answers, few connections), to share between
// notifiers.
absl::StatusOr<std::shared_ptr<tiktok::HttpTransport>> MakeTelegramTransport(
    absl::Duration timeout);

// Splits `text` into parts of at most `limit` UTF-16 code units, at line ends where possible
// (a line longer than `limit` is cut between characters). The newline at a cut is dropped;
// empty parts are not returned.
std::vector<std::string> SplitTelegramText(absl::string_view text,
                                           std::size_t limit = kTelegramMaxMessageLength);

}  // namespace ttads::server

#endif  // TTADS_SERVER_TELEGRAM_NOTIFIER_H_
