#include "server/log.h"

#include <atomic>
#include <cstdio>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "server/json_text.h"

namespace ttads::server {
namespace {
std::atomic<bool> logging_enabled{true};
}  // namespace

void Log(absl::string_view level, absl::string_view event, const LogFields& fields) {
  if (!logging_enabled.load(std::memory_order_relaxed)) return;
  LogFields all = {
      {"ts", absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(), absl::UTCTimeZone())},
      {"level", std::string(level)},
      {"event", std::string(event)}};
  all.insert(all.end(), fields.begin(), fields.end());
  std::string line = JsonObject(all);
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stderr);
}

void SetLoggingEnabled(bool enabled) { logging_enabled.store(enabled); }

}  // namespace ttads::server
