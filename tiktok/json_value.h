// A small read-only JSON tree for TikTok responses, built with simdjson's On-Demand parser.
// Numbers keep their raw token text (never converted through double), so ids above 2^53 and
// metric strings survive exactly; strings are unescaped; object fields keep their order.
// Nothing here throws.
#ifndef TTADS_TIKTOK_JSON_VALUE_H_
#define TTADS_TIKTOK_JSON_VALUE_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ttads::tiktok {

class JsonValue {
 public:
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
  using Field = std::pair<std::string, JsonValue>;

  JsonValue() = default;
  static JsonValue Null() { return JsonValue(); }
  static JsonValue Bool(bool value);
  // `token` must be a valid JSON number token; it is kept verbatim.
  static JsonValue Number(std::string token);
  static JsonValue String(std::string value);
  static JsonValue Array(std::vector<JsonValue> items = {});
  static JsonValue Object(std::vector<Field> fields = {});

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::kNull; }
  bool is_bool() const { return type_ == Type::kBool; }
  bool is_number() const { return type_ == Type::kNumber; }
  bool is_string() const { return type_ == Type::kString; }
  bool is_array() const { return type_ == Type::kArray; }
  bool is_object() const { return type_ == Type::kObject; }

  bool bool_value() const { return bool_; }
  // The unescaped string, or the raw number token; empty for other types.
  const std::string& text() const { return text_; }
  // Array items (empty unless an array).
  const std::vector<JsonValue>& items() const { return items_; }
  // Object fields in document order (empty unless an object).
  const std::vector<Field>& fields() const { return fields_; }

  // The first field named `key`, or nullptr (also when this is not an object).
  const JsonValue* Find(absl::string_view key) const;

  // Compact JSON text; number tokens are written as received.
  std::string ToJson() const;

 private:
  void AppendJson(std::string* out) const;

  Type type_ = Type::kNull;
  bool bool_ = false;
  std::string text_;
  std::vector<JsonValue> items_;
  std::vector<Field> fields_;
};

// Parses a complete JSON text (object, array or scalar). INVALID_ARGUMENT when it is not JSON.
absl::StatusOr<JsonValue> ParseJson(absl::string_view text);

// Appends `text` as a JSON string literal (quoted, escaped) to `out`.
void AppendJsonString(absl::string_view text, std::string* out);

// True when `token` is a JSON number (RFC 8259 grammar).
bool IsJsonNumberToken(absl::string_view token);

}  // namespace ttads::tiktok

#endif  // TTADS_TIKTOK_JSON_VALUE_H_
