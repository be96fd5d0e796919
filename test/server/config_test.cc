#include "server/config.h"

#include <map>

#include "gtest/gtest.h"

namespace ttads::server {
namespace {

std::function<const char*(const char*)> Env(std::map<std::string, std::string> values) {
  auto owned = std::make_shared<std::map<std::string, std::string>>(std::move(values));
  return [owned](const char* name) -> const char* {
    const auto found = owned->find(name);
    return found == owned->end() ? nullptr : found->second.c_str();
  };
}

TEST(ConfigTest, DefaultsMatchTheDocumentation) {
  auto parsed = ParseCommandLine({}, Env({}));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->config.grpc_listen, "127.0.0.1:50051");
  EXPECT_EQ(parsed->config.database_url, "sqlite:./var/ttads.db");
  EXPECT_EQ(parsed->config.tiktok_api_base_url, "https://business-api.tiktok.com/open_api");
  EXPECT_EQ(parsed->config.tiktok_api_version, "v1.3");
}

TEST(ConfigTest, EnvironmentThenFlagsWin) {
  auto parsed = ParseCommandLine(
      {"--grpc-listen=0.0.0.0:6000", "--tiktok-api-version", "v1.4"},
      Env({{"TTADS_GRPC_LISTEN", "127.0.0.1:7000"}, {"TTADS_ADMIN_TOKEN", "adm"},
           {"TIKTOK_API_VERSION", "v1.2"}}));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->config.grpc_listen, "0.0.0.0:6000");
  EXPECT_EQ(parsed->config.tiktok_api_version, "v1.4");
  EXPECT_EQ(parsed->config.admin_token, "adm");
}

TEST(ConfigTest, BrainSchedulerSettings) {
  auto defaults = ParseCommandLine({}, Env({}));
  ASSERT_TRUE(defaults.ok());
  EXPECT_TRUE(defaults->config.scheduler_enabled);
  EXPECT_EQ(defaults->config.daily_batch_hour, 8);
  EXPECT_EQ(defaults->config.batch_concurrency, 4);
  auto parsed = ParseCommandLine({"--daily-batch-hour=6"},
                                 Env({{"TTADS_SCHEDULER_ENABLED", "false"},
                                      {"TTADS_BATCH_CONCURRENCY", "2"}}));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_FALSE(parsed->config.scheduler_enabled);
  EXPECT_EQ(parsed->config.daily_batch_hour, 6);
  EXPECT_EQ(parsed->config.batch_concurrency, 2);
  auto bad = ParseCommandLine({}, Env({{"TTADS_SCHEDULER_ENABLED", "maybe"}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("TTADS_SCHEDULER_ENABLED"), std::string::npos);
  EXPECT_FALSE(ParseCommandLine({"--daily-batch-hour=24"}, Env({})).ok());
}

TEST(ConfigTest, BadValuesNameTheSetting) {
  auto bad_env = ParseCommandLine({}, Env({{"TTADS_DB_POOL_SIZE", "lots"}}));
  ASSERT_FALSE(bad_env.ok());
  EXPECT_NE(bad_env.status().message().find("TTADS_DB_POOL_SIZE"), std::string::npos);
  auto unknown = ParseCommandLine({"--no-such-flag=1"}, Env({}));
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("no-such-flag"), std::string::npos);
  EXPECT_FALSE(ParseCommandLine({"--grpc-listen"}, Env({})).ok());
}

TEST(ConfigTest, HelpListsEveryVariableAndHidesSecrets) {
  const std::string help = ConfigHelp("ttads-server");
  for (const ConfigSetting& setting : ConfigSettings()) {
    EXPECT_NE(help.find(setting.env), std::string::npos) << setting.env;
    EXPECT_NE(help.find("--" + setting.flag), std::string::npos) << setting.flag;
  }
  ServerConfig config;
  config.admin_token = "very-secret-admin";
  config.database_url = "postgresql://u:hunter2@h/db";
  const std::string described = DescribeConfig(config);
  EXPECT_EQ(described.find("very-secret-admin"), std::string::npos);
  EXPECT_EQ(described.find("hunter2"), std::string::npos);
  EXPECT_NE(described.find("admin-token=set"), std::string::npos);
}

TEST(ConfigTest, TelegramSettingsAndTheBotTokenStaysSecret) {
  auto defaults = ParseCommandLine({}, Env({}));
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->config.telegram_bot_token, "");
  EXPECT_EQ(defaults->config.telegram_api_base_url, "https://api.telegram.org");
  auto parsed = ParseCommandLine({"--telegram-api-base-url=http://127.0.0.1:9"},
                                 Env({{"TELEGRAM_BOT_TOKEN", "123:bot-secret"},
                                      {"TELEGRAM_API_BASE_URL", "http://ignored"}}));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->config.telegram_bot_token, "123:bot-secret");
  EXPECT_EQ(parsed->config.telegram_api_base_url, "http://127.0.0.1:9");
  EXPECT_EQ(ParseCommandLine({"--telegram-bot-token", "456:flag"}, Env({}))
                ->config.telegram_bot_token,
            "456:flag");
  const std::string described = DescribeConfig(parsed->config);
  EXPECT_EQ(described.find("bot-secret"), std::string::npos);
  EXPECT_NE(described.find("telegram-bot-token=set"), std::string::npos);
  EXPECT_NE(ConfigHelp("ttads-server").find("TELEGRAM_BOT_TOKEN"), std::string::npos);
}

TEST(ConfigTest, BrainLlmSettingsAndTheApiKeyStaysSecret) {
  auto defaults = ParseCommandLine({}, Env({}));
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->config.brain_llm_base_url, "");
  EXPECT_EQ(defaults->config.brain_llm_api_key, "");
  EXPECT_EQ(defaults->config.brain_llm_model, "");
  EXPECT_EQ(defaults->config.brain_llm_timeout_ms, 30000);
  auto parsed = ParseCommandLine({"--brain-llm-model=gpt-x", "--brain-llm-timeout-ms", "2500"},
                                 Env({{"BRAIN_LLM_BASE_URL", "http://127.0.0.1:9/v1"},
                                      {"BRAIN_LLM_API_KEY", "sk-llm-secret"},
                                      {"BRAIN_LLM_MODEL", "ignored"}}));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->config.brain_llm_base_url, "http://127.0.0.1:9/v1");
  EXPECT_EQ(parsed->config.brain_llm_api_key, "sk-llm-secret");
  EXPECT_EQ(parsed->config.brain_llm_model, "gpt-x");
  EXPECT_EQ(parsed->config.brain_llm_timeout_ms, 2500);
  const std::string described = DescribeConfig(parsed->config);
  EXPECT_EQ(described.find("sk-llm-secret"), std::string::npos);
  EXPECT_NE(described.find("brain-llm-api-key=set"), std::string::npos);
  EXPECT_NE(DescribeConfig(ServerConfig{}).find("brain-llm-api-key=unset"), std::string::npos);
  EXPECT_NE(ConfigHelp("ttads-server").find("BRAIN_LLM_TIMEOUT_MS"), std::string::npos);
  auto bad = ParseCommandLine({}, Env({{"BRAIN_LLM_TIMEOUT_MS", "soon"}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("BRAIN_LLM_TIMEOUT_MS"), std::string::npos);
}

TEST(ConfigTest, HelpAndSubcommandsAreRecognised) {
  auto parsed = ParseCommandLine({"--help"}, Env({}));
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->help);
  auto rotate = ParseCommandLine({"rotate-secret-key", "--new-key=abc"}, Env({}));
  ASSERT_TRUE(rotate.ok()) << rotate.status();
  EXPECT_EQ(rotate->positional, (std::vector<std::string>{"rotate-secret-key", "--new-key=abc"}));
}

}  // namespace
}  // namespace ttads::server
