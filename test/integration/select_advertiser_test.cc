// AccountService.SelectAdvertiser end to end: an account connected through the real OAuth
// exchange is pointed at the other advertiser its stored token sees (the TikTok sandbox's demo
// app sees two), over a real gRPC channel and real HTTP, on SQLite and PostgreSQL.
#include <string>

#include "absl/strings/str_cat.h"
#include "client/rpc_client.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "server/rpc_status.h"
#include "storage/ad_account_repository.h"
#include "storage/user_account_repository.h"
#include "test/integration/server_sandbox_fixture.h"
#include "ttads/v1/account_service.pb.h"
#include "ttads/v1/audit_service.pb.h"

namespace ttads::server {
namespace {

constexpr char kKzAdvertiser[] = "7400000000000000001";
constexpr char kUsAdvertiser[] = "7400000000000000002";
constexpr char kKzIdentity[] = "7500000000000000001";
constexpr char kUsIdentity[] = "7500000000000000002";

std::string ReasonOf(const absl::Status& status) {
  google::rpc::ErrorInfo info;
  const auto payload = status.GetPayload("type.googleapis.com/google.rpc.ErrorInfo");
  if (!payload.has_value() || !info.ParseFromString(std::string(*payload))) return "";
  return info.reason();
}

class SelectAdvertiserTest : public ::ttads::testing::ServerSandboxTest {
 protected:
  void SetUp() override {
    ServerSandboxTest::SetUp();
    if (server_ == nullptr) return;
    user_ = NewUser("alice");
    jwt_ = JwtFor(user_);
  }

  absl::Status Select(const v1::SelectAdvertiserRequest& request,
                      v1::SelectAdvertiserResponse& response, const std::string& token = "") {
    response.Clear();
    return Client(token.empty() ? jwt_ : token).Call("AccountService/SelectAdvertiser", request,
                                                     response);
  }
  v1::SelectAdvertiserRequest Request(const std::string& advertiser_id, const std::string& key,
                                      const std::string& account_id = "") {
    v1::SelectAdvertiserRequest request;
    request.set_account_id(account_id);
    request.set_advertiser_id(advertiser_id);
    request.set_idempotency_key(key);
    return request;
  }
  v1::Account Account(const std::string& account_id = "") {
    v1::GetAccountRequest get;
    get.set_account_id(account_id);
    v1::Account account;
    const absl::Status status = Client(jwt_).Call("AccountService/GetAccount", get, account);
    EXPECT_TRUE(status.ok()) << status;
    return account;
  }

  std::string user_;
  std::string jwt_;
};

TEST_P(SelectAdvertiserTest, PointsTheLegacyAccountAtAnotherAdvertiserAndItsIdentity) {
  Connect(jwt_, "", kKzAdvertiser);
  ASSERT_EQ(Account().tiktok_business_id(), kKzAdvertiser);
  ASSERT_EQ(Account().tiktok_account_id(), kKzIdentity);

  v1::SelectAdvertiserResponse response;
  const absl::Status status = Select(Request(kUsAdvertiser, "select-1"), response);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(response.account().kind(), "legacy_user");
  EXPECT_EQ(response.account().tiktok_business_id(), kUsAdvertiser);
  EXPECT_EQ(response.account().tiktok_account_id(), kUsIdentity);
  EXPECT_TRUE(response.account().tiktok_connected());
  ASSERT_EQ(response.advertisers_size(), 2);
  EXPECT_EQ(response.advertisers(1).id(), kUsAdvertiser);
  EXPECT_EQ(response.advertisers(1).name(), "Demo New York (USD)");
  EXPECT_FALSE(response.mutation().replayed());
  EXPECT_EQ(response.mutation().idempotency_key(), "select-1");
  EXPECT_EQ(response.DebugString().find("sandbox-demo-access-token"), std::string::npos);

  // Read back through AccountService; the token still works (it was not lost in the move).
  EXPECT_EQ(Account().tiktok_business_id(), kUsAdvertiser);
  EXPECT_EQ(Account().tiktok_account_id(), kUsIdentity);
  storage::UserAccountRepository users(scratch_->database());
  EXPECT_EQ(users.Get(user_)->tiktok_access_token->rfind("v1:", 0), 0u);  // still ciphertext

  // The same key again replays without asking TikTok.
  sandbox_.ClearRequestLog();
  v1::SelectAdvertiserResponse again;
  ASSERT_TRUE(Select(Request(kUsAdvertiser, "select-1"), again).ok());
  EXPECT_TRUE(again.mutation().replayed());
  EXPECT_EQ(again.account().tiktok_business_id(), kUsAdvertiser);
  EXPECT_TRUE(sandbox_.RequestLog().empty());
  // The same key for another advertiser is refused.
  EXPECT_EQ(Select(Request(kKzAdvertiser, "select-1"), again).code(),
            absl::StatusCode::kAlreadyExists);

  // Back to the first advertiser under a new key; the change is audited.
  ASSERT_TRUE(Select(Request(kKzAdvertiser, "select-2"), response).ok());
  EXPECT_EQ(Account().tiktok_business_id(), kKzAdvertiser);
  EXPECT_EQ(Account().tiktok_account_id(), kKzIdentity);
  v1::ListAuditEventsResponse events;
  ASSERT_TRUE(Client(jwt_)
                  .Call("AuditService/ListAuditEvents", v1::ListAuditEventsRequest(), events)
                  .ok());
  int selections = 0;
  for (const v1::AuditEvent& event : events.events()) {
    if (event.action() == "AccountService.SelectAdvertiser") ++selections;
  }
  EXPECT_EQ(selections, 2);
}

TEST_P(SelectAdvertiserTest, SelectsForAnAdAccount) {
  v1::CreateAdAccountRequest create;
  create.set_name("Second");
  v1::CreateAdAccountResponse created;
  ASSERT_TRUE(Client(jwt_).Call("AccountService/CreateAdAccount", create, created).ok());
  const std::string ad_account = created.account().account_id();
  Connect(jwt_, ad_account, kUsAdvertiser);

  v1::SelectAdvertiserResponse response;
  const absl::Status status =
      Select(Request(kKzAdvertiser, "select-ad-1", ad_account), response);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(response.account().kind(), "ad_account");
  EXPECT_EQ(response.account().account_id(), ad_account);
  EXPECT_EQ(Account(ad_account).tiktok_business_id(), kKzAdvertiser);
  EXPECT_EQ(Account(ad_account).tiktok_account_id(), kKzIdentity);
  // The legacy credentials were not touched (never connected).
  EXPECT_FALSE(Account().tiktok_connected());
}

TEST_P(SelectAdvertiserTest, AnAdvertiserTheTokenCannotSeeIsRefused) {
  Connect(jwt_, "", kKzAdvertiser);
  v1::SelectAdvertiserResponse response;
  const absl::Status unseen = Select(Request("7400000000000000099", "select-x"), response);
  EXPECT_EQ(unseen.code(), absl::StatusCode::kInvalidArgument) << unseen;
  ASSERT_EQ(FieldViolationsOf(unseen).size(), 1u) << unseen;
  EXPECT_EQ(FieldViolationsOf(unseen)[0].field, "advertiser_id");
  EXPECT_EQ(Account().tiktok_business_id(), kKzAdvertiser);

  const absl::Status malformed = Select(Request("act_123", "select-y"), response);
  EXPECT_EQ(malformed.code(), absl::StatusCode::kInvalidArgument) << malformed;
  const absl::Status missing = Select(Request("", "select-z"), response);
  EXPECT_EQ(missing.code(), absl::StatusCode::kInvalidArgument) << missing;
}

TEST_P(SelectAdvertiserTest, ValidateOnlyChecksAndChangesNothing) {
  Connect(jwt_, "", kKzAdvertiser);
  v1::SelectAdvertiserRequest request = Request(kUsAdvertiser, "select-dry");
  request.set_validate_only(true);
  v1::SelectAdvertiserResponse response;
  const absl::Status status = Select(request, response);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_TRUE(response.mutation().validate_only());
  EXPECT_EQ(response.advertisers_size(), 2);
  EXPECT_EQ(response.account().tiktok_business_id(), kKzAdvertiser);
  EXPECT_EQ(Account().tiktok_business_id(), kKzAdvertiser);
  EXPECT_EQ(Account().tiktok_account_id(), kKzIdentity);
  // A check still refuses what the token cannot see.
  request.set_advertiser_id("7400000000000000099");
  EXPECT_EQ(Select(request, response).code(), absl::StatusCode::kInvalidArgument);

  // Nothing was recorded: the same key runs for real afterwards.
  ASSERT_TRUE(Select(Request(kUsAdvertiser, "select-dry"), response).ok());
  EXPECT_FALSE(response.mutation().replayed());
  EXPECT_EQ(Account().tiktok_business_id(), kUsAdvertiser);
}

TEST_P(SelectAdvertiserTest, AnotherUsersAccountAndMissingCredentialsAreRefused) {
  Connect(jwt_, "", kKzAdvertiser);
  const std::string bob = NewUser("bob");
  const std::string bob_jwt = JwtFor(bob);
  v1::SelectAdvertiserRequest request = Request(kUsAdvertiser, "select-bob");
  request.set_user_account_id(user_);
  v1::SelectAdvertiserResponse response;
  EXPECT_EQ(Select(request, response, bob_jwt).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Account().tiktok_business_id(), kKzAdvertiser);

  // Bob has no credentials of his own.
  request.clear_user_account_id();
  const absl::Status missing = Select(request, response, bob_jwt);
  EXPECT_EQ(missing.code(), absl::StatusCode::kFailedPrecondition) << missing;
  EXPECT_EQ(ReasonOf(missing), "CREDENTIALS_NOT_FOUND");

  // The operator may act on Alice's account.
  request.set_user_account_id(user_);
  request.set_idempotency_key("select-operator");
  const absl::Status by_operator = Select(request, response, kAdmin);
  ASSERT_TRUE(by_operator.ok()) << by_operator;
  EXPECT_EQ(Account().tiktok_business_id(), kUsAdvertiser);
}

TEST_P(SelectAdvertiserTest, ARejectedTokenFlagsTheAccountForReauthorisation) {
  Connect(jwt_, "", kKzAdvertiser);
  ASSERT_TRUE(sandbox_.AddFault("error:oauth2/advertiser/get/,code=40105,once").ok());
  v1::SelectAdvertiserResponse response;
  const absl::Status rejected = Select(Request(kUsAdvertiser, "select-reauth"), response);
  EXPECT_EQ(rejected.code(), absl::StatusCode::kFailedPrecondition) << rejected;
  EXPECT_EQ(ReasonOf(rejected), "NEEDS_REAUTH");
  const v1::Account account = Account();
  EXPECT_TRUE(account.needs_reauth());
  EXPECT_EQ(account.tiktok_business_id(), kKzAdvertiser);
  // Refused from then on without asking TikTok.
  sandbox_.ClearRequestLog();
  const absl::Status again = Select(Request(kUsAdvertiser, "select-reauth-2"), response);
  EXPECT_EQ(again.code(), absl::StatusCode::kFailedPrecondition) << again;
  EXPECT_EQ(ReasonOf(again), "NEEDS_REAUTH");
  EXPECT_TRUE(sandbox_.RequestLog().empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, SelectAdvertiserTest, ::ttads::testing::AllBackends(),
                         ::ttads::testing::BackendName);

}  // namespace
}  // namespace ttads::server
