#include "server/brain_batch.h"

#include <unistd.h>

#include <algorithm>
#include <set>
#include <utility>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/util/json_util.h"
#include "server/log.h"
#include "server/proto_convert.h"
#include "server/rpc_status.h"
#include "server/validation.h"

namespace ttads::server {
namespace {

constexpr char kMetricsSource[] = "tiktok_batch";  // as the existing batch writes it
constexpr int kDefaultListSize = 20;
constexpr int kMaxListSize = 200;

std::string DefaultInstanceId() {
  char host[256] = {0};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  absl::BitGen random;
  // The random part tells apart two servers of one process (tests) on one host.
  return absl::StrFormat("%s-%d-%04x", host[0] != '\0' ? host : "unknown",
                         static_cast<int>(getpid()), absl::Uniform<int>(random, 0, 0x10000));
}

// The slot text of `kind` checked: "YYYY-MM-DDTHH" (hourly) or "YYYY-MM-DD" (daily); returns
// the UTC start of an hourly slot.
absl::StatusOr<absl::Time> ParseSlot(const std::string& kind, const std::string& slot) {
  if (kind == "hourly") {
    absl::CivilHour hour;
    if (slot.size() != 13 || !absl::ParseCivilTime(slot, &hour) ||
        absl::FormatCivilTime(hour) != slot) {
      return InvalidField("slot", "must be YYYY-MM-DDTHH (a UTC hour) for an hourly batch");
    }
    return absl::FromCivil(hour, absl::UTCTimeZone());
  }
  absl::CivilDay day;
  if (slot.size() != 10 || !absl::ParseCivilTime(slot, &day) ||
      absl::FormatCivilTime(day) != slot) {
    return InvalidField("slot", "must be YYYY-MM-DD (an Asia/Almaty date) for a daily batch");
  }
  return absl::FromCivil(day, DailyBatchZone());
}

std::string AccountsJson(const v1::BrainBatchRecord& record) {
  v1::BrainBatchRecord only;
  *only.mutable_accounts() = record.accounts();
  std::string text;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(only, &text, options).ok()) return "{}";
  return text;
}

void ToRecord(const storage::BrainBatchRow& row, v1::BrainBatchRecord& out) {
  if (!row.summary_json.empty()) {
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;
    if (!google::protobuf::util::JsonStringToMessage(row.summary_json, &out, options).ok()) {
      out.clear_accounts();
    }
  }
  out.set_id(row.id);
  out.set_kind(row.kind);
  out.set_triggered_by(row.triggered_by);
  out.set_slot_key(row.slot_key);
  out.set_instance_id(row.instance_id);
  out.set_dry_run(row.dry_run);
  out.set_started_at(TimeText(row.started_at));
  out.set_finished_at(TimeText(row.finished_at));
  out.set_accounts_total(row.accounts_total);
  out.set_succeeded(row.succeeded);
  out.set_failed(row.failed);
  out.set_skipped(row.skipped);
}

}  // namespace

absl::TimeZone DailyBatchZone() {
  static const absl::TimeZone zone = [] {
    absl::TimeZone loaded;
    // Almaty is UTC+5 all year (since 2024-03-01); the fixed offset stands in without tzdata.
    if (!absl::LoadTimeZone("Asia/Almaty", &loaded)) loaded = absl::FixedTimeZone(5 * 60 * 60);
    return loaded;
  }();
  return zone;
}

std::string HourlySlot(absl::Time now) {
  return absl::FormatCivilTime(absl::ToCivilHour(now, absl::UTCTimeZone()));
}

std::string DailySlot(absl::Time now) {
  return absl::FormatCivilTime(absl::ToCivilDay(now, DailyBatchZone()));
}

BrainBatch::BrainBatch(storage::Database& database, BrainCore& brain, AnalyticsCore& analytics,
                       TikTokAccessResolver& access, tiktok::TikTokApi& tiktok,
                       const Clock& clock, BrainBatchOptions options)
    : batches_(database),
      directions_(database),
      brain_(brain),
      analytics_(analytics),
      access_(access),
      tiktok_(tiktok),
      clock_(clock),
      options_(std::move(options)) {
  if (options_.instance_id.empty()) options_.instance_id = DefaultInstanceId();
  options_.concurrency = std::clamp(options_.concurrency, 1, 64);
}

absl::StatusOr<v1::BrainBatchRecord> BrainBatch::RunSlot(const std::string& kind,
                                                         const std::string& requested_slot,
                                                         bool dry_run,
                                                         const std::string& triggered_by) {
  if (kind != "hourly" && kind != "daily") {
    return InvalidField("kind", "must be hourly or daily");
  }
  const absl::Time started = clock_.Now();
  const std::string slot =
      !requested_slot.empty() ? requested_slot
                              : (kind == "hourly" ? HourlySlot(started) : DailySlot(started));
  absl::StatusOr<absl::Time> slot_start = ParseSlot(kind, slot);
  if (!slot_start.ok()) return slot_start.status();
  const std::string slot_key = absl::StrCat(kind, ":", slot);

  absl::StatusOr<std::vector<storage::BatchAccount>> accounts =
      kind == "hourly" ? batches_.HourlyAccounts(*slot_start) : batches_.LegacyAccounts();
  if (!accounts.ok()) return accounts.status();

  v1::BrainBatchRecord record;
  record.set_kind(kind);
  record.set_triggered_by(triggered_by);
  record.set_slot_key(slot_key);
  record.set_instance_id(options_.instance_id);
  record.set_dry_run(dry_run);
  record.set_started_at(TimeText(started));
  record.set_accounts_total(static_cast<int32_t>(accounts->size()));
  for (const storage::BatchAccount& account : *accounts) {
    v1::BrainBatchAccount* out = record.add_accounts();
    out->set_account_key(account.account_key);
    out->set_user_account_id(account.user_account_id);
    out->set_account_id(account.account_id);
    out->set_name(account.name);
    out->set_autopilot(account.autopilot_tiktok);
  }

  if (dry_run) {
    absl::StatusOr<std::vector<storage::BatchSlotRow>> claimed = batches_.ListSlots(slot_key);
    if (!claimed.ok()) return claimed.status();
    for (size_t i = 0; i < accounts->size(); ++i) {
      v1::BrainBatchAccount& out = *record.mutable_accounts(static_cast<int>(i));
      const storage::BatchAccount& account = (*accounts)[i];
      const bool done = std::any_of(claimed->begin(), claimed->end(), [&](const auto& slot_row) {
        return slot_row.account_key == account.account_key;
      });
      if (done) {
        out.set_outcome("already_claimed");
        out.set_reason("already_claimed");
      } else if (account.needs_reauth) {
        out.set_outcome("skipped");
        out.set_reason("needs_reauth");
      } else {
        out.set_outcome("would_run");
      }
    }
    record.set_finished_at(TimeText(clock_.Now()));
    return record;
  }

  storage::BrainBatchRow row;
  row.kind = kind;
  row.triggered_by = triggered_by;
  row.slot_key = slot_key;
  row.instance_id = options_.instance_id;
  row.accounts_total = record.accounts_total();
  absl::StatusOr<storage::BrainBatchRow> created = batches_.CreateBatch(row, started);
  if (!created.ok()) return created.status();
  record.set_id(created->id);
  LogInfo("brain_batch_started", {{"batch_id", created->id},
                                  {"slot", slot_key},
                                  {"accounts", absl::StrCat(accounts->size())},
                                  {"instance", options_.instance_id}});

  // A small pool pulling accounts in order; the TikTok client's limiter paces the calls, so
  // there is no pause between accounts. Each worker writes only its accounts' entries.
  std::atomic<size_t> next{0};
  const auto work = [&] {
    for (size_t i = next++; i < accounts->size(); i = next++) {
      v1::BrainBatchAccount& out = *record.mutable_accounts(static_cast<int>(i));
      if (cancelled_) {
        out.set_outcome("skipped");
        out.set_reason("shutdown");
        continue;
      }
      RunAccount(slot_key, created->id, (*accounts)[i], out);
    }
  };
  const int workers =
      std::min<int>(options_.concurrency, static_cast<int>(std::max<size_t>(accounts->size(), 1)));
  std::vector<std::thread> pool;
  for (int w = 1; w < workers; ++w) pool.emplace_back(work);
  work();
  for (std::thread& thread : pool) thread.join();

  for (const v1::BrainBatchAccount& out : record.accounts()) {
    if (out.outcome() == "success") {
      record.set_succeeded(record.succeeded() + 1);
    } else if (out.outcome() == "failed") {
      record.set_failed(record.failed() + 1);
    } else {
      record.set_skipped(record.skipped() + 1);
    }
  }
  const absl::Time finished = clock_.Now();
  record.set_finished_at(TimeText(finished));
  storage::BrainBatchRow done = *created;
  done.finished_at = finished;
  done.succeeded = record.succeeded();
  done.failed = record.failed();
  done.skipped = record.skipped();
  done.summary_json = AccountsJson(record);
  if (absl::Status stored = batches_.FinishBatch(done); !stored.ok()) return stored;
  LogInfo("brain_batch_finished", {{"batch_id", created->id},
                                   {"slot", slot_key},
                                   {"succeeded", absl::StrCat(record.succeeded())},
                                   {"failed", absl::StrCat(record.failed())},
                                   {"skipped", absl::StrCat(record.skipped())}});
  return record;
}

void BrainBatch::RunAccount(const std::string& slot_key, const std::string& batch_id,
                            const storage::BatchAccount& account, v1::BrainBatchAccount& out) {
  const absl::Time started = clock_.Now();
  absl::StatusOr<bool> claimed =
      batches_.ClaimSlot(slot_key, account, batch_id, options_.instance_id, started);
  if (!claimed.ok()) {
    out.set_outcome("failed");
    out.set_reason("claim_failed");
    out.set_error(std::string(claimed.status().message()));
    return;
  }
  if (!*claimed) {  // another replica (or an earlier run of the slot) has it
    out.set_outcome("skipped");
    out.set_reason("already_claimed");
    return;
  }
  const auto finish = [&](const std::string& outcome, const std::string& reason,
                          const std::string& error) {
    out.set_outcome(outcome);
    out.set_reason(reason);
    out.set_error(error);
    out.set_duration_ms(
        static_cast<int32_t>(absl::ToInt64Milliseconds(clock_.Now() - started)));
    const std::optional<std::string> execution =
        out.execution_id().empty() ? std::nullopt : std::optional<std::string>(out.execution_id());
    const std::string note = error.empty() ? reason : absl::StrCat(reason, ": ", error);
    if (absl::Status stored =
            batches_.FinishSlot(slot_key, account.account_key, outcome, execution,
                                note.empty() ? std::nullopt : std::optional<std::string>(note),
                                clock_.Now());
        !stored.ok()) {
      LogWarning("brain_batch_slot_record_failed",
                 {{"slot", slot_key}, {"error", std::string(stored.message())}});
    }
  };
  if (account.needs_reauth) {
    finish("skipped", "needs_reauth", "");
    return;
  }

  // 1. The brain run, report-only unless the account is on autopilot.
  v1::RunTikTokRequest request;
  request.set_user_account_id(account.user_account_id);
  request.set_account_id(account.account_id);
  request.mutable_inputs()->set_dispatch(account.autopilot_tiktok);
  request.mutable_inputs()->mutable_send_report()->set_value(true);
  // Derived from the slot: a re-run of the slot, on any replica, never dispatches twice.
  request.set_idempotency_key(
      absl::StrCat("batch-", slot_key, "-",
                   account.account_id.empty() ? account.user_account_id : account.account_id));
  v1::RunTikTokResponse response;
  const absl::Status ran = brain_.Run(Principal::Operator(), request, "scheduled", response);
  if (absl::Status marked = batches_.MarkRun(account, clock_.Now()); !marked.ok()) {
    LogWarning("brain_batch_mark_failed", {{"account", account.account_key},
                                           {"error", std::string(marked.message())}});
  }
  out.set_execution_id(response.executionid());
  out.set_dispatched(response.dispatched());
  out.set_actions_count(response.actions_size());

  // 2. The metrics, even when the run failed (as the existing batch does).
  std::string metrics_error;
  absl::StatusOr<TikTokAccess> access = access_.Resolve(account.user_account_id,
                                                        account.account_id);
  if (!access.ok()) {
    metrics_error = std::string(access.status().message());
  } else {
    absl::StatusOr<int> rows =
        analytics_.CollectRecentDays(*access, options_.metrics_days, kMetricsSource);
    if (rows.ok()) {
      out.set_metrics_rows(*rows);
    } else {
      metrics_error = std::string(rows.status().message());
    }
    // 3. The lead-form leads (counted; a failure here fails nothing).
    CollectLeads(*access, out);
  }

  if (!ran.ok()) {
    finish("failed", "brain_failed", std::string(ran.message()));
  } else if (response.status() == "failed") {
    finish("failed", "brain_failed", "the run recorded a failure");
  } else if (!metrics_error.empty()) {
    finish("failed", "metrics_failed", metrics_error);
  } else if (response.skipped()) {
    finish("skipped", response.reason(), "");
  } else {
    finish("success", "", "");
  }
}

void BrainBatch::CollectLeads(const TikTokAccess& access, v1::BrainBatchAccount& out) {
  // The lead forms of the account's active TikTok directions.
  std::set<std::string> pages;
  storage::DirectionFilter filter;
  filter.platform = "tiktok";
  filter.is_active = true;
  if (!access.account_id.empty()) {
    filter.account_id = std::optional<std::string>(access.account_id);
  }
  storage::PageRequest page{"", 100};
  do {
    absl::StatusOr<storage::Page<storage::Direction>> listed =
        directions_.List(access.user_account_id, filter, page);
    if (!listed.ok()) {
      out.set_leads_note(std::string(listed.status().message()));
      return;
    }
    for (const storage::Direction& direction : listed->items) {
      if (direction.tiktok_instant_page_id.has_value() &&
          !direction.tiktok_instant_page_id->empty()) {
        pages.insert(*direction.tiktok_instant_page_id);
      }
    }
    page.page_token = listed->next_page_token;
  } while (!page.page_token.empty());
  if (pages.empty()) {
    out.set_leads_note("no_lead_forms");
    return;
  }

  const absl::Time since = clock_.Now() - options_.leads_window;
  std::set<std::string> leads;
  for (const std::string& page_id : pages) {
    tiktok::LeadTaskRequest request;
    request.advertiser_id = access.advertiser_id();
    request.page_id = page_id;
    absl::StatusOr<tiktok::LeadTask> task = tiktok_.CreateLeadTask(access.access_token, request);
    // A few immediate polls (each paced by the client's limiter); no sleeping in a batch: a
    // task that is still running is reported as pending and read by the next slot.
    for (int poll = 0; task.ok() && task->status != "SUCCEED" && task->status != "FAILED" &&
                       poll < options_.lead_task_polls;
         ++poll) {
      request.task_id = task->task_id;
      task = tiktok_.CreateLeadTask(access.access_token, request);
    }
    if (!task.ok()) {
      out.set_leads_note(std::string(access_.OnTikTokError(access, task.status()).message()));
      continue;
    }
    if (task->status != "SUCCEED") {
      out.set_leads_note(task->status == "FAILED" ? "lead task failed" : "pending");
      continue;
    }
    absl::StatusOr<tiktok::LeadFile> file =
        tiktok_.DownloadLeadTask(access.access_token, access.advertiser_id(), task->task_id);
    if (!file.ok()) {
      out.set_leads_note(std::string(access_.OnTikTokError(access, file.status()).message()));
      continue;
    }
    // CSV: lead_id, create_time (UTC "YYYY-MM-DD HH:MM:SS"), …; both are plain cells.
    bool header = true;
    for (absl::string_view line : absl::StrSplit(file->bytes, '\n', absl::SkipWhitespace())) {
      if (header) {
        header = false;
        continue;
      }
      const std::vector<absl::string_view> cells = absl::StrSplit(line, absl::MaxSplits(',', 2));
      if (cells.size() < 2) continue;
      absl::Time created;
      std::string error;
      if (!absl::ParseTime("%Y-%m-%d %H:%M:%S", absl::StripAsciiWhitespace(cells[1]),
                           absl::UTCTimeZone(), &created, &error)) {
        continue;
      }
      if (created >= since) leads.insert(std::string(absl::StripAsciiWhitespace(cells[0])));
    }
  }
  out.set_leads_collected(static_cast<int32_t>(leads.size()));
}

absl::Status BrainBatch::RunBatch(const Principal& principal,
                                  const v1::RunBrainBatchRequest& request,
                                  v1::BrainBatchRecord& response) {
  if (absl::Status allowed = principal.RequireOperator(); !allowed.ok()) return allowed;
  const std::string kind = request.kind().empty() ? "hourly" : request.kind();
  absl::StatusOr<v1::BrainBatchRecord> record =
      RunSlot(kind, request.slot(), request.validate_only(), "operator");
  if (!record.ok()) return record.status();
  response = *std::move(record);
  return absl::OkStatus();
}

absl::Status BrainBatch::ListBatches(const Principal& principal,
                                     const v1::ListBrainBatchesRequest& request,
                                     v1::ListBrainBatchesResponse& response) {
  if (absl::Status allowed = principal.RequireOperator(); !allowed.ok()) return allowed;
  if (request.page_size() < 0 || request.page_size() > kMaxListSize) {
    return InvalidField("page_size", absl::StrCat("must be 0..", kMaxListSize));
  }
  absl::StatusOr<std::vector<storage::BrainBatchRow>> rows =
      batches_.ListBatches(request.page_size() == 0 ? kDefaultListSize : request.page_size());
  if (!rows.ok()) return rows.status();
  for (const storage::BrainBatchRow& row : *rows) ToRecord(row, *response.add_batches());
  return absl::OkStatus();
}

// ---- BrainScheduler ----

BrainScheduler::BrainScheduler(const Clock& clock, int daily_hour, Runner run,
                               std::function<void()> cancel)
    : clock_(clock), daily_hour_(daily_hour), run_(std::move(run)), cancel_(std::move(cancel)) {}

BrainScheduler::~BrainScheduler() { Stop(); }

void BrainScheduler::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { Loop(); });
}

void BrainScheduler::Stop() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
  }
  if (cancel_) cancel_();
  if (thread_.joinable()) thread_.join();
}

void BrainScheduler::Wake() {
  absl::MutexLock lock(&mutex_);
  woken_ = true;
}

std::vector<std::string> BrainScheduler::Tick() {
  std::vector<std::string> ran;
  const absl::Time now = clock_.Now();
  const std::string hourly = HourlySlot(now);
  if (hourly != last_hourly_) {
    last_hourly_ = hourly;
    run_("hourly", hourly);
    ran.push_back(absl::StrCat("hourly:", hourly));
  }
  const std::string daily = DailySlot(now);
  if (absl::ToCivilHour(now, DailyBatchZone()).hour() == daily_hour_ && daily != last_daily_) {
    last_daily_ = daily;
    run_("daily", daily);
    ran.push_back(absl::StrCat("daily:", daily));
  }
  return ran;
}

bool BrainScheduler::AwaitTicks(int count, absl::Duration timeout) const {
  absl::MutexLock lock(&mutex_);
  struct Wait {
    const BrainScheduler* self;
    int count;
  } wait{this, count};
  return mutex_.AwaitWithTimeout(
      absl::Condition(
          +[](Wait* w) ABSL_NO_THREAD_SAFETY_ANALYSIS { return w->self->ticks_ >= w->count; },
          &wait),
      timeout);
}

void BrainScheduler::Loop() {
  const auto ready = [](BrainScheduler* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->mutex_) {
    return self->stopping_ || self->woken_;
  };
  while (true) {
    {
      absl::MutexLock lock(&mutex_);
      if (stopping_) return;
      woken_ = false;
    }
    Tick();
    {
      absl::MutexLock lock(&mutex_);
      ++ticks_;
    }
    // Until the clock's next minute (at least a second), or a Wake/Stop.
    const absl::Duration into_minute =
        absl::Seconds(absl::ToUnixSeconds(clock_.Now()) % 60);
    const absl::Duration wait = std::max(absl::Seconds(60) - into_minute, absl::Seconds(1));
    absl::MutexLock lock(&mutex_);
    mutex_.AwaitWithTimeout(
        absl::Condition(+ready, this), wait);
    if (stopping_) return;
  }
}

}  // namespace ttads::server
