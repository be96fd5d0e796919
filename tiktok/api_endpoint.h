// Where TikTok Marketing API calls go: TIKTOK_API_BASE_URL + "/" + TIKTOK_API_VERSION + "/" +
// the endpoint path with its trailing slash, and the advertiser authorization page the OAuth
// flow starts at.
#ifndef TTADS_TIKTOK_API_ENDPOINT_H_
#define TTADS_TIKTOK_API_ENDPOINT_H_

#include <string>

#include "absl/strings/string_view.h"

namespace ttads::tiktok {

inline constexpr absl::string_view kDefaultBaseUrl = "https://business-api.tiktok.com/open_api";
inline constexpr absl::string_view kDefaultVersion = "v1.3";
inline constexpr absl::string_view kAuthorizationPage =
    "https://business-api.tiktok.com/portal/auth";

struct ApiEndpoint {
  std::string base_url = std::string(kDefaultBaseUrl);
  std::string version = std::string(kDefaultVersion);

  // The URL of `path` ("campaign/get" or "/campaign/get/"): slashes normalised, exactly one
  // trailing slash (TikTok answers 404 without it).
  std::string Url(absl::string_view path) const;
  // Url(path) followed by "?" and `query` when `query` is not empty (query already encoded).
  std::string UrlWithQuery(absl::string_view path, absl::string_view query) const;
};

// The canonical form of an endpoint path: no leading slash, exactly one trailing slash
// ("/campaign/get" -> "campaign/get/"). Used for logs, rate-limit keys and error payloads.
std::string NormalizePath(absl::string_view path);

// The page an advertiser opens to grant ttads access: app_id, state and redirect_uri,
// URL-encoded.
std::string AuthorizationUrl(absl::string_view app_id, absl::string_view state,
                             absl::string_view redirect_uri);

// RFC 3986 percent-encoding of everything but unreserved characters.
std::string UrlEncode(absl::string_view text);

}  // namespace ttads::tiktok

#endif  // TTADS_TIKTOK_API_ENDPOINT_H_
