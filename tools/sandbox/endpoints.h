// The endpoint handlers behind TikTokApi (internal to the sandbox library). Each reads its
// parameters through EndpointContext::params, reports a TikTok error by throwing ApiError
// (TikTokApi::Handle catches it), and returns the envelope's `data` or a raw body (the lead
// CSV download).
#ifndef TTADS_TOOLS_SANDBOX_ENDPOINTS_H_
#define TTADS_TOOLS_SANDBOX_ENDPOINTS_H_

#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "tools/sandbox/sandbox_config.h"
#include "tools/sandbox/sandbox_json.h"
#include "tools/sandbox/sandbox_state.h"
#include "tools/sandbox/tiktok_api.h"
#include "tools/sandbox/validation.h"

namespace ttads::sandbox {

struct EndpointContext {
  SandboxState& state;
  const SandboxConfig& config;
  absl::Time now;
  const ApiRequest& request;
  const Params& params;
  const AccessToken* token;  // null on endpoints without the Access-Token header

  // The advertiser named by `advertiser_id` if this token may operate it; otherwise 40001
  // (inferred: TikTok's choice between 40001 and 40106 is not documented; 40001 "no
  // permission" is what it answers for objects outside the token's grant).
  Advertiser& AdvertiserFor(const std::string& advertiser_id);
  // Reads the required `advertiser_id` parameter and checks it as above.
  Advertiser& RequireAdvertiser();
};

struct EndpointResult {
  Json data = Json::object();
  int code = kCodeOk;
  std::string message = "OK";
  // A non-JSON answer (file download): content type and body.
  std::optional<std::pair<std::string, std::string>> raw;
};

using EndpointHandler = EndpointResult (*)(EndpointContext&);

// oauth_endpoints.cc
EndpointResult OAuthAccessToken(EndpointContext& ctx);
EndpointResult OAuthAdvertiserGet(EndpointContext& ctx);
EndpointResult OAuthRevokeToken(EndpointContext& ctx);
// account_endpoints.cc
EndpointResult AdvertiserInfo(EndpointContext& ctx);
EndpointResult IdentityGet(EndpointContext& ctx);
EndpointResult PixelList(EndpointContext& ctx);
EndpointResult ToolRegion(EndpointContext& ctx);
EndpointResult PageGet(EndpointContext& ctx);
// campaign_endpoints.cc
EndpointResult CampaignCreate(EndpointContext& ctx);
EndpointResult CampaignGet(EndpointContext& ctx);
EndpointResult CampaignUpdate(EndpointContext& ctx);
EndpointResult CampaignStatusUpdate(EndpointContext& ctx);
// adgroup_endpoints.cc
EndpointResult AdGroupCreate(EndpointContext& ctx);
EndpointResult AdGroupGet(EndpointContext& ctx);
EndpointResult AdGroupUpdate(EndpointContext& ctx);
EndpointResult AdGroupStatusUpdate(EndpointContext& ctx);
EndpointResult AdGroupBudgetUpdate(EndpointContext& ctx);
// ad_endpoints.cc
EndpointResult AdCreate(EndpointContext& ctx);
EndpointResult AdGet(EndpointContext& ctx);
EndpointResult AdUpdate(EndpointContext& ctx);
EndpointResult AdStatusUpdate(EndpointContext& ctx);
// file_endpoints.cc
EndpointResult VideoUpload(EndpointContext& ctx);
EndpointResult VideoInfo(EndpointContext& ctx);
EndpointResult ImageUpload(EndpointContext& ctx);
// report_endpoints.cc
EndpointResult ReportIntegratedGet(EndpointContext& ctx);
// lead_endpoints.cc
EndpointResult PageLeadTask(EndpointContext& ctx);
EndpointResult PageLeadTaskDownload(EndpointContext& ctx);

// Shared by the entity endpoints (entity_common.cc).

// `object` reduced to `fields` (when given; unknown names are 40002) and without null values
// when `exclude_field_types_in_response` holds "NULL_FIELD".
Json SelectFields(const Json& object, const std::optional<std::vector<std::string>>& fields,
                  bool exclude_null);
// Reads `fields` and `exclude_field_types_in_response`, checking names against `template_object`.
struct FieldSelection {
  std::optional<std::vector<std::string>> fields;
  bool exclude_null = false;
};
FieldSelection ReadFieldSelection(const Params& params, const Json& template_object);
// A request_id idempotency key: an int64 written as a string (40002 otherwise).
std::optional<std::string> ReadDedupeKey(const Params& params);
// A display name of at most 512 characters (40002 otherwise).
void CheckName(const std::string& key, const std::string& name);
// The page of `items` (a JSON array) and page_info, as {list, page_info}.
Json PageOf(const std::vector<Json>& items, const PageRequest& page, const char* list_key);
// Sorts ids newest first (TikTok lists newest objects first).
bool NewerFirst(absl::Time a_time, const std::string& a_id, absl::Time b_time,
                const std::string& b_id);
// Whole days covered by [start, end) rounded up, at least 1.
int64_t ScheduledDays(absl::Time start, absl::Time end);
// Copies the optional `keys` present in `params` into `extra`.
void CopyExtra(const Params& params, std::initializer_list<const char*> keys, Json& extra);

// The filters campaign/get/, adgroup/get/ and ad/get/ share: primary_status (default
// STATUS_NOT_DELETE), secondary_status (an exact value, or *_STATUS_ALL for everything),
// objective_type, buying_types, creation_filter_start_time/end_time. Keys a real filter has
// that the sandbox does not model are accepted and ignored (inferred: TikTok ignores unknown
// filtering keys rather than failing).
struct CommonFilter {
  std::string primary_status = "STATUS_NOT_DELETE";
  std::optional<std::string> secondary_status;
  std::optional<std::string> objective_type;
  std::optional<absl::Time> created_from;
  std::optional<absl::Time> created_to;

  static CommonFilter Read(const std::optional<Params>& filtering);
  // Whether an object with these properties passes.
  bool Matches(const std::string& secondary, bool deleted, const std::string& objective,
               absl::Time create_time) const;
};

}  // namespace ttads::sandbox

#endif  // TTADS_TOOLS_SANDBOX_ENDPOINTS_H_
