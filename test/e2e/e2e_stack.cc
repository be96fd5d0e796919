#include "test/e2e/e2e_stack.h"

#include <signal.h>
#include <unistd.h>

#include <cctype>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

#ifndef TTADS_SANDBOX_BINARY
#error "needs TTADS_{SANDBOX,SERVER,GATEWAY}_BINARY and TTADS_SANDBOX_DEMO_SEED"
#endif

namespace ttads::testing {

namespace {

// Sets NAME=value in `env`, replacing an entry of the same name (execve keeps duplicates, and
// which one getenv sees is not defined).
void SetEnv(std::vector<std::string>& env, const std::string& entry) {
  const std::string name = entry.substr(0, entry.find('=') + 1);
  for (std::string& existing : env) {
    if (existing.rfind(name, 0) == 0) {
      existing = entry;
      return;
    }
  }
  env.push_back(entry);
}

}  // namespace

std::string UrlEncode(const std::string& value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

void E2eStack::Start(const Options& options) {
  dir_ = std::filesystem::temp_directory_path() /
         absl::StrCat("ttads-e2e-stack-", getpid(), "-", absl::ToUnixNanos(absl::Now()));
  std::filesystem::create_directories(dir_);

  std::vector<std::string> sandbox_args = {"--port", "0", "--seed", TTADS_SANDBOX_DEMO_SEED};
  sandbox_args.insert(sandbox_args.end(), options.sandbox_args.begin(),
                      options.sandbox_args.end());
  sandbox_ = std::make_unique<ChildProcess>(TTADS_SANDBOX_BINARY, sandbox_args,
                                            std::vector<std::string>{},
                                            ChildProcess::Capture::kStdout);
  sandbox_port_ = PortOfListeningLine(sandbox_->ReadUntil("listening"));
  ASSERT_GT(sandbox_port_, 0) << sandbox_->output();

  std::vector<std::string> server_env = {
      "TTADS_GRPC_LISTEN=127.0.0.1:0",
      "TTADS_METRICS_LISTEN=127.0.0.1:0",
      absl::StrCat("TTADS_DATABASE_URL=sqlite:", dir_.string(), "/t.db"),
      absl::StrCat("TTADS_ADMIN_TOKEN=", kAdminToken),
      absl::StrCat("TTADS_JWT_SECRET=", kJwtSecret),
      absl::StrCat("TIKTOK_APP_ID=", kAppId),
      "TIKTOK_APP_SECRET=sandbox-demo-app-secret",
      absl::StrCat("TIKTOK_API_BASE_URL=http://127.0.0.1:", sandbox_port_, "/open_api"),
      "TTADS_SCHEDULER_ENABLED=false",
      "TTADS_TIKTOK_RETRY_DEADLINE_MS=2000",
      "TTADS_TIKTOK_RETRY_BASE_DELAY_MS=5"};
  for (const std::string& entry : options.server_env) SetEnv(server_env, entry);
  server_ = std::make_unique<ChildProcess>(TTADS_SERVER_BINARY, std::vector<std::string>{},
                                           server_env);
  const int grpc_port = PortOfListeningLine(server_->ReadUntil("\"event\":\"listening\""));
  ASSERT_GT(grpc_port, 0) << server_->output();
  grpc_port_ = grpc_port;
  server_log_reader_ = std::thread([server = server_.get()] {
    server->ReadUntil("\x01 never matches");  // returns when the server's stderr closes
  });

  gateway_ = std::make_unique<ChildProcess>(
      TTADS_GATEWAY_BINARY, std::vector<std::string>{},
      std::vector<std::string>{"TTADS_HTTP_LISTEN=127.0.0.1:0",
                               absl::StrCat("TTADS_GRPC_TARGET=127.0.0.1:", grpc_port)},
      ChildProcess::Capture::kStdout);
  http_port_ = PortOfListeningLine(gateway_->ReadUntil("listening"));
  ASSERT_GT(http_port_, 0) << gateway_->output();
  http_ = std::make_unique<httplib::Client>("127.0.0.1", http_port_);
  http_->set_read_timeout(30, 0);
  int health = 0;
  for (int i = 0; i < 200 && health != 200; ++i) {
    if (auto answer = http_->Get("/healthz"); answer) health = answer->status;
    if (health != 200) absl::SleepFor(absl::Milliseconds(25));
  }
  ASSERT_EQ(health, 200) << "the gateway does not reach ttads-server";
}

void E2eStack::Stop() {
  http_.reset();
  gateway_.reset();
  if (server_ != nullptr) {
    server_->Signal(SIGKILL);
    if (server_log_reader_.joinable()) server_log_reader_.join();
    server_->Wait();
    server_log_ = server_->output();
    server_.reset();
  }
  sandbox_.reset();
  if (!dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
    dir_.clear();
  }
}

std::pair<int, E2eStack::Json> E2eStack::Send(const std::string& method, const std::string& path,
                                              const std::string& token,
                                              const std::string& body) {
  if (http_ == nullptr) return {0, {}};
  httplib::Headers headers;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  httplib::Result answer =
      method == "GET"      ? http_->Get(path.c_str(), headers)
      : method == "PATCH"  ? http_->Patch(path.c_str(), headers, body, "application/json")
      : method == "DELETE" ? http_->Delete(path.c_str(), headers, body, "application/json")
                           : http_->Post(path.c_str(), headers, body, "application/json");
  if (!answer) return {0, {}};
  return {answer->status, Json::parse(answer->body, nullptr, false)};
}

E2eStack::Json E2eStack::SandboxControl(const std::string& method, const std::string& path,
                                        const Json& body) {
  httplib::Client control("127.0.0.1", sandbox_port_);
  const std::string url = absl::StrCat("/_sandbox/", path);
  httplib::Result answer = method == "GET"      ? control.Get(url.c_str())
                           : method == "DELETE" ? control.Delete(url.c_str())
                                                : control.Post(url.c_str(), body.dump(),
                                                               "application/json");
  EXPECT_TRUE(answer && answer->status == 200)
      << method << " " << url << ": " << (answer ? answer->body : "no answer");
  return answer ? Json::parse(answer->body, nullptr, false) : Json();
}

E2eStack::Json E2eStack::TikTok(const std::string& method, const std::string& endpoint,
                                const Json& params) {
  httplib::Client tiktok("127.0.0.1", sandbox_port_);
  const httplib::Headers headers = {{"Access-Token", kDemoToken}};
  std::string url = absl::StrCat("/open_api/v1.3/", endpoint);
  if (method == "GET") {
    char separator = '?';
    for (const auto& [name, value] : params.items()) {
      absl::StrAppend(&url, std::string(1, separator), name, "=",
                      UrlEncode(value.is_string() ? value.get<std::string>() : value.dump()));
      separator = '&';
    }
  }
  httplib::Result answer =
      method == "GET" ? tiktok.Get(url.c_str(), headers)
                      : tiktok.Post(url.c_str(), headers, params.dump(), "application/json");
  EXPECT_TRUE(answer) << method << " " << endpoint << ": no answer from the sandbox";
  return answer ? Json::parse(answer->body, nullptr, false) : Json();
}

}  // namespace ttads::testing
