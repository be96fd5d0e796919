// Field rules shared by several cores.
#ifndef TTADS_SERVER_VALIDATION_H_
#define TTADS_SERVER_VALIDATION_H_

#include <initializer_list>

#include <string>

#include "absl/strings/string_view.h"
#include "server/rpc_status.h"

namespace ttads::server {

// Whether `value` is one of `allowed` (enum-like string fields).
inline bool OneOf(absl::string_view value, std::initializer_list<absl::string_view> allowed) {
  for (absl::string_view candidate : allowed) {
    if (candidate == value) return true;
  }
  return false;
}

// An IANA time zone name this server can load ("Asia/Almaty").
bool IsTimeZone(absl::string_view name);
// Three upper-case letters (ISO 4217).
bool IsCurrencyCode(absl::string_view code);
// Length in Unicode code points (the limits in the contract count characters, not bytes).
std::size_t CharacterCount(absl::string_view text);
// The first `max` characters of `text` (never splits a UTF-8 sequence).
std::string TruncateCharacters(absl::string_view text, std::size_t max);
// Adds a violation when `value` is longer than `max` characters (or shorter than `min`).
void CheckLength(RequestValidator& validator, absl::string_view field, absl::string_view value,
                 std::size_t min, std::size_t max);

}  // namespace ttads::server

#endif  // TTADS_SERVER_VALIDATION_H_
