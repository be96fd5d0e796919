// The processes of an end-to-end test: the TikTok sandbox, ttads-server (on a fresh SQLite file)
// and the REST gateway, started as operators start them, and a JSON-over-HTTP client that sends
// the frontend's `Authorization: Bearer` header. Used by the e2e tests that need TikTok.
#ifndef TTADS_TEST_E2E_E2E_STACK_H_
#define TTADS_TEST_E2E_E2E_STACK_H_

#include <httplib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "nlohmann/json.hpp"
#include "test/process_runner.h"

namespace ttads::testing {

class E2eStack {
 public:
  using Json = nlohmann::json;

  static constexpr char kAdminToken[] = "e2e-admin-token";
  static constexpr char kJwtSecret[] = "e2e-jwt-secret";
  static constexpr char kAppId[] = "7300000000000000001";        // demo_seed.json
  static constexpr char kDemoToken[] = "sandbox-demo-access-token";  // for direct sandbox reads

  struct Options {
    // Extra sandbox flags (after --port and --seed).
    std::vector<std::string> sandbox_args;
    // ttads-server environment entries "NAME=value"; a name given here replaces the default.
    std::vector<std::string> server_env;
  };

  E2eStack() = default;
  ~E2eStack() { Stop(); }
  E2eStack(const E2eStack&) = delete;
  E2eStack& operator=(const E2eStack&) = delete;

  // Starts the three processes and waits until the gateway reaches the server. Reports failures
  // with gtest assertions: call it under ASSERT_NO_FATAL_FAILURE.
  void Start(const Options& options = {});
  // Stops them (gateway, server, sandbox) and removes the database.
  void Stop();

  // One request through the gateway with `Authorization: Bearer <token>` (none when empty).
  // Returns the HTTP status (0 when there was no answer) and the parsed JSON body (discarded
  // when it is not JSON).
  std::pair<int, Json> Send(const std::string& method, const std::string& path,
                            const std::string& token, const std::string& body = "");
  std::pair<int, Json> SendJson(const std::string& method, const std::string& path,
                                const std::string& token, const Json& body) {
    return Send(method, path, token, body.dump());
  }

  // The sandbox's control API (/_sandbox/...): the parsed answer; fails the test unless 200.
  Json SandboxControl(const std::string& method, const std::string& path, const Json& body = {});
  // A TikTok API call straight to the sandbox with the demo token (to see what ttads did there):
  // GET with `params` in the query (arrays and objects JSON-encoded), or POST with a JSON body.
  Json TikTok(const std::string& method, const std::string& endpoint, const Json& params);

  int sandbox_port() const { return sandbox_port_; }
  int http_port() const { return http_port_; }
  int grpc_port() const { return grpc_port_; }
  // ttads-server's process id (its memory is read from /proc by the soak test).
  pid_t server_pid() const { return server_ ? server_->pid() : -1; }
  // What ttads-server wrote to stderr; complete only after Stop().
  const std::string& server_log() const { return server_log_; }

 private:
  std::filesystem::path dir_;
  std::unique_ptr<ChildProcess> sandbox_;
  std::unique_ptr<ChildProcess> server_;
  std::unique_ptr<ChildProcess> gateway_;
  // Reads the server's stderr so that its log never fills the pipe and blocks it.
  std::thread server_log_reader_;
  std::string server_log_;
  std::unique_ptr<httplib::Client> http_;
  int sandbox_port_ = 0;
  int http_port_ = 0;
  int grpc_port_ = 0;
};

// `value` percent-encoded for a URL query.
std::string UrlEncode(const std::string& value);

}  // namespace ttads::testing

#endif  // TTADS_TEST_E2E_E2E_STACK_H_
