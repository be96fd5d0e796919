#include "server/secret_box.h"

#include "gtest/gtest.h"

namespace ttads::server {
namespace {

constexpr char kKeyA[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

TEST(SecretBoxTest, RoundTripsAndNamesItsKey) {
  auto box = SecretBox::FromKeyText(kKeyA);
  ASSERT_TRUE(box.ok()) << box.status();
  auto sealed = box->Encrypt("act.secret-token");
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed->find("act.secret-token"), std::string::npos);
  EXPECT_EQ(*SecretBox::KeyIdOf(*sealed), box->key_id());
  EXPECT_EQ(*box->Decrypt(*sealed), "act.secret-token");
}

TEST(SecretBoxTest, SamePlaintextEncryptsDifferentlyEachTime) {
  auto box = SecretBox::FromKeyText(kKeyA);
  EXPECT_NE(*box->Encrypt("x"), *box->Encrypt("x"));
}

TEST(SecretBoxTest, DetectsTampering) {
  auto box = SecretBox::FromKeyText(kKeyA);
  std::string sealed = *box->Encrypt("token");
  sealed[sealed.size() - 3] = sealed[sealed.size() - 3] == 'A' ? 'B' : 'A';
  auto opened = box->Decrypt(sealed);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kDataLoss);
}

TEST(SecretBoxTest, UnknownKeyIsAFailedPrecondition) {
  auto a = SecretBox::FromKeyText(kKeyA);
  auto b = SecretBox::FromKeyText(SecretBox::GenerateKeyText());
  auto opened = b->Decrypt(*a->Encrypt("token"));
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(SecretBoxTest, PreviousKeysStillDecryptDuringRotation) {
  auto old_box = SecretBox::FromKeyText(kKeyA);
  const std::string sealed = *old_box->Encrypt("token");
  auto rotated = SecretBox::FromKeyText(SecretBox::GenerateKeyText(), {kKeyA});
  ASSERT_TRUE(rotated.ok());
  EXPECT_EQ(*rotated->Decrypt(sealed), "token");
  EXPECT_NE(*SecretBox::KeyIdOf(*rotated->Encrypt("token")), old_box->key_id());
}

TEST(SecretBoxTest, AcceptsHexAndBase64KeysOnly) {
  EXPECT_TRUE(SecretBox::FromKeyText("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=").ok());
  EXPECT_EQ(SecretBox::FromKeyText("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")->key_id(),
            SecretBox::FromKeyText(kKeyA)->key_id());
  EXPECT_FALSE(SecretBox::FromKeyText("short").ok());
  EXPECT_FALSE(SecretBox::FromKeyText("").ok());
}

TEST(SecretBoxTest, RejectsForeignFormats) {
  auto box = SecretBox::FromKeyText(kKeyA);
  EXPECT_EQ(box->Decrypt("plain-token").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(SecretBox::KeyIdOf("v2:abcdefgh:xxxx").ok());
}

}  // namespace
}  // namespace ttads::server
