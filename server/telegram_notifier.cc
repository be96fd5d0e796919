#include "server/telegram_notifier.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "nlohmann/json.hpp"

namespace ttads::server {
namespace {

using Json = nlohmann::json;

// Bytes of the UTF-8 sequence that starts with `lead` (1 for a stray continuation byte, so
// invalid input still advances).
std::size_t SequenceLength(unsigned char lead) {
  if (lead < 0xC0) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return 4;
}

// UTF-16 code units of one character: two for those outside the Basic Multilingual Plane
// (most emoji), one otherwise.
std::size_t Utf16Units(unsigned char lead) { return lead >= 0xF0 ? 2 : 1; }

std::size_t Utf16Length(absl::string_view text) {
  std::size_t units = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    units += Utf16Units(lead);
    i += SequenceLength(lead);
  }
  return units;
}

absl::StatusCode CodeForHttpStatus(int status) {
  if (status == 429) return absl::StatusCode::kResourceExhausted;
  if (status >= 500 || status < 400) return absl::StatusCode::kUnavailable;
  if (status == 401 || status == 404) return absl::StatusCode::kUnauthenticated;  // bad token
  if (status == 403) return absl::StatusCode::kPermissionDenied;  // bot blocked, kicked
  return absl::StatusCode::kInvalidArgument;                      // chat not found, bad text
}

}  // namespace

std::vector<std::string> SplitTelegramText(absl::string_view text, std::size_t limit) {
  limit = std::max<std::size_t>(limit, 2);  // room for one character of any width
  std::vector<std::string> parts;
  std::string current;
  std::size_t current_units = 0;
  bool open = false;  // `current` has begun (it may hold an empty first line)
  auto flush = [&] {
    if (open && !absl::StripAsciiWhitespace(current).empty()) parts.push_back(current);
    current.clear();
    current_units = 0;
    open = false;
  };
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    const absl::string_view line =
        text.substr(start, end == absl::string_view::npos ? absl::string_view::npos : end - start);
    start = end == absl::string_view::npos ? text.size() : end + 1;
    const std::size_t units = Utf16Length(line);
    if (open && current_units + 1 + units <= limit) {
      absl::StrAppend(&current, "\n", line);
      current_units += 1 + units;
      continue;
    }
    flush();
    // A line too long for one message is cut between characters; its tail starts a new part.
    std::size_t i = 0;
    while (i < line.size()) {
      const auto lead = static_cast<unsigned char>(line[i]);
      const std::size_t width = Utf16Units(lead);
      if (current_units + width > limit) flush();
      const std::size_t bytes = std::min(SequenceLength(lead), line.size() - i);
      current.append(line.data() + i, bytes);
      current_units += width;
      open = true;
      i += bytes;
    }
    open = true;
  }
  flush();
  return parts;
}

DeliveryReport Notifier::SendToAll(const std::vector<std::string>& chat_ids,
                                   const std::string& text) {
  DeliveryReport report;
  std::vector<std::string> done;
  for (const std::string& raw : chat_ids) {
    std::string chat_id(absl::StripAsciiWhitespace(raw));
    // The same chat is often listed twice (telegram_id and telegram_id_2): tell it once.
    if (chat_id.empty() || std::find(done.begin(), done.end(), chat_id) != done.end()) continue;
    done.push_back(chat_id);
    absl::Status status = Send(chat_id, text);
    if (status.ok()) {
      ++report.sent;
    } else {
      ++report.failed;
      if (report.status.ok()) report.status = std::move(status);
    }
  }
  return report;
}

absl::StatusOr<std::shared_ptr<tiktok::HttpTransport>> MakeTelegramTransport(
    absl::Duration timeout) {
  tiktok::CurlTransportOptions options;
  options.timeout = timeout;
  options.max_idle_handles = 2;
  options.max_response_bytes = int64_t{1} << 20;
  options.user_agent = "ttads-telegram/1";
  absl::StatusOr<std::unique_ptr<tiktok::CurlTransport>> transport =
      tiktok::CurlTransport::Create(std::move(options));
  if (!transport.ok()) return transport.status();
  return std::shared_ptr<tiktok::HttpTransport>(*std::move(transport));
}

absl::StatusOr<std::unique_ptr<TelegramNotifier>> TelegramNotifier::Create(
    TelegramOptions options) {
  absl::StatusOr<std::shared_ptr<tiktok::HttpTransport>> transport =
      MakeTelegramTransport(options.timeout);
  if (!transport.ok()) return transport.status();
  return std::make_unique<TelegramNotifier>(std::move(options), *std::move(transport));
}

TelegramNotifier::TelegramNotifier(TelegramOptions options,
                                   std::shared_ptr<tiktok::HttpTransport> transport)
    : options_(std::move(options)), transport_(std::move(transport)) {}

absl::Status TelegramNotifier::Send(const std::string& chat_id, const std::string& text) {
  if (options_.bot_token.empty()) {
    return absl::FailedPreconditionError("Telegram: no bot token configured");
  }
  if (chat_id.empty()) return absl::InvalidArgumentError("Telegram: empty chat id");
  const std::vector<std::string> parts = SplitTelegramText(text);
  if (parts.empty()) return absl::InvalidArgumentError("Telegram: empty message");
  for (std::size_t i = 0; i < parts.size(); ++i) {
    absl::Status status = SendMessage(chat_id, parts[i]);
    if (!status.ok()) {
      if (parts.size() == 1) return status;
      return absl::Status(status.code(), absl::StrCat(status.message(), " (part ", i + 1, " of ",
                                                      parts.size(), ")"));
    }
  }
  return absl::OkStatus();
}

absl::Status TelegramNotifier::SendMessage(const std::string& chat_id, const std::string& text) {
  tiktok::HttpRequest request;
  request.method = tiktok::HttpMethod::kPost;
  request.url = absl::StrCat(absl::StripSuffix(options_.base_url, "/"), "/bot",
                             options_.bot_token, "/sendMessage");
  request.content_type = "application/json";
  // `replace`: a stray invalid UTF-8 byte becomes U+FFFD instead of throwing.
  request.body = Json{{"chat_id", chat_id}, {"text", text}, {"disable_web_page_preview", true}}
                     .dump(-1, ' ', false, Json::error_handler_t::replace);
  request.timeout = options_.timeout;
  // libcurl silently re-sends a request whose reused connection died; a fresh connection per
  // message means nobody gets the same notice twice (messages are rare, the handshake is cheap).
  request.fresh_connection = true;

  absl::StatusOr<tiktok::HttpResponse> response = transport_->Send(request, nullptr);
  if (!response.ok()) {
    return absl::Status(response.status().code(),
                        Redact(absl::StrCat("Telegram sendMessage: ", response.status().message())));
  }
  const Json body = Json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  const bool is_object = body.is_object();
  if (is_object && response->status == 200) {
    const auto ok = body.find("ok");
    if (ok != body.end() && ok->is_boolean() && ok->get<bool>()) return absl::OkStatus();
  }
  std::string description = "no Telegram answer";
  if (is_object) {
    const auto found = body.find("description");
    if (found != body.end() && found->is_string()) description = found->get<std::string>();
  }
  return absl::Status(
      CodeForHttpStatus(response->status),
      Redact(absl::StrCat("Telegram sendMessage: HTTP ", response->status, ": ", description)));
}

std::string TelegramNotifier::Redact(absl::string_view message) const {
  if (options_.bot_token.empty()) return std::string(message);
  return absl::StrReplaceAll(message, {{options_.bot_token, "<bot token>"}});
}

}  // namespace ttads::server
