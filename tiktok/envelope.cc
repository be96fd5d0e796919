#include "tiktok/envelope.h"

#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "simdjson.h"

namespace ttads::tiktok {
namespace {

namespace od = simdjson::ondemand;

// True once the document has been read to its end (simdjson 3.0 has no document::at_end()).
bool AtEnd(od::document& document) {
  const char* location = nullptr;
  return document.current_location().get(location) == simdjson::OUT_OF_BOUNDS;
}

absl::Status NotEnvelope(absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("not a TikTok envelope: ", why));
}

std::string_view TrimRight(std::string_view text) {
  while (!text.empty() && absl::ascii_isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

std::string Snippet(absl::string_view body) {
  std::string snippet(body.substr(0, 120));
  for (char& c : snippet) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return snippet;
}

}  // namespace

absl::StatusOr<Envelope> ParseEnvelope(absl::string_view body) {
  const simdjson::padded_string padded(body.data(), body.size());
  od::parser parser;
  od::document document;
  if (parser.iterate(padded).get(document)) return NotEnvelope("not JSON");
  od::object root;
  if (document.get_object().get(root)) return NotEnvelope("not a JSON object");
  Envelope envelope;
  bool has_code = false;
  for (auto field_result : root) {
    od::field field;
    if (std::move(field_result).get(field)) return NotEnvelope("malformed JSON");
    std::string_view key;
    if (field.unescaped_key().get(key)) return NotEnvelope("malformed JSON");
    od::value value = field.value();
    if (key == "code") {
      od::json_type type;
      if (value.type().get(type)) return NotEnvelope("malformed code");
      if (type == od::json_type::number) {
        int64_t code = 0;
        if (value.get_int64().get(code)) return NotEnvelope("code is not an integer");
        envelope.code = code;
        has_code = true;
      } else if (type == od::json_type::string) {
        std::string_view text;
        int64_t code = 0;
        if (value.get_string().get(text) ||
            !absl::SimpleAtoi(absl::string_view(text.data(), text.size()), &code)) {
          return NotEnvelope("code is not an integer");
        }
        envelope.code = code;
        has_code = true;
      } else {
        return NotEnvelope("code is not an integer");
      }
    } else if (key == "message" || key == "request_id") {
      od::json_type type;
      if (value.type().get(type)) return NotEnvelope("malformed JSON");
      std::string text;
      if (type == od::json_type::string) {
        std::string_view view;
        if (value.get_string().get(view)) return NotEnvelope("malformed JSON");
        text = std::string(view);
      } else if (type != od::json_type::null) {
        text = std::string(TrimRight(value.raw_json_token()));
      }
      (key == "message" ? envelope.message : envelope.request_id) = std::move(text);
    } else if (key == "data") {
      od::json_type type;
      if (value.type().get(type)) return NotEnvelope("malformed data");
      std::string_view raw;
      if (type == od::json_type::object) {
        od::object object;
        if (value.get_object().get(object) || object.raw_json().get(raw)) {
          return NotEnvelope("malformed data");
        }
      } else if (type == od::json_type::array) {
        od::array array;
        if (value.get_array().get(array) || array.raw_json().get(raw)) {
          return NotEnvelope("malformed data");
        }
      } else {
        raw = TrimRight(value.raw_json_token());
      }
      envelope.data_json = std::string(TrimRight(raw));
    }
  }
  if (!AtEnd(document)) return NotEnvelope("trailing content");
  if (!has_code) return NotEnvelope("no code");
  return envelope;
}

ResponseVerdict JudgeResponse(absl::string_view path, const HttpResponse& response,
                              const VerdictOptions& options) {
  ResponseVerdict verdict;
  const std::string log_id = response.Header("x-tt-logid");
  absl::StatusOr<Envelope> envelope = ParseEnvelope(response.body);
  if (envelope.ok()) {
    verdict.has_envelope = true;
    verdict.envelope = *std::move(envelope);
    if (!IsSuccessCode(verdict.envelope.code)) {
      verdict.error = ErrorForCode(verdict.envelope.code, verdict.envelope.message,
                                   verdict.envelope.request_id, path, response.status);
      verdict.error.log_id = log_id;
      verdict.status_code = LookupCode(verdict.envelope.code).status_code;
      return verdict;
    }
    if (options.parse_data) {
      absl::StatusOr<JsonValue> data = ParseJson(verdict.envelope.data_json);
      if (!data.ok()) {
        // A success envelope whose data cannot be read is as good as a garbled response.
        verdict.error.path = std::string(path);
        verdict.error.http_status = response.status;
        verdict.error.request_id = verdict.envelope.request_id;
        verdict.error.log_id = log_id;
        verdict.error.reason = std::string(kReasonBadData);
        verdict.error.message = std::string(data.status().message());
        verdict.error.retryable = true;
        verdict.status_code = absl::StatusCode::kUnavailable;
        return verdict;
      }
      verdict.data = *std::move(data);
    }
    verdict.ok = true;
    return verdict;
  }

  const int status = response.status;
  if (options.allow_file_body && status >= 200 && status < 300) {
    verdict.ok = true;
    verdict.is_file = true;
    return verdict;
  }
  TikTokError& error = verdict.error;
  error.path = std::string(path);
  error.http_status = status;
  error.log_id = log_id;
  if (status >= 500) {
    error.reason = std::string(kReasonHttp5xx);
    error.message = absl::StrCat("HTTP ", status, " from TikTok");
    error.retryable = true;
    verdict.status_code = absl::StatusCode::kUnavailable;
  } else if (status == 429) {
    error.reason = std::string(kReasonHttp429);
    error.message = "HTTP 429 from TikTok";
    error.retryable = true;
    error.rate_limited = true;
    verdict.status_code = absl::StatusCode::kResourceExhausted;
  } else if (status == 408) {
    error.reason = std::string(kReasonTimeout);
    error.message = "HTTP 408 from TikTok";
    error.retryable = true;
    verdict.status_code = absl::StatusCode::kDeadlineExceeded;
  } else if (status >= 400) {
    error.reason = std::string(kReasonHttp4xx);
    error.message = absl::StrCat("HTTP ", status,
                                 " without an API envelope (wrong path, method or base URL?)");
    verdict.status_code = status == 401 || status == 403 ? absl::StatusCode::kPermissionDenied
                          : status == 404 || status == 405 ? absl::StatusCode::kUnimplemented
                                                           : absl::StatusCode::kInvalidArgument;
  } else {
    // A 2xx/3xx that is not an envelope: an edge or proxy page. Treated as transient.
    const bool looks_json = ParseJson(response.body).ok();
    error.reason = std::string(looks_json ? kReasonNotEnvelope : kReasonNotJson);
    error.message = absl::StrCat("HTTP ", status, " body is not a TikTok envelope: \"",
                                 Snippet(response.body), "\"");
    error.retryable = true;
    verdict.status_code = absl::StatusCode::kUnavailable;
  }
  return verdict;
}

ResponseVerdict JudgeTransportFailure(absl::string_view path, const absl::Status& failure) {
  ResponseVerdict verdict;
  verdict.error.path = std::string(path);
  verdict.error.message = std::string(failure.message());
  const bool timeout = failure.code() == absl::StatusCode::kDeadlineExceeded;
  verdict.error.reason = std::string(timeout ? kReasonTimeout : kReasonTransport);
  // A response too large for the buffer will not shrink on a retry.
  verdict.error.retryable = failure.code() != absl::StatusCode::kResourceExhausted &&
                            failure.code() != absl::StatusCode::kInternal;
  verdict.status_code = failure.code() == absl::StatusCode::kResourceExhausted
                            ? absl::StatusCode::kInternal
                            : failure.code();
  return verdict;
}

}  // namespace ttads::tiktok
