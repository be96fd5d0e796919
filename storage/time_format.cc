#include "storage/time_format.h"

#include "absl/strings/str_cat.h"

namespace ttads::storage {

std::string FormatTimestamp(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", time, absl::UTCTimeZone());
}

absl::StatusOr<absl::Time> ParseTimestamp(absl::string_view text) {
  std::string normalized(text);
  if (normalized.size() > 10 && normalized[10] == ' ') normalized[10] = 'T';
  // PostgreSQL writes "+00" where RFC 3339 wants "+00:00".
  if (normalized.size() > 3) {
    const std::size_t sign = normalized.find_last_of("+-");
    if (sign != std::string::npos && sign > 10 && normalized.size() - sign == 3) {
      normalized += ":00";
    }
  }
  absl::Time time;
  std::string error;
  for (const char* format : {"%Y-%m-%dT%H:%M:%E*S%Ez", "%Y-%m-%dT%H:%M:%E*SZ",
                             "%Y-%m-%dT%H:%M:%E*S"}) {
    if (absl::ParseTime(format, normalized, absl::UTCTimeZone(), &time, &error)) return time;
  }
  return absl::InvalidArgumentError(absl::StrCat("unreadable timestamp '", text, "': ", error));
}

}  // namespace ttads::storage
