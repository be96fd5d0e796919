#include "tiktok/lenient.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/strip.h"

namespace ttads::tiktok {

const JsonValue* FieldOf(const JsonValue* object, absl::string_view key) {
  if (object == nullptr || !object->is_object()) return nullptr;
  return object->Find(key);
}

std::string ReadId(const JsonValue* value) {
  if (value == nullptr) return "";
  if (value->is_string() || value->is_number()) {
    return std::string(absl::StripAsciiWhitespace(value->text()));
  }
  return "";
}

std::string ReadIdField(const JsonValue* object, absl::string_view key) {
  return ReadId(FieldOf(object, key));
}

std::vector<std::string> ReadIds(const JsonValue* value) {
  std::vector<std::string> ids;
  if (value == nullptr) return ids;
  if (value->is_array()) {
    for (const JsonValue& item : value->items()) {
      std::string id = ReadId(&item);
      if (!id.empty()) ids.push_back(std::move(id));
    }
    return ids;
  }
  std::string id = ReadId(value);
  if (!id.empty()) ids.push_back(std::move(id));
  return ids;
}

std::vector<std::string> ReadIdsField(const JsonValue* object, absl::string_view key) {
  return ReadIds(FieldOf(object, key));
}

std::string ReadString(const JsonValue* value) {
  if (value == nullptr) return "";
  switch (value->type()) {
    case JsonValue::Type::kString:
    case JsonValue::Type::kNumber:
      return value->text();
    case JsonValue::Type::kBool:
      return value->bool_value() ? "true" : "false";
    default:
      return "";
  }
}

std::string ReadStringField(const JsonValue* object, absl::string_view key) {
  return ReadString(FieldOf(object, key));
}

std::vector<std::string> ReadStringsField(const JsonValue* object, absl::string_view key) {
  std::vector<std::string> out;
  const JsonValue* value = FieldOf(object, key);
  if (value == nullptr) return out;
  if (!value->is_array()) {
    if (value->is_string() || value->is_number()) out.push_back(ReadString(value));
    return out;
  }
  for (const JsonValue& item : value->items()) {
    if (item.is_string() || item.is_number() || item.is_bool()) out.push_back(ReadString(&item));
  }
  return out;
}

std::optional<double> ParseMetric(absl::string_view text) {
  absl::string_view trimmed = absl::StripAsciiWhitespace(text);
  if (trimmed.empty() || trimmed == "-") return std::nullopt;
  absl::ConsumeSuffix(&trimmed, "%");
  trimmed = absl::StripAsciiWhitespace(trimmed);
  double out = 0;
  // SimpleAtod accepts "inf"/"nan"; TikTok never sends them, and they are not numbers here.
  if (trimmed.empty() || !(absl::ascii_isdigit(static_cast<unsigned char>(trimmed.back())) ||
                           trimmed.back() == '.')) {
    return std::nullopt;
  }
  if (!absl::SimpleAtod(trimmed, &out)) return std::nullopt;
  return out;
}

std::optional<double> ReadNumber(const JsonValue* value) {
  if (value == nullptr) return std::nullopt;
  if (value->is_number() || value->is_string()) return ParseMetric(value->text());
  return std::nullopt;
}

std::optional<double> ReadNumberField(const JsonValue* object, absl::string_view key) {
  return ReadNumber(FieldOf(object, key));
}

std::optional<std::string> ReadMetricText(const JsonValue* value) {
  if (value == nullptr || value->is_null()) return std::nullopt;
  if (value->is_string() || value->is_number() || value->is_bool()) return ReadString(value);
  return value->ToJson();
}

std::optional<int64_t> ReadInt(const JsonValue* value) {
  if (value == nullptr || !(value->is_number() || value->is_string())) return std::nullopt;
  const absl::string_view text = absl::StripAsciiWhitespace(value->text());
  int64_t out = 0;
  if (absl::SimpleAtoi(text, &out)) return out;
  // "12.0" or "1e3" as a number token: accept when it is integral.
  double as_double = 0;
  if (value->is_number() && absl::SimpleAtod(text, &as_double) && as_double >= -9.2e18 &&
      as_double <= 9.2e18 && static_cast<double>(static_cast<int64_t>(as_double)) == as_double) {
    return static_cast<int64_t>(as_double);
  }
  return std::nullopt;
}

std::optional<int64_t> ReadIntField(const JsonValue* object, absl::string_view key) {
  return ReadInt(FieldOf(object, key));
}

std::optional<bool> ReadBool(const JsonValue* value) {
  if (value == nullptr) return std::nullopt;
  if (value->is_bool()) return value->bool_value();
  if (value->is_string()) {
    const std::string lower = absl::AsciiStrToLower(absl::StripAsciiWhitespace(value->text()));
    if (lower == "true" || lower == "1") return true;
    if (lower == "false" || lower == "0") return false;
    return std::nullopt;
  }
  if (value->is_number()) {
    if (value->text() == "1") return true;
    if (value->text() == "0") return false;
  }
  return std::nullopt;
}

bool ReadBoolField(const JsonValue* object, absl::string_view key, bool fallback) {
  return ReadBool(FieldOf(object, key)).value_or(fallback);
}

std::optional<absl::Time> ParseTikTokDateTime(absl::string_view text) {
  const std::string trimmed(absl::StripAsciiWhitespace(text));
  if (trimmed.empty()) return std::nullopt;
  absl::Time out;
  std::string error;
  for (const char* format : {"%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S%Ez",
                             "%Y-%m-%d"}) {
    if (absl::ParseTime(format, trimmed, absl::UTCTimeZone(), &out, &error)) return out;
  }
  return std::nullopt;
}

std::optional<absl::CivilDay> ParseTikTokDate(absl::string_view text) {
  absl::string_view trimmed = absl::StripAsciiWhitespace(text);
  if (trimmed.size() > 10) {
    absl::string_view rest = trimmed.substr(10);
    if (rest != " 00:00:00" && rest != "T00:00:00") return std::nullopt;
    trimmed = trimmed.substr(0, 10);
  }
  absl::CivilDay day;
  if (trimmed.size() != 10 || !absl::ParseCivilTime(trimmed, &day)) return std::nullopt;
  return day;
}

std::string FormatTikTokDate(absl::CivilDay day) { return absl::FormatCivilTime(day); }

std::string FormatTikTokDateTime(absl::Time time) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", time, absl::UTCTimeZone());
}

std::optional<absl::Time> ReadUnixSeconds(const JsonValue* value) {
  const std::optional<int64_t> seconds = ReadInt(value);
  if (!seconds.has_value()) return std::nullopt;
  return absl::FromUnixSeconds(*seconds);
}

}  // namespace ttads::tiktok
