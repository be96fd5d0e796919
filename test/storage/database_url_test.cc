#include "storage/database_url.h"

#include "gtest/gtest.h"

namespace ttads::storage {
namespace {

TEST(DatabaseUrlTest, DefaultIsSqliteFileUnderVar) {
  auto target = ParseDatabaseUrl("");
  ASSERT_TRUE(target.ok()) << target.status();
  EXPECT_EQ(target->backend, Backend::kSqlite);
  EXPECT_EQ(target->sqlite_path, "./var/ttads.db");
  EXPECT_EQ(target->soci_connect_string, "db=./var/ttads.db timeout=10");
}

TEST(DatabaseUrlTest, SqliteSpellings) {
  for (const char* url : {"sqlite:/tmp/a.db", "sqlite:///tmp/a.db", "sqlite3:/tmp/a.db"}) {
    auto target = ParseDatabaseUrl(url);
    ASSERT_TRUE(target.ok()) << url;
    EXPECT_EQ(target->backend, Backend::kSqlite) << url;
  }
  EXPECT_EQ(ParseDatabaseUrl("sqlite:/tmp/a.db")->sqlite_path, "/tmp/a.db");
  EXPECT_EQ(ParseDatabaseUrl("sqlite:relative/dir/x.db")->sqlite_path, "relative/dir/x.db");
  EXPECT_EQ(ParseDatabaseUrl("data/plain.db")->sqlite_path, "data/plain.db");
}

TEST(DatabaseUrlTest, SqlitePathWithSpaceIsQuoted) {
  auto target = ParseDatabaseUrl("sqlite:/tmp/my dir/a.db");
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(target->soci_connect_string, "db='/tmp/my dir/a.db' timeout=10");
}

TEST(DatabaseUrlTest, PostgresUriBecomesKeyValuePairs) {
  auto target = ParseDatabaseUrl("postgresql://ttads:s3cr%20et@db.local:5433/ttads?sslmode=disable");
  ASSERT_TRUE(target.ok()) << target.status();
  EXPECT_EQ(target->backend, Backend::kPostgres);
  const std::string& conn = target->soci_connect_string;
  EXPECT_NE(conn.find("user=ttads"), std::string::npos) << conn;
  EXPECT_NE(conn.find("password='s3cr et'"), std::string::npos) << conn;
  EXPECT_NE(conn.find("host=db.local"), std::string::npos) << conn;
  EXPECT_NE(conn.find("port=5433"), std::string::npos) << conn;
  EXPECT_NE(conn.find("dbname=ttads"), std::string::npos) << conn;
  EXPECT_NE(conn.find("sslmode=disable"), std::string::npos) << conn;
  EXPECT_EQ(target->redacted.find("s3cr"), std::string::npos) << target->redacted;
}

TEST(DatabaseUrlTest, PostgresShortScheme) {
  auto target = ParseDatabaseUrl("postgres://u@127.0.0.1:55432/x");
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(target->backend, Backend::kPostgres);
}

TEST(DatabaseUrlTest, RejectsUnknownSchemesWithoutEchoingSecrets) {
  auto target = ParseDatabaseUrl("mysql://root:hunter2@localhost/db");
  ASSERT_FALSE(target.ok());
  EXPECT_EQ(target.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(target.status().message().find("hunter2"), std::string::npos);
  EXPECT_FALSE(ParseDatabaseUrl("sqlite:").ok());
  EXPECT_FALSE(ParseDatabaseUrl("postgresql://host/db?no_such_option=1").ok());
}

}  // namespace
}  // namespace ttads::storage
