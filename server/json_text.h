// Writing JSON text by hand where a whole JSON library would be overkill: log lines and small
// audit details.
#ifndef TTADS_SERVER_JSON_TEXT_H_
#define TTADS_SERVER_JSON_TEXT_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace ttads::server {

// `text` as a JSON string literal, quotes included; invalid UTF-8 bytes become U+FFFD.
std::string JsonQuote(absl::string_view text);

// A flat JSON object of string values, in the given order.
std::string JsonObject(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace ttads::server

#endif  // TTADS_SERVER_JSON_TEXT_H_
