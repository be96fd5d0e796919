// The brain's optional LLM planner: asks an OpenAI-compatible chat-completions endpoint
// (POST {base_url}/chat/completions) for a plan of budget/pause actions, and accepts the answer
// only when it validates against a strict schema. It never fails the run: on any problem the
// result says `used=false` and why, and the caller falls back to DeterministicPlan. Whatever it
// returns still goes through ApplyGuards, so the LLM cannot bypass the guards.
//
// The API key is a secret: it is sent in the Authorization header only, and blanked out of every
// string this planner returns (an endpoint may echo it in an error message).
#ifndef TTADS_SERVER_LLM_PLANNER_H_
#define TTADS_SERVER_LLM_PLANNER_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/brain_plan.h"
#include "tiktok/http_transport.h"

namespace ttads::server {

// Plan notes, as stored on the brain run.
inline constexpr char kLlmPlanNote[] = "tiktok_llm_plan_v1";
inline constexpr char kDeterministicFallbackPlanNote[] = "tiktok_deterministic_fallback_v1";

// Limits of an accepted answer.
inline constexpr std::size_t kLlmMaxActions = 50;
inline constexpr std::size_t kLlmMaxPlanNoteChars = 200;
inline constexpr std::size_t kLlmMaxReasonChars = 500;

struct LlmConfig {
  std::string base_url;  // e.g. http://host/v1 (no trailing /chat/completions)
  std::string api_key;   // secret; empty = no Authorization header (local servers)
  std::string model;
  absl::Duration timeout = absl::Seconds(30);  // the whole HTTP call
  int max_tokens = 1500;

  bool enabled() const { return !base_url.empty() && !model.empty(); }
};

struct LlmPlanInput {
  std::vector<AdGroupSnapshot> ad_groups;
  PlanPolicy policy;
  std::string currency;     // account currency, e.g. "KZT"
  std::string report_date;  // the day the "yesterday" figures are for, YYYY-MM-DD
  std::string account_notes;  // optional free text from the operator
};

struct LlmPlanResult {
  bool used = false;
  std::vector<PlannedAction> actions;  // only when used
  std::string plan_note;               // "tiktok_llm_plan_v1: <the answer's note>" when used
  std::string fallback_reason;         // why the answer was not used; empty when used
  std::string model;                   // the endpoint's model name (the configured one if absent)
  std::string prompt_json;             // the request's messages array, for debug records
  std::string raw_answer;              // the endpoint's response body (or its error body)
};

// The chat-completions request body (model, messages, temperature 0, JSON response format,
// max_tokens). Exposed for tests and debug records.
std::string BuildLlmRequestBody(const LlmConfig& config, const LlmPlanInput& input);

// A validated answer.
struct LlmPlan {
  std::string note;  // the answer's plan_note, as given
  std::vector<PlannedAction> actions;
};

// Validates `content` (choices[0].message.content; a ```json fence around it is accepted)
// against the answer schema and maps it onto `input`. INVALID_ARGUMENT names the first problem,
// e.g. "actions[2].new_budget: must be a number".
absl::StatusOr<LlmPlan> ParseLlmPlan(absl::string_view content, const LlmPlanInput& input);

class LlmPlanner {
 public:
  // Creates its own libcurl transport (fresh connection per call).
  explicit LlmPlanner(LlmConfig config);
  // Uses `transport` (tests, or sharing one transport).
  LlmPlanner(LlmConfig config, std::shared_ptr<tiktok::HttpTransport> transport);

  const LlmConfig& config() const { return config_; }

  // Asks the endpoint for a plan. Never fails: see LlmPlanResult::used / fallback_reason.
  LlmPlanResult Plan(const LlmPlanInput& input);

 private:
  // `text` with the API key blanked out.
  std::string Redact(std::string text) const;

  LlmConfig config_;
  std::shared_ptr<tiktok::HttpTransport> transport_;
  absl::Status transport_status_;  // why there is no transport, when creating it failed
};

}  // namespace ttads::server

#endif  // TTADS_SERVER_LLM_PLANNER_H_
