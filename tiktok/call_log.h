// One structured record per HTTP attempt to TikTok, handed to a sink the owner sets (the
// server forwards it to its JSON log; tiktok/ does not depend on server/). A record never
// holds the access token, the app secret or request parameters.
#ifndef TTADS_TIKTOK_CALL_LOG_H_
#define TTADS_TIKTOK_CALL_LOG_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace ttads::tiktok {

struct CallLogRecord {
  std::string method;         // GET / POST
  std::string path;           // e.g. "campaign/get/"
  std::string advertiser_id;  // when the call names one
  int attempt = 1;            // 1-based
  bool final = true;          // false when another attempt follows
  int http_status = 0;        // 0 = no response
  int64_t code = 0;           // TikTok envelope code (0 also when no envelope)
  std::string request_id;     // envelope request_id
  std::string log_id;         // X-TT-LOGID header
  std::string outcome;        // "ok" or the error reason (RATE_LIMITED_APP, TRANSPORT, ...)
  std::string error;          // error message ("" when ok)
  absl::Duration duration;    // this attempt's HTTP time
  absl::Duration rate_limit_wait;  // time spent in the local rate limiter before it
  absl::Duration backoff;     // sleep before the next attempt (when !final)
  int64_t new_connections = 0;

  // As key/value pairs, the shape of the server's LogFields.
  std::vector<std::pair<std::string, std::string>> Fields() const {
    std::vector<std::pair<std::string, std::string>> fields = {
        {"method", method},
        {"path", path},
        {"attempt", absl::StrCat(attempt)},
        {"final", final ? "true" : "false"},
        {"http_status", absl::StrCat(http_status)},
        {"code", absl::StrCat(code)},
        {"request_id", request_id},
        {"outcome", outcome},
        {"duration_ms", absl::StrCat(absl::ToInt64Milliseconds(duration))},
        {"rate_limit_wait_ms", absl::StrCat(absl::ToInt64Milliseconds(rate_limit_wait))},
        {"new_connections", absl::StrCat(new_connections)},
    };
    if (!advertiser_id.empty()) fields.emplace_back("advertiser_id", advertiser_id);
    if (!log_id.empty()) fields.emplace_back("log_id", log_id);
    if (!error.empty()) fields.emplace_back("error", error);
    if (!final) {
      fields.emplace_back("backoff_ms", absl::StrCat(absl::ToInt64Milliseconds(backoff)));
    }
    return fields;
  }
};

using CallLogger = std::function<void(const CallLogRecord&)>;

}  // namespace ttads::tiktok

#endif  // TTADS_TIKTOK_CALL_LOG_H_
