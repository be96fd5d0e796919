// ttads-server over a real channel: health, reflection, authentication on every method,
// tenancy, rich errors. Runs on SQLite and PostgreSQL.
#include "server/ttads_server.h"

#include <set>

#include <httplib.h>

#include "absl/strings/str_cat.h"
#include "client/rpc_client.h"
#include "google/rpc/error_details.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "server/jwt.h"
#include "server/log.h"
#include "server/oauth_state.h"
#include "server/secret_box.h"
#include "test/test_database.h"
#include "ttads/v1/account_service.pb.h"
#include "ttads/v1/admin_service.pb.h"

namespace ttads::server {
namespace {

using ::ttads::testing::ScratchDatabase;
using ::ttads::testing::TestBackend;

constexpr char kAdminToken[] = "test-admin-token-0123456789";
constexpr char kJwtSecret[] = "test-jwt-secret";
constexpr char kSecretKey[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

class ServerTest : public ::testing::TestWithParam<TestBackend> {
 protected:
  void SetUp() override {
    TTADS_SCRATCH_DATABASE(scratch_, GetParam());
    SetLoggingEnabled(false);
    ServerConfig config;
    config.grpc_listen = "127.0.0.1:0";
    config.metrics_listen = "127.0.0.1:0";
    config.database_url = scratch_->url();
    config.admin_token = kAdminToken;
    config.jwt_secret = kJwtSecret;
    config.secret_key = kSecretKey;
    config.db_pool_size = 4;
    config.tiktok_app_id = "test-app-id";
    config.scheduler_enabled = false;  // batches run on demand in tests
    auto server = TtadsServer::Start(config);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    address_ = absl::StrCat("127.0.0.1:", server_->port());
  }
  void TearDown() override {
    server_.reset();
    SetLoggingEnabled(true);
  }

  client::RpcClient Client(const std::string& token) {
    return client::RpcClient({address_, token, absl::Seconds(10)});
  }

  // Creates a user account as the operator and returns its id.
  std::string CreateUser(const std::string& name) {
    v1::CreateUserAccountRequest request;
    request.set_username(name);
    v1::CreateUserAccountResponse response;
    const absl::Status status =
        Client(kAdminToken).Call("AdminService/CreateUserAccount", request, response);
    EXPECT_TRUE(status.ok()) << status;
    return response.user_account().id();
  }

  std::unique_ptr<ScratchDatabase> scratch_;
  std::unique_ptr<TtadsServer> server_;
  std::string address_;
};

TEST_P(ServerTest, HealthIsServing) {
  auto health = Client("").Health();
  ASSERT_TRUE(health.ok()) << health.status();
  EXPECT_EQ(*health, "SERVING");
}

TEST_P(ServerTest, ReflectionListsEveryTtadsService) {
  auto channel = grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
  auto stub = grpc::reflection::v1alpha::ServerReflection::NewStub(channel);
  grpc::ClientContext context;
  auto stream = stub->ServerReflectionInfo(&context);
  grpc::reflection::v1alpha::ServerReflectionRequest request;
  request.set_list_services("*");
  ASSERT_TRUE(stream->Write(request));
  grpc::reflection::v1alpha::ServerReflectionResponse response;
  ASSERT_TRUE(stream->Read(&response));
  stream->WritesDone();
  std::set<std::string> names;
  for (const auto& service : response.list_services_response().service()) {
    names.insert(service.name());
  }
  for (const char* expected :
       {"ttads.v1.AccountService", "ttads.v1.CampaignBuilderService", "ttads.v1.ActionService",
        "ttads.v1.BrainService", "ttads.v1.DirectionService", "ttads.v1.CreativeService",
        "ttads.v1.AnalyticsService", "ttads.v1.AdminService", "ttads.v1.AuditService",
        "grpc.health.v1.Health"}) {
    EXPECT_TRUE(names.count(expected)) << "reflection does not list " << expected;
  }
}

TEST_P(ServerTest, EveryMethodRefusesCallsWithoutCredentials) {
  int checked = 0;
  for (const google::protobuf::ServiceDescriptor* descriptor : client::ContractServices()) {
    ASSERT_NE(descriptor, nullptr);
    for (int i = 0; i < descriptor->method_count(); ++i) {
      const std::string method =
          absl::StrCat(descriptor->name(), "/", descriptor->method(i)->name());
      for (const std::string& token : {std::string(""), std::string("wrong-token"),
                                       std::string("ttads_") + std::string(48, '0')}) {
        auto answer = Client(token).CallJson(method, "{}");
        ASSERT_FALSE(answer.ok()) << method;
        EXPECT_EQ(answer.status().code(), absl::StatusCode::kUnauthenticated)
            << method << " with token '" << token << "': " << answer.status();
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 40);
}

TEST_P(ServerTest, OperatorCreatesAndReadsAUserAccount) {
  const std::string id = CreateUser("alice");
  ASSERT_FALSE(id.empty());
  v1::GetUserAccountRequest request;
  request.set_user_account_id(id);
  v1::UserAccount user;
  ASSERT_TRUE(Client(kAdminToken).Call("AdminService/GetUserAccount", request, user).ok());
  EXPECT_EQ(user.username(), "alice");
  EXPECT_TRUE(user.is_active());
  EXPECT_FALSE(user.tiktok_connected());
}

TEST_P(ServerTest, BadInputNamesTheFieldOverTheWire) {
  v1::CreateUserAccountRequest request;  // username missing
  request.set_account_timezone("Mars/Olympus");
  v1::CreateUserAccountResponse response;
  const absl::Status status =
      Client(kAdminToken).Call("AdminService/CreateUserAccount", request, response);
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  const auto payload = status.GetPayload("type.googleapis.com/google.rpc.BadRequest");
  ASSERT_TRUE(payload.has_value());
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(bad_request.ParseFromString(std::string(*payload)));
  std::set<std::string> fields;
  for (const auto& violation : bad_request.field_violations()) fields.insert(violation.field());
  EXPECT_EQ(fields, (std::set<std::string>{"username", "account_timezone"}));

  v1::ListUserAccountsRequest list;
  v1::ListUserAccountsResponse listed;
  ASSERT_TRUE(Client(kAdminToken).Call("AdminService/ListUserAccounts", list, listed).ok());
  EXPECT_EQ(listed.user_accounts_size(), 0) << "a refused request created something";
}

TEST_P(ServerTest, ApiKeyReachesOnlyItsOwnUserAccount) {
  const std::string alice = CreateUser("alice");
  const std::string bob = CreateUser("bob");
  v1::CreateApiKeyRequest create;
  create.set_user_account_id(alice);
  create.set_name("alice's integration");
  v1::CreateApiKeyResponse key;
  ASSERT_TRUE(Client(kAdminToken).Call("AdminService/CreateApiKey", create, key).ok());
  ASSERT_FALSE(key.secret().empty());

  v1::GetAccountRequest own;
  own.set_user_account_id(alice);
  v1::Account account;
  ASSERT_TRUE(Client(key.secret()).Call("AccountService/GetAccount", own, account).ok());
  EXPECT_EQ(account.user_account_id(), alice);
  EXPECT_EQ(account.kind(), "legacy_user");

  v1::GetAccountRequest foreign;
  foreign.set_user_account_id(bob);
  EXPECT_EQ(Client(key.secret()).Call("AccountService/GetAccount", foreign, account).code(),
            absl::StatusCode::kPermissionDenied);

  // A user-bound key cannot use the operator's service.
  v1::ListUserAccountsRequest list;
  v1::ListUserAccountsResponse listed;
  EXPECT_EQ(Client(key.secret()).Call("AdminService/ListUserAccounts", list, listed).code(),
            absl::StatusCode::kPermissionDenied);

  // Revoked keys stop working at once.
  v1::RevokeApiKeyRequest revoke;
  revoke.set_api_key_id(key.api_key().id());
  v1::RevokeApiKeyResponse revoked;
  ASSERT_TRUE(Client(kAdminToken).Call("AdminService/RevokeApiKey", revoke, revoked).ok());
  EXPECT_TRUE(revoked.api_key().revoked());
  EXPECT_EQ(Client(key.secret()).Call("AccountService/GetAccount", own, account).code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_P(ServerTest, FrontendJwtActsForItsUser) {
  const std::string alice = CreateUser("alice");
  const std::string bob = CreateUser("bob");
  const std::string jwt = SignJwt({alice, absl::Now() + absl::Hours(1)}, kJwtSecret, absl::Now());
  v1::CreateAdAccountRequest create;  // user_account_id left empty: the caller's own
  create.set_name("KZ main");
  v1::CreateAdAccountResponse created;
  ASSERT_TRUE(Client(jwt).Call("AccountService/CreateAdAccount", create, created).ok());
  EXPECT_EQ(created.account().user_account_id(), alice);
  EXPECT_FALSE(created.mutation().idempotency_key().empty());

  create.set_user_account_id(bob);
  EXPECT_EQ(Client(jwt).Call("AccountService/CreateAdAccount", create, created).code(),
            absl::StatusCode::kPermissionDenied);

  const std::string forged = SignJwt({alice, absl::Now() + absl::Hours(1)}, "other", absl::Now());
  v1::ListAccountsRequest list;
  v1::ListAccountsResponse listed;
  EXPECT_EQ(Client(forged).Call("AccountService/ListAccounts", list, listed).code(),
            absl::StatusCode::kUnauthenticated);
  ASSERT_TRUE(Client(jwt).Call("AccountService/ListAccounts", list, listed).ok());
  ASSERT_EQ(listed.accounts_size(), 2);  // legacy credentials slot + the ad account
  for (const auto& account : listed.accounts()) EXPECT_EQ(account.user_account_id(), alice);
}

TEST_P(ServerTest, RetryWithTheSameKeyDoesNotCreateTwice) {
  v1::CreateUserAccountRequest request;
  request.set_username("carol");
  request.set_idempotency_key("create-carol-1");
  v1::CreateUserAccountResponse first, second;
  ASSERT_TRUE(Client(kAdminToken).Call("AdminService/CreateUserAccount", request, first).ok());
  ASSERT_TRUE(Client(kAdminToken).Call("AdminService/CreateUserAccount", request, second).ok());
  EXPECT_EQ(first.user_account().id(), second.user_account().id());
  EXPECT_FALSE(first.mutation().replayed());
  EXPECT_TRUE(second.mutation().replayed());

  request.set_username("carol-changed");
  EXPECT_EQ(Client(kAdminToken).Call("AdminService/CreateUserAccount", request, second).code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_P(ServerTest, DeactivatedUserIsRefusedWithTheOldReason) {
  const std::string alice = CreateUser("alice");
  const std::string jwt = SignJwt({alice, absl::Now() + absl::Hours(1)}, kJwtSecret, absl::Now());
  v1::UpdateUserAccountRequest deactivate;
  deactivate.set_user_account_id(alice);
  deactivate.mutable_is_active()->set_value(false);
  v1::UpdateUserAccountResponse updated;
  ASSERT_TRUE(Client(kAdminToken).Call("AdminService/UpdateUserAccount", deactivate, updated).ok());
  EXPECT_FALSE(updated.user_account().is_active());

  v1::ListAccountsRequest list;
  v1::ListAccountsResponse listed;
  const absl::Status refused = Client(jwt).Call("AccountService/ListAccounts", list, listed);
  ASSERT_EQ(refused.code(), absl::StatusCode::kPermissionDenied) << refused;
  const auto payload = refused.GetPayload("type.googleapis.com/google.rpc.ErrorInfo");
  ASSERT_TRUE(payload.has_value());
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(info.ParseFromString(std::string(*payload)));
  EXPECT_EQ(info.reason(), "SUBSCRIPTION_INACTIVE");

  // A JWT naming a user account that does not exist authenticates nobody.
  const std::string ghost = SignJwt({"9b2f6c1e-0000-4000-8000-00000000dead",
                                     absl::Now() + absl::Hours(1)}, kJwtSecret, absl::Now());
  EXPECT_EQ(Client(ghost).Call("AccountService/ListAccounts", list, listed).code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_P(ServerTest, OAuthStateIsSignedForTheCallersOwnAccount) {
  const std::string alice = CreateUser("alice");
  const std::string bob = CreateUser("bob");
  const std::string jwt = SignJwt({alice, absl::Now() + absl::Hours(1)}, kJwtSecret, absl::Now());
  v1::IssueOAuthStateRequest request;
  v1::IssueOAuthStateResponse response;
  ASSERT_TRUE(Client(jwt).Call("AccountService/IssueOAuthState", request, response).ok());
  const OAuthStateSigner signer(SecretBox::FromKeyText(kSecretKey)->DeriveKey("oauth-state"));
  auto state = signer.Parse(response.state(), absl::Now());
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_TRUE(state->signed_by_ttads);
  EXPECT_EQ(state->user_account_id, alice);
  EXPECT_NE(response.authorization_url().find("app_id=test-app-id"), std::string::npos);
  EXPECT_GT(response.expires_in_seconds(), 0);

  // Bob's ad account cannot be named in Alice's state.
  v1::CreateAdAccountRequest create;
  create.set_user_account_id(bob);
  create.set_name("bob's");
  v1::CreateAdAccountResponse bobs;
  ASSERT_TRUE(Client(kAdminToken).Call("AccountService/CreateAdAccount", create, bobs).ok());
  request.set_ad_account_id(bobs.account().account_id());
  EXPECT_EQ(Client(jwt).Call("AccountService/IssueOAuthState", request, response).code(),
            absl::StatusCode::kNotFound);
}

TEST_P(ServerTest, PrometheusMetricsCountRpcsByMethodAndCode) {
  CreateUser("metrics-user");
  v1::GetUserAccountRequest missing;
  missing.set_user_account_id("9b2f6c1e-0000-4000-8000-00000000beef");
  v1::UserAccount user;
  EXPECT_EQ(Client(kAdminToken).Call("AdminService/GetUserAccount", missing, user).code(),
            absl::StatusCode::kNotFound);
  ASSERT_GT(server_->metrics_port(), 0);
  httplib::Client http("127.0.0.1", server_->metrics_port());
  auto scrape = http.Get("/metrics");
  ASSERT_TRUE(scrape);
  EXPECT_EQ(scrape->status, 200);
  const std::string& text = scrape->body;
  EXPECT_NE(text.find("ttads_rpc_requests_total{method=\"/ttads.v1.AdminService/CreateUserAccount\","
                      "code=\"OK\"}"),
            std::string::npos) << text;
  EXPECT_NE(text.find("code=\"NOT_FOUND\""), std::string::npos);
  EXPECT_NE(text.find("ttads_rpc_duration_seconds_bucket{method=\"/ttads.v1.AdminService/"
                      "CreateUserAccount\",le=\"+Inf\"}"),
            std::string::npos);
  EXPECT_NE(text.find("ttads_db_pool_size 4"), std::string::npos) << text;
}

INSTANTIATE_TEST_SUITE_P(Backends, ServerTest, ::ttads::testing::AllBackends(),
                         ::ttads::testing::BackendName);

}  // namespace
}  // namespace ttads::server
