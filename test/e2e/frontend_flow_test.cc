// The web frontend's flow end to end over real HTTP: the TikTok sandbox, ttads-server and the
// REST gateway as processes; OAuth connect, the TikTok proxy with the old body, and the ROI
// numbers against the sandbox's own report, with the frontend's JWT.
#include <httplib.h>

#include <fstream>
#include <iterator>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "server/jwt.h"
#include "test/e2e/e2e_stack.h"

namespace ttads::testing {
namespace {

using Json = nlohmann::json;

constexpr const char* kAdmin = E2eStack::kAdminToken;
constexpr const char* kJwtSecret = E2eStack::kJwtSecret;
constexpr const char* kDemoToken = E2eStack::kDemoToken;  // demo_seed.json, for direct reads

class FrontendFlowTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(stack_.Start()); }
  void TearDown() override { stack_.Stop(); }

  std::pair<int, Json> Send(const std::string& method, const std::string& path,
                            const std::string& token, const std::string& body = "") {
    return stack_.Send(method, path, token, body);
  }

  E2eStack stack_;
};

TEST_F(FrontendFlowTest, ConnectProxyAndRoiThroughTheGateway) {
  auto [created_status, created] =
      Send("POST", "/api/v1/admin/user-accounts", kAdmin, R"({"username":"frontend"})");
  ASSERT_EQ(created_status, 200) << created.dump();
  const std::string user = created["user_account"]["id"];
  const std::string jwt =
      server::SignJwt({user, absl::Now() + absl::Hours(1)}, kJwtSecret, absl::Now());
  const std::string proxy_read =
      R"({"endpoint":"campaign/get/","method":"GET","params":{"advertiser_id":"1"}})";

  // Before connecting: the proxy says there are no credentials (no mock data).
  auto [missing_status, missing] = Send("POST", "/api/tiktok-proxy", jwt, proxy_read);
  EXPECT_EQ(missing_status, 412) << missing.dump();  // FAILED_PRECONDITION
  EXPECT_NE(missing.dump().find("CREDENTIALS_NOT_FOUND"), std::string::npos) << missing.dump();

  // OAuth as the frontend does it: a signed state, then the exchange with the old body.
  auto [state_status, state] = Send("GET", "/api/v1/tiktok/oauth/state", jwt);
  ASSERT_EQ(state_status, 200) << state.dump();
  auto [exchange_status, exchange] =
      Send("POST", "/api/tiktok/oauth/exchange", jwt,
           Json{{"code", "sandbox-demo-auth-code"}, {"state", state["state"]}}.dump());
  ASSERT_EQ(exchange_status, 200) << exchange.dump();
  EXPECT_EQ(exchange["success"], true);
  EXPECT_FALSE(exchange.contains("access_token"));

  // The proxy: TikTok's envelope; ttads, not the caller, names the advertiser.
  auto [proxy_status, proxy] = Send("POST", "/api/tiktok-proxy", jwt, proxy_read);
  ASSERT_EQ(proxy_status, 200) << proxy.dump();
  EXPECT_EQ(proxy["code"], 0);
  EXPECT_NE(proxy.dump().find("7800000000000000001"), std::string::npos) << proxy.dump();
  // Outside the whitelist: refused.
  auto [denied_status, denied] = Send(
      "POST", "/api/tiktok-proxy", jwt,
      R"({"endpoint":"campaign/create/","method":"POST","params":{"campaign_name":"x"}})");
  EXPECT_EQ(denied_status, 403) << denied.dump();

  // ROI per campaign equals the sandbox's own campaign report for the same days (with the
  // demo's always-on campaign, which has weeks of history).
  {
    std::ifstream file(TTADS_SANDBOX_HISTORY_SEED);
    const std::string seed((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    httplib::Client control("127.0.0.1", stack_.sandbox_port());
    auto loaded = control.Post("/_sandbox/seed", seed, "application/json");
    ASSERT_TRUE(loaded && loaded->status == 200) << (loaded ? loaded->body : "no answer");
  }
  auto [roi_status, roi] =
      Send("GET", "/api/v1/analytics/roi?level=campaign&granularity=total", jwt);
  ASSERT_EQ(roi_status, 200) << roi.dump();
  const std::string from = roi["period"]["start_date"];
  const std::string to = roi["period"]["end_date"];
  httplib::Client tiktok("127.0.0.1", stack_.sandbox_port());
  const std::string report_path = absl::StrCat(
      "/open_api/v1.3/report/integrated/get/?advertiser_id=7400000000000000001"
      "&report_type=BASIC&data_level=AUCTION_CAMPAIGN&dimensions=%5B%22campaign_id%22%5D"
      "&metrics=%5B%22spend%22%2C%22impressions%22%5D&page_size=1000&start_date=",
      from, "&end_date=", to);
  auto direct = tiktok.Get(report_path.c_str(), {{"Access-Token", kDemoToken}});
  ASSERT_TRUE(direct);
  const Json report = Json::parse(direct->body, nullptr, false);
  ASSERT_EQ(report.value("code", -1), 0) << direct->body;
  double expected_spend = 0;
  for (const Json& row : report["data"]["list"]) {
    const Json& spend = row["metrics"]["spend"];  // TikTok sends strings ("-" for none)
    if (spend.is_number()) expected_spend += spend.get<double>();
    if (spend.is_string() && spend.get<std::string>() != "-") {
      expected_spend += std::strtod(spend.get<std::string>().c_str(), nullptr);
    }
  }
  EXPECT_GT(expected_spend, 0);
  EXPECT_NEAR(roi["totals"]["spend"].get<double>(), expected_spend, 0.01) << roi.dump();
}

}  // namespace
}  // namespace ttads::testing
