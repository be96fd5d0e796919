#include "storage/user_account_repository.h"

#include <atomic>
#include <set>
#include <thread>

#include "gtest/gtest.h"
#include "storage/uuid.h"
#include "test/storage/repository_test_util.h"

namespace ttads::storage {
namespace {

class UserAccountRepositoryTest : public RepositoryTest {};

TEST_P(UserAccountRepositoryTest, CreateGeneratesIdAndRoundTripsEveryColumn) {
  UserAccountRepository users(database());
  UserAccount row;
  row.username = "anna";
  row.optimization = "agent2";
  row.multi_account_enabled = true;
  row.autopilot_tiktok = true;
  row.telegram_id = "111";
  row.telegram_id_4 = "444";
  row.account_timezone = "Asia/Almaty";
  row.preferred_check_hour_local = 9;
  row.brain_schedule_hour = 23;
  row.brain_timezone = "Europe/Berlin";
  row.last_brain_batch_run_at = TestTime(-60);
  row.prompt3 = "Пиши кратко";
  absl::StatusOr<UserAccount> created = users.Create(row, TestTime());
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_TRUE(IsUuid(created->id));
  EXPECT_EQ(created->created_at, TestTime());
  EXPECT_EQ(created->updated_at, TestTime());

  absl::StatusOr<UserAccount> read = users.Get(created->id);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->username, "anna");
  EXPECT_TRUE(read->is_active);
  EXPECT_EQ(read->optimization, "agent2");
  EXPECT_TRUE(read->multi_account_enabled);
  EXPECT_TRUE(read->autopilot_tiktok);
  EXPECT_FALSE(read->autopilot);
  EXPECT_EQ(read->telegram_id, "111");
  EXPECT_EQ(read->telegram_id_2, std::nullopt);
  EXPECT_EQ(read->telegram_id_4, "444");
  EXPECT_EQ(read->account_timezone, "Asia/Almaty");
  EXPECT_EQ(read->preferred_check_hour_local, 9);
  EXPECT_EQ(read->brain_schedule_hour, 23);
  EXPECT_EQ(read->brain_timezone, "Europe/Berlin");
  EXPECT_EQ(read->last_brain_batch_run_at, TestTime(-60));
  EXPECT_EQ(read->prompt3, "Пиши кратко");
  EXPECT_EQ(read->tiktok_access_token, std::nullopt);
  EXPECT_EQ(read->tiktok_reauth_notified_at, std::nullopt);
  EXPECT_FALSE(read->tiktok_needs_reauth);
  EXPECT_EQ(read->created_at, TestTime());
}

TEST_P(UserAccountRepositoryTest, CreateKeepsAGivenIdAndRefusesADuplicate) {
  UserAccountRepository users(database());
  UserAccount row;
  row.id = "6F1C1A52-3B0E-4C8E-9D43-5F0A0E2B9A77";
  absl::StatusOr<UserAccount> created = users.Create(row, TestTime());
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->id, "6f1c1a52-3b0e-4c8e-9d43-5f0a0e2b9a77");
  EXPECT_TRUE(users.Get("6F1C1A52-3B0E-4C8E-9D43-5F0A0E2B9A77").ok());
  EXPECT_EQ(users.Create(row, TestTime()).status().code(), absl::StatusCode::kAlreadyExists);
}

TEST_P(UserAccountRepositoryTest, MissingAndMalformedIds) {
  UserAccountRepository users(database());
  const std::string missing = NewUuid();
  absl::StatusOr<UserAccount> read = users.Get(missing);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(read.status().message().find(missing), std::string::npos) << read.status();
  EXPECT_NE(read.status().message().find("user account"), std::string::npos);
  EXPECT_EQ(users.Get("not-a-uuid").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(users.Update(missing, {}, TestTime()).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(users.Delete(missing).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(users.SetTikTokCredentials(missing, {"c", "k", "b", "i"}, TestTime()).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(users.MarkNeedsReauth(missing, TestTime()).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_P(UserAccountRepositoryTest, UpdateChangesOnlyPatchedFieldsAndCanClearToNull) {
  UserAccountRepository users(database());
  UserAccount row;
  row.username = "before";
  row.telegram_id = "1";
  row.telegram_id_2 = "2";
  absl::StatusOr<UserAccount> created = users.Create(row, TestTime());
  ASSERT_TRUE(created.ok()) << created.status();

  UserAccountPatch patch;
  patch.username = "after";
  patch.is_active = false;
  patch.telegram_id_2 = SetNull<std::string>();
  patch.brain_schedule_hour = 6;
  patch.brain_timezone = "UTC";
  patch.prompt3 = "p";
  absl::StatusOr<UserAccount> updated = users.Update(created->id, patch, TestTime(5));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->username, "after");
  EXPECT_FALSE(updated->is_active);
  EXPECT_EQ(updated->telegram_id, "1");  // untouched
  EXPECT_EQ(updated->telegram_id_2, std::nullopt);
  EXPECT_EQ(updated->brain_schedule_hour, 6);
  EXPECT_EQ(updated->brain_timezone, "UTC");
  EXPECT_EQ(updated->prompt3, "p");
  EXPECT_EQ(updated->created_at, TestTime());
  EXPECT_EQ(updated->updated_at, TestTime(5));

  UserAccountPatch bad;
  bad.brain_schedule_hour = 24;  // CHECK 0..23
  EXPECT_EQ(users.Update(created->id, bad, TestTime(6)).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(users.Get(created->id)->brain_schedule_hour, 6);
}

TEST_P(UserAccountRepositoryTest, CredentialsAndReauthNoticeOnce) {
  UserAccountRepository users(database());
  const std::string id = NewUser();
  TTADS_ASSERT_OK(users.SetTikTokCredentials(id, {"v1:k1:cipher", "k1", "adv-1", "ident-1"},
                                             TestTime(1)));
  UserAccount read = *users.Get(id);
  EXPECT_EQ(read.tiktok_access_token, "v1:k1:cipher");
  EXPECT_EQ(read.tiktok_token_key_id, "k1");
  EXPECT_EQ(read.tiktok_business_id, "adv-1");
  EXPECT_EQ(read.tiktok_account_id, "ident-1");
  EXPECT_EQ(read.updated_at, TestTime(1));

  absl::StatusOr<bool> first = users.MarkNeedsReauth(id, TestTime(2));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(*first);
  absl::StatusOr<bool> second = users.MarkNeedsReauth(id, TestTime(3));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_FALSE(*second);
  read = *users.Get(id);
  EXPECT_TRUE(read.tiktok_needs_reauth);
  EXPECT_EQ(read.tiktok_reauth_notified_at, TestTime(2));

  // New credentials reset the flag, so the next failure is told again.
  TTADS_ASSERT_OK(users.SetTikTokCredentials(id, {"v1:k1:new", "k1", "adv-1", ""}, TestTime(4)));
  read = *users.Get(id);
  EXPECT_FALSE(read.tiktok_needs_reauth);
  EXPECT_EQ(read.tiktok_reauth_notified_at, std::nullopt);
  EXPECT_TRUE(*users.MarkNeedsReauth(id, TestTime(5)));

  TTADS_ASSERT_OK(users.ClearTikTokCredentials(id, TestTime(6)));
  read = *users.Get(id);
  EXPECT_EQ(read.tiktok_access_token, std::nullopt);
  EXPECT_EQ(read.tiktok_token_key_id, std::nullopt);
  EXPECT_EQ(read.tiktok_business_id, std::nullopt);
  EXPECT_EQ(read.tiktok_account_id, std::nullopt);
  EXPECT_FALSE(read.tiktok_needs_reauth);
}

TEST_P(UserAccountRepositoryTest, ConcurrentReauthMarksTellTheUserOnce) {
  UserAccountRepository users(database());
  const std::string id = NewUser();
  TTADS_ASSERT_OK(users.SetTikTokCredentials(id, {"c", "k", "b", "i"}, TestTime()));
  std::atomic<int> told{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      absl::StatusOr<bool> result = users.MarkNeedsReauth(id, TestTime(1));
      if (!result.ok()) {
        ++failed;
      } else if (*result) {
        ++told;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(told.load(), 1);
}

TEST_P(UserAccountRepositoryTest, ListWalksEveryRowOnceAcrossPages) {
  UserAccountRepository users(database());
  std::set<std::string> ids;
  for (int i = 0; i < 7; ++i) {
    UserAccount row;
    // Two rows share each created_at, so the id tie-breaker matters.
    absl::StatusOr<UserAccount> created = users.Create(row, TestTime(i / 2));
    ASSERT_TRUE(created.ok()) << created.status();
    ids.insert(created->id);
  }
  std::set<std::string> seen;
  PageRequest request{.page_token = "", .page_size = 3};
  int pages = 0;
  absl::Time previous = absl::InfiniteFuture();
  do {
    absl::StatusOr<Page<UserAccount>> page = users.List(request);
    ASSERT_TRUE(page.ok()) << page.status();
    ASSERT_LE(page->items.size(), 3u);
    for (const UserAccount& user : page->items) {
      EXPECT_TRUE(seen.insert(user.id).second) << "seen twice: " << user.id;
      EXPECT_LE(user.created_at, previous);
      previous = user.created_at;
    }
    request.page_token = page->next_page_token;
    ++pages;
  } while (!request.page_token.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, ids);

  EXPECT_EQ(users.List({.page_token = "garbage!", .page_size = 3}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_P(UserAccountRepositoryTest, DeleteRemovesTheRow) {
  UserAccountRepository users(database());
  const std::string id = NewUser();
  TTADS_ASSERT_OK(users.Delete(id));
  EXPECT_EQ(users.Get(id).status().code(), absl::StatusCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, UserAccountRepositoryTest, ::ttads::testing::AllBackends(),
                         ::ttads::testing::BackendName);

}  // namespace
}  // namespace ttads::storage
