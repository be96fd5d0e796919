// One ad group's worth of a launch at TikTok: upload the creatives' videos and covers that
// TikTok lacks, create (or reuse) the campaign, create an ad group or take one from the
// direction's pool, create the ads, and record what ttads keeps (video ids, the campaign on
// the direction, the ad group link, ads_count, the ad <-> creative mapping). Every step goes
// through the launch's journal, so a retry after any failure or crash continues where the
// first attempt stopped and creates nothing twice: campaign and ad group creates carry
// TikTok's request_id dedupe key, ads are looked up by name before they are re-created.
#ifndef TTADS_SERVER_LAUNCH_WORKFLOW_H_
#define TTADS_SERVER_LAUNCH_WORKFLOW_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/clock.h"
#include "server/launch_journal.h"
#include "server/launch_settings.h"
#include "server/media_fetcher.h"
#include "server/tiktok_access.h"
#include "storage/creative_repository.h"
#include "storage/database.h"
#include "storage/direction_repository.h"
#include "tiktok/tiktok_api.h"
#include "ttads/v1/campaign_builder_service.pb.h"

namespace ttads::server {

// What every unit of one launch shares, resolved once per call.
struct LaunchContext {
  TikTokAccess access;
  std::string currency;
  double min_daily_budget = 0;
  tiktok::Identity identity;  // the ads' identity
  std::string operation_id;   // the launch's agent_executions.id
  absl::Time stamp;           // when the launch was first requested (stable across retries)
};

// One ad group to fill with ads.
struct AdGroupLaunch {
  std::string unit;          // step-key prefix, unique within the launch
  std::string direction_id;  // "" outside a direction
  ObjectiveSpec objective;

  // The campaign: an existing one, or created by step `campaign_step` ("" = the unit's own;
  // units of one launch that share a new campaign name the same step).
  std::string campaign_id;
  std::string campaign_step;
  std::string campaign_name;
  bool write_campaign_to_direction = false;

  // The ad group: taken from the direction's pool, or created.
  bool use_pool = false;
  std::string adgroup_name;
  double daily_budget = 0;
  absl::Time schedule_start;
  std::vector<std::string> location_ids;
  std::vector<std::string> age_groups;
  std::string gender = "GENDER_UNLIMITED";
  std::string pixel_id;
  std::string optimization_event;
  bool link_adgroup_to_direction = false;
  bool enabled = true;  // campaign, ad group and ads start enabled

  // The ads.
  std::vector<storage::Creative> creatives;
  std::string landing_page_url;
  std::string page_id;  // instant form of lead-generation ads
  std::string mapping_source;  // ad_creative_mapping.source
};

struct LaunchResult {
  std::string campaign_id;
  std::string tiktok_adgroup_id;
  std::string pool_row_id;  // direction_tiktok_adgroups.id when the ad group came from the pool
  std::string adgroup_name;
  std::vector<v1::LaunchedAd> ads;
};

class LaunchWorkflow {
 public:
  LaunchWorkflow(storage::Database& database, tiktok::TikTokApi& tiktok, MediaFetcher& media,
                 const Clock& clock)
      : directions_(database), creatives_(database), tiktok_(tiktok), media_(media),
        clock_(clock) {}

  // Runs (or resumes) `launch`. Errors are the TikTok client's statuses or storage errors;
  // journal.failed_step() names the step that failed.
  absl::StatusOr<LaunchResult> Run(const LaunchContext& context, LaunchJournal& journal,
                                   const AdGroupLaunch& launch);

 private:
  struct Media {
    std::string video_id;
    std::string image_id;
  };
  absl::StatusOr<Media> EnsureMedia(const LaunchContext& context, LaunchJournal& journal,
                                    const storage::Creative& creative);
  absl::StatusOr<std::string> EnsureCampaign(const LaunchContext& context, LaunchJournal& journal,
                                             const AdGroupLaunch& launch);
  // Fills result.tiktok_adgroup_id / adgroup_name / pool_row_id; returns the number of ads the
  // ad group had before (the numbering base of the new ads' names).
  absl::StatusOr<int> EnsureAdGroup(const LaunchContext& context, LaunchJournal& journal,
                                    const AdGroupLaunch& launch, LaunchResult& result);

  storage::DirectionRepository directions_;
  storage::CreativeRepository creatives_;
  tiktok::TikTokApi& tiktok_;
  MediaFetcher& media_;
  const Clock& clock_;
};

}  // namespace ttads::server

#endif  // TTADS_SERVER_LAUNCH_WORKFLOW_H_
