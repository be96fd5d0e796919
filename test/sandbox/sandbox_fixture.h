// A TikTok sandbox running in process on a free port, a fixed seed, a frozen clock and an
// httplib client, for the sandbox tests. Rate limits are off unless a test turns them on.
#ifndef TTADS_TEST_SANDBOX_SANDBOX_FIXTURE_H_
#define TTADS_TEST_SANDBOX_SANDBOX_FIXTURE_H_

#include <gtest/gtest.h>
#include <httplib.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "tools/sandbox/sandbox_json.h"
#include "tools/sandbox/sandbox_server.h"

namespace ttads::sandbox::testing {

inline constexpr char kApp[] = "7100000000000000001";
inline constexpr char kAppSecret[] = "test-app-secret-0001";
inline constexpr char kToken[] = "test-token-0123456789abcdef";
inline constexpr char kKzOnlyToken[] = "test-token-kz-only-0001";
inline constexpr char kAuthCode[] = "test-auth-code-0001";
inline constexpr char kKz[] = "7200000000000000001";  // KZT, Asia/Almaty
inline constexpr char kUs[] = "7200000000000000002";  // USD, America/New_York
inline constexpr char kKzIdentity[] = "7300000000000000001";
inline constexpr char kUsIdentity[] = "7300000000000000002";
inline constexpr char kKzPage[] = "7400000000000000001";
inline constexpr char kUsVideo[] = "v10033g50000testvideous000";
inline constexpr char kUsImage[] = "ad-site-i18n-sg/test-image-us";
inline constexpr char kKzVideo[] = "v10033g50000testvideokz000";
inline constexpr char kKzImage[] = "ad-site-i18n-sg/test-image-kz";

// 2025-03-10 12:00:00 UTC: 17:00 in Almaty, 08:00 in New York (after the DST change).
inline absl::Time FixtureNow() {
  return absl::FromCivil(absl::CivilSecond(2025, 3, 10, 12, 0, 0), absl::UTCTimeZone());
}

std::string FixtureSeed();

class SandboxTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  // Lets a test change the options before the sandbox starts.
  virtual void Configure(SandboxOptions& options) { (void)options; }

  // GET /open_api/v1.3/<endpoint> with `params` (arrays/objects JSON-encoded) and the token;
  // the parsed envelope. Fails the test on a transport error or a non-200 status.
  Json Get(const std::string& endpoint, const Json& params, const std::string& token = kToken);
  // POST a JSON body.
  Json Post(const std::string& endpoint, const Json& body, const std::string& token = kToken);
  // The raw results, for tests of HTTP behaviour.
  httplib::Result RawGet(const std::string& path, const Json& params,
                         const std::string& token = kToken);
  httplib::Result RawPost(const std::string& path, const std::string& body,
                          const std::string& token = kToken);

  // Creation helpers; each asserts success and returns the new id.
  std::string CreateCampaign(const std::string& advertiser, const std::string& name, double budget,
                             const std::string& objective = "TRAFFIC");
  std::string CreateAdGroup(const std::string& advertiser, const std::string& campaign_id,
                            const std::string& name, double budget);
  std::string CreateAd(const std::string& advertiser, const std::string& adgroup_id,
                       const std::string& name);
  Json AdGroupBody(const std::string& advertiser, const std::string& campaign_id,
                   const std::string& name, double budget);
  Json CreativeFor(const std::string& advertiser, const std::string& name);

  // A BASIC report; `extra` adds or overrides parameters.
  Json Report(const std::string& advertiser, const std::string& level,
              const std::vector<std::string>& dimensions, const std::vector<std::string>& metrics,
              const std::string& start, const std::string& end, const Json& extra = Json::object());

  Sandbox sandbox_;
  int port_ = 0;
  std::unique_ptr<httplib::Client> client_;
};

// Sum of a metric over a report's rows, as a number (cents exact for money).
double SumMetric(const Json& report, const std::string& metric);
// Query parameters as TikTok wants them: scalars as text, arrays/objects JSON-encoded.
httplib::Params EncodeParams(const Json& params);

}  // namespace ttads::sandbox::testing

#endif  // TTADS_TEST_SANDBOX_SANDBOX_FIXTURE_H_
