// ttads-server configuration: every setting has an environment variable and a matching flag
// (the flag wins). `--help` prints the table below.
#ifndef TTADS_SERVER_CONFIG_H_
#define TTADS_SERVER_CONFIG_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ttads::server {

struct ServerConfig {
  std::string grpc_listen = "127.0.0.1:50051";
  // Prometheus /metrics; "" turns it off.
  std::string metrics_listen = "127.0.0.1:9464";
  std::string database_url = "sqlite:./var/ttads.db";
  int db_pool_size = 8;
  std::string admin_token;
  std::string jwt_secret;
  std::string secret_key;
  // Comma-separated keys that may still decrypt during a rotation.
  std::string previous_secret_keys;
  std::string tiktok_app_id;
  std::string tiktok_app_secret;
  std::string tiktok_api_base_url = "https://business-api.tiktok.com/open_api";
  std::string tiktok_api_version = "v1.3";
  std::string tiktok_redirect_uri = "https://performanteaiagency.com/oauth/callback";
  // TikTok client tuning (docs/tiktok.md); tests set milliseconds.
  int tiktok_request_timeout_ms = 30000;
  int tiktok_retry_max_attempts = 5;
  int tiktok_retry_base_delay_ms = 500;
  int tiktok_retry_deadline_ms = 120000;
  int tiktok_app_qps = 10;
  int tiktok_advertiser_qps = 5;
  // Telegram Bot API: the re-authorisation notice (and later the brain's summary). No token = no
  // notices; when set, a user's own bot (user_accounts.telegram_bot_token) is used instead.
  std::string telegram_bot_token;
  std::string telegram_api_base_url = "https://api.telegram.org";
  // The brain's optional LLM planner, an OpenAI-compatible chat-completions endpoint (base URL
  // like http://host/v1). No base URL or no model = the deterministic plan only.
  std::string brain_llm_base_url;
  std::string brain_llm_api_key;
  std::string brain_llm_model;
  int brain_llm_timeout_ms = 30000;
  // The brain's guards: changes per run, the cooldown between budget changes of one ad group,
  // and the least data (impressions yesterday) a decision needs.
  int brain_max_actions_per_run = 5;
  int brain_budget_cooldown_hours = 24;
  int brain_min_impressions = 300;
  // The brain's scheduled batches (hourly multi-account slot, daily legacy batch at
  // daily_batch_hour Asia/Almaty) and how many accounts a batch runs at once. Tests and tools
  // that build a ServerConfig turn the scheduler off.
  bool scheduler_enabled = true;
  int daily_batch_hour = 8;
  int batch_concurrency = 4;
  int oauth_state_ttl_seconds = 900;
  // How long a journalled workflow (action batch, launch, brain run, idempotent RPC) left
  // `running` is trusted to be alive before a retry takes it over. 0 = each workflow's own
  // default (5 min for actions and idempotent RPCs, 10 min for launches, 15 min for brain runs).
  int workflow_lease_seconds = 0;
  int shutdown_grace_seconds = 10;
};

// One setting: its flag, environment variable, help text and whether it is secret (never
// printed).
struct ConfigSetting {
  std::string flag;  // without the leading "--"
  std::string env;
  std::string help;
  bool secret = false;
  std::function<std::string(const ServerConfig&)> get;
  std::function<absl::Status(ServerConfig&, absl::string_view)> set;
};

const std::vector<ConfigSetting>& ConfigSettings();

struct ParsedCommandLine {
  ServerConfig config;
  bool help = false;
  std::vector<std::string> positional;  // a subcommand and its arguments, if any
};

// Reads the environment through `getenv` (injectable for tests), then `args` (argv without the
// program name). INVALID_ARGUMENT names the flag or variable and why.
absl::StatusOr<ParsedCommandLine> ParseCommandLine(
    const std::vector<std::string>& args,
    const std::function<const char*(const char*)>& getenv);

// The --help text.
std::string ConfigHelp(absl::string_view program);

// "key=value" pairs of the effective configuration, secrets shown only as set/unset.
std::string DescribeConfig(const ServerConfig& config);

}  // namespace ttads::server

#endif  // TTADS_SERVER_CONFIG_H_
