// The TikTok Marketing API v1.3 as the sandbox answers it, independent of HTTP plumbing:
// routes (exact paths under /open_api/v1.3/ with the trailing slash; anything else is HTTP 404
// "404 page not found"), the Access-Token check (40104 missing, 40105 unknown or revoked),
// app- and advertiser-level rate limits (40100, 40133), parameter decoding (query values with
// JSON-encoded arrays/objects, JSON bodies, multipart uploads), the endpoint logic, and the
// envelope {code, message, request_id, data} on HTTP 200. Also the in-process handles on the
// model the control API needs (seed, summary, config). Thread-safe: one mutex guards the state.
#ifndef TTADS_TOOLS_SANDBOX_TIKTOK_API_H_
#define TTADS_TOOLS_SANDBOX_TIKTOK_API_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "tools/sandbox/rate_limiter.h"
#include "tools/sandbox/sandbox_clock.h"
#include "tools/sandbox/sandbox_config.h"
#include "tools/sandbox/sandbox_json.h"
#include "tools/sandbox/sandbox_state.h"

namespace ttads::sandbox {

inline constexpr char kApiPrefix[] = "/open_api/v1.3/";

struct UploadedFile {
  std::string filename;
  std::string content_type;
  std::string content;
};

// One HTTP request, reduced to what the API reads.
struct ApiRequest {
  std::string method;           // GET, POST, ...
  std::string path;             // as received, e.g. /open_api/v1.3/campaign/get/
  Json query = Json::object();  // query parameters, name -> string
  std::string body;
  std::string content_type;
  bool multipart = false;
  Json form = Json::object();                 // multipart text fields, name -> string
  std::map<std::string, UploadedFile> files;  // multipart file parts by field name
  std::optional<std::string> access_token;    // the Access-Token header, when sent
};

struct ApiResponse {
  int http_status = 200;
  // With the charset (as TikTok sends it) cpp-httplib does not compress the answer: for libcurl's
  // Accept-Encoding it would brotli-compress every answer at maximum quality, about 0.7 s of CPU
  // for a 30-day report, and tests and benchmarks would measure the sandbox, not ttads.
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::map<std::string, std::string> headers;
  std::string endpoint;     // relative path when routed ("campaign/get/")
  std::optional<int> code;  // envelope code (absent for 404s and file downloads)
  std::string message;
  std::string request_id;
};

class TikTokApi {
 public:
  TikTokApi(SandboxConfig config, SandboxClock& clock, RateLimiter& rate_limiter);

  // Answers one request. Never throws.
  ApiResponse Handle(const ApiRequest& request);
  // The relative endpoint ("campaign/get/") of a routed path, or "" (unknown path or method).
  static std::string RoutedEndpoint(const std::string& method, const std::string& path);

  // Adds the objects of a seed document (see README.md) to the model; `reset` empties it
  // first. Seed settings (metrics_seed, backfill_days, min_budgets) update the config.
  absl::Status LoadSeed(const Json& seed, bool reset);
  // Counts of objects per advertiser.
  Json Summary();
  // Issues a fresh auth code for `app_id` granting `advertiser_ids` (empty: every advertiser),
  // valid for the configured TTL; the control API's way to start an OAuth flow.
  // Every long-term access token issued so far (tests look for them where they must not be).
  std::vector<std::string> AccessTokens();
  absl::StatusOr<std::string> IssueAuthCode(const std::string& app_id,
                                            std::vector<std::string> advertiser_ids);
  // A fresh TikTok-style log id (for answers the sandbox makes up, such as injected errors).
  std::string NewRequestId();
  SandboxConfig config();
  void set_config(const SandboxConfig& config);

 private:
  absl::Mutex mu_;
  SandboxConfig config_ ABSL_GUARDED_BY(mu_);
  SandboxState state_ ABSL_GUARDED_BY(mu_);
  SandboxClock& clock_;
  RateLimiter& rate_limiter_;
};

}  // namespace ttads::sandbox

#endif  // TTADS_TOOLS_SANDBOX_TIKTOK_API_H_
