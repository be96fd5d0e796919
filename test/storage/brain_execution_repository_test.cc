#include "storage/brain_execution_repository.h"

#include <string>

#include "gtest/gtest.h"
#include "storage/audit_log_repository.h"
#include "test/storage/repository_test_util.h"

namespace ttads::storage {
namespace {

class BrainExecutionRepositoryTest : public RepositoryTest {};

TEST_P(BrainExecutionRepositoryTest, ClaimsAKeyOnceRecordsTheOutcomeAndLists) {
  BrainExecutionRepository runs(database());
  const std::string user = NewUser();
  BrainExecutionRow row;
  row.user_account_id = user;
  row.idempotency_key = "think-1";
  absl::StatusOr<BrainClaim> first = runs.CreateOrGet(row, TestTime());
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->execution.status, "running");
  absl::StatusOr<BrainClaim> again = runs.CreateOrGet(row, TestTime(1));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->execution.id, first->execution.id);

  // Only a stale running run is taken over, once.
  EXPECT_FALSE(*runs.TakeOver(first->execution.id, TestTime(), TestTime(20)));
  EXPECT_TRUE(*runs.TakeOver(first->execution.id, TestTime(10), TestTime(20)));
  EXPECT_FALSE(*runs.TakeOver(first->execution.id, TestTime(10), TestTime(21)));

  BrainExecutionRow done = first->execution;
  done.status = "success";
  done.plan_json = R"({"planNote":"tiktok_deterministic_plan_v1"})";
  done.report_text = "Отчёт";
  done.tiktok_calls = 4;
  done.actions_taken = 2;
  done.duration_ms = 1234;
  ASSERT_TRUE(runs.Finish(done).ok());
  absl::StatusOr<BrainExecutionRow> read = runs.Get(user, done.id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->status, "success");
  EXPECT_EQ(read->report_text, "Отчёт");
  EXPECT_EQ(read->tiktok_calls, 4);
  EXPECT_EQ(read->actions_taken, 2);
  EXPECT_EQ(read->platform, "tiktok");
  EXPECT_EQ(runs.Get(NewUser("other"), done.id).status().code(), absl::StatusCode::kNotFound);

  row.idempotency_key = "think-2";
  ASSERT_TRUE(runs.CreateOrGet(row, TestTime(30)).ok());
  BrainExecutionFilter filter;
  filter.user_account_id = user;
  absl::StatusOr<Page<BrainExecutionRow>> page = runs.List(filter, PageRequest{"", 1});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].idempotency_key, "think-2");  // newest first
  EXPECT_FALSE(page->next_page_token.empty());
  filter.status = "success";
  EXPECT_EQ(runs.List(filter, PageRequest{"", 10})->items.size(), 1u);
  filter.status = "";
  filter.start_time = TestTime(25);
  EXPECT_EQ(runs.List(filter, PageRequest{"", 10})->items.size(), 1u);

  EXPECT_TRUE(
      runs.AddCampaignReport(user, std::nullopt, "12345", R"({"text":"x"})", "tiktok", TestTime())
          .ok());
}

TEST_P(BrainExecutionRepositoryTest, FindsTheLatestSuccessfulChangePerTarget) {
  AuditLogRepository audit(database());
  const std::string user = NewUser();
  const auto append = [&](const std::string& target, const std::string& outcome, int minute) {
    AuditEntry entry;
    entry.actor = "brain";
    entry.user_account_id = user;
    entry.action = "TikTok.UpdateAdGroupBudget";
    entry.target_type = "tiktok_adgroup";
    entry.target_id = target;
    entry.outcome = outcome;
    ASSERT_TRUE(audit.Append(entry, TestTime(minute)).ok());
  };
  append("111", "OK", 1);
  append("111", "OK", 5);
  append("222", "FAILED_PRECONDITION", 6);
  append("333", "OK", -100);
  absl::StatusOr<std::map<std::string, absl::Time>> latest =
      audit.LatestSuccessByTarget(user, "TikTok.UpdateAdGroupBudget", "tiktok_adgroup", TestTime());
  ASSERT_TRUE(latest.ok()) << latest.status();
  ASSERT_EQ(latest->size(), 1u);
  EXPECT_EQ(latest->at("111"), TestTime(5));
}

INSTANTIATE_TEST_SUITE_P(Backends, BrainExecutionRepositoryTest, ::ttads::testing::AllBackends(),
                         ::ttads::testing::BackendName);

}  // namespace
}  // namespace ttads::storage
