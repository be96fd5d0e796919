// OAuth: single-use, expiring auth codes, token exchange, advertiser/get and revocation.
#include <gtest/gtest.h>

#include "test/sandbox/sandbox_fixture.h"

namespace ttads::sandbox::testing {
namespace {

using OAuthTest = SandboxTest;

TEST_F(OAuthTest, AuthCodeExchangesOnceForAWorkingToken) {
  Json first = Post("oauth2/access_token/",
                    {{"app_id", kApp}, {"secret", kAppSecret}, {"auth_code", kAuthCode}}, "");
  ASSERT_EQ(first["code"], 0) << first.dump();
  std::string token = first["data"]["access_token"];
  EXPECT_FALSE(token.empty());
  EXPECT_EQ(first["data"]["advertiser_ids"], (Json{kKz, kUs}));
  EXPECT_TRUE(first["data"]["scope"].is_array());
  EXPECT_TRUE(first["data"]["scope"][0].is_number_integer());

  Json info = Get("advertiser/info/", {{"advertiser_ids", {kUs}}}, token);
  EXPECT_EQ(info["code"], 0);

  Json second = Post("oauth2/access_token/",
                     {{"app_id", kApp}, {"secret", kAppSecret}, {"auth_code", kAuthCode}}, "");
  EXPECT_EQ(second["code"], 40110);
  EXPECT_EQ(second["data"], Json::object());
}

TEST_F(OAuthTest, AuthCodeExpiresAfterAnHourOfSandboxTime) {
  absl::StatusOr<std::string> code = sandbox_.IssueAuthCode(kApp, {kKz});
  ASSERT_TRUE(code.ok());
  sandbox_.AdvanceClock(absl::Minutes(59));
  absl::StatusOr<std::string> late = sandbox_.IssueAuthCode(kApp, {kKz});
  ASSERT_TRUE(late.ok());
  sandbox_.AdvanceClock(absl::Minutes(2));  // the first code is 61 minutes old
  Json expired = Post("oauth2/access_token/",
                      {{"app_id", kApp}, {"secret", kAppSecret}, {"auth_code", *code}}, "");
  EXPECT_EQ(expired["code"], 40110);
  Json fresh = Post("oauth2/access_token/",
                    {{"app_id", kApp}, {"secret", kAppSecret}, {"auth_code", *late}}, "");
  EXPECT_EQ(fresh["code"], 0);
  EXPECT_EQ(fresh["data"]["advertiser_ids"], Json::array({kKz}));
}

TEST_F(OAuthTest, WrongCredentialsAndCodes) {
  EXPECT_EQ(Post("oauth2/access_token/",
                 {{"app_id", kApp}, {"secret", "wrong"}, {"auth_code", kAuthCode}}, "")["code"],
            40101);
  EXPECT_EQ(Post("oauth2/access_token/",
                 {{"app_id", "7100000000000000999"}, {"secret", "x"}, {"auth_code", kAuthCode}},
                 "")["code"],
            40113);
  EXPECT_EQ(
      Post("oauth2/access_token/",
           {{"app_id", kApp}, {"secret", kAppSecret}, {"auth_code", "no-such-code"}}, "")["code"],
      40101);
  Json missing = Post("oauth2/access_token/", {{"app_id", kApp}}, "");
  EXPECT_EQ(missing["code"], 40002);
  EXPECT_EQ(missing["message"], "Missing required field(s): secret, auth_code.");
  // The failed attempts did not use the code up.
  EXPECT_EQ(Post("oauth2/access_token/",
                 {{"app_id", kApp}, {"secret", kAppSecret}, {"auth_code", kAuthCode}}, "")["code"],
            0);
}

TEST_F(OAuthTest, AdvertiserGetNeedsAppSecretAndToken) {
  Json list = Get("oauth2/advertiser/get/", {{"app_id", kApp}, {"secret", kAppSecret}});
  ASSERT_EQ(list["code"], 0) << list.dump();
  ASSERT_EQ(list["data"]["list"].size(), 2u);
  EXPECT_EQ(list["data"]["list"][0]["advertiser_id"], kKz);
  EXPECT_EQ(list["data"]["list"][0]["advertiser_name"], "KZ advertiser");
  EXPECT_EQ(Get("oauth2/advertiser/get/", {{"app_id", kApp}, {"secret", kAppSecret}}, "")["code"],
            40104);
  EXPECT_EQ(Get("oauth2/advertiser/get/", {{"app_id", kApp}, {"secret", "bad"}})["code"], 40101);
}

TEST_F(OAuthTest, RevokedTokenIs40105) {
  Json revoke =
      Post("oauth2/revoke_token/",
           {{"app_id", kApp}, {"secret", kAppSecret}, {"access_token", kKzOnlyToken}}, "");
  ASSERT_EQ(revoke["code"], 0) << revoke.dump();
  EXPECT_EQ(Get("campaign/get/", {{"advertiser_id", kKz}}, kKzOnlyToken)["code"], 40105);
  EXPECT_EQ(Get("campaign/get/", {{"advertiser_id", kKz}}, kToken)["code"], 0);
}

}  // namespace
}  // namespace ttads::sandbox::testing
