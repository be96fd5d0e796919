#include "server/tiktok_status.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/rpc_status.h"
#include "tiktok/tiktok_error.h"

namespace ttads::server {

absl::Status FromTikTokStatus(const absl::Status& status) {
  if (status.ok()) return status;
  const std::optional<tiktok::TikTokError> error = tiktok::TikTokErrorOf(status);
  if (!error.has_value()) return status;
  absl::StatusCode code = status.code();
  std::string reason = "TIKTOK_API_ERROR";
  if (error->needs_reauth) {
    code = absl::StatusCode::kFailedPrecondition;
    reason = "NEEDS_REAUTH";
  }
  // The client's messages already start with "TikTok <path>: " (MakeTikTokStatus); prefixing
  // them again made every TikTok error read "TikTok x/: TikTok x/: ...".
  const std::string prefix = absl::StrCat("TikTok ", error->path, ": ");
  std::string message(status.message());
  if (error->needs_reauth) {
    message = absl::StrCat("TikTok rejected the stored access token (", error->code,
                           "): connect the TikTok account again");
  } else if (!absl::StartsWith(message, prefix)) {
    message = absl::StrCat(prefix, message);
  }
  std::map<std::string, std::string> metadata = {{"tiktok_code", absl::StrCat(error->code)},
                                                 {"tiktok_message", error->message},
                                                 {"tiktok_request_id", error->request_id},
                                                 {"path", error->path}};
  if (!error->reason.empty()) metadata["tiktok_reason"] = error->reason;
  return WithErrorInfo(absl::Status(code, message), reason,
                       error->needs_reauth ? "ttads.v1" : "business-api.tiktok.com", metadata);
}

std::string UserFacingMessage(const absl::Status& status) {
  const int64_t code = tiktok::TikTokCodeOf(status);
  if (code >= 40000 && code <= 40999) {
    if (auto error = tiktok::TikTokErrorOf(status); error && !error->message.empty()) {
      return error->message;
    }
  }
  return std::string(FromTikTokStatus(status).message());
}

}  // namespace ttads::server
