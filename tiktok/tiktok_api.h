// The TikTok Marketing API v1.3 calls ttads makes, as an interface so workflow cores can take
// it as a collaborator (and tests can hand them a fake). TikTokClient (tiktok_client.h) is the
// real implementation.
//
// Conventions of every call:
// - `access_token` is the advertiser's long-term token, sent as the Access-Token header.
// - Errors are absl::Status with a TikTokError payload (tiktok_error.h): TikTokErrorOf(status)
//   gives TikTok's code, message and request_id, and whether the error is retryable, a rate
//   limit, or needs re-authorisation. Local validation failures are INVALID_ARGUMENT without
//   a payload.
// - List calls read every page; id lists of any length are batched to TikTok's limits.
// - Retries, rate limiting and logging happen inside (retry_policy.h, rate_limiter.h).
// - Nothing throws.
#ifndef TTADS_TIKTOK_TIKTOK_API_H_
#define TTADS_TIKTOK_TIKTOK_API_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tiktok/api_types.h"
#include "tiktok/http_transport.h"
#include "tiktok/request_encoding.h"

namespace ttads::tiktok {

class TikTokApi {
 public:
  virtual ~TikTokApi() = default;

  // ---- OAuth ----
  // POST oauth2/access_token/ {app_id, secret, auth_code}. No token. Never re-sent after the
  // request left (the code is single-use).
  virtual absl::StatusOr<AccessTokenResult> ExchangeAuthCode(absl::string_view auth_code) = 0;
  // GET oauth2/advertiser/get/?app_id&secret with the token header.
  virtual absl::StatusOr<AuthorizedAdvertisersResult> GetAuthorizedAdvertisers(
      absl::string_view access_token) = 0;
  // POST oauth2/revoke_token/ {app_id, secret, access_token} (disconnect). A token TikTok
  // already considers invalid counts as revoked (already_invalid).
  virtual absl::StatusOr<RevokeTokenResult> RevokeToken(absl::string_view access_token) = 0;

  // ---- account ----
  // GET advertiser/info/ (advertiser_ids batched by 100; `fields` empty = TikTok's default).
  virtual absl::StatusOr<std::vector<AdvertiserInfo>> GetAdvertiserInfo(
      absl::string_view access_token, const std::vector<std::string>& advertiser_ids,
      const std::vector<std::string>& fields) = 0;
  // GET identity/get/ (all pages).
  virtual absl::StatusOr<std::vector<Identity>> GetIdentities(absl::string_view access_token,
                                                              const IdentityQuery& query) = 0;
  // GET pixel/list/ (all pages, 20 per page).
  virtual absl::StatusOr<std::vector<Pixel>> ListPixels(absl::string_view access_token,
                                                        absl::string_view advertiser_id) = 0;

  // ---- campaigns ----
  // POST campaign/create/ with TikTok's request_id dedupe key; retried safely.
  virtual absl::StatusOr<CampaignCreateResult> CreateCampaign(
      absl::string_view access_token, const CampaignCreateRequest& request) = 0;
  // GET campaign/get/ (all pages; campaign_ids batched by 100).
  virtual absl::StatusOr<std::vector<Campaign>> GetCampaigns(absl::string_view access_token,
                                                             const CampaignQuery& query) = 0;
  // POST campaign/update/ (partial update: only the given fields change).
  virtual absl::StatusOr<CampaignUpdateResult> UpdateCampaign(
      absl::string_view access_token, const CampaignUpdateRequest& request) = 0;
  // POST campaign/status/update/ (ids batched by 20). operation_status ENABLE/DISABLE/DELETE.
  virtual absl::StatusOr<StatusUpdateResult> UpdateCampaignStatus(
      absl::string_view access_token, absl::string_view advertiser_id,
      const std::vector<std::string>& campaign_ids, absl::string_view operation_status) = 0;

  // ---- ad groups ----
  // POST adgroup/create/ with the request_id dedupe key; retried safely.
  virtual absl::StatusOr<AdGroupCreateResult> CreateAdGroup(
      absl::string_view access_token, const AdGroupCreateRequest& request) = 0;
  // GET adgroup/get/ (all pages; id filters batched by 100).
  virtual absl::StatusOr<std::vector<AdGroup>> GetAdGroups(absl::string_view access_token,
                                                           const AdGroupQuery& query) = 0;
  // POST adgroup/update/.
  virtual absl::StatusOr<AdGroupUpdateResult> UpdateAdGroup(
      absl::string_view access_token, const AdGroupUpdateRequest& request) = 0;
  // POST adgroup/status/update/ (ids batched by 20).
  virtual absl::StatusOr<StatusUpdateResult> UpdateAdGroupStatus(
      absl::string_view access_token, absl::string_view advertiser_id,
      const std::vector<std::string>& adgroup_ids, absl::string_view operation_status,
      bool allow_partial_success) = 0;
  // POST adgroup/budget/update/ (Go SDK only; medium confidence).
  virtual absl::StatusOr<AdGroupBudgetUpdateResult> UpdateAdGroupBudgets(
      absl::string_view access_token, const AdGroupBudgetUpdateRequest& request) = 0;

  // ---- ads ----
  // POST ad/create/ (1-20 creatives). There is no dedupe key: a failed attempt is retried only
  // after ad/get (by ad group, matching ad_name) proves no ad was created; when the read-back
  // finds the ads, they are returned (recovered_by_read_back). Give every creative a name
  // unique in its ad group, or the call is not retried.
  virtual absl::StatusOr<AdCreateResult> CreateAds(absl::string_view access_token,
                                                   const AdCreateRequest& request) = 0;
  // GET ad/get/ (all pages; id filters batched by 100).
  virtual absl::StatusOr<std::vector<Ad>> GetAds(absl::string_view access_token,
                                                 const AdQuery& query) = 0;
  // POST ad/status/update/ (ids batched by 20).
  virtual absl::StatusOr<StatusUpdateResult> UpdateAdStatus(
      absl::string_view access_token, absl::string_view advertiser_id,
      const std::vector<std::string>& ad_ids, absl::string_view operation_status) = 0;

  // ---- creative files ----
  // POST file/video/ad/upload/ UPLOAD_BY_URL (JSON body).
  virtual absl::StatusOr<VideoUploadResult> UploadVideoByUrl(
      absl::string_view access_token, const VideoUploadByUrlRequest& request) = 0;
  // POST file/video/ad/upload/ UPLOAD_BY_FILE (multipart: video_file + video_signature MD5).
  virtual absl::StatusOr<VideoUploadResult> UploadVideoByFile(
      absl::string_view access_token, const VideoUploadByFileRequest& request) = 0;
  // GET file/video/ad/info/ (video_ids batched by 60). Unusable ids are left out by TikTok.
  virtual absl::StatusOr<std::vector<VideoInfo>> GetVideoInfo(
      absl::string_view access_token, absl::string_view advertiser_id,
      const std::vector<std::string>& video_ids) = 0;
  // POST file/image/ad/upload/ (by file: multipart image_file + image_signature; by URL: JSON).
  virtual absl::StatusOr<ImageUploadResult> UploadImage(absl::string_view access_token,
                                                        const ImageUploadRequest& request) = 0;

  // ---- reporting ----
  // GET report/integrated/get/ (synchronous; every page; an IN filter of more than 100 ids is
  // split into several reports, which needs an id dimension).
  virtual absl::StatusOr<ReportResult> GetReport(absl::string_view access_token,
                                                 const ReportQuery& query) = 0;

  // ---- leads (instant forms) ----
  // SHAPE INFERRED (not in the reference; from the Go SDK and public clients):
  // POST page/lead/task/ {advertiser_id, page_id | ad_id, task_id?} -> data {task_id, status
  // (CREATED/RUNNING/SUCCEED/FAILED), file_name, file_type (csv/zip)}. Without task_id it
  // creates a download task; with task_id it polls it.
  virtual absl::StatusOr<LeadTask> CreateLeadTask(absl::string_view access_token,
                                                  const LeadTaskRequest& request) = 0;
  // SHAPE INFERRED: GET page/lead/task/download/?advertiser_id&task_id answers the file itself
  // (CSV or zip, not an envelope) once the task SUCCEEDed, and an envelope otherwise.
  virtual absl::StatusOr<LeadFile> DownloadLeadTask(absl::string_view access_token,
                                                    absl::string_view advertiser_id,
                                                    absl::string_view task_id) = 0;

  // ---- lookups the frontend reaches through the proxy ----
  // SHAPE INFERRED (Go SDK): GET tool/region/?advertiser_id&placements=[...]&objective_type
  // [&level_range&language] -> data {region_list: [codes], region_info: [{location_id, name,
  // parent_id, region_code, country_code, level, area_type, next_level_ids,
  // support_below_18}]}.
  virtual absl::StatusOr<RegionResult> SearchRegions(absl::string_view access_token,
                                                     const RegionQuery& query) = 0;
  // SHAPE INFERRED (Go SDK, public clients): instant pages / instant forms are listed by
  // GET page/get/?advertiser_id&business_type (LEAD_GEN default)&page&page_size (1-100)
  // [&page_status&title] -> data {list: [{page_id, title, status, create_time, update_time,
  // preview_url, thumbnail, ...}], page_info}. All pages.
  virtual absl::StatusOr<std::vector<InstantPage>> ListInstantPages(
      absl::string_view access_token, const InstantPageQuery& query) = 0;

  // ---- generic ----
  // Any endpoint: GET params go in the query (arrays/objects JSON-encoded), POST params are
  // the JSON body. Returns the envelope text as received whenever TikTok answered with one,
  // even with a non-zero code (after retries of retryable codes); an error Status only when no
  // envelope came back (transport, HTTP 5xx, HTML). GET is retried as idempotent; POST only
  // when it provably did not take effect. An empty token sends no Access-Token header.
  virtual absl::StatusOr<RawCallResult> CallRaw(HttpMethod method, absl::string_view path,
                                                absl::string_view access_token,
                                                const Params& params) = 0;
};

}  // namespace ttads::tiktok

#endif  // TTADS_TIKTOK_TIKTOK_API_H_
