// The step journal of one launch: each step (upload a video, create the campaign, the ad group,
// the ads, ...) is an agent_actions row of the launch's agent_executions row, keyed by a step
// name, holding what it sent and what TikTok gave back. A retry of the launch replays finished
// steps from here and re-runs the others; a step found `running` or `failed` may have acted at
// TikTok, so its re-run must reuse the same dedupe key or look before it creates.
#ifndef TTADS_SERVER_LAUNCH_JOURNAL_H_
#define TTADS_SERVER_LAUNCH_JOURNAL_H_

#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/functional/function_ref.h"
#include "nlohmann/json.hpp"
#include "server/clock.h"
#include "storage/execution_repository.h"

namespace ttads::server {

class LaunchJournal {
 public:
  LaunchJournal(storage::ExecutionRepository& executions, std::string execution_id,
                const Clock& clock)
      : executions_(executions), execution_id_(std::move(execution_id)), clock_(clock) {}

  // Reads the steps recorded so far.
  absl::Status Load();

  // Runs step `key` once: a step that succeeded before returns its stored result without
  // running `body`; otherwise the step is recorded as running with `params`, `body(resumed)` runs
  // (`resumed` = an earlier attempt started it and may have acted), and its result or error is
  // recorded. `type` names the step for readers (TikTok.CreateCampaign, ...).
  absl::StatusOr<nlohmann::json> Run(const std::string& key, const std::string& type,
                                     nlohmann::json params,
                                     absl::FunctionRef<absl::StatusOr<nlohmann::json>(bool)> body);

  // The stored result of step `key` when it succeeded; nullptr otherwise.
  const nlohmann::json* Result(const std::string& key) const;
  // Marks a succeeded step as failed again (its effect was undone), so the next attempt re-runs
  // it.
  absl::Status Invalidate(const std::string& key, const std::string& why);

  const std::string& execution_id() const { return execution_id_; }
  // The key of the step that failed last ("" when none).
  const std::string& failed_step() const { return failed_step_; }

 private:
  struct Step {
    int index = 0;
    std::string status;
    nlohmann::json result;
  };
  storage::ExecutionRepository& executions_;
  const std::string execution_id_;
  const Clock& clock_;
  std::map<std::string, Step> steps_;
  std::string failed_step_;
};

}  // namespace ttads::server

#endif  // TTADS_SERVER_LAUNCH_JOURNAL_H_
