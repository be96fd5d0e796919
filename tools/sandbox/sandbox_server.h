// The TikTok sandbox as a server: a loopback HTTP server (cpp-httplib) that answers the TikTok
// Marketing API v1.3 paths like TikTok (TikTokApi), applies injected faults and the base
// latency, records every API request, and serves a small JSON control API under /_sandbox/
// (no token): request log, faults, clock, seed, state summary, config. Everything the control
// API does is also a method here, for tests that run the sandbox in process.
//
//   Sandbox sandbox;
//   absl::StatusOr<int> port = sandbox.Start(options);   // port 0 picks a free port
//   ... point the client at sandbox.BaseUrl() ...
//   sandbox.Stop();
//
// Starting ignores SIGPIPE for the whole process: a client that gives up on a delayed answer
// must not kill the server writing it.
#ifndef TTADS_TOOLS_SANDBOX_SANDBOX_SERVER_H_
#define TTADS_TOOLS_SANDBOX_SANDBOX_SERVER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "tools/sandbox/faults.h"
#include "tools/sandbox/rate_limiter.h"
#include "tools/sandbox/request_log.h"
#include "tools/sandbox/sandbox_clock.h"
#include "tools/sandbox/sandbox_config.h"
#include "tools/sandbox/sandbox_json.h"
#include "tools/sandbox/tiktok_api.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace ttads::sandbox {

struct SandboxOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port
  SandboxConfig config;
  std::string seed_file;                  // a seed document to load (optional)
  std::string seed_json;                  // or its text (optional)
  std::vector<std::string> faults;        // fault specs in text form (faults.h)
  std::optional<absl::Time> clock_start;  // set the clock here at start
  bool freeze_clock = false;              // and keep it still
  int threads = 16;                       // request threads
  int keep_alive_seconds = 2;             // idle keep-alive connections close after this
};

class Sandbox {
 public:
  Sandbox();
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  // Applies the options (config, clock, seed, faults), binds and starts serving; returns the
  // port. Fails when already started, the seed is bad or the port cannot be bound.
  absl::StatusOr<int> Start(const SandboxOptions& options);
  // Stops serving; requests being delayed by faults are cut short. Idempotent.
  void Stop();
  int port() const;
  // "http://127.0.0.1:PORT/open_api": the TIKTOK_API_BASE_URL for a client.
  std::string BaseUrl() const;

  // Faults (see faults.h).
  absl::StatusOr<int64_t> AddFault(const FaultSpec& spec);
  absl::StatusOr<int64_t> AddFault(const std::string& text_spec);
  bool RemoveFault(int64_t id);
  void ClearFaults();
  Json Faults() const;

  // The request log, oldest first; `endpoint` ("campaign/create/") filters when non-empty.
  std::vector<RequestLogEntry> RequestLog(const std::string& endpoint = "") const;
  void ClearRequestLog();

  // The sandbox clock.
  absl::Time Now() const;
  void SetClock(absl::Time now, bool freeze);
  void AdvanceClock(absl::Duration delta);

  // Seed data (README.md); `reset` empties the model first.
  absl::Status LoadSeed(const std::string& json_text, bool reset = false);
  absl::Status LoadSeedFile(const std::string& path, bool reset = false);
  // Object counts per advertiser.
  Json StateSummary();
  // Every access token issued so far (seeded and exchanged).
  std::vector<std::string> AccessTokens();
  // A fresh auth code for `app_id` (all advertisers when `advertiser_ids` is empty).
  absl::StatusOr<std::string> IssueAuthCode(const std::string& app_id,
                                            const std::vector<std::string>& advertiser_ids = {});

  SandboxConfig config();
  void set_config(const SandboxConfig& config);
  // Forgets the rate limiters' current windows.
  void ResetRateLimits();

 private:
  void Serve(const httplib::Request& req, httplib::Response& res);
  void ServeControl(const httplib::Request& req, httplib::Response& res);
  // Sleeps up to `delay`, returning early when the sandbox stops.
  void Sleep(absl::Duration delay);
  // Shuts the client's connection of `req` down so it gets no answer.
  void DropConnection(const httplib::Request& req);

  SandboxClock clock_;
  RateLimiter rate_limiter_;
  FaultInjector faults_;
  ::ttads::sandbox::RequestLog log_;
  TikTokApi api_;

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::string host_;

  absl::Mutex stop_mu_;
  bool stopping_ ABSL_GUARDED_BY(stop_mu_) = false;
};

// Parses a time given to the control API: RFC 3339, "YYYY-MM-DD HH:MM:SS" (UTC) or
// "YYYY-MM-DD" (UTC midnight).
std::optional<absl::Time> ParseControlTime(const std::string& text);

}  // namespace ttads::sandbox

#endif  // TTADS_TOOLS_SANDBOX_SANDBOX_SERVER_H_
