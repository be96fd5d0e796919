// TikTok's response envelope {code, message, request_id, data} and how one HTTP response is
// judged (reference §1): the envelope decides success, not the HTTP status. A body that is not
// an envelope is judged by the HTTP status: 5xx, 408, 429 and non-JSON 2xx bodies (HTML or
// Cloudflare pages) are retryable; other 4xx mean the request never reached the API (wrong
// path, method or base URL) and are not.
#ifndef TTADS_TIKTOK_ENVELOPE_H_
#define TTADS_TIKTOK_ENVELOPE_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tiktok/http_transport.h"
#include "tiktok/json_value.h"
#include "tiktok/tiktok_error.h"

namespace ttads::tiktok {

struct Envelope {
  int64_t code = 0;
  std::string message;
  std::string request_id;
  // The `data` member exactly as TikTok sent it ("null" when absent).
  std::string data_json = "null";
};

// Reads the envelope of `body`. INVALID_ARGUMENT when the body is not JSON, not an object, or
// has no integer `code` (a numeric string is accepted).
absl::StatusOr<Envelope> ParseEnvelope(absl::string_view body);

// The judgement of one HTTP response.
struct ResponseVerdict {
  bool ok = false;
  // ok and the body is a file (not an envelope); only when file bodies are allowed.
  bool is_file = false;
  Envelope envelope;    // when an envelope was read
  bool has_envelope = false;
  JsonValue data;       // parsed envelope data (when ok, parse_data and has_envelope)
  TikTokError error;    // when !ok
  absl::StatusCode status_code = absl::StatusCode::kOk;  // when !ok
};

struct VerdictOptions {
  bool parse_data = true;       // parse envelope data into ResponseVerdict::data
  bool allow_file_body = false; // a non-JSON 2xx body is the payload (lead download)
};

ResponseVerdict JudgeResponse(absl::string_view path, const HttpResponse& response,
                              const VerdictOptions& options);

// The verdict for a transport failure (Status from HttpTransport::Send).
ResponseVerdict JudgeTransportFailure(absl::string_view path, const absl::Status& failure);

}  // namespace ttads::tiktok

#endif  // TTADS_TIKTOK_ENVELOPE_H_
