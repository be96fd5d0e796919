#include "tools/bench/bench_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"

extern char** environ;

namespace ttads::bench {
namespace {

// The port of a log line with "event":"listening" ("port":N or "port":"N"); 0 when none.
int ListeningPort(const std::string& text) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (!absl::StrContains(line, "\"event\":\"listening\"")) continue;
    const size_t at = line.find("\"port\":");
    if (at == absl::string_view::npos) continue;
    absl::string_view rest = line.substr(at + 7);
    absl::ConsumePrefix(&rest, "\"");
    size_t digits = 0;
    while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
    int port = 0;
    if (absl::SimpleAtoi(rest.substr(0, digits), &port) && port > 0) return port;
  }
  return 0;
}

}  // namespace

std::string ReadFileOr(const std::string& path, const std::string& fallback) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fallback;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

absl::StatusOr<Process> Process::Start(const std::string& binary,
                                       const std::vector<std::string>& args,
                                       const std::vector<std::string>& env,
                                       const std::string& log_prefix) {
  std::vector<std::string> argv_text = {binary};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_text) argv.push_back(arg.data());
  argv.push_back(nullptr);

  // The driver's environment with `env` on top (a later NAME= wins).
  std::vector<std::string> env_text;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text = *entry;
    const std::string name = text.substr(0, text.find('='));
    bool overridden = false;
    for (const std::string& mine : env) {
      if (mine.substr(0, mine.find('=')) == name) overridden = true;
    }
    if (!overridden) env_text.push_back(text);
  }
  env_text.insert(env_text.end(), env.begin(), env.end());
  std::vector<char*> envp;
  for (std::string& entry : env_text) envp.push_back(entry.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const std::string out_path = log_prefix + ".out";
  const std::string err_path = log_prefix + ".err";
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, binary.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return absl::InternalError(absl::StrCat("cannot start ", binary, ": errno ", rc));
  Process process;
  process.pid_ = pid;
  process.log_prefix_ = log_prefix;
  return process;
}

Process::Process(Process&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), log_prefix_(std::move(other.log_prefix_)) {}

Process& Process::operator=(Process&& other) noexcept {
  if (this != &other) {
    Stop();
    pid_ = std::exchange(other.pid_, -1);
    log_prefix_ = std::move(other.log_prefix_);
  }
  return *this;
}

Process::~Process() { Stop(); }

std::string Process::Stdout() const { return ReadFileOr(log_prefix_ + ".out"); }
std::string Process::Stderr() const { return ReadFileOr(log_prefix_ + ".err"); }

absl::StatusOr<int> Process::AwaitListening(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (int port = ListeningPort(Stdout()); port > 0) return port;
    if (int port = ListeningPort(Stderr()); port > 0) return port;
    int status = 0;
    if (pid_ > 0 && waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return absl::UnavailableError(absl::StrCat("exited before listening; see ", log_prefix_,
                                                 ".err: ", Stderr().substr(0, 2000)));
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  return absl::DeadlineExceededError(absl::StrCat("no listening line; see ", log_prefix_, ".*"));
}

int Process::Wait() {
  if (pid_ <= 0) return 0;
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return -1;
}

int Process::Stop(absl::Duration grace) {
  if (pid_ <= 0) return 0;
  kill(pid_, SIGTERM);
  const absl::Time deadline = absl::Now() + grace;
  int status = 0;
  while (absl::Now() < deadline) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      return WIFSIGNALED(status) ? -WTERMSIG(status) : -1;
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  kill(pid_, SIGKILL);
  return Wait();
}

absl::StatusOr<Rss> ReadRss(pid_t pid) {
  const std::string status = ReadFileOr(absl::StrCat("/proc/", pid, "/status"));
  if (status.empty()) return absl::NotFoundError(absl::StrCat("no /proc/", pid, "/status"));
  Rss rss;
  for (absl::string_view line : absl::StrSplit(status, '\n')) {
    int64_t* field = nullptr;
    if (absl::ConsumePrefix(&line, "VmRSS:")) field = &rss.current;
    if (absl::ConsumePrefix(&line, "VmHWM:")) field = &rss.peak;
    if (field == nullptr) continue;
    line = absl::StripAsciiWhitespace(line);
    absl::ConsumeSuffix(&line, "kB");
    int64_t kb = 0;
    if (absl::SimpleAtoi(absl::StripAsciiWhitespace(line), &kb)) *field = kb * 1024;
  }
  return rss;
}

}  // namespace ttads::bench
