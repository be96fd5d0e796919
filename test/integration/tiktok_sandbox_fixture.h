// The production TikTok client (tiktok/TikTokClient) against the TikTok sandbox
// (tools/sandbox), both in this process and talking real HTTP over loopback: libcurl on one
// side, cpp-httplib on the other. Nothing is mocked.
//
// Every test gets a fresh sandbox on a free port, loaded with tools/sandbox/demo_seed.json, with
// its clock frozen at the current second of real time (the client's ad/create read-back compares
// TikTok's create_time with its own clock, so the sandbox must not live in the past) and its
// rate limits off unless a test turns them on. The client is configured with the seeded app,
// millisecond timeouts and backoff, and a private rate limiter (off unless a test says so).
#ifndef TTADS_TEST_INTEGRATION_TIKTOK_SANDBOX_FIXTURE_H_
#define TTADS_TEST_INTEGRATION_TIKTOK_SANDBOX_FIXTURE_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "tiktok/call_log.h"
#include "tiktok/http_transport.h"
#include "tiktok/tiktok_client.h"
#include "tools/sandbox/request_log.h"
#include "tools/sandbox/sandbox_json.h"
#include "tools/sandbox/sandbox_server.h"

namespace ttads::integration {

// What tools/sandbox/demo_seed.json holds.
inline constexpr char kApp[] = "7300000000000000001";
inline constexpr char kAppSecret[] = "sandbox-demo-app-secret";
inline constexpr char kToken[] = "sandbox-demo-access-token";
inline constexpr char kAuthCode[] = "sandbox-demo-auth-code";
inline constexpr char kKz[] = "7400000000000000001";  // KZT, Asia/Almaty
inline constexpr char kUs[] = "7400000000000000002";  // USD, America/New_York
inline constexpr char kKzIdentity[] = "7500000000000000001";
inline constexpr char kUsIdentity[] = "7500000000000000002";
inline constexpr char kUsPixel[] = "7600000000000000002";
inline constexpr char kKzPage[] = "7700000000000000001";
inline constexpr char kUsVideo[] = "v10033g50000demovideo0000000";
inline constexpr char kUsImage[] = "ad-site-i18n-sg/demo-cover-ny";
inline constexpr char kKzCampaign[] = "7800000000000000001";
inline constexpr char kUsCampaign[] = "7800000000000000002";
inline constexpr char kKzAdGroup[] = "7900000000000000001";  // disabled, no ads
inline constexpr char kUsAdGroup[] = "7900000000000000002";
inline constexpr char kUsAd[] = "8000000000000000001";

class TikTokSandboxTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  // Lets a test change the sandbox options before it starts.
  virtual void Configure(sandbox::SandboxOptions& options) { (void)options; }

  // The client settings every test starts from: the sandbox's base URL, the seeded app,
  // millisecond timeouts, backoff and deadline, client rate limiting off.
  tiktok::TikTokClientConfig ClientConfig() const;
  // A client with `config`, its own rate limiter, and this fixture's call-log sink.
  std::unique_ptr<tiktok::TikTokClient> MakeClient(tiktok::TikTokClientConfig config);
  // The default client (ClientConfig()).
  tiktok::TikTokClient& client() { return *client_; }

  // ---- the sandbox's control API, over HTTP (/_sandbox/...) ----
  // GET or POST `path` (relative to /_sandbox/) and the parsed JSON answer; fails the test on a
  // transport error or an HTTP status other than 200.
  sandbox::Json Control(tiktok::HttpMethod method, const std::string& path,
                        const sandbox::Json& body = nullptr);
  // The raw text of GET /_sandbox/requests (the request log as JSON).
  std::string RawRequestLog();
  // Adds a fault through POST /_sandbox/faults (text form, see tools/sandbox/README.md).
  void AddFault(const std::string& spec);

  // ---- the request log, in process ----
  std::vector<sandbox::RequestLogEntry> Log(const std::string& endpoint) const;
  static int CountCode(const std::vector<sandbox::RequestLogEntry>& entries, int code);
  // Waits (up to `timeout`) until the log holds at least `count` entries for `endpoint`; a
  // request whose answer a fault holds back is logged only once the answer went out.
  std::vector<sandbox::RequestLogEntry> WaitForLog(const std::string& endpoint, size_t count,
                                                   absl::Duration timeout = absl::Seconds(5));

  // ---- the client's per-attempt log ----
  std::vector<tiktok::CallLogRecord> ClientLog();

  // ---- typical objects on the US (USD) advertiser ----
  static tiktok::CampaignCreateRequest CampaignRequest(const std::string& name,
                                                       double budget = 100);
  tiktok::AdGroupCreateRequest AdGroupRequest(const std::string& campaign_id,
                                              const std::string& name, double budget = 50);
  static tiktok::AdCreative VideoCreative(const std::string& name,
                                          const std::string& video_id = kUsVideo,
                                          const std::string& image_id = kUsImage);
  // Creates through the default client, asserting success; returns the id.
  std::string NewCampaign(const std::string& name, double budget = 100);
  std::string NewAdGroup(const std::string& campaign_id, const std::string& name,
                         double budget = 50);
  // Every live ad of an ad group, as the sandbox has them (read with the client).
  std::vector<tiktok::Ad> AdsOf(const std::string& adgroup_id);

  // "YYYY-MM-DD HH:MM:SS" (UTC) of the sandbox clock.
  std::string SandboxNowText() const;
  // The sandbox's current day in `zone` (IANA), moved by `offset_days`, as "YYYY-MM-DD".
  std::string SandboxDay(const std::string& zone, int offset_days) const;

  sandbox::Sandbox sandbox_;
  std::string base_url_;
  std::string control_url_;
  std::unique_ptr<tiktok::CurlTransport> control_transport_;
  std::unique_ptr<tiktok::TikTokClient> client_;

  absl::Mutex client_log_mutex_;
  std::vector<tiktok::CallLogRecord> client_log_ ABSL_GUARDED_BY(client_log_mutex_);
};

// A minimal MP4 whose movie header declares `seconds` (what the sandbox reads the duration from).
std::string TinyMp4(int seconds);
// A minimal PNG header of width x height (what the sandbox reads an image's size from).
std::string TinyPng(int width, int height);

}  // namespace ttads::integration

#endif  // TTADS_TEST_INTEGRATION_TIKTOK_SANDBOX_FIXTURE_H_
