// The web frontend's flow end to end over real HTTP: the TikTok sandbox, ttads-server and the
// REST gateway as processes; OAuth connect, the TikTok proxy with the old body, and the ROI
// numbers against the sandbox's own report, with the frontend's JWT.
#include <httplib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "server/jwt.h"
#include "test/process_runner.h"

namespace ttads::testing {
namespace {

using Json = nlohmann::json;

constexpr char kAdmin[] = "e2e-admin-token";
constexpr char kJwtSecret[] = "e2e-jwt-secret";
constexpr char kDemoToken[] = "sandbox-demo-access-token";  // demo_seed.json, for direct reads

class FrontendFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           absl::StrCat("ttads-flow-", getpid(), "-", absl::ToUnixNanos(absl::Now()));
    std::filesystem::create_directories(dir_);
    sandbox_ = std::make_unique<ChildProcess>(
        TTADS_SANDBOX_BINARY,
        std::vector<std::string>{"--port", "0", "--seed", TTADS_SANDBOX_DEMO_SEED},
        std::vector<std::string>{}, ChildProcess::Capture::kStdout);
    sandbox_port_ = PortOfListeningLine(sandbox_->ReadUntil("listening"));
    ASSERT_GT(sandbox_port_, 0) << sandbox_->output();
    server_ = std::make_unique<ChildProcess>(
        TTADS_SERVER_BINARY, std::vector<std::string>{},
        std::vector<std::string>{
            "TTADS_GRPC_LISTEN=127.0.0.1:0", "TTADS_METRICS_LISTEN=127.0.0.1:0",
            absl::StrCat("TTADS_DATABASE_URL=sqlite:", dir_.string(), "/t.db"),
            absl::StrCat("TTADS_ADMIN_TOKEN=", kAdmin), absl::StrCat("TTADS_JWT_SECRET=", kJwtSecret),
            "TIKTOK_APP_ID=7300000000000000001", "TIKTOK_APP_SECRET=sandbox-demo-app-secret",
            absl::StrCat("TIKTOK_API_BASE_URL=http://127.0.0.1:", sandbox_port_, "/open_api"),
            "TTADS_SCHEDULER_ENABLED=false", "TTADS_TIKTOK_RETRY_DEADLINE_MS=2000",
            "TTADS_TIKTOK_RETRY_BASE_DELAY_MS=5"});
    const int grpc_port = PortOfListeningLine(server_->ReadUntil("\"event\":\"listening\""));
    ASSERT_GT(grpc_port, 0) << server_->output();
    gateway_ = std::make_unique<ChildProcess>(
        TTADS_GATEWAY_BINARY, std::vector<std::string>{},
        std::vector<std::string>{"TTADS_HTTP_LISTEN=127.0.0.1:0",
                                 absl::StrCat("TTADS_GRPC_TARGET=127.0.0.1:", grpc_port)},
        ChildProcess::Capture::kStdout);
    const int http_port = PortOfListeningLine(gateway_->ReadUntil("listening"));
    ASSERT_GT(http_port, 0) << gateway_->output();
    http_ = std::make_unique<httplib::Client>("127.0.0.1", http_port);
    http_->set_read_timeout(20, 0);
    for (int i = 0; i < 100; ++i) {
      if (auto answer = http_->Get("/healthz"); answer && answer->status == 200) break;
      absl::SleepFor(absl::Milliseconds(50));
    }
  }
  void TearDown() override {
    gateway_.reset();
    server_.reset();
    sandbox_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::pair<int, Json> Send(const std::string& method, const std::string& path,
                            const std::string& token, const std::string& body = "") {
    httplib::Headers headers = {{"Authorization", "Bearer " + token}};
    auto answer = method == "GET" ? http_->Get(path.c_str(), headers)
                                  : http_->Post(path.c_str(), headers, body, "application/json");
    if (!answer) return {0, {}};
    return {answer->status, Json::parse(answer->body, nullptr, false)};
  }

  std::filesystem::path dir_;
  std::unique_ptr<ChildProcess> sandbox_;
  std::unique_ptr<ChildProcess> server_;
  std::unique_ptr<ChildProcess> gateway_;
  std::unique_ptr<httplib::Client> http_;
  int sandbox_port_ = 0;
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
    httplib::Client control("127.0.0.1", sandbox_port_);
    auto loaded = control.Post("/_sandbox/seed", seed, "application/json");
    ASSERT_TRUE(loaded && loaded->status == 200) << (loaded ? loaded->body : "no answer");
  }
  auto [roi_status, roi] =
      Send("GET", "/api/v1/analytics/roi?level=campaign&granularity=total", jwt);
  ASSERT_EQ(roi_status, 200) << roi.dump();
  const std::string from = roi["period"]["start_date"];
  const std::string to = roi["period"]["end_date"];
  httplib::Client tiktok("127.0.0.1", sandbox_port_);
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
