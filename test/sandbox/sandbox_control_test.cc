// The control API (/_sandbox/) and the request log with its redaction.
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "test/sandbox/sandbox_fixture.h"

namespace ttads::sandbox::testing {
namespace {

using ControlTest = SandboxTest;

Json ControlGet(httplib::Client& client, const char* path) {
  httplib::Result result = client.Get(path);
  if (!result) return Json::object();
  EXPECT_EQ(result->status, 200) << path << " " << result->body;
  return ParseJson(result->body).value_or(Json::object());
}

Json ControlPost(httplib::Client& client, const char* path, const Json& body) {
  httplib::Result result = client.Post(path, body.dump(), "application/json");
  if (!result) return Json::object();
  EXPECT_EQ(result->status, 200) << path << " " << result->body;
  return ParseJson(result->body).value_or(Json::object());
}

TEST_F(ControlTest, RequestLogHidesCredentials) {
  Post("oauth2/access_token/", {{"app_id", kApp}, {"secret", kAppSecret}, {"auth_code", kAuthCode}},
       "");
  Get("oauth2/advertiser/get/", {{"app_id", kApp}, {"secret", kAppSecret}});
  Post("campaign/create/", {{"advertiser_id", kUs},
                            {"campaign_name", "Logged"},
                            {"objective_type", "TRAFFIC"},
                            {"budget_mode", "BUDGET_MODE_DAY"},
                            {"budget", 60}});
  Post("oauth2/revoke_token/",
       {{"app_id", kApp}, {"secret", kAppSecret}, {"access_token", kKzOnlyToken}}, "");

  std::vector<RequestLogEntry> entries = sandbox_.RequestLog();
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[2].method, "POST");
  EXPECT_EQ(entries[2].endpoint, "campaign/create/");
  EXPECT_EQ(entries[2].body["campaign_name"], "Logged");
  EXPECT_EQ(entries[2].code, 0);
  EXPECT_EQ(entries[2].http_status, 200);
  EXPECT_EQ(entries[2].headers["Access-Token"], kRedacted);
  EXPECT_EQ(entries[0].body["secret"], kRedacted);
  EXPECT_EQ(entries[0].body["auth_code"], kRedacted);
  EXPECT_EQ(entries[0].body["app_id"], kApp);
  EXPECT_EQ(entries[1].query["secret"], kRedacted);
  EXPECT_EQ(entries[3].body["access_token"], kRedacted);

  httplib::Result log = client_->Get("/_sandbox/requests");
  ASSERT_TRUE(log);
  for (const char* secret : {kToken, kAppSecret, kAuthCode, kKzOnlyToken}) {
    EXPECT_FALSE(absl::StrContains(log->body, secret)) << secret;
  }
  Json filtered = ControlGet(*client_, "/_sandbox/requests?endpoint=campaign/create/");
  EXPECT_EQ(filtered["count"], 1);
  httplib::Result cleared = client_->Delete("/_sandbox/requests");
  ASSERT_TRUE(cleared);
  EXPECT_EQ((*ParseJson(cleared->body))["cleared"], 4);
  EXPECT_TRUE(sandbox_.RequestLog().empty());
}

TEST_F(ControlTest, ClockSetAndAdvance) {
  Json clock = ControlGet(*client_, "/_sandbox/clock");
  EXPECT_EQ(clock["now"], "2025-03-10T12:00:00+00:00");
  EXPECT_EQ(clock["frozen"], true);
  clock = ControlPost(*client_, "/_sandbox/clock", {{"advance_seconds", 90}});
  EXPECT_EQ(clock["now"], "2025-03-10T12:01:30+00:00");
  clock = ControlPost(*client_, "/_sandbox/clock", {{"set", "2025-04-01 00:00:00"}});
  EXPECT_EQ(clock["now"], "2025-04-01T00:00:00+00:00");
  Json created = Post("campaign/create/", {{"advertiser_id", kUs},
                                           {"campaign_name", "Dated"},
                                           {"objective_type", "TRAFFIC"},
                                           {"budget_mode", "BUDGET_MODE_DAY"},
                                           {"budget", 60}});
  EXPECT_EQ(created["data"]["create_time"], "2025-04-01 00:00:00");
  httplib::Result bad =
      client_->Post("/_sandbox/clock", R"({"set":"yesterday"})", "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
}

TEST_F(ControlTest, SeedStateAndConfig) {
  Json seeded = ControlPost(*client_, "/_sandbox/seed",
                            {{"advertisers",
                              {{{"advertiser_id", "7200000000000000009"},
                                {"name", "Added"},
                                {"currency", "EUR"},
                                {"timezone", "Europe/Berlin"}}}},
                             {"tokens",
                              {{{"access_token", "added-token"},
                                {"app_id", kApp},
                                {"advertiser_ids", {"7200000000000000009"}}}}}});
  EXPECT_EQ(seeded["state"]["advertisers"].size(), 3u);
  EXPECT_EQ(Get("advertiser/info/", {{"advertiser_ids", {"7200000000000000009"}}},
                "added-token")["data"]["list"][0]["currency"],
            "EUR");
  CreateCampaign(kUs, "Counted", 60);
  Json state = ControlGet(*client_, "/_sandbox/state");
  for (const Json& advertiser : state["advertisers"]) {
    if (advertiser["advertiser_id"] == kUs) {
      EXPECT_EQ(advertiser["campaigns"], 1);
    }
  }
  httplib::Result bad = client_->Post("/_sandbox/seed",
                                      R"({"advertisers":[{"advertiser_id":"1","name":"x",
                                         "timezone":"Mars/Olympus"}]})",
                                      "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_TRUE(absl::StrContains(bad->body, "Mars/Olympus"));

  Json config =
      ControlPost(*client_, "/_sandbox/config", {{"transcode_seconds", 45}, {"advertiser_qps", 7}});
  EXPECT_EQ(config["transcode_seconds"], 45);
  EXPECT_EQ(sandbox_.config().advertiser_qps, 7);
  EXPECT_EQ(config["min_budgets"]["KZT"]["adgroup_daily"], 2500.0);

  Json code = ControlPost(*client_, "/_sandbox/auth_codes", {{"app_id", kApp}});
  EXPECT_EQ(Post("oauth2/access_token/",
                 {{"app_id", kApp}, {"secret", kAppSecret}, {"auth_code", code["auth_code"]}},
                 "")["code"],
            0);
  httplib::Result unknown = client_->Get("/_sandbox/nothing");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
}

TEST_F(ControlTest, ResetSeedEmptiesTheModel) {
  CreateCampaign(kUs, "Gone", 60);
  httplib::Result reset =
      client_->Post("/_sandbox/seed?reset=true", FixtureSeed(), "application/json");
  ASSERT_TRUE(reset);
  ASSERT_EQ(reset->status, 200) << reset->body;
  EXPECT_TRUE(Get("campaign/get/", {{"advertiser_id", kUs}})["data"]["list"].empty());
}

}  // namespace
}  // namespace ttads::sandbox::testing
