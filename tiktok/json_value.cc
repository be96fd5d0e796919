#include "tiktok/json_value.h"

#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "simdjson.h"

namespace ttads::tiktok {
namespace {

namespace od = simdjson::ondemand;

// True once the document has been read to its end (simdjson 3.0 has no document::at_end()).
bool AtEnd(od::document& document) {
  const char* location = nullptr;
  return document.current_location().get(location) == simdjson::OUT_OF_BOUNDS;
}

constexpr int kMaxDepth = 256;

absl::Status JsonError(simdjson::error_code error) {
  return absl::InvalidArgumentError(
      absl::StrCat("not valid JSON: ", simdjson::error_message(error)));
}

std::string_view TrimToken(std::string_view token) {
  while (!token.empty() && absl::ascii_isspace(static_cast<unsigned char>(token.back()))) {
    token.remove_suffix(1);
  }
  return token;
}

absl::Status Build(od::value value, int depth, JsonValue* out) {
  if (depth > kMaxDepth) return absl::InvalidArgumentError("JSON nested too deeply");
  od::json_type type;
  if (auto error = value.type().get(type)) return JsonError(error);
  switch (type) {
    case od::json_type::object: {
      od::object object;
      if (auto error = value.get_object().get(object)) return JsonError(error);
      std::vector<JsonValue::Field> fields;
      for (auto field_result : object) {
        od::field field;
        if (auto error = std::move(field_result).get(field)) return JsonError(error);
        std::string_view key;
        if (auto error = field.unescaped_key().get(key)) return JsonError(error);
        JsonValue child;
        std::string key_copy(key);
        if (absl::Status status = Build(field.value(), depth + 1, &child); !status.ok()) {
          return status;
        }
        fields.emplace_back(std::move(key_copy), std::move(child));
      }
      *out = JsonValue::Object(std::move(fields));
      return absl::OkStatus();
    }
    case od::json_type::array: {
      od::array array;
      if (auto error = value.get_array().get(array)) return JsonError(error);
      std::vector<JsonValue> items;
      for (auto item_result : array) {
        od::value item;
        if (auto error = std::move(item_result).get(item)) return JsonError(error);
        JsonValue child;
        if (absl::Status status = Build(item, depth + 1, &child); !status.ok()) return status;
        items.push_back(std::move(child));
      }
      *out = JsonValue::Array(std::move(items));
      return absl::OkStatus();
    }
    case od::json_type::number: {
      const std::string_view token = TrimToken(value.raw_json_token());
      if (!IsJsonNumberToken(absl::string_view(token.data(), token.size()))) {
        return absl::InvalidArgumentError("not valid JSON: bad number");
      }
      *out = JsonValue::Number(std::string(token));
      return absl::OkStatus();
    }
    case od::json_type::string: {
      std::string_view text;
      if (auto error = value.get_string().get(text)) return JsonError(error);
      *out = JsonValue::String(std::string(text));
      return absl::OkStatus();
    }
    case od::json_type::boolean: {
      bool flag = false;
      if (auto error = value.get_bool().get(flag)) return JsonError(error);
      *out = JsonValue::Bool(flag);
      return absl::OkStatus();
    }
    case od::json_type::null: {
      bool is_null = false;
      if (auto error = value.is_null().get(is_null)) return JsonError(error);
      if (!is_null) return absl::InvalidArgumentError("not valid JSON: bad literal");
      *out = JsonValue::Null();
      return absl::OkStatus();
    }
  }
  return absl::InvalidArgumentError("not valid JSON");
}

absl::StatusOr<JsonValue> ParseContainerDocument(const simdjson::padded_string& padded) {
  od::parser parser;
  od::document document;
  if (auto error = parser.iterate(padded).get(document)) return JsonError(error);
  od::value root;
  if (auto error = document.get_value().get(root)) return JsonError(error);
  JsonValue out;
  if (absl::Status status = Build(root, 0, &out); !status.ok()) return status;
  if (!AtEnd(document)) return absl::InvalidArgumentError("not valid JSON: trailing content");
  return out;
}

}  // namespace

JsonValue JsonValue::Bool(bool value) {
  JsonValue out;
  out.type_ = Type::kBool;
  out.bool_ = value;
  return out;
}

JsonValue JsonValue::Number(std::string token) {
  JsonValue out;
  out.type_ = Type::kNumber;
  out.text_ = std::move(token);
  return out;
}

JsonValue JsonValue::String(std::string value) {
  JsonValue out;
  out.type_ = Type::kString;
  out.text_ = std::move(value);
  return out;
}

JsonValue JsonValue::Array(std::vector<JsonValue> items) {
  JsonValue out;
  out.type_ = Type::kArray;
  out.items_ = std::move(items);
  return out;
}

JsonValue JsonValue::Object(std::vector<Field> fields) {
  JsonValue out;
  out.type_ = Type::kObject;
  out.fields_ = std::move(fields);
  return out;
}

const JsonValue* JsonValue::Find(absl::string_view key) const {
  for (const Field& field : fields_) {
    if (field.first == key) return &field.second;
  }
  return nullptr;
}

std::string JsonValue::ToJson() const {
  std::string out;
  AppendJson(&out);
  return out;
}

void JsonValue::AppendJson(std::string* out) const {
  switch (type_) {
    case Type::kNull:
      out->append("null");
      return;
    case Type::kBool:
      out->append(bool_ ? "true" : "false");
      return;
    case Type::kNumber:
      out->append(text_);
      return;
    case Type::kString:
      AppendJsonString(text_, out);
      return;
    case Type::kArray: {
      out->push_back('[');
      bool first = true;
      for (const JsonValue& item : items_) {
        if (!first) out->push_back(',');
        first = false;
        item.AppendJson(out);
      }
      out->push_back(']');
      return;
    }
    case Type::kObject: {
      out->push_back('{');
      bool first = true;
      for (const Field& field : fields_) {
        if (!first) out->push_back(',');
        first = false;
        AppendJsonString(field.first, out);
        out->push_back(':');
        field.second.AppendJson(out);
      }
      out->push_back('}');
      return;
    }
  }
}

void AppendJsonString(absl::string_view text, std::string* out) {
  out->push_back('"');
  for (const char c : text) {
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppendFormat(out, "\\u%04x", static_cast<unsigned char>(c));
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

bool IsJsonNumberToken(absl::string_view token) {
  size_t i = 0;
  const size_t n = token.size();
  auto digit = [&](size_t at) { return at < n && token[at] >= '0' && token[at] <= '9'; };
  if (i < n && token[i] == '-') ++i;
  if (!digit(i)) return false;
  if (token[i] == '0') {
    ++i;
  } else {
    while (digit(i)) ++i;
  }
  if (i < n && token[i] == '.') {
    ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  if (i < n && (token[i] == 'e' || token[i] == 'E')) {
    ++i;
    if (i < n && (token[i] == '+' || token[i] == '-')) ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
  }
  return i == n;
}

absl::StatusOr<JsonValue> ParseJson(absl::string_view text) {
  // Skip leading whitespace to see whether the root is a container: simdjson's On-Demand API
  // cannot hand out a scalar root as a value, so a scalar is parsed as a one-item array.
  size_t start = 0;
  while (start < text.size() && absl::ascii_isspace(static_cast<unsigned char>(text[start]))) {
    ++start;
  }
  if (start == text.size()) return absl::InvalidArgumentError("not valid JSON: empty");
  if (text[start] == '{' || text[start] == '[') {
    const simdjson::padded_string padded(text.data(), text.size());
    return ParseContainerDocument(padded);
  }
  const std::string wrapped = absl::StrCat("[", text, "\n]");
  const simdjson::padded_string padded(wrapped);
  absl::StatusOr<JsonValue> array = ParseContainerDocument(padded);
  if (!array.ok()) return array.status();
  if (array->items().size() != 1) return absl::InvalidArgumentError("not valid JSON");
  return array->items()[0];
}

}  // namespace ttads::tiktok
