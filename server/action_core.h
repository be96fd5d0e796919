// ActionService's logic: the action executor (`/api/agent/actions`). A batch of typed TikTok
// actions is validated as a whole (nothing reaches TikTok on bad input), claimed atomically by
// its idempotency key (agent_executions' UNIQUE (user_account_id, idempotency_key)), applied in
// order with every action's result or error stored, and audited. A repeat of a finished run
// returns its answer; a repeat of a run left `running` past the lease (its server died) resumes
// it from the first action not known to be applied.
#ifndef TTADS_SERVER_ACTION_CORE_H_
#define TTADS_SERVER_ACTION_CORE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "server/audit.h"
#include "server/clock.h"
#include "server/launch_core.h"
#include "server/principal.h"
#include "server/tiktok_access.h"
#include "storage/database.h"
#include "storage/direction_repository.h"
#include "storage/execution_repository.h"
#include "tiktok/tiktok_api.h"
#include "ttads/v1/action_service.pb.h"

namespace ttads::server {

// One action after validation.
struct ParsedAction {
  enum class Kind {
    kGetCampaignStatus,
    kCampaignStatus,
    kAdGroupStatus,
    kAdGroupBudget,
    kAdStatus,
    kCreateAdGroupWithCreatives,
  };
  int index = 0;
  std::string type;
  Kind kind = Kind::kGetCampaignStatus;
  std::string object_id;         // campaign / ad group / ad id
  std::string operation_status;  // ENABLE | DISABLE for status actions
  double budget = 0;             // kAdGroupBudget; kCreateAdGroupWithCreatives' daily_budget
  // kCreateAdGroupWithCreatives
  std::string direction_id;
  std::vector<std::string> creative_ids;
  std::string adgroup_name;
  bool auto_activate = true;
};

class ActionCore {
 public:
  static constexpr absl::Duration kDefaultLease = absl::Minutes(5);

  ActionCore(storage::Database& database, Auditor& auditor, TikTokAccessResolver& access,
             tiktok::TikTokApi& tiktok, const Clock& clock,
             absl::Duration lease = kDefaultLease)
      : executions_(database),
        directions_(database),
        auditor_(auditor),
        access_(access),
        tiktok_(tiktok),
        clock_(clock),
        lease_(lease) {}

  // Where TikTok.Direction.CreateAdGroupWithCreatives runs (set once at wiring time).
  void set_launch_core(LaunchCore* launch_core) { launch_core_ = launch_core; }

  absl::Status Dispatch(const Principal& principal, const v1::DispatchRequest& request,
                        v1::DispatchResponse& response);
  absl::Status GetExecution(const Principal& principal,
                            const v1::GetActionExecutionRequest& request,
                            v1::ActionExecution& response);
  absl::Status ListExecutions(const Principal& principal,
                              const v1::ListActionExecutionsRequest& request,
                              v1::ListActionExecutionsResponse& response);

 private:
  using Target = TikTokAccess;

  absl::StatusOr<Target> ResolveTarget(const std::string& user_id,
                                       const v1::DispatchRequest& request);
  // Checks every budget action against the currency minimum (one advertiser/info read);
  // violations are added to `issues` per action index.
  absl::Status CheckBudgets(const Target& target, const std::vector<ParsedAction>& actions,
                            std::vector<std::vector<std::string>>& issues,
                            std::vector<std::pair<std::string, std::string>>& violations);
  // Runs the execution's actions not yet applied, in order; stops at the first failure.
  // Returns a non-OK status only for a rejected token (NEEDS_REAUTH) or a storage failure.
  absl::Status Run(const Principal& principal, const Target& target, const std::string& source,
                   const std::string& idempotency_key, const storage::ExecutionRow& execution,
                   const std::vector<ParsedAction>& actions);
  // The answer for a stored execution.
  absl::Status Answer(const std::string& execution_id, bool duplicate,
                      v1::DispatchResponse& response);

  storage::ExecutionRepository executions_;
  storage::DirectionRepository directions_;
  Auditor& auditor_;
  TikTokAccessResolver& access_;
  tiktok::TikTokApi& tiktok_;
  const Clock& clock_;
  const absl::Duration lease_;
  LaunchCore* launch_core_ = nullptr;
};

// Row(s) -> message.
void ToActionExecution(const storage::ExecutionRow& row,
                       const std::vector<storage::ActionRow>& actions, v1::ActionExecution& out);
// The answer of Dispatch for a stored execution (`duplicate`: a replay's answer).
void ToDispatchResponse(const storage::ExecutionRow& row,
                        const std::vector<storage::ActionRow>& actions, bool duplicate,
                        v1::DispatchResponse& response);

}  // namespace ttads::server

#endif  // TTADS_SERVER_ACTION_CORE_H_
