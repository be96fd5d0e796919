// Child processes of the benchmark driver (the sandbox, ttads-server, the gateway, the
// hello-world server, wrk) and what it reads of them: the port of their "listening" line, their
// resident memory (/proc/PID/status), their output.
#ifndef TTADS_TOOLS_BENCH_BENCH_PROCESS_H_
#define TTADS_TOOLS_BENCH_BENCH_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace ttads::bench {

class Process {
 public:
  // Starts `binary` with `args`, the driver's environment plus `env` ("NAME=value"), and its
  // stdout and stderr written to `log_prefix`.out / .err.
  static absl::StatusOr<Process> Start(const std::string& binary,
                                       const std::vector<std::string>& args,
                                       const std::vector<std::string>& env,
                                       const std::string& log_prefix);
  Process() = default;
  Process(Process&& other) noexcept;
  Process& operator=(Process&& other) noexcept;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  ~Process();  // Stop()

  // Waits for a line holding "event":"listening" in stdout or stderr and returns its port.
  absl::StatusOr<int> AwaitListening(absl::Duration timeout);
  // SIGTERM, then SIGKILL after `grace`; returns the exit status (or -signal).
  int Stop(absl::Duration grace = absl::Seconds(10));
  // Waits for the exit; the exit code, or -signal.
  int Wait();

  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }
  std::string Stdout() const;
  std::string Stderr() const;

 private:
  pid_t pid_ = -1;
  std::string log_prefix_;
};

// Current and peak resident set of `pid` in bytes (VmRSS, VmHWM of /proc/PID/status).
struct Rss {
  int64_t current = 0;
  int64_t peak = 0;
};
absl::StatusOr<Rss> ReadRss(pid_t pid);

std::string ReadFileOr(const std::string& path, const std::string& fallback = "");

}  // namespace ttads::bench

#endif  // TTADS_TOOLS_BENCH_BENCH_PROCESS_H_
