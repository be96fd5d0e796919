// The brain's LLM planner reading an OpenAI-compatible endpoint's answer (server/llm_planner.h):
// the chat-completions envelope, the plan JSON inside it and its schema checks, then the guards
// every plan passes (server/brain_plan.h).
//
// Input: byte 0 picks the mode, the rest is its text.
//   0, 1: the rest is the endpoint's HTTP 200 body (a whole chat completion);
//   2:    the same body with HTTP 500 (the error path);
//   3:    the rest is the message content alone (ParseLlmPlan).
// Invariants: an accepted plan uses only the input's ad groups and ads, allowed types, finite
// positive budgets for budget changes only, at most 50 actions and short reasons; no returned
// string holds the API key or a 12-character piece of it; the guards keep at most
// max_actions changes, each on an input ad group.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "fuzz/fuzz_support.h"
#include "server/brain_plan.h"
#include "server/llm_planner.h"

namespace ttads::fuzz {
namespace {

constexpr char kApiKey[] = "sk-fuzz-SECRET-0123456789abcdef";

server::LlmPlanInput PlanInput() {
  server::LlmPlanInput input;
  input.currency = "KZT";
  input.report_date = "2026-11-23";
  for (int g = 1; g <= 2; ++g) {
    server::AdGroupSnapshot group;
    group.adgroup_id = absl::StrCat("181000000000000000", g);
    group.campaign_id = "1800000000000000001";
    group.operation_status = g == 1 ? "ENABLE" : "DISABLE";
    group.daily_budget = 5000;
    group.impressions_yesterday = 4000;
    group.health.score = g == 1 ? 30 : -30;
    group.health.health_class = g == 1 ? "very_good" : "bad";
    group.health.cpl_yesterday = 800;
    for (int a = 1; a <= 2; ++a) {
      group.ads.push_back({absl::StrCat("18200000000000000", g, a), "ENABLE", 1500.0 * a, a - 1});
    }
    input.ad_groups.push_back(group);
  }
  return input;
}

const server::AdGroupSnapshot* GroupOf(const server::LlmPlanInput& input, const std::string& id) {
  for (const server::AdGroupSnapshot& group : input.ad_groups) {
    if (group.adgroup_id == id) return &group;
  }
  return nullptr;
}

void CheckPlan(const std::vector<server::PlannedAction>& actions,
               const server::LlmPlanInput& input) {
  FUZZ_CHECK(actions.size() <= server::kLlmMaxActions, "too many actions accepted");
  for (const server::PlannedAction& action : actions) {
    const server::AdGroupSnapshot* group = GroupOf(input, action.adgroup_id);
    FUZZ_CHECK(group != nullptr, "action on an ad group not in the input");
    FUZZ_CHECK(action.type == server::kUpdateAdGroupBudget || action.type == server::kPauseAd ||
                   action.type == server::kPauseAdGroup || action.type == server::kResumeAdGroup,
               "action of a type not allowed");
    if (action.type == server::kPauseAd) {
      bool found = false;
      for (const server::AdSnapshot& ad : group->ads) found = found || ad.ad_id == action.ad_id;
      FUZZ_CHECK(found, "pause of an ad not in its ad group");
    } else {
      FUZZ_CHECK(action.ad_id.empty(), "ad id on an action that takes none");
    }
    if (action.type == server::kUpdateAdGroupBudget) {
      FUZZ_CHECK(action.new_budget.has_value() && std::isfinite(*action.new_budget) &&
                     *action.new_budget > 0,
                 "budget change without a finite positive budget");
    } else {
      FUZZ_CHECK(!action.new_budget.has_value(), "budget on an action that takes none");
    }
    FUZZ_CHECK(action.reason.size() <= 4 * server::kLlmMaxReasonChars, "reason too long");
  }
  const server::GuardedPlan guarded = server::ApplyGuards(actions, input.ad_groups, input.policy,
                                                          "", absl::FromUnixSeconds(1795600000));
  int changes = 0;
  for (const server::PlannedAction& action : guarded.actions) {
    if (action.type == server::kGetCampaignStatus) continue;
    ++changes;
    FUZZ_CHECK(GroupOf(input, action.adgroup_id) != nullptr, "guarded action off the input");
  }
  FUZZ_CHECK(changes <= input.policy.max_actions, "guards kept more than max_actions changes");
}

bool HasKeyPiece(absl::string_view text) {
  const absl::string_view key = kApiKey;
  for (size_t start = 0; start + 12 <= key.size(); ++start) {
    if (text.find(key.substr(start, 12)) != absl::string_view::npos) return true;
  }
  return false;
}

// `input_has_piece`: the answer itself holds a piece of the key outside whole-key occurrences
// (then echoing that piece is not a leak; only the whole key is checked).
void CheckNoKey(const std::string& text, bool input_has_piece) {
  FUZZ_CHECK(text.find(kApiKey) == std::string::npos, "a returned string holds the API key");
  if (!input_has_piece) {
    FUZZ_CHECK(!HasKeyPiece(text), "a returned string holds a piece of the API key");
  }
}

}  // namespace
}  // namespace ttads::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ttads::fuzz;
  if (size < 1) return 0;
  static const ttads::server::LlmPlanInput input = PlanInput();
  const absl::string_view rest = AsText(data + 1, size - 1);
  const int mode = data[0] % 4;
  if (mode == 3) {
    absl::StatusOr<ttads::server::LlmPlan> plan = ttads::server::ParseLlmPlan(rest, input);
    if (plan.ok()) CheckPlan(plan->actions, input);
    return 0;
  }
  ttads::server::LlmConfig config;
  config.base_url = "http://llm.fuzz.invalid/v1";
  config.api_key = kApiKey;
  config.model = "fuzz-model";
  const int status = mode == 2 ? 500 : 200;
  auto transport = std::make_shared<FunctionTransport>([&](const ttads::tiktok::HttpRequest&) {
    ttads::tiktok::HttpResponse response;
    response.status = status;
    response.body = std::string(rest);
    return response;
  });
  ttads::server::LlmPlanner planner(config, transport);
  const ttads::server::LlmPlanResult result = planner.Plan(input);
  FUZZ_CHECK(result.used == result.fallback_reason.empty(), "used and fallback_reason disagree");
  if (result.used) CheckPlan(result.actions, input);
  // JSON escapes could spell a piece of the key the plain-text search does not see: with a
  // backslash in the answer only the whole key is checked.
  const bool input_has_piece =
      HasKeyPiece(absl::StrReplaceAll(rest, {{kApiKey, ""}})) || rest.find('\\') != rest.npos;
  for (const std::string* text :
       {&result.plan_note, &result.fallback_reason, &result.model, &result.raw_answer}) {
    CheckNoKey(*text, input_has_piece);
  }
  for (const ttads::server::PlannedAction& action : result.actions) {
    CheckNoKey(action.reason, input_has_piece);
  }
  return 0;
}
