#include "server/ttads_server.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "server/account_core.h"
#include "server/action_core.h"
#include "server/analytics_core.h"
#include "server/analytics_service.h"
#include "server/tiktok_access.h"
#include "server/reauth_notice.h"
#include "server/action_service.h"
#include "server/account_service.h"
#include "server/admin_core.h"
#include "server/admin_service.h"
#include "server/audit.h"
#include "server/audit_core.h"
#include "server/audit_service.h"
#include "server/campaign_builder_service.h"
#include "server/campaign_query_core.h"
#include "server/launch_core.h"
#include "server/brain_batch.h"
#include "server/brain_core.h"
#include "server/brain_service.h"
#include "server/llm_planner.h"
#include "server/media_fetcher.h"
#include "server/authenticator.h"
#include "server/creative_core.h"
#include "server/creative_service.h"
#include "server/direction_core.h"
#include "server/direction_service.h"
#include "server/idempotency.h"
#include "server/log.h"
#include "server/logging_interceptor.h"
#include "server/metrics.h"
#include "server/metrics_endpoint.h"
#include "server/oauth_state.h"
#include "server/tiktok_calls.h"
#include "server/secret_key_source.h"
#include "storage/api_key_repository.h"
#include "storage/audit_log_repository.h"
#include "storage/database.h"
#include "storage/idempotency_repository.h"
#include "storage/migration_runner.h"
#include "storage/user_account_repository.h"

namespace ttads::server {

// Everything the server owns, in construction order (destroyed in reverse).
struct TtadsServer::State {
  ServerConfig config;
  const Clock* clock = nullptr;
  std::unique_ptr<storage::Database> database;
  std::unique_ptr<SecretBox> secrets;
  std::unique_ptr<storage::ApiKeyRepository> api_keys;
  std::unique_ptr<storage::UserAccountRepository> user_accounts;
  std::unique_ptr<storage::IdempotencyRepository> idempotency_records;
  std::unique_ptr<storage::AuditLogRepository> audit_log;
  std::unique_ptr<Authenticator> authenticator;
  std::unique_ptr<IdempotencyGuard> idempotency;
  std::unique_ptr<Auditor> auditor;
  std::unique_ptr<OAuthStateSigner> state_signer;
  std::unique_ptr<tiktok::TikTokClient> tiktok;
  std::unique_ptr<TelegramReauthNotice> reauth_notice;  // outlives tiktok_access, which calls it
  std::unique_ptr<TikTokAccessResolver> tiktok_access;
  std::unique_ptr<AdminCore> admin_core;
  std::unique_ptr<AccountCore> account_core;
  std::unique_ptr<DirectionCore> direction_core;
  std::unique_ptr<CreativeCore> creative_core;
  std::unique_ptr<AuditCore> audit_core;
  std::unique_ptr<ActionCore> action_core;
  std::unique_ptr<CampaignQueryCore> campaign_query_core;
  std::unique_ptr<HttpMediaFetcher> media_fetcher;
  std::unique_ptr<LaunchCore> launch_core;
  std::unique_ptr<AnalyticsCore> analytics_core;
  std::unique_ptr<LlmPlanner> llm_planner;
  std::unique_ptr<BrainCore> brain_core;
  std::unique_ptr<BrainBatch> brain_batch;
  std::vector<std::unique_ptr<grpc::Service>> services;
  std::unique_ptr<grpc::Server> server;
  std::unique_ptr<MetricsEndpoint> metrics;
  // Last, so it stops first: its thread uses the cores above.
  std::unique_ptr<BrainScheduler> scheduler;
  int port = 0;
};

TtadsServer::TtadsServer(std::unique_ptr<State> state) : state_(std::move(state)) {}

TtadsServer::~TtadsServer() {
  if (state_->scheduler != nullptr) state_->scheduler->Stop();
  MetricsRegistry::Global().Remove("ttads_db_sessions_in_use");
  MetricsRegistry::Global().Remove("ttads_db_pool_size");
  if (state_->server != nullptr) {
    state_->server->Shutdown(std::chrono::system_clock::now());
    state_->server->Wait();
  }
}

absl::StatusOr<std::unique_ptr<TtadsServer>> TtadsServer::Start(const ServerConfig& config,
                                                                const Clock& clock) {
  auto state = std::make_unique<State>();
  state->config = config;
  state->clock = &clock;

  absl::StatusOr<storage::DatabaseTarget> target = storage::ParseDatabaseUrl(config.database_url);
  if (!target.ok()) return target.status();
  absl::StatusOr<SecretBox> secrets = LoadSecretBox(config, *target);
  if (!secrets.ok()) return secrets.status();
  state->secrets = std::make_unique<SecretBox>(*std::move(secrets));

  absl::StatusOr<std::unique_ptr<storage::Database>> database =
      storage::Database::Open(*target, {.pool_size = config.db_pool_size});
  if (!database.ok()) return database.status();
  state->database = *std::move(database);
  absl::StatusOr<storage::MigrationReport> migrated =
      storage::ApplyMigrations(*state->database, storage::EmbeddedMigrations());
  if (!migrated.ok()) return migrated.status();
  LogInfo("database_ready", {{"database", target->redacted},
                             {"schema_version", absl::StrCat(migrated->current_version)},
                             {"migrations_applied", absl::StrCat(migrated->applied.size())}});

  storage::Database& db = *state->database;
  state->api_keys = std::make_unique<storage::ApiKeyRepository>(db);
  state->user_accounts = std::make_unique<storage::UserAccountRepository>(db);
  state->idempotency_records = std::make_unique<storage::IdempotencyRepository>(db);
  state->audit_log = std::make_unique<storage::AuditLogRepository>(db);
  state->authenticator = std::make_unique<Authenticator>(config.admin_token, config.jwt_secret,
                                                         *state->api_keys,
                                                         *state->user_accounts, clock);
  // A configured lease replaces every workflow's default (crash tests use seconds).
  const auto lease_or = [&config](absl::Duration workflow_default) {
    return config.workflow_lease_seconds > 0 ? absl::Seconds(config.workflow_lease_seconds)
                                             : workflow_default;
  };
  state->idempotency = std::make_unique<IdempotencyGuard>(
      *state->idempotency_records, clock, lease_or(IdempotencyGuard::kDefaultLease));
  state->auditor = std::make_unique<Auditor>(*state->audit_log, clock);
  // The OAuth state key is derived from the secret key, which every replica shares.
  state->state_signer =
      std::make_unique<OAuthStateSigner>(state->secrets->DeriveKey("oauth-state"));
  state->admin_core =
      std::make_unique<AdminCore>(db, *state->idempotency, *state->auditor, clock);
  absl::StatusOr<std::unique_ptr<tiktok::TikTokClient>> tiktok = MakeTikTokClient(state->config);
  if (!tiktok.ok()) return tiktok.status();
  state->tiktok = *std::move(tiktok);
  state->direction_core =
      std::make_unique<DirectionCore>(db, *state->idempotency, *state->auditor, clock);
  state->creative_core =
      std::make_unique<CreativeCore>(db, *state->idempotency, *state->auditor, clock);
  state->audit_core = std::make_unique<AuditCore>(db);
  state->tiktok_access = std::make_unique<TikTokAccessResolver>(db, *state->secrets, clock);
  if (!config.telegram_bot_token.empty()) {
    // Queued to an owned worker (joined on shutdown), not sent inline: the RPC that met the
    // rejection answers at once, whatever Telegram's latency.
    absl::StatusOr<std::unique_ptr<TelegramReauthNotice>> notice = TelegramReauthNotice::Create(
        db, {config.telegram_bot_token, config.telegram_api_base_url, absl::Seconds(5)});
    if (!notice.ok()) return notice.status();
    state->reauth_notice = *std::move(notice);
    state->tiktok_access->set_reauth_notice(state->reauth_notice->AsNotice());
  }
  state->account_core = std::make_unique<AccountCore>(
      db, *state->idempotency, *state->auditor, *state->state_signer, *state->secrets,
      *state->tiktok_access, *state->tiktok, state->config, clock);
  state->action_core =
      std::make_unique<ActionCore>(db, *state->auditor, *state->tiktok_access, *state->tiktok,
                                   clock, lease_or(ActionCore::kDefaultLease));
  state->campaign_query_core = std::make_unique<CampaignQueryCore>(
      db, *state->idempotency, *state->auditor, *state->tiktok_access, *state->tiktok, clock);

  absl::StatusOr<std::unique_ptr<HttpMediaFetcher>> media = HttpMediaFetcher::Create({});
  if (!media.ok()) return media.status();
  state->media_fetcher = *std::move(media);
  state->launch_core = std::make_unique<LaunchCore>(
      db, *state->tiktok_access, *state->tiktok, *state->media_fetcher, *state->auditor, clock,
      lease_or(LaunchCore::kDefaultLease));
  state->action_core->set_launch_core(state->launch_core.get());
  state->analytics_core =
      std::make_unique<AnalyticsCore>(db, *state->tiktok_access, *state->tiktok,
                                      *state->action_core, *state->auditor, clock);
  LlmConfig llm;
  llm.base_url = config.brain_llm_base_url;
  llm.api_key = config.brain_llm_api_key;
  llm.model = config.brain_llm_model;
  llm.timeout = absl::Milliseconds(config.brain_llm_timeout_ms);
  if (llm.enabled()) state->llm_planner = std::make_unique<LlmPlanner>(llm);
  BrainSettings brain;
  brain.max_actions_per_run = config.brain_max_actions_per_run;
  brain.budget_cooldown = absl::Hours(config.brain_budget_cooldown_hours);
  brain.min_impressions = config.brain_min_impressions;
  brain.telegram.bot_token = config.telegram_bot_token;
  brain.telegram.base_url = config.telegram_api_base_url;
  brain.telegram.timeout = absl::Seconds(5);
  brain.telegram_enabled = true;  // needs a bot: the server's or the user's own
  brain.lease = lease_or(brain.lease);
  state->brain_core = std::make_unique<BrainCore>(db, *state->tiktok_access, *state->tiktok,
                                                  *state->action_core, *state->auditor, clock,
                                                  brain,
                                                  state->llm_planner.get());
  BrainBatchOptions batch;
  batch.concurrency = config.batch_concurrency;
  state->brain_batch = std::make_unique<BrainBatch>(db, *state->brain_core, *state->analytics_core,
                                                    *state->tiktok_access, *state->tiktok, clock,
                                                    batch);

  const Authenticator& auth = *state->authenticator;
  state->services.push_back(std::make_unique<AdminServiceImpl>(auth, *state->admin_core));
  state->services.push_back(std::make_unique<AccountServiceImpl>(auth, *state->account_core));
  state->services.push_back(std::make_unique<DirectionServiceImpl>(auth, *state->direction_core));
  state->services.push_back(std::make_unique<CreativeServiceImpl>(auth, *state->creative_core));
  state->services.push_back(std::make_unique<AuditServiceImpl>(auth, *state->audit_core));
  state->services.push_back(
      std::make_unique<CampaignBuilderServiceImpl>(auth, *state->launch_core,
                                                   *state->campaign_query_core));
  state->services.push_back(std::make_unique<ActionServiceImpl>(auth, *state->action_core));
  state->services.push_back(std::make_unique<BrainServiceImpl>(auth, *state->brain_core,
                                                                   *state->brain_batch));
  state->services.push_back(
      std::make_unique<AnalyticsServiceImpl>(auth, *state->analytics_core));

  MetricsRegistry& metrics = MetricsRegistry::Global();
  DeclareServerMetrics(metrics);
  storage::Database* pool = state->database.get();
  metrics.DeclareGaugeCallback("ttads_db_sessions_in_use", "database sessions leased now",
                               [pool] { return pool->sessions_in_use(); });
  metrics.DeclareGaugeCallback("ttads_db_pool_size", "database sessions kept open",
                               [pool] { return pool->pool_size(); });
  if (!config.metrics_listen.empty()) {
    absl::StatusOr<std::unique_ptr<MetricsEndpoint>> endpoint =
        MetricsEndpoint::Start(config.metrics_listen, metrics);
    if (!endpoint.ok()) return endpoint.status();
    state->metrics = *std::move(endpoint);
    LogInfo("metrics_listening", {{"address", config.metrics_listen},
                                  {"port", absl::StrCat(state->metrics->port())}});
  }

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(config.grpc_listen, grpc::InsecureServerCredentials(), &state->port);
  builder.SetMaxReceiveMessageSize(16 * 1024 * 1024);
  for (const auto& service : state->services) builder.RegisterService(service.get());
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<LoggingInterceptorFactory>());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  state->server = builder.BuildAndStart();
  if (state->server == nullptr || state->port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", config.grpc_listen, " (address in use or invalid)"));
  }
  state->server->GetHealthCheckService()->SetServingStatus(true);
  if (config.scheduler_enabled) {
    BrainBatch* runner = state->brain_batch.get();
    state->scheduler = std::make_unique<BrainScheduler>(
        clock, config.daily_batch_hour,
        [runner](const std::string& kind, const std::string& slot) {
          absl::StatusOr<v1::BrainBatchRecord> ran =
              runner->RunSlot(kind, slot, /*dry_run=*/false, "scheduler");
          if (!ran.ok()) {
            LogWarning("brain_batch_failed", {{"kind", kind}, {"slot", slot},
                                              {"error", std::string(ran.status().message())}});
          }
        },
        [runner] { runner->Cancel(); });
    state->scheduler->Start();
    LogInfo("brain_scheduler_started", {{"instance", runner->instance_id()},
                                        {"daily_batch_hour", absl::StrCat(config.daily_batch_hour)}});
  }
  LogInfo("listening", {{"address", config.grpc_listen}, {"port", absl::StrCat(state->port)},
                        {"secret_key_id", state->secrets->key_id()}});
  return std::unique_ptr<TtadsServer>(new TtadsServer(std::move(state)));
}

int TtadsServer::port() const { return state_->port; }

int TtadsServer::metrics_port() const {
  return state_->metrics == nullptr ? 0 : state_->metrics->port();
}

void TtadsServer::Shutdown(absl::Duration grace) {
  // Health first, so load balancers stop sending new calls while the others drain.
  state_->server->GetHealthCheckService()->SetServingStatus(false);
  state_->server->Shutdown(absl::ToChronoTime(absl::Now() + grace));
}

void TtadsServer::Wait() { state_->server->Wait(); }

}  // namespace ttads::server
