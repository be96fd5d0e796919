// Runs a program of ours as a child process with its own environment, captures a stream of its
// output line by line, and sends it signals: end-to-end tests start ttads-server, the gateway
// and the sandbox this way, as operators would.
#ifndef TTADS_TEST_PROCESS_RUNNER_H_
#define TTADS_TEST_PROCESS_RUNNER_H_

#include <sys/types.h>

#include <cstdio>
#include <string>
#include <vector>

namespace ttads::testing {

class ChildProcess {
 public:
  enum class Capture { kStdout, kStderr };
  // Starts `binary` with `args` and exactly the environment `env` ("NAME=value" entries).
  // `capture` is read by ReadUntil; the other stream is inherited.
  ChildProcess(const std::string& binary, const std::vector<std::string>& args,
               const std::vector<std::string>& env, Capture capture = Capture::kStderr);
  ~ChildProcess();  // SIGKILL if still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Reads lines until one contains `needle`; returns it ("" when the stream ended first).
  std::string ReadUntil(const std::string& needle);
  // Waits for exit; the exit code, or -signal when killed. Drains the captured stream.
  int Wait();
  void Signal(int signal);
  pid_t pid() const { return pid_; }
  // Everything read from the captured stream so far.
  const std::string& output() const { return output_; }

 private:
  pid_t pid_ = -1;
  FILE* stream_ = nullptr;
  bool exited_ = false;
  std::string output_;
};

// The "port" of a {"event":"listening","port":N} or {…,"port":"N"} line, 0 if absent.
int PortOfListeningLine(const std::string& line);

}  // namespace ttads::testing

#endif  // TTADS_TEST_PROCESS_RUNNER_H_
