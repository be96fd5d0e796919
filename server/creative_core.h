// CreativeService's logic: a user's creatives (user_creatives), the videos and images launches
// turn into TikTok ads. These RPCs record creatives only; they never call TikTok.
#ifndef TTADS_SERVER_CREATIVE_CORE_H_
#define TTADS_SERVER_CREATIVE_CORE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/audit.h"
#include "server/clock.h"
#include "server/idempotency.h"
#include "server/principal.h"
#include "storage/ad_account_repository.h"
#include "storage/creative_repository.h"
#include "storage/database.h"
#include "storage/direction_repository.h"
#include "storage/user_account_repository.h"
#include "ttads/v1/creative_service.pb.h"

namespace ttads::server {

class CreativeCore {
 public:
  CreativeCore(storage::Database& database, IdempotencyGuard& idempotency, Auditor& auditor,
               const Clock& clock)
      : creatives_(database),
        directions_(database),
        ad_accounts_(database),
        user_accounts_(database),
        idempotency_(idempotency),
        auditor_(auditor),
        clock_(clock) {}

  absl::Status CreateCreative(const Principal& principal, const v1::CreateCreativeRequest& request,
                              v1::CreateCreativeResponse& response);
  absl::Status UpdateCreative(const Principal& principal, const v1::UpdateCreativeRequest& request,
                              v1::UpdateCreativeResponse& response);
  absl::Status GetCreative(const Principal& principal, const v1::GetCreativeRequest& request,
                           v1::Creative& response);
  absl::Status ListCreatives(const Principal& principal, const v1::ListCreativesRequest& request,
                             v1::ListCreativesResponse& response);

 private:
  // The creative `creative_id` if the caller may see it: a user-bound caller reaches only its own
  // (another user's creative is NOT_FOUND, exactly like a missing one); the operator reaches any.
  absl::StatusOr<storage::Creative> LoadCreative(const Principal& principal,
                                                 const std::string& creative_id);
  // NOT_FOUND naming the field when `account_id` / `direction_id` (each may be empty = none) is
  // not an ad account / direction of `user_account_id`.
  absl::Status CheckReferences(const std::string& user_account_id, const std::string& account_id,
                               const std::string& direction_id);

  storage::CreativeRepository creatives_;
  storage::DirectionRepository directions_;
  storage::AdAccountRepository ad_accounts_;
  storage::UserAccountRepository user_accounts_;
  IdempotencyGuard& idempotency_;
  Auditor& auditor_;
  const Clock& clock_;
};

// Whether a TikTok launch can use the creative: media_type video or unset, status ready, active,
// and a tiktok_video_id or media_url to upload from.
bool IsTikTokEligible(const storage::Creative& row);

// Row → message conversion, shared with the other cores.
void ToProto(const storage::Creative& row, v1::Creative& out);

}  // namespace ttads::server

#endif  // TTADS_SERVER_CREATIVE_CORE_H_
