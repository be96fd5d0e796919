// Database faults (issue #8, suite 2). PostgreSQL — a private cluster of this test, so it can be
// stopped: the server stopped and restarted under ttads-server (mid-batch too), every connection
// dropped, a transaction aborted by a serialisation failure. SQLite: the file locked by another
// process, and a full disk (RLIMIT_FSIZE). In each case ttads answers UNAVAILABLE (or
// RESOURCE_EXHAUSTED / ABORTED) with a clear message, never INTERNAL; recovers without a restart;
// and a retry with the same key applies nothing twice.
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/rpc_client.h"
#include "gtest/gtest.h"
#include "server/jwt.h"
#include "server/log.h"
#include "server/ttads_server.h"
#include "storage/audit_log_repository.h"
#include "storage/database.h"
#include "storage/database_url.h"
#include "test/integration/oauth_connect.h"
#include "test/integration/server_sandbox_fixture.h"
#include "test/process_runner.h"
#include "tools/sandbox/sandbox_server.h"
#include "ttads/v1/account_service.pb.h"
#include "ttads/v1/action_service.pb.h"
#include "ttads/v1/admin_service.pb.h"

namespace ttads::testing {
namespace {

constexpr char kAdmin[] = "db-fault-admin";
constexpr char kJwtSecret[] = "db-fault-jwt";
constexpr char kAdvertiser[] = "7400000000000000001";
constexpr char kAdGroup[] = "7900000000000000001";

// Runs a shell command; its first line of output.
std::string Shell(const std::string& command) {
  std::string output;
  if (FILE* pipe = popen(command.c_str(), "r"); pipe != nullptr) {
    char buffer[512];
    while (fgets(buffer, sizeof(buffer), pipe) != nullptr) output += buffer;
    const int status = pclose(pipe);
    EXPECT_EQ(status, 0) << command << "\n" << output;
  }
  if (const size_t end = output.find('\n'); end != std::string::npos) output.resize(end);
  return output;
}

v1::DispatchRequest BudgetBatch(const std::string& key, double budget) {
  v1::DispatchRequest request;
  request.set_idempotency_key(key);
  request.set_source("db-fault-test");
  request.mutable_account();
  v1::Action* action = request.add_actions();
  action->set_type("TikTok.UpdateAdGroupBudget");
  (*action->mutable_params()->mutable_fields())["adgroup_id"].set_string_value(kAdGroup);
  (*action->mutable_params()->mutable_fields())["new_budget"].set_number_value(budget);
  return request;
}

// The codes a database fault may surface as: retryable, with a message that says so.
void ExpectRetryableDatabaseError(const absl::Status& status) {
  EXPECT_TRUE(status.code() == absl::StatusCode::kUnavailable ||
              status.code() == absl::StatusCode::kAborted ||
              status.code() == absl::StatusCode::kResourceExhausted)
      << status;
  EXPECT_TRUE(absl::StrContains(status.message(), "database")) << status;
}

// ttads-server in process on a database, against the TikTok sandbox, with one connected user.
class DatabaseFaultTest : public ::testing::Test {
 protected:
  void StartServer(const std::string& database_url) {
    server::SetLoggingEnabled(false);
    if (!sandbox_started_) {
      sandbox::SandboxOptions options;
      options.seed_file = TTADS_SANDBOX_DEMO_SEED;
      ASSERT_TRUE(sandbox_.Start(options).ok());
      sandbox_started_ = true;
    }
    server::ServerConfig config =
        SandboxServerConfig(sandbox_.BaseUrl(), database_url, kAdmin, kJwtSecret);
    config.tiktok_request_timeout_ms = 5000;
    config.workflow_lease_seconds = 1;
    auto server = server::TtadsServer::Start(config);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }
  void TearDown() override {
    server_.reset();
    sandbox_.Stop();
    server::SetLoggingEnabled(true);
  }

  client::RpcClient Client(const std::string& token) const {
    return client::RpcClient({absl::StrCat("127.0.0.1:", server_->port()), token});
  }
  void CreateUserAndConnect() {
    v1::CreateUserAccountRequest create;
    create.set_username("db-fault-owner");
    v1::CreateUserAccountResponse created;
    ASSERT_TRUE(Client(kAdmin).Call("AdminService/CreateUserAccount", create, created).ok());
    user_ = created.user_account().id();
    jwt_ = server::SignJwt({user_, absl::Now() + absl::Hours(1)}, kJwtSecret, absl::Now());
    client::RpcClient client = Client(jwt_);
    const absl::Status status = ConnectTikTokByOAuth(client, sandbox_, kSandboxAppId, kAdvertiser);
    ASSERT_TRUE(status.ok()) << status;
  }
  absl::Status Dispatch(const v1::DispatchRequest& request, v1::DispatchResponse& response) {
    response.Clear();
    return Client(jwt_).Call("ActionService/Dispatch", request, response);
  }
  absl::Status ListExecutions() {
    v1::ListActionExecutionsRequest request;
    v1::ListActionExecutionsResponse response;
    return Client(jwt_).Call("ActionService/ListExecutions", request, response);
  }
  // Retries `call` until it succeeds; the number of failed attempts (-1: never succeeded).
  template <typename Call>
  int FailuresBeforeSuccess(Call call, int attempts = 20) {
    for (int failures = 0; failures < attempts; ++failures) {
      const absl::Status status = call();
      if (status.ok()) return failures;
      ExpectRetryableDatabaseError(status);
      absl::SleepFor(absl::Milliseconds(100));
    }
    return -1;
  }
  // Successful audit rows of the batch `key`.
  int AuditedChanges(storage::Database& database, const std::string& key) {
    storage::AuditLogRepository audit(database);
    absl::StatusOr<storage::Page<storage::AuditEntry>> entries = audit.ListForUser(user_, {"", 500});
    EXPECT_TRUE(entries.ok()) << entries.status();
    int rows = 0;
    for (const storage::AuditEntry& entry : entries.ok() ? entries->items
                                                         : std::vector<storage::AuditEntry>{}) {
      if (entry.idempotency_key.value_or("") == key && entry.outcome == "OK") ++rows;
    }
    return rows;
  }
  // Changes (POST calls) TikTok received since the request log was cleared.
  int MutationsSent() {
    int count = 0;
    for (const auto& entry : sandbox_.RequestLog()) count += entry.method == "POST" ? 1 : 0;
    return count;
  }
  double SandboxBudget() {
    for (const auto& entry : sandbox_.RequestLog("adgroup/update/")) {
      last_budget_ = entry.body.value("budget", last_budget_);
    }
    return last_budget_;
  }

  sandbox::Sandbox sandbox_;
  bool sandbox_started_ = false;
  std::unique_ptr<server::TtadsServer> server_;
  std::string user_;
  std::string jwt_;
  double last_budget_ = 0;
};

// A PostgreSQL cluster of the test's own (tools/pg-cluster), so it can be stopped and started.
class PrivatePostgres {
 public:
  PrivatePostgres() {
    dir_ = absl::StrCat("/tmp/ttads-dbfault-", getpid(), "-", absl::ToUnixNanos(absl::Now()));
    url_ = Shell(absl::StrCat(TTADS_PG_CLUSTER, " start ", dir_));
  }
  ~PrivatePostgres() { std::system(absl::StrCat(TTADS_PG_CLUSTER, " stop ", dir_).c_str()); }
  const std::string& url() const { return url_; }
  void Pause() { Shell(absl::StrCat(TTADS_PG_CLUSTER, " pause ", dir_)); }
  void Resume() { Shell(absl::StrCat(TTADS_PG_CLUSTER, " resume ", dir_)); }
  void Sql(const std::string& sql) {
    Shell(absl::StrCat("psql -q -v ON_ERROR_STOP=1 '", url_, "' -c \"", sql, "\" 2>&1"));
  }

 private:
  std::string dir_;
  std::string url_;
};

std::unique_ptr<storage::Database> OpenDatabase(const std::string& url) {
  absl::StatusOr<storage::DatabaseTarget> target = storage::ParseDatabaseUrl(url);
  EXPECT_TRUE(target.ok()) << target.status();
  if (!target.ok()) return nullptr;
  absl::StatusOr<std::unique_ptr<storage::Database>> database = storage::Database::Open(*target);
  EXPECT_TRUE(database.ok()) << database.status();
  return database.ok() ? *std::move(database) : nullptr;
}

TEST_F(DatabaseFaultTest, PostgresStoppedAndRestartedUnderTheServer) {
  PrivatePostgres postgres;
  ASSERT_FALSE(postgres.url().empty());
  ASSERT_NO_FATAL_FAILURE(StartServer(postgres.url()));
  ASSERT_NO_FATAL_FAILURE(CreateUserAndConnect());
  v1::DispatchResponse response;
  ASSERT_TRUE(Dispatch(BudgetBatch("before", 2600), response).ok());

  // Down: every call is refused as UNAVAILABLE with a clear message, nothing reaches TikTok.
  postgres.Pause();
  sandbox_.ClearRequestLog();
  ExpectRetryableDatabaseError(ListExecutions());
  ExpectRetryableDatabaseError(Dispatch(BudgetBatch("while-down", 2700), response));
  EXPECT_EQ(MutationsSent(), 0);

  // Back: the same server recovers by itself, and the refused batch runs once.
  postgres.Resume();
  const int failures = FailuresBeforeSuccess([&] { return ListExecutions(); });
  EXPECT_GE(failures, 0);
  EXPECT_LE(failures, 1) << "each stale pooled connection failed a call";
  ASSERT_TRUE(Dispatch(BudgetBatch("while-down", 2700), response).ok());
  EXPECT_EQ(response.status(), "success");
  std::printf("database-faults[postgresql restart]: calls failed after the restart: %d\n",
              failures);
}

TEST_F(DatabaseFaultTest, PostgresStoppedMidBatchResumesWithoutApplyingTwice) {
  PrivatePostgres postgres;
  ASSERT_FALSE(postgres.url().empty());
  ASSERT_NO_FATAL_FAILURE(StartServer(postgres.url()));
  ASSERT_NO_FATAL_FAILURE(CreateUserAndConnect());
  // The budget update takes a second at TikTok; the database goes away meanwhile.
  ASSERT_TRUE(sandbox_.AddFault("latency:adgroup/update/,ms=1500,times=1").ok());
  v1::DispatchResponse first;
  absl::Status first_status;
  std::thread batch([&] { first_status = Dispatch(BudgetBatch("mid-batch", 2800), first); });
  absl::SleepFor(absl::Milliseconds(700));
  postgres.Pause();
  batch.join();
  // TikTok applied it, ttads could not record it: the caller is told to retry, not "done".
  ExpectRetryableDatabaseError(first_status);
  postgres.Resume();
  v1::DispatchResponse retried;
  const int failures = FailuresBeforeSuccess([&] {
    absl::Status status = Dispatch(BudgetBatch("mid-batch", 2800), retried);
    if (status.ok() && retried.status() == "running") {
      return absl::UnavailableError("database: still running (lease)");
    }
    return status;
  });
  ASSERT_GE(failures, 0);
  EXPECT_EQ(retried.status(), "success");
  EXPECT_EQ(SandboxBudget(), 2800);
  std::unique_ptr<storage::Database> database = OpenDatabase(postgres.url());
  ASSERT_NE(database, nullptr);
  EXPECT_EQ(AuditedChanges(*database, "mid-batch"), 1) << "the change is audited exactly once";
}

TEST_F(DatabaseFaultTest, PostgresConnectionsDroppedAreReopened) {
  PrivatePostgres postgres;
  ASSERT_FALSE(postgres.url().empty());
  ASSERT_NO_FATAL_FAILURE(StartServer(postgres.url()));
  ASSERT_NO_FATAL_FAILURE(CreateUserAndConnect());
  ASSERT_TRUE(ListExecutions().ok());
  postgres.Sql(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
      "AND backend_type = 'client backend'");
  const int failures = FailuresBeforeSuccess([&] { return ListExecutions(); });
  EXPECT_GE(failures, 0);
  EXPECT_LE(failures, 1);
  v1::DispatchResponse response;
  EXPECT_TRUE(Dispatch(BudgetBatch("after-drop", 2900), response).ok());
  std::printf("database-faults[postgresql dropped connections]: calls failed: %d\n", failures);
}

TEST_F(DatabaseFaultTest, PostgresSerializationFailureIsRetryableAndAppliesOnce) {
  PrivatePostgres postgres;
  ASSERT_FALSE(postgres.url().empty());
  ASSERT_NO_FATAL_FAILURE(StartServer(postgres.url()));
  ASSERT_NO_FATAL_FAILURE(CreateUserAndConnect());
  // The next audit row's transaction is aborted once as PostgreSQL aborts a serialisable one
  // (a sequence, because a flag written in the aborted transaction would roll back with it).
  postgres.Sql(
      "CREATE SEQUENCE fault_once; CREATE FUNCTION fail_once() RETURNS trigger AS \\$\\$ BEGIN "
      "IF nextval('fault_once') = 1 THEN RAISE EXCEPTION 'could not serialize access due to "
      "concurrent update' USING ERRCODE = 'serialization_failure'; END IF; RETURN NEW; END "
      "\\$\\$ LANGUAGE plpgsql; CREATE TRIGGER fail_once BEFORE INSERT ON agent_executions FOR "
      "EACH ROW EXECUTE FUNCTION fail_once()");
  sandbox_.ClearRequestLog();
  v1::DispatchResponse response;
  const absl::Status aborted = Dispatch(BudgetBatch("serial", 3100), response);
  if (!aborted.ok()) {
    EXPECT_EQ(aborted.code(), absl::StatusCode::kAborted) << aborted;
    EXPECT_TRUE(sandbox_.RequestLog("adgroup/update/").empty()) << "applied before the claim";
    ASSERT_TRUE(Dispatch(BudgetBatch("serial", 3100), response).ok());
  }
  EXPECT_EQ(response.status(), "success");
  EXPECT_EQ(sandbox_.RequestLog("adgroup/update/").size(), 1u);
  std::unique_ptr<storage::Database> database = OpenDatabase(postgres.url());
  ASSERT_NE(database, nullptr);
  EXPECT_EQ(AuditedChanges(*database, "serial"), 1);
}

class SqliteFaultTest : public DatabaseFaultTest {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           absl::StrCat("ttads-dbfault-", getpid(), "-", absl::ToUnixNanos(absl::Now()));
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "ttads.db").string();
  }
  void TearDown() override {
    DatabaseFaultTest::TearDown();
    std::filesystem::remove_all(dir_);
  }
  std::string IntegrityCheck() {
    return Shell(absl::StrCat("python3 -c \"import sqlite3; print(sqlite3.connect('", path_,
                              "').execute('PRAGMA integrity_check').fetchone()[0])\""));
  }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(SqliteFaultTest, AFileLockedByAnotherProcessIsUnavailableThenRecovers) {
  ASSERT_NO_FATAL_FAILURE(StartServer(absl::StrCat("sqlite:", path_)));
  ASSERT_NO_FATAL_FAILURE(CreateUserAndConnect());
  // Another process holds the write lock for longer than the busy timeout (10 s).
  ChildProcess locker(
      "/usr/bin/python3",
      {"-c", absl::StrCat("import sqlite3, sys, time\n"
                          "c = sqlite3.connect('", path_, "', isolation_level=None)\n"
                          "c.execute('BEGIN EXCLUSIVE')\n"
                          "print('locked', flush=True)\n"
                          "time.sleep(13)\n")},
      {}, ChildProcess::Capture::kStdout);
  ASSERT_NE(locker.ReadUntil("locked"), "");
  v1::DispatchResponse response;
  sandbox_.ClearRequestLog();
  const absl::Status locked = Dispatch(BudgetBatch("locked", 3200), response);
  EXPECT_EQ(locked.code(), absl::StatusCode::kUnavailable) << locked;
  EXPECT_TRUE(absl::StrContains(locked.message(), "database busy")) << locked;
  EXPECT_EQ(MutationsSent(), 0) << "a change reached TikTok that ttads could not record";
  EXPECT_EQ(locker.Wait(), 0);
  ASSERT_TRUE(Dispatch(BudgetBatch("locked", 3200), response).ok());
  EXPECT_EQ(response.status(), "success");
  server_.reset();
  EXPECT_EQ(IntegrityCheck(), "ok");
}

TEST_F(SqliteFaultTest, AFullDiskIsAClearErrorAndCorruptsNothing) {
  // Migrate first, then run the server as a process whose files may not grow past a limit
  // (RLIMIT_FSIZE, SIGXFSZ ignored so writes fail with EFBIG instead of killing it).
  ASSERT_NO_FATAL_FAILURE(StartServer(absl::StrCat("sqlite:", path_)));
  server_.reset();
  const uintmax_t size = std::filesystem::file_size(path_);
  const uintmax_t limit_kb = size / 1024 + 64;
  // The log goes to a file: a pipe nobody reads would fill up and stall the server.
  const std::string log = (dir_ / "server.log").string();
  ChildProcess server(
      "/bin/bash",
      {"-c", absl::StrCat("trap '' XFSZ; ulimit -f ", limit_kb, "; exec ", TTADS_SERVER_BINARY,
                          " 2>", log)},
      {"TTADS_GRPC_LISTEN=127.0.0.1:0", "TTADS_METRICS_LISTEN=",
       absl::StrCat("TTADS_DATABASE_URL=sqlite:", path_), absl::StrCat("TTADS_ADMIN_TOKEN=", kAdmin),
       absl::StrCat("TTADS_JWT_SECRET=", kJwtSecret), "TTADS_SCHEDULER_ENABLED=false"},
      ChildProcess::Capture::kStdout);
  int port = 0;
  for (int i = 0; i < 100 && port == 0; ++i) {
    absl::SleepFor(absl::Milliseconds(50));
    std::ifstream lines(log);
    for (std::string line; port == 0 && std::getline(lines, line);) {
      if (absl::StrContains(line, "\"event\":\"listening\"")) port = PortOfListeningLine(line);
    }
  }
  ASSERT_GT(port, 0);
  client::RpcClient admin({absl::StrCat("127.0.0.1:", port), kAdmin});
  // Users until the disk is full: each one either exists afterwards or was refused clearly.
  std::vector<std::string> created_users;
  absl::Status full;
  for (int n = 0; n < 5000 && full.ok(); ++n) {
    v1::CreateUserAccountRequest create;
    create.set_username(absl::StrCat("user-", n, "-", std::string(80, 'x')));
    v1::CreateUserAccountResponse created;
    full = admin.Call("AdminService/CreateUserAccount", create, created);
    if (full.ok()) created_users.push_back(created.user_account().id());
  }
  ASSERT_FALSE(full.ok()) << "the limit was never reached";
  ASSERT_FALSE(created_users.empty()) << full;
  EXPECT_TRUE(full.code() == absl::StatusCode::kResourceExhausted ||
              full.code() == absl::StatusCode::kUnavailable)
      << full;
  EXPECT_TRUE(absl::StrContains(full.message(), "database")) << full;
  // The server still answers reads.
  v1::GetUserAccountRequest get;
  get.set_user_account_id(created_users.front());
  v1::UserAccount user;
  EXPECT_TRUE(admin.Call("AdminService/GetUserAccount", get, user).ok());
  server.Signal(SIGTERM);
  server.Wait();
  EXPECT_EQ(IntegrityCheck(), "ok");
  // Every user the server said it created is there.
  ASSERT_NO_FATAL_FAILURE(StartServer(absl::StrCat("sqlite:", path_)));
  int missing = 0;
  for (const std::string& id : created_users) {
    get.set_user_account_id(id);
    if (!Client(kAdmin).Call("AdminService/GetUserAccount", get, user).ok()) ++missing;
  }
  EXPECT_EQ(missing, 0);
  std::printf("database-faults[sqlite full disk]: %zu users written, then: %s; lost 0 of them: "
              "%s; integrity ok\n",
              created_users.size(), full.ToString().c_str(), missing == 0 ? "yes" : "no");
}

}  // namespace
}  // namespace ttads::testing
