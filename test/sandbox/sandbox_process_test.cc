// The ttads-tiktok-sandbox binary: --port 0 prints its port as one JSON line, serves the demo
// seed, and stops cleanly on SIGTERM.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "tools/sandbox/sandbox_json.h"

extern char** environ;

namespace ttads::sandbox {
namespace {

struct Child {
  pid_t pid = -1;
  int stdout_fd = -1;
};

Child Spawn(const std::vector<std::string>& args) {
  int pipe_fds[2];
  EXPECT_EQ(pipe(pipe_fds), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
  std::vector<char*> argv;
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  Child child;
  EXPECT_EQ(posix_spawn(&child.pid, argv[0], &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  child.stdout_fd = pipe_fds[0];
  return child;
}

std::string ReadLine(int fd) {
  std::string line;
  char c = 0;
  while (read(fd, &c, 1) == 1 && c != '\n') line.push_back(c);
  return line;
}

int WaitForExit(pid_t pid, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  return -1;
}

TEST(SandboxProcessTest, PrintsItsPortAndServesTheDemoSeed) {
  Child child = Spawn({TTADS_SANDBOX_BINARY, "--port", "0", "--seed", TTADS_SANDBOX_DEMO_SEED});
  std::string line = ReadLine(child.stdout_fd);
  std::optional<Json> event = ParseJson(line);
  ASSERT_TRUE(event) << "first line: " << line;
  EXPECT_EQ((*event)["event"], "listening");
  int port = (*event)["port"];
  ASSERT_GT(port, 0);

  {
    httplib::Client client("127.0.0.1", port);
    httplib::Result result =
        client.Get("/open_api/v1.3/advertiser/info/?advertiser_ids=%5B%227400000000000000001%22%5D",
                   {{"Access-Token", "sandbox-demo-access-token"}});
    ASSERT_TRUE(result);
    Json envelope = *ParseJson(result->body);
    EXPECT_EQ(envelope["code"], 0) << result->body;
    EXPECT_EQ(envelope["data"]["list"][0]["currency"], "KZT");
    EXPECT_EQ(envelope["data"]["list"][0]["timezone"], "Asia/Almaty");

    // The pre-created campaign with its disabled ad group, for the "existing ad groups" flow.
    result = client.Get("/open_api/v1.3/adgroup/get/?advertiser_id=7400000000000000001",
                        {{"Access-Token", "sandbox-demo-access-token"}});
    ASSERT_TRUE(result);
    Json adgroups = *ParseJson(result->body);
    ASSERT_EQ(adgroups["data"]["list"].size(), 1u) << result->body;
    EXPECT_EQ(adgroups["data"]["list"][0]["operation_status"], "DISABLE");
  }

  ASSERT_EQ(kill(child.pid, SIGTERM), 0);
  EXPECT_EQ(WaitForExit(child.pid, std::chrono::seconds(10)), 0);
  close(child.stdout_fd);
}

TEST(SandboxProcessTest, RejectsUnknownFlagsAndBadSeeds) {
  Child bad_flag = Spawn({TTADS_SANDBOX_BINARY, "--colour", "red"});
  EXPECT_EQ(WaitForExit(bad_flag.pid, std::chrono::seconds(10)), 2);
  close(bad_flag.stdout_fd);
  Child bad_seed = Spawn({TTADS_SANDBOX_BINARY, "--seed", "/nonexistent/seed.json"});
  EXPECT_EQ(WaitForExit(bad_seed.pid, std::chrono::seconds(10)), 1);
  close(bad_seed.stdout_fd);
}

}  // namespace
}  // namespace ttads::sandbox
