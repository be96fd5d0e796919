#include "server/jwt.h"

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"
#include "server/crypto_util.h"

namespace ttads::server {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1795000000);

// Builds a token from raw header/payload JSON, signed with `secret`.
std::string Token(const std::string& header, const std::string& payload,
                  const std::string& secret) {
  const std::string input =
      absl::WebSafeBase64Escape(header) + "." + absl::WebSafeBase64Escape(payload);
  return input + "." + absl::WebSafeBase64Escape(HmacSha256(secret, input));
}

TEST(JwtTest, SignedTokenVerifies) {
  const std::string token = SignJwt({"9b2f6c1e-0000-4000-8000-000000000001", kNow + absl::Hours(1)},
                                    "s3cret", kNow);
  auto claims = VerifyJwt(token, "s3cret", kNow);
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->user_id, "9b2f6c1e-0000-4000-8000-000000000001");
}

TEST(JwtTest, WrongSecretIsRefused) {
  const std::string token = SignJwt({"u1", absl::InfiniteFuture()}, "s3cret", kNow);
  auto claims = VerifyJwt(token, "other", kNow);
  ASSERT_FALSE(claims.ok());
  EXPECT_EQ(claims.status().code(), absl::StatusCode::kUnauthenticated);
}

TEST(JwtTest, ExpiredTokenIsRefused) {
  const std::string token = SignJwt({"u1", kNow - absl::Minutes(5)}, "s3cret", kNow);
  EXPECT_FALSE(VerifyJwt(token, "s3cret", kNow).ok());
  EXPECT_TRUE(VerifyJwt(token, "s3cret", kNow - absl::Minutes(10)).ok());
}

TEST(JwtTest, AlgorithmNoneAndOthersAreRefused) {
  for (const char* header : {R"({"alg":"none"})", R"({"alg":"HS512"})", R"({"alg":"RS256"})"}) {
    const std::string token = Token(header, R"({"userId":"u1"})", "s3cret");
    EXPECT_FALSE(VerifyJwt(token, "s3cret", kNow).ok()) << header;
  }
}

TEST(JwtTest, MissingOrNonStringUserIdIsRefused) {
  const std::string header = R"({"alg":"HS256","typ":"JWT"})";
  EXPECT_FALSE(VerifyJwt(Token(header, R"({"sub":"u1"})", "k"), "k", kNow).ok());
  EXPECT_FALSE(VerifyJwt(Token(header, R"({"userId":42})", "k"), "k", kNow).ok());
  EXPECT_FALSE(VerifyJwt(Token(header, R"([1,2])", "k"), "k", kNow).ok());
  EXPECT_FALSE(VerifyJwt(Token(header, R"({"userId":"u1","exp":"soon"})", "k"), "k", kNow).ok());
}

TEST(JwtTest, NoSecretConfiguredMeansNoJwt) {
  const std::string token = SignJwt({"u1", absl::InfiniteFuture()}, "", kNow);
  EXPECT_FALSE(VerifyJwt(token, "", kNow).ok());
}

TEST(JwtTest, GarbageIsRefused) {
  for (const char* token : {"", "a.b", "a.b.c.d", "!!!.###.$$$"}) {
    EXPECT_FALSE(VerifyJwt(token, "k", kNow).ok()) << token;
  }
}

}  // namespace
}  // namespace ttads::server
