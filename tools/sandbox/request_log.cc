#include "tools/sandbox/request_log.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "tools/sandbox/sandbox_state.h"

namespace ttads::sandbox {
namespace {

bool IsSecretKey(const std::string& key) {
  std::string lower = absl::AsciiStrToLower(key);
  return lower == "access_token" || lower == "secret" || lower == "auth_code" ||
         lower == "refresh_token" || lower == "client_secret" || lower == "app_secret";
}

}  // namespace

Json RedactParams(const Json& params) {
  if (params.is_object()) {
    Json out = Json::object();
    for (auto it = params.begin(); it != params.end(); ++it) {
      out[it.key()] = IsSecretKey(it.key()) ? Json(kRedacted) : RedactParams(it.value());
    }
    return out;
  }
  if (params.is_array()) {
    Json out = Json::array();
    for (const Json& item : params) out.push_back(RedactParams(item));
    return out;
  }
  return params;
}

bool IsSecretHeader(const std::string& name) {
  std::string lower = absl::AsciiStrToLower(name);
  return lower == "access-token" || lower == "authorization" || lower == "cookie" ||
         lower == "proxy-authorization";
}

Json RequestLogEntryToJson(const RequestLogEntry& entry) {
  return Json{{"seq", entry.seq},
              {"time", FormatRfc3339(entry.time)},
              {"method", entry.method},
              {"path", entry.path},
              {"endpoint", entry.endpoint},
              {"query", entry.query},
              {"body", entry.body},
              {"headers", entry.headers},
              {"http_status", entry.http_status},
              {"code", entry.code ? Json(*entry.code) : Json(nullptr)},
              {"message", entry.message},
              {"request_id", entry.request_id},
              {"fault", entry.fault.empty() ? Json(nullptr) : Json(entry.fault)},
              {"duration_ms", entry.duration_ms}};
}

int64_t RequestLog::Append(RequestLogEntry entry) {
  absl::MutexLock lock(&mu_);
  entry.seq = next_seq_++;
  entries_.push_back(std::move(entry));
  while (entries_.size() > capacity_) entries_.pop_front();
  return entries_.back().seq;
}

std::vector<RequestLogEntry> RequestLog::Entries(const std::string& endpoint,
                                                 int64_t after_seq) const {
  absl::MutexLock lock(&mu_);
  std::vector<RequestLogEntry> out;
  for (const RequestLogEntry& entry : entries_) {
    if (entry.seq <= after_seq) continue;
    if (!endpoint.empty() && entry.endpoint != endpoint) continue;
    out.push_back(entry);
  }
  return out;
}

size_t RequestLog::Clear() {
  absl::MutexLock lock(&mu_);
  size_t n = entries_.size();
  entries_.clear();
  return n;
}

}  // namespace ttads::sandbox
