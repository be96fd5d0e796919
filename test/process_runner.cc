#include "test/process_runner.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"

namespace ttads::testing {

ChildProcess::ChildProcess(const std::string& binary, const std::vector<std::string>& args,
                           const std::vector<std::string>& env, Capture capture) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) return;
  pid_ = fork();
  if (pid_ == 0) {
    dup2(pipe_fds[1], capture == Capture::kStdout ? STDOUT_FILENO : STDERR_FILENO);
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    std::vector<std::string> argv_storage = {binary};
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& arg : argv_storage) argv.push_back(arg.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_storage = env;
    std::vector<char*> envp;
    for (std::string& entry : env_storage) envp.push_back(entry.data());
    envp.push_back(nullptr);
    execve(binary.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  close(pipe_fds[1]);
  stream_ = fdopen(pipe_fds[0], "r");
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !exited_) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  if (stream_ != nullptr) fclose(stream_);
}

std::string ChildProcess::ReadUntil(const std::string& needle) {
  if (stream_ == nullptr) return "";
  char line[16384];
  while (fgets(line, sizeof(line), stream_) != nullptr) {
    output_ += line;
    if (absl::StrContains(line, needle)) return line;
  }
  return "";
}

int ChildProcess::Wait() {
  int status = 0;
  waitpid(pid_, &status, 0);
  exited_ = true;
  ReadUntil("\x01 never matches");
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

void ChildProcess::Signal(int signal) {
  if (pid_ > 0 && !exited_) kill(pid_, signal);
}

int PortOfListeningLine(const std::string& line) {
  const std::size_t at = line.find("\"port\":");
  if (at == std::string::npos) return 0;
  std::size_t start = at + 7;
  if (start < line.size() && line[start] == '"') ++start;
  std::size_t end = start;
  while (end < line.size() && std::isdigit(static_cast<unsigned char>(line[end]))) ++end;
  int port = 0;
  (void)absl::SimpleAtoi(line.substr(start, end - start), &port);
  return port;
}

}  // namespace ttads::testing
