// Crash consistency (issue #8, suite 1): launches and action batches against the TikTok sandbox
// while ttads-server, a child process, is killed with SIGKILL at random moments — right after
// its k-th TikTok call of the attempt reached the sandbox, or after a random delay (which lands
// in database transactions as often as in calls) — then restarted, and every request retried
// with the same idempotency key until it answers. Afterwards the sandbox's objects are compared
// with ttads's records: every intended campaign, ad group and ad exists exactly once, every
// mapping and audit row is there, and no workflow is left running.
//
// Short form (CI): TTADS_CRASH_OPERATIONS unset → 12 launches and 12 batches per database.
// Long form: TTADS_CRASH_OPERATIONS=100 ./tools/test -R CrashConsistency (docs/reliability.md).
// TTADS_CRASH_SEED picks the kill schedule (printed, so a failing run can be repeated).
// TTADS_CRASH_SERVER_BINARY names the ttads-server to kill (default: the one built here).
#include <signal.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/rpc_client.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "server/jwt.h"
#include "storage/audit_log_repository.h"
#include "storage/creative_repository.h"
#include "storage/direction_repository.h"
#include "storage/execution_repository.h"
#include "test/integration/media_server.h"
#include "test/integration/oauth_connect.h"
#include "test/process_runner.h"
#include "test/test_database.h"
#include "tools/sandbox/sandbox_server.h"
#include "ttads/v1/account_service.pb.h"
#include "ttads/v1/action_service.pb.h"
#include "ttads/v1/admin_service.pb.h"
#include "ttads/v1/campaign_builder_service.pb.h"

namespace ttads::testing {
namespace {

using Json = nlohmann::json;

constexpr char kAdmin[] = "crash-admin";
constexpr char kJwtSecret[] = "crash-jwt";
constexpr char kAppId[] = "7300000000000000001";  // tools/sandbox/demo_seed.json
constexpr char kAppSecret[] = "sandbox-demo-app-secret";
constexpr char kDemoToken[] = "sandbox-demo-access-token";
constexpr char kAdvertiser[] = "7400000000000000001";
constexpr int kLeaseSeconds = 1;
// A user may keep 20 active directions; the launches are spread over as many users as needed.
constexpr int kLaunchesPerUser = 20;

int EnvInt(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value == nullptr || *value == '\0' ? fallback : std::atoi(value);
}

// What the crash run did, printed as the suite's figures.
struct Figures {
  int operations = 0;
  int kills = 0;
  int attempts = 0;
  int duplicates = 0;
  int orphans = 0;
  int lost = 0;
  int stuck = 0;
};

// ttads-server as a child process that a killer thread can SIGKILL at any moment.
class KillableServer {
 public:
  KillableServer(std::vector<std::string> env) : env_(std::move(env)) {}

  // Starts the server (on the port of the first start, so clients keep their target).
  void Start() {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<std::string> env = env_;
    env.push_back(absl::StrCat("TTADS_GRPC_LISTEN=127.0.0.1:", port_));
    // TTADS_CRASH_SERVER_BINARY runs the long form against a copy that a rebuild cannot replace.
    const char* binary = std::getenv("TTADS_CRASH_SERVER_BINARY");
    process_ = std::make_unique<ChildProcess>(
        binary != nullptr && *binary != '\0' ? binary : TTADS_SERVER_BINARY,
        std::vector<std::string>{}, env);
    const int port = PortOfListeningLine(process_->ReadUntil("\"event\":\"listening\""));
    ASSERT_GT(port, 0) << process_->output();
    port_ = port;
    killed_ = false;
  }
  // Kills the server now unless it is already dead (called from the killer thread).
  void Kill() {
    std::lock_guard<std::mutex> lock(mu_);
    if (process_ == nullptr || killed_) return;
    process_->Signal(SIGKILL);
    killed_ = true;
    ++kills_;
  }
  // Restarts the server when it was killed; true when it did.
  bool RestartIfKilled() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!killed_) return false;
      process_->Wait();
      process_.reset();
    }
    Start();
    return true;
  }
  client::RpcClient Client(const std::string& token) const {
    return client::RpcClient({absl::StrCat("127.0.0.1:", port_), token});
  }
  int kills() const { return kills_; }

 private:
  const std::vector<std::string> env_;
  std::mutex mu_;
  std::unique_ptr<ChildProcess> process_;
  bool killed_ = false;
  int port_ = 0;
  std::atomic<int> kills_{0};
};

// Kills the server once an armed trigger fires: the sandbox has logged `after_calls` requests,
// or `after_time` has passed since arming.
class Killer {
 public:
  Killer(KillableServer& server, sandbox::Sandbox& sandbox)
      : server_(server), sandbox_(sandbox), thread_([this] { Loop(); }) {}
  ~Killer() {
    stop_ = true;
    thread_.join();
  }
  void ArmAfterCalls(size_t calls) {
    std::lock_guard<std::mutex> lock(mu_);
    after_calls_ = calls;
    deadline_ = absl::InfiniteFuture();
    armed_ = true;
  }
  void ArmAfterTime(absl::Duration delay) {
    std::lock_guard<std::mutex> lock(mu_);
    after_calls_ = 0;
    deadline_ = absl::Now() + delay;
    armed_ = true;
  }
  void Disarm() {
    std::lock_guard<std::mutex> lock(mu_);
    armed_ = false;
  }

 private:
  void Loop() {
    while (!stop_) {
      bool fire = false;
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (armed_) {
          fire = (after_calls_ > 0 && sandbox_.RequestLog().size() >= after_calls_) ||
                 absl::Now() >= deadline_;
          if (fire) armed_ = false;
        }
      }
      if (fire) server_.Kill();
      absl::SleepFor(absl::Microseconds(300));
    }
  }

  KillableServer& server_;
  sandbox::Sandbox& sandbox_;
  std::mutex mu_;
  bool armed_ = false;
  size_t after_calls_ = 0;
  absl::Time deadline_ = absl::InfiniteFuture();
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

class CrashConsistencyTest : public ::testing::TestWithParam<TestBackend> {
 protected:
  void SetUp() override {
    TTADS_SCRATCH_DATABASE(scratch_, GetParam());
    sandbox::SandboxOptions options;
    options.seed_file = TTADS_SANDBOX_DEMO_SEED;
    // Each TikTok call takes a little while, so kills land in calls as well as between them.
    options.faults = {"latency:*,ms=8"};
    ASSERT_TRUE(sandbox_.Start(options).ok());
    server_ = std::make_unique<KillableServer>(std::vector<std::string>{
        "TTADS_METRICS_LISTEN=", absl::StrCat("TTADS_DATABASE_URL=", scratch_->url()),
        absl::StrCat("TTADS_ADMIN_TOKEN=", kAdmin), absl::StrCat("TTADS_JWT_SECRET=", kJwtSecret),
        absl::StrCat("TTADS_SECRET_KEY=", std::string(64, 'c')),
        absl::StrCat("TIKTOK_APP_ID=", kAppId), absl::StrCat("TIKTOK_APP_SECRET=", kAppSecret),
        absl::StrCat("TIKTOK_API_BASE_URL=", sandbox_.BaseUrl()), "TTADS_SCHEDULER_ENABLED=false",
        "TTADS_TIKTOK_REQUEST_TIMEOUT_MS=3000", "TTADS_TIKTOK_RETRY_BASE_DELAY_MS=5",
        "TTADS_TIKTOK_RETRY_DEADLINE_MS=6000",
        absl::StrCat("TTADS_WORKFLOW_LEASE_SECONDS=", kLeaseSeconds)});
    ASSERT_NO_FATAL_FAILURE(server_->Start());
    killer_ = std::make_unique<Killer>(*server_, sandbox_);
    seed_ = static_cast<uint32_t>(EnvInt("TTADS_CRASH_SEED", 20261207));
    random_.seed(seed_);
    operations_ = EnvInt("TTADS_CRASH_OPERATIONS", 12);
  }
  void TearDown() override {
    killer_.reset();
    server_.reset();
    sandbox_.Stop();
  }

  // Calls `method` until it answers OK with a finished result, killing the server on the first
  // attempts; the key in `request` stays the same on every retry.
  template <typename Request, typename Response>
  absl::Status CallThroughCrashes(const std::string& jwt, const std::string& method,
                                  const Request& request, Response& response) {
    absl::Status status;
    for (int attempt = 0; attempt < 30; ++attempt) {
      ++figures_.attempts;
      // The first attempts are killed often, later ones rarely, so every call finishes.
      std::bernoulli_distribution kill(attempt == 0 ? 0.8 : attempt == 1 ? 0.5 : 0.0);
      sandbox_.ClearRequestLog();
      if (kill(random_)) {
        if (std::bernoulli_distribution(0.5)(random_)) {
          killer_->ArmAfterCalls(std::uniform_int_distribution<size_t>(1, 9)(random_));
        } else {
          killer_->ArmAfterTime(
              absl::Milliseconds(std::uniform_int_distribution<int>(0, 400)(random_)));
        }
      }
      response.Clear();
      status = server_->Client(jwt).Call(method, request, response);
      killer_->Disarm();
      if (server_->RestartIfKilled()) continue;  // whatever it answered, retry
      if (status.ok() && !StillRunning(response)) return status;
      // Still running (the killed attempt's lease has not expired): ABORTED for a launch, an
      // OK answer with status "running" for an action batch (ActionService.Dispatch's contract).
      absl::SleepFor(absl::Milliseconds(300));
    }
    return status;
  }

  static bool StillRunning(const v1::DispatchResponse& response) {
    return response.status() == "running";
  }
  static bool StillRunning(const v1::ManualLaunchResponse& /*response*/) { return false; }

  struct Tenant {
    std::string user;
    std::string jwt;
  };
  // The user owning launch `n` (created and connected to TikTok by OAuth on first use).
  const Tenant& TenantOf(int n) {
    const size_t index = static_cast<size_t>(n / kLaunchesPerUser);
    while (tenants_.size() <= index) {
      Tenant tenant;
      CreateUserAndConnect(absl::StrCat("crash-owner-", tenants_.size()), tenant);
      tenants_.push_back(tenant);
    }
    return tenants_[index];
  }
  void CreateUserAndConnect(const std::string& name, Tenant& tenant) {
    v1::CreateUserAccountRequest create;
    create.set_username(name);
    v1::CreateUserAccountResponse created;
    ASSERT_TRUE(
        server_->Client(kAdmin).Call("AdminService/CreateUserAccount", create, created).ok());
    tenant.user = created.user_account().id();
    tenant.jwt =
        server::SignJwt({tenant.user, absl::Now() + absl::Hours(4)}, kJwtSecret, absl::Now());
    client::RpcClient client = server_->Client(tenant.jwt);
    const absl::Status status = ConnectTikTokByOAuth(client, sandbox_, kAppId, kAdvertiser);
    ASSERT_TRUE(status.ok()) << status;
  }

  // A direction with two ready creatives, written straight into the database.
  std::pair<std::string, std::vector<std::string>> NewDirectionWithCreatives(int n) {
    const std::string user = TenantOf(n).user;
    storage::DirectionRepository directions(scratch_->database());
    storage::Direction row;
    row.user_account_id = user;
    row.name = absl::StrCat("Crash ", n);
    row.platform = "tiktok";
    row.objective = "instagram_traffic";
    row.tiktok_objective = "traffic";
    row.tiktok_daily_budget = 3000;
    absl::StatusOr<storage::Direction> direction = directions.Create(row, absl::Now());
    EXPECT_TRUE(direction.ok()) << direction.status();
    if (!direction.ok()) return {};
    storage::AdSettings settings;
    settings.direction_id = direction->id;
    settings.user_id = user;
    settings.site_url = "https://example.com/landing";
    EXPECT_TRUE(directions.UpsertAdSettings(settings, absl::Now()).ok());
    storage::CreativeRepository creatives(scratch_->database());
    std::vector<std::string> ids;
    for (const char* suffix : {"a", "b"}) {
      storage::Creative creative;
      creative.user_id = user;
      creative.direction_id = direction->id;
      creative.title = absl::StrCat("crash-", n, "-", suffix);
      creative.description = "Crash test ad";
      creative.status = "ready";
      creative.media_url = media_.Url(creative.title + ".mp4");
      creative.thumbnail_url = media_.Url(creative.title + ".png");
      absl::StatusOr<storage::Creative> created = creatives.Create(creative, absl::Now());
      EXPECT_TRUE(created.ok()) << created.status();
      if (created.ok()) ids.push_back(created->id);
    }
    return {direction->id, ids};
  }

  // Every object of `kind` ("campaign", "adgroup", "ad") the sandbox holds for the advertiser,
  // read over TikTok's own API: id -> object.
  std::map<std::string, Json> SandboxObjects(const std::string& kind) {
    httplib::Client http("127.0.0.1", sandbox_.port());
    std::map<std::string, Json> objects;
    for (int page = 1;; ++page) {
      const auto answer = http.Get(
          absl::StrCat("/open_api/v1.3/", kind, "/get/?advertiser_id=", kAdvertiser,
                       "&page_size=1000&page=", page),
          httplib::Headers{{"Access-Token", kDemoToken}});
      if (!answer || answer->status != 200) {
        ADD_FAILURE() << kind << "/get/ failed";
        return objects;
      }
      const Json body = Json::parse(answer->body);
      EXPECT_EQ(body["code"], 0) << body.dump();
      for (const Json& item : body["data"]["list"]) {
        objects[item[absl::StrCat(kind, "_id")].get<std::string>()] = item;
      }
      if (page >= body["data"]["page_info"].value("total_page", 1)) break;
    }
    return objects;
  }

  // Successful audit rows of the users per (idempotency key, action, target).
  std::map<std::string, int> SuccessfulAuditRows() {
    storage::AuditLogRepository audit(scratch_->database());
    std::map<std::string, int> rows;
    for (const Tenant& tenant : tenants_) {
      storage::PageRequest page{"", storage::kMaxPageSize};
      for (;;) {
        absl::StatusOr<storage::Page<storage::AuditEntry>> entries =
            audit.ListForUser(tenant.user, page);
        EXPECT_TRUE(entries.ok()) << entries.status();
        if (!entries.ok()) break;
        for (const storage::AuditEntry& entry : entries->items) {
          if (entry.outcome != "OK") continue;
          ++rows[absl::StrCat(entry.idempotency_key.value_or(""), "|", entry.action, "|",
                              entry.target_id.value_or(""))];
        }
        if (entries->next_page_token.empty()) break;
        page.page_token = entries->next_page_token;
      }
    }
    return rows;
  }

  std::unique_ptr<ScratchDatabase> scratch_;
  sandbox::Sandbox sandbox_;
  MediaServer media_;
  std::unique_ptr<KillableServer> server_;
  std::unique_ptr<Killer> killer_;
  std::mt19937 random_;
  uint32_t seed_ = 0;
  int operations_ = 0;
  std::vector<Tenant> tenants_;
  Figures figures_;
};

TEST_P(CrashConsistencyTest, KilledLaunchesAndBatchesLeaveNoDuplicateOrphanLostOrStuckRecord) {
  ASSERT_NO_FATAL_FAILURE(TenantOf(0));
  const std::map<std::string, Json> campaigns_before = SandboxObjects("campaign");
  const std::map<std::string, Json> adgroups_before = SandboxObjects("adgroup");
  const std::map<std::string, Json> ads_before = SandboxObjects("ad");

  // Launches: one campaign, one ad group and two ads each.
  struct Launched {
    std::string user, jwt, key, direction, campaign, adgroup;
    std::vector<std::string> ads;
  };
  std::vector<Launched> launched;
  for (int n = 0; n < operations_; ++n) {
    auto [direction, creatives] = NewDirectionWithCreatives(n);
    ASSERT_EQ(creatives.size(), 2u);
    v1::ManualLaunchRequest request;
    request.set_direction_id(direction);
    for (const std::string& id : creatives) request.add_creative_ids(id);
    request.set_idempotency_key(absl::StrCat("crash-launch-", n));
    v1::ManualLaunchResponse response;
    const Tenant& tenant = TenantOf(n);
    const absl::Status status = CallThroughCrashes(
        tenant.jwt, "CampaignBuilderService/ManualLaunch", request, response);
    ASSERT_TRUE(status.ok()) << "launch " << n << ": " << status;
    ++figures_.operations;
    Launched one{tenant.user, tenant.jwt, request.idempotency_key(), direction,
                 response.campaign_id(), response.tiktok_adgroup_id(), {}};
    for (const v1::LaunchedAd& ad : response.ads()) one.ads.push_back(ad.ad_id());
    EXPECT_EQ(one.ads.size(), 2u) << one.key;
    launched.push_back(std::move(one));
  }

  // Action batches over the launched ad groups: a budget and a status each. The expected end
  // state is the last change of each ad group.
  std::map<std::string, double> expected_budget;
  std::map<std::string, std::string> expected_status;
  std::vector<std::string> batch_keys;
  for (int n = 0; n < operations_; ++n) {
    // Both actions of a batch act on one user's ad groups.
    const size_t first = static_cast<size_t>(n) % launched.size();
    size_t second = first + 1 < launched.size() ? first + 1 : first;
    if (launched[second].user != launched[first].user) second = first > 0 ? first - 1 : first;
    if (launched[second].user != launched[first].user) second = first;
    const std::string& budget_target = launched[first].adgroup;
    const std::string& status_target = launched[second].adgroup;
    const double budget = 3000 + 10 * n;
    const bool pause = n % 2 == 0;
    v1::DispatchRequest request;
    request.set_idempotency_key(absl::StrCat("crash-batch-", n));
    request.set_source("crash-test");
    request.mutable_account();
    v1::Action* change = request.add_actions();
    change->set_type("TikTok.UpdateAdGroupBudget");
    (*change->mutable_params()->mutable_fields())["adgroup_id"].set_string_value(budget_target);
    (*change->mutable_params()->mutable_fields())["new_budget"].set_number_value(budget);
    v1::Action* status_change = request.add_actions();
    status_change->set_type(pause ? "TikTok.PauseAdGroup" : "TikTok.ResumeAdGroup");
    (*status_change->mutable_params()->mutable_fields())["adgroup_id"].set_string_value(
        status_target);
    v1::DispatchResponse response;
    const absl::Status status =
        CallThroughCrashes(launched[first].jwt, "ActionService/Dispatch", request, response);
    ASSERT_TRUE(status.ok()) << "batch " << n << ": " << status;
    ++figures_.operations;
    expected_budget[budget_target] = budget;
    expected_status[status_target] = pause ? "DISABLE" : "ENABLE";
    batch_keys.push_back(request.idempotency_key());
  }
  figures_.kills = server_->kills();

  // The sandbox against the launches' answers.
  const std::map<std::string, Json> campaigns = SandboxObjects("campaign");
  const std::map<std::string, Json> adgroups = SandboxObjects("adgroup");
  const std::map<std::string, Json> ads = SandboxObjects("ad");
  std::set<std::string> intended_campaigns, intended_adgroups, intended_ads;
  for (const Launched& one : launched) {
    intended_campaigns.insert(one.campaign);
    intended_adgroups.insert(one.adgroup);
    intended_ads.insert(one.ads.begin(), one.ads.end());
  }
  const auto count_new = [](const std::map<std::string, Json>& now,
                            const std::map<std::string, Json>& before,
                            const std::set<std::string>& intended, int& duplicates, int& lost) {
    for (const auto& [id, object] : now) {
      if (!before.contains(id) && !intended.contains(id)) ++duplicates;  // made, not answered
    }
    for (const std::string& id : intended) {
      if (!now.contains(id)) ++lost;  // answered, not there
    }
  };
  count_new(campaigns, campaigns_before, intended_campaigns, figures_.duplicates, figures_.lost);
  count_new(adgroups, adgroups_before, intended_adgroups, figures_.duplicates, figures_.lost);
  count_new(ads, ads_before, intended_ads, figures_.duplicates, figures_.lost);
  EXPECT_EQ(intended_campaigns.size(), launched.size()) << "two launches answered one campaign";
  EXPECT_EQ(intended_ads.size(), 2 * launched.size());

  // ttads's records: the direction's campaign, each ad's mapping, one successful audit row per
  // launch and per applied action, no workflow left running.
  storage::DirectionRepository directions(scratch_->database());
  storage::CreativeRepository creatives(scratch_->database());
  for (const Launched& one : launched) {
    absl::StatusOr<storage::Direction> direction = directions.Get(one.user, one.direction);
    if (!direction.ok() || direction->tiktok_campaign_id.value_or("") != one.campaign) {
      ++figures_.lost;
      ADD_FAILURE() << one.key << ": the direction does not record campaign " << one.campaign;
    }
    for (const std::string& ad : one.ads) {
      absl::StatusOr<storage::AdCreativeMapping> mapping = creatives.GetMappingByAdId(ad);
      if (!mapping.ok() || mapping->adset_id.value_or("") != one.adgroup) {
        ++figures_.orphans;  // an ad at TikTok that ttads cannot attribute
        ADD_FAILURE() << one.key << ": no mapping of ad " << ad;
      }
    }
  }
  const std::map<std::string, int> audit = SuccessfulAuditRows();
  std::map<std::string, int> audited_launches;
  for (const auto& [key, count] : audit) {
    const std::string launch_key = key.substr(0, key.find('|'));
    if (launch_key.rfind("crash-launch-", 0) == 0) audited_launches[launch_key] += count;
  }
  for (const Launched& one : launched) {
    const int rows = audited_launches[one.key];
    if (rows == 0) ++figures_.lost;
    if (rows > 1) figures_.duplicates += rows - 1;
    EXPECT_EQ(rows, 1) << "successful audit rows of " << one.key;
  }
  for (size_t n = 0; n < batch_keys.size(); ++n) {
    int rows = 0;
    for (const auto& [key, count] : audit) {
      if (key.rfind(batch_keys[n] + "|", 0) == 0) rows += count;
    }
    if (rows < 2) figures_.lost += 2 - rows;
    if (rows > 2) figures_.duplicates += rows - 2;
    EXPECT_EQ(rows, 2) << "successful audit rows of " << batch_keys[n];
  }
  // What TikTok holds is what the last batches asked for.
  for (const auto& [adgroup, budget] : expected_budget) {
    EXPECT_DOUBLE_EQ(adgroups.at(adgroup)["budget"].get<double>(), budget) << adgroup;
  }
  for (const auto& [adgroup, status] : expected_status) {
    EXPECT_EQ(adgroups.at(adgroup)["operation_status"], status) << adgroup;
  }
  storage::ExecutionRepository executions(scratch_->database());
  storage::ExecutionFilter running;
  running.status = "running";
  absl::StatusOr<storage::Page<storage::ExecutionRow>> stuck =
      executions.List(running, {"", storage::kMaxPageSize});
  ASSERT_TRUE(stuck.ok()) << stuck.status();
  figures_.stuck = static_cast<int>(stuck->items.size());
  for (const storage::ExecutionRow& row : stuck->items) {
    ADD_FAILURE() << "left running: " << row.idempotency_key << " (" << row.source << ")";
  }

  std::printf(
      "crash-consistency[%s]: seed %u, %d operations (%d launches, %d batches), %d attempts, "
      "%d SIGKILLs; duplicates %d, orphans %d, lost records %d, stuck workflows %d (target 0 "
      "each)\n",
      GetParam() == TestBackend::kSqlite ? "sqlite" : "postgresql", seed_, figures_.operations,
      static_cast<int>(launched.size()), static_cast<int>(batch_keys.size()), figures_.attempts,
      figures_.kills, figures_.duplicates, figures_.orphans, figures_.lost, figures_.stuck);
  EXPECT_GT(figures_.kills, operations_ / 2) << "the killer hardly ever fired";
  EXPECT_EQ(figures_.duplicates, 0);
  EXPECT_EQ(figures_.orphans, 0);
  EXPECT_EQ(figures_.lost, 0);
  EXPECT_EQ(figures_.stuck, 0);
}

INSTANTIATE_TEST_SUITE_P(Databases, CrashConsistencyTest, AllBackends(), BackendName);

}  // namespace
}  // namespace ttads::testing
