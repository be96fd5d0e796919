#include "storage/api_key_repository.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "storage/uuid.h"
#include "test/storage/repository_test_util.h"

namespace ttads::storage {
namespace {

class ApiKeyRepositoryTest : public RepositoryTest {
 protected:
  ApiKey NewKey(const std::string& user, const std::string& hash, absl::Time at = TestTime()) {
    ApiKeyRepository keys(database());
    ApiKey row;
    row.user_account_id = user;
    row.name = "ci";
    row.prefix = "ttads_abcdefgh";
    row.key_hash = hash;
    absl::StatusOr<ApiKey> created = keys.Create(row, at);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : ApiKey{};
  }
};

TEST_P(ApiKeyRepositoryTest, CreateFindRevoke) {
  ApiKeyRepository keys(database());
  const std::string user = NewUser();
  const ApiKey key = NewKey(user, "hash-1");
  ASSERT_TRUE(IsUuid(key.id));
  EXPECT_EQ(key.prefix, "ttads_abcdefgh");
  EXPECT_EQ(key.created_at, TestTime());
  EXPECT_EQ(key.last_used_at, std::nullopt);
  EXPECT_EQ(key.revoked_at, std::nullopt);

  absl::StatusOr<ApiKey> found = keys.FindActiveByHash("hash-1");
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->id, key.id);
  EXPECT_EQ(found->user_account_id, user);
  absl::StatusOr<ApiKey> unknown = keys.FindActiveByHash("hash-2");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(unknown.status().message().find("hash-2"), std::string::npos);

  TTADS_ASSERT_OK(keys.TouchLastUsed(key.id, TestTime(1)));
  EXPECT_EQ(keys.FindActiveByHash("hash-1")->last_used_at, TestTime(1));

  TTADS_ASSERT_OK(keys.Revoke(key.id, TestTime(2)));
  TTADS_ASSERT_OK(keys.Revoke(key.id, TestTime(3)));  // idempotent
  absl::StatusOr<ApiKey> revoked = keys.Get(key.id);  // Get still sees a revoked key
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_EQ(revoked->revoked_at, TestTime(2));
  EXPECT_EQ(revoked->key_hash, "hash-1");
  EXPECT_EQ(keys.Get(NewUuid()).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(keys.FindActiveByHash("hash-1").status().code(), absl::StatusCode::kNotFound);
  absl::StatusOr<std::vector<ApiKey>> listed = keys.ListForUser(user);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].revoked_at, TestTime(2));  // the first revocation is kept

  EXPECT_EQ(keys.Revoke(NewUuid(), TestTime()).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(keys.TouchLastUsed(NewUuid(), TestTime()).code(), absl::StatusCode::kNotFound);
}

TEST_P(ApiKeyRepositoryTest, DuplicateHashAndMissingUser) {
  ApiKeyRepository keys(database());
  const std::string user = NewUser();
  NewKey(user, "same");
  ApiKey row;
  row.user_account_id = NewUser("other");
  row.name = "n";
  row.prefix = "p";
  row.key_hash = "same";
  EXPECT_EQ(keys.Create(row, TestTime()).status().code(), absl::StatusCode::kAlreadyExists);
  row.key_hash = "different";
  row.user_account_id = NewUuid();
  EXPECT_EQ(keys.Create(row, TestTime()).status().code(), absl::StatusCode::kNotFound);
}

TEST_P(ApiKeyRepositoryTest, ListForUserAndListAllPages) {
  ApiKeyRepository keys(database());
  const std::string a = NewUser("a");
  const std::string b = NewUser("b");
  std::set<std::string> all;
  for (int i = 0; i < 3; ++i) all.insert(NewKey(a, absl::StrCat("a", i), TestTime(i)).id);
  for (int i = 0; i < 4; ++i) all.insert(NewKey(b, absl::StrCat("b", i), TestTime(i)).id);

  absl::StatusOr<std::vector<ApiKey>> of_a = keys.ListForUser(a);
  ASSERT_TRUE(of_a.ok());
  ASSERT_EQ(of_a->size(), 3u);
  EXPECT_EQ((*of_a)[0].key_hash, "a2");  // newest first
  for (const ApiKey& key : *of_a) EXPECT_EQ(key.user_account_id, a);

  std::set<std::string> seen;
  PageRequest request{.page_token = "", .page_size = 3};
  int pages = 0;
  do {
    absl::StatusOr<Page<ApiKey>> page = keys.ListAll(request);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const ApiKey& key : page->items) EXPECT_TRUE(seen.insert(key.id).second);
    request.page_token = page->next_page_token;
    ++pages;
  } while (!request.page_token.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, all);
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiKeyRepositoryTest, ::ttads::testing::AllBackends(),
                         ::ttads::testing::BackendName);

}  // namespace
}  // namespace ttads::storage
