#include "tiktok/tiktok_error.h"

#include <iterator>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "tiktok/json_value.h"
#include "tiktok/lenient.h"

namespace ttads::tiktok {
namespace {

using absl::StatusCode;

constexpr bool kR = true;   // retryable
constexpr bool kNo = false;

// lo, hi, status, retryable, limited, rate_limited, needs_reauth, reason, meaning
constexpr CodeInfo kTable[] = {
    {0, 0, StatusCode::kOk, kNo, kNo, kNo, kNo, "OK", "OK"},
    {20001, 20001, StatusCode::kOk, kNo, kNo, kNo, kNo, "PARTIAL_SUCCESS",
     "partially successful; check per-item results"},
    {40000, 40000, StatusCode::kInvalidArgument, kNo, kNo, kNo, kNo, "INVALID_PARAMETERS",
     "invalid parameters"},
    {40001, 40001, StatusCode::kPermissionDenied, kNo, kNo, kNo, kNo, "NO_PERMISSION",
     "no permission for the operation or object (not a token problem)"},
    {40002, 40002, StatusCode::kInvalidArgument, kNo, kNo, kNo, kNo, "VALIDATION_FAILED",
     "parameter validation failed; the message says what"},
    {40003, 40003, StatusCode::kPermissionDenied, kNo, kNo, kNo, kNo, "FORBIDDEN", "forbidden"},
    {40006, 40006, StatusCode::kInvalidArgument, kNo, kNo, kNo, kNo, "PARAMETER_NOT_SUPPORTED",
     "parameter not supported in this API version"},
    {40007, 40007, StatusCode::kNotFound, kNo, kNo, kNo, kNo, "OBJECT_NOT_FOUND",
     "object does not exist"},
    {40008, 40008, StatusCode::kUnimplemented, kNo, kNo, kNo, kNo, "ENDPOINT_NOT_IMPLEMENTED",
     "endpoint not implemented (or not in the sandbox)"},
    {40009, 40009, StatusCode::kFailedPrecondition, kNo, kNo, kNo, kNo, "SANDBOX_LIMITATION",
     "sandbox limitation"},
    {40010, 40010, StatusCode::kFailedPrecondition, kNo, kNo, kNo, kNo, "WRONG_DOMAIN",
     "wrong domain / base URL"},
    {40011, 40011, StatusCode::kInvalidArgument, kNo, kNo, kNo, kNo, "TOO_MANY_IDS",
     "too many ids in one request"},
    {40012, 40012, StatusCode::kFailedPrecondition, kNo, kNo, kNo, kNo, "NO_UPDATE",
     "nothing changed"},
    {40013, 40014, StatusCode::kFailedPrecondition, kNo, kNo, kNo, kNo, "SANDBOX_LIMITATION",
     "sandbox limitation"},
    {40016, 40016, StatusCode::kResourceExhausted, kR, kNo, kR, kNo, "FREQUENCY_CONTROL",
     "requests too frequent (business frequency control)"},
    {40050, 40050, StatusCode::kAlreadyExists, kNo, kNo, kNo, kNo, "DUPLICATED_REQUEST",
     "duplicated request (already done; verify)"},
    {40051, 40051, StatusCode::kFailedPrecondition, kNo, kNo, kNo, kNo, "INVALID_API_VERSION",
     "invalid API version"},
    {40053, 40053, StatusCode::kInvalidArgument, kNo, kNo, kNo, kNo, "INVALID_VIDEO_ID",
     "invalid video id"},
    {40065, 40065, StatusCode::kInvalidArgument, kNo, kNo, kNo, kNo, "TARGETING_NOT_ALLOWED",
     "targeting not allowed (US 13-17)"},
    {40100, 40100, StatusCode::kResourceExhausted, kR, kNo, kR, kNo, "RATE_LIMITED_APP",
     "app-level rate limit for the endpoint"},
    {40101, 40101, StatusCode::kUnauthenticated, kNo, kNo, kNo, kNo, "INVALID_AUTH_PARAMETERS",
     "invalid app_id/secret or auth_code"},
    {40102, 40102, StatusCode::kUnauthenticated, kNo, kNo, kNo, kR, "ACCESS_TOKEN_EXPIRED",
     "access token expired: reauthorize"},
    {40103, 40103, StatusCode::kUnauthenticated, kNo, kNo, kNo, kNo, "REFRESH_TOKEN_EXPIRED",
     "refresh token expired"},
    {40104, 40104, StatusCode::kUnauthenticated, kNo, kNo, kNo, kR, "ACCESS_TOKEN_MISSING",
     "access token empty or header missing: reauthorize"},
    {40105, 40105, StatusCode::kUnauthenticated, kNo, kNo, kNo, kR, "ACCESS_TOKEN_INVALID",
     "access token invalid or revoked: reauthorize"},
    {40106, 40106, StatusCode::kPermissionDenied, kNo, kNo, kNo, kNo, "CORE_USER_INVALID",
     "token does not belong to this advertiser"},
    {40107, 40107, StatusCode::kUnauthenticated, kNo, kNo, kNo, kNo, "REFRESH_TOKEN_INVALID",
     "refresh token invalid"},
    {40108, 40108, StatusCode::kInvalidArgument, kNo, kNo, kNo, kNo, "INVALID_GRANT_TYPE",
     "invalid grant_type"},
    {40109, 40109, StatusCode::kUnauthenticated, kNo, kNo, kNo, kNo, "DECIPHER_ERROR",
     "decipher error"},
    {40110, 40110, StatusCode::kInvalidArgument, kNo, kNo, kNo, kNo, "AUTH_CODE_INVALID",
     "auth_code invalid, used or expired: restart OAuth"},
    {40112, 40112, StatusCode::kUnauthenticated, kNo, kNo, kNo, kNo, "WRONG_PASSWORD",
     "wrong password"},
    {40113, 40113, StatusCode::kPermissionDenied, kNo, kNo, kNo, kNo, "APP_BLOCKED",
     "app blocked, not found, or not the token's app"},
    {40114, 40114, StatusCode::kFailedPrecondition, kNo, kNo, kNo, kNo, "ADVERTISER_LOGGED_OUT",
     "advertiser logged out"},
    {40115, 40115, StatusCode::kUnauthenticated, kNo, kNo, kNo, kNo, "AUTH_TIMESTAMP_EXPIRED",
     "authentication timestamp expired"},
    {40116, 40116, StatusCode::kUnauthenticated, kNo, kNo, kNo, kNo, "INVALID_AUTH_SIGNATURE",
     "invalid auth signature"},
    {40117, 40117, StatusCode::kPermissionDenied, kNo, kNo, kNo, kNo, "METHOD_NOT_ALLOWED",
     "method cannot be used"},
    {40118, 40118, StatusCode::kPermissionDenied, kNo, kNo, kNo, kNo, "NOT_ALLOWLISTED",
     "not on the allowlist for the feature"},
    {40119, 40119, StatusCode::kPermissionDenied, kNo, kNo, kNo, kNo, "DIFFERENT_COMPANY",
     "developer and advertiser are not the same company"},
    {40120, 40129, StatusCode::kPermissionDenied, kNo, kNo, kNo, kNo, "CREATOR_AUTH_ERROR",
     "TikTok-user / creator / developer-profile / GARM authorization problem"},
    {40130, 40130, StatusCode::kPermissionDenied, kNo, kNo, kNo, kNo, "SCOPE_NOT_AUTHORIZED",
     "scope not authorised"},
    {40131, 40131, StatusCode::kPermissionDenied, kNo, kNo, kNo, kNo, "TT_USER_OAUTH_FAILED",
     "TikTok user OAuth failed"},
    {40132, 40132, StatusCode::kResourceExhausted, kR, kNo, kR, kNo, "RATE_LIMITED_FIELD_VALUE",
     "QPS limit for a specific field value"},
    {40133, 40133, StatusCode::kResourceExhausted, kR, kNo, kR, kNo, "RATE_LIMITED_ADVERTISER",
     "advertiser-level QPS limit for the path"},
    {40200, 40200, StatusCode::kInternal, kNo, kNo, kNo, kNo, "ASYNC_TASK_ERROR",
     "async task error"},
    {40201, 40201, StatusCode::kUnavailable, kR, kNo, kNo, kNo, "TASK_NOT_READY",
     "task not ready (poll later)"},
    {40202, 40202, StatusCode::kAborted, kR, kNo, kNo, kNo, "WRITE_CONFLICT",
     "write/update conflict on the entity"},
    {40300, 40300, StatusCode::kNotFound, kNo, kNo, kNo, kNo, "ADVERTISER_NOT_FOUND",
     "advertiser does not exist or was deleted"},
    {40301, 40301, StatusCode::kPermissionDenied, kNo, kNo, kNo, kNo, "ADVERTISER_ROLE_ERROR",
     "advertiser cannot be matched (role error)"},
    {40302, 40302, StatusCode::kNotFound, kNo, kNo, kNo, kNo, "CUSTOMER_ADVERTISER_NOT_FOUND",
     "customer advertiser does not exist"},
    {40309, 40309, StatusCode::kUnauthenticated, kNo, kNo, kNo, kNo, "LOGIN_REQUIRED",
     "login required"},
    {40400, 40400, StatusCode::kUnimplemented, kNo, kNo, kNo, kNo, "ROUTE_NOT_FOUND",
     "route not found"},
    {40502, 40502, StatusCode::kFailedPrecondition, kNo, kNo, kNo, kNo, "MAX_ADS_REACHED",
     "maximum number of ads reached"},
    {40700, 40700, StatusCode::kInvalidArgument, kNo, kNo, kNo, kNo, "INTERNAL_VALIDATION_FAILED",
     "internal service validation error (like 40002)"},
    {40900, 40900, StatusCode::kInvalidArgument, kNo, kNo, kNo, kNo, "FILE_SIGNATURE_MISMATCH",
     "file signature (MD5) mismatch"},
    {40901, 40901, StatusCode::kUnavailable, kR, kNo, kNo, kNo, "VIDEO_TRANSCODING",
     "video transcoding in progress (retry later)"},
    {40902, 40902, StatusCode::kUnavailable, kR, kNo, kNo, kNo, "URL_FETCH_FAILED",
     "could not fetch the URL"},
    {40903, 40903, StatusCode::kUnavailable, kR, kNo, kNo, kNo, "IMAGE_URL_UNAVAILABLE",
     "image URL unavailable"},
    {40904, 40904, StatusCode::kInvalidArgument, kNo, kNo, kNo, kNo, "ILLEGAL_IMAGE_CONTENT",
     "illegal image content"},
    {40905, 40905, StatusCode::kInvalidArgument, kNo, kNo, kNo, kNo, "FILE_MISSING",
     "file missing"},
    {40906, 40906, StatusCode::kInvalidArgument, kNo, kNo, kNo, kNo, "FILE_EMPTY", "file empty"},
    {40907, 40907, StatusCode::kInvalidArgument, kNo, kNo, kNo, kNo, "FILE_TOO_LARGE",
     "file too large"},
    {40908, 40908, StatusCode::kInvalidArgument, kNo, kNo, kNo, kNo, "FILE_TYPE_INVALID",
     "bad file type"},
    {40909, 40909, StatusCode::kInvalidArgument, kNo, kNo, kNo, kNo, "INVALID_CALCULATE_TYPE",
     "bad calculate_type"},
    {40910, 40910, StatusCode::kInvalidArgument, kNo, kNo, kNo, kNo, "FILE_EXPIRED",
     "file expired"},
    {40911, 40911, StatusCode::kAlreadyExists, kNo, kNo, kNo, kNo, "DUPLICATE_MATERIAL_NAME",
     "duplicate material (file) name"},
    {40912, 40912, StatusCode::kInvalidArgument, kNo, kNo, kNo, kNo, "IMAGE_URL_INVALID",
     "image URL unavailable"},
    {40913, 40913, StatusCode::kUnavailable, kR, kNo, kNo, kNo, "IMAGE_FETCH_TIMEOUT",
     "image fetch timeout"},
    {40914, 40914, StatusCode::kInvalidArgument, kNo, kNo, kNo, kNo, "INVALID_FILE",
     "invalid file"},
    {40915, 40915, StatusCode::kInvalidArgument, kNo, kNo, kNo, kNo, "FILE_SPEC_VIOLATION",
     "file violates the spec"},
    {40916, 40916, StatusCode::kInvalidArgument, kNo, kNo, kNo, kNo, "ILLEGAL_VIDEO_CONTENT",
     "illegal video content"},
    {41000, 41000, StatusCode::kPermissionDenied, kNo, kNo, kNo, kNo, "BANNED_COUNTRY_IP",
     "client IP in a banned country"},
    {41001, 41001, StatusCode::kUnimplemented, kNo, kNo, kNo, kNo, "INTERFACE_OFFLINE",
     "interface offline"},
    {41002, 41002, StatusCode::kInvalidArgument, kNo, kNo, kNo, kNo, "FIELDS_NOT_IN_USE",
     "fields no longer in use"},
    {50000, 50000, StatusCode::kUnavailable, kR, kNo, kNo, kNo, "SYSTEM_ERROR", "system error"},
    {50002, 50002, StatusCode::kUnavailable, kR, kR, kNo, kNo, "PROCESSING_ERROR",
     "error processing the request on TikTok's side"},
    {51000, 51099, StatusCode::kUnavailable, kR, kR, kNo, kNo, "INTERNAL_SERVICE_ERROR",
     "TikTok internal dependent-service error"},
    {52000, 52204, StatusCode::kUnavailable, kR, kR, kNo, kNo, "INTERNAL_STORAGE_ERROR",
     "TikTok internal DB/cache/object-storage error"},
    {53102, 53103, StatusCode::kUnavailable, kR, kR, kNo, kNo, "SERIALIZATION_ERROR",
     "TikTok (de)serialization error"},
    {60001, 60001, StatusCode::kUnavailable, kR, kNo, kNo, kNo, "MAINTENANCE",
     "system in maintenance"},
    {61000, 61000, StatusCode::kResourceExhausted, kR, kNo, kR, kNo, "THROTTLED",
     "too many requests (block-list throttling; meaning inferred)"},
    {70001, 70001, StatusCode::kInvalidArgument, kNo, kNo, kNo, kNo, "INVALID_BUSINESS_AUTH_TYPE",
     "invalid business auth type"},
};

constexpr CodeInfo kUnknownClientError = {0,  0,   StatusCode::kUnknown,
                                          kNo, kNo, kNo,
                                          kNo, "UNDOCUMENTED_CLIENT_ERROR",
                                          "undocumented 4xxxx code"};
constexpr CodeInfo kUnknownServerError = {0,  0,   StatusCode::kUnavailable,
                                          kR, kR,  kNo,
                                          kNo, "UNDOCUMENTED_SERVER_ERROR",
                                          "undocumented 5xxxx/6xxxx code"};
constexpr CodeInfo kUnknownCode = {0,   0,   StatusCode::kUnknown, kNo, kNo, kNo, kNo,
                                   "UNDOCUMENTED_CODE", "undocumented code"};

std::string Detail(const TikTokError& error) {
  std::string detail;
  if (error.code != 0) absl::StrAppend(&detail, "code ", error.code, " ");
  if (!error.reason.empty()) absl::StrAppend(&detail, error.reason);
  if (!error.message.empty()) absl::StrAppend(&detail, detail.empty() ? "" : ": ", error.message);
  if (error.http_status != 0 && error.code == 0) {
    absl::StrAppend(&detail, " (HTTP ", error.http_status, ")");
  }
  if (!error.request_id.empty()) absl::StrAppend(&detail, " (request_id ", error.request_id, ")");
  return detail;
}

}  // namespace

absl::Span<const CodeInfo> ErrorTable() { return absl::MakeConstSpan(kTable); }

const CodeInfo& LookupCode(int64_t code) {
  for (const CodeInfo& row : kTable) {
    if (code >= row.lo && code <= row.hi) return row;
  }
  if (code >= 40000 && code < 50000) return kUnknownClientError;
  if (code >= 50000 && code < 70000) return kUnknownServerError;
  return kUnknownCode;
}

TikTokError ErrorForCode(int64_t code, absl::string_view message, absl::string_view request_id,
                         absl::string_view path, int http_status) {
  const CodeInfo& info = LookupCode(code);
  TikTokError error;
  error.code = code;
  error.message = std::string(message);
  error.request_id = std::string(request_id);
  error.path = std::string(path);
  error.http_status = http_status;
  error.reason = info.reason;
  error.retryable = info.retryable;
  error.limited = info.limited;
  error.rate_limited = info.rate_limited;
  error.needs_reauth = info.needs_reauth;
  return error;
}

absl::Status MakeTikTokStatus(absl::StatusCode status_code, const TikTokError& error) {
  if (status_code == StatusCode::kOk) status_code = StatusCode::kUnknown;
  absl::Status status(status_code, absl::StrCat("TikTok ", error.path, ": ", Detail(error)));
  SetTikTokError(&status, error);
  return status;
}

absl::Status StatusForError(const TikTokError& error) {
  return MakeTikTokStatus(LookupCode(error.code).status_code, error);
}

std::string SerializeTikTokError(const TikTokError& error) {
  nlohmann::json json = {
      {"code", error.code},
      {"message", error.message},
      {"request_id", error.request_id},
      {"log_id", error.log_id},
      {"path", error.path},
      {"http_status", error.http_status},
      {"reason", error.reason},
      {"retryable", error.retryable},
      {"limited", error.limited},
      {"rate_limited", error.rate_limited},
      {"needs_reauth", error.needs_reauth},
      {"attempts", error.attempts},
  };
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<TikTokError> ParseTikTokError(absl::string_view serialized) {
  absl::StatusOr<JsonValue> json = ParseJson(serialized);
  if (!json.ok() || !json->is_object()) return std::nullopt;
  const JsonValue* root = &*json;
  TikTokError error;
  error.code = ReadIntField(root, "code").value_or(0);
  error.message = ReadStringField(root, "message");
  error.request_id = ReadStringField(root, "request_id");
  error.log_id = ReadStringField(root, "log_id");
  error.path = ReadStringField(root, "path");
  error.http_status = static_cast<int>(ReadIntField(root, "http_status").value_or(0));
  error.reason = ReadStringField(root, "reason");
  error.retryable = ReadBoolField(root, "retryable");
  error.limited = ReadBoolField(root, "limited");
  error.rate_limited = ReadBoolField(root, "rate_limited");
  error.needs_reauth = ReadBoolField(root, "needs_reauth");
  error.attempts = static_cast<int>(ReadIntField(root, "attempts").value_or(0));
  return error;
}

std::optional<TikTokError> TikTokErrorOf(const absl::Status& status) {
  const auto payload = status.GetPayload(kTikTokErrorTypeUrl);
  if (!payload.has_value()) return std::nullopt;
  return ParseTikTokError(std::string(*payload));
}

void SetTikTokError(absl::Status* status, const TikTokError& error) {
  if (status->ok()) return;
  status->SetPayload(kTikTokErrorTypeUrl, absl::Cord(SerializeTikTokError(error)));
}

bool IsRetryableTikTokError(const absl::Status& status) {
  const std::optional<TikTokError> error = TikTokErrorOf(status);
  return error.has_value() && error->retryable;
}

bool IsRateLimitedTikTokError(const absl::Status& status) {
  const std::optional<TikTokError> error = TikTokErrorOf(status);
  return error.has_value() && error->rate_limited;
}

bool NeedsReauth(const absl::Status& status) {
  const std::optional<TikTokError> error = TikTokErrorOf(status);
  return error.has_value() && error->needs_reauth;
}

int64_t TikTokCodeOf(const absl::Status& status) {
  const std::optional<TikTokError> error = TikTokErrorOf(status);
  return error.has_value() ? error->code : 0;
}

}  // namespace ttads::tiktok
