#include "storage/page_token.h"

#include <set>

#include "absl/strings/ascii.h"
#include "gtest/gtest.h"
#include "storage/uuid.h"

namespace ttads::storage {
namespace {

TEST(UuidTest, NewUuidIsVersion4LowercaseAndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = NewUuid();
    ASSERT_TRUE(IsUuid(id)) << id;
    EXPECT_EQ(id[14], '4') << id;
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
    EXPECT_EQ(id, absl::AsciiStrToLower(id));
    EXPECT_TRUE(seen.insert(id).second);
  }
}

TEST(UuidTest, IsUuidChecksTheShape) {
  EXPECT_TRUE(IsUuid("6f1c1a52-3b0e-4c8e-9d43-5f0a0e2b9a01"));
  EXPECT_TRUE(IsUuid("6F1C1A52-3B0E-4C8E-9D43-5F0A0E2B9A01"));
  EXPECT_FALSE(IsUuid(""));
  EXPECT_FALSE(IsUuid("6f1c1a52-3b0e-4c8e-9d43-5f0a0e2b9a0"));    // short
  EXPECT_FALSE(IsUuid("6f1c1a52-3b0e-4c8e-9d43-5f0a0e2b9a011"));  // long
  EXPECT_FALSE(IsUuid("6f1c1a52x3b0e-4c8e-9d43-5f0a0e2b9a01"));   // separator
  EXPECT_FALSE(IsUuid("6f1c1a52-3b0e-4c8e-9d43-5f0a0e2b9a0g"));   // not hex
  EXPECT_FALSE(IsUuid("' OR 1=1 --"));
  absl::StatusOr<std::string> canonical =
      CanonicalUuid("id", "6F1C1A52-3B0E-4C8E-9D43-5F0A0E2B9A01");
  ASSERT_TRUE(canonical.ok());
  EXPECT_EQ(*canonical, "6f1c1a52-3b0e-4c8e-9d43-5f0a0e2b9a01");
  absl::StatusOr<std::string> bad = CanonicalUuid("direction_id", "nope");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("direction_id"), std::string::npos);
}

TEST(PageTokenTest, RoundTripsTheCursor) {
  for (const char* created_at : {"2026-11-25T08:00:00.123Z", "2026-11-25 08:00:00.123456+00"}) {
    const PageCursor cursor{created_at, "6f1c1a52-3b0e-4c8e-9d43-5f0a0e2b9a01"};
    const std::string token = EncodePageToken(cursor);
    EXPECT_EQ(token.find_first_of("+/"), std::string::npos) << token;
    absl::StatusOr<PageCursor> decoded = DecodePageToken(token);
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_EQ(decoded->created_at, cursor.created_at);
    EXPECT_EQ(decoded->id, cursor.id);
  }
}

TEST(PageTokenTest, RejectsGarbage) {
  const std::string valid =
      EncodePageToken({"2026-11-25T08:00:00.123Z", "6f1c1a52-3b0e-4c8e-9d43-5f0a0e2b9a01"});
  for (const std::string& token :
       {std::string("!!!"), std::string("abc"), valid.substr(0, valid.size() - 4),
        EncodePageToken({"yesterday", "6f1c1a52-3b0e-4c8e-9d43-5f0a0e2b9a01"}),
        EncodePageToken({"2026-11-25T08:00:00.123Z", "not-a-uuid"}), std::string(1000, 'A')}) {
    absl::StatusOr<PageCursor> decoded = DecodePageToken(token);
    ASSERT_FALSE(decoded.ok()) << token;
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(decoded.status().message(), "page_token: malformed");
  }
}

TEST(PageTokenTest, ClampsPageSizes) {
  EXPECT_EQ(ClampPageSize(0), 50);
  EXPECT_EQ(ClampPageSize(-3), 50);
  EXPECT_EQ(ClampPageSize(1), 1);
  EXPECT_EQ(ClampPageSize(500), 500);
  EXPECT_EQ(ClampPageSize(501), 500);
}

}  // namespace
}  // namespace ttads::storage
