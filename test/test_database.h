// A fresh, migrated database for each test, on SQLite (a temporary file) or on the PostgreSQL
// server named by TTADS_TEST_PG_URL (a schema of its own, dropped afterwards).
#ifndef TTADS_TEST_TEST_DATABASE_H_
#define TTADS_TEST_TEST_DATABASE_H_

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "storage/database.h"

namespace ttads::testing {

// The backends a parameterised storage test runs on.
enum class TestBackend { kSqlite, kPostgres };
std::string BackendName(const ::testing::TestParamInfo<TestBackend>& info);

// Both backends, for INSTANTIATE_TEST_SUITE_P.
inline auto AllBackends() {
  return ::testing::Values(TestBackend::kSqlite, TestBackend::kPostgres);
}

// Owns one isolated database. PostgreSQL: TTADS_TEST_PG_URL unset skips the test (a developer's
// plain `ctest`); set but unreachable fails it, so CI cannot pass by skipping.
class ScratchDatabase {
 public:
  // Creates the database and applies every embedded migration unless `migrate` is false.
  static std::unique_ptr<ScratchDatabase> Create(TestBackend backend, bool migrate = true);
  ~ScratchDatabase();

  storage::Database& database() { return *database_; }
  // The TTADS_DATABASE_URL-style target the database was opened with (a server test opens its
  // own pool on it).
  const storage::DatabaseTarget& target() const { return target_; }
  // The database as a TTADS_DATABASE_URL (for starting a server on it).
  const std::string& url() const { return url_; }
  // A second, independent pool on the same database (to test concurrent replicas).
  std::unique_ptr<storage::Database> OpenAnother() const;

 private:
  ScratchDatabase() = default;
  storage::DatabaseTarget target_;
  std::string url_;
  std::string sqlite_dir_;
  std::string pg_schema_;
  std::string pg_admin_connect_;
  std::unique_ptr<storage::Database> database_;
};

// True when TTADS_TEST_PG_URL is set.
bool PostgresConfigured();

// In a test's SetUp: skips a PostgreSQL test when TTADS_TEST_PG_URL is unset, otherwise creates
// `var` (a std::unique_ptr<ScratchDatabase>) and fails the test when that is impossible.
#define TTADS_SCRATCH_DATABASE_IMPL(var, backend, migrate)                                \
  do {                                                                                    \
    if ((backend) == ::ttads::testing::TestBackend::kPostgres &&                          \
        !::ttads::testing::PostgresConfigured()) {                                        \
      GTEST_SKIP() << "TTADS_TEST_PG_URL is not set (./tools/test starts PostgreSQL)";   \
    }                                                                                     \
    var = ::ttads::testing::ScratchDatabase::Create(backend, migrate);                    \
    ASSERT_NE(var, nullptr);                                                              \
  } while (false)
#define TTADS_SCRATCH_DATABASE(var, backend) TTADS_SCRATCH_DATABASE_IMPL(var, backend, true)
#define TTADS_SCRATCH_DATABASE_UNMIGRATED(var, backend) \
  TTADS_SCRATCH_DATABASE_IMPL(var, backend, false)

}  // namespace ttads::testing

#endif  // TTADS_TEST_TEST_DATABASE_H_
