// Connecting a TikTok account end to end: ttads-server (in process, over a real gRPC channel)
// exchanges an auth code with the TikTok sandbox over real HTTP, on SQLite and PostgreSQL.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "client/rpc_client.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "server/jwt.h"
#include "server/log.h"
#include "server/ttads_server.h"
#include "storage/user_account_repository.h"
#include "test/integration/server_sandbox_fixture.h"
#include "test/test_database.h"
#include "tools/sandbox/sandbox_server.h"
#include "ttads/v1/account_service.pb.h"
#include "ttads/v1/admin_service.pb.h"

namespace ttads::server {
namespace {

using ::ttads::testing::ScratchDatabase;
using ::ttads::testing::TestBackend;

constexpr char kKzAdvertiser[] = "7400000000000000001";
constexpr char kUsAdvertiser[] = "7400000000000000002";

class OAuthExchangeTest : public ::ttads::testing::ServerSandboxTest {
 protected:
  void SetUp() override {
    ServerSandboxTest::SetUp();
    if (server_ == nullptr) return;
    user_ = NewUser("alice");
    jwt_ = JwtFor(user_);
  }

  std::string IssueState(const std::string& ad_account_id = "") {
    v1::IssueOAuthStateRequest request;
    request.set_ad_account_id(ad_account_id);
    v1::IssueOAuthStateResponse response;
    EXPECT_TRUE(Client(jwt_).Call("AccountService/IssueOAuthState", request, response).ok());
    return response.state();
  }
  absl::Status Exchange(const std::string& code, const std::string& state,
                        v1::ExchangeOAuthCodeResponse& response,
                        const std::string& advertiser_id = "") {
    v1::ExchangeOAuthCodeRequest request;
    request.set_auth_code(code);
    request.set_state(state);
    request.set_advertiser_id(advertiser_id);
    return Client(jwt_).Call("AccountService/ExchangeOAuthCode", request, response);
  }

  std::string user_;
  std::string jwt_;
};

TEST_P(OAuthExchangeTest, ConnectsTheLegacyAccountAndNeverReturnsTheToken) {
  v1::ExchangeOAuthCodeResponse response;
  const absl::Status status = Exchange("sandbox-demo-auth-code", IssueState(), response);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_TRUE(response.success());
  EXPECT_EQ(response.business_id(), kKzAdvertiser);  // the first advertiser by default
  EXPECT_EQ(response.advertiser_name(), "Demo Almaty (KZT)");
  EXPECT_EQ(response.account_id(), "Demo Almaty (KZT)");  // the old wire's meaning
  EXPECT_EQ(response.identity_id(), "7500000000000000001");
  EXPECT_EQ(response.advertisers_size(), 2);
  EXPECT_EQ(response.user_account_id(), user_);
  EXPECT_EQ(response.DebugString().find("sandbox-demo-access-token"), std::string::npos);

  v1::GetAccountRequest get;
  v1::Account account;
  ASSERT_TRUE(Client(jwt_).Call("AccountService/GetAccount", get, account).ok());
  EXPECT_TRUE(account.tiktok_connected());
  EXPECT_EQ(account.tiktok_business_id(), kKzAdvertiser);

  // At rest the token is ciphertext.
  storage::UserAccountRepository users(scratch_->database());
  auto stored = users.Get(user_);
  ASSERT_TRUE(stored.ok());
  ASSERT_TRUE(stored->tiktok_access_token.has_value());
  EXPECT_EQ(stored->tiktok_access_token->find("sandbox"), std::string::npos);
  EXPECT_EQ(stored->tiktok_access_token->rfind("v1:", 0), 0u);
}

TEST_P(OAuthExchangeTest, TheCallerPicksAnAdvertiserForAnAdAccount) {
  v1::CreateAdAccountRequest create;
  create.set_name("US");
  v1::CreateAdAccountResponse created;
  ASSERT_TRUE(Client(jwt_).Call("AccountService/CreateAdAccount", create, created).ok());
  const std::string ad_account = created.account().account_id();
  v1::ExchangeOAuthCodeResponse response;
  const absl::Status status =
      Exchange("sandbox-demo-auth-code", IssueState(ad_account), response, kUsAdvertiser);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(response.business_id(), kUsAdvertiser);
  EXPECT_EQ(response.ad_account_id().value(), ad_account);
  v1::GetAccountRequest get;
  get.set_account_id(ad_account);
  v1::Account account;
  ASSERT_TRUE(Client(jwt_).Call("AccountService/GetAccount", get, account).ok());
  EXPECT_TRUE(account.tiktok_connected());
  EXPECT_EQ(account.tiktok_account_id(), "7500000000000000002");
}

TEST_P(OAuthExchangeTest, AStateWorksOnceAndOnlyForItsOwner) {
  const std::string state = IssueState();
  v1::ExchangeOAuthCodeResponse response;
  ASSERT_TRUE(Exchange("sandbox-demo-auth-code", state, response).ok());
  auto second_code = sandbox_.IssueAuthCode(::ttads::testing::kSandboxAppId);
  ASSERT_TRUE(second_code.ok());
  EXPECT_EQ(Exchange(*second_code, state, response).code(), absl::StatusCode::kInvalidArgument);

  // Bob cannot use Alice's state.
  const std::string alices_fresh_state = IssueState();
  jwt_ = JwtFor(NewUser("bob"));
  auto third_code = sandbox_.IssueAuthCode(::ttads::testing::kSandboxAppId);
  v1::ExchangeOAuthCodeResponse ignored;
  v1::ExchangeOAuthCodeRequest request;
  request.set_auth_code(*third_code);
  request.set_state(alices_fresh_state);
  EXPECT_EQ(Client(jwt_).Call("AccountService/ExchangeOAuthCode", request, ignored).code(),
            absl::StatusCode::kPermissionDenied);
  request.set_state(IssueState());  // Bob's own state works.
  EXPECT_TRUE(Client(jwt_).Call("AccountService/ExchangeOAuthCode", request, ignored).ok());
}

TEST_P(OAuthExchangeTest, AnUnknownCodeIsTikToksErrorWithItsRequestId) {
  v1::ExchangeOAuthCodeResponse response;
  const absl::Status status = Exchange("not-a-real-code", IssueState(), response);
  ASSERT_FALSE(status.ok());
  const auto payload = status.GetPayload("type.googleapis.com/google.rpc.ErrorInfo");
  ASSERT_TRUE(payload.has_value()) << status;
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(info.ParseFromString(std::string(*payload)));
  EXPECT_EQ(info.domain(), "business-api.tiktok.com");
  EXPECT_FALSE(info.metadata().at("tiktok_code").empty());
  EXPECT_FALSE(info.metadata().at("tiktok_request_id").empty());
  // Nothing was stored.
  v1::GetAccountRequest get;
  v1::Account account;
  ASSERT_TRUE(Client(jwt_).Call("AccountService/GetAccount", get, account).ok());
  EXPECT_FALSE(account.tiktok_connected());
}

TEST_P(OAuthExchangeTest, DisconnectRevokesTheTokenAtTikTok) {
  v1::ExchangeOAuthCodeResponse connected;
  ASSERT_TRUE(Exchange("sandbox-demo-auth-code", IssueState(), connected).ok());
  v1::DisconnectAccountRequest request;
  v1::DisconnectAccountResponse response;
  ASSERT_TRUE(Client(jwt_).Call("AccountService/DisconnectAccount", request, response).ok());
  EXPECT_TRUE(response.success());
  EXPECT_TRUE(response.token_revoked()) << response.message();
  EXPECT_FALSE(response.account().tiktok_connected());
  EXPECT_FALSE(sandbox_.RequestLog("oauth2/revoke_token/").empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, OAuthExchangeTest, ::ttads::testing::AllBackends(),
                         ::ttads::testing::BackendName);

}  // namespace
}  // namespace ttads::server
