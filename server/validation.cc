#include "server/validation.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace ttads::server {

bool IsTimeZone(absl::string_view name) {
  absl::TimeZone zone;
  return !name.empty() && absl::LoadTimeZone(std::string(name), &zone);
}

bool IsCurrencyCode(absl::string_view code) {
  return code.size() == 3 && absl::ascii_isupper(code[0]) && absl::ascii_isupper(code[1]) &&
         absl::ascii_isupper(code[2]);
}

std::size_t CharacterCount(absl::string_view text) {
  std::size_t count = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xc0) != 0x80) ++count;
  }
  return count;
}

std::string TruncateCharacters(absl::string_view text, std::size_t max) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xc0) != 0x80 && count++ == max) {
      return std::string(text.substr(0, i));
    }
  }
  return std::string(text);
}

void CheckLength(RequestValidator& validator, absl::string_view field, absl::string_view value,
                 std::size_t min, std::size_t max) {
  const std::size_t length = CharacterCount(value);
  if (length < min || length > max) {
    validator.Fail(field, min == max ? absl::StrCat("must be ", min, " characters")
                                     : absl::StrCat("must be ", min, "..", max, " characters"));
  }
}

}  // namespace ttads::server
