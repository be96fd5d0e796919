// Shared pieces of the repository tests: a fixture with a fresh migrated database per test (on
// SQLite and PostgreSQL), a fixed clock, and helpers that create the rows other rows hang on.
#ifndef TTADS_TEST_STORAGE_REPOSITORY_TEST_UTIL_H_
#define TTADS_TEST_STORAGE_REPOSITORY_TEST_UTIL_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "storage/user_account_repository.h"
#include "test/test_database.h"

namespace ttads::storage {

#define TTADS_ASSERT_OK(expr)                         \
  do {                                                \
    const absl::Status ttads_status_ = (expr);        \
    ASSERT_TRUE(ttads_status_.ok()) << ttads_status_; \
  } while (false)
#define TTADS_EXPECT_OK(expr)                         \
  do {                                                \
    const absl::Status ttads_status_ = (expr);        \
    EXPECT_TRUE(ttads_status_.ok()) << ttads_status_; \
  } while (false)

// A fixed instant with milliseconds, so a round trip through either database is exact.
inline absl::Time TestTime(int minutes_after = 0) {
  return absl::FromCivil(absl::CivilSecond(2026, 11, 25, 8, 0, 0), absl::UTCTimeZone()) +
         absl::Milliseconds(123) + absl::Minutes(minutes_after);
}

class RepositoryTest : public ::testing::TestWithParam<::ttads::testing::TestBackend> {
 protected:
  void SetUp() override { TTADS_SCRATCH_DATABASE(scratch_, GetParam()); }

  Database& database() { return scratch_->database(); }

  // A new user account; fails the test when it cannot be made.
  std::string NewUser(const std::string& username = "user") {
    UserAccountRepository users(database());
    const UserAccount row{.username = username};
    absl::StatusOr<UserAccount> created = users.Create(row, TestTime());
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? created->id : std::string();
  }

  std::unique_ptr<::ttads::testing::ScratchDatabase> scratch_;
};

}  // namespace ttads::storage

#endif  // TTADS_TEST_STORAGE_REPOSITORY_TEST_UTIL_H_
