#include "server/jwt.h"

#include <simdjson.h>

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/crypto_util.h"
#include "server/json_text.h"

namespace ttads::server {
namespace {

absl::Status Unauthenticated(absl::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("invalid JWT: ", why));
}

// Base64url without padding, as JWTs use.
std::string Base64Url(absl::string_view bytes) {
  std::string encoded = absl::WebSafeBase64Escape(bytes);
  return encoded;
}

bool ReadNumericDate(simdjson::ondemand::object& object, const char* name, int64_t& seconds,
                     bool& present) {
  present = false;
  simdjson::ondemand::value value;
  // Only a missing field is "absent". Any other error is malformed JSON, after which simdjson's
  // iterator is dead: reading on (the next claim) dereferenced a null parser.
  const simdjson::error_code found = object.find_field_unordered(name).get(value);
  if (found == simdjson::NO_SUCH_FIELD) return true;
  if (found != simdjson::SUCCESS) return false;
  present = true;
  double number = 0;
  if (value.get_double().get(number) != simdjson::SUCCESS) return false;
  // Converting a double beyond int64 (e.g. 1e300) is undefined behaviour: such a date is refused.
  if (!(number >= -9.2e18 && number <= 9.2e18)) return false;
  seconds = static_cast<int64_t>(number);
  return true;
}

}  // namespace

absl::StatusOr<JwtClaims> VerifyJwt(absl::string_view token, absl::string_view secret,
                                    absl::Time now, absl::Duration leeway) {
  if (secret.empty()) return Unauthenticated("JWTs are not accepted (TTADS_JWT_SECRET unset)");
  const std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3) return Unauthenticated("expected three dot-separated parts");

  std::string header_json, payload_json, signature;
  if (!absl::WebSafeBase64Unescape(parts[0], &header_json) ||
      !absl::WebSafeBase64Unescape(parts[1], &payload_json) ||
      !absl::WebSafeBase64Unescape(parts[2], &signature)) {
    return Unauthenticated("not base64url");
  }
  const std::string expected =
      HmacSha256(secret, absl::StrCat(parts[0], ".", parts[1]));
  if (!ConstantTimeEquals(signature, expected)) return Unauthenticated("bad signature");

  simdjson::ondemand::parser parser;
  {
    simdjson::padded_string padded(header_json);
    simdjson::ondemand::document header;
    std::string_view algorithm;
    if (parser.iterate(padded).get(header) != simdjson::SUCCESS ||
        header["alg"].get_string().get(algorithm) != simdjson::SUCCESS) {
      return Unauthenticated("unreadable header");
    }
    if (algorithm != "HS256") return Unauthenticated("algorithm must be HS256");
  }

  simdjson::padded_string padded(payload_json);
  simdjson::ondemand::document payload;
  simdjson::ondemand::object claims;
  if (parser.iterate(padded).get(payload) != simdjson::SUCCESS ||
      payload.get_object().get(claims) != simdjson::SUCCESS) {
    return Unauthenticated("payload is not a JSON object");
  }
  JwtClaims result;
  std::string_view user_id;
  if (claims.find_field_unordered("userId").get_string().get(user_id) != simdjson::SUCCESS ||
      user_id.empty()) {
    return Unauthenticated("missing string claim userId");
  }
  result.user_id = std::string(user_id);
  int64_t exp = 0, nbf = 0;
  bool has_exp = false, has_nbf = false;
  if (!ReadNumericDate(claims, "exp", exp, has_exp) || !ReadNumericDate(claims, "nbf", nbf, has_nbf)) {
    return Unauthenticated("exp/nbf must be numbers");
  }
  if (has_exp) {
    result.expires_at = absl::FromUnixSeconds(exp);
    if (now > result.expires_at + leeway) return Unauthenticated("token expired");
  }
  if (has_nbf && now + leeway < absl::FromUnixSeconds(nbf)) {
    return Unauthenticated("token not valid yet");
  }
  return result;
}

std::string SignJwt(const JwtClaims& claims, absl::string_view secret, absl::Time issued_at) {
  const std::string header = Base64Url(R"({"alg":"HS256","typ":"JWT"})");
  // JsonQuote, not CEscape: C escapes (\001, \', octal bytes) are not JSON, so an id with a
  // control character, an apostrophe or a non-ASCII letter made a token no verifier reads.
  std::string payload_json = absl::StrCat(R"({"userId":)", JsonQuote(claims.user_id),
                                          R"(,"iat":)", absl::ToUnixSeconds(issued_at));
  if (claims.expires_at != absl::InfiniteFuture()) {
    absl::StrAppend(&payload_json, R"(,"exp":)", absl::ToUnixSeconds(claims.expires_at));
  }
  payload_json += "}";
  const std::string signing_input = absl::StrCat(header, ".", Base64Url(payload_json));
  return absl::StrCat(signing_input, ".", Base64Url(HmacSha256(secret, signing_input)));
}

}  // namespace ttads::server
