// ttads-server in process (over a real gRPC channel) against the TikTok sandbox (over real HTTP)
// on SQLite or PostgreSQL: the setup every server-level integration test shares.
#ifndef TTADS_TEST_INTEGRATION_SERVER_SANDBOX_FIXTURE_H_
#define TTADS_TEST_INTEGRATION_SERVER_SANDBOX_FIXTURE_H_

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "client/rpc_client.h"
#include "gtest/gtest.h"
#include "server/jwt.h"
#include "server/log.h"
#include "server/ttads_server.h"
#include "test/integration/oauth_connect.h"
#include "test/test_database.h"
#include "tools/sandbox/sandbox_server.h"
#include "ttads/v1/account_service.pb.h"
#include "ttads/v1/admin_service.pb.h"

namespace ttads::testing {

// The demo seed's app (tools/sandbox/demo_seed.json).
inline constexpr char kSandboxAppId[] = "7300000000000000001";
inline constexpr char kSandboxAppSecret[] = "sandbox-demo-app-secret";

// The in-process server the integration suites start against the sandbox: loopback gRPC, no
// metrics listener, the sandbox's demo app, quick retries, brain batches only on demand.
inline server::ServerConfig SandboxServerConfig(const std::string& sandbox_base_url,
                                                const std::string& database_url,
                                                const std::string& admin_token,
                                                const std::string& jwt_secret) {
  server::ServerConfig config;
  config.grpc_listen = "127.0.0.1:0";
  config.metrics_listen = "";
  config.database_url = database_url;
  config.admin_token = admin_token;
  config.jwt_secret = jwt_secret;
  config.secret_key = std::string(64, 'b');
  config.tiktok_app_id = kSandboxAppId;
  config.tiktok_app_secret = kSandboxAppSecret;
  config.tiktok_api_base_url = sandbox_base_url;
  config.tiktok_request_timeout_ms = 2000;
  config.tiktok_retry_base_delay_ms = 5;
  config.tiktok_retry_deadline_ms = 5000;
  config.scheduler_enabled = false;
  return config;
}

class ServerSandboxTest : public ::testing::TestWithParam<TestBackend> {
 protected:
  static constexpr char kAdmin[] = "integration-admin";
  static constexpr char kJwtSecret[] = "integration-jwt";

  void SetUp() override {
    TTADS_SCRATCH_DATABASE(scratch_, GetParam());
    server::SetLoggingEnabled(false);
    sandbox::SandboxOptions options;
    options.seed_file = TTADS_SANDBOX_DEMO_SEED;
    ASSERT_TRUE(sandbox_.Start(options).ok());
    server::ServerConfig config =
        SandboxServerConfig(sandbox_.BaseUrl(), scratch_->url(), kAdmin, kJwtSecret);
    ConfigureServer(config);
    auto server = server::TtadsServer::Start(config);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }
  // Lets a suite adjust the server's configuration (e.g. Telegram) before it starts.
  virtual void ConfigureServer(server::ServerConfig& /*config*/) {}

  void TearDown() override {
    server_.reset();
    sandbox_.Stop();
    server::SetLoggingEnabled(true);
  }

  client::RpcClient Client(const std::string& token) {
    return client::RpcClient({absl::StrCat("127.0.0.1:", server_->port()), token});
  }
  // Creates a user account as the operator; returns its id.
  std::string NewUser(const std::string& name) {
    v1::CreateUserAccountRequest create;
    create.set_username(name);
    v1::CreateUserAccountResponse created;
    EXPECT_TRUE(Client(kAdmin).Call("AdminService/CreateUserAccount", create, created).ok());
    return created.user_account().id();
  }
  // The frontend's JWT for `user_account_id`.
  static std::string JwtFor(const std::string& user_account_id) {
    return server::SignJwt({user_account_id, absl::Now() + absl::Hours(1)}, kJwtSecret,
                           absl::Now());
  }

  // Connects TikTok through the real OAuth exchange (the token is stored encrypted).
  void Connect(const std::string& jwt, const std::string& ad_account_id,
               const std::string& advertiser_id) {
    client::RpcClient client = Client(jwt);
    const absl::Status status =
        ConnectTikTokByOAuth(client, sandbox_, kSandboxAppId, advertiser_id, ad_account_id);
    ASSERT_TRUE(status.ok()) << status;
  }

  sandbox::Sandbox sandbox_;
  std::unique_ptr<ScratchDatabase> scratch_;
  std::unique_ptr<server::TtadsServer> server_;
};

}  // namespace ttads::testing

#endif  // TTADS_TEST_INTEGRATION_SERVER_SANDBOX_FIXTURE_H_
