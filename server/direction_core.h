// DirectionService's logic: a user's directions (account_directions), their default ad settings
// (default_ad_settings) and their pools of pre-created TikTok ad groups
// (direction_tiktok_adgroups). These RPCs change ttads's records only; they never call TikTok.
#ifndef TTADS_SERVER_DIRECTION_CORE_H_
#define TTADS_SERVER_DIRECTION_CORE_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/audit.h"
#include "server/clock.h"
#include "server/idempotency.h"
#include "server/principal.h"
#include "storage/ad_account_repository.h"
#include "storage/database.h"
#include "storage/direction_repository.h"
#include "storage/user_account_repository.h"
#include "ttads/v1/direction_service.pb.h"

namespace ttads::server {

// The smallest daily budget a direction or a pooled ad group may carry. A direction does not
// know its advertiser's currency until an account is connected, so this is the KZT minimum (the
// currency of every existing account) from the one per-currency table (budget_rules.h); the
// action API checks against the advertiser's real currency when a budget is applied.
double MinDirectionDailyBudget();

class DirectionCore {
 public:
  DirectionCore(storage::Database& database, IdempotencyGuard& idempotency, Auditor& auditor,
                const Clock& clock)
      : directions_(database),
        ad_accounts_(database),
        user_accounts_(database),
        idempotency_(idempotency),
        auditor_(auditor),
        clock_(clock) {}

  absl::Status CreateDirection(const Principal& principal,
                               const v1::CreateDirectionRequest& request,
                               v1::CreateDirectionResponse& response);
  absl::Status UpdateDirection(const Principal& principal,
                               const v1::UpdateDirectionRequest& request,
                               v1::UpdateDirectionResponse& response);
  absl::Status GetDirection(const Principal& principal, const v1::GetDirectionRequest& request,
                            v1::Direction& response);
  absl::Status ListDirections(const Principal& principal,
                              const v1::ListDirectionsRequest& request,
                              v1::ListDirectionsResponse& response);
  absl::Status GetDirectionAdSettings(const Principal& principal,
                                      const v1::GetDirectionAdSettingsRequest& request,
                                      v1::DirectionAdSettings& response);
  absl::Status SetDirectionAdSettings(const Principal& principal,
                                      const v1::SetDirectionAdSettingsRequest& request,
                                      v1::SetDirectionAdSettingsResponse& response);
  // Re-adding an ad group already in the pool returns the existing entry unchanged.
  absl::Status AddDirectionAdGroup(const Principal& principal,
                                   const v1::AddDirectionAdGroupRequest& request,
                                   v1::AddDirectionAdGroupResponse& response);
  absl::Status ListDirectionAdGroups(const Principal& principal,
                                     const v1::ListDirectionAdGroupsRequest& request,
                                     v1::ListDirectionAdGroupsResponse& response);
  absl::Status UpdateDirectionAdGroup(const Principal& principal,
                                      const v1::UpdateDirectionAdGroupRequest& request,
                                      v1::UpdateDirectionAdGroupResponse& response);
  absl::Status RemoveDirectionAdGroup(const Principal& principal,
                                      const v1::RemoveDirectionAdGroupRequest& request,
                                      v1::RemoveDirectionAdGroupResponse& response);

 private:
  // The direction `direction_id` if the caller may see it: a user-bound caller reaches only its
  // own (another user's direction is NOT_FOUND, exactly like a missing one); the operator
  // reaches any.
  absl::StatusOr<storage::Direction> LoadDirection(const Principal& principal,
                                                   const std::string& direction_id);
  // What Create/Update would refuse, checked without writing (for validate_only):
  // ALREADY_EXISTS when another of the user's directions on `platform` (not `except_id`) is
  // called `name`; FAILED_PRECONDITION when `activating` and the user already has the maximum
  // of active directions.
  absl::Status CheckWouldWrite(const std::string& user_account_id, const std::string& except_id,
                               const std::optional<std::string>& name,
                               const std::optional<std::string>& platform, bool activating);

  storage::DirectionRepository directions_;
  storage::AdAccountRepository ad_accounts_;
  storage::UserAccountRepository user_accounts_;
  IdempotencyGuard& idempotency_;
  Auditor& auditor_;
  const Clock& clock_;
};

// The legacy objective column of a TikTok direction, derived from its tiktok_objective ("" is
// traffic): traffic, reach, video_views -> instagram_traffic; conversions -> site_leads;
// lead_generation -> lead_forms; whatsapp -> whatsapp.
std::string LegacyObjectiveOf(const std::string& tiktok_objective);

// Row → message conversions, shared with the other cores.
void ToProto(const storage::Direction& row, v1::Direction& out);
void ToProto(const storage::AdSettings& row, v1::DirectionAdSettings& out);
void ToProto(const storage::TikTokAdGroup& row, v1::DirectionAdGroup& out);

}  // namespace ttads::server

#endif  // TTADS_SERVER_DIRECTION_CORE_H_
