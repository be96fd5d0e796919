#include "server/config.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "storage/database_url.h"

namespace ttads::server {
namespace {

ConfigSetting Text(std::string flag, std::string env, std::string help,
                   std::string ServerConfig::*field, bool secret = false) {
  return ConfigSetting{
      std::move(flag), std::move(env), std::move(help), secret,
      [field](const ServerConfig& config) { return config.*field; },
      [field](ServerConfig& config, absl::string_view value) {
        config.*field = std::string(value);
        return absl::OkStatus();
      }};
}

ConfigSetting Integer(std::string flag, std::string env, std::string help,
                      int ServerConfig::*field, int min, int max) {
  const std::string name = flag;
  return ConfigSetting{
      std::move(flag), std::move(env), std::move(help), false,
      [field](const ServerConfig& config) { return absl::StrCat(config.*field); },
      [field, min, max, name](ServerConfig& config, absl::string_view value) {
        int number = 0;
        if (!absl::SimpleAtoi(value, &number) || number < min || number > max) {
          return absl::InvalidArgumentError(absl::StrFormat(
              "--%s: expected an integer in [%d, %d], got '%s'", name, min, max, value));
        }
        config.*field = number;
        return absl::OkStatus();
      }};
}

ConfigSetting Boolean(std::string flag, std::string env, std::string help,
                      bool ServerConfig::*field) {
  const std::string name = flag;
  return ConfigSetting{
      std::move(flag), std::move(env), std::move(help), false,
      [field](const ServerConfig& config) { return std::string(config.*field ? "true" : "false"); },
      [field, name](ServerConfig& config, absl::string_view value) {
        if (value == "true" || value == "1") {
          config.*field = true;
        } else if (value == "false" || value == "0") {
          config.*field = false;
        } else {
          return absl::InvalidArgumentError(
              absl::StrFormat("--%s: expected true or false, got '%s'", name, value));
        }
        return absl::OkStatus();
      }};
}

}  // namespace

const std::vector<ConfigSetting>& ConfigSettings() {
  static const auto* const settings = new std::vector<ConfigSetting>{
      Text("grpc-listen", "TTADS_GRPC_LISTEN", "gRPC listen address (host:port; port 0 picks one)",
           &ServerConfig::grpc_listen),
      Text("metrics-listen", "TTADS_METRICS_LISTEN",
           "Prometheus /metrics listen address (host:port; empty turns it off)",
           &ServerConfig::metrics_listen),
      Text("database-url", "TTADS_DATABASE_URL",
           "sqlite:PATH or postgresql://user:pass@host:port/db", &ServerConfig::database_url),
      Integer("db-pool-size", "TTADS_DB_POOL_SIZE", "database sessions kept open",
              &ServerConfig::db_pool_size, 1, 256),
      Text("admin-token", "TTADS_ADMIN_TOKEN", "operator bearer token (all access)",
           &ServerConfig::admin_token, true),
      Text("jwt-secret", "TTADS_JWT_SECRET", "HS256 secret of the frontend's JWTs (userId claim)",
           &ServerConfig::jwt_secret, true),
      Text("secret-key", "TTADS_SECRET_KEY",
           "AES-256 key for tokens at rest (64 hex digits); required with PostgreSQL",
           &ServerConfig::secret_key, true),
      Text("previous-secret-keys", "TTADS_PREVIOUS_SECRET_KEYS",
           "comma-separated older keys that may still decrypt during a rotation",
           &ServerConfig::previous_secret_keys, true),
      Text("tiktok-app-id", "TIKTOK_APP_ID", "TikTok app id (OAuth)", &ServerConfig::tiktok_app_id),
      Text("tiktok-app-secret", "TIKTOK_APP_SECRET", "TikTok app secret (OAuth)",
           &ServerConfig::tiktok_app_secret, true),
      Text("tiktok-api-base-url", "TIKTOK_API_BASE_URL",
           "TikTok Marketing API base URL (the sandbox's URL in tests and the demo)",
           &ServerConfig::tiktok_api_base_url),
      Text("tiktok-api-version", "TIKTOK_API_VERSION", "TikTok API version path segment",
           &ServerConfig::tiktok_api_version),
      Text("tiktok-oauth-redirect-uri", "TIKTOK_OAUTH_REDIRECT_URI",
           "OAuth redirect URI registered with the TikTok app", &ServerConfig::tiktok_redirect_uri),
      Integer("tiktok-request-timeout-ms", "TTADS_TIKTOK_REQUEST_TIMEOUT_MS",
              "one HTTP attempt to TikTok", &ServerConfig::tiktok_request_timeout_ms, 10,
              600000),
      Integer("tiktok-retry-max-attempts", "TTADS_TIKTOK_RETRY_MAX_ATTEMPTS",
              "attempts per TikTok call, the first included",
              &ServerConfig::tiktok_retry_max_attempts, 1, 20),
      Integer("tiktok-retry-base-delay-ms", "TTADS_TIKTOK_RETRY_BASE_DELAY_MS",
              "first backoff cap between TikTok attempts",
              &ServerConfig::tiktok_retry_base_delay_ms, 0, 60000),
      Integer("tiktok-retry-deadline-ms", "TTADS_TIKTOK_RETRY_DEADLINE_MS",
              "budget of one TikTok call including waits and retries",
              &ServerConfig::tiktok_retry_deadline_ms, 10, 3600000),
      Integer("tiktok-app-qps", "TTADS_TIKTOK_APP_QPS",
              "calls per second to TikTok for the whole app (this replica's share)",
              &ServerConfig::tiktok_app_qps, 1, 1000),
      Integer("tiktok-advertiser-qps", "TTADS_TIKTOK_ADVERTISER_QPS",
              "calls per second to TikTok per advertiser", &ServerConfig::tiktok_advertiser_qps,
              1, 1000),
      Text("telegram-bot-token", "TELEGRAM_BOT_TOKEN",
           "Telegram bot token for notices (unset: none are sent)",
           &ServerConfig::telegram_bot_token, true),
      Text("telegram-api-base-url", "TELEGRAM_API_BASE_URL",
           "Telegram Bot API base URL (a fake's URL in tests)",
           &ServerConfig::telegram_api_base_url),
      Text("brain-llm-base-url", "BRAIN_LLM_BASE_URL",
           "the brain's LLM planner: OpenAI-compatible base URL, e.g. http://host/v1 (unset: "
           "deterministic plan only)",
           &ServerConfig::brain_llm_base_url),
      Text("brain-llm-api-key", "BRAIN_LLM_API_KEY",
           "bearer key for the LLM endpoint (unset: no Authorization header)",
           &ServerConfig::brain_llm_api_key, true),
      Text("brain-llm-model", "BRAIN_LLM_MODEL",
           "model name sent to the LLM endpoint (unset: deterministic plan only)",
           &ServerConfig::brain_llm_model),
      Integer("brain-llm-timeout-ms", "BRAIN_LLM_TIMEOUT_MS",
              "one LLM plan request; on timeout the deterministic plan is used",
              &ServerConfig::brain_llm_timeout_ms, 100, 600000),
      Integer("brain-max-actions-per-run", "BRAIN_MAX_ACTIONS_PER_RUN",
              "changes one brain run may dispatch (status reads not counted)",
              &ServerConfig::brain_max_actions_per_run, 0, 100),
      Integer("brain-budget-cooldown-hours", "BRAIN_BUDGET_COOLDOWN_HOURS",
              "no second budget change of one ad group within this many hours",
              &ServerConfig::brain_budget_cooldown_hours, 0, 720),
      Integer("brain-min-impressions", "BRAIN_MIN_IMPRESSIONS",
              "no brain decision on an ad group with fewer impressions yesterday",
              &ServerConfig::brain_min_impressions, 0, 1000000),
      Boolean("scheduler-enabled", "TTADS_SCHEDULER_ENABLED",
              "run the brain's scheduled batches (hourly and daily) in this replica",
              &ServerConfig::scheduler_enabled),
      Integer("daily-batch-hour", "TTADS_DAILY_BATCH_HOUR",
              "Asia/Almaty hour of the legacy users' daily brain batch",
              &ServerConfig::daily_batch_hour, 0, 23),
      Integer("batch-concurrency", "TTADS_BATCH_CONCURRENCY",
              "accounts one brain batch runs at once", &ServerConfig::batch_concurrency, 1, 64),
      Integer("oauth-state-ttl-seconds", "TTADS_OAUTH_STATE_TTL_SECONDS",
              "how long an issued OAuth state stays valid", &ServerConfig::oauth_state_ttl_seconds,
              60, 86400),
      Integer("workflow-lease-seconds", "TTADS_WORKFLOW_LEASE_SECONDS",
              "how long a workflow left running (its server died) waits before a retry takes "
              "it over; 0 = each workflow's default",
              &ServerConfig::workflow_lease_seconds, 0, 86400),
      Integer("shutdown-grace-seconds", "TTADS_SHUTDOWN_GRACE_SECONDS",
              "on SIGTERM/SIGINT, how long in-flight calls may finish",
              &ServerConfig::shutdown_grace_seconds, 0, 600),
  };
  return *settings;
}

absl::StatusOr<ParsedCommandLine> ParseCommandLine(
    const std::vector<std::string>& args,
    const std::function<const char*(const char*)>& getenv) {
  ParsedCommandLine parsed;
  for (const ConfigSetting& setting : ConfigSettings()) {
    if (const char* value = getenv(setting.env.c_str()); value != nullptr) {
      if (absl::Status status = setting.set(parsed.config, value); !status.ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat(setting.env, ": ", status.message()));
      }
    }
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      parsed.help = true;
      continue;
    }
    if (!absl::StartsWith(arg, "--")) {
      parsed.positional.push_back(arg);
      continue;
    }
    const std::size_t equals = arg.find('=');
    const std::string name = arg.substr(2, equals == std::string::npos ? std::string::npos : equals - 2);
    const ConfigSetting* match = nullptr;
    for (const ConfigSetting& setting : ConfigSettings()) {
      if (setting.flag == name) match = &setting;
    }
    if (match == nullptr) {
      // Subcommands have flags of their own; keep them with the subcommand.
      if (!parsed.positional.empty()) {
        parsed.positional.push_back(arg);
        continue;
      }
      return absl::InvalidArgumentError(absl::StrCat("unknown flag --", name, " (see --help)"));
    }
    std::string value;
    if (equals != std::string::npos) {
      value = arg.substr(equals + 1);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return absl::InvalidArgumentError(absl::StrCat("--", name, " needs a value"));
    }
    if (absl::Status status = match->set(parsed.config, value); !status.ok()) return status;
  }
  return parsed;
}

std::string ConfigHelp(absl::string_view program) {
  std::string help = absl::StrCat(
      "Usage: ", program, " [flags]\n       ", program,
      " rotate-secret-key --new-key=HEX   re-encrypt stored tokens under a new key\n\n"
      "Every flag has an environment variable; the flag wins.\n\n");
  for (const ConfigSetting& setting : ConfigSettings()) {
    ServerConfig defaults;
    const std::string shown = setting.secret ? "" : setting.get(defaults);
    absl::StrAppendFormat(&help, "  --%-26s %-30s %s%s\n", setting.flag, setting.env, setting.help,
                          shown.empty() ? "" : absl::StrCat(" [", shown, "]"));
  }
  return help;
}

std::string DescribeConfig(const ServerConfig& config) {
  std::vector<std::string> parts;
  for (const ConfigSetting& setting : ConfigSettings()) {
    const std::string value = setting.get(config);
    if (setting.secret) {
      parts.push_back(absl::StrCat(setting.flag, "=", value.empty() ? "unset" : "set"));
    } else if (setting.flag == "database-url") {
      auto target = storage::ParseDatabaseUrl(value);
      parts.push_back(absl::StrCat(setting.flag, "=", target.ok() ? target->redacted : "<invalid>"));
    } else {
      parts.push_back(absl::StrCat(setting.flag, "=", value));
    }
  }
  return absl::StrJoin(parts, " ");
}

}  // namespace ttads::server
