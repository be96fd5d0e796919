// The brain's LLM planner against a local fake of an OpenAI-compatible chat-completions endpoint
// (cpp-httplib on 127.0.0.1, port picked by the OS).
#include "server/llm_planner.h"

#include <httplib.h>

#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace ttads::server {
namespace {

using Json = nlohmann::json;

constexpr char kApiKey[] = "sk-test-key-1234567890";

class FakeChatCompletions {
 public:
  struct Request {
    std::string path;
    std::string authorization;
    Json body;
  };
  struct Answer {
    int status = 200;
    std::string body;
    absl::Duration delay = absl::ZeroDuration();
  };

  FakeChatCompletions() : server_(std::make_unique<httplib::Server>()) {
    server_->Post(R"(/v1/chat/completions)",
                  [this](const httplib::Request& req, httplib::Response& res) {
                    Answer answer;
                    {
                      absl::MutexLock lock(&mutex_);
                      requests_.push_back({req.path, req.get_header_value("Authorization"),
                                           Json::parse(req.body, nullptr, false)});
                      if (!answers_.empty()) {
                        answer = answers_.front();
                        answers_.pop_front();
                      }
                    }
                    if (answer.delay > absl::ZeroDuration()) absl::SleepFor(answer.delay);
                    res.status = answer.status;
                    res.set_content(answer.body, "application/json");
                  });
    port_ = server_->bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    while (!server_->is_running()) absl::SleepFor(absl::Milliseconds(1));
  }
  ~FakeChatCompletions() {
    server_->stop();
    if (thread_.joinable()) thread_.join();
  }
  FakeChatCompletions(const FakeChatCompletions&) = delete;
  FakeChatCompletions& operator=(const FakeChatCompletions&) = delete;

  std::string BaseUrl() const { return absl::StrCat("http://127.0.0.1:", port_, "/v1"); }
  void AnswerNext(Answer answer) {
    absl::MutexLock lock(&mutex_);
    answers_.push_back(std::move(answer));
  }
  std::vector<Request> Requests() const {
    absl::MutexLock lock(&mutex_);
    return requests_;
  }

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  mutable absl::Mutex mutex_;
  std::vector<Request> requests_ ABSL_GUARDED_BY(mutex_);
  std::deque<Answer> answers_ ABSL_GUARDED_BY(mutex_);
};

// An OpenAI-style response whose message content is `content`.
std::string Completion(const std::string& content, const std::string& finish_reason = "stop") {
  return Json{{"id", "chatcmpl-1"},
              {"object", "chat.completion"},
              {"model", "fake-model-2024"},
              {"choices",
               {{{"index", 0},
                 {"message", {{"role", "assistant"}, {"content", content}}},
                 {"finish_reason", finish_reason}}}}}
      .dump();
}

LlmPlanInput Input() {
  LlmPlanInput input;
  input.currency = "KZT";
  input.report_date = "2024-05-01";
  input.account_notes = "Spring promo; keep the brand ad group running.";
  AdGroupSnapshot good;
  good.adgroup_id = "1001";
  good.campaign_id = "501";
  good.operation_status = "ENABLE";
  good.daily_budget = 10000;
  good.impressions_yesterday = 12000;
  good.health.score = 40;
  good.health.health_class = "very_good";
  good.health.cpl_gap = 30;
  good.health.leads_yesterday = 6;
  good.health.cpl_yesterday = 1500;
  good.health.ctr_yesterday = 1.4;
  good.health.cpm_yesterday = 750;
  good.ads = {{"2001", "ENABLE", 6000, 5}, {"2002", "ENABLE", 3000, 1}};
  AdGroupSnapshot bad;
  bad.adgroup_id = "1002";
  bad.campaign_id = "502";
  bad.operation_status = "ENABLE";
  bad.daily_budget = 8000;
  bad.impressions_yesterday = 5000;
  bad.health.score = -30;
  bad.health.health_class = "bad";
  bad.ads = {{"2003", "ENABLE", 8000, 0}};
  input.ad_groups = {good, bad};
  return input;
}

class LlmPlannerTest : public ::testing::Test {
 protected:
  LlmConfig Config() const {
    LlmConfig config;
    config.base_url = fake_.BaseUrl();
    config.api_key = kApiKey;
    config.model = "fake-model";
    config.timeout = absl::Seconds(10);
    return config;
  }
  // Plans once with the fake answering `content` as the message content.
  LlmPlanResult PlanWithContent(const std::string& content) {
    fake_.AnswerNext({200, Completion(content)});
    LlmPlanner planner(Config());
    return planner.Plan(Input());
  }

  FakeChatCompletions fake_;
};

constexpr char kValidAnswer[] = R"({
  "plan_note": "grow 1001, cut 1002, pause its idle ad",
  "actions": [
    {"type": "TikTok.UpdateAdGroupBudget", "adgroup_id": "1001", "new_budget": 13000,
     "reason": "CPL 1500 well under target"},
    {"type": "TikTok.PauseAd", "adgroup_id": "1002", "ad_id": "2003", "reason": "no leads"},
    {"type": "TikTok.UpdateAdGroupBudget", "adgroup_id": "1002", "new_budget": 4000.5,
     "ad_id": null, "reason": "bad health"}
  ]
})";

TEST_F(LlmPlannerTest, ValidAnswerIsUsedAndMapped) {
  fake_.AnswerNext({200, Completion(kValidAnswer)});
  LlmPlanner planner(Config());
  const LlmPlanResult result = planner.Plan(Input());

  ASSERT_TRUE(result.used) << result.fallback_reason;
  EXPECT_EQ(result.fallback_reason, "");
  EXPECT_EQ(result.plan_note, "tiktok_llm_plan_v1: grow 1001, cut 1002, pause its idle ad");
  EXPECT_EQ(result.model, "fake-model-2024");
  ASSERT_EQ(result.actions.size(), 3u);
  const PlannedAction& raise = result.actions[0];
  EXPECT_EQ(raise.type, kUpdateAdGroupBudget);
  EXPECT_EQ(raise.campaign_id, "501");
  EXPECT_EQ(raise.adgroup_id, "1001");
  EXPECT_EQ(raise.ad_id, "");
  EXPECT_EQ(raise.old_budget, 10000);
  EXPECT_EQ(raise.new_budget, 13000);
  EXPECT_EQ(raise.reason, "CPL 1500 well under target");
  const PlannedAction& pause = result.actions[1];
  EXPECT_EQ(pause.type, kPauseAd);
  EXPECT_EQ(pause.campaign_id, "502");
  EXPECT_EQ(pause.adgroup_id, "1002");
  EXPECT_EQ(pause.ad_id, "2003");
  EXPECT_FALSE(pause.new_budget.has_value());
  EXPECT_EQ(result.actions[2].new_budget, 4000.5);
  EXPECT_EQ(result.actions[2].old_budget, 8000);

  // The request: path, key, model, JSON mode, and the snapshots in the user message.
  const std::vector<FakeChatCompletions::Request> requests = fake_.Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].path, "/v1/chat/completions");
  EXPECT_EQ(requests[0].authorization, absl::StrCat("Bearer ", kApiKey));
  const Json& body = requests[0].body;
  ASSERT_TRUE(body.is_object()) << body;
  EXPECT_EQ(body.value("model", ""), "fake-model");
  EXPECT_EQ(body["response_format"], Json({{"type", "json_object"}}));
  EXPECT_EQ(body["temperature"], 0);
  EXPECT_EQ(body["max_tokens"], 1500);
  ASSERT_TRUE(body["messages"].is_array());
  ASSERT_EQ(body["messages"].size(), 2u);
  EXPECT_EQ(body["messages"][0]["role"], "system");
  EXPECT_NE(body["messages"][0]["content"].get<std::string>().find("TikTok.PauseAdGroup"),
            std::string::npos);
  EXPECT_EQ(body["messages"][1]["role"], "user");
  const Json user = Json::parse(body["messages"][1]["content"].get<std::string>(), nullptr, false);
  ASSERT_TRUE(user.is_object());
  EXPECT_EQ(user["currency"], "KZT");
  EXPECT_EQ(user["report_date"], "2024-05-01");
  EXPECT_EQ(user["account_notes"], "Spring promo; keep the brand ad group running.");
  EXPECT_EQ(user["policy"]["target_cpl"], 5000);
  EXPECT_EQ(user["policy"]["max_step_up"], 1.3);
  ASSERT_EQ(user["ad_groups"].size(), 2u);
  const Json& first = user["ad_groups"][0];
  EXPECT_EQ(first["adgroup_id"], "1001");
  EXPECT_EQ(first["daily_budget"], 10000);
  EXPECT_EQ(first["health"]["class"], "very_good");
  EXPECT_EQ(first["health"]["components"]["cpl_gap"], 30);
  EXPECT_EQ(first["yesterday"]["cpl"], 1500);
  EXPECT_EQ(first["ads"][0]["ad_id"], "2001");
  EXPECT_TRUE(user["ad_groups"][1]["yesterday"]["cpl"].is_null());

  // The debug record holds the messages, never the key.
  EXPECT_EQ(Json::parse(result.prompt_json, nullptr, false), body["messages"]);
  EXPECT_EQ(result.prompt_json.find(kApiKey), std::string::npos);
  EXPECT_NE(result.raw_answer.find("chatcmpl-1"), std::string::npos);
}

TEST_F(LlmPlannerTest, FencedJsonIsAccepted) {
  const LlmPlanResult result = PlanWithContent(absl::StrCat("```json\n", kValidAnswer, "\n```\n"));
  ASSERT_TRUE(result.used) << result.fallback_reason;
  EXPECT_EQ(result.actions.size(), 3u);
  const LlmPlanResult bare = PlanWithContent(absl::StrCat("```\n", kValidAnswer, "```"));
  EXPECT_TRUE(bare.used) << bare.fallback_reason;
}

TEST_F(LlmPlannerTest, EmptyPlanIsAValidAnswer) {
  const LlmPlanResult result = PlanWithContent(R"({"plan_note": "", "actions": []})");
  ASSERT_TRUE(result.used) << result.fallback_reason;
  EXPECT_TRUE(result.actions.empty());
  EXPECT_EQ(result.plan_note, "tiktok_llm_plan_v1");
}

TEST_F(LlmPlannerTest, InvalidAnswersFallBackWithAPreciseReason) {
  struct Case {
    std::string content;
    std::string reason;
  };
  const std::string long_reason(501, 'x');
  std::string many = R"({"plan_note": "n", "actions": [)";
  for (int i = 0; i < 51; ++i) {
    absl::StrAppend(&many, i == 0 ? "" : ",",
                    R"({"type":"TikTok.PauseAdGroup","adgroup_id":"1002","reason":"r"})");
  }
  absl::StrAppend(&many, "]}");
  const std::vector<Case> cases = {
      {"I would raise the budget of 1001.", "answer is not JSON"},
      {"", "answer is empty"},
      {"[1, 2]", "answer is not a JSON object"},
      {R"({"plan_note": "n", "actions": [], "extra": 1})", R"(answer: unknown key "extra")"},
      {R"({"actions": []})", "plan_note: missing"},
      {R"({"plan_note": "n"})", "actions: missing"},
      {R"({"plan_note": "n", "actions": {}})", "actions: must be an array"},
      {many, "actions: 51 actions, at most 50 allowed"},
      {R"({"plan_note": "n", "actions": [{"type": "TikTok.DeleteAdGroup", "adgroup_id": "1001",
          "reason": "r"}]})",
       R"(actions[0].type: "TikTok.DeleteAdGroup" is not an allowed action type (allowed: )"
       "TikTok.UpdateAdGroupBudget, TikTok.PauseAd, TikTok.PauseAdGroup, TikTok.ResumeAdGroup)"},
      {R"({"plan_note": "n", "actions": [{"type": "TikTok.PauseAdGroup", "adgroup_id": "1001",
          "reason": "r"}, {"type": "TikTok.PauseAdGroup", "adgroup_id": "9999", "reason": "r"}]})",
       R"(actions[1].adgroup_id: "9999" is not one of the account's ad groups)"},
      {R"({"plan_note": "n", "actions": [{"type": "TikTok.PauseAdGroup", "adgroup_id": 1001,
          "reason": "r"}]})",
       "actions[0].adgroup_id: must be a string of digits"},
      {R"({"plan_note": "n", "actions": [{"type": "TikTok.PauseAd", "adgroup_id": "1001",
          "ad_id": "2003", "reason": "r"}]})",
       R"(actions[0].ad_id: "2003" is not an ad of ad group "1001")"},
      {R"({"plan_note": "n", "actions": [{"type": "TikTok.PauseAd", "adgroup_id": "1001",
          "reason": "r"}]})",
       "actions[0].ad_id: required for TikTok.PauseAd"},
      {R"({"plan_note": "n", "actions": [{"type": "TikTok.UpdateAdGroupBudget",
          "adgroup_id": "1001", "new_budget": -5, "reason": "r"}]})",
       "actions[0].new_budget: must be a finite positive number, got -5"},
      {R"({"plan_note": "n", "actions": [{"type": "TikTok.UpdateAdGroupBudget",
          "adgroup_id": "1001", "new_budget": "13000", "reason": "r"}]})",
       "actions[0].new_budget: must be a number"},
      {R"({"plan_note": "n", "actions": [{"type": "TikTok.UpdateAdGroupBudget",
          "adgroup_id": "1001", "reason": "r"}]})",
       "actions[0].new_budget: required for TikTok.UpdateAdGroupBudget"},
      {R"({"plan_note": "n", "actions": [{"type": "TikTok.PauseAdGroup", "adgroup_id": "1001",
          "new_budget": 5, "reason": "r"}]})",
       "actions[0].new_budget: only allowed with TikTok.UpdateAdGroupBudget"},
      {R"({"plan_note": "n", "actions": [{"type": "TikTok.PauseAdGroup", "adgroup_id": "1001"}]})",
       "actions[0].reason: missing"},
      {absl::StrCat(R"({"plan_note": "n", "actions": [{"type": "TikTok.PauseAdGroup",
          "adgroup_id": "1001", "reason": ")",
                    long_reason, R"("}]})"),
       "actions[0].reason: longer than 500 characters"},
      {R"({"plan_note": "n", "actions": [{"type": "TikTok.PauseAdGroup", "adgroup_id": "1001",
          "reason": "r", "priority": 1}]})",
       R"(actions[0]: unknown key "priority")"},
      {R"({"plan_note": "n", "actions": ["pause 1001"]})", "actions[0]: must be an object"},
  };
  for (const Case& c : cases) {
    const LlmPlanResult result = PlanWithContent(c.content);
    EXPECT_FALSE(result.used) << c.content;
    EXPECT_TRUE(result.actions.empty()) << c.content;
    EXPECT_EQ(result.fallback_reason, c.reason) << c.content;
    EXPECT_EQ(result.plan_note, "") << c.content;
  }
}

TEST_F(LlmPlannerTest, TypesOutsideThePolicyAreRejected) {
  fake_.AnswerNext({200, Completion(R"({"plan_note": "n", "actions": [
      {"type": "TikTok.ResumeAdGroup", "adgroup_id": "1001", "reason": "r"}]})")});
  LlmPlanInput input = Input();
  input.policy.allowed_types = {kUpdateAdGroupBudget, kPauseAd};
  const LlmPlanResult result = LlmPlanner(Config()).Plan(input);
  EXPECT_FALSE(result.used);
  EXPECT_EQ(result.fallback_reason,
            R"(actions[0].type: "TikTok.ResumeAdGroup" is not an allowed action type )"
            "(allowed: TikTok.UpdateAdGroupBudget, TikTok.PauseAd)");
}

TEST_F(LlmPlannerTest, BrokenEnvelopesFallBack) {
  struct Case {
    std::string body;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {R"({"id": "x", "model": "m"})", "LLM endpoint's response has no choices"},
      {R"({"choices": []})", "LLM endpoint's response has no choices"},
      {"<html>bad gateway</html>", "LLM endpoint's response is not JSON"},
      {R"({"choices": [{"message": {"role": "assistant", "content": null}}]})",
       "choices[0].message.content: must be a string"},
      {R"({"choices": [{"finish_reason": "stop"}]})", "choices[0].message: missing"},
      {R"({"choices": [{"message": {"content": "", "refusal": "I can't help with that"}}]})",
       R"(the model refused: "I can't help with that")"},
      {Completion(R"({"plan_note": "n", "actions": [{"type": "TikTok.Pau)", "length"),
       "answer cut off at max_tokens (1500; finish_reason \"length\")"},
  };
  for (const Case& c : cases) {
    fake_.AnswerNext({200, c.body});
    const LlmPlanResult result = LlmPlanner(Config()).Plan(Input());
    EXPECT_FALSE(result.used) << c.body;
    EXPECT_EQ(result.fallback_reason, c.reason) << c.body;
    EXPECT_EQ(result.raw_answer, c.body);
  }
}

TEST_F(LlmPlannerTest, HttpErrorsFallBackAndNeverShowTheKey) {
  fake_.AnswerNext({500, "internal error"});
  LlmPlanResult result = LlmPlanner(Config()).Plan(Input());
  EXPECT_FALSE(result.used);
  EXPECT_EQ(result.fallback_reason, "HTTP 500 from the LLM endpoint");

  fake_.AnswerNext({429, R"({"error": {"message": "Rate limit reached", "type": "requests"}})"});
  result = LlmPlanner(Config()).Plan(Input());
  EXPECT_EQ(result.fallback_reason, R"(HTTP 429 from the LLM endpoint: "Rate limit reached")");

  // Some endpoints echo the key they rejected.
  fake_.AnswerNext({401, absl::StrCat(R"({"error": {"message": "Incorrect API key provided: )",
                                      kApiKey, R"("}})")});
  result = LlmPlanner(Config()).Plan(Input());
  EXPECT_FALSE(result.used);
  EXPECT_EQ(result.fallback_reason,
            R"(HTTP 401 from the LLM endpoint: "Incorrect API key provided: <redacted>")");
  EXPECT_EQ(result.fallback_reason.find(kApiKey), std::string::npos);
  EXPECT_EQ(result.raw_answer.find(kApiKey), std::string::npos);
  EXPECT_EQ(result.prompt_json.find(kApiKey), std::string::npos);
}

// Found with fuzz/llm_plan_fuzz's invariant (no returned string holds a piece of the key) on the
// input fuzz/corpus/llm_plan_fuzz/regression_key_cut_in_error: the endpoint's error message is
// quoted cut to 80 characters, and the key was blanked out only afterwards, so a cut through
// the key left its first characters in the fallback reason.
TEST_F(LlmPlannerTest, AnErrorMessageCutThroughTheKeyShowsNoPartOfIt) {
  const std::string prefix(65, 'x');  // the key then starts 66 characters into the quote
  fake_.AnswerNext({401, absl::StrCat(R"({"error": {"message": ")", prefix, kApiKey, R"("}})")});
  const LlmPlanResult result = LlmPlanner(Config()).Plan(Input());
  EXPECT_FALSE(result.used);
  EXPECT_EQ(result.fallback_reason.find("sk-test"), std::string::npos) << result.fallback_reason;
  EXPECT_EQ(result.raw_answer.find("sk-test"), std::string::npos);
}

TEST_F(LlmPlannerTest, TimeoutFallsBack) {
  fake_.AnswerNext({200, Completion(kValidAnswer), absl::Seconds(1)});
  LlmConfig config = Config();
  config.timeout = absl::Milliseconds(200);
  const absl::Time start = absl::Now();
  const LlmPlanResult result = LlmPlanner(config).Plan(Input());
  EXPECT_LT(absl::Now() - start, absl::Milliseconds(900));
  EXPECT_FALSE(result.used);
  EXPECT_EQ(result.fallback_reason, "LLM endpoint timed out after 200ms");
}

TEST_F(LlmPlannerTest, UnreachableAndUnconfiguredFallBack) {
  LlmConfig config = Config();
  config.base_url = "http://127.0.0.1:1/v1";  // nothing listens on port 1
  LlmPlanResult result = LlmPlanner(config).Plan(Input());
  EXPECT_FALSE(result.used);
  EXPECT_EQ(result.fallback_reason.rfind("LLM endpoint unreachable: ", 0), 0u)
      << result.fallback_reason;

  LlmConfig unconfigured;
  EXPECT_FALSE(unconfigured.enabled());
  result = LlmPlanner(unconfigured).Plan(Input());
  EXPECT_FALSE(result.used);
  EXPECT_EQ(result.fallback_reason,
            "LLM planner not configured (BRAIN_LLM_BASE_URL and BRAIN_LLM_MODEL)");
  EXPECT_TRUE(fake_.Requests().empty());
}

TEST_F(LlmPlannerTest, NoKeyMeansNoAuthorizationHeader) {
  fake_.AnswerNext({200, Completion(kValidAnswer)});
  LlmConfig config = Config();
  config.api_key.clear();
  config.base_url += "/";  // a trailing slash is tolerated
  EXPECT_TRUE(LlmPlanner(config).Plan(Input()).used);
  ASSERT_EQ(fake_.Requests().size(), 1u);
  EXPECT_EQ(fake_.Requests()[0].authorization, "");
}

TEST(LlmPlanParseTest, ParsesWithoutHttp) {
  absl::StatusOr<LlmPlan> plan = ParseLlmPlan(kValidAnswer, Input());
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->note, "grow 1001, cut 1002, pause its idle ad");
  EXPECT_EQ(plan->actions.size(), 3u);
  const std::string note(201, 'n');
  plan = ParseLlmPlan(absl::StrCat(R"({"plan_note": ")", note, R"(", "actions": []})"), Input());
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().message(), "plan_note: longer than 200 characters");
  // Characters, not bytes: 200 Cyrillic letters fit.
  std::string cyrillic;
  for (int i = 0; i < 200; ++i) cyrillic += "ж";
  EXPECT_TRUE(
      ParseLlmPlan(absl::StrCat(R"({"plan_note": ")", cyrillic, R"(", "actions": []})"), Input())
          .ok());
}

}  // namespace
}  // namespace ttads::server
