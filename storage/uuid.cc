#include "storage/uuid.h"

#include <openssl/rand.h>

#include <array>
#include <cstdint>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace ttads::storage {
namespace {

constexpr char kHex[] = "0123456789abcdef";

}  // namespace

std::string NewUuid() {
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    // OpenSSL's generator failing is near impossible; ids need uniqueness, not secrecy.
    thread_local absl::BitGen fallback;
    for (unsigned char& byte : bytes) byte = absl::Uniform<uint8_t>(fallback);
  }
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  std::string text;
  text.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
    text += kHex[bytes[i] >> 4];
    text += kHex[bytes[i] & 0x0f];
  }
  return text;
}

bool IsUuid(absl::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return false;
    } else if (!absl::ascii_isxdigit(static_cast<unsigned char>(text[i]))) {
      return false;
    }
  }
  return true;
}

absl::StatusOr<std::string> CanonicalUuid(absl::string_view field, absl::string_view text) {
  if (!IsUuid(text)) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": not a UUID: '",
                                                   text.substr(0, 64), "'"));
  }
  return absl::AsciiStrToLower(text);
}

}  // namespace ttads::storage
