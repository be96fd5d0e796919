// The service cores as ttads_server.cc wires them, on a fresh copy of the fixture database
// (fuzz_support.h) and a TikTok client whose answers are canned (no network, no real waits).
// One Cores per input: its state starts from the same rows every time.
#ifndef TTADS_FUZZ_CORE_HARNESS_H_
#define TTADS_FUZZ_CORE_HARNESS_H_

#include <memory>

#include "fuzz/fuzz_support.h"
#include "server/account_core.h"
#include "server/action_core.h"
#include "server/admin_core.h"
#include "server/analytics_core.h"
#include "server/audit.h"
#include "server/campaign_query_core.h"
#include "server/clock.h"
#include "server/config.h"
#include "server/creative_core.h"
#include "server/direction_core.h"
#include "server/idempotency.h"
#include "server/launch_core.h"
#include "server/media_fetcher.h"
#include "server/oauth_state.h"
#include "server/secret_box.h"
#include "server/tiktok_access.h"
#include "storage/audit_log_repository.h"
#include "storage/database.h"
#include "storage/idempotency_repository.h"

namespace ttads::fuzz {

// Media "downloads" of the launch workflow: a few bytes, never the network.
class FixedMediaFetcher final : public server::MediaFetcher {
 public:
  absl::StatusOr<server::FetchedMedia> Fetch(const std::string& url) override;
};

class Cores {
 public:
  Cores();

  server::FakeClock clock{absl::FromUnixSeconds(1795600000)};  // 2026-11-24 08:26 UTC
  InstantClock tiktok_clock;
  std::unique_ptr<storage::Database> database;
  std::unique_ptr<server::SecretBox> secrets;
  std::unique_ptr<tiktok::TikTokClient> tiktok;
  FixedMediaFetcher media;
  server::ServerConfig config;
  std::unique_ptr<storage::IdempotencyRepository> idempotency_records;
  std::unique_ptr<storage::AuditLogRepository> audit_log;
  std::unique_ptr<server::IdempotencyGuard> idempotency;
  std::unique_ptr<server::Auditor> auditor;
  std::unique_ptr<server::OAuthStateSigner> state_signer;
  std::unique_ptr<server::TikTokAccessResolver> access;
  std::unique_ptr<server::AdminCore> admin;
  std::unique_ptr<server::DirectionCore> directions;
  std::unique_ptr<server::CreativeCore> creatives;
  std::unique_ptr<server::AccountCore> accounts;
  std::unique_ptr<server::ActionCore> actions;
  std::unique_ptr<server::CampaignQueryCore> campaigns;
  std::unique_ptr<server::LaunchCore> launches;
  std::unique_ptr<server::AnalyticsCore> analytics;
};

}  // namespace ttads::fuzz

#endif  // TTADS_FUZZ_CORE_HARNESS_H_
