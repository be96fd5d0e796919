// Secrets (issue #8, suite 7): after a session that uses every kind of secret
// ttads holds — the admin token, the JWT secret and a user's JWT, the
// encryption key, the TikTok app secret and an access token won by OAuth, an
// API key, the Telegram bot token (a re-authorisation notice is sent) — none of
// them may appear in plain text in the database file, the server's log, its
// metrics or the errors it answered.
#include <httplib.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/rpc_client.h"
#include "gtest/gtest.h"
#include "server/jwt.h"
#include "test/integration/oauth_connect.h"
#include "test/process_runner.h"
#include "test/server/fake_telegram.h"
#include "tools/sandbox/sandbox_server.h"
#include "ttads/v1/account_service.pb.h"
#include "ttads/v1/action_service.pb.h"
#include "ttads/v1/admin_service.pb.h"
#include "ttads/v1/campaign_builder_service.pb.h"

namespace ttads::testing {
namespace {

constexpr char kAdmin[] = "admin-7c1d5e0f9a2b4c68";
constexpr char kJwtSecret[] = "jwt-secret-3f8e2a9c1b7d4e50";
constexpr char kBotToken[] = "778899:bot-token-5a1c9e3f7b2d";
constexpr char kAppId[] = "7300000000000000001";  // tools/sandbox/demo_seed.json
constexpr char kAppSecret[] = "sandbox-demo-app-secret";
constexpr char kAdvertiser[] = "7400000000000000001";
constexpr char kCampaign[] = "7800000000000000001";

std::string ReadAll(const std::filesystem::path &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class SecretsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           absl::StrCat("ttads-secrets-", getpid(), "-", absl::ToUnixNanos(absl::Now()));
    std::filesystem::create_directories(dir_);
    sandbox::SandboxOptions options;
    options.seed_file = TTADS_SANDBOX_DEMO_SEED;
    ASSERT_TRUE(sandbox_.Start(options).ok());
    secret_key_ = absl::BytesToHexString(std::string(32, '\x5c'));
    server_ = std::make_unique<ChildProcess>(
        TTADS_SERVER_BINARY, std::vector<std::string>{},
        std::vector<std::string>{
            "TTADS_GRPC_LISTEN=127.0.0.1:0", "TTADS_METRICS_LISTEN=127.0.0.1:0",
            absl::StrCat("TTADS_DATABASE_URL=sqlite:", (dir_ / "ttads.db").string()),
            absl::StrCat("TTADS_ADMIN_TOKEN=", kAdmin),
            absl::StrCat("TTADS_JWT_SECRET=", kJwtSecret),
            absl::StrCat("TTADS_SECRET_KEY=", secret_key_), absl::StrCat("TIKTOK_APP_ID=", kAppId),
            absl::StrCat("TIKTOK_APP_SECRET=", kAppSecret),
            absl::StrCat("TIKTOK_API_BASE_URL=", sandbox_.BaseUrl()),
            absl::StrCat("TELEGRAM_BOT_TOKEN=", kBotToken),
            absl::StrCat("TELEGRAM_API_BASE_URL=", telegram_.BaseUrl()),
            "TTADS_SCHEDULER_ENABLED=false", "TTADS_TIKTOK_RETRY_BASE_DELAY_MS=5",
            "TTADS_TIKTOK_RETRY_DEADLINE_MS=3000"});
    // The metrics endpoint is announced before the gRPC port.
    metrics_port_ = PortOfListeningLine(server_->ReadUntil("metrics_listening"));
    grpc_port_ = PortOfListeningLine(server_->ReadUntil("\"event\":\"listening\""));
    ASSERT_GT(grpc_port_, 0) << server_->output();
    ASSERT_GT(metrics_port_, 0) << server_->output();
  }
  void TearDown() override {
    server_.reset();
    sandbox_.Stop();
    std::filesystem::remove_all(dir_);
  }

  client::RpcClient Client(const std::string &token) const {
    return client::RpcClient({absl::StrCat("127.0.0.1:", grpc_port_), token});
  }
  // Calls `method`, keeping the text of any error it answers (an artefact to
  // search).
  template <typename Request, typename Response>
  absl::Status Call(const std::string &token, const std::string &method, const Request &request,
                    Response &response) {
    const absl::Status status = Client(token).Call(method, request, response);
    if (!status.ok()) {
      absl::StrAppend(&errors_, status.ToString(absl::StatusToStringMode::kWithEverything), "\n");
    }
    return status;
  }

  std::filesystem::path dir_;
  sandbox::Sandbox sandbox_;
  FakeTelegram telegram_;
  std::unique_ptr<ChildProcess> server_;
  std::string secret_key_;
  int grpc_port_ = 0;
  int metrics_port_ = 0;
  std::string errors_;
};

TEST_F(SecretsTest, NoSecretAppearsInTheDatabaseLogMetricsOrErrors) {
  // A user with a Telegram chat, connected to TikTok by OAuth.
  v1::CreateUserAccountRequest create;
  create.set_username("secret-keeper");
  v1::CreateUserAccountResponse created;
  ASSERT_TRUE(Call(kAdmin, "AdminService/CreateUserAccount", create, created).ok());
  const std::string user = created.user_account().id();
  const std::string jwt =
      server::SignJwt({user, absl::Now() + absl::Hours(1)}, kJwtSecret, absl::Now());
  v1::UpdateAccountSettingsRequest settings;
  settings.set_user_account_id(user);
  settings.mutable_telegram_id()->set_value("555000222");
  v1::UpdateAccountSettingsResponse updated;
  ASSERT_TRUE(Call(jwt, "AccountService/UpdateAccountSettings", settings, updated).ok());
  client::RpcClient connecting = Client(jwt);
  const absl::Status connected = ConnectTikTokByOAuth(connecting, sandbox_, kAppId, kAdvertiser);
  ASSERT_TRUE(connected.ok()) << connected;

  // An API key, used, then revoked and tried again.
  v1::CreateApiKeyRequest key_request;
  key_request.set_user_account_id(user);
  key_request.set_name("ci");
  v1::CreateApiKeyResponse key;
  ASSERT_TRUE(Call(kAdmin, "AdminService/CreateApiKey", key_request, key).ok());
  ASSERT_FALSE(key.secret().empty());
  v1::ListCampaignsRequest campaigns_request;
  v1::ListCampaignsResponse campaigns;
  ASSERT_TRUE(
      Call(key.secret(), "CampaignBuilderService/ListCampaigns", campaigns_request, campaigns)
          .ok());
  v1::RevokeApiKeyRequest revoke;
  revoke.set_api_key_id(key.api_key().id());
  v1::RevokeApiKeyResponse revoked;
  ASSERT_TRUE(Call(kAdmin, "AdminService/RevokeApiKey", revoke, revoked).ok());
  EXPECT_FALSE(
      Call(key.secret(), "CampaignBuilderService/ListCampaigns", campaigns_request, campaigns)
          .ok());
  // Wrong and forged credentials of every kind.
  EXPECT_FALSE(
      Call(absl::StrCat(kAdmin, "x"), "AdminService/CreateUserAccount", create, created).ok());
  const std::string forged =
      server::SignJwt({user, absl::Now() + absl::Hours(1)}, "not-the-secret", absl::Now());
  EXPECT_FALSE(
      Call(forged, "CampaignBuilderService/ListCampaigns", campaigns_request, campaigns).ok());
  EXPECT_FALSE(Call(absl::StrCat(jwt, "x"), "CampaignBuilderService/ListCampaigns",
                    campaigns_request, campaigns)
                   .ok());
  // TikTok rejects the token: the call fails and the user is told on Telegram
  // (bot token used).
  ASSERT_TRUE(sandbox_.AddFault("error:campaign/get/,code=40105,once").ok());
  v1::DispatchRequest read;
  read.set_idempotency_key("read-1");
  read.mutable_account();
  v1::Action *action = read.add_actions();
  action->set_type("TikTok.GetCampaignStatus");
  (*action->mutable_params()->mutable_fields())["campaign_id"].set_string_value(kCampaign);
  v1::DispatchResponse dispatched;
  EXPECT_FALSE(Call(jwt, "ActionService/Dispatch", read, dispatched).ok());
  ASSERT_TRUE(telegram_.WaitForMessages(1));

  // The artefacts.
  httplib::Client metrics("127.0.0.1", metrics_port_);
  const auto scraped = metrics.Get("/metrics");
  ASSERT_TRUE(scraped && scraped->status == 200);
  server_->Signal(SIGTERM);
  server_->Wait();
  std::map<std::string, std::string> artefacts = {
      {"server log", server_->output()}, {"metrics", scraped->body}, {"errors answered", errors_}};
  for (const auto &file : std::filesystem::directory_iterator(dir_)) {
    artefacts[absl::StrCat("database file ", file.path().filename().string())] =
        ReadAll(file.path());
  }
  ASSERT_GE(artefacts.size(), 4u);
  // The artefacts hold the session (so a leak would be seen): the connection,
  // the calls.
  EXPECT_NE(artefacts["database file ttads.db"].find(kAdvertiser), std::string::npos);
  EXPECT_NE(artefacts["server log"].find("ExchangeOAuthCode"), std::string::npos);
  EXPECT_NE(artefacts["metrics"].find("ttads_"), std::string::npos);
  EXPECT_NE(errors_.find("UNAUTHENTICATED"), std::string::npos) << errors_;

  std::map<std::string, std::string> secrets = {{"admin token", kAdmin},
                                                {"JWT secret", kJwtSecret},
                                                {"user's JWT", jwt},
                                                {"encryption key", secret_key_},
                                                {"TikTok app secret", kAppSecret},
                                                {"Telegram bot token", kBotToken},
                                                {"API key", key.secret()}};
  const std::vector<std::string> tokens = sandbox_.AccessTokens();
  for (size_t i = 0; i < tokens.size(); ++i) {
    secrets[absl::StrCat("TikTok access token ", i)] = tokens[i];
  }
  ASSERT_GE(tokens.size(), 2u);  // the seeded one and the one won by OAuth
  int found = 0;
  for (const auto &[what, secret] : secrets) {
    ASSERT_GE(secret.size(), 16u) << what;
    for (const auto &[where, text] : artefacts) {
      if (text.find(secret) != std::string::npos) {
        ++found;
        ADD_FAILURE() << what << " appears in the " << where;
      }
    }
  }
  std::printf(
      "secrets: %zu secrets searched in %zu artefacts (%zu bytes): found %d "
      "(target 0)\n",
      secrets.size(), artefacts.size(),
      [&] {
        size_t bytes = 0;
        for (const auto &[where, text] : artefacts) bytes += text.size();
        return bytes;
      }(),
      found);
}

}  // namespace
}  // namespace ttads::testing
