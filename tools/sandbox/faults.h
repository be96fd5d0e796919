// Fault injection: what the sandbox does to chosen requests instead of (or besides) answering
// them like TikTok. Kinds:
//   latency  - wait delay_ms before handling (adds up over matching latency faults)
//   error    - answer HTTP 200 with envelope `code` (e.g. 50000, 40100, 40202) and data {}
//   http     - answer an HTTP status (default 503) with a small HTML body, as a gateway would
//   html     - answer a non-JSON HTML page (default HTTP 200), as a CDN/WAF page would
//   drop     - close the connection without a response
//   timeout  - handle the request (it takes effect), then hold the response delay_ms (default
//              10 s), so it arrives after the client gave up
// `after: true` makes error/http/html/drop happen after the request took effect (the client
// sees a failure for a write that happened). A fault matches a path ("campaign/create/", a
// prefix "campaign/*", or "*"), optionally a method; it fires on `times` matching requests (-1
// = every one) after letting `skip` through, each with probability `fraction`.
//
// Text form (the --fault flag and the control API's "spec"):
//   KIND[:PATH][,key=value|,once]...   keys: code, message, status, ms, times, skip, fraction,
//                                      method, after
//   e.g. "error:campaign/create/,code=50000,once"  "latency:*,ms=200"  "drop:ad/create/,after"
// JSON form: {"kind","path","method","code","message","http_status","delay_ms","times","skip",
//             "fraction","after"}.
#ifndef TTADS_TOOLS_SANDBOX_FAULTS_H_
#define TTADS_TOOLS_SANDBOX_FAULTS_H_

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "tools/sandbox/sandbox_json.h"

namespace ttads::sandbox {

enum class FaultKind { kLatency, kError, kHttpStatus, kHtml, kDrop, kTimeout };

struct FaultSpec {
  FaultKind kind = FaultKind::kError;
  std::string path = "*";  // relative to /open_api/v1.3/, with its trailing slash
  std::string method;      // empty: any
  int code = 50000;        // error
  std::string message;     // error; empty: TikTok's text for the code
  int http_status = 0;     // http (default 503), html (default 200)
  int64_t delay_ms = 0;    // latency, timeout (default 10000)
  int64_t times = -1;      // -1: unlimited
  int64_t skip = 0;
  double fraction = 1.0;
  bool after = false;  // timeout is always after
};

absl::StatusOr<FaultSpec> ParseFaultSpec(absl::string_view text);
absl::StatusOr<FaultSpec> FaultSpecFromJson(const Json& json);
Json FaultSpecToJson(const FaultSpec& spec);
std::string FaultKindName(FaultKind kind);

// What to do with one request.
struct FaultPlan {
  int64_t latency_ms = 0;             // from latency faults
  std::optional<FaultSpec> terminal;  // the error/http/html/drop/timeout fault that fired
  int64_t terminal_id = 0;
};

class FaultInjector {
 public:
  explicit FaultInjector(uint64_t seed = 7) : random_(seed) {}

  // Adds a fault; returns its id.
  int64_t Add(const FaultSpec& spec);
  // Removes one fault (false when unknown) or all of them.
  bool Remove(int64_t id);
  void Clear();
  // The faults with how often each has matched and fired.
  Json List() const;
  // Decides what happens to a request for `path` (relative, e.g. "campaign/get/"), counting it
  // against the matching faults.
  FaultPlan Plan(const std::string& method, const std::string& path);

 private:
  struct Active {
    int64_t id = 0;
    FaultSpec spec;
    int64_t matched = 0;
    int64_t fired = 0;
  };
  mutable absl::Mutex mu_;
  std::vector<Active> faults_ ABSL_GUARDED_BY(mu_);
  int64_t next_id_ ABSL_GUARDED_BY(mu_) = 1;
  std::mt19937_64 random_ ABSL_GUARDED_BY(mu_);
};

// TikTok's message for a return code the sandbox can inject (generic text for others).
std::string DefaultErrorMessage(int code);

}  // namespace ttads::sandbox

#endif  // TTADS_TOOLS_SANDBOX_FAULTS_H_
