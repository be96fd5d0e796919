// The REST gateway end to end: ttads-server and ttads-gateway as processes, real HTTP requests
// as the frontend sends them.
#include <signal.h>

#include <filesystem>
#include <memory>
#include <set>
#include <string>

#include <httplib.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/api/annotations.pb.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "client/rpc_client.h"
#include "test/process_runner.h"
#include "ttads/v1/admin_service.pb.h"

namespace ttads::testing {
namespace {

constexpr char kAdmin[] = "e2e-admin-token";
constexpr char kJwtSecret[] = "e2e-jwt-secret";

class GatewayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           absl::StrCat("ttads-e2e-", getpid(), "-", absl::ToUnixNanos(absl::Now()));
    std::filesystem::create_directories(dir_);
    StartServer(0);
    gateway_ = std::make_unique<ChildProcess>(
        TTADS_GATEWAY_BINARY, std::vector<std::string>{},
        std::vector<std::string>{"TTADS_HTTP_LISTEN=127.0.0.1:0",
                                 absl::StrCat("TTADS_GRPC_TARGET=127.0.0.1:", grpc_port_),
                                 "TTADS_CORS_ORIGINS=http://localhost:5173",
                                 "TTADS_HTTP_MAX_BODY_BYTES=65536"},
        ChildProcess::Capture::kStdout);
    http_port_ = PortOfListeningLine(gateway_->ReadUntil("listening"));
    ASSERT_GT(http_port_, 0) << gateway_->output();
    http_ = std::make_unique<httplib::Client>("127.0.0.1", http_port_);
    http_->set_read_timeout(10, 0);
    // Wait until the gateway reaches the server.
    for (int i = 0; i < 100; ++i) {
      if (auto answer = http_->Get("/healthz"); answer && answer->status == 200) break;
      absl::SleepFor(absl::Milliseconds(50));
    }
  }
  void TearDown() override {
    gateway_.reset();
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  void StartServer(int port) {
    server_ = std::make_unique<ChildProcess>(
        TTADS_SERVER_BINARY, std::vector<std::string>{},
        std::vector<std::string>{absl::StrCat("TTADS_GRPC_LISTEN=127.0.0.1:", port),
                                 "TTADS_METRICS_LISTEN=127.0.0.1:0",
                                 absl::StrCat("TTADS_DATABASE_URL=sqlite:", dir_.string(), "/t.db"),
                                 absl::StrCat("TTADS_ADMIN_TOKEN=", kAdmin),
                                 absl::StrCat("TTADS_JWT_SECRET=", kJwtSecret),
                                 "TIKTOK_APP_ID=7000000000000000000"});
    grpc_port_ = PortOfListeningLine(server_->ReadUntil("\"event\":\"listening\""));
    ASSERT_GT(grpc_port_, 0) << server_->output();
  }

  httplib::Headers Auth(const std::string& token) {
    return {{"Authorization", "Bearer " + token}};
  }
  // POST JSON; returns status and parsed body.
  std::pair<int, nlohmann::json> Post(const std::string& path, const std::string& body,
                                      const std::string& token) {
    auto answer = http_->Post(path.c_str(), Auth(token), body, "application/json");
    if (!answer) return {0, {}};
    return {answer->status, nlohmann::json::parse(answer->body, nullptr, false)};
  }
  std::pair<int, nlohmann::json> Get(const std::string& path, const std::string& token) {
    auto answer = http_->Get(path.c_str(), Auth(token));
    if (!answer) return {0, {}};
    return {answer->status, nlohmann::json::parse(answer->body, nullptr, false)};
  }
  std::string CreateUser(const std::string& name) {
    auto [status, body] =
        Post("/api/v1/admin/user-accounts", absl::StrCat(R"({"username":")", name, R"("})"), kAdmin);
    EXPECT_EQ(status, 200) << body.dump();
    return body["user_account"]["id"].get<std::string>();
  }

  std::filesystem::path dir_;
  std::unique_ptr<ChildProcess> server_;
  std::unique_ptr<ChildProcess> gateway_;
  std::unique_ptr<httplib::Client> http_;
  int grpc_port_ = 0;
  int http_port_ = 0;
};

TEST_F(GatewayTest, HealthzReportsTheServer) {
  auto [status, body] = Get("/healthz", "");
  EXPECT_EQ(status, 200);
  EXPECT_EQ(body["status"], "SERVING");
}

TEST_F(GatewayTest, CamelAndSnakeCaseBodiesWorkAndAnswersUseProtoNames) {
  const std::string user = CreateUser("alice");
  auto [snake_status, snake] = Post(
      "/api/v1/accounts", absl::StrCat(R"({"user_account_id":")", user, R"(","name":"KZ"})"), kAdmin);
  ASSERT_EQ(snake_status, 200) << snake.dump();
  auto [camel_status, camel] = Post(
      "/api/v1/accounts",
      absl::StrCat(R"({"userAccountId":")", user, R"(","name":"KZ 2","idempotencyKey":"k-1"})"),
      kAdmin);
  ASSERT_EQ(camel_status, 200) << camel.dump();
  EXPECT_EQ(camel["account"]["user_account_id"], user);
  EXPECT_EQ(camel["mutation"]["idempotency_key"], "k-1");
  // Defaults are written out (EmitDefaults), snake_case names kept (OrigName).
  EXPECT_TRUE(camel["account"].contains("tiktok_connected"));
  EXPECT_FALSE(camel["account"].contains("tiktokConnected"));
}

TEST_F(GatewayTest, ErrorsCarryTheRightHttpStatusAndDetails) {
  const std::string alice = CreateUser("alice");
  const std::string bob = CreateUser("bob");
  // 401: no credentials.
  EXPECT_EQ(Post("/api/v1/accounts", "{}", "").first, 401);
  // 400: bad input, with the field violations.
  auto [bad_status, bad] = Post("/api/v1/admin/user-accounts", R"({"accountTimezone":"Mars"})", kAdmin);
  EXPECT_EQ(bad_status, 400);
  ASSERT_EQ(bad["details"].size(), 1u) << bad.dump();
  EXPECT_EQ(bad["details"][0]["@type"], "type.googleapis.com/google.rpc.BadRequest");
  // 403: an API key of Alice naming Bob.
  auto [key_status, key] =
      Post("/api/v1/admin/api-keys", absl::StrCat(R"({"user_account_id":")", alice, R"(","name":"k"})"), kAdmin);
  ASSERT_EQ(key_status, 200);
  const std::string secret = key["secret"];
  EXPECT_EQ(Get(absl::StrCat("/api/v1/accounts/", bob), secret).first, 403);
  EXPECT_EQ(Get(absl::StrCat("/api/v1/accounts/", alice), secret).first, 200);
  // 404: a direction that does not exist.
  EXPECT_EQ(Get("/api/v1/directions/6f1c1a52-3b0e-4c8e-9d43-5f0a0e2b9aff", secret).first, 404);
  // 409: the same idempotency key for a different request.
  EXPECT_EQ(Post("/api/v1/admin/user-accounts", R"({"username":"c","idempotencyKey":"same"})", kAdmin).first, 200);
  EXPECT_EQ(Post("/api/v1/admin/user-accounts", R"({"username":"d","idempotencyKey":"same"})", kAdmin).first, 409);
  // A malformed JSON body is 400 too.
  EXPECT_EQ(Post("/api/v1/admin/user-accounts", "{not json", kAdmin).first, 400);
  // The brain's old route with its old camelCase body: an account without TikTok directions is
  // skipped, not an error, and the answer keeps the old wire names.
  auto [brain_status, brain] =
      Post("/api/brain/run-tiktok", absl::StrCat(R"({"userAccountId":")", alice, R"("})"), kAdmin);
  EXPECT_EQ(brain_status, 200) << brain.dump();
  EXPECT_EQ(brain["skipped"], true);
  EXPECT_EQ(brain["reason"], "no_directions");
  EXPECT_EQ(brain["platform"], "tiktok");
}

TEST_F(GatewayTest, CorsPreflightAndBodyLimit) {
  httplib::Headers preflight = {{"Origin", "http://localhost:5173"},
                                {"Access-Control-Request-Method", "POST"}};
  auto answer = http_->Options("/api/tiktok-campaign-builder/auto-launch", preflight);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 204);
  EXPECT_EQ(answer->get_header_value("Access-Control-Allow-Origin"), "http://localhost:5173");
  auto foreign = http_->Options("/api/tiktok-campaign-builder/auto-launch",
                                httplib::Headers{{"Origin", "https://evil.example"},
                                                 {"Access-Control-Request-Method", "POST"}});
  ASSERT_TRUE(foreign);
  EXPECT_TRUE(foreign->get_header_value("Access-Control-Allow-Origin").empty());

  const std::string huge = absl::StrCat(R"({"username":")", std::string(70000, 'x'), R"("})");
  EXPECT_EQ(Post("/api/v1/admin/user-accounts", huge, kAdmin).first, 413);
}

TEST_F(GatewayTest, OpenApiListsEveryRestPath) {
  auto [status, document] = Get("/openapi.json", "");
  ASSERT_EQ(status, 200);
  std::set<std::string> documented;
  for (const auto& [path, operations] : document["paths"].items()) documented.insert(path);
  int checked = 0;
  ASSERT_EQ(client::ContractServices().size(), 9u);
  for (const google::protobuf::ServiceDescriptor* descriptor : client::ContractServices()) {
    ASSERT_NE(descriptor, nullptr);
    for (int i = 0; i < descriptor->method_count(); ++i) {
      const google::api::HttpRule& rule =
          descriptor->method(i)->options().GetExtension(google::api::http);
      std::vector<const google::api::HttpRule*> rules = {&rule};
      for (const auto& extra : rule.additional_bindings()) rules.push_back(&extra);
      for (const google::api::HttpRule* binding : rules) {
        const std::string path = !binding->get().empty()      ? binding->get()
                                 : !binding->post().empty()   ? binding->post()
                                 : !binding->patch().empty()  ? binding->patch()
                                 : !binding->delete_().empty() ? binding->delete_()
                                                               : binding->put();
        EXPECT_TRUE(documented.count(path)) << descriptor->method(i)->full_name() << " " << path;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 50);
}

TEST_F(GatewayTest, KeepsServingWhileTheServerRestartsAndRecovers) {
  server_->Signal(SIGTERM);
  EXPECT_EQ(server_->Wait(), 0);
  auto [down_status, down] = Get("/healthz", "");
  EXPECT_EQ(down_status, 503);
  EXPECT_EQ(Post("/api/v1/admin/user-accounts", R"({"username":"x"})", kAdmin).first, 503);

  const int port = grpc_port_;
  StartServer(port);
  int status = 0;
  for (int i = 0; i < 200 && status != 200; ++i) {
    status = Post("/api/v1/admin/user-accounts", R"({"username":"after-restart"})", kAdmin).first;
    if (status != 200) absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_EQ(status, 200) << "the gateway did not reconnect by itself";
}

}  // namespace
}  // namespace ttads::testing
