#include "storage/time_format.h"

#include "gtest/gtest.h"

namespace ttads::storage {
namespace {

TEST(TimeFormatTest, FormatsIsoUtcWithMilliseconds) {
  const absl::Time time = absl::FromUnixMillis(1764057600123);  // 2025-11-25T08:00:00.123Z
  EXPECT_EQ(FormatTimestamp(time), "2025-11-25T08:00:00.123Z");
}

TEST(TimeFormatTest, ReadsEveryDatabaseSpelling) {
  const absl::Time expected = absl::FromUnixSeconds(1764057600);
  for (const char* text : {"2025-11-25T08:00:00.000Z", "2025-11-25 08:00:00",
                           "2025-11-25 08:00:00+00", "2025-11-25 13:00:00+05",
                           "2025-11-25 13:30:00+05:30", "2025-11-25T08:00:00Z"}) {
    auto parsed = ParseTimestamp(text);
    ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.status();
    EXPECT_EQ(*parsed, expected) << text;
  }
  auto fractional = ParseTimestamp("2025-11-25 08:00:00.123456+00");
  ASSERT_TRUE(fractional.ok());
  EXPECT_EQ(absl::ToUnixMicros(*fractional), 1764057600123456);
}

TEST(TimeFormatTest, RejectsGarbage) {
  EXPECT_FALSE(ParseTimestamp("yesterday").ok());
  EXPECT_FALSE(ParseTimestamp("").ok());
}

}  // namespace
}  // namespace ttads::storage
