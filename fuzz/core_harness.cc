#include "fuzz/core_harness.h"

#include <cstdio>
#include <cstdlib>

#include "storage/database_url.h"

namespace ttads::fuzz {

absl::StatusOr<server::FetchedMedia> FixedMediaFetcher::Fetch(const std::string& url) {
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    return absl::InvalidArgumentError("not an http(s) URL");
  }
  const size_t slash = url.find_last_of('/');
  return server::FetchedMedia{std::string(64, 'm'), "video/mp4",
                              slash == std::string::npos ? "media" : url.substr(slash + 1)};
}

namespace {

[[noreturn]] void SetupFailed(const absl::Status& status) {
  std::fprintf(stderr, "fuzz cores: %s\n", status.ToString().c_str());
  std::abort();
}

}  // namespace

Cores::Cores() {
  absl::StatusOr<storage::DatabaseTarget> target =
      storage::ParseDatabaseUrl(PristineDatabase::Get().Fresh());
  if (!target.ok()) SetupFailed(target.status());
  // Two sessions: a core may read on one while a transaction holds the other.
  absl::StatusOr<std::unique_ptr<storage::Database>> db =
      storage::Database::Open(*target, {.pool_size = 2, .acquire_timeout = absl::Seconds(2)});
  if (!db.ok()) SetupFailed(db.status());
  database = *std::move(db);
  absl::StatusOr<server::SecretBox> box = server::SecretBox::FromKeyText(kSecretKeyHex);
  if (!box.ok()) SetupFailed(box.status());
  secrets = std::make_unique<server::SecretBox>(*std::move(box));
  tiktok =
      MakeTikTokClient(std::make_shared<FunctionTransport>(&CannedTikTokAnswer), &tiktok_clock);
  config.tiktok_app_id = "7300000000000000001";
  config.tiktok_app_secret = "fuzz-app-secret";

  storage::Database& db_ref = *database;
  idempotency_records = std::make_unique<storage::IdempotencyRepository>(db_ref);
  audit_log = std::make_unique<storage::AuditLogRepository>(db_ref);
  idempotency = std::make_unique<server::IdempotencyGuard>(*idempotency_records, clock);
  auditor = std::make_unique<server::Auditor>(*audit_log, clock);
  state_signer = std::make_unique<server::OAuthStateSigner>(secrets->DeriveKey("oauth-state"));
  access = std::make_unique<server::TikTokAccessResolver>(db_ref, *secrets, clock);
  admin = std::make_unique<server::AdminCore>(db_ref, *idempotency, *auditor, clock);
  directions = std::make_unique<server::DirectionCore>(db_ref, *idempotency, *auditor, clock);
  creatives = std::make_unique<server::CreativeCore>(db_ref, *idempotency, *auditor, clock);
  accounts = std::make_unique<server::AccountCore>(db_ref, *idempotency, *auditor, *state_signer,
                                                   *secrets, *access, *tiktok, config, clock);
  actions = std::make_unique<server::ActionCore>(db_ref, *auditor, *access, *tiktok, clock);
  campaigns = std::make_unique<server::CampaignQueryCore>(db_ref, *idempotency, *auditor, *access,
                                                          *tiktok, clock);
  launches = std::make_unique<server::LaunchCore>(db_ref, *access, *tiktok, media, *auditor, clock);
  actions->set_launch_core(launches.get());
  analytics =
      std::make_unique<server::AnalyticsCore>(db_ref, *access, *tiktok, *actions, *auditor, clock);
}

}  // namespace ttads::fuzz
