// Envelope, routing (trailing slash, method) and token behaviour of the TikTok sandbox.
#include <gtest/gtest.h>

#include "test/sandbox/sandbox_fixture.h"

namespace ttads::sandbox::testing {
namespace {

using TransportTest = SandboxTest;

TEST_F(TransportTest, SuccessIsAnEnvelopeWithStringIds) {
  httplib::Result result =
      RawGet("/open_api/v1.3/advertiser/info/", {{"advertiser_ids", Json::array({kKz})}});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->get_header_value("Content-Type"), "application/json; charset=utf-8");
  Json envelope = *ParseJson(result->body);
  EXPECT_EQ(envelope["code"], 0);
  EXPECT_EQ(envelope["message"], "OK");
  ASSERT_TRUE(envelope["request_id"].is_string());
  EXPECT_FALSE(envelope["request_id"].get<std::string>().empty());
  EXPECT_EQ(result->get_header_value("X-Tt-Logid"), envelope["request_id"]);
  const Json& advertiser = envelope["data"]["list"][0];
  EXPECT_EQ(advertiser["advertiser_id"], kKz);  // a string, above 2^53
  EXPECT_EQ(advertiser["currency"], "KZT");
  EXPECT_EQ(advertiser["timezone"], "Asia/Almaty");
  EXPECT_FALSE(advertiser.contains("company_name_editable"));
}

TEST_F(TransportTest, EveryRequestGetsItsOwnRequestId) {
  Json a = Get("advertiser/info/", {{"advertiser_ids", {kKz}}});
  Json b = Get("advertiser/info/", {{"advertiser_ids", {kKz}}});
  EXPECT_NE(a["request_id"], b["request_id"]);
}

TEST_F(TransportTest, MissingTrailingSlashIsAPlainHttp404) {
  httplib::Result result =
      RawGet("/open_api/v1.3/advertiser/info", {{"advertiser_ids", Json::array({kKz})}});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 404);
  EXPECT_EQ(result->body, "404 page not found");
  EXPECT_EQ(ParseJson(result->body), std::nullopt);
}

TEST_F(TransportTest, WrongMethodAndUnknownPathAre404) {
  httplib::Result post = RawPost("/open_api/v1.3/campaign/get/", "{}");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 404);
  httplib::Result get = RawGet("/open_api/v1.3/campaign/create/", Json::object());
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 404);
  httplib::Result unknown = RawGet("/open_api/v1.3/file/video/ad/get/", Json::object());
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  httplib::Result old_version = RawGet("/open_api/v1.2/campaign/get/", Json::object());
  ASSERT_TRUE(old_version);
  EXPECT_EQ(old_version->status, 404);
}

TEST_F(TransportTest, MissingTokenIs40104OnHttp200) {
  httplib::Result result = RawGet("/open_api/v1.3/campaign/get/", {{"advertiser_id", kKz}}, "");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  Json envelope = *ParseJson(result->body);
  EXPECT_EQ(envelope["code"], 40104);
  EXPECT_EQ(envelope["message"],
            "Access token is null, you should set it in http header with key Access-Token.");
  EXPECT_EQ(envelope["data"], Json::object());
}

TEST_F(TransportTest, UnknownTokenIs40105) {
  Json envelope = Get("campaign/get/", {{"advertiser_id", kKz}}, "not-a-token");
  EXPECT_EQ(envelope["code"], 40105);
  EXPECT_EQ(envelope["data"], Json::object());
}

TEST_F(TransportTest, TokenInTheQueryStringDoesNotCount) {
  Json envelope = Get("campaign/get/", {{"advertiser_id", kKz}, {"access_token", kToken}}, "");
  EXPECT_EQ(envelope["code"], 40104);
}

TEST_F(TransportTest, AdvertiserOutsideTheGrantIs40001) {
  Json envelope = Get("campaign/get/", {{"advertiser_id", kUs}}, kKzOnlyToken);
  EXPECT_EQ(envelope["code"], 40001);
  envelope = Get("advertiser/info/", {{"advertiser_ids", {kKz, kUs}}}, kKzOnlyToken);
  EXPECT_EQ(envelope["code"], 40001);
  envelope = Get("campaign/get/", {{"advertiser_id", "7299999999999999999"}});
  EXPECT_EQ(envelope["code"], 40001);
}

TEST_F(TransportTest, MalformedJsonParameterIs40002) {
  Json envelope = Get("advertiser/info/", {{"advertiser_ids", "[\"7200000000000000001\""}});
  EXPECT_EQ(envelope["code"], 40002);
  envelope = Get("advertiser/info/", {{"advertiser_ids", kKz}});  // not a JSON array
  EXPECT_EQ(envelope["code"], 40002);
  EXPECT_NE(envelope["message"].get<std::string>().find("advertiser_ids"), std::string::npos);
}

TEST_F(TransportTest, MalformedJsonBodyIs40002) {
  httplib::Result result = RawPost("/open_api/v1.3/campaign/create/", "{not json");
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ((*ParseJson(result->body))["code"], 40002);
  result = RawPost("/open_api/v1.3/campaign/create/", "[1,2]");
  ASSERT_TRUE(result);
  EXPECT_EQ((*ParseJson(result->body))["code"], 40002);
}

TEST_F(TransportTest, MissingRequiredFieldsAreListed) {
  Json envelope = Post("campaign/create/", {{"advertiser_id", kKz}});
  EXPECT_EQ(envelope["code"], 40002);
  EXPECT_EQ(envelope["message"], "Missing required field(s): campaign_name, objective_type.");
}

TEST_F(TransportTest, IdsMayArriveAsNumbers) {
  Json envelope = Get("advertiser/info/", {{"advertiser_ids", "[7200000000000000001]"}});
  EXPECT_EQ(envelope["code"], 0) << envelope.dump();
  EXPECT_EQ(envelope["data"]["list"][0]["advertiser_id"], kKz);
}

TEST_F(TransportTest, AdvertiserInfoFieldsSelectAndLimitTo100Ids) {
  Json envelope =
      Get("advertiser/info/", {{"advertiser_ids", {kKz}}, {"fields", {"name", "currency"}}});
  ASSERT_EQ(envelope["code"], 0);
  EXPECT_EQ(envelope["data"]["list"][0], (Json{{"name", "KZ advertiser"}, {"currency", "KZT"}}));
  envelope = Get("advertiser/info/", {{"advertiser_ids", {kKz}}, {"fields", {"nonsense"}}});
  EXPECT_EQ(envelope["code"], 40002);
  Json ids = Json::array();
  for (int i = 0; i < 101; ++i) ids.push_back(kKz);
  EXPECT_EQ(Get("advertiser/info/", {{"advertiser_ids", ids}})["code"], 40002);
}

}  // namespace
}  // namespace ttads::sandbox::testing
