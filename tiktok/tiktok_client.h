// The production TikTok Marketing API v1.3 client: TikTokApi over libcurl (http_transport.h),
// with the envelope and error table (envelope.h, tiktok_error.h), retries with backoff
// (retry_policy.h), a process-wide rate limiter (rate_limiter.h), paging and id batching
// (pagination.h), and one log record per HTTP attempt (call_log.h). Thread-safe: one client
// serves every caller of a process.
#ifndef TTADS_TIKTOK_TIKTOK_CLIENT_H_
#define TTADS_TIKTOK_TIKTOK_CLIENT_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "tiktok/api_endpoint.h"
#include "tiktok/api_types.h"
#include "tiktok/call_log.h"
#include "tiktok/clock.h"
#include "tiktok/envelope.h"
#include "tiktok/http_transport.h"
#include "tiktok/rate_limiter.h"
#include "tiktok/request_encoding.h"
#include "tiktok/retry_policy.h"
#include "tiktok/tiktok_api.h"

namespace ttads::tiktok {

// Configuration knobs (docs/tiktok.md lists the env variables the server maps to them).
struct TikTokClientConfig {
  std::string base_url = std::string(kDefaultBaseUrl);  // TIKTOK_API_BASE_URL
  std::string version = std::string(kDefaultVersion);   // TIKTOK_API_VERSION
  std::string app_id;                                   // TIKTOK_APP_ID
  std::string app_secret;                               // TIKTOK_APP_SECRET
  absl::Duration connect_timeout = absl::Seconds(10);
  absl::Duration request_timeout = absl::Seconds(30);  // per HTTP attempt
  // Uploads: max(upload_timeout, upload_timeout_per_mb * size in MB) per attempt.
  absl::Duration upload_timeout = absl::Minutes(5);
  absl::Duration upload_timeout_per_mb = absl::Seconds(10);
  RetryConfig retry;
  RateLimitConfig rate_limit;
  size_t max_idle_connections = 16;  // pooled curl handles
  // ad/create read-back: an ad with the creative's name counts as "ours" when TikTok says it
  // was created no earlier than this before the call started (clock skew allowance).
  absl::Duration read_back_slack = absl::Minutes(10);
  std::string user_agent = "ttads-tiktok/1";
};

// Collaborators; every member is optional.
struct TikTokClientDeps {
  std::shared_ptr<HttpTransport> transport;   // default: a CurlTransport from the config
  std::shared_ptr<RateLimiter> rate_limiter;  // default: RateLimiter::Shared(app_id) (system
                                              // clock) or, with a custom clock, a private one
  Clock* clock = nullptr;                     // default: the system clock; must outlive
  RandomSource random;                        // backoff jitter; default: absl::BitGen
  CallLogger logger;                          // one call per HTTP attempt; default: none
  // Makes TikTok request_id dedupe keys (decimal int64); default: random 63-bit.
  std::function<std::string()> dedupe_id_generator;
};

class TikTokClient final : public TikTokApi {
 public:
  static absl::StatusOr<std::unique_ptr<TikTokClient>> Create(TikTokClientConfig config,
                                                              TikTokClientDeps deps = {});

  absl::StatusOr<AccessTokenResult> ExchangeAuthCode(absl::string_view auth_code) override;
  absl::StatusOr<AuthorizedAdvertisersResult> GetAuthorizedAdvertisers(
      absl::string_view access_token) override;
  absl::StatusOr<RevokeTokenResult> RevokeToken(absl::string_view access_token) override;
  absl::StatusOr<std::vector<AdvertiserInfo>> GetAdvertiserInfo(
      absl::string_view access_token, const std::vector<std::string>& advertiser_ids,
      const std::vector<std::string>& fields) override;
  absl::StatusOr<std::vector<Identity>> GetIdentities(absl::string_view access_token,
                                                      const IdentityQuery& query) override;
  absl::StatusOr<std::vector<Pixel>> ListPixels(absl::string_view access_token,
                                                absl::string_view advertiser_id) override;
  absl::StatusOr<CampaignCreateResult> CreateCampaign(
      absl::string_view access_token, const CampaignCreateRequest& request) override;
  absl::StatusOr<std::vector<Campaign>> GetCampaigns(absl::string_view access_token,
                                                     const CampaignQuery& query) override;
  absl::StatusOr<CampaignUpdateResult> UpdateCampaign(
      absl::string_view access_token, const CampaignUpdateRequest& request) override;
  absl::StatusOr<StatusUpdateResult> UpdateCampaignStatus(
      absl::string_view access_token, absl::string_view advertiser_id,
      const std::vector<std::string>& campaign_ids, absl::string_view operation_status) override;
  absl::StatusOr<AdGroupCreateResult> CreateAdGroup(
      absl::string_view access_token, const AdGroupCreateRequest& request) override;
  absl::StatusOr<std::vector<AdGroup>> GetAdGroups(absl::string_view access_token,
                                                   const AdGroupQuery& query) override;
  absl::StatusOr<AdGroupUpdateResult> UpdateAdGroup(
      absl::string_view access_token, const AdGroupUpdateRequest& request) override;
  absl::StatusOr<StatusUpdateResult> UpdateAdGroupStatus(
      absl::string_view access_token, absl::string_view advertiser_id,
      const std::vector<std::string>& adgroup_ids, absl::string_view operation_status,
      bool allow_partial_success) override;
  absl::StatusOr<AdGroupBudgetUpdateResult> UpdateAdGroupBudgets(
      absl::string_view access_token, const AdGroupBudgetUpdateRequest& request) override;
  absl::StatusOr<AdCreateResult> CreateAds(absl::string_view access_token,
                                           const AdCreateRequest& request) override;
  absl::StatusOr<std::vector<Ad>> GetAds(absl::string_view access_token,
                                         const AdQuery& query) override;
  absl::StatusOr<StatusUpdateResult> UpdateAdStatus(absl::string_view access_token,
                                                    absl::string_view advertiser_id,
                                                    const std::vector<std::string>& ad_ids,
                                                    absl::string_view operation_status) override;
  absl::StatusOr<VideoUploadResult> UploadVideoByUrl(
      absl::string_view access_token, const VideoUploadByUrlRequest& request) override;
  absl::StatusOr<VideoUploadResult> UploadVideoByFile(
      absl::string_view access_token, const VideoUploadByFileRequest& request) override;
  absl::StatusOr<std::vector<VideoInfo>> GetVideoInfo(
      absl::string_view access_token, absl::string_view advertiser_id,
      const std::vector<std::string>& video_ids) override;
  absl::StatusOr<ImageUploadResult> UploadImage(absl::string_view access_token,
                                                const ImageUploadRequest& request) override;
  absl::StatusOr<ReportResult> GetReport(absl::string_view access_token,
                                         const ReportQuery& query) override;
  absl::StatusOr<LeadTask> CreateLeadTask(absl::string_view access_token,
                                          const LeadTaskRequest& request) override;
  absl::StatusOr<LeadFile> DownloadLeadTask(absl::string_view access_token,
                                            absl::string_view advertiser_id,
                                            absl::string_view task_id) override;
  absl::StatusOr<RegionResult> SearchRegions(absl::string_view access_token,
                                             const RegionQuery& query) override;
  absl::StatusOr<std::vector<InstantPage>> ListInstantPages(
      absl::string_view access_token, const InstantPageQuery& query) override;
  absl::StatusOr<RawCallResult> CallRaw(HttpMethod method, absl::string_view path,
                                        absl::string_view access_token,
                                        const Params& params) override;

  const TikTokClientConfig& config() const { return config_; }
  RateLimiter& rate_limiter() { return *limiter_; }

  // One logical call, as the typed methods make it (public for tests and new endpoints).
  struct CallSpec {
    HttpMethod method = HttpMethod::kGet;
    std::string path;
    std::string access_token;  // empty = no Access-Token header
    Params params = Params::object();
    std::vector<MultipartPart> multipart;  // non-empty: multipart POST, params unused
    std::string advertiser_id;             // rate limiting and logs
    RetryMode retry_mode = RetryMode::kIdempotent;
    absl::Duration timeout = absl::ZeroDuration();  // per attempt; zero = request_timeout
    absl::Time deadline = absl::InfiniteFuture();   // cuts the retry deadline further
    VerdictOptions verdict;
  };
  struct CallOutcome {
    absl::Status status;      // OK, or the final error (with its TikTokError payload)
    ResponseVerdict verdict;  // of the last attempt
    HttpResponse response;    // of the last attempt (empty after a transport failure)
    int attempts = 0;
  };
  CallOutcome Call(const CallSpec& spec);

 private:
  TikTokClient(TikTokClientConfig config, TikTokClientDeps deps);

  HttpRequest BuildRequest(const CallSpec& spec, const std::string& path,
                           absl::Duration timeout) const;
  void Log(const CallLogRecord& record) const;
  std::string NewDedupeId();

  // Runs `spec` and returns the parsed envelope data.
  absl::StatusOr<JsonValue> CallData(const CallSpec& spec);
  // Reads every page of `spec` (page/page_size added), calling on_item for each item of the
  // data member `list_key`; adds the number of pages read to `*pages` when given.
  absl::Status CallPaged(CallSpec spec, int page_size, absl::string_view list_key,
                         const std::function<void(const JsonValue&)>& on_item,
                         int64_t* pages = nullptr);
  // Lists campaigns, ad groups or ads (`path` "campaign/get/", …): the id lists are batched into
  // as many filterings as needed and every page of each is read.
  struct EntityListing {
    absl::string_view path;
    const std::string* advertiser_id;
    const std::vector<std::string>* fields;
    const Params* filtering;
    int page_size;
    std::vector<std::pair<std::string, const std::vector<std::string>*>> id_lists;
  };
  absl::Status ListEntities(absl::string_view access_token, const EntityListing& listing,
                            const std::function<void(const JsonValue&)>& on_item);
  absl::StatusOr<StatusUpdateResult> UpdateStatus(absl::string_view access_token,
                                                  absl::string_view path,
                                                  absl::string_view advertiser_id,
                                                  absl::string_view ids_key,
                                                  const std::vector<std::string>& ids,
                                                  absl::string_view operation_status,
                                                  const Params& extra);
  // Ads of `adgroup_id` named in `names`, created after `not_before` (nullopt for unknown
  // create_time counts as a match). Returns name -> ad_id.
  absl::StatusOr<std::map<std::string, std::string>> FindAdsByName(
      absl::string_view access_token, absl::string_view advertiser_id,
      absl::string_view adgroup_id, const std::vector<std::string>& names, absl::Time not_before);

  const TikTokClientConfig config_;
  const ApiEndpoint endpoint_;
  std::shared_ptr<HttpTransport> transport_;
  std::shared_ptr<RateLimiter> limiter_;
  Clock* clock_;
  Backoff backoff_;
  CallLogger logger_;
  std::function<std::string()> dedupe_id_generator_;
};

}  // namespace ttads::tiktok

#endif  // TTADS_TIKTOK_TIKTOK_CLIENT_H_
