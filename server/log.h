// Structured logs: one JSON object per line on stderr, with a UTC timestamp and an event name.
// Callers never pass secrets (tokens, keys, credentials) as fields.
#ifndef TTADS_SERVER_LOG_H_
#define TTADS_SERVER_LOG_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace ttads::server {

using LogFields = std::vector<std::pair<std::string, std::string>>;

// Writes {"ts":…,"level":…,"event":…, fields…} as one line (atomic with respect to other lines).
void Log(absl::string_view level, absl::string_view event, const LogFields& fields = {});
inline void LogInfo(absl::string_view event, const LogFields& fields = {}) {
  Log("info", event, fields);
}
inline void LogWarning(absl::string_view event, const LogFields& fields = {}) {
  Log("warning", event, fields);
}
inline void LogError(absl::string_view event, const LogFields& fields = {}) {
  Log("error", event, fields);
}

// Silences Log (tests that exercise failure paths keep their output readable).
void SetLoggingEnabled(bool enabled);

}  // namespace ttads::server

#endif  // TTADS_SERVER_LOG_H_
