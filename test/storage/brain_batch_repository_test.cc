#include "storage/brain_batch_repository.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "storage/ad_account_repository.h"
#include "test/storage/repository_test_util.h"

namespace ttads::storage {
namespace {

class BrainBatchRepositoryTest : public RepositoryTest {
 protected:
  // A user with `patch` applied and, when `connected`, legacy TikTok credentials.
  std::string User(const std::string& name, const UserAccountPatch& patch, bool connected) {
    UserAccountRepository users(database());
    const std::string id = NewUser(name);
    EXPECT_TRUE(users.Update(id, patch, TestTime()).ok());
    if (connected) {
      EXPECT_TRUE(users.SetTikTokCredentials(id, {"cipher", "k1", "7000" + name, ""}, TestTime())
                      .ok());
    }
    return id;
  }
  std::string Account(const std::string& user, const std::string& name, int hour,
                      const std::string& zone) {
    AdAccountRepository accounts(database());
    AdAccount row;
    row.user_account_id = user;
    row.name = name;
    row.brain_schedule_hour = hour;
    row.brain_timezone = zone;
    absl::StatusOr<AdAccount> created = accounts.Create(row, TestTime());
    EXPECT_TRUE(created.ok()) << created.status();
    EXPECT_TRUE(accounts
                    .SetTikTokCredentials(user, created->id, {"cipher", "k1", "7100" + name, ""},
                                          TestTime())
                    .ok());
    return created->id;
  }
};

TEST_P(BrainBatchRepositoryTest, SelectsLegacyUsersAndDueAdAccounts) {
  UserAccountPatch legacy;
  legacy.optimization = std::optional<std::string>("agent2");
  const std::string due_legacy = User("legacy", legacy, true);
  User("unconnected", legacy, false);
  UserAccountPatch other_mode;
  other_mode.optimization = std::optional<std::string>("agent1");
  User("agent1", other_mode, true);
  UserAccountPatch inactive = legacy;
  inactive.is_active = false;
  User("inactive", inactive, true);
  UserAccountPatch multi = legacy;
  multi.multi_account_enabled = true;
  const std::string multi_user = User("multi", multi, true);  // not legacy: hourly only

  absl::StatusOr<std::vector<BatchAccount>> daily = BrainBatchRepository(database()).LegacyAccounts();
  ASSERT_TRUE(daily.ok()) << daily.status();
  ASSERT_EQ(daily->size(), 1u);
  EXPECT_EQ((*daily)[0].user_account_id, due_legacy);
  EXPECT_EQ((*daily)[0].account_key, "user:" + due_legacy);
  EXPECT_TRUE((*daily)[0].account_id.empty());
  EXPECT_EQ((*daily)[0].advertiser_id, "7000legacy");

  // 03:00 UTC = 08:00 Almaty (UTC+5) = 03:00 in an invalid zone (counted as UTC).
  const std::string almaty = Account(multi_user, "almaty", 8, "Asia/Almaty");
  const std::string bad_zone = Account(multi_user, "badzone", 3, "Mars/Olympus");
  Account(multi_user, "later", 9, "Asia/Almaty");
  // A legacy user's ad account is not run by the hourly batch (bug 12).
  Account(due_legacy, "legacy-row", 8, "Asia/Almaty");
  const absl::Time three_utc =
      absl::FromCivil(absl::CivilHour(2026, 11, 25, 3), absl::UTCTimeZone());
  absl::StatusOr<std::vector<BatchAccount>> hourly =
      BrainBatchRepository(database()).HourlyAccounts(three_utc);
  ASSERT_TRUE(hourly.ok()) << hourly.status();
  std::vector<std::string> ids;
  for (const BatchAccount& account : *hourly) ids.push_back(account.account_id);
  EXPECT_EQ(ids, (std::vector<std::string>{almaty, bad_zone}));
  EXPECT_EQ((*hourly)[0].account_key, "account:" + almaty);
  EXPECT_EQ((*hourly)[0].advertiser_id, "7100almaty");

  // The batch stamps the row it ran.
  TTADS_ASSERT_OK(BrainBatchRepository(database()).MarkRun((*hourly)[0], TestTime(5)));
  EXPECT_EQ(AdAccountRepository(database()).Get(almaty)->last_brain_batch_run_at, TestTime(5));
  TTADS_ASSERT_OK(BrainBatchRepository(database()).MarkRun((*daily)[0], TestTime(6)));
  EXPECT_EQ(UserAccountRepository(database()).Get(due_legacy)->last_brain_batch_run_at,
            TestTime(6));

  // Re-authorisation needed: still listed, flagged.
  ASSERT_TRUE(*AdAccountRepository(database()).MarkNeedsReauth(multi_user, almaty, TestTime()));
  hourly = BrainBatchRepository(database()).HourlyAccounts(three_utc);
  ASSERT_TRUE(hourly.ok());
  ASSERT_EQ(hourly->size(), 2u);
  EXPECT_TRUE((*hourly)[0].needs_reauth);
  EXPECT_FALSE((*hourly)[1].needs_reauth);
}

TEST_P(BrainBatchRepositoryTest, ASlotIsClaimedOnceEvenUnderRacingClaims) {
  BrainBatchRepository batches(database());
  BatchAccount account;
  account.user_account_id = NewUser();
  account.account_key = "user:" + account.user_account_id;
  absl::StatusOr<bool> first = batches.ClaimSlot("daily:2026-11-25", account, "", "a", TestTime());
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(*first);
  EXPECT_FALSE(*batches.ClaimSlot("daily:2026-11-25", account, "", "b", TestTime(1)));
  EXPECT_TRUE(*batches.ClaimSlot("daily:2026-11-26", account, "", "b", TestTime(1)));

  // Eight threads race for one new slot: exactly one wins.
  std::atomic<int> won{0};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      absl::StatusOr<bool> claimed = batches.ClaimSlot("hourly:2026-11-25T03", account, "",
                                                       "racer" + std::to_string(i), TestTime());
      if (!claimed.ok()) {
        ++errors;
      } else if (*claimed) {
        ++won;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(won.load(), 1);

  TTADS_ASSERT_OK(batches.FinishSlot("daily:2026-11-25", account.account_key, "failed",
                                     std::nullopt, std::string("boom"), TestTime(2)));
  absl::StatusOr<std::vector<BatchSlotRow>> slots = batches.ListSlots("daily:2026-11-25");
  ASSERT_TRUE(slots.ok()) << slots.status();
  ASSERT_EQ(slots->size(), 1u);
  EXPECT_EQ((*slots)[0].claimed_by, "a");
  EXPECT_EQ((*slots)[0].outcome.value_or(""), "failed");
  EXPECT_EQ((*slots)[0].error.value_or(""), "boom");
  EXPECT_EQ((*slots)[0].finished_at, TestTime(2));
}

TEST_P(BrainBatchRepositoryTest, RecordsAndListsBatches) {
  BrainBatchRepository batches(database());
  BrainBatchRow row;
  row.kind = "hourly";
  row.slot_key = "hourly:2026-11-25T03";
  row.instance_id = "replica-1";
  absl::StatusOr<BrainBatchRow> created = batches.CreateBatch(row, TestTime());
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_FALSE(created->id.empty());
  BrainBatchRow done = *created;
  done.finished_at = TestTime(3);
  done.accounts_total = 3;
  done.succeeded = 1;
  done.failed = 1;
  done.skipped = 1;
  done.summary_json = R"([{"account_key":"account:x","outcome":"success"}])";
  TTADS_ASSERT_OK(batches.FinishBatch(done));
  row.kind = "daily";
  row.slot_key = "daily:2026-11-25";
  ASSERT_TRUE(batches.CreateBatch(row, TestTime(10)).ok());

  absl::StatusOr<std::vector<BrainBatchRow>> listed = batches.ListBatches(10);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].kind, "daily");  // newest first
  EXPECT_FALSE((*listed)[0].finished_at.has_value());
  absl::StatusOr<BrainBatchRow> read = batches.GetBatch(created->id);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->failed, 1);
  EXPECT_EQ(read->summary_json, done.summary_json);
  EXPECT_EQ(read->finished_at, TestTime(3));
  EXPECT_EQ(batches.GetBatch("nope").status().code(), absl::StatusCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, BrainBatchRepositoryTest, ::ttads::testing::AllBackends(),
                         ::ttads::testing::BackendName);

}  // namespace
}  // namespace ttads::storage
