#include "server/llm_planner.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "nlohmann/json.hpp"

namespace ttads::server {
namespace {

using Json = nlohmann::json;
// The prompt keeps insertion order: policy before ad groups reads better for a model.
using OrderedJson = nlohmann::ordered_json;

// Serialises without throwing: invalid UTF-8 in an input string becomes U+FFFD.
template <typename J>
std::string Dump(const J& value) {
  return value.dump(-1, ' ', false, J::error_handler_t::replace);
}

// The change types an LLM may propose (never the status reads), in the order the prompt lists.
std::vector<std::string> AllowedTypes(const PlanPolicy& policy) {
  std::vector<std::string> allowed;
  for (const char* type : {kUpdateAdGroupBudget, kPauseAd, kPauseAdGroup, kResumeAdGroup}) {
    if (std::find(policy.allowed_types.begin(), policy.allowed_types.end(), type) !=
        policy.allowed_types.end()) {
      allowed.push_back(type);
    }
  }
  return allowed;
}

// Figures are rounded for the prompt: cents are noise to a planner and cost tokens.
double Round2(double value) { return std::round(value * 100) / 100; }

OrderedJson OptionalNumber(const std::optional<double>& value) {
  return value.has_value() ? OrderedJson(Round2(*value)) : OrderedJson(nullptr);
}

OrderedJson SnapshotJson(const AdGroupSnapshot& group) {
  const HealthScore& health = group.health;
  OrderedJson ads = OrderedJson::array();
  for (const AdSnapshot& ad : group.ads) {
    ads.push_back({{"ad_id", ad.ad_id},
                   {"status", ad.operation_status},
                   {"spend_yesterday", Round2(ad.spend_yesterday)},
                   {"leads_yesterday", ad.leads_yesterday}});
  }
  OrderedJson out = {
      {"adgroup_id", group.adgroup_id},
      {"campaign_id", group.campaign_id},
      {"status", group.operation_status},
      {"daily_budget", Round2(group.daily_budget)},
      {"health",
       {{"skipped", health.skipped},
        {"score", health.score},
        {"class", health.health_class},
        {"components",
         {{"cpl_gap", Round2(health.cpl_gap)},
          {"trend", Round2(health.trend)},
          {"ctr_penalty", Round2(health.ctr_penalty)},
          {"cpm_penalty", Round2(health.cpm_penalty)},
          {"today_adjustment", Round2(health.today_adjustment)},
          {"volume_factor", Round2(health.volume_factor)}}}}},
      {"yesterday",
       {{"impressions", group.impressions_yesterday},
        {"leads", health.leads_yesterday},
        {"cpl", OptionalNumber(health.cpl_yesterday)},
        {"ctr_percent", OptionalNumber(health.ctr_yesterday)},
        {"cpm", OptionalNumber(health.cpm_yesterday)}}},
      {"ads", std::move(ads)}};
  if (group.last_budget_change.has_value()) {
    out["last_budget_change"] =
        absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", *group.last_budget_change, absl::UTCTimeZone());
  }
  return out;
}

std::string SystemPrompt(const LlmPlanInput& input) {
  const PlanPolicy& policy = input.policy;
  const std::vector<std::string> allowed = AllowedTypes(policy);
  std::string types;
  for (const std::string& type : allowed) {
    if (type == kUpdateAdGroupBudget) {
      absl::StrAppend(&types, "- ", type,
                      " {adgroup_id, new_budget}: set the ad group's daily budget.\n");
    } else if (type == kPauseAd) {
      absl::StrAppend(&types, "- ", type,
                      " {adgroup_id, ad_id}: pause one ad of that ad group.\n");
    } else if (type == kPauseAdGroup) {
      absl::StrAppend(&types, "- ", type, " {adgroup_id}: pause the whole ad group.\n");
    } else if (type == kResumeAdGroup) {
      absl::StrAppend(&types, "- ", type, " {adgroup_id}: resume a paused ad group.\n");
    }
  }
  if (types.empty()) types = "- none: answer with an empty actions array.\n";
  return absl::StrCat(
      "You plan today's changes to one TikTok Ads account. The user message is JSON: the "
      "policy, and for each ad group its status, daily budget, health score (class, score and "
      "components; higher is better) and yesterday's figures (impressions, leads, cost per lead, "
      "CTR in percent, CPM), with each ad's spend and leads yesterday.\n\n"
      "Allowed action types (use no others):\n",
      types,
      "\nRules:\n"
      "- Budgets are daily amounts in the account currency (",
      input.currency.empty() ? "see the input" : input.currency,
      "), as plain numbers.\n"
      "- A new budget stays between the current budget x policy.max_step_down and the current "
      "budget x policy.max_step_up, and within [policy.min_budget, policy.max_budget].\n"
      "- Propose at most policy.max_actions actions. No action is a valid plan: prefer fewer "
      "actions when the data is thin.\n"
      "- Use only the ad groups and ads of the input, with their ids exactly as given (strings "
      "of digits). A TikTok.PauseAd's ad_id must be an ad of its adgroup_id.\n"
      "- Change budgets and pause only ad groups with status ENABLE; resume only ad groups with "
      "status DISABLE. Leave alone ad groups whose health.skipped is true or with fewer than "
      "policy.min_impressions impressions yesterday.\n"
      "- The goal is leads at or below policy.target_cpl: grow what is cheap, cut what is "
      "expensive, pause ads that spend without leads.\n"
      "- Every action is checked afterwards; actions that break these rules are dropped or "
      "clamped.\n\n"
      "Answer with one JSON object and nothing else, in exactly this schema:\n"
      "{\"plan_note\": string (at most 200 characters, one line summing up the plan), "
      "\"actions\": [{\"type\": string, \"adgroup_id\": string, "
      "\"ad_id\": string (TikTok.PauseAd only), "
      "\"new_budget\": number (TikTok.UpdateAdGroupBudget only), "
      "\"reason\": string (at most 500 characters)}]}\n"
      "No other keys. An empty actions array is a valid answer.");
}

std::string UserMessage(const LlmPlanInput& input) {
  const PlanPolicy& policy = input.policy;
  OrderedJson groups = OrderedJson::array();
  for (const AdGroupSnapshot& group : input.ad_groups) groups.push_back(SnapshotJson(group));
  OrderedJson user = {
      {"report_date", input.report_date},
      {"currency", input.currency},
      {"policy",
       {{"target_cpl", Round2(policy.target_cpl)},
        {"min_budget", Round2(policy.min_budget)},
        {"max_budget", Round2(policy.max_budget)},
        {"max_step_up", policy.max_step_up},
        {"max_step_down", policy.max_step_down},
        {"max_actions", policy.max_actions},
        {"min_impressions", policy.min_impressions},
        {"budget_cooldown_hours", absl::ToDoubleHours(policy.budget_cooldown)},
        {"allowed_types", AllowedTypes(policy)}}}};
  if (!input.account_notes.empty()) user["account_notes"] = input.account_notes;
  user["ad_groups"] = std::move(groups);
  return Dump(user);
}

OrderedJson Messages(const LlmPlanInput& input) {
  return OrderedJson::array({{{"role", "system"}, {"content", SystemPrompt(input)}},
                             {{"role", "user"}, {"content", UserMessage(input)}}});
}

OrderedJson RequestJson(const LlmConfig& config, OrderedJson messages) {
  return {{"model", config.model},
          {"messages", std::move(messages)},
          {"temperature", 0},
          {"response_format", {{"type", "json_object"}}},
          {"max_tokens", config.max_tokens}};
}

absl::Status Invalid(std::string message) {
  return absl::InvalidArgumentError(std::move(message));
}

// A value from the answer, quoted in an error: as JSON (ASCII, escaped) and short.
std::string Quote(const Json& value) {
  std::string text = value.dump(-1, ' ', true, Json::error_handler_t::replace);
  if (text.size() > 80) text = absl::StrCat(text.substr(0, 77), "...");
  return text;
}

// Characters, not bytes: the limits are about what a person reads. (nlohmann's parser has
// already rejected invalid UTF-8.)
std::size_t CharCount(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // not a continuation byte
  }));
}

bool IsDigits(const std::string& text) {
  return !text.empty() && text.size() <= 32 &&
         std::all_of(text.begin(), text.end(),
                     [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); });
}

const AdGroupSnapshot* FindAdGroup(const std::vector<AdGroupSnapshot>& groups,
                                   const std::string& adgroup_id) {
  for (const AdGroupSnapshot& group : groups) {
    if (group.adgroup_id == adgroup_id) return &group;
  }
  return nullptr;
}

// A key the type does not use may be present as null (models like to spell out every key).
bool Present(const Json& object, const char* key) {
  const auto found = object.find(key);
  return found != object.end() && !found->is_null();
}

absl::StatusOr<PlannedAction> ParseAction(const Json& item, const std::string& where,
                                          const LlmPlanInput& input,
                                          const std::vector<std::string>& allowed) {
  if (!item.is_object()) return Invalid(absl::StrCat(where, ": must be an object"));
  for (const auto& entry : item.items()) {
    const std::string& key = entry.key();
    if (key != "type" && key != "adgroup_id" && key != "ad_id" && key != "new_budget" &&
        key != "reason") {
      return Invalid(absl::StrCat(where, ": unknown key ", Quote(Json(key))));
    }
  }
  PlannedAction action;

  const auto type = item.find("type");
  if (type == item.end()) return Invalid(absl::StrCat(where, ".type: missing"));
  if (!type->is_string()) return Invalid(absl::StrCat(where, ".type: must be a string"));
  action.type = type->get<std::string>();
  if (std::find(allowed.begin(), allowed.end(), action.type) == allowed.end()) {
    return Invalid(absl::StrCat(where, ".type: ", Quote(*type),
                                " is not an allowed action type (allowed: ",
                                absl::StrJoin(allowed, ", "), ")"));
  }

  const auto adgroup = item.find("adgroup_id");
  if (adgroup == item.end()) return Invalid(absl::StrCat(where, ".adgroup_id: missing"));
  if (!adgroup->is_string() || !IsDigits(adgroup->get<std::string>())) {
    return Invalid(absl::StrCat(where, ".adgroup_id: must be a string of digits"));
  }
  action.adgroup_id = adgroup->get<std::string>();
  const AdGroupSnapshot* group = FindAdGroup(input.ad_groups, action.adgroup_id);
  if (group == nullptr) {
    return Invalid(absl::StrCat(where, ".adgroup_id: ", Quote(*adgroup),
                                " is not one of the account's ad groups"));
  }
  action.campaign_id = group->campaign_id;

  if (action.type == kPauseAd) {
    const auto ad = item.find("ad_id");
    if (ad == item.end() || ad->is_null()) {
      return Invalid(absl::StrCat(where, ".ad_id: required for ", kPauseAd));
    }
    if (!ad->is_string() || !IsDigits(ad->get<std::string>())) {
      return Invalid(absl::StrCat(where, ".ad_id: must be a string of digits"));
    }
    action.ad_id = ad->get<std::string>();
    const bool in_group = std::any_of(group->ads.begin(), group->ads.end(),
                                      [&](const AdSnapshot& a) { return a.ad_id == action.ad_id; });
    if (!in_group) {
      return Invalid(absl::StrCat(where, ".ad_id: ", Quote(*ad), " is not an ad of ad group ",
                                  Quote(*adgroup)));
    }
  } else if (Present(item, "ad_id")) {
    return Invalid(absl::StrCat(where, ".ad_id: only allowed with ", kPauseAd));
  }

  if (action.type == kUpdateAdGroupBudget) {
    const auto budget = item.find("new_budget");
    if (budget == item.end() || budget->is_null()) {
      return Invalid(absl::StrCat(where, ".new_budget: required for ", kUpdateAdGroupBudget));
    }
    // is_number() is false for booleans and strings: "5000" is not a budget.
    if (!budget->is_number()) return Invalid(absl::StrCat(where, ".new_budget: must be a number"));
    const double value = budget->get<double>();
    if (!std::isfinite(value) || value <= 0) {
      return Invalid(absl::StrCat(where, ".new_budget: must be a finite positive number, got ",
                                  Quote(*budget)));
    }
    action.new_budget = value;
    action.old_budget = group->daily_budget;
  } else if (Present(item, "new_budget")) {
    return Invalid(absl::StrCat(where, ".new_budget: only allowed with ", kUpdateAdGroupBudget));
  }

  const auto reason = item.find("reason");
  if (reason == item.end()) return Invalid(absl::StrCat(where, ".reason: missing"));
  if (!reason->is_string()) return Invalid(absl::StrCat(where, ".reason: must be a string"));
  action.reason = reason->get<std::string>();
  if (CharCount(action.reason) > kLlmMaxReasonChars) {
    return Invalid(absl::StrCat(where, ".reason: longer than ", kLlmMaxReasonChars, " characters"));
  }
  return action;
}

// The endpoint's own error text ({"error":{"message":…}}), short, for the fallback reason.
std::string EndpointErrorDetail(const std::string& body) {
  const Json parsed = Json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) return "";
  const auto error = parsed.find("error");
  if (error == parsed.end()) return "";
  std::string message;
  if (error->is_string()) {
    message = error->get<std::string>();
  } else if (error->is_object()) {
    const auto text = error->find("message");
    if (text != error->end() && text->is_string()) message = text->get<std::string>();
  }
  if (message.empty()) return "";
  return Quote(Json(message));
}

}  // namespace

std::string BuildLlmRequestBody(const LlmConfig& config, const LlmPlanInput& input) {
  return Dump(RequestJson(config, Messages(input)));
}

absl::StatusOr<LlmPlan> ParseLlmPlan(absl::string_view content, const LlmPlanInput& input) {
  absl::string_view text = absl::StripAsciiWhitespace(content);
  // Models often fence JSON in markdown even when asked not to: ```json … ```.
  if (absl::ConsumePrefix(&text, "```")) {
    if (!absl::ConsumeSuffix(&text, "```")) {
      return Invalid("answer is not JSON (unclosed ``` fence)");
    }
    if (text.size() >= 4 && absl::EqualsIgnoreCase(text.substr(0, 4), "json")) {
      text.remove_prefix(4);  // the fence's info string
    }
    text = absl::StripAsciiWhitespace(text);
  }
  if (text.empty()) return Invalid("answer is empty");
  const Json answer = Json::parse(text.begin(), text.end(), nullptr, false);
  if (answer.is_discarded()) return Invalid("answer is not JSON");
  if (!answer.is_object()) return Invalid("answer is not a JSON object");
  for (const auto& entry : answer.items()) {
    if (entry.key() != "plan_note" && entry.key() != "actions") {
      return Invalid(absl::StrCat("answer: unknown key ", Quote(Json(entry.key()))));
    }
  }

  LlmPlan plan;
  const auto note = answer.find("plan_note");
  if (note == answer.end()) return Invalid("plan_note: missing");
  if (!note->is_string()) return Invalid("plan_note: must be a string");
  plan.note = note->get<std::string>();
  if (CharCount(plan.note) > kLlmMaxPlanNoteChars) {
    return Invalid(absl::StrCat("plan_note: longer than ", kLlmMaxPlanNoteChars, " characters"));
  }

  const auto actions = answer.find("actions");
  if (actions == answer.end()) return Invalid("actions: missing");
  if (!actions->is_array()) return Invalid("actions: must be an array");
  if (actions->size() > kLlmMaxActions) {
    return Invalid(absl::StrCat("actions: ", actions->size(), " actions, at most ", kLlmMaxActions,
                                " allowed"));
  }
  const std::vector<std::string> allowed = AllowedTypes(input.policy);
  for (std::size_t i = 0; i < actions->size(); ++i) {
    absl::StatusOr<PlannedAction> action =
        ParseAction((*actions)[i], absl::StrCat("actions[", i, "]"), input, allowed);
    if (!action.ok()) return action.status();
    plan.actions.push_back(*std::move(action));
  }
  return plan;
}

LlmPlanner::LlmPlanner(LlmConfig config) : config_(std::move(config)) {
  tiktok::CurlTransportOptions options;
  options.timeout = config_.timeout;
  options.connect_timeout = std::min(config_.timeout, absl::Seconds(10));
  options.max_idle_handles = 1;
  options.max_response_bytes = int64_t{4} << 20;  // a chat completion is a few KiB
  options.user_agent = "ttads-brain/1";
  absl::StatusOr<std::unique_ptr<tiktok::CurlTransport>> transport =
      tiktok::CurlTransport::Create(std::move(options));
  if (transport.ok()) {
    transport_ = *std::move(transport);
  } else {
    transport_status_ = transport.status();
  }
}

LlmPlanner::LlmPlanner(LlmConfig config, std::shared_ptr<tiktok::HttpTransport> transport)
    : config_(std::move(config)), transport_(std::move(transport)) {}

std::string LlmPlanner::Redact(std::string text) const {
  if (config_.api_key.empty()) return text;
  return absl::StrReplaceAll(text, {{config_.api_key, "<redacted>"}});
}

LlmPlanResult LlmPlanner::Plan(const LlmPlanInput& input) {
  LlmPlanResult result;
  result.model = config_.model;
  // Every way out goes through here, so no returned string can carry the key.
  auto finish = [&](std::string fallback_reason) {
    result.used = fallback_reason.empty();
    if (!result.used) result.actions.clear();
    result.fallback_reason = Redact(std::move(fallback_reason));
    result.raw_answer = Redact(std::move(result.raw_answer));
    result.plan_note = Redact(std::move(result.plan_note));
    result.model = Redact(std::move(result.model));
    for (PlannedAction& action : result.actions) action.reason = Redact(std::move(action.reason));
    return std::move(result);
  };

  if (!config_.enabled()) {
    return finish("LLM planner not configured (BRAIN_LLM_BASE_URL and BRAIN_LLM_MODEL)");
  }
  OrderedJson messages = Messages(input);
  result.prompt_json = Dump(messages);
  if (transport_ == nullptr) {
    return finish(absl::StrCat("LLM transport unavailable: ", transport_status_.message()));
  }

  tiktok::HttpRequest request;
  request.method = tiktok::HttpMethod::kPost;
  request.url = absl::StrCat(absl::StripSuffix(config_.base_url, "/"), "/chat/completions");
  if (!config_.api_key.empty()) {
    request.headers.emplace_back("Authorization", absl::StrCat("Bearer ", config_.api_key));
  }
  request.headers.emplace_back("Accept", "application/json");
  request.content_type = "application/json";
  request.body = Dump(RequestJson(config_, std::move(messages)));
  request.timeout = config_.timeout;
  // A plan is cheap to lose and a re-sent request costs tokens: never let libcurl re-send.
  request.fresh_connection = true;

  tiktok::HttpCallInfo info;
  absl::StatusOr<tiktok::HttpResponse> response = transport_->Send(request, &info);
  if (!response.ok()) {
    if (absl::IsDeadlineExceeded(response.status())) {
      return finish(absl::StrCat("LLM endpoint timed out after ",
                                 absl::FormatDuration(config_.timeout)));
    }
    return finish(absl::StrCat("LLM endpoint unreachable: ", response.status().message()));
  }
  // The key is blanked out of the answer before anything reads it: a message quoted from it is
  // cut to 80 characters, and a cut through the key left its first characters for finish()'s
  // whole-key redaction to miss.
  result.raw_answer = Redact(response->body);
  const std::string& body = result.raw_answer;
  if (response->status < 200 || response->status > 299) {
    const std::string detail = EndpointErrorDetail(body);
    return finish(absl::StrCat("HTTP ", response->status, " from the LLM endpoint",
                               detail.empty() ? "" : ": ", detail));
  }

  const Json envelope = Json::parse(body, nullptr, false);
  if (envelope.is_discarded()) return finish("LLM endpoint's response is not JSON");
  if (!envelope.is_object()) return finish("LLM endpoint's response is not a JSON object");
  if (const auto model = envelope.find("model"); model != envelope.end() && model->is_string() &&
                                                 !model->get<std::string>().empty()) {
    result.model = model->get<std::string>();
  }
  const auto choices = envelope.find("choices");
  if (choices == envelope.end() || !choices->is_array() || choices->empty()) {
    return finish("LLM endpoint's response has no choices");
  }
  const Json& choice = (*choices)[0];
  if (!choice.is_object()) return finish("choices[0]: must be an object");
  const auto message = choice.find("message");
  if (message == choice.end() || !message->is_object()) {
    return finish("choices[0].message: missing");
  }
  if (const auto refusal = message->find("refusal");
      refusal != message->end() && refusal->is_string() && !refusal->get<std::string>().empty()) {
    return finish(absl::StrCat("the model refused: ", Quote(*refusal)));
  }
  const auto content = message->find("content");
  if (content == message->end() || !content->is_string()) {
    return finish("choices[0].message.content: must be a string");
  }
  if (const auto finish_reason = choice.find("finish_reason");
      finish_reason != choice.end() && finish_reason->is_string() &&
      finish_reason->get<std::string>() == "length") {
    return finish(absl::StrCat("answer cut off at max_tokens (", config_.max_tokens,
                               "; finish_reason \"length\")"));
  }

  absl::StatusOr<LlmPlan> plan = ParseLlmPlan(content->get<std::string>(), input);
  if (!plan.ok()) return finish(std::string(plan.status().message()));
  result.actions = std::move(plan->actions);
  result.plan_note =
      plan->note.empty() ? std::string(kLlmPlanNote) : absl::StrCat(kLlmPlanNote, ": ", plan->note);
  return finish("");
}

}  // namespace ttads::server
