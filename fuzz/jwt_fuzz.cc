// The frontend's HS256 JWTs (server/jwt.h).
//
// Input: byte 0 picks the mode, the rest is its text.
//   mode 0: the rest is a token, verified as received (forgery attempts);
//   mode 1: the rest is "<header JSON>\n<payload JSON>", signed with the server's secret here, so
//           the claim parsing behind the signature check is reached;
//   mode 2: the rest is a user id, signed with SignJwt and verified again.
// Invariants: a token is never accepted unless its third part is the HMAC of the first two
// under the secret; an accepted token names a user and is not expired; a token signed with the
// secret is refused under another secret; SignJwt's token verifies to the same user id.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "fuzz/fuzz_support.h"
#include "server/crypto_util.h"
#include "server/jwt.h"

namespace ttads::fuzz {
namespace {

constexpr char kSecret[] = "fuzz-jwt-secret";
const absl::Time kNow = absl::FromUnixSeconds(1795600000);
const absl::Duration kLeeway = absl::Seconds(30);

std::string Sign(absl::string_view header, absl::string_view payload, absl::string_view secret) {
  const std::string input =
      absl::StrCat(absl::WebSafeBase64Escape(header), ".", absl::WebSafeBase64Escape(payload));
  return absl::StrCat(input, ".", absl::WebSafeBase64Escape(server::HmacSha256(secret, input)));
}

// What an accepted token must satisfy.
void CheckAccepted(absl::string_view token, const server::JwtClaims& claims) {
  const std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  FUZZ_CHECK(parts.size() == 3, "accepted a token without three parts");
  std::string signature;
  FUZZ_CHECK(absl::WebSafeBase64Unescape(parts[2], &signature), "accepted an unreadable signature");
  FUZZ_CHECK(signature == server::HmacSha256(kSecret, absl::StrCat(parts[0], ".", parts[1])),
             "accepted a token not signed with the secret");
  FUZZ_CHECK(!claims.user_id.empty(), "accepted a token without a user");
  FUZZ_CHECK(claims.expires_at == absl::InfiniteFuture() || kNow <= claims.expires_at + kLeeway,
             "accepted an expired token");
  FUZZ_CHECK(!server::VerifyJwt(token, "another-secret", kNow, kLeeway).ok(),
             "a token verified under two secrets");
}

// Strict UTF-8 (no overlong forms, surrogates or code points above U+10FFFF): the ids a JSON
// string can carry.
bool IsUtf8(absl::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    size_t length = 0;
    if (lead < 0x80)
      length = 1;
    else if (lead >= 0xc2 && lead <= 0xdf)
      length = 2;
    else if (lead >= 0xe0 && lead <= 0xef)
      length = 3;
    else if (lead >= 0xf0 && lead <= 0xf4)
      length = 4;
    if (length == 0 || i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      if ((byte(i + k) & 0xc0) != 0x80) return false;
    }
    if ((lead == 0xe0 && byte(i + 1) < 0xa0) || (lead == 0xed && byte(i + 1) >= 0xa0) ||
        (lead == 0xf0 && byte(i + 1) < 0x90) || (lead == 0xf4 && byte(i + 1) >= 0x90)) {
      return false;
    }
    i += length;
  }
  return true;
}

}  // namespace
}  // namespace ttads::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ttads::fuzz;
  using ttads::server::VerifyJwt;
  if (size < 1) return 0;
  const absl::string_view rest = AsText(data + 1, size - 1);
  switch (data[0] % 3) {
    case 0: {
      absl::StatusOr<ttads::server::JwtClaims> claims = VerifyJwt(rest, kSecret, kNow, kLeeway);
      if (claims.ok()) CheckAccepted(rest, *claims);
      break;
    }
    case 1: {
      const size_t newline = rest.find('\n');
      if (newline == absl::string_view::npos) return 0;
      const std::string token = Sign(rest.substr(0, newline), rest.substr(newline + 1), kSecret);
      absl::StatusOr<ttads::server::JwtClaims> claims = VerifyJwt(token, kSecret, kNow, kLeeway);
      if (claims.ok()) CheckAccepted(token, *claims);
      break;
    }
    default: {
      if (rest.empty() || !IsUtf8(rest)) return 0;
      const std::string user(rest);
      const std::string token =
          ttads::server::SignJwt({user, kNow + absl::Hours(1)}, kSecret, kNow);
      absl::StatusOr<ttads::server::JwtClaims> claims = VerifyJwt(token, kSecret, kNow, kLeeway);
      FUZZ_CHECK(claims.ok(), "a token from SignJwt does not verify");
      FUZZ_CHECK(claims->user_id == user, "SignJwt/VerifyJwt changed the user id");
      CheckAccepted(token, *claims);
      break;
    }
  }
  return 0;
}
