// CampaignBuilderService's launch RPCs (`/api/tiktok-campaign-builder/auto-launch`,
// `manual-launch`, `manual-launch-multi`, `create-campaign`): request checks, the launch mode
// per direction, and the launch as an operation. A launch is an agent_executions row (source
// tiktok_campaign_builder) claimed atomically by (user, idempotency key); its steps are
// journalled (launch_journal.h) and run by LaunchWorkflow. A repeat of a finished launch gets
// the stored answer; a repeat of a failed one, or of one whose server died (lease expired),
// continues it; a repeat while it runs is ABORTED.
#ifndef TTADS_SERVER_LAUNCH_CORE_H_
#define TTADS_SERVER_LAUNCH_CORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/audit.h"
#include "server/clock.h"
#include "server/launch_workflow.h"
#include "server/principal.h"
#include "server/tiktok_access.h"
#include "storage/creative_repository.h"
#include "storage/database.h"
#include "storage/direction_repository.h"
#include "storage/execution_repository.h"
#include "tiktok/tiktok_api.h"
#include "ttads/v1/campaign_builder_service.pb.h"

namespace ttads::server {

// `TikTok.Direction.CreateAdGroupWithCreatives` of the action API: a new ad group with ads in
// a direction's existing campaign, linked to the direction.
struct DirectionAdGroupSpec {
  std::string user_account_id;
  std::string account_id;  // "" = legacy credentials
  std::string direction_id;
  std::vector<std::string> creative_ids;
  double daily_budget = 0;   // 0 = the direction's, else the minimum
  std::string adgroup_name;  // "" = "<direction> - Action <stamp>"
  bool enabled = true;
  std::string idempotency_key;  // required: the action batch's key plus the action index
};

class LaunchCore {
 public:
  static constexpr absl::Duration kDefaultLease = absl::Minutes(10);

  LaunchCore(storage::Database& database, TikTokAccessResolver& access, tiktok::TikTokApi& tiktok,
             MediaFetcher& media, Auditor& auditor, const Clock& clock,
             absl::Duration lease = kDefaultLease)
      : executions_(database),
        directions_(database),
        creatives_(database),
        workflow_(database, tiktok, media, clock),
        access_(access),
        tiktok_(tiktok),
        auditor_(auditor),
        clock_(clock),
        lease_(lease) {}

  absl::Status AutoLaunch(const Principal& principal, const v1::AutoLaunchRequest& request,
                          v1::AutoLaunchResponse& response);
  absl::Status ManualLaunch(const Principal& principal, const v1::ManualLaunchRequest& request,
                            v1::ManualLaunchResponse& response);
  absl::Status ManualLaunchMulti(const Principal& principal,
                                 const v1::ManualLaunchMultiRequest& request,
                                 v1::ManualLaunchMultiResponse& response);
  absl::Status CreateCampaign(const Principal& principal, const v1::CreateCampaignRequest& request,
                              v1::CreateCampaignResponse& response);
  // Runs (or resumes, or replays) the ad-group launch of `spec`, as ManualLaunch does in
  // `create_adgroup` mode; FAILED_PRECONDITION when the direction has no campaign yet.
  absl::Status CreateAdGroupInDirection(const Principal& principal,
                                        const DirectionAdGroupSpec& spec,
                                        v1::ManualLaunchResponse& response);

 private:
  // The launch operation a call runs under.
  struct Operation {
    std::string key;  // the effective idempotency key
    storage::ExecutionRow execution;
    bool replay = false;  // finished earlier: `execution.result_json` is the answer
    bool resumed = false;  // an earlier attempt started it
  };
  // Finds the operation of (user, key) and decides: replay, resume, ABORTED (still running), or
  // ALREADY_EXISTS (the key names another request). nullopt = no operation yet.
  absl::StatusOr<std::optional<Operation>> Find(const std::string& user_id, const std::string& key,
                                                const std::string& hash);
  // Creates the operation (or finds the one a concurrent call just created).
  absl::StatusOr<Operation> Create(const Principal& principal, const std::string& user_id,
                                   const std::string& key, const std::string& hash,
                                   const std::string& rpc, const LaunchContext& context);
  // What the action API changes about a manual launch.
  struct ManualOverrides {
    bool force_adgroup = false;  // a new ad group in the direction's campaign, never the pool
    std::string adgroup_name;
    bool enabled = true;
    std::string rpc = "ManualLaunch";
  };
  absl::Status RunManual(const Principal& principal, const v1::ManualLaunchRequest& request,
                         const ManualOverrides& overrides, v1::ManualLaunchResponse& response);
  // Credentials, the advertiser's currency and minimum budget, the ads' identity.
  absl::StatusOr<LaunchContext> Prepare(const std::string& user_id, const std::string& account_id,
                                        const std::string& identity_id);
  // The user's active TikTok direction; NOT_FOUND "Direction not found, inactive, or not TikTok".
  absl::StatusOr<storage::Direction> TikTokDirection(const std::string& user_id,
                                                     const std::string& direction_id);
  // The user's creatives named in `ids`, each checked launchable (field `field[i]`).
  absl::StatusOr<std::vector<storage::Creative>> LaunchableCreatives(
      const std::string& user_id, const google::protobuf::RepeatedPtrField<std::string>& ids,
      const std::string& field);
  // The ad group launch for `direction` (mode decided by the direction), without the ads' unit
  // name and creatives. `budget` 0 = the direction's or the minimum.
  absl::StatusOr<AdGroupLaunch> DirectionLaunch(const LaunchContext& context,
                                                const storage::Direction& direction,
                                                const std::string& objective, double budget,
                                                absl::Time start, const std::string& label);
  // Ends the operation: stores the answer (when `response` is given) and the outcome.
  absl::Status Finish(const Principal& principal, const Operation& operation,
                      const std::string& rpc, const google::protobuf::Message* response,
                      const std::string& status, const absl::Status& error,
                      const std::string& failed_step);
  // The error a failed launch answers with: the step's error plus ErrorInfo idempotency_key,
  // operation_id and step.
  absl::Status LaunchError(const LaunchContext& context, const Operation& operation,
                           const absl::Status& error, const std::string& step);

  storage::ExecutionRepository executions_;
  storage::DirectionRepository directions_;
  storage::CreativeRepository creatives_;
  LaunchWorkflow workflow_;
  TikTokAccessResolver& access_;
  tiktok::TikTokApi& tiktok_;
  Auditor& auditor_;
  const Clock& clock_;
  const absl::Duration lease_;
};

}  // namespace ttads::server

#endif  // TTADS_SERVER_LAUNCH_CORE_H_
