// The JSON type the sandbox reads and writes (nlohmann, insertion-ordered so envelopes and
// objects print in TikTok's field order) and a non-throwing parser.
#ifndef TTADS_TOOLS_SANDBOX_SANDBOX_JSON_H_
#define TTADS_TOOLS_SANDBOX_SANDBOX_JSON_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace ttads::sandbox {

using Json = nlohmann::ordered_json;

// Parses `text`; nullopt when it is not one valid JSON document. Never throws.
inline std::optional<Json> ParseJson(const std::string& text) {
  Json parsed = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return std::nullopt;
  return parsed;
}

}  // namespace ttads::sandbox

#endif  // TTADS_TOOLS_SANDBOX_SANDBOX_JSON_H_
