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

// Found by fuzz/jwt_fuzz (fuzz/corpus/jwt_fuzz/regression_signjwt_control_char): SignJwt wrote
// the user id with C escapes, which JSON does not have, so these ids made tokens that never
// verified.
TEST(JwtTest, SignedTokenVerifiesForAnyUserIdText) {
  for (const std::string& user_id :
       {std::string("user \"quoted\x01\"\\name"), std::string("o'brien"),
        std::string("пользователь-1"), std::string("tab\there\nnewline")}) {
    const std::string token = SignJwt({user_id, kNow + absl::Hours(1)}, "s3cret", kNow);
    auto claims = VerifyJwt(token, "s3cret", kNow);
    ASSERT_TRUE(claims.ok()) << user_id << ": " << claims.status();
    EXPECT_EQ(claims->user_id, user_id);
  }
}

// Found by fuzz/jwt_fuzz (fuzz/corpus/jwt_fuzz/regression_malformed_claims_after_user_id): a
// signed payload whose JSON breaks after userId made the exp lookup fail, which read as "no exp",
// and the nbf lookup then ran on simdjson's dead iterator (a null parser dereference).
TEST(JwtTest, MalformedPayloadAfterTheUserIdIsRefused) {
  const std::string header = R"({"alg":"HS256","typ":"JWT"})";
  for (const char* payload : {R"({"userId":"u1":1795599000})",
                              R"({"userId":"u1","x":1:2,"exp":1700000000})"}) {
    EXPECT_FALSE(VerifyJwt(Token(header, payload, "k"), "k", kNow).ok()) << payload;
  }
}

// Found by fuzz/jwt_fuzz (fuzz/corpus/jwt_fuzz/regression_exp_beyond_int64): an exp or nbf
// beyond int64 seconds was converted from double to int64, which is undefined behaviour (UBSan:
// float-cast-overflow). Such dates are refused.
TEST(JwtTest, DatesBeyondInt64SecondsAreRefused) {
  const std::string header = R"({"alg":"HS256","typ":"JWT"})";
  for (const char* payload : {R"({"userId":"u1","exp":1e300})", R"({"userId":"u1","nbf":-1e300})",
                              R"({"userId":"u1","exp":17999999999999999999999})"}) {
    EXPECT_FALSE(VerifyJwt(Token(header, payload, "k"), "k", kNow).ok()) << payload;
  }
}

}  // namespace
}  // namespace ttads::server
