// The brain end to end: ttads-server (in process, over a real gRPC channel) runs the autopilot
// for an account whose TikTok data lives in the sandbox (over real HTTP), on SQLite and
// PostgreSQL: four TikTok calls, scores, plan, guards, dispatch through the action API, the
// recorded run, and a repeat that applies nothing twice.
#include <httplib.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "storage/direction_repository.h"
#include "test/integration/server_sandbox_fixture.h"
#include "test/server/fake_telegram.h"
#include "ttads/v1/account_service.pb.h"
#include "ttads/v1/brain_service.pb.h"

namespace ttads::server {
namespace {

using Json = nlohmann::json;

constexpr char kAdvertiser[] = "7400000000000000888";
constexpr char kCampaign[] = "7800000000000888001";

std::string AdGroupId(int i) { return absl::StrCat("790000000000088800", i); }

// One campaign with three active ad groups of two ads each, running for five weeks.
Json BrainSeed() {
  Json seed = Json::object();
  seed["advertisers"] = Json::array({{{"advertiser_id", kAdvertiser},
                                      {"name", "Brain run (KZT)"},
                                      {"currency", "KZT"},
                                      {"timezone", "Asia/Almaty"},
                                      {"country", "KZ"},
                                      {"status", "STATUS_ENABLE"},
                                      {"created_days_ago", 400}}});
  seed["campaigns"] = Json::array({{{"campaign_id", kCampaign},
                                    {"advertiser_id", kAdvertiser},
                                    {"campaign_name", "Brain campaign"},
                                    {"objective_type", "TRAFFIC"},
                                    {"budget_mode", "BUDGET_MODE_INFINITE"},
                                    {"operation_status", "ENABLE"},
                                    {"created_days_ago", 40}}});
  Json adgroups = Json::array();
  Json ads = Json::array();
  for (int g = 1; g <= 3; ++g) {
    adgroups.push_back({{"adgroup_id", AdGroupId(g)},
                        {"campaign_id", kCampaign},
                        {"adgroup_name", absl::StrCat("Brain group ", g)},
                        {"operation_status", "ENABLE"},
                        {"budget_mode", "BUDGET_MODE_DAY"},
                        {"budget", 10000},
                        {"optimization_goal", "CLICK"},
                        {"billing_event", "CPC"},
                        {"placement_type", "PLACEMENT_TYPE_NORMAL"},
                        {"placements", Json::array({"PLACEMENT_TIKTOK"})},
                        {"location_ids", Json::array({"1522867"})},
                        {"promotion_type", "WEBSITE"},
                        {"created_days_ago", 35}});
    for (int a = 1; a <= 2; ++a) {
      ads.push_back({{"ad_id", absl::StrCat("80000000000088", g, "0", a)},
                     {"adgroup_id", AdGroupId(g)},
                     {"ad_name", absl::StrCat("Brain ad ", g, "-", a)},
                     {"ad_text", "Brain"},
                     {"call_to_action", "LEARN_MORE"},
                     {"landing_page_url", "https://example.com/brain"},
                     {"operation_status", "ENABLE"},
                     {"created_days_ago", 35}});
    }
  }
  seed["adgroups"] = adgroups;
  seed["ads"] = ads;
  return seed;
}

class BrainRunTest : public ::ttads::testing::ServerSandboxTest {
 protected:
  void SetUp() override {
    ServerSandboxTest::SetUp();
    if (server_ == nullptr) return;
    ASSERT_TRUE(sandbox_.LoadSeed(BrainSeed().dump()).ok());
    user_ = NewUser("brainy");
    jwt_ = JwtFor(user_);
    Connect(jwt_, "", kAdvertiser);
  }

  // A TikTok direction running the seed's campaign, with `target_cpl` in KZT.
  void AddDirection(double target_cpl) {
    storage::DirectionRepository directions(scratch_->database());
    storage::Direction row;
    row.user_account_id = user_;
    row.name = "Brain direction";
    row.platform = "tiktok";
    row.objective = "instagram_traffic";
    row.tiktok_objective = "traffic";
    row.tiktok_campaign_id = kCampaign;
    row.tiktok_target_cpl = target_cpl;
    ASSERT_TRUE(directions.Create(row, absl::Now()).ok());
  }
  absl::Status Run(const std::string& key, bool dispatch, v1::RunTikTokResponse& response) {
    v1::RunTikTokRequest request;
    request.set_idempotency_key(key);
    request.mutable_inputs()->set_dispatch(dispatch);
    return Client(jwt_).Call("BrainService/RunTikTok", request, response);
  }
  size_t ApiCalls() {
    size_t calls = 0;
    for (const auto& entry : sandbox_.RequestLog()) calls += entry.endpoint.empty() ? 0 : 1;
    return calls;
  }

  std::string user_;
  std::string jwt_;
};

TEST_P(BrainRunTest, ScoresEveryAdGroupInFourCallsAndRecordsTheRun) {
  AddDirection(5000);
  sandbox_.ClearRequestLog();
  v1::RunTikTokResponse response;
  const absl::Status status = Run("think-report-1", /*dispatch=*/false, response);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_TRUE(response.success());
  EXPECT_EQ(response.platform(), "tiktok");
  EXPECT_EQ(response.currency(), "KZT");
  EXPECT_EQ(response.tiktokcalls(), 4);
  EXPECT_EQ(ApiCalls(), 4u);
  EXPECT_EQ(response.healthscores_size(), 3);
  for (const v1::AdGroupHealth& health : response.healthscores()) {
    EXPECT_GT(health.impressions(), 0);
    EXPECT_EQ(health.target_cpl(), 5000);
    EXPECT_FALSE(health.class_().empty());
  }
  EXPECT_FALSE(response.dispatched());
  EXPECT_FALSE(response.executionid().empty());
  EXPECT_NE(response.reporttext().find("TikTok"), std::string::npos);

  // The same key again: the recorded run, no TikTok call.
  sandbox_.ClearRequestLog();
  v1::RunTikTokResponse again;
  ASSERT_TRUE(Run("think-report-1", false, again).ok());
  EXPECT_TRUE(again.mutation().replayed());
  EXPECT_EQ(again.executionid(), response.executionid());
  EXPECT_EQ(again.healthscores_size(), 3);
  EXPECT_EQ(ApiCalls(), 0u);

  // Recorded and readable.
  v1::GetBrainExecutionRequest get;
  get.set_execution_id(response.executionid());
  v1::BrainExecution execution;
  ASSERT_TRUE(Client(jwt_).Call("BrainService/GetExecution", get, execution).ok());
  EXPECT_EQ(execution.status(), "success");
  EXPECT_EQ(execution.tiktok_calls(), 4);
  EXPECT_EQ(execution.health_scores_size(), 3);
  EXPECT_EQ(execution.execution_mode(), "manual");
  v1::ListBrainExecutionsRequest list;
  v1::ListBrainExecutionsResponse listed;
  ASSERT_TRUE(Client(jwt_).Call("BrainService/ListExecutions", list, listed).ok());
  ASSERT_EQ(listed.executions_size(), 1);
  // Another user cannot read it.
  const std::string other = JwtFor(NewUser("nosy"));
  EXPECT_EQ(Client(other).Call("BrainService/GetExecution", get, execution).code(),
            absl::StatusCode::kNotFound);
}

TEST_P(BrainRunTest, DispatchesGuardedDecisionsOnceAndCoolsDown) {
  AddDirection(1e7);  // every ad group is far below target: very_good, budget × 1.3
  v1::RunTikTokResponse response;
  const absl::Status status = Run("think-dispatch-1", /*dispatch=*/true, response);
  ASSERT_TRUE(status.ok()) << status;
  ASSERT_TRUE(response.dispatched()) << response.DebugString();
  int raises = 0;
  for (const v1::Action& action : response.actions()) {
    if (action.type() != "TikTok.UpdateAdGroupBudget") continue;
    ++raises;
    EXPECT_DOUBLE_EQ(action.params().fields().at("new_budget").number_value(), 13000);
  }
  EXPECT_EQ(raises, 3);
  EXPECT_EQ(response.status(), "success");
  // TikTok holds the new budgets.
  for (const auto& entry : sandbox_.RequestLog()) {
    if (entry.endpoint == "adgroup/update/") {
      EXPECT_EQ(entry.body["budget"], 13000);
    }
  }
  // A second run within the cooldown proposes the raise again but the guard drops it.
  sandbox_.ClearRequestLog();
  v1::RunTikTokResponse second;
  ASSERT_TRUE(Run("think-dispatch-2", true, second).ok());
  int cooled = 0;
  for (const v1::GuardOutcome& outcome : second.guardoutcomes()) {
    cooled += outcome.guard() == "cooldown" ? 1 : 0;
  }
  EXPECT_EQ(cooled, 3);
  for (const auto& entry : sandbox_.RequestLog()) {
    EXPECT_NE(entry.endpoint, "adgroup/update/");
  }
}

TEST_P(BrainRunTest, ARunCanBeRevertedOnceAndReplayedWithoutTikTok) {
  AddDirection(1e7);
  v1::RunTikTokResponse run;
  ASSERT_TRUE(Run("think-revert-1", true, run).ok());
  ASSERT_TRUE(run.dispatched());

  // Replay: the stored snapshot with the current policy, no TikTok call, the same plan.
  sandbox_.ClearRequestLog();
  v1::ReplayBrainExecutionRequest replay;
  replay.set_execution_id(run.executionid());
  v1::ReplayBrainExecutionResponse replayed;
  const absl::Status replay_status =
      Client(jwt_).Call("BrainService/ReplayExecution", replay, replayed);
  ASSERT_TRUE(replay_status.ok()) << replay_status;
  EXPECT_EQ(ApiCalls(), 0u);
  EXPECT_EQ(replayed.healthscores_size(), 3);
  EXPECT_TRUE(replayed.sameplan()) << replayed.DebugString();
  EXPECT_EQ(replayed.differences_size(), 0);

  // Revert: budgets back to what the run found, as one batch, once.
  v1::RevertBrainExecutionRequest revert;
  revert.set_execution_id(run.executionid());
  v1::RevertBrainExecutionResponse reverted;
  const absl::Status revert_status =
      Client(jwt_).Call("BrainService/RevertExecution", revert, reverted);
  ASSERT_TRUE(revert_status.ok()) << revert_status;
  EXPECT_EQ(reverted.status(), "success");
  ASSERT_EQ(reverted.actions_size(), 3);
  for (const v1::Action& action : reverted.actions()) {
    EXPECT_EQ(action.type(), "TikTok.UpdateAdGroupBudget");
    EXPECT_DOUBLE_EQ(action.params().fields().at("new_budget").number_value(), 10000);
  }
  int restored = 0;
  for (const auto& entry : sandbox_.RequestLog()) {
    if (entry.endpoint == "adgroup/update/") {
      ++restored;
      EXPECT_EQ(entry.body["budget"], 10000);
    }
  }
  EXPECT_EQ(restored, 3);
  sandbox_.ClearRequestLog();
  v1::RevertBrainExecutionResponse again;
  ASSERT_TRUE(Client(jwt_).Call("BrainService/RevertExecution", revert, again).ok());
  EXPECT_TRUE(again.mutation().replayed());
  for (const auto& entry : sandbox_.RequestLog()) EXPECT_NE(entry.endpoint, "adgroup/update/");

  // A run that applied nothing has nothing to revert.
  v1::RunTikTokResponse report;
  ASSERT_TRUE(Run("think-revert-report", false, report).ok());
  revert.set_execution_id(report.executionid());
  EXPECT_EQ(Client(jwt_).Call("BrainService/RevertExecution", revert, again).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_P(BrainRunTest, APausedAccountIsScoredAndReportedButNothingIsDispatched) {
  AddDirection(1e7);
  v1::SetDispatchPauseRequest pause;
  pause.set_paused(true);
  pause.set_reason("holiday");
  v1::DispatchPauseState state;
  ASSERT_TRUE(Client(jwt_).Call("BrainService/SetDispatchPause", pause, state).ok());
  EXPECT_TRUE(state.paused());
  // Only the operator pauses every account.
  v1::SetDispatchPauseRequest global;
  global.set_all_accounts(true);
  global.set_paused(true);
  EXPECT_EQ(Client(jwt_).Call("BrainService/SetDispatchPause", global, state).code(),
            absl::StatusCode::kPermissionDenied);

  sandbox_.ClearRequestLog();
  v1::RunTikTokResponse response;
  ASSERT_TRUE(Run("think-paused", true, response).ok());
  EXPECT_FALSE(response.dispatched());
  EXPECT_EQ(response.healthscores_size(), 3);
  int paused = 0;
  for (const v1::GuardOutcome& outcome : response.guardoutcomes()) {
    paused += outcome.guard() == "dispatch_paused" ? 1 : 0;
  }
  EXPECT_EQ(paused, 3);
  for (const auto& entry : sandbox_.RequestLog()) EXPECT_NE(entry.endpoint, "adgroup/update/");

  pause.set_paused(false);
  ASSERT_TRUE(Client(jwt_).Call("BrainService/SetDispatchPause", pause, state).ok());
  EXPECT_FALSE(state.paused());
  v1::RunTikTokResponse resumed;
  ASSERT_TRUE(Run("think-resumed", true, resumed).ok());
  EXPECT_TRUE(resumed.dispatched());
}

TEST_P(BrainRunTest, AnAccountWithoutTikTokDirectionsIsSkipped) {
  v1::RunTikTokResponse response;
  ASSERT_TRUE(Run("think-skip", false, response).ok());
  EXPECT_FALSE(response.success());
  EXPECT_TRUE(response.skipped());
  EXPECT_EQ(response.reason(), "no_directions");
}

TEST_P(BrainRunTest, BadInputAndForeignAccountsAreRefused) {
  v1::RunTikTokRequest request;
  request.set_account_id("not-a-uuid");
  v1::RunTikTokResponse response;
  EXPECT_EQ(Client(jwt_).Call("BrainService/RunTikTok", request, response).code(),
            absl::StatusCode::kInvalidArgument);
  request.clear_account_id();
  request.set_user_account_id(NewUser("someone-else"));
  EXPECT_EQ(Client(jwt_).Call("BrainService/RunTikTok", request, response).code(),
            absl::StatusCode::kPermissionDenied);
}

// A local OpenAI-compatible chat-completions endpoint answering `answer` as the model's content.
class FakeLlm {
 public:
  FakeLlm() : server_(std::make_unique<httplib::Server>()) {
    server_->Post("/v1/chat/completions", [this](const httplib::Request&, httplib::Response& res) {
      ++calls_;
      Json body = {{"id", "x"}, {"model", "fake-model"},
                   {"choices", Json::array({{{"index", 0}, {"finish_reason", "stop"},
                                             {"message", {{"role", "assistant"}, {"content", answer_}}}}})}};
      res.set_content(body.dump(), "application/json");
    });
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    while (!server_->is_running()) absl::SleepFor(absl::Milliseconds(1));
  }
  ~FakeLlm() {
    server_->stop();
    thread_.join();
  }
  std::string BaseUrl() const { return absl::StrCat("http://127.0.0.1:", port_, "/v1"); }
  void set_answer(std::string answer) { answer_ = std::move(answer); }
  int calls() const { return calls_; }

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::string answer_;
  std::atomic<int> calls_{0};
};

class BrainLlmTelegramTest : public BrainRunTest {
 protected:
  void ConfigureServer(ServerConfig& config) override {
    config.telegram_bot_token = "brain-bot";
    config.telegram_api_base_url = telegram_.BaseUrl();
    config.brain_llm_base_url = llm_.BaseUrl();
    config.brain_llm_model = "fake-model";
    config.brain_llm_timeout_ms = 5000;
  }
  ::ttads::testing::FakeTelegram telegram_;
  FakeLlm llm_;
};

TEST_P(BrainLlmTelegramTest, UsesAValidLlmPlanFallsBackOnABadOneAndReportsOnTelegram) {
  AddDirection(5000);
  v1::UpdateAccountSettingsRequest settings;
  settings.set_user_account_id(user_);
  settings.mutable_telegram_id()->set_value("4242");
  v1::UpdateAccountSettingsResponse updated;
  ASSERT_TRUE(Client(jwt_).Call("AccountService/UpdateAccountSettings", settings, updated).ok());

  // A valid plan: raise group 1 to 12000 (within the +30 % step).
  llm_.set_answer(Json{{"plan_note", "raise the best group"},
                       {"actions", Json::array({{{"type", "TikTok.UpdateAdGroupBudget"},
                                                 {"adgroup_id", AdGroupId(1)},
                                                 {"new_budget", 12000},
                                                 {"reason", "cheap leads"}}})}}
                      .dump());
  v1::RunTikTokRequest request;
  request.set_idempotency_key("think-llm-1");
  request.mutable_inputs()->mutable_send_report()->set_value(true);
  v1::RunTikTokResponse response;
  const absl::Status status = Client(jwt_).Call("BrainService/RunTikTok", request, response);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(llm_.calls(), 1);
  EXPECT_EQ(response.plannote().rfind("tiktok_llm_plan_v1", 0), 0u) << response.plannote();
  bool raised = false;
  for (const v1::Action& action : response.actions()) {
    if (action.type() == "TikTok.UpdateAdGroupBudget") {
      raised = action.params().fields().at("adgroup_id").string_value() == AdGroupId(1) &&
               action.params().fields().at("new_budget").number_value() == 12000;
    }
  }
  EXPECT_TRUE(raised) << response.DebugString();
  // The report went to the user's chat through the fake Bot API.
  EXPECT_TRUE(response.telegramsent());
  ASSERT_TRUE(telegram_.WaitForMessages(1));
  EXPECT_EQ(telegram_.Messages()[0].body["chat_id"], "4242");
  EXPECT_NE(telegram_.Messages()[0].body["text"].get<std::string>().find("TikTok"),
            std::string::npos);

  // A malformed answer: the deterministic plan, and the record says why.
  llm_.set_answer(
      R"({"plan_note": "x", "actions": [{"type": "TikTok.DeleteEverything", "adgroup_id": "1"}]})");
  request.set_idempotency_key("think-llm-2");
  v1::RunTikTokResponse fallback;
  ASSERT_TRUE(Client(jwt_).Call("BrainService/RunTikTok", request, fallback).ok());
  EXPECT_EQ(fallback.plannote(), "tiktok_deterministic_fallback_v1");
  const auto& llm = fallback.llm().fields();
  ASSERT_TRUE(llm.count("fallback_reason") > 0) << fallback.DebugString();
  EXPECT_NE(llm.at("fallback_reason").string_value().find("DeleteEverything"), std::string::npos)
      << llm.at("fallback_reason").string_value();
}

INSTANTIATE_TEST_SUITE_P(Backends, BrainLlmTelegramTest, ::ttads::testing::AllBackends(),
                         ::ttads::testing::BackendName);

INSTANTIATE_TEST_SUITE_P(Backends, BrainRunTest, ::ttads::testing::AllBackends(),
                         ::ttads::testing::BackendName);

}  // namespace
}  // namespace ttads::server
