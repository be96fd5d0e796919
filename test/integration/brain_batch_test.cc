// The brain's scheduled batches end to end: ttads-server (in process, over a real gRPC channel)
// runs the hourly multi-account slot through BrainService.RunBatch against the TikTok sandbox
// (over real HTTP), on SQLite and PostgreSQL: every due account once (dispatch only on
// autopilot), 7 days of metrics stored, a re-authorisation skip, a failing account that stops
// nothing, the batch record, a re-run that claims nothing, two replicas on one database, and the
// scheduler driven by a FakeClock.
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "server/brain_batch.h"
#include "server/clock.h"
#include "storage/ad_account_repository.h"
#include "storage/brain_batch_repository.h"
#include "storage/direction_repository.h"
#include "storage/metrics_history_repository.h"
#include "test/integration/server_sandbox_fixture.h"
#include "ttads/v1/brain_service.pb.h"

namespace ttads::server {
namespace {

using Json = nlohmann::json;

constexpr char kAutoAdvertiser[] = "7400000000000000771";
constexpr char kReportAdvertiser[] = "7400000000000000772";
constexpr char kUnknownAdvertiser[] = "7400000000000000779";  // not in the sandbox
// 03:00 UTC is 08:00 in Asia/Almaty, the default brain_schedule_hour and zone.
constexpr char kSlot[] = "2026-11-25T03";
constexpr char kLeadForm[] = "7700000000000000772";  // the report advertiser's instant form

std::string CampaignOf(const std::string& advertiser) {
  return "7800000000000" + advertiser.substr(13);  // unique per advertiser, 19 digits
}

// Per advertiser: one campaign with two active ad groups of one ad each, running for weeks.
Json BatchSeed() {
  Json seed = {{"advertisers", Json::array()},
               {"campaigns", Json::array()},
               {"adgroups", Json::array()},
               {"ads", Json::array()}};
  for (const std::string advertiser : {kAutoAdvertiser, kReportAdvertiser}) {
    seed["advertisers"].push_back({{"advertiser_id", advertiser},
                                   {"name", absl::StrCat("Batch ", advertiser)},
                                   {"currency", "KZT"},
                                   {"timezone", "Asia/Almaty"},
                                   {"country", "KZ"},
                                   {"status", "STATUS_ENABLE"},
                                   {"created_days_ago", 400}});
    const std::string campaign = CampaignOf(advertiser);
    seed["campaigns"].push_back({{"campaign_id", campaign},
                                 {"advertiser_id", advertiser},
                                 {"campaign_name", "Batch campaign"},
                                 {"objective_type", "TRAFFIC"},
                                 {"budget_mode", "BUDGET_MODE_INFINITE"},
                                 {"operation_status", "ENABLE"},
                                 {"created_days_ago", 40}});
    for (int g = 1; g <= 2; ++g) {
      const std::string tail = advertiser.substr(16);  // what tells the advertisers apart
      const std::string adgroup = absl::StrCat("79000000000000", tail, "0", g);
      seed["adgroups"].push_back({{"adgroup_id", adgroup},
                                  {"campaign_id", campaign},
                                  {"adgroup_name", absl::StrCat("Group ", g)},
                                  {"operation_status", "ENABLE"},
                                  {"budget_mode", "BUDGET_MODE_DAY"},
                                  {"budget", 10000},
                                  {"optimization_goal", "CLICK"},
                                  {"billing_event", "CPC"},
                                  {"placement_type", "PLACEMENT_TYPE_NORMAL"},
                                  {"placements", Json::array({"PLACEMENT_TIKTOK"})},
                                  {"location_ids", Json::array({"1522867"})},
                                  {"promotion_type", "WEBSITE"},
                                  {"created_days_ago", 35}});
      seed["ads"].push_back({{"ad_id", absl::StrCat("80000000000000", tail, "0", g)},
                             {"adgroup_id", adgroup},
                             {"ad_name", absl::StrCat("Ad ", g)},
                             {"ad_text", "Batch"},
                             {"call_to_action", "LEARN_MORE"},
                             {"landing_page_url", "https://example.com/batch"},
                             {"operation_status", "ENABLE"},
                             {"created_days_ago", 35}});
    }
  }
  // Three leads of the last two days in the report advertiser's form, one older.
  seed["pages"] = Json::array({{{"page_id", kLeadForm},
                                {"advertiser_id", kReportAdvertiser},
                                {"title", "Form"},
                                {"created_days_ago", 30}}});
  seed["leads"] = Json::array();
  for (const auto& [id, days] : std::vector<std::pair<std::string, double>>{
           {"7710000000000000001", 0.2}, {"7710000000000000002", 1},
           {"7710000000000000003", 1.5}, {"7710000000000000004", 5}}) {
    seed["leads"].push_back({{"lead_id", id},
                             {"advertiser_id", kReportAdvertiser},
                             {"page_id", kLeadForm},
                             {"created_days_ago", days},
                             {"fields", {{"name", "Lead"}}}});
  }
  return seed;
}

class BrainBatchTest : public ::ttads::testing::ServerSandboxTest {
 protected:
  void SetUp() override {
    ServerSandboxTest::SetUp();
    if (server_ == nullptr) return;
    ASSERT_TRUE(sandbox_.LoadSeed(BatchSeed().dump()).ok());
    storage::UserAccountRepository users(scratch_->database());
    // A multi-account user with five ad accounts.
    user_ = NewUser("multi");
    storage::UserAccountPatch multi;
    multi.multi_account_enabled = true;
    ASSERT_TRUE(users.Update(user_, multi, absl::Now()).ok());
    auto_ = Account("auto", kAutoAdvertiser, /*autopilot=*/true, 8, 1e7);
    report_ = Account("report", kReportAdvertiser, false, 8, 5000);
    reauth_ = Account("reauth", kAutoAdvertiser, true, 8, 5000);
    broken_ = Account("broken", kReportAdvertiser, false, 8, 5000);
    later_ = Account("later", kReportAdvertiser, false, 9, 5000);
    storage::AdAccountRepository accounts(scratch_->database());
    ASSERT_TRUE(*accounts.MarkNeedsReauth(user_, reauth_, absl::Now()));
    // The broken account's token does not reach its advertiser: every TikTok call fails.
    absl::StatusOr<storage::AdAccount> broken = accounts.Get(broken_);
    ASSERT_TRUE(broken.ok());
    ASSERT_TRUE(accounts
                    .SetTikTokCredentials(user_, broken_,
                                          {*broken->tiktok_access_token,
                                           *broken->tiktok_token_key_id, kUnknownAdvertiser, ""},
                                          absl::Now())
                    .ok());
    // A legacy user (daily batch only): the hourly batch never runs it.
    legacy_ = NewUser("legacy");
    storage::UserAccountPatch legacy;
    legacy.optimization = std::optional<std::string>("agent2");
    ASSERT_TRUE(users.Update(legacy_, legacy, absl::Now()).ok());
    Connect(JwtFor(legacy_), "", kReportAdvertiser);
    Direction(legacy_, "", kReportAdvertiser, 5000);
  }

  std::string Account(const std::string& name, const std::string& advertiser, bool autopilot,
                      int hour, double target_cpl) {
    storage::AdAccountRepository accounts(scratch_->database());
    storage::AdAccount row;
    row.user_account_id = user_;
    row.name = name;
    row.autopilot_tiktok = autopilot;
    row.brain_schedule_hour = hour;
    absl::StatusOr<storage::AdAccount> created = accounts.Create(row, absl::Now());
    EXPECT_TRUE(created.ok()) << created.status();
    if (!created.ok()) return "";
    Connect(JwtFor(user_), created->id, advertiser);
    Direction(user_, created->id, advertiser, target_cpl);
    return created->id;
  }
  void Direction(const std::string& user, const std::string& account,
                 const std::string& advertiser, double target_cpl) {
    storage::DirectionRepository directions(scratch_->database());
    storage::Direction row;
    row.user_account_id = user;
    if (!account.empty()) row.account_id = account;
    row.name = absl::StrCat("Direction ", account.empty() ? "legacy" : account);
    row.platform = "tiktok";
    row.objective = "instagram_traffic";
    row.tiktok_objective = "traffic";
    row.tiktok_campaign_id = CampaignOf(advertiser);
    row.tiktok_target_cpl = target_cpl;
    // The report account's direction has a lead form (its leads are collected).
    if (!account.empty() && advertiser == kReportAdvertiser) row.tiktok_instant_page_id = kLeadForm;
    ASSERT_TRUE(directions.Create(row, absl::Now()).ok());
  }

  absl::Status RunBatch(client::RpcClient client, const std::string& slot, bool dry_run,
                        v1::BrainBatchRecord& record) {
    v1::RunBrainBatchRequest request;
    request.set_kind("hourly");
    request.set_slot(slot);
    request.set_validate_only(dry_run);
    return client.Call("BrainService/RunBatch", request, record);
  }
  static const v1::BrainBatchAccount* Find(const v1::BrainBatchRecord& record,
                                           const std::string& account_id) {
    for (const v1::BrainBatchAccount& account : record.accounts()) {
      if (account.account_id() == account_id) return &account;
    }
    return nullptr;
  }

  std::string user_, legacy_, auto_, report_, reauth_, broken_, later_;
};

TEST_P(BrainBatchTest, RunsEveryDueAccountOnceAndRecordsTheBatch) {
  // Operators only.
  v1::BrainBatchRecord record;
  EXPECT_EQ(RunBatch(Client(JwtFor(user_)), kSlot, false, record).code(),
            absl::StatusCode::kPermissionDenied);
  // A dry run lists the due accounts and claims nothing.
  absl::Status status = RunBatch(Client(kAdmin), kSlot, /*dry_run=*/true, record);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(record.accounts_total(), 4);
  EXPECT_TRUE(record.id().empty());
  EXPECT_EQ(Find(record, auto_)->outcome(), "would_run");
  EXPECT_EQ(Find(record, reauth_)->reason(), "needs_reauth");
  EXPECT_EQ(Find(record, later_), nullptr);

  record.Clear();
  status = RunBatch(Client(kAdmin), kSlot, false, record);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(record.slot_key(), absl::StrCat("hourly:", kSlot));
  EXPECT_EQ(record.triggered_by(), "operator");
  EXPECT_EQ(record.accounts_total(), 4);  // not `later`, not the legacy user
  EXPECT_EQ(record.succeeded(), 2);
  EXPECT_EQ(record.failed(), 1);
  EXPECT_EQ(record.skipped(), 1);
  EXPECT_FALSE(record.finished_at().empty());
  for (const v1::BrainBatchAccount& account : record.accounts()) {
    EXPECT_NE(account.user_account_id(), legacy_);
  }
  const v1::BrainBatchAccount* autopilot = Find(record, auto_);
  ASSERT_NE(autopilot, nullptr);
  EXPECT_EQ(autopilot->outcome(), "success") << autopilot->DebugString();
  EXPECT_TRUE(autopilot->dispatched()) << autopilot->DebugString();
  EXPECT_GT(autopilot->actions_count(), 0);
  const v1::BrainBatchAccount* report = Find(record, report_);
  ASSERT_NE(report, nullptr);
  EXPECT_EQ(report->outcome(), "success") << report->DebugString();
  EXPECT_FALSE(report->dispatched());
  EXPECT_EQ(report->leads_collected(), 3) << report->DebugString();
  EXPECT_EQ(autopilot->leads_note(), "no_lead_forms");
  EXPECT_TRUE(storage::AdAccountRepository(scratch_->database())
                  .Get(auto_)
                  ->last_brain_batch_run_at.has_value());
  EXPECT_EQ(Find(record, reauth_)->outcome(), "skipped");
  EXPECT_EQ(Find(record, reauth_)->reason(), "needs_reauth");
  EXPECT_TRUE(Find(record, reauth_)->execution_id().empty());
  EXPECT_EQ(Find(record, broken_)->outcome(), "failed");
  EXPECT_FALSE(Find(record, broken_)->error().empty());

  // The runs are recorded as scheduled, with the slot's keys.
  for (const v1::BrainBatchAccount* account : {autopilot, report}) {
    v1::GetBrainExecutionRequest get;
    get.set_execution_id(account->execution_id());
    v1::BrainExecution execution;
    ASSERT_TRUE(Client(kAdmin).Call("BrainService/GetExecution", get, execution).ok());
    EXPECT_EQ(execution.execution_mode(), "scheduled");
    EXPECT_EQ(execution.idempotency_key(),
              absl::StrCat("batch-hourly:", kSlot, "-", account->account_id()));
    EXPECT_EQ(execution.dispatched(), account == autopilot);
  }

  // Seven complete days of ad-level metrics, per account.
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), DailyBatchZone());
  storage::MetricsHistoryRepository history(scratch_->database());
  for (const auto& [account, advertiser] :
       {std::pair{auto_, kAutoAdvertiser}, std::pair{report_, kReportAdvertiser}}) {
    storage::MetricsScope scope{user_, account, "tiktok", advertiser};
    absl::StatusOr<std::vector<storage::MetricsHistoryRow>> rows = history.List(
        scope, absl::FormatCivilTime(today - 7), absl::FormatCivilTime(today - 1));
    ASSERT_TRUE(rows.ok()) << rows.status();
    std::set<std::string> days;
    for (const storage::MetricsHistoryRow& row : *rows) {
      days.insert(row.date);
      EXPECT_EQ(row.source.value_or(""), "tiktok_batch");
      EXPECT_EQ(row.platform, "tiktok");
    }
    EXPECT_EQ(days.size(), 7u) << account;
    EXPECT_EQ(Find(record, account)->metrics_rows(), static_cast<int>(rows->size()));
  }

  // The same slot again claims nothing and runs nothing.
  sandbox_.ClearRequestLog();
  v1::BrainBatchRecord again;
  ASSERT_TRUE(RunBatch(Client(kAdmin), kSlot, false, again).ok());
  EXPECT_EQ(again.succeeded() + again.failed(), 0);
  EXPECT_EQ(again.skipped(), 4);
  for (const v1::BrainBatchAccount& account : again.accounts()) {
    EXPECT_EQ(account.reason(), "already_claimed");
  }
  EXPECT_TRUE(sandbox_.RequestLog().empty());

  // Both batches are listed, newest first, with their per-account outcomes.
  v1::ListBrainBatchesRequest list;
  v1::ListBrainBatchesResponse listed;
  ASSERT_TRUE(Client(kAdmin).Call("BrainService/ListBatches", list, listed).ok());
  ASSERT_EQ(listed.batches_size(), 2);
  EXPECT_EQ(listed.batches(0).id(), again.id());
  EXPECT_EQ(listed.batches(1).id(), record.id());
  EXPECT_EQ(listed.batches(1).accounts_size(), 4);
  EXPECT_EQ(listed.batches(1).failed(), 1);
  EXPECT_EQ(Client(JwtFor(user_)).Call("BrainService/ListBatches", list, listed).code(),
            absl::StatusCode::kPermissionDenied);

  // The daily slot runs the legacy user alone.
  v1::RunBrainBatchRequest daily;
  daily.set_kind("daily");
  daily.set_slot("2026-11-25");
  v1::BrainBatchRecord daily_record;
  ASSERT_TRUE(Client(kAdmin).Call("BrainService/RunBatch", daily, daily_record).ok());
  ASSERT_EQ(daily_record.accounts_size(), 1);
  EXPECT_EQ(daily_record.accounts(0).user_account_id(), legacy_);
  EXPECT_EQ(daily_record.accounts(0).outcome(), "success")
      << daily_record.accounts(0).DebugString();
  EXPECT_EQ(daily_record.accounts(0).account_key(), absl::StrCat("user:", legacy_));

  // A bad slot is refused.
  EXPECT_EQ(RunBatch(Client(kAdmin), "2026-11-25", false, record).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_P(BrainBatchTest, TwoReplicasOnOneDatabaseRunEachAccountOnce) {
  // Replicas are meant to share PostgreSQL; two servers on one SQLite file work too (the claim
  // is one INSERT under SQLite's write lock), so both backends run it.
  // A second ttads-server on the same database.
  auto second = server::TtadsServer::Start(::ttads::testing::SandboxServerConfig(
      sandbox_.BaseUrl(), scratch_->url(), kAdmin, kJwtSecret));
  ASSERT_TRUE(second.ok()) << second.status();
  const int second_port = (*second)->port();

  v1::BrainBatchRecord records[2];
  absl::Status statuses[2];
  std::thread first([&] { statuses[0] = RunBatch(Client(kAdmin), kSlot, false, records[0]); });
  std::thread other([&] {
    statuses[1] = RunBatch(client::RpcClient({absl::StrCat("127.0.0.1:", second_port), kAdmin}),
                           kSlot, false, records[1]);
  });
  first.join();
  other.join();
  ASSERT_TRUE(statuses[0].ok()) << statuses[0];
  ASSERT_TRUE(statuses[1].ok()) << statuses[1];
  EXPECT_NE(records[0].instance_id(), records[1].instance_id());
  // Each due account was run by exactly one replica; the other saw it claimed.
  for (const std::string& account : {auto_, report_, reauth_, broken_}) {
    int ran = 0;
    for (const v1::BrainBatchRecord& record : records) {
      const v1::BrainBatchAccount* outcome = Find(record, account);
      ASSERT_NE(outcome, nullptr);
      ran += outcome->reason() == "already_claimed" ? 0 : 1;
    }
    EXPECT_EQ(ran, 1) << account;
  }
  EXPECT_EQ(records[0].succeeded() + records[1].succeeded(), 2);
  absl::StatusOr<std::vector<storage::BatchSlotRow>> slots =
      storage::BrainBatchRepository(scratch_->database()).ListSlots(absl::StrCat("hourly:", kSlot));
  ASSERT_TRUE(slots.ok());
  EXPECT_EQ(slots->size(), 4u);
  // One brain run per run account.
  v1::ListBrainExecutionsRequest list;
  list.set_user_account_id(user_);
  v1::ListBrainExecutionsResponse listed;
  ASSERT_TRUE(Client(kAdmin).Call("BrainService/ListExecutions", list, listed).ok());
  int runs = 0;
  for (const v1::BrainExecution& execution : listed.executions()) {
    EXPECT_EQ(execution.execution_mode(), "scheduled");
    ++runs;
  }
  EXPECT_EQ(runs, 3);  // auto, report and broken (its failure recorded); reauth never ran
  (*second)->Shutdown(absl::Seconds(1));
}

INSTANTIATE_TEST_SUITE_P(Backends, BrainBatchTest, ::ttads::testing::AllBackends(),
                         ::ttads::testing::BackendName);

// The scheduler with a FakeClock: the hourly slot when the hour turns, the daily slot at the
// Almaty hour, each once.
TEST(BrainSchedulerTest, FiresEachSlotOnceWhenItIsDue) {
  FakeClock clock(absl::FromCivil(absl::CivilSecond(2026, 11, 25, 2, 59, 30), absl::UTCTimeZone()));
  absl::Mutex mutex;
  std::vector<std::string> ran;
  BrainScheduler scheduler(clock, /*daily_hour=*/8,
                           [&](const std::string& kind, const std::string& slot) {
                             absl::MutexLock lock(&mutex);
                             ran.push_back(absl::StrCat(kind, ":", slot));
                           });
  const auto ran_now = [&] {
    absl::MutexLock lock(&mutex);
    return ran;
  };
  scheduler.Start();
  ASSERT_TRUE(scheduler.AwaitTicks(1, absl::Seconds(10)));
  EXPECT_EQ(ran_now(), std::vector<std::string>{"hourly:2026-11-25T02"});

  // Still 02: nothing new.
  clock.Advance(absl::Seconds(20));
  scheduler.Wake();
  ASSERT_TRUE(scheduler.AwaitTicks(2, absl::Seconds(10)));
  EXPECT_EQ(ran_now().size(), 1u);

  // 03:00 UTC = 08:00 Almaty: the hourly slot and the daily batch.
  clock.Advance(absl::Seconds(20));
  scheduler.Wake();
  ASSERT_TRUE(scheduler.AwaitTicks(3, absl::Seconds(10)));
  EXPECT_EQ(ran_now(), (std::vector<std::string>{"hourly:2026-11-25T02", "hourly:2026-11-25T03",
                                                 "daily:2026-11-25"}));
  // Later in the same hour: not twice.
  clock.Advance(absl::Minutes(30));
  scheduler.Wake();
  ASSERT_TRUE(scheduler.AwaitTicks(4, absl::Seconds(10)));
  EXPECT_EQ(ran_now().size(), 3u);
  // The next hour: hourly only.
  clock.Advance(absl::Minutes(30));
  scheduler.Wake();
  ASSERT_TRUE(scheduler.AwaitTicks(5, absl::Seconds(10)));
  EXPECT_EQ(ran_now().back(), "hourly:2026-11-25T04");
  EXPECT_EQ(ran_now().size(), 4u);

  // Stops promptly although its next minute is far away.
  const absl::Time before = absl::Now();
  scheduler.Stop();
  EXPECT_LT(absl::Now() - before, absl::Seconds(5));
}

}  // namespace
}  // namespace ttads::server
