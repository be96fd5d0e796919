#include "storage/ad_account_repository.h"

#include <set>

#include "gtest/gtest.h"
#include "storage/uuid.h"
#include "test/storage/repository_test_util.h"

namespace ttads::storage {
namespace {

class AdAccountRepositoryTest : public RepositoryTest {
 protected:
  AdAccount NewAccount(const std::string& user_id, const std::string& name,
                       absl::Time at = TestTime()) {
    AdAccountRepository accounts(database());
    AdAccount row;
    row.user_account_id = user_id;
    row.name = name;
    absl::StatusOr<AdAccount> created = accounts.Create(row, at);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : AdAccount{};
  }
};

TEST_P(AdAccountRepositoryTest, CreateAndGetRoundTrip) {
  AdAccountRepository accounts(database());
  const std::string user = NewUser();
  AdAccount row;
  row.user_account_id = user;
  row.name = "Shop KZ";
  row.username = "shop";
  row.autopilot_tiktok = true;
  row.brain_schedule_hour = 0;
  row.brain_timezone = "Asia/Tashkent";
  row.telegram_id_3 = "333";
  absl::StatusOr<AdAccount> created = accounts.Create(row, TestTime());
  ASSERT_TRUE(created.ok()) << created.status();
  ASSERT_TRUE(IsUuid(created->id));

  absl::StatusOr<AdAccount> read = accounts.GetForUser(user, created->id);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->user_account_id, user);
  EXPECT_EQ(read->name, "Shop KZ");
  EXPECT_EQ(read->username, "shop");
  EXPECT_TRUE(read->is_active);
  EXPECT_TRUE(read->autopilot_tiktok);
  EXPECT_EQ(read->brain_schedule_hour, 0);
  EXPECT_EQ(read->brain_timezone, "Asia/Tashkent");
  EXPECT_EQ(read->brain_mode, "report");
  EXPECT_EQ(read->telegram_id_3, "333");
  EXPECT_EQ(read->telegram_id, std::nullopt);
  EXPECT_EQ(read->tiktok_access_token, std::nullopt);
  EXPECT_EQ(read->last_brain_batch_run_at, std::nullopt);
  EXPECT_EQ(read->created_at, TestTime());
  EXPECT_EQ(read->updated_at, TestTime());
  EXPECT_TRUE(accounts.Get(created->id).ok());
}

TEST_P(AdAccountRepositoryTest, CreateForAMissingUserIsNotFound) {
  AdAccountRepository accounts(database());
  AdAccount row;
  row.user_account_id = NewUuid();
  row.name = "x";
  EXPECT_EQ(accounts.Create(row, TestTime()).status().code(), absl::StatusCode::kNotFound);
}

TEST_P(AdAccountRepositoryTest, AnotherUsersAccountIsNotFound) {
  AdAccountRepository accounts(database());
  const std::string owner = NewUser("owner");
  const std::string other = NewUser("other");
  const AdAccount account = NewAccount(owner, "A");

  absl::StatusOr<AdAccount> read = accounts.GetForUser(other, account.id);
  EXPECT_EQ(read.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(read.status().message().find(account.id), std::string::npos);
  AdAccountPatch patch;
  patch.name = "stolen";
  EXPECT_EQ(accounts.Update(other, account.id, patch, TestTime(1)).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(accounts.SetTikTokCredentials(other, account.id, {"c", "k", "b", "i"}, TestTime(1))
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(accounts.MarkNeedsReauth(other, account.id, TestTime(1)).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(accounts.Delete(other, account.id).code(), absl::StatusCode::kNotFound);
  absl::StatusOr<Page<AdAccount>> listed = accounts.ListForUser(other, {});
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->items.empty());

  // Nothing changed for the owner.
  absl::StatusOr<AdAccount> mine = accounts.GetForUser(owner, account.id);
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->name, "A");
  EXPECT_EQ(mine->tiktok_access_token, std::nullopt);
}

TEST_P(AdAccountRepositoryTest, UpdatePatchesSettings) {
  AdAccountRepository accounts(database());
  const std::string user = NewUser();
  AdAccount account = NewAccount(user, "A");
  AdAccountPatch patch;
  patch.name = "B";
  patch.is_active = false;
  patch.autopilot_tiktok = true;
  patch.brain_schedule_hour = 21;
  patch.telegram_id = "1";
  absl::StatusOr<AdAccount> updated = accounts.Update(user, account.id, patch, TestTime(2));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->name, "B");
  EXPECT_FALSE(updated->is_active);
  EXPECT_TRUE(updated->autopilot_tiktok);
  EXPECT_EQ(updated->brain_schedule_hour, 21);
  EXPECT_EQ(updated->telegram_id, "1");
  EXPECT_EQ(updated->brain_timezone, "Asia/Almaty");
  EXPECT_EQ(updated->updated_at, TestTime(2));

  AdAccountPatch clear;
  clear.telegram_id = SetNull<std::string>();
  updated = accounts.Update(user, account.id, clear, TestTime(3));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->telegram_id, std::nullopt);
  EXPECT_EQ(updated->name, "B");
}

TEST_P(AdAccountRepositoryTest, CredentialsAndReauth) {
  AdAccountRepository accounts(database());
  const std::string user = NewUser();
  const AdAccount account = NewAccount(user, "A");
  TTADS_ASSERT_OK(
      accounts.SetTikTokCredentials(user, account.id, {"v1:k:abc", "k", "adv", "ident"}, TestTime(1)));
  AdAccount read = *accounts.GetForUser(user, account.id);
  EXPECT_EQ(read.tiktok_access_token, "v1:k:abc");
  EXPECT_EQ(read.tiktok_token_key_id, "k");
  EXPECT_EQ(read.tiktok_business_id, "adv");
  EXPECT_EQ(read.tiktok_account_id, "ident");

  EXPECT_TRUE(*accounts.MarkNeedsReauth(user, account.id, TestTime(2)));
  EXPECT_FALSE(*accounts.MarkNeedsReauth(user, account.id, TestTime(3)));
  read = *accounts.GetForUser(user, account.id);
  EXPECT_TRUE(read.tiktok_needs_reauth);
  EXPECT_EQ(read.tiktok_reauth_notified_at, TestTime(2));

  TTADS_ASSERT_OK(accounts.SetTikTokCredentials(user, account.id, {"v1:k:new", "k", "adv", ""},
                                                TestTime(4)));
  read = *accounts.GetForUser(user, account.id);
  EXPECT_FALSE(read.tiktok_needs_reauth);
  EXPECT_EQ(read.tiktok_reauth_notified_at, std::nullopt);
  EXPECT_TRUE(*accounts.MarkNeedsReauth(user, account.id, TestTime(5)));

  TTADS_ASSERT_OK(accounts.ClearTikTokCredentials(user, account.id, TestTime(6)));
  read = *accounts.GetForUser(user, account.id);
  EXPECT_EQ(read.tiktok_access_token, std::nullopt);
  EXPECT_EQ(read.tiktok_business_id, std::nullopt);
  EXPECT_FALSE(read.tiktok_needs_reauth);
}

TEST_P(AdAccountRepositoryTest, ListForUserPagesOnlyTheUsersAccounts) {
  AdAccountRepository accounts(database());
  const std::string user = NewUser("a");
  const std::string other = NewUser("b");
  std::set<std::string> mine;
  for (int i = 0; i < 5; ++i) mine.insert(NewAccount(user, "acc", TestTime(i)).id);
  NewAccount(other, "theirs");

  std::set<std::string> seen;
  PageRequest request{.page_token = "", .page_size = 2};
  int pages = 0;
  do {
    absl::StatusOr<Page<AdAccount>> page = accounts.ListForUser(user, request);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const AdAccount& account : page->items) {
      EXPECT_EQ(account.user_account_id, user);
      EXPECT_TRUE(seen.insert(account.id).second);
    }
    request.page_token = page->next_page_token;
    ++pages;
  } while (!request.page_token.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, mine);
}

TEST_P(AdAccountRepositoryTest, DeleteAndCascadeFromUser) {
  AdAccountRepository accounts(database());
  UserAccountRepository users(database());
  const std::string user = NewUser();
  const AdAccount first = NewAccount(user, "A");
  const AdAccount second = NewAccount(user, "B");
  TTADS_ASSERT_OK(accounts.Delete(user, first.id));
  EXPECT_EQ(accounts.Get(first.id).status().code(), absl::StatusCode::kNotFound);
  TTADS_ASSERT_OK(users.Delete(user));
  EXPECT_EQ(accounts.Get(second.id).status().code(), absl::StatusCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, AdAccountRepositoryTest, ::ttads::testing::AllBackends(),
                         ::ttads::testing::BackendName);

}  // namespace
}  // namespace ttads::storage
