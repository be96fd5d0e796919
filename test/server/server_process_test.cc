// ttads-server as operators run it: a real process, configured by environment variables, that
// drains and exits 0 on SIGTERM and refuses unsafe configurations.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/rpc_client.h"
#include "gtest/gtest.h"

namespace {

// A child process with its stderr captured.
class ServerProcess {
 public:
  ServerProcess(const std::vector<std::string>& args, const std::vector<std::string>& env) {
    int pipe_fds[2];
    EXPECT_EQ(pipe(pipe_fds), 0);
    pid_ = fork();
    if (pid_ == 0) {
      dup2(pipe_fds[1], STDERR_FILENO);
      close(pipe_fds[0]);
      std::vector<char*> argv;
      std::string binary = TTADS_SERVER_BINARY;
      argv.push_back(binary.data());
      std::vector<std::string> args_copy = args;
      for (std::string& arg : args_copy) argv.push_back(arg.data());
      argv.push_back(nullptr);
      std::vector<std::string> env_copy = env;
      std::vector<char*> envp;
      for (std::string& entry : env_copy) envp.push_back(entry.data());
      envp.push_back(nullptr);
      execve(binary.c_str(), argv.data(), envp.data());
      _exit(127);
    }
    close(pipe_fds[1]);
    stderr_ = fdopen(pipe_fds[0], "r");
  }
  ~ServerProcess() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (stderr_ != nullptr) fclose(stderr_);
  }

  // Reads log lines until one contains `needle` (or the process closes stderr).
  std::string ReadUntil(const std::string& needle) {
    char line[8192];
    while (fgets(line, sizeof(line), stderr_) != nullptr) {
      output_ += line;
      if (absl::StrContains(line, needle)) return line;
    }
    return "";
  }
  // Waits for the exit and returns the exit code (-signal when killed).
  int Wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    exited_ = true;
    ReadUntil("\x01never");  // drain the rest of stderr
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  }
  void Signal(int signal) { kill(pid_, signal); }
  const std::string& output() const { return output_; }

 private:
  pid_t pid_ = -1;
  FILE* stderr_ = nullptr;
  bool exited_ = false;
  std::string output_;
};

std::string TempDir() {
  const auto dir = std::filesystem::temp_directory_path() /
                   absl::StrCat("ttads-proc-", getpid(), "-", absl::ToUnixNanos(absl::Now()));
  std::filesystem::create_directories(dir);
  return dir.string();
}

int PortFromListeningLine(const std::string& line) {
  const std::size_t at = line.find("\"port\":\"");
  if (at == std::string::npos) return 0;
  int port = 0;
  const std::size_t start = at + 8;
  (void)absl::SimpleAtoi(line.substr(start, line.find('"', start) - start), &port);
  return port;
}

TEST(ServerProcessTest, ServesThenDrainsAndExitsZeroOnSigterm) {
  const std::string dir = TempDir();
  ServerProcess server({}, {"TTADS_GRPC_LISTEN=127.0.0.1:0",
                            absl::StrCat("TTADS_DATABASE_URL=sqlite:", dir, "/db/ttads.db"),
                            "TTADS_ADMIN_TOKEN=process-test-admin"});
  const std::string listening = server.ReadUntil("\"event\":\"listening\"");
  const int port = PortFromListeningLine(listening);
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
  ServerProcess server({}, {"TTADS_GRPC_LISTEN=127.0.0.1:0",
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
                       {"TTADS_GRPC_LISTEN=127.0.0.1:0",
                        "TTADS_DATABASE_URL=postgresql://nobody@127.0.0.1:1/none"});
  EXPECT_EQ(server.Wait(), 1);
  EXPECT_TRUE(absl::StrContains(server.output(), "cannot open database")) << server.output();
}

}  // namespace
