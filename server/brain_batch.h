// The brain's scheduled batches (existing-system.md §7): the hourly batch of multi-account ad
// accounts due at their brain_schedule_hour, and the daily batch of legacy users, both through
// BrainCore::Run (mode "scheduled"; dispatch only for autopilot_tiktok accounts, report-only
// otherwise), each followed by the last 7 days of ad-level metrics. Unlike the existing batch
// (§8 bug 12), every (slot, account) is claimed atomically in the database, so several replicas
// on one PostgreSQL run each account once per slot, and a legacy user is never run twice.
// BrainScheduler wakes every minute and starts the due slots.
#ifndef TTADS_SERVER_BRAIN_BATCH_H_
#define TTADS_SERVER_BRAIN_BATCH_H_

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/analytics_core.h"
#include "server/brain_core.h"
#include "server/clock.h"
#include "server/principal.h"
#include "server/tiktok_access.h"
#include "storage/brain_batch_repository.h"
#include "storage/database.h"
#include "storage/direction_repository.h"
#include "tiktok/tiktok_api.h"
#include "ttads/v1/brain_service.pb.h"

namespace ttads::server {

struct BrainBatchOptions {
  // Accounts run at once (TTADS_BATCH_CONCURRENCY). TikTok is paced by the client's limiter,
  // so this only bounds the threads and database sessions a batch holds.
  int concurrency = 4;
  std::string instance_id;  // "" = host-pid-random
  int metrics_days = 7;
  absl::Duration leads_window = absl::Hours(48);  // the existing batch's {days: 2}
  int lead_task_polls = 3;  // polls of an unfinished lead task before it counts as pending
};

// "hourly:YYYY-MM-DDTHH" slot of `now` (UTC hour), without the prefix: "2026-11-25T03".
std::string HourlySlot(absl::Time now);
// The daily slot of `now`: its Asia/Almaty date, "2026-11-25".
std::string DailySlot(absl::Time now);
// The daily batch's time zone (the existing cron's).
absl::TimeZone DailyBatchZone();

class BrainBatch {
 public:
  BrainBatch(storage::Database& database, BrainCore& brain, AnalyticsCore& analytics,
             TikTokAccessResolver& access, tiktok::TikTokApi& tiktok, const Clock& clock,
             BrainBatchOptions options);

  // Runs the batch of `kind` (hourly | daily) for `slot` ("" = now's), or with `dry_run` lists
  // what it would run. Never fails for one account: its outcome says why. INVALID_ARGUMENT for
  // a bad kind or slot; a database error selecting or recording the batch is returned.
  absl::StatusOr<v1::BrainBatchRecord> RunSlot(const std::string& kind, const std::string& slot,
                                               bool dry_run, const std::string& triggered_by);

  // BrainService.RunBatch / ListBatches (operators only).
  absl::Status RunBatch(const Principal& principal, const v1::RunBrainBatchRequest& request,
                        v1::BrainBatchRecord& response);
  absl::Status ListBatches(const Principal& principal, const v1::ListBrainBatchesRequest& request,
                           v1::ListBrainBatchesResponse& response);

  // Stops taking new accounts (shutdown); the accounts already running finish.
  void Cancel() { cancelled_ = true; }
  const std::string& instance_id() const { return options_.instance_id; }

 private:
  // Claims and runs one account; fills `out`.
  void RunAccount(const std::string& slot_key, const std::string& batch_id,
                  const storage::BatchAccount& account, v1::BrainBatchAccount& out);
  // Counts the leads of the last leads_window in the account's lead forms; sets out's
  // leads_collected / leads_note.
  void CollectLeads(const TikTokAccess& access, v1::BrainBatchAccount& out);

  storage::BrainBatchRepository batches_;
  storage::DirectionRepository directions_;
  BrainCore& brain_;
  AnalyticsCore& analytics_;
  TikTokAccessResolver& access_;
  tiktok::TikTokApi& tiktok_;
  const Clock& clock_;
  BrainBatchOptions options_;
  std::atomic<bool> cancelled_{false};
};

// Wakes every minute (of real time; the slots come from `clock`, so a FakeClock drives it) and
// runs the hourly slot once per UTC hour, and the daily slot once when the Asia/Almaty hour is
// `daily_hour`. Runs happen on its own thread, one at a time; the database claims keep replicas
// and restarts from running an account twice.
class BrainScheduler {
 public:
  using Runner = std::function<void(const std::string& kind, const std::string& slot)>;

  // `cancel` (optional) is called first on Stop, to cut a running batch short.
  BrainScheduler(const Clock& clock, int daily_hour, Runner run,
                 std::function<void()> cancel = nullptr);
  ~BrainScheduler();
  BrainScheduler(const BrainScheduler&) = delete;
  BrainScheduler& operator=(const BrainScheduler&) = delete;

  void Start();
  // Returns once the thread has ended (a running batch finishes its running accounts first).
  void Stop();
  // Checks the clock now instead of at the next minute (tests, after moving a FakeClock).
  void Wake();
  // Runs what is due at the clock's now and not run yet by this scheduler; "kind:slot" of each.
  std::vector<std::string> Tick();
  // How many ticks the scheduler's thread has finished (tests wait on it).
  int ticks() const {
    absl::MutexLock lock(&mutex_);
    return ticks_;
  }
  // Blocks until ticks() >= `count` or `timeout` passes; false on timeout.
  bool AwaitTicks(int count, absl::Duration timeout) const;

 private:
  void Loop();

  const Clock& clock_;
  const int daily_hour_;
  Runner run_;
  std::function<void()> cancel_;
  mutable absl::Mutex mutex_;
  int ticks_ ABSL_GUARDED_BY(mutex_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  bool woken_ ABSL_GUARDED_BY(mutex_) = false;
  std::string last_hourly_;  // only the scheduler thread (or a test without it) touches these
  std::string last_daily_;
  std::thread thread_;
};

}  // namespace ttads::server

#endif  // TTADS_SERVER_BRAIN_BATCH_H_
