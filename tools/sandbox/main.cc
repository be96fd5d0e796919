// ttads-tiktok-sandbox: a local stand-in for the TikTok Marketing API v1.3 on a loopback port.
// Prints {"event":"listening","port":N} on stdout once it accepts requests; runs until SIGINT
// or SIGTERM.
#include <signal.h>

#include <cstdio>
#include <iostream>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "tools/sandbox/sandbox_server.h"

namespace {

constexpr char kUsage[] = R"(Usage: ttads-tiktok-sandbox [flags]

A local, stateful TikTok Marketing API v1.3 for tests and demos. Point a client at
TIKTOK_API_BASE_URL=http://127.0.0.1:PORT/open_api. Control API: /_sandbox/ (see README.md).

Flags (--flag=value or --flag value):
  --port N                 port to listen on; 0 (default) picks a free one
  --host ADDR              address to bind (default 127.0.0.1)
  --seed FILE              seed data (JSON, see tools/sandbox/README.md)
  --app-qps Q              app-level QPS per app, code 40100 beyond it (default 10; 0 = off)
  --ad-create-qps Q        app-level QPS of ad/create/ (default 5; 0 = off)
  --advertiser-qps Q       advertiser-level QPS per path, code 40133 (default 0 = off)
  --latency-ms N           delay added to every API answer (default 0)
  --transcode-seconds N    uploaded videos transcode this long; ads using them get 40901
  --lead-task-seconds N    lead download tasks run this long before SUCCEED (default 0)
  --backfill-days N        days of metrics before each ad's creation (default: seed or 0)
  --metrics-seed N         seed of the synthetic metrics (default: seed file or 1)
  --clock TIME             start the sandbox clock at TIME (RFC 3339 or YYYY-MM-DD HH:MM:SS)
  --freeze-clock           keep the sandbox clock still (move it with POST /_sandbox/clock)
  --fault SPEC             inject a fault, repeatable; e.g. error:campaign/create/,code=50000,once
                           latency:*,ms=200  http:report/*,status=503,fraction=0.5  html:*
                           drop:ad/create/,after  timeout:campaign/create/,ms=5000
  --help                   this text
)";

bool ParseFlags(int argc, char** argv, ttads::sandbox::SandboxOptions& options, bool& help,
                std::set<std::string>& explicit_flags) {
  std::vector<std::string> args(argv + 1, argv + argc);
  for (size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    std::string value;
    bool has_value = false;
    if (size_t eq = flag.find('='); eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
      has_value = true;
    }
    auto next = [&]() -> bool {
      if (has_value) return true;
      if (i + 1 >= args.size()) {
        std::cerr << "ttads-tiktok-sandbox: " << flag << " needs a value\n";
        return false;
      }
      value = args[++i];
      return true;
    };
    auto number = [&](auto& out) -> bool {
      if (!next()) return false;
      bool ok = false;
      if constexpr (std::is_floating_point_v<std::remove_reference_t<decltype(out)>>) {
        ok = absl::SimpleAtod(value, &out);
      } else {
        ok = absl::SimpleAtoi(value, &out);
      }
      if (!ok)
        std::cerr << "ttads-tiktok-sandbox: bad number for " << flag << ": " << value << "\n";
      return ok;
    };
    ttads::sandbox::SandboxConfig& config = options.config;
    explicit_flags.insert(flag);
    if (flag == "--help" || flag == "-h") {
      help = true;
    } else if (flag == "--port") {
      if (!number(options.port)) return false;
    } else if (flag == "--host") {
      if (!next()) return false;
      options.host = value;
    } else if (flag == "--seed") {
      if (!next()) return false;
      options.seed_file = value;
    } else if (flag == "--app-qps") {
      if (!number(config.app_qps)) return false;
    } else if (flag == "--ad-create-qps") {
      double qps = 0;
      if (!number(qps)) return false;
      config.endpoint_qps["ad/create/"] = qps;
    } else if (flag == "--advertiser-qps") {
      if (!number(config.advertiser_qps)) return false;
    } else if (flag == "--latency-ms") {
      if (!number(config.latency_ms)) return false;
    } else if (flag == "--transcode-seconds") {
      if (!number(config.transcode_seconds)) return false;
    } else if (flag == "--lead-task-seconds") {
      if (!number(config.lead_task_seconds)) return false;
    } else if (flag == "--backfill-days") {
      if (!number(config.backfill_days)) return false;
    } else if (flag == "--metrics-seed") {
      if (!number(config.metrics_seed)) return false;
    } else if (flag == "--clock") {
      if (!next()) return false;
      options.clock_start = ttads::sandbox::ParseControlTime(value);
      if (!options.clock_start) {
        std::cerr << "ttads-tiktok-sandbox: bad --clock time: " << value << "\n";
        return false;
      }
    } else if (flag == "--freeze-clock") {
      options.freeze_clock = true;
    } else if (flag == "--fault") {
      if (!next()) return false;
      options.faults.push_back(value);
    } else {
      std::cerr << "ttads-tiktok-sandbox: unknown flag " << flag << " (see --help)\n";
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  ttads::sandbox::SandboxOptions options;
  bool help = false;
  std::set<std::string> given;
  if (!ParseFlags(argc, argv, options, help, given)) return 2;
  if (help) {
    std::cout << kUsage;
    return 0;
  }

  // The signal-handling thread is this one: block the signals before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  ttads::sandbox::Sandbox sandbox;
  absl::StatusOr<int> port = sandbox.Start(options);
  if (!port.ok()) {
    std::cerr << "ttads-tiktok-sandbox: " << port.status() << "\n";
    return 1;
  }
  // A seed file's settings were applied over the defaults; flags given on the command line win.
  ttads::sandbox::SandboxConfig config = sandbox.config();
  const ttads::sandbox::SandboxConfig& flags = options.config;
  if (given.count("--backfill-days")) config.backfill_days = flags.backfill_days;
  if (given.count("--metrics-seed")) config.metrics_seed = flags.metrics_seed;
  if (given.count("--transcode-seconds")) config.transcode_seconds = flags.transcode_seconds;
  if (given.count("--lead-task-seconds")) config.lead_task_seconds = flags.lead_task_seconds;
  sandbox.set_config(config);

  std::cout << "{\"event\":\"listening\",\"port\":" << *port << "}" << std::endl;
  std::fflush(stdout);
  std::cerr << "ttads-tiktok-sandbox: serving " << sandbox.BaseUrl()
            << "/v1.3/ (control API: http://" << options.host << ":" << *port << "/_sandbox/)\n";

  int received = 0;
  sigwait(&signals, &received);
  std::cerr << "ttads-tiktok-sandbox: stopping (signal " << received << ")\n";
  sandbox.Stop();
  return 0;
}
