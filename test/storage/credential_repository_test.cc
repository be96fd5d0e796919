#include "storage/credential_repository.h"

#include <algorithm>

#include "gtest/gtest.h"
#include "storage/ad_account_repository.h"
#include "storage/uuid.h"
#include "test/storage/repository_test_util.h"

namespace ttads::storage {
namespace {

class CredentialRepositoryTest : public RepositoryTest {
 protected:
  std::string NewMultiAccountUser() {
    UserAccountRepository users(database());
    const std::string id = NewUser();
    UserAccountPatch patch;
    patch.multi_account_enabled = true;
    EXPECT_TRUE(users.Update(id, patch, TestTime()).ok());
    return id;
  }
  std::string NewAdAccount(const std::string& user) {
    AdAccountRepository accounts(database());
    AdAccount row;
    row.user_account_id = user;
    row.name = "acc";
    absl::StatusOr<AdAccount> created = accounts.Create(row, TestTime());
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? created->id : "";
  }
};

TEST_P(CredentialRepositoryTest, LegacyModeUsesTheUserRow) {
  UserAccountRepository users(database());
  CredentialRepository credentials(database());
  const std::string user = NewUser();
  EXPECT_EQ(credentials.Resolve(user, std::nullopt).status().code(),
            absl::StatusCode::kFailedPrecondition);
  TTADS_ASSERT_OK(users.SetTikTokCredentials(user, {"cipher", "k1", "adv-1", "ident-1"}, TestTime()));
  // An ad account id is ignored unless multi-account mode is on.
  for (const std::optional<std::string>& account :
       {std::optional<std::string>(), std::optional<std::string>(NewUuid())}) {
    absl::StatusOr<ResolvedCredentials> resolved = credentials.Resolve(user, account);
    ASSERT_TRUE(resolved.ok()) << resolved.status();
    EXPECT_EQ(resolved->source, CredentialTable::kUserAccounts);
    EXPECT_EQ(resolved->row_id, user);
    EXPECT_EQ(resolved->encrypted_token, "cipher");
    EXPECT_EQ(resolved->key_id, "k1");
    EXPECT_EQ(resolved->advertiser_id, "adv-1");
    EXPECT_EQ(resolved->identity_id, "ident-1");
    EXPECT_FALSE(resolved->needs_reauth);
  }
  EXPECT_EQ(credentials.Resolve(NewUuid(), std::nullopt).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_P(CredentialRepositoryTest, MultiAccountModeUsesTheAdAccountWithoutFallback) {
  UserAccountRepository users(database());
  AdAccountRepository accounts(database());
  CredentialRepository credentials(database());
  const std::string user = NewMultiAccountUser();
  TTADS_ASSERT_OK(users.SetTikTokCredentials(user, {"legacy", "k1", "adv-legacy", ""}, TestTime()));
  const std::string account = NewAdAccount(user);

  // The ad account has no credentials: no fallback to the legacy ones.
  EXPECT_EQ(credentials.Resolve(user, account).status().code(),
            absl::StatusCode::kFailedPrecondition);

  TTADS_ASSERT_OK(accounts.SetTikTokCredentials(user, account, {"acc", "k2", "adv-acc", "id-acc"},
                                                TestTime()));
  absl::StatusOr<ResolvedCredentials> resolved = credentials.Resolve(user, account);
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_EQ(resolved->source, CredentialTable::kAdAccounts);
  EXPECT_EQ(resolved->row_id, account);
  EXPECT_EQ(resolved->encrypted_token, "acc");
  EXPECT_EQ(resolved->advertiser_id, "adv-acc");
  EXPECT_EQ(resolved->identity_id, "id-acc");

  // Without an account id the legacy row is used.
  resolved = credentials.Resolve(user, std::nullopt);
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_EQ(resolved->encrypted_token, "legacy");

  // Someone else's ad account is not found, even with credentials on it.
  const std::string other = NewMultiAccountUser();
  EXPECT_EQ(credentials.Resolve(other, account).status().code(), absl::StatusCode::kNotFound);
}

TEST_P(CredentialRepositoryTest, KeyRotationListsAndComparesAndSets) {
  UserAccountRepository users(database());
  AdAccountRepository accounts(database());
  CredentialRepository credentials(database());
  const std::string user = NewUser();
  const std::string no_token_user = NewUser();
  const std::string account = NewAdAccount(user);
  TTADS_ASSERT_OK(users.SetTikTokCredentials(user, {"old-user", "k1", "adv", ""}, TestTime()));
  TTADS_ASSERT_OK(
      accounts.SetTikTokCredentials(user, account, {"old-acc", "k1", "adv", ""}, TestTime()));

  absl::StatusOr<std::vector<EncryptedToken>> tokens = credentials.ListEncryptedTokens();
  ASSERT_TRUE(tokens.ok()) << tokens.status();
  ASSERT_EQ(tokens->size(), 2u);
  const auto find = [&](CredentialTable table) {
    return std::find_if(tokens->begin(), tokens->end(),
                        [&](const EncryptedToken& token) { return token.table == table; });
  };
  ASSERT_NE(find(CredentialTable::kUserAccounts), tokens->end());
  EXPECT_EQ(find(CredentialTable::kUserAccounts)->id, user);
  EXPECT_EQ(find(CredentialTable::kUserAccounts)->ciphertext, "old-user");
  EXPECT_EQ(find(CredentialTable::kUserAccounts)->key_id, "k1");
  ASSERT_NE(find(CredentialTable::kAdAccounts), tokens->end());
  EXPECT_EQ(find(CredentialTable::kAdAccounts)->id, account);
  EXPECT_EQ(find(CredentialTable::kAdAccounts)->ciphertext, "old-acc");
  (void)no_token_user;

  absl::StatusOr<bool> replaced = credentials.ReplaceEncryptedToken(
      CredentialTable::kAdAccounts, account, "old-acc", "new-acc", "k2", TestTime(1));
  ASSERT_TRUE(replaced.ok()) << replaced.status();
  EXPECT_TRUE(*replaced);
  // A stale compare value changes nothing.
  replaced = credentials.ReplaceEncryptedToken(CredentialTable::kAdAccounts, account, "old-acc",
                                               "newer", "k3", TestTime(2));
  ASSERT_TRUE(replaced.ok());
  EXPECT_FALSE(*replaced);
  AdAccount read = *accounts.Get(account);
  EXPECT_EQ(read.tiktok_access_token, "new-acc");
  EXPECT_EQ(read.tiktok_token_key_id, "k2");
  EXPECT_EQ(read.updated_at, TestTime(1));
  // The user row was not touched.
  EXPECT_EQ(users.Get(user)->tiktok_access_token, "old-user");
  replaced = credentials.ReplaceEncryptedToken(CredentialTable::kUserAccounts, user, "old-user",
                                               "new-user", "k2", TestTime(1));
  ASSERT_TRUE(replaced.ok());
  EXPECT_TRUE(*replaced);
  EXPECT_EQ(users.Get(user)->tiktok_token_key_id, "k2");
}

INSTANTIATE_TEST_SUITE_P(Backends, CredentialRepositoryTest, ::ttads::testing::AllBackends(),
                         ::ttads::testing::BackendName);

}  // namespace
}  // namespace ttads::storage
