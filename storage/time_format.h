// The one text form of timestamps ttads writes to either database, and a reader for what the
// databases give back.
#ifndef TTADS_STORAGE_TIME_FORMAT_H_
#define TTADS_STORAGE_TIME_FORMAT_H_

#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace ttads::storage {

// ISO-8601 UTC with milliseconds: "2026-11-25T08:00:00.000Z". Fixed width, so the text sorts in
// time order on SQLite too.
std::string FormatTimestamp(absl::Time time);

// Reads FormatTimestamp's form, SQLite's "YYYY-MM-DD HH:MM:SS", and PostgreSQL's timestamptz
// output ("2026-11-25 08:00:00.123+00", "+05:30" offsets).
absl::StatusOr<absl::Time> ParseTimestamp(absl::string_view text);

}  // namespace ttads::storage

#endif  // TTADS_STORAGE_TIME_FORMAT_H_
