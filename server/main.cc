// ttads-server: the gRPC server. Configuration from environment variables or flags (--help).
// SIGTERM/SIGINT: stop accepting calls, drain in-flight ones, exit 0.
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/config.h"
#include "server/log.h"
#include "server/secret_box.h"
#include "server/secret_key_source.h"
#include "server/secret_rotation.h"
#include "server/ttads_server.h"
#include "storage/database.h"
#include "storage/migration_runner.h"

namespace {

using ttads::server::LogError;
using ttads::server::LogInfo;

// `ttads-server rotate-secret-key --new-key=HEX`: re-encrypts every stored token under the new
// key. With the SQLite key file, the file is switched to the new key once every token moved.
int RotateSecretKey(const ttads::server::ServerConfig& config,
                    const std::vector<std::string>& arguments) {
  std::string new_key;
  for (const std::string& argument : arguments) {
    if (absl::StartsWith(argument, "--new-key=")) new_key = argument.substr(10);
  }
  if (new_key.empty()) {
    std::cerr << "rotate-secret-key: give --new-key=<64 hex digits> (openssl rand -hex 32)\n";
    return 2;
  }
  auto target = ttads::storage::ParseDatabaseUrl(config.database_url);
  if (!target.ok()) {
    std::cerr << target.status() << "\n";
    return 2;
  }
  auto current = ttads::server::LoadSecretBox(config, *target);
  if (!current.ok()) {
    std::cerr << "current key: " << current.status() << "\n";
    return 1;
  }
  std::vector<std::string> old_keys;
  if (!config.secret_key.empty()) old_keys.push_back(config.secret_key);
  for (absl::string_view key : absl::StrSplit(config.previous_secret_keys, ',', absl::SkipEmpty())) {
    old_keys.emplace_back(key);
  }
  const std::filesystem::path key_file =
      std::filesystem::path(target->sqlite_path).parent_path() / "ttads.key";
  const bool uses_key_file = config.secret_key.empty();
  if (uses_key_file) {
    std::ifstream file(key_file);
    std::string line;
    std::getline(file, line);
    old_keys.push_back(line);
  }
  auto box = ttads::server::SecretBox::FromKeyText(new_key, old_keys);
  if (!box.ok()) {
    std::cerr << "--new-key: " << box.status().message() << "\n";
    return 2;
  }
  auto database = ttads::storage::Database::Open(*target, {.pool_size = 1});
  if (!database.ok()) {
    std::cerr << database.status() << "\n";
    return 1;
  }
  auto migrated =
      ttads::storage::ApplyMigrations(**database, ttads::storage::EmbeddedMigrations());
  if (!migrated.ok()) {
    std::cerr << migrated.status() << "\n";
    return 1;
  }
  auto report = ttads::server::RotateSecretKey(**database, *box, absl::Now());
  if (!report.ok()) {
    std::cerr << "rotation stopped: " << report.status() << "\n";
    return 1;
  }
  if (uses_key_file) {
    const std::filesystem::path staged = key_file.string() + ".new";
    {
      std::ofstream out(staged, std::ios::trunc);
      out << new_key << "\n";
    }
    std::filesystem::permissions(staged, std::filesystem::perms::owner_read |
                                             std::filesystem::perms::owner_write);
    std::filesystem::rename(staged, key_file);
  }
  std::cout << "re-encrypted " << report->reencrypted << " token(s), " << report->already_current
            << " already under key " << box->key_id() << ", " << report->changed_meanwhile
            << " changed meanwhile\n"
            << (uses_key_file ? "the key file now holds the new key\n"
                              : "now set TTADS_SECRET_KEY to the new key and restart\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  auto parsed = ttads::server::ParseCommandLine(args, [](const char* name) {
    return std::getenv(name);
  });
  if (!parsed.ok()) {
    std::cerr << "ttads-server: " << parsed.status().message() << "\n";
    return 2;
  }
  if (parsed->help) {
    std::cout << ttads::server::ConfigHelp("ttads-server");
    return 0;
  }
  if (!parsed->positional.empty()) {
    if (parsed->positional[0] == "rotate-secret-key") {
      return RotateSecretKey(parsed->config, parsed->positional);
    }
    std::cerr << "ttads-server: unknown command '" << parsed->positional[0] << "' (see --help)\n";
    return 2;
  }

  // Signals are taken by one thread with sigwait, so shutdown runs outside a signal handler.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  LogInfo("starting", {{"config", ttads::server::DescribeConfig(parsed->config)}});
  auto server = ttads::server::TtadsServer::Start(parsed->config);
  if (!server.ok()) {
    LogError("start_failed", {{"error", server.status().ToString()}});
    return 1;
  }
  int received = 0;
  sigwait(&signals, &received);
  LogInfo("shutting_down", {{"signal", received == SIGTERM ? "SIGTERM" : "SIGINT"}});
  (*server)->Shutdown(absl::Seconds(parsed->config.shutdown_grace_seconds));
  (*server)->Wait();
  LogInfo("stopped");
  return 0;
}
