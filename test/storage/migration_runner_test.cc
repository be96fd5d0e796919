#include "storage/migration_runner.h"

#include <set>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "test/test_database.h"

namespace ttads::storage {
namespace {

using ::ttads::testing::ScratchDatabase;
using ::ttads::testing::TestBackend;

TEST(MigrationTextTest, SplitsStatementsAndDropsComments) {
  const auto statements = SplitStatements(
      "-- heading\nCREATE TABLE a (\n  x INTEGER -- trailing\n);\n\nINSERT INTO a VALUES (1);\n");
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[0], "CREATE TABLE a (\n  x INTEGER -- trailing\n)");
  EXPECT_EQ(statements[1], "INSERT INTO a VALUES (1)");
}

TEST(MigrationTextTest, RendersDialectTokens) {
  const std::string sql = "id {{UUID}}, at {{TIMESTAMPTZ}} DEFAULT {{NOW}}, j {{JSON}}, d {{DATE}}";
  EXPECT_EQ(RenderSql(sql, Backend::kPostgres),
            "id UUID, at TIMESTAMPTZ DEFAULT now(), j JSONB, d DATE");
  EXPECT_EQ(RenderSql(sql, Backend::kSqlite),
            "id TEXT, at TEXT DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), j TEXT, d TEXT");
}

TEST(MigrationTextTest, EmbeddedMigrationsAreNumberedFromOneWithoutGaps) {
  const auto& migrations = EmbeddedMigrations();
  ASSERT_FALSE(migrations.empty());
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    EXPECT_EQ(migrations[i].version, static_cast<int>(i) + 1) << migrations[i].name;
  }
}

class MigrationRunnerTest : public ::testing::TestWithParam<TestBackend> {
 protected:
  void SetUp() override { TTADS_SCRATCH_DATABASE_UNMIGRATED(scratch_, GetParam()); }
  std::unique_ptr<ScratchDatabase> scratch_;
};

// Every table the reference and the seed name, plus ttads's own.
const std::set<std::string> kExpectedTables = {
    "user_accounts", "ad_accounts", "account_directions", "default_ad_settings",
    "whatsapp_phone_numbers", "direction_tiktok_adgroups", "user_creatives",
    "ad_creative_mapping", "campaign_reports", "brain_executions", "agent_executions",
    "agent_actions", "agent_logs", "creative_metrics_history", "currency_rates", "batch_locks",
    "api_keys", "idempotency_records", "audit_log", "oauth_state_uses", "schema_migrations"};

std::set<std::string> ListTables(Database& database) {
  std::set<std::string> tables;
  const absl::Status status = database.Run([&](soci::session& session) {
    const std::string query =
        database.backend() == Backend::kSqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'table'"
            : "SELECT table_name FROM information_schema.tables WHERE table_schema = "
              "current_schema()";
    soci::rowset<std::string> rows = session.prepare << query;
    for (const std::string& name : rows) tables.insert(name);
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
  return tables;
}

TEST_P(MigrationRunnerTest, AppliesEveryMigrationOnceAndRecordsIt) {
  Database& database = scratch_->database();
  auto first = ApplyMigrations(database, EmbeddedMigrations());
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->applied.size(), EmbeddedMigrations().size());
  EXPECT_EQ(first->current_version, EmbeddedMigrations().back().version);

  const std::set<std::string> tables = ListTables(database);
  for (const std::string& table : kExpectedTables) {
    EXPECT_TRUE(tables.count(table)) << "missing table " << table;
  }

  auto second = ApplyMigrations(database, EmbeddedMigrations());
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_TRUE(second->applied.empty());
  EXPECT_EQ(second->current_version, first->current_version);
}

TEST_P(MigrationRunnerTest, SeedsTheUsdToKztRate) {
  ASSERT_TRUE(ApplyMigrations(scratch_->database(), EmbeddedMigrations()).ok());
  double rate = 0;
  const absl::Status status = scratch_->database().Run([&](soci::session& session) {
    session << "SELECT rate FROM currency_rates WHERE from_currency = 'USD' AND to_currency = 'KZT'",
        soci::into(rate);
    return absl::OkStatus();
  });
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_DOUBLE_EQ(rate, 530.0);
}

TEST_P(MigrationRunnerTest, RefusesAnEditedAppliedMigration) {
  std::vector<Migration> migrations = {{1, "one", "CREATE TABLE one_t (x INTEGER);"}};
  ASSERT_TRUE(ApplyMigrations(scratch_->database(), migrations).ok());
  migrations[0].sql = "CREATE TABLE one_t (x INTEGER, y INTEGER);";
  auto result = ApplyMigrations(scratch_->database(), migrations);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(result.status().message().find("001_one"), std::string::npos);
}

TEST_P(MigrationRunnerTest, FailedMigrationLeavesNothingBehind) {
  const std::vector<Migration> migrations = {
      {1, "good", "CREATE TABLE good_t (x INTEGER);"},
      {2, "bad", "CREATE TABLE half_t (x INTEGER);\nTHIS IS NOT SQL;"}};
  auto result = ApplyMigrations(scratch_->database(), migrations);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("002_bad"), std::string::npos) << result.status();
  const std::set<std::string> tables = ListTables(scratch_->database());
  EXPECT_TRUE(tables.count("good_t"));
  EXPECT_FALSE(tables.count("half_t")) << "the failed migration's first statement was kept";

  auto fixed = ApplyMigrations(scratch_->database(),
                               {migrations[0], {2, "bad", "CREATE TABLE half_t (x INTEGER);"}});
  ASSERT_TRUE(fixed.ok()) << fixed.status();
  EXPECT_EQ(fixed->applied, std::vector<int>{2});
}

TEST_P(MigrationRunnerTest, ConcurrentRunnersApplyEachMigrationOnce) {
  std::unique_ptr<Database> other = scratch_->OpenAnother();
  ASSERT_NE(other, nullptr);
  absl::StatusOr<MigrationReport> a, b;
  std::thread first([&] { a = ApplyMigrations(scratch_->database(), EmbeddedMigrations()); });
  std::thread second([&] { b = ApplyMigrations(*other, EmbeddedMigrations()); });
  first.join();
  second.join();
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(a->applied.size() + b->applied.size(), EmbeddedMigrations().size());
}

INSTANTIATE_TEST_SUITE_P(Backends, MigrationRunnerTest, ::ttads::testing::AllBackends(),
                         ::ttads::testing::BackendName);

}  // namespace
}  // namespace ttads::storage
