// Fault injection: latency, error codes once / N times / a fraction, HTTP 5xx, HTML bodies,
// dropped connections and answers that arrive after the client gave up.
#include <gtest/gtest.h>

#include <chrono>

#include "test/sandbox/sandbox_fixture.h"
#include "tools/sandbox/faults.h"

namespace ttads::sandbox::testing {
namespace {

TEST(FaultSpecTest, ParsesTheTextForm) {
  absl::StatusOr<FaultSpec> spec = ParseFaultSpec("error:campaign/create/,code=40202,once");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->kind, FaultKind::kError);
  EXPECT_EQ(spec->path, "campaign/create/");
  EXPECT_EQ(spec->code, 40202);
  EXPECT_EQ(spec->times, 1);
  spec = ParseFaultSpec("http:/open_api/v1.3/report/*,status=502,fraction=0.25,method=get");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->path, "report/*");
  EXPECT_EQ(spec->http_status, 502);
  EXPECT_EQ(spec->fraction, 0.25);
  EXPECT_EQ(spec->method, "GET");
  spec = ParseFaultSpec("timeout:ad/create/");
  ASSERT_TRUE(spec.ok());
  EXPECT_TRUE(spec->after);
  EXPECT_EQ(spec->delay_ms, 10000);
  EXPECT_FALSE(ParseFaultSpec("explode:*").ok());
  EXPECT_FALSE(ParseFaultSpec("latency:*").ok());  // needs ms
  EXPECT_FALSE(ParseFaultSpec("error:*,fraction=2").ok());
  EXPECT_FALSE(ParseFaultSpec("error:*,colour=red").ok());
}

TEST(FaultInjectorTest, TimesSkipAndPaths) {
  FaultInjector injector;
  FaultSpec spec = *ParseFaultSpec("error:campaign/*,code=50000,times=2,skip=1");
  injector.Add(spec);
  EXPECT_FALSE(injector.Plan("GET", "adgroup/get/").terminal);
  EXPECT_FALSE(injector.Plan("GET", "campaign/get/").terminal);  // skipped
  EXPECT_TRUE(injector.Plan("GET", "campaign/get/").terminal);
  EXPECT_TRUE(injector.Plan("POST", "campaign/create/").terminal);
  EXPECT_FALSE(injector.Plan("GET", "campaign/get/").terminal);  // used up
  EXPECT_EQ(injector.List()[0]["fired"], 2);
}

using FaultTest = SandboxTest;

TEST_F(FaultTest, ErrorOnceThenNormal) {
  ASSERT_TRUE(sandbox_.AddFault("error:campaign/get/,code=50000,once").ok());
  Json first = Get("campaign/get/", {{"advertiser_id", kUs}});
  EXPECT_EQ(first["code"], 50000);
  EXPECT_EQ(first["message"], "System error.");
  EXPECT_EQ(first["data"], Json::object());
  EXPECT_FALSE(first["request_id"].get<std::string>().empty());
  EXPECT_EQ(Get("campaign/get/", {{"advertiser_id", kUs}})["code"], 0);
  // Other paths were never affected.
  EXPECT_EQ(sandbox_.RequestLog("campaign/get/")[0].fault, "error");
}

TEST_F(FaultTest, ErrorNTimes) {
  ASSERT_TRUE(sandbox_.AddFault("error:campaign/get/,code=40100,times=3").ok());
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(Get("campaign/get/", {{"advertiser_id", kUs}})["code"], 40100);
  EXPECT_EQ(Get("campaign/get/", {{"advertiser_id", kUs}})["code"], 0);
}

TEST_F(FaultTest, ErrorOnAFraction) {
  ASSERT_TRUE(sandbox_.AddFault("error:advertiser/info/,code=50002,fraction=0.5").ok());
  int failed = 0;
  for (int i = 0; i < 200; ++i) {
    if (Get("advertiser/info/", {{"advertiser_ids", {kKz}}})["code"] == 50002) ++failed;
  }
  EXPECT_GT(failed, 60);
  EXPECT_LT(failed, 140);
}

TEST_F(FaultTest, ErrorAfterTheWriteHappened) {
  ASSERT_TRUE(sandbox_.AddFault("error:campaign/create/,code=50000,once,after").ok());
  Json reply = Post("campaign/create/", {{"advertiser_id", kUs},
                                         {"campaign_name", "Happened anyway"},
                                         {"objective_type", "TRAFFIC"},
                                         {"budget_mode", "BUDGET_MODE_DAY"},
                                         {"budget", 60}});
  EXPECT_EQ(reply["code"], 50000);
  EXPECT_EQ(Get("campaign/get/", {{"advertiser_id", kUs}})["data"]["page_info"]["total_number"], 1);
}

TEST_F(FaultTest, Http5xx) {
  ASSERT_TRUE(sandbox_.AddFault("http:campaign/get/,status=503,once").ok());
  httplib::Result result = RawGet("/open_api/v1.3/campaign/get/", {{"advertiser_id", kUs}});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 503);
  EXPECT_EQ(ParseJson(result->body), std::nullopt);
}

TEST_F(FaultTest, HtmlBody) {
  ASSERT_TRUE(sandbox_.AddFault("html:campaign/get/,once").ok());
  httplib::Result result = RawGet("/open_api/v1.3/campaign/get/", {{"advertiser_id", kUs}});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_NE(result->get_header_value("Content-Type").find("text/html"), std::string::npos);
  EXPECT_NE(result->body.find("<html>"), std::string::npos);
  EXPECT_EQ(ParseJson(result->body), std::nullopt);
}

TEST_F(FaultTest, DroppedConnection) {
  ASSERT_TRUE(sandbox_.AddFault("drop:campaign/get/,once").ok());
  httplib::Result result = RawGet("/open_api/v1.3/campaign/get/", {{"advertiser_id", kUs}});
  EXPECT_FALSE(result);  // no response at all
  httplib::Client fresh("127.0.0.1", port_);
  httplib::Result again =
      fresh.Get("/open_api/v1.3/campaign/get/", EncodeParams({{"advertiser_id", kUs}}),
                {{"Access-Token", kToken}});
  ASSERT_TRUE(again);
  EXPECT_EQ((*ParseJson(again->body))["code"], 0);
}

TEST_F(FaultTest, AnswerArrivesAfterTheClientGaveUp) {
  ASSERT_TRUE(sandbox_.AddFault("timeout:campaign/create/,ms=1500,once").ok());
  httplib::Client impatient("127.0.0.1", port_);
  impatient.set_read_timeout(0, 300000);  // 300 ms
  Json body = {{"advertiser_id", kUs},
               {"campaign_name", "Slow create"},
               {"objective_type", "TRAFFIC"},
               {"budget_mode", "BUDGET_MODE_DAY"},
               {"budget", 60},
               {"request_id", "777"}};
  auto started = std::chrono::steady_clock::now();
  httplib::Result result =
      impatient.Post("/open_api/v1.3/campaign/create/", {{"Access-Token", kToken}}, body.dump(),
                     "application/json");
  EXPECT_FALSE(result);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(1400));
  // The create took effect; a retry with the same request_id finds it instead of duplicating.
  Json retry = Post("campaign/create/", body);
  ASSERT_EQ(retry["code"], 0) << retry.dump();
  EXPECT_EQ(Get("campaign/get/", {{"advertiser_id", kUs}})["data"]["page_info"]["total_number"], 1);
}

TEST_F(FaultTest, Latency) {
  ASSERT_TRUE(sandbox_.AddFault("latency:campaign/get/,ms=250").ok());
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(Get("campaign/get/", {{"advertiser_id", kUs}})["code"], 0);
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(250));
  started = std::chrono::steady_clock::now();
  Get("adgroup/get/", {{"advertiser_id", kUs}});
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(250));
}

TEST_F(FaultTest, BaseLatencyFromConfig) {
  SandboxConfig config = sandbox_.config();
  config.latency_ms = 200;
  sandbox_.set_config(config);
  auto started = std::chrono::steady_clock::now();
  Get("adgroup/get/", {{"advertiser_id", kUs}});
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(200));
}

TEST_F(FaultTest, ControlApiAddsListsAndClearsFaults) {
  httplib::Result added = client_->Post(
      "/_sandbox/faults",
      R"({"add":[{"kind":"error","path":"campaign/get/","code":40202,"times":1},"html:ad/get/"]})",
      "application/json");
  ASSERT_TRUE(added);
  ASSERT_EQ(added->status, 200) << added->body;
  EXPECT_EQ((*ParseJson(added->body))["ids"].size(), 2u);
  EXPECT_EQ(Get("campaign/get/", {{"advertiser_id", kUs}})["code"], 40202);
  httplib::Result listed = client_->Get("/_sandbox/faults");
  ASSERT_TRUE(listed);
  Json faults = (*ParseJson(listed->body))["faults"];
  EXPECT_EQ(faults[0]["fired"], 1);
  EXPECT_EQ(faults[0]["exhausted"], true);
  ASSERT_TRUE(client_->Post("/_sandbox/faults", R"({"clear":true})", "application/json"));
  EXPECT_EQ(sandbox_.Faults().size(), 0u);
  httplib::Result bad =
      client_->Post("/_sandbox/faults", R"({"kind":"explode"})", "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
}

}  // namespace
}  // namespace ttads::sandbox::testing
