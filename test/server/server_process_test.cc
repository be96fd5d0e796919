// ttads-server as operators run it: a real process, configured by environment variables, that
// drains and exits 0 on SIGTERM and refuses unsafe configurations.
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/rpc_client.h"
#include "gtest/gtest.h"
#include "test/process_runner.h"

namespace {

// ttads-server with its log (stderr) captured.
class ServerProcess : public ttads::testing::ChildProcess {
 public:
  ServerProcess(const std::vector<std::string>& args, const std::vector<std::string>& env)
      : ChildProcess(TTADS_SERVER_BINARY, args, env, Capture::kStderr) {}
};

std::string TempDir() {
  const auto dir = std::filesystem::temp_directory_path() /
                   absl::StrCat("ttads-proc-", getpid(), "-", absl::ToUnixNanos(absl::Now()));
  std::filesystem::create_directories(dir);
  return dir.string();
}

TEST(ServerProcessTest, ServesThenDrainsAndExitsZeroOnSigterm) {
  const std::string dir = TempDir();
  ServerProcess server({}, {"TTADS_GRPC_LISTEN=127.0.0.1:0", "TTADS_METRICS_LISTEN=127.0.0.1:0",
                            absl::StrCat("TTADS_DATABASE_URL=sqlite:", dir, "/db/ttads.db"),
                            "TTADS_ADMIN_TOKEN=process-test-admin"});
  const std::string listening = server.ReadUntil("\"event\":\"listening\"");
  const int port = ttads::testing::PortOfListeningLine(listening);
  ASSERT_GT(port, 0) << server.output();

  ttads::client::RpcClient client({absl::StrCat("127.0.0.1:", port), "process-test-admin"});
  auto answer = client.CallJson("AdminService/CreateUserAccount", R"({"username":"p"})");
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(*client.Health(), "SERVING");

  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(), 0) << server.output();
  EXPECT_TRUE(absl::StrContains(server.output(), "\"event\":\"stopped\"")) << server.output();
  // One log line per RPC, and no secret in the log.
  EXPECT_TRUE(absl::StrContains(server.output(), "AdminService/CreateUserAccount"));
  EXPECT_FALSE(absl::StrContains(server.output(), "process-test-admin"));
  // The SQLite default made its own key file, readable by the owner only.
  const auto key_file = std::filesystem::path(dir) / "db" / "ttads.key";
  ASSERT_TRUE(std::filesystem::exists(key_file));
  EXPECT_EQ(std::filesystem::status(key_file).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::filesystem::remove_all(dir);
}

TEST(ServerProcessTest, PostgresWithoutSecretKeyRefusesToStart) {
  ServerProcess server({}, {"TTADS_GRPC_LISTEN=127.0.0.1:0", "TTADS_METRICS_LISTEN=127.0.0.1:0",
                            "TTADS_DATABASE_URL=postgresql://nobody@127.0.0.1:1/none"});
  EXPECT_EQ(server.Wait(), 1);
  EXPECT_TRUE(absl::StrContains(server.output(), "TTADS_SECRET_KEY is required"))
      << server.output();
}

TEST(ServerProcessTest, BadConfigurationNamesTheVariable) {
  ServerProcess server({}, {"TTADS_DB_POOL_SIZE=many"});
  EXPECT_EQ(server.Wait(), 2);
  EXPECT_TRUE(absl::StrContains(server.output(), "TTADS_DB_POOL_SIZE")) << server.output();
}

TEST(ServerProcessTest, UnreachableDatabaseFailsFast) {
  ServerProcess server({"--secret-key", std::string(64, 'a')},
                       {"TTADS_GRPC_LISTEN=127.0.0.1:0", "TTADS_METRICS_LISTEN=127.0.0.1:0",
                        "TTADS_DATABASE_URL=postgresql://nobody@127.0.0.1:1/none"});
  EXPECT_EQ(server.Wait(), 1);
  EXPECT_TRUE(absl::StrContains(server.output(), "cannot open database")) << server.output();
}

}  // namespace
