// A fixture for driving a core directly (no gRPC) on SQLite and PostgreSQL: a fresh migrated
// database, the idempotency guard and auditor every core takes, a fake clock, two users, and
// helpers to make rows and read what a call recorded.
#ifndef TTADS_TEST_SERVER_CORE_TEST_BASE_H_
#define TTADS_TEST_SERVER_CORE_TEST_BASE_H_

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "server/audit.h"
#include "server/clock.h"
#include "server/idempotency.h"
#include "server/rpc_status.h"
#include "storage/ad_account_repository.h"
#include "storage/audit_log_repository.h"
#include "storage/idempotency_repository.h"
#include "storage/user_account_repository.h"
#include "test/test_database.h"

namespace ttads::testing {

// Field names of the violations an INVALID_ARGUMENT carries.
inline std::set<std::string> FieldsOf(const absl::Status& status) {
  std::set<std::string> fields;
  for (const server::FieldViolation& violation : server::FieldViolationsOf(status)) {
    fields.insert(violation.field);
  }
  return fields;
}

// `Core` is constructed as Core(database, guard, auditor, clock).
template <typename Core>
class CoreTestBase : public ::testing::TestWithParam<TestBackend> {
 protected:
  void SetUp() override {
    TTADS_SCRATCH_DATABASE(scratch_, GetParam());
    storage::Database& db = scratch_->database();
    records_ = std::make_unique<storage::IdempotencyRepository>(db);
    guard_ = std::make_unique<server::IdempotencyGuard>(*records_, clock_);
    audit_log_ = std::make_unique<storage::AuditLogRepository>(db);
    auditor_ = std::make_unique<server::Auditor>(*audit_log_, clock_);
    core_ = std::make_unique<Core>(db, *guard_, *auditor_, clock_);
    user_a_ = NewUser("a");
    user_b_ = NewUser("b");
  }

  storage::Database& database() { return scratch_->database(); }

  std::string NewUser(const std::string& name) {
    storage::UserAccountRepository users(database());
    storage::UserAccount row;
    row.username = name;
    absl::StatusOr<storage::UserAccount> created = users.Create(row, clock_.Now());
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? created->id : "";
  }

  std::string NewAdAccount(const std::string& user) {
    storage::AdAccountRepository accounts(database());
    storage::AdAccount row;
    row.user_account_id = user;
    row.name = "advertiser";
    absl::StatusOr<storage::AdAccount> created = accounts.Create(row, clock_.Now());
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? created->id : "";
  }

  // The user's audit entries, newest first.
  std::vector<storage::AuditEntry> AuditOf(const std::string& user) {
    absl::StatusOr<storage::Page<storage::AuditEntry>> page =
        audit_log_->ListForUser(user, storage::PageRequest{"", 500});
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? page->items : std::vector<storage::AuditEntry>{};
  }

  server::FakeClock clock_{
      absl::FromCivil(absl::CivilSecond(2026, 11, 25, 8, 0, 0), absl::UTCTimeZone())};
  std::unique_ptr<ScratchDatabase> scratch_;
  std::unique_ptr<storage::IdempotencyRepository> records_;
  std::unique_ptr<server::IdempotencyGuard> guard_;
  std::unique_ptr<storage::AuditLogRepository> audit_log_;
  std::unique_ptr<server::Auditor> auditor_;
  std::unique_ptr<Core> core_;
  std::string user_a_;
  std::string user_b_;
};

}  // namespace ttads::testing

#endif  // TTADS_TEST_SERVER_CORE_TEST_BASE_H_
