#include "tiktok/api_endpoint.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"

namespace ttads::tiktok {

std::string ApiEndpoint::Url(absl::string_view path) const {
  absl::string_view base = base_url;
  while (absl::ConsumeSuffix(&base, "/")) {
  }
  absl::string_view trimmed = path;
  while (absl::ConsumePrefix(&trimmed, "/")) {
  }
  while (absl::ConsumeSuffix(&trimmed, "/")) {
  }
  absl::string_view trimmed_version = version;
  while (absl::ConsumePrefix(&trimmed_version, "/")) {
  }
  while (absl::ConsumeSuffix(&trimmed_version, "/")) {
  }
  return absl::StrCat(base, "/", trimmed_version, "/", trimmed, "/");
}

std::string ApiEndpoint::UrlWithQuery(absl::string_view path, absl::string_view query) const {
  std::string url = Url(path);
  if (!query.empty()) absl::StrAppend(&url, "?", query);
  return url;
}

std::string NormalizePath(absl::string_view path) {
  absl::string_view trimmed = path;
  while (absl::ConsumePrefix(&trimmed, "/")) {
  }
  while (absl::ConsumeSuffix(&trimmed, "/")) {
  }
  return absl::StrCat(trimmed, "/");
}

std::string UrlEncode(absl::string_view text) {
  std::string out;
  for (const char c : text) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      absl::StrAppendFormat(&out, "%%%02X", static_cast<unsigned char>(c));
    }
  }
  return out;
}

std::string AuthorizationUrl(absl::string_view app_id, absl::string_view state,
                             absl::string_view redirect_uri) {
  return absl::StrCat(kAuthorizationPage, "?app_id=", UrlEncode(app_id),
                      "&state=", UrlEncode(state), "&redirect_uri=", UrlEncode(redirect_uri));
}

}  // namespace ttads::tiktok
