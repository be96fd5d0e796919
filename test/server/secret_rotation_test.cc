#include "server/secret_rotation.h"

#include "gtest/gtest.h"
#include "storage/ad_account_repository.h"
#include "storage/user_account_repository.h"
#include "test/test_database.h"

namespace ttads::server {
namespace {

using ::ttads::testing::ScratchDatabase;
using ::ttads::testing::TestBackend;

constexpr char kOldKey[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const absl::Time kNow = absl::FromUnixSeconds(1795000000);

class SecretRotationTest : public ::testing::TestWithParam<TestBackend> {
 protected:
  void SetUp() override { TTADS_SCRATCH_DATABASE(scratch_, GetParam()); }
  std::unique_ptr<ScratchDatabase> scratch_;
};

TEST_P(SecretRotationTest, ReencryptsEveryTokenAndCanRunAgain) {
  storage::UserAccountRepository users(scratch_->database());
  storage::AdAccountRepository ad_accounts(scratch_->database());
  const SecretBox old_box = *SecretBox::FromKeyText(kOldKey);
  auto user = users.Create({}, kNow);
  ASSERT_TRUE(user.ok()) << user.status();
  ASSERT_TRUE(users.SetTikTokCredentials(
      user->id, {*old_box.Encrypt("legacy-token"), old_box.key_id(), "7000000000000000001", ""},
      kNow).ok());
  storage::AdAccount row;
  row.user_account_id = user->id;
  row.name = "KZ";
  auto ad_account = ad_accounts.Create(row, kNow);
  ASSERT_TRUE(ad_account.ok());
  ASSERT_TRUE(ad_accounts.SetTikTokCredentials(
      user->id, ad_account->id,
      {*old_box.Encrypt("ad-account-token"), old_box.key_id(), "7000000000000000002", ""},
      kNow).ok());

  const std::string new_key = SecretBox::GenerateKeyText();
  const SecretBox rotating = *SecretBox::FromKeyText(new_key, {kOldKey});
  auto report = RotateSecretKey(scratch_->database(), rotating, kNow);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->reencrypted, 2);

  // Only the new key is needed from now on.
  const SecretBox new_only = *SecretBox::FromKeyText(new_key);
  auto legacy = users.Get(user->id);
  ASSERT_TRUE(legacy.ok());
  EXPECT_EQ(*new_only.Decrypt(*legacy->tiktok_access_token), "legacy-token");
  EXPECT_EQ(legacy->tiktok_token_key_id, new_only.key_id());
  auto stored = ad_accounts.Get(ad_account->id);
  EXPECT_EQ(*new_only.Decrypt(*stored->tiktok_access_token), "ad-account-token");

  auto again = RotateSecretKey(scratch_->database(), rotating, kNow);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->reencrypted, 0);
  EXPECT_EQ(again->already_current, 2);
}

TEST_P(SecretRotationTest, StopsWhenATokenWasMadeWithAnUnknownKey) {
  storage::UserAccountRepository users(scratch_->database());
  const SecretBox stranger = *SecretBox::FromKeyText(SecretBox::GenerateKeyText());
  auto user = users.Create({}, kNow);
  ASSERT_TRUE(users.SetTikTokCredentials(
      user->id, {*stranger.Encrypt("t"), stranger.key_id(), "7000000000000000001", ""}, kNow).ok());
  const SecretBox rotating = *SecretBox::FromKeyText(SecretBox::GenerateKeyText(), {kOldKey});
  auto report = RotateSecretKey(scratch_->database(), rotating, kNow);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), absl::StatusCode::kFailedPrecondition);
}

INSTANTIATE_TEST_SUITE_P(Backends, SecretRotationTest, ::ttads::testing::AllBackends(),
                         ::ttads::testing::BackendName);

}  // namespace
}  // namespace ttads::server
