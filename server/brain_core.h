// BrainService's logic: one autopilot run for one account (`/api/brain/run-tiktok`) and the
// recorded runs. A run fetches the account's data in four TikTok calls (brain_data.h), scores
// every ad group of its TikTok directions (ad_group_health.h), plans (deterministic, or the LLM
// when configured, llm_planner.h), passes the plan through the guards (brain_plan.h),
// dispatches it through the action API when asked (with a key derived from the run's, so a
// repeated run never applies twice), reports on Telegram and records brain_executions.
#ifndef TTADS_SERVER_BRAIN_CORE_H_
#define TTADS_SERVER_BRAIN_CORE_H_

#include <memory>
#include <set>
#include <vector>
#include <string>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/action_core.h"
#include "server/audit.h"
#include "server/clock.h"
#include "server/llm_planner.h"
#include "server/principal.h"
#include "server/telegram_notifier.h"
#include "server/tiktok_access.h"
#include "storage/audit_log_repository.h"
#include "storage/brain_execution_repository.h"
#include "storage/currency_rate_repository.h"
#include "server/brain_plan.h"
#include "storage/database.h"
#include "storage/dispatch_pause_repository.h"
#include "storage/direction_repository.h"
#include "tiktok/tiktok_api.h"
#include "ttads/v1/brain_service.pb.h"

namespace ttads::server {

// The existing system's thresholds, in KZT (converted with currency_rates for other currencies).
struct BrainSettings {
  double default_target_cpl_kzt = 5000;
  double max_budget_kzt = 100000000;
  int max_actions_per_run = 5;  // BRAIN_MAX_ACTIONS_PER_RUN
  absl::Duration budget_cooldown = absl::Hours(24);
  std::int64_t min_impressions = 300;
  absl::Duration lease = absl::Minutes(15);  // a run left running longer is taken over
  // Telegram report: the server's bot (per-user bots override it); "" = only per-user bots.
  TelegramOptions telegram;
  bool telegram_enabled = false;
};

class BrainCore {
 public:
  BrainCore(storage::Database& database, TikTokAccessResolver& access, tiktok::TikTokApi& tiktok,
            ActionCore& actions, Auditor& auditor, const Clock& clock, BrainSettings settings,
            LlmPlanner* llm = nullptr)
      : database_(database),
        runs_(database),
        directions_(database),
        rates_(database),
        audit_(database),
        pauses_(database),
        access_(access),
        tiktok_(tiktok),
        actions_(actions),
        auditor_(auditor),
        clock_(clock),
        settings_(std::move(settings)),
        llm_(llm) {
    DeclareMetrics();
  }

  absl::Status RunTikTok(const Principal& principal, const v1::RunTikTokRequest& request,
                         v1::RunTikTokResponse& response);
  absl::Status ListExecutions(const Principal& principal,
                              const v1::ListBrainExecutionsRequest& request,
                              v1::ListBrainExecutionsResponse& response);
  absl::Status GetExecution(const Principal& principal,
                            const v1::GetBrainExecutionRequest& request,
                            v1::BrainExecution& response);

  absl::Status RevertExecution(const Principal& principal,
                               const v1::RevertBrainExecutionRequest& request,
                               v1::RevertBrainExecutionResponse& response);
  absl::Status ReplayExecution(const Principal& principal,
                               const v1::ReplayBrainExecutionRequest& request,
                               v1::ReplayBrainExecutionResponse& response);
  // The runtime dispatch switch (kept in the database, so every replica sees it at once):
  // while paused, runs still fetch, score, plan and report, but dispatch nothing.
  absl::Status SetDispatchPause(const Principal& principal,
                                const v1::SetDispatchPauseRequest& request,
                                v1::DispatchPauseState& response);
  absl::Status GetDispatchPause(const Principal& principal,
                                const v1::GetDispatchPauseRequest& request,
                                v1::DispatchPauseState& response);

  // For the scheduler: the run's mode as recorded.
  absl::Status Run(const Principal& principal, const v1::RunTikTokRequest& request,
                   const std::string& execution_mode, v1::RunTikTokResponse& response);

 private:
  static void DeclareMetrics();
  // Sends the report; true when at least one chat got it.
  bool SendReport(const TikTokAccess& access, const std::string& text);
  // The pauses that stop dispatch for (user, account): the account's (or the legacy user's)
  // and the global one.
  absl::StatusOr<std::vector<storage::DispatchPauseRow>> PausesFor(const std::string& user_id,
                                                                    const std::string& account_id);
  // The policy of a run in `currency` (thresholds converted); `kzt_per_unit` 0 = no rate.
  PlanPolicy PolicyFor(const std::string& currency, double kzt_per_unit) const;

  storage::Database& database_;
  storage::BrainExecutionRepository runs_;
  storage::DirectionRepository directions_;
  storage::CurrencyRateRepository rates_;
  storage::AuditLogRepository audit_;
  storage::DispatchPauseRepository pauses_;
  TikTokAccessResolver& access_;
  tiktok::TikTokApi& tiktok_;
  ActionCore& actions_;
  Auditor& auditor_;
  const Clock& clock_;
  const BrainSettings settings_;
  LlmPlanner* llm_;
};

// The key ttads makes for a run without one: think-YYYYMMDD-HHMM-<6 base36> (as today).
std::string GeneratedRunKey(absl::Time now);

}  // namespace ttads::server

#endif  // TTADS_SERVER_BRAIN_CORE_H_
