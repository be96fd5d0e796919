// Small wrappers over OpenSSL used by the authentication code: random bytes, SHA-256,
// HMAC-SHA256, constant-time comparison, hex.
#ifndef TTADS_SERVER_CRYPTO_UTIL_H_
#define TTADS_SERVER_CRYPTO_UTIL_H_

#include <string>

#include "absl/strings/string_view.h"

namespace ttads::server {

// `size` cryptographically random bytes.
std::string RandomBytes(std::size_t size);
// Raw 32-byte digests.
std::string Sha256(absl::string_view data);
std::string HmacSha256(absl::string_view key, absl::string_view data);
// Lower-case hex of raw bytes.
std::string ToHex(absl::string_view bytes);
// Equal without leaking where two strings differ.
bool ConstantTimeEquals(absl::string_view a, absl::string_view b);

}  // namespace ttads::server

#endif  // TTADS_SERVER_CRYPTO_UTIL_H_
