#include "storage/execution_repository.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/storage/repository_test_util.h"

namespace ttads::storage {
namespace {

class ExecutionRepositoryTest : public RepositoryTest {
 protected:
  ExecutionRow NewExecution(const std::string& user, const std::string& key) {
    ExecutionRow row;
    row.user_account_id = user;
    row.ad_account_id = "7400000000000000001";
    row.idempotency_key = key;
    row.source = "api";
    row.request_json = R"({"hash":"h1"})";
    return row;
  }
  std::vector<ActionRow> TwoActions() {
    std::vector<ActionRow> actions(2);
    actions[0].action_idx = 0;
    actions[0].type = "TikTok.PauseCampaign";
    actions[0].params_json = R"({"campaign_id":"1"})";
    actions[1].action_idx = 1;
    actions[1].type = "TikTok.PauseAd";
    actions[1].params_json = R"({"ad_id":"2"})";
    return actions;
  }
};

TEST_P(ExecutionRepositoryTest, ClaimsAKeyOnceAndReadsBackTheExistingRun) {
  ExecutionRepository executions(database());
  const std::string user = NewUser();
  absl::StatusOr<ExecutionClaim> first =
      executions.CreateOrGet(NewExecution(user, "key-1"), TwoActions(), TestTime());
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->execution.status, "running");
  EXPECT_EQ(first->execution.started_at, TestTime());
  EXPECT_FALSE(first->execution.account_id.has_value());

  absl::StatusOr<ExecutionClaim> again =
      executions.CreateOrGet(NewExecution(user, "key-1"), TwoActions(), TestTime(1));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->execution.id, first->execution.id);

  // The same key for another user is another execution.
  const std::string other = NewUser("other");
  absl::StatusOr<ExecutionClaim> theirs =
      executions.CreateOrGet(NewExecution(other, "key-1"), TwoActions(), TestTime());
  ASSERT_TRUE(theirs.ok());
  EXPECT_TRUE(theirs->created);
  EXPECT_NE(theirs->execution.id, first->execution.id);

  absl::StatusOr<std::vector<ActionRow>> actions = executions.ListActions(first->execution.id);
  ASSERT_TRUE(actions.ok()) << actions.status();
  ASSERT_EQ(actions->size(), 2u);
  EXPECT_EQ((*actions)[0].type, "TikTok.PauseCampaign");
  EXPECT_EQ((*actions)[1].status, "queued");
  EXPECT_NE((*actions)[1].params_json.find("ad_id"), std::string::npos);

  absl::StatusOr<ExecutionRow> by_key = executions.FindByKey(user, "key-1");
  ASSERT_TRUE(by_key.ok());
  EXPECT_EQ(by_key->id, first->execution.id);
  EXPECT_EQ(executions.FindByKey(user, "nope").status().code(), absl::StatusCode::kNotFound);
}

TEST_P(ExecutionRepositoryTest, RecordsActionsAndFinishesAFailedRun) {
  ExecutionRepository executions(database());
  const std::string user = NewUser();
  absl::StatusOr<ExecutionClaim> claim =
      executions.CreateOrGet(NewExecution(user, "key-2"), TwoActions(), TestTime());
  ASSERT_TRUE(claim.ok());
  const std::string id = claim->execution.id;
  TTADS_ASSERT_OK(executions.StartAction(id, 0, TestTime(1)));
  TTADS_ASSERT_OK(executions.AppendLog(id, 0, "TikTok.PauseCampaign", R"({"a":1})", "", TestTime(1)));
  TTADS_ASSERT_OK(
      executions.FinishAction(id, 0, "failed", "", R"({"message":"boom"})", TestTime(2)));
  TTADS_ASSERT_OK(
      executions.FinishExecution(id, "failed", false, R"({"error":"action_failed"})", TestTime(2)));
  EXPECT_EQ(executions.StartAction(id, 7, TestTime()).code(), absl::StatusCode::kNotFound);

  absl::StatusOr<ExecutionRow> row = executions.Get(user, id);
  ASSERT_TRUE(row.ok()) << row.status();
  EXPECT_EQ(row->status, "failed");
  EXPECT_FALSE(row->executed);
  EXPECT_EQ(row->finished_at, TestTime(2));
  EXPECT_NE(row->error_json.find("action_failed"), std::string::npos);
  absl::StatusOr<std::vector<ActionRow>> actions = executions.ListActions(id);
  ASSERT_TRUE(actions.ok());
  EXPECT_EQ((*actions)[0].status, "failed");
  EXPECT_EQ((*actions)[0].started_at, TestTime(1));
  EXPECT_NE((*actions)[0].error_json.find("boom"), std::string::npos);
  EXPECT_EQ((*actions)[1].status, "skipped");

  // Another tenant cannot see it; the operator (no user) can.
  EXPECT_EQ(executions.Get(NewUser("other"), id).status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(executions.Get(std::nullopt, id).ok());
}

TEST_P(ExecutionRepositoryTest, OnlyAStaleRunningExecutionCanBeTakenOverOnce) {
  ExecutionRepository executions(database());
  const std::string user = NewUser();
  absl::StatusOr<ExecutionClaim> claim =
      executions.CreateOrGet(NewExecution(user, "key-3"), TwoActions(), TestTime());
  ASSERT_TRUE(claim.ok());
  const std::string id = claim->execution.id;
  // Still within its lease.
  EXPECT_FALSE(*executions.TakeOver(id, TestTime(-5), TestTime(1)));
  EXPECT_TRUE(*executions.TakeOver(id, TestTime(5), TestTime(10)));
  EXPECT_FALSE(*executions.TakeOver(id, TestTime(5), TestTime(10)));  // taken already
  TTADS_ASSERT_OK(executions.FinishExecution(id, "success", true, "", TestTime(11)));
  EXPECT_FALSE(*executions.TakeOver(id, TestTime(100), TestTime(100)));
  EXPECT_TRUE(executions.Get(user, id)->executed);
}

TEST_P(ExecutionRepositoryTest, ListsNewestFirstWithFiltersAndPages) {
  ExecutionRepository executions(database());
  const std::string user = NewUser();
  const std::string other = NewUser("other");
  for (int i = 0; i < 5; ++i) {
    ExecutionRow row = NewExecution(user, "list-" + std::to_string(i));
    row.source = i % 2 == 0 ? "brain" : "api";
    ASSERT_TRUE(executions.CreateOrGet(row, {}, TestTime(i)).ok());
  }
  ASSERT_TRUE(executions.CreateOrGet(NewExecution(other, "list-x"), {}, TestTime(9)).ok());

  ExecutionFilter mine;
  mine.user_account_id = user;
  absl::StatusOr<Page<ExecutionRow>> page = executions.List(mine, {"", 2});
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].idempotency_key, "list-4");
  EXPECT_EQ(page->items[1].idempotency_key, "list-3");
  std::vector<std::string> keys;
  PageRequest next{page->next_page_token, 2};
  while (!next.page_token.empty()) {
    page = executions.List(mine, next);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const ExecutionRow& row : page->items) keys.push_back(row.idempotency_key);
    next.page_token = page->next_page_token;
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"list-2", "list-1", "list-0"}));

  mine.source = "brain";
  EXPECT_EQ(executions.List(mine, {"", 50})->items.size(), 3u);
  ExecutionFilter everyone;
  EXPECT_EQ(executions.List(everyone, {"", 50})->items.size(), 6u);
}

TEST_P(ExecutionRepositoryTest, JournalsStepsAppendedAsTheyRunAndReopensAFailedRun) {
  ExecutionRepository executions(database());
  const std::string user = NewUser();
  absl::StatusOr<ExecutionClaim> claim =
      executions.CreateOrGet(NewExecution(user, "launch-1"), {}, TestTime());
  ASSERT_TRUE(claim.ok()) << claim.status();
  const std::string id = claim->execution.id;

  ActionRow step;
  step.type = "TikTok.CreateCampaign";
  step.status = "running";
  step.params_json = R"({"step":"campaign"})";
  absl::StatusOr<int> first = executions.AppendAction(id, step, TestTime(1));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*first, 0);
  step.type = "TikTok.CreateAdGroup";
  step.params_json = R"({"step":"adgroup"})";
  absl::StatusOr<int> second = executions.AppendAction(id, step, TestTime(2));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, 1);
  ASSERT_TRUE(executions.FinishAction(id, 0, "success", R"({"campaign_id":"7"})", "", TestTime(3))
                  .ok());

  // A failed run is re-opened by exactly one retry; a running one is not.
  EXPECT_FALSE(*executions.Reopen(id, TestTime(4)));
  ASSERT_TRUE(executions.FinishExecution(id, "failed", false, R"({"step":1})", TestTime(4)).ok());
  EXPECT_TRUE(*executions.Reopen(id, TestTime(5)));
  EXPECT_FALSE(*executions.Reopen(id, TestTime(5)));
  absl::StatusOr<ExecutionRow> row = executions.Get(user, id);
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->status, "running");
  EXPECT_EQ(row->error_json, "");
  EXPECT_FALSE(row->finished_at.has_value());

  ASSERT_TRUE(executions.SetResult(id, R"({"success":true})").ok());
  absl::StatusOr<std::vector<ActionRow>> steps = executions.ListActions(id);
  ASSERT_TRUE(steps.ok());
  ASSERT_EQ(steps->size(), 2u);
  EXPECT_EQ((*steps)[0].status, "success");
  // (PostgreSQL's JSONB re-spaces the text.)
  EXPECT_THAT((*steps)[0].result_json, ::testing::HasSubstr(R"("7")"));
  EXPECT_EQ((*steps)[1].status, "running");
  EXPECT_EQ((*steps)[1].type, "TikTok.CreateAdGroup");
  EXPECT_THAT(executions.Get(user, id)->result_json, ::testing::HasSubstr("true"));
}

INSTANTIATE_TEST_SUITE_P(Backends, ExecutionRepositoryTest, ::ttads::testing::AllBackends(),
                         ::ttads::testing::BackendName);

}  // namespace
}  // namespace ttads::storage
