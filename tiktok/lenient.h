// Lenient readers for TikTok's loosely typed JSON (reference §1, §8, §13):
// - ids come as strings or bare numbers and are kept as strings (the raw number token, never
//   through double: ids exceed 2^53);
// - metrics come as strings ("20.00", "5830"), numbers, "-" (no data) or null. A metric with no
//   data reads as std::nullopt ("absent"); callers that sum use value_or(0). A trailing "%"
//   ("1.18%") is accepted;
// - booleans as true/false, "true"/"false" or 0/1;
// - times: "YYYY-MM-DD HH:MM:SS" (UTC for schedules and create/modify times), report dates
//   "YYYY-MM-DD" (advertiser time zone), stat_time_day "YYYY-MM-DD 00:00:00", unix seconds for
//   advertiser/info create_time.
// Every reader accepts nullptr (field missing) and returns the empty/absent value.
#ifndef TTADS_TIKTOK_LENIENT_H_
#define TTADS_TIKTOK_LENIENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "tiktok/json_value.h"

namespace ttads::tiktok {

// Field lookup that tolerates a missing or non-object parent.
const JsonValue* FieldOf(const JsonValue* object, absl::string_view key);

// An id: string as is, number as its raw token; "" for null/missing/other types.
std::string ReadId(const JsonValue* value);
std::string ReadIdField(const JsonValue* object, absl::string_view key);
// An array of ids (each string or number); a single id is accepted as a one-item list.
std::vector<std::string> ReadIds(const JsonValue* value);
std::vector<std::string> ReadIdsField(const JsonValue* object, absl::string_view key);

// Text: string as is, number token, "true"/"false"; "" for null/missing/containers.
std::string ReadString(const JsonValue* value);
std::string ReadStringField(const JsonValue* object, absl::string_view key);
std::vector<std::string> ReadStringsField(const JsonValue* object, absl::string_view key);

// A metric or amount: number or numeric string; nullopt for "-", "", null, missing or
// anything that is not a number.
std::optional<double> ReadNumber(const JsonValue* value);
std::optional<double> ReadNumberField(const JsonValue* object, absl::string_view key);
// Text form of a metric as TikTok sent it ("-" kept); nullopt for null/missing.
std::optional<std::string> ReadMetricText(const JsonValue* value);
// Parses metric text leniently (same rules as ReadNumber).
std::optional<double> ParseMetric(absl::string_view text);

// An integer (number token or numeric string without fraction); nullopt otherwise.
std::optional<int64_t> ReadInt(const JsonValue* value);
std::optional<int64_t> ReadIntField(const JsonValue* object, absl::string_view key);

// true/false, "true"/"false" (any case), 1/0; nullopt otherwise.
std::optional<bool> ReadBool(const JsonValue* value);
bool ReadBoolField(const JsonValue* object, absl::string_view key, bool fallback = false);

// "YYYY-MM-DD HH:MM:SS" as UTC (also "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SSZ").
std::optional<absl::Time> ParseTikTokDateTime(absl::string_view text);
// "YYYY-MM-DD" (a trailing " 00:00:00" is accepted: stat_time_day).
std::optional<absl::CivilDay> ParseTikTokDate(absl::string_view text);
std::string FormatTikTokDate(absl::CivilDay day);            // "YYYY-MM-DD"
std::string FormatTikTokDateTime(absl::Time time);           // "YYYY-MM-DD HH:MM:SS" UTC
// A unix-seconds value (number or numeric string) as a time.
std::optional<absl::Time> ReadUnixSeconds(const JsonValue* value);

}  // namespace ttads::tiktok

#endif  // TTADS_TIKTOK_LENIENT_H_
