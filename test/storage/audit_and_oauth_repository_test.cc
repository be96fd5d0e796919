#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "storage/audit_log_repository.h"
#include "storage/oauth_state_repository.h"
#include "storage/uuid.h"
#include "test/storage/repository_test_util.h"

namespace ttads::storage {
namespace {

class AuditLogRepositoryTest : public RepositoryTest {};

TEST_P(AuditLogRepositoryTest, AppendAndListForUser) {
  AuditLogRepository audit(database());
  const std::string user = NewUser();
  const std::string other = NewUser("other");
  AuditEntry entry;
  entry.actor = "api_key:abc";
  entry.user_account_id = user;
  entry.action = "CampaignBuilder.AutoLaunch";
  entry.target_type = "direction";
  entry.target_id = "d-1";
  entry.idempotency_key = "k-1";
  entry.outcome = "ok";
  entry.details_json = R"({"ads_created":3})";
  TTADS_ASSERT_OK(audit.Append(entry, TestTime()));
  absl::StatusOr<Page<AuditEntry>> only = audit.ListForUser(user, {});
  ASSERT_TRUE(only.ok()) << only.status();
  ASSERT_EQ(only->items.size(), 1u);
  const AuditEntry& appended = only->items[0];
  EXPECT_TRUE(IsUuid(appended.id));
  EXPECT_EQ(appended.actor, "api_key:abc");
  EXPECT_EQ(appended.user_account_id, user);
  EXPECT_EQ(appended.account_id, std::nullopt);
  EXPECT_EQ(appended.action, "CampaignBuilder.AutoLaunch");
  EXPECT_EQ(appended.target_type, "direction");
  EXPECT_EQ(appended.target_id, "d-1");
  EXPECT_EQ(appended.idempotency_key, "k-1");
  EXPECT_EQ(appended.outcome, "ok");
  ASSERT_TRUE(appended.details_json.has_value());
  EXPECT_NE(appended.details_json->find("ads_created"), std::string::npos);
  EXPECT_EQ(appended.created_at, TestTime());

  std::set<std::string> ids = {appended.id};
  for (int i = 1; i <= 4; ++i) {
    AuditEntry more;
    more.id = NewUuid();
    more.actor = "scheduler";
    more.user_account_id = user;
    more.action = "Brain.Run";
    more.outcome = "FAILED_PRECONDITION";
    TTADS_ASSERT_OK(audit.Append(more, TestTime(i)));
    ids.insert(more.id);
  }
  AuditEntry theirs;
  theirs.actor = "x";
  theirs.user_account_id = other;
  theirs.action = "a";
  theirs.outcome = "ok";
  TTADS_ASSERT_OK(audit.Append(theirs, TestTime()));
  AuditEntry anonymous = theirs;
  anonymous.user_account_id = std::nullopt;
  TTADS_ASSERT_OK(audit.Append(anonymous, TestTime()));
  AuditEntry bad = theirs;
  bad.user_account_id = "not-a-uuid";
  EXPECT_EQ(audit.Append(bad, TestTime()).code(), absl::StatusCode::kInvalidArgument);

  std::vector<AuditEntry> walked;
  PageRequest request{.page_token = "", .page_size = 2};
  for (int pages = 0; pages < 10; ++pages) {
    absl::StatusOr<Page<AuditEntry>> page = audit.ListForUser(user, request);
    ASSERT_TRUE(page.ok()) << page.status();
    walked.insert(walked.end(), page->items.begin(), page->items.end());
    if (page->next_page_token.empty()) break;
    request.page_token = page->next_page_token;
  }
  ASSERT_EQ(walked.size(), 5u);
  std::set<std::string> seen;
  for (const AuditEntry& row : walked) {
    EXPECT_EQ(row.user_account_id, user);
    seen.insert(row.id);
  }
  EXPECT_EQ(seen, ids);
  EXPECT_EQ(walked.front().created_at, TestTime(4));
  EXPECT_EQ(walked.back().created_at, TestTime());

  // Operators see everyone's entries, the anonymous one included.
  std::size_t all = 0;
  request = {.page_token = "", .page_size = 3};
  for (int pages = 0; pages < 10; ++pages) {
    absl::StatusOr<Page<AuditEntry>> page = audit.ListAll(request);
    ASSERT_TRUE(page.ok()) << page.status();
    all += page->items.size();
    if (page->next_page_token.empty()) break;
    request.page_token = page->next_page_token;
  }
  EXPECT_EQ(all, 7u);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditLogRepositoryTest, ::ttads::testing::AllBackends(),
                         ::ttads::testing::BackendName);

class OAuthStateRepositoryTest : public RepositoryTest {};

TEST_P(OAuthStateRepositoryTest, NonceWorksOnce) {
  OAuthStateRepository states(database());
  const std::string user = NewUser();
  TTADS_ASSERT_OK(states.MarkUsed("nonce-1", user, TestTime(10), TestTime()));
  const absl::Status again = states.MarkUsed("nonce-1", user, TestTime(10), TestTime(1));
  EXPECT_EQ(again.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(again.message(), "oauth state already used");
  TTADS_EXPECT_OK(states.MarkUsed("nonce-2", user, TestTime(10), TestTime(1)));
  EXPECT_EQ(states.MarkUsed("", user, TestTime(10), TestTime()).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_P(OAuthStateRepositoryTest, ConcurrentExchangesOfOneStateSucceedOnce) {
  const std::string user = NewUser();
  std::unique_ptr<Database> replica = scratch_->OpenAnother();
  ASSERT_NE(replica, nullptr);
  std::atomic<int> ok{0};
  std::atomic<int> used{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      OAuthStateRepository states(t % 2 == 0 ? database() : *replica);
      const absl::Status status = states.MarkUsed("shared", user, TestTime(10), TestTime());
      if (status.ok()) ++ok;
      if (status.code() == absl::StatusCode::kAlreadyExists) ++used;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(used.load(), 3);
}

TEST_P(OAuthStateRepositoryTest, PurgeExpiredDropsOnlyExpired) {
  OAuthStateRepository states(database());
  const std::string user = NewUser();
  TTADS_ASSERT_OK(states.MarkUsed("old", user, TestTime(5), TestTime()));
  TTADS_ASSERT_OK(states.MarkUsed("fresh", user, TestTime(50), TestTime()));
  absl::StatusOr<int> purged = states.PurgeExpired(TestTime(10));
  ASSERT_TRUE(purged.ok()) << purged.status();
  EXPECT_EQ(*purged, 1);
  EXPECT_EQ(states.MarkUsed("fresh", user, TestTime(50), TestTime(11)).code(),
            absl::StatusCode::kAlreadyExists);
  TTADS_EXPECT_OK(states.MarkUsed("old", user, TestTime(60), TestTime(11)));
}

INSTANTIATE_TEST_SUITE_P(Backends, OAuthStateRepositoryTest, ::ttads::testing::AllBackends(),
                         ::ttads::testing::BackendName);

}  // namespace
}  // namespace ttads::storage
