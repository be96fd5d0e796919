#include "server/oauth_state.h"

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"

namespace ttads::server {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1795000000);
constexpr char kUser[] = "9b2f6c1e-0000-4000-8000-000000000001";
constexpr char kAdAccount[] = "9b2f6c1e-0000-4000-8000-0000000000aa";

TEST(OAuthStateTest, IssuedStateParsesBack) {
  OAuthStateSigner signer("key");
  OAuthState issued;
  const std::string state = signer.Issue(kUser, kAdAccount, kNow, absl::Minutes(15), &issued);
  auto parsed = signer.Parse(state, kNow + absl::Minutes(1));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(parsed->signed_by_ttads);
  EXPECT_EQ(parsed->user_account_id, kUser);
  EXPECT_EQ(parsed->ad_account_id, kAdAccount);
  EXPECT_EQ(parsed->nonce, issued.nonce);
  EXPECT_EQ(parsed->nonce.size(), 32u);
}

TEST(OAuthStateTest, ExpiredStateIsRefused) {
  OAuthStateSigner signer("key");
  const std::string state = signer.Issue(kUser, "", kNow, absl::Minutes(15));
  auto parsed = signer.Parse(state, kNow + absl::Minutes(16));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(parsed.status().message().find("expired"), std::string::npos);
}

TEST(OAuthStateTest, ForgedOrForeignStateIsRefused) {
  const std::string state = OAuthStateSigner("other").Issue(kUser, "", kNow, absl::Minutes(15));
  EXPECT_FALSE(OAuthStateSigner("key").Parse(state, kNow).ok());
  // Swapping the user in the payload breaks the signature.
  const std::string genuine = OAuthStateSigner("key").Issue(kUser, "", kNow, absl::Minutes(15));
  const std::string forged_payload = absl::WebSafeBase64Escape(
      "s1|9b2f6c1e-0000-4000-8000-000000000002||00|1895000000");
  const std::string forged = forged_payload + genuine.substr(genuine.find('.'));
  EXPECT_FALSE(OAuthStateSigner("key").Parse(forged, kNow).ok());
}

TEST(OAuthStateTest, LegacyUnsignedStateIsReadButMarkedUnsigned) {
  const std::string json = R"({"user_id":")" + std::string(kUser) +
                           R"(","ad_account_id":")" + kAdAccount + R"(","ts":1795000000000})";
  // The old frontend percent-encodes the base64 (encodeURIComponent).
  std::string base64 = absl::Base64Escape(json);
  std::string encoded;
  for (char c : base64) encoded += c == '=' ? std::string("%3D") : std::string(1, c);
  auto parsed = OAuthStateSigner("key").Parse(encoded, kNow);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_FALSE(parsed->signed_by_ttads);
  EXPECT_EQ(parsed->user_account_id, kUser);
  EXPECT_EQ(parsed->ad_account_id, kAdAccount);

  auto uid = OAuthStateSigner("key").Parse(absl::Base64Escape(R"({"uid":"abc"})"), kNow);
  ASSERT_TRUE(uid.ok());
  EXPECT_EQ(uid->user_account_id, "abc");
}

TEST(OAuthStateTest, GarbageIsInvalidArgument) {
  for (const char* state : {"", "%%%", "bm90IGpzb24=", "e30="}) {  // "not json", "{}"
    auto parsed = OAuthStateSigner("key").Parse(state, kNow);
    ASSERT_FALSE(parsed.ok()) << state;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << state;
  }
}

}  // namespace
}  // namespace ttads::server
