// The record of every API request the sandbox answered, for tests to read: method, path,
// query and body parameters with credentials redacted (access_token, secret, auth_code, ...),
// headers without the Access-Token value, the answer (HTTP status, envelope code and message,
// request_id), the fault applied, and how long it took. Bounded (oldest dropped). Thread-safe.
#ifndef TTADS_TOOLS_SANDBOX_REQUEST_LOG_H_
#define TTADS_TOOLS_SANDBOX_REQUEST_LOG_H_

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "tools/sandbox/sandbox_json.h"

namespace ttads::sandbox {

inline constexpr char kRedacted[] = "<redacted>";

struct RequestLogEntry {
  int64_t seq = 0;
  absl::Time time;  // sandbox clock when the request arrived
  std::string method;
  std::string path;      // as received, e.g. /open_api/v1.3/campaign/get/
  std::string endpoint;  // relative path, e.g. campaign/get/ (empty when not an API path)
  Json query = Json::object();
  Json body;  // JSON body or multipart fields (files as {filename,size}); null
  Json headers = Json::object();
  int http_status = 0;
  std::optional<int> code;  // envelope code, when the answer was an envelope
  std::string message;
  std::string request_id;
  std::string fault;  // kind of the fault applied, if any
  double duration_ms = 0;
};

Json RequestLogEntryToJson(const RequestLogEntry& entry);

// `params` with the value of every credential-bearing key replaced by "<redacted>", at any
// depth.
Json RedactParams(const Json& params);
// Whether a header's value must not be logged (Access-Token, Authorization, Cookie).
bool IsSecretHeader(const std::string& name);

class RequestLog {
 public:
  explicit RequestLog(size_t capacity = 10000) : capacity_(capacity) {}

  // Stores `entry`, numbering it; returns its sequence number.
  int64_t Append(RequestLogEntry entry);
  // Entries in arrival order; `endpoint` filters on the relative path when non-empty,
  // `after_seq` skips entries up to that number.
  std::vector<RequestLogEntry> Entries(const std::string& endpoint = "",
                                       int64_t after_seq = 0) const;
  // Drops everything; returns how many entries there were.
  size_t Clear();

 private:
  size_t capacity_;
  mutable absl::Mutex mu_;
  std::deque<RequestLogEntry> entries_ ABSL_GUARDED_BY(mu_);
  int64_t next_seq_ ABSL_GUARDED_BY(mu_) = 1;
};

}  // namespace ttads::sandbox

#endif  // TTADS_TOOLS_SANDBOX_REQUEST_LOG_H_
