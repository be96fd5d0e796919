#include "test/test_database.h"

#include <cstdlib>
#include <filesystem>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "storage/migration_runner.h"

namespace ttads::testing {
namespace {

std::string RandomSuffix() {
  static absl::BitGen generator;
  static const char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string suffix;
  for (int i = 0; i < 12; ++i) suffix += kAlphabet[absl::Uniform(generator, 0u, 36u)];
  return suffix;
}

}  // namespace

std::string BackendName(const ::testing::TestParamInfo<TestBackend>& info) {
  return info.param == TestBackend::kSqlite ? "Sqlite" : "Postgres";
}

std::unique_ptr<ScratchDatabase> ScratchDatabase::Create(TestBackend backend, bool migrate) {
  std::unique_ptr<ScratchDatabase> scratch(new ScratchDatabase());
  if (backend == TestBackend::kSqlite) {
    scratch->sqlite_dir_ = (std::filesystem::temp_directory_path() /
                            absl::StrCat("ttads-test-", RandomSuffix()))
                               .string();
    std::filesystem::create_directories(scratch->sqlite_dir_);
    scratch->url_ = absl::StrCat("sqlite:", scratch->sqlite_dir_, "/t.db");
    auto target = storage::ParseDatabaseUrl(scratch->url_);
    if (!target.ok()) {
      ADD_FAILURE() << target.status();
      return nullptr;
    }
    scratch->target_ = *target;
  } else {
    const char* url = std::getenv("TTADS_TEST_PG_URL");
    auto admin = storage::ParseDatabaseUrl(url == nullptr ? "" : url);
    if (!admin.ok() || admin->backend != storage::Backend::kPostgres) {
      ADD_FAILURE() << "TTADS_TEST_PG_URL is not a PostgreSQL URL";
      return nullptr;
    }
    auto admin_db = storage::Database::Open(*admin, {.pool_size = 1});
    if (!admin_db.ok()) {
      ADD_FAILURE() << "TTADS_TEST_PG_URL names a PostgreSQL server that is not there: "
                    << admin_db.status();
      return nullptr;
    }
    scratch->pg_schema_ = absl::StrCat("t_", RandomSuffix());
    const absl::Status created = (*admin_db)->Run([&](soci::session& session) {
      session << "CREATE SCHEMA " << scratch->pg_schema_;
      return absl::OkStatus();
    });
    if (!created.ok()) {
      ADD_FAILURE() << created;
      return nullptr;
    }
    scratch->pg_admin_connect_ = admin->soci_connect_string;
    scratch->target_ = *admin;
    const std::string base_url(url);
    scratch->url_ = absl::StrCat(base_url, base_url.find('?') == std::string::npos ? "?" : "&",
                                 "options=-csearch_path%3D", scratch->pg_schema_);
    scratch->target_.soci_connect_string +=
        absl::StrCat(" options='-csearch_path=", scratch->pg_schema_, "'");
  }
  auto database = storage::Database::Open(scratch->target_);
  if (!database.ok()) {
    ADD_FAILURE() << database.status();
    return nullptr;
  }
  scratch->database_ = std::move(*database);
  if (migrate) {
    auto report = storage::ApplyMigrations(*scratch->database_, storage::EmbeddedMigrations());
    if (!report.ok()) {
      ADD_FAILURE() << report.status();
      return nullptr;
    }
  }
  return scratch;
}

std::unique_ptr<storage::Database> ScratchDatabase::OpenAnother() const {
  auto database = storage::Database::Open(target_);
  if (!database.ok()) {
    ADD_FAILURE() << database.status();
    return nullptr;
  }
  return std::move(*database);
}

ScratchDatabase::~ScratchDatabase() {
  database_.reset();
  if (!sqlite_dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(sqlite_dir_, ignored);
  }
  if (!pg_schema_.empty()) {
    storage::DatabaseTarget admin = target_;
    admin.soci_connect_string = pg_admin_connect_;
    if (auto admin_db = storage::Database::Open(admin, {.pool_size = 1}); admin_db.ok()) {
      (void)(*admin_db)->Run([&](soci::session& session) {
        session << "DROP SCHEMA " << pg_schema_ << " CASCADE";
        return absl::OkStatus();
      });
    }
  }
}

bool PostgresConfigured() { return std::getenv("TTADS_TEST_PG_URL") != nullptr; }

}  // namespace ttads::testing
