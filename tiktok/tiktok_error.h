// TikTok's return codes (reference §11) mapped to absl::Status, and the payload every failed
// call carries.
//
// ONE table (ErrorTable()) maps every documented code or code range to an absl::StatusCode and
// the flags the client and its callers act on:
//   retryable    - the retry policy may try again (with backoff);
//   limited      - retryable, but only a few times (TikTok-internal errors, "retry, limited");
//   rate_limited - TikTok refused for frequency (40016, 40100, 40132, 40133, 61000): the
//                  request was not processed, so even a non-idempotent call may be re-sent;
//   needs_reauth - the advertiser's token is missing, invalid or expired (40102, 40104,
//                  40105): ask the user to reconnect TikTok; never retried.
// 0 and 20001 (partial success) are successes at the envelope level; 20001 results carry
// per-item errors (e.g. error_list).
//
// Deliberately NOT copied from the existing system (reference §14): 40001 is "no permission"
// (PERMISSION_DENIED), not an invalid token; 40300/40301 concern the advertiser (NOT_FOUND /
// PERMISSION_DENIED), not parameters; 50002 and 51000-51099 are transient TikTok-side errors
// (UNAVAILABLE, retryable), not "advertiser not authorised" / "not found"; 52xxx/53xxx are
// TikTok DB/serialisation errors (UNAVAILABLE, retryable), not budget/creative errors; 40102 and
// 40105 are mapped (needs_reauth).
//
// Every failed TikTok call returns a Status with a payload under kTikTokErrorTypeUrl holding
// TikTokError (serialised as a small JSON object, see SerializeTikTokError). Read it back with
// TikTokErrorOf(status). Failures that never produced an envelope (transport errors, HTTP 5xx,
// HTML bodies) carry a payload too, with code 0 and a `reason` saying what happened.
// The server converts this payload to google.rpc.ErrorInfo; it is not a protobuf.
#ifndef TTADS_TIKTOK_TIKTOK_ERROR_H_
#define TTADS_TIKTOK_TIKTOK_ERROR_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace ttads::tiktok {

inline constexpr absl::string_view kTikTokErrorTypeUrl =
    "type.googleapis.com/ttads.tiktok.TikTokError";

// One row of the table: codes lo..hi (inclusive).
struct CodeInfo {
  int64_t lo;
  int64_t hi;
  absl::StatusCode status_code;
  bool retryable;
  bool limited;
  bool rate_limited;
  bool needs_reauth;
  const char* reason;   // stable UPPER_SNAKE name, e.g. "RATE_LIMITED_APP"
  const char* meaning;  // short English description
};

// Every documented code, ascending by `lo`.
absl::Span<const CodeInfo> ErrorTable();

// The row for `code`. Codes not in the table fall back by range: 4xxxx -> UNKNOWN, not
// retryable (reason "UNDOCUMENTED_CLIENT_ERROR"); 5xxxx/6xxxx -> UNAVAILABLE, retryable
// (limited) (reason "UNDOCUMENTED_SERVER_ERROR"); anything else -> UNKNOWN, not retryable.
const CodeInfo& LookupCode(int64_t code);

// True for envelope codes that mean success (0 and 20001).
inline bool IsSuccessCode(int64_t code) { return code == 0 || code == 20001; }

// What a failed call carries. `code` is TikTok's envelope code (0 when no envelope came back).
struct TikTokError {
  int64_t code = 0;
  std::string message;     // TikTok's message (or the transport error)
  std::string request_id;  // the envelope's request_id (TikTok's log id of the call)
  std::string log_id;      // X-TT-LOGID header, when present
  std::string path;        // endpoint, e.g. "campaign/create/"
  int http_status = 0;     // 0 = no HTTP response
  std::string reason;      // CodeInfo::reason, or TRANSPORT / TIMEOUT / HTTP_5XX / ...
  bool retryable = false;
  bool limited = false;
  bool rate_limited = false;
  bool needs_reauth = false;
  int attempts = 0;        // HTTP attempts made for the call
};

// Reasons for failures that have no envelope code.
inline constexpr absl::string_view kReasonTransport = "TRANSPORT";        // connect/reset/...
inline constexpr absl::string_view kReasonTimeout = "TIMEOUT";            // call timed out
inline constexpr absl::string_view kReasonHttp5xx = "HTTP_5XX";           // gateway/server
inline constexpr absl::string_view kReasonHttp429 = "HTTP_429";
inline constexpr absl::string_view kReasonHttp4xx = "HTTP_4XX";           // wrong path/method
inline constexpr absl::string_view kReasonNotJson = "NOT_JSON";           // HTML etc.
inline constexpr absl::string_view kReasonNotEnvelope = "NOT_ENVELOPE";   // JSON without code
inline constexpr absl::string_view kReasonBadData = "MALFORMED_DATA";     // data unreadable
inline constexpr absl::string_view kReasonLocalRateLimit = "LOCAL_RATE_LIMIT";
inline constexpr absl::string_view kReasonDeadline = "DEADLINE";          // retry budget spent
inline constexpr absl::string_view kReasonOutcomeUnknown = "OUTCOME_UNKNOWN";
inline constexpr absl::string_view kReasonPartialCreate = "PARTIALLY_CREATED";

// The Status for an envelope with a non-success code.
TikTokError ErrorForCode(int64_t code, absl::string_view message, absl::string_view request_id,
                         absl::string_view path, int http_status);
// Builds the Status: `code` decides the status code for envelope errors; `status_code` is used
// when error.code == 0. The message reads "TikTok <path>: <detail>".
absl::Status MakeTikTokStatus(absl::StatusCode status_code, const TikTokError& error);
absl::Status StatusForError(const TikTokError& error);

// Serialized payload (JSON object) and its inverse.
std::string SerializeTikTokError(const TikTokError& error);
std::optional<TikTokError> ParseTikTokError(absl::string_view serialized);

// The TikTokError carried by `status`, if any.
std::optional<TikTokError> TikTokErrorOf(const absl::Status& status);
// Replaces the payload of `status` with `error`.
void SetTikTokError(absl::Status* status, const TikTokError& error);

// Convenience readers (false when there is no payload).
bool IsRetryableTikTokError(const absl::Status& status);
bool IsRateLimitedTikTokError(const absl::Status& status);
bool NeedsReauth(const absl::Status& status);
// TikTok's envelope code, or 0.
int64_t TikTokCodeOf(const absl::Status& status);

}  // namespace ttads::tiktok

#endif  // TTADS_TIKTOK_TIKTOK_ERROR_H_
