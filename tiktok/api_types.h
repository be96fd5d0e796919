// Requests and results of the typed TikTok calls (tiktok_api.h), and the readers that build
// results from TikTok's JSON. Field names follow TikTok's (reference §2-§9). Every entity
// keeps the item's JSON (`raw_json`) and single-response results keep the envelope's `data`
// (`data_json`), so ttads can pass TikTok's JSON through unchanged.
// Ids are strings; amounts and metrics are read leniently (lenient.h): std::nullopt means
// "TikTok sent no value" ("-", null, missing).
// `extra` members are merged into the request first; the typed members then override them, so
// any field TikTok accepts can be sent without a new struct member.
#ifndef TTADS_TIKTOK_API_TYPES_H_
#define TTADS_TIKTOK_API_TYPES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "tiktok/json_value.h"
#include "tiktok/request_encoding.h"

namespace ttads::tiktok {

// ---- OAuth (oauth2/access_token/, oauth2/advertiser/get/, oauth2/revoke_token/) ----

struct AccessTokenResult {
  std::string access_token;
  std::vector<std::string> advertiser_ids;
  std::vector<int64_t> scope;  // numeric permission-scope ids
  std::string data_json;
};

struct AuthorizedAdvertiser {
  std::string advertiser_id;
  std::string advertiser_name;
};

struct AuthorizedAdvertisersResult {
  std::vector<AuthorizedAdvertiser> advertisers;
  std::string data_json;
};

struct RevokeTokenResult {
  std::string app_id;
  std::vector<std::string> advertiser_ids;  // no longer reachable with the token
  // TikTok answered that the token was already invalid (40102/40104/40105): for a disconnect
  // that is as good as revoked.
  bool already_invalid = false;
  std::string data_json;
};

// ---- advertiser/info/ ----

struct AdvertiserInfo {
  std::string advertiser_id;
  std::string name;
  std::string company;
  std::string status;  // STATUS_ENABLE, ...
  std::string role;
  std::string currency;  // ISO 4217
  std::string timezone;
  std::string display_timezone;
  std::string country;
  std::string language;
  std::optional<double> balance;
  std::optional<absl::Time> create_time;  // unix seconds on the wire
  std::string raw_json;
};

// ---- identity/get/ ----

struct IdentityQuery {
  std::string advertiser_id;
  std::string identity_type;              // empty = all types
  std::string identity_authorized_bc_id;  // required for BC_AUTH_TT
  int page_size = 100;                    // 1-100
  Params extra = Params::object();
};

struct Identity {
  std::string identity_id;
  std::string identity_type;
  std::string identity_authorized_bc_id;
  std::string display_name;
  std::string user_name;
  std::string profile_image;
  std::string available_status;
  bool can_push_video = false;
  bool can_pull_video = false;
  bool can_use_live_ads = false;
  std::string raw_json;
};

// ---- pixel/list/ ----

struct PixelEvent {
  std::string event_id;
  std::string event_code;
  std::string event_type;
  std::string name;
  std::string optimization_event;
  std::string statistic_type;
  bool deprecated = false;
};

struct Pixel {
  std::string pixel_id;
  std::string pixel_code;
  std::string pixel_name;
  std::string pixel_category;
  std::string pixel_setup_mode;
  std::string create_time;
  std::vector<PixelEvent> events;
  std::string raw_json;
};

// ---- campaigns ----

struct Campaign {
  std::string advertiser_id;
  std::string campaign_id;
  std::string campaign_name;
  std::string campaign_type;
  std::string objective_type;
  std::string budget_mode;
  std::optional<double> budget;  // account currency units
  std::string operation_status;
  std::string secondary_status;
  bool budget_optimize_on = false;
  std::string create_time;  // "YYYY-MM-DD HH:MM:SS" UTC
  std::string modify_time;
  std::string raw_json;
};

struct CampaignCreateRequest {
  std::string advertiser_id;
  std::string campaign_name;
  std::string objective_type;
  std::string budget_mode;
  std::optional<double> budget;
  std::string operation_status;          // empty = TikTok's default (ENABLE)
  std::optional<bool> budget_optimize_on;
  Params extra = Params::object();
  // TikTok's `request_id` dedupe key (int64 as a decimal string). Empty = the client makes
  // one. Reusing the value of an earlier attempt of the same logical create (e.g. after a
  // restart) keeps TikTok from creating twice.
  std::string dedupe_request_id;
};

struct CampaignCreateResult {
  std::string campaign_id;
  std::string dedupe_request_id;  // the key that was sent
  Campaign campaign;
  // TikTok said "duplicated request" and the campaign was found by name instead.
  bool recovered_by_read_back = false;
  std::string data_json;
};

struct CampaignQuery {
  std::string advertiser_id;
  std::vector<std::string> campaign_ids;  // any number: batched by 100
  std::vector<std::string> fields;        // empty = TikTok's default fields
  Params filtering = Params::object();    // other filters (primary_status, campaign_name, ...)
  int page_size = 1000;                   // 1-1000
};

struct CampaignUpdateRequest {
  std::string advertiser_id;
  std::string campaign_id;
  std::optional<std::string> campaign_name;
  std::optional<double> budget;
  Params extra = Params::object();
};

struct CampaignUpdateResult {
  Campaign campaign;
  std::string data_json;
};

// Result of a status update (campaign/adgroup/ad), over every batch.
struct ItemError {
  std::string id;
  std::string message;
};

struct StatusUpdateResult {
  std::vector<std::string> ids;  // ids TikTok reported as updated
  std::string status;            // as reported (e.g. "DISABLE")
  std::vector<ItemError> errors; // per-item failures (partial success, code 20001)
  bool partial = false;
  std::vector<std::string> data_json;  // one per batch
};

// ---- ad groups ----

struct AdGroup {
  std::string advertiser_id;
  std::string campaign_id;
  std::string campaign_name;
  std::string adgroup_id;
  std::string adgroup_name;
  std::string budget_mode;
  std::optional<double> budget;
  std::string operation_status;
  std::string secondary_status;
  std::string optimization_goal;
  std::string optimization_event;
  std::string billing_event;
  std::string bid_type;
  std::optional<double> bid_price;
  std::optional<double> conversion_bid_price;
  std::string pacing;
  std::string placement_type;
  std::vector<std::string> placements;
  std::vector<std::string> location_ids;
  std::string promotion_type;
  std::string pixel_id;
  std::string schedule_type;
  std::string schedule_start_time;
  std::string schedule_end_time;
  std::string create_time;
  std::string modify_time;
  std::string raw_json;
};

struct AdGroupCreateRequest {
  std::string advertiser_id;
  std::string campaign_id;
  std::string adgroup_name;
  std::string budget_mode;
  std::optional<double> budget;
  std::string schedule_type;
  std::string schedule_start_time;  // "YYYY-MM-DD HH:MM:SS" UTC
  std::string schedule_end_time;
  std::string optimization_goal;
  std::string billing_event;
  std::string bid_type;
  std::string pacing;
  std::string placement_type;
  std::vector<std::string> placements;
  std::vector<std::string> location_ids;  // strings (numbers fail)
  std::string promotion_type;
  std::string operation_status;
  Params extra = Params::object();  // targeting, pixel_id, optimization_event, ...
  std::string dedupe_request_id;    // as CampaignCreateRequest
};

struct AdGroupCreateResult {
  std::string adgroup_id;
  std::string dedupe_request_id;
  AdGroup adgroup;
  bool recovered_by_read_back = false;
  std::string data_json;
};

struct AdGroupQuery {
  std::string advertiser_id;
  std::vector<std::string> campaign_ids;
  std::vector<std::string> adgroup_ids;
  std::vector<std::string> fields;
  Params filtering = Params::object();
  int page_size = 1000;
};

struct AdGroupUpdateRequest {
  std::string advertiser_id;
  std::string adgroup_id;
  std::optional<std::string> adgroup_name;
  std::optional<double> budget;
  Params extra = Params::object();
};

struct AdGroupUpdateResult {
  AdGroup adgroup;
  std::string data_json;
};

struct AdGroupBudget {
  std::string adgroup_id;
  double budget = 0;
};

// adgroup/budget/update/ (seen only in the Go SDK; medium confidence).
struct AdGroupBudgetUpdateRequest {
  std::string advertiser_id;
  std::vector<AdGroupBudget> budgets;           // -> budget: [{adgroup_id, budget}]
  std::vector<AdGroupBudget> schedule_budgets;  // -> schedule_budget: [{adgroup_id, schedule_budget}]
};

struct AdGroupBudgetUpdateResult {
  std::string data_json;
};

// ---- ads ----

struct AdCreative {
  std::string ad_name;  // needed for a safe retry (read-back matches by name)
  std::string ad_format;
  std::string video_id;
  std::vector<std::string> image_ids;  // the cover image of a video ad
  std::string ad_text;
  std::string call_to_action;
  std::string landing_page_url;
  std::string identity_type;
  std::string identity_id;
  std::string identity_authorized_bc_id;
  std::string display_name;
  std::string page_id;  // instant form of lead-gen ads
  std::string tracking_pixel_id;
  std::string operation_status;
  Params extra = Params::object();
};

struct AdCreateRequest {
  std::string advertiser_id;
  std::string adgroup_id;
  std::vector<AdCreative> creatives;  // 1-20
};

struct AdCreateResult {
  std::vector<std::string> ad_ids;  // in creative order
  // The create's answer was lost, and ad/get showed the ads were created.
  bool recovered_by_read_back = false;
  std::string data_json;
};

struct Ad {
  std::string advertiser_id;
  std::string campaign_id;
  std::string adgroup_id;
  std::string ad_id;
  std::string ad_name;
  std::string ad_format;
  std::string operation_status;
  std::string secondary_status;
  std::string video_id;
  std::vector<std::string> image_ids;
  std::string ad_text;
  std::string call_to_action;
  std::string landing_page_url;
  std::string identity_id;
  std::string identity_type;
  std::string display_name;
  std::string page_id;
  std::string create_time;
  std::string modify_time;
  std::string raw_json;
};

struct AdQuery {
  std::string advertiser_id;
  std::vector<std::string> campaign_ids;
  std::vector<std::string> adgroup_ids;
  std::vector<std::string> ad_ids;
  std::vector<std::string> fields;
  Params filtering = Params::object();
  int page_size = 1000;
};

// ---- files ----

struct VideoInfo {
  std::string video_id;
  std::string video_cover_url;
  std::string preview_url;
  std::string format;
  std::string file_name;
  std::string signature;
  std::string material_id;
  std::optional<int64_t> width;
  std::optional<int64_t> height;
  std::optional<int64_t> size;
  std::optional<double> duration;  // seconds
  std::optional<double> bit_rate;
  bool displayable = false;
  std::vector<std::string> allowed_placements;
  std::string create_time;
  std::string modify_time;
  std::string raw_json;
};

struct VideoUploadByUrlRequest {
  std::string advertiser_id;
  std::string video_url;
  std::string file_name;  // unique per advertiser (else 40911)
  Params extra = Params::object();
};

struct VideoUploadByFileRequest {
  std::string advertiser_id;
  UploadSource source;    // video_signature = MD5 of these bytes
  std::string file_name;  // empty = source.file_name
  Params extra = Params::object();
};

struct VideoUploadResult {
  VideoInfo video;               // the first (usually only) video
  std::vector<VideoInfo> videos; // data is an array, or one object
  std::string data_json;
};

struct ImageInfo {
  std::string image_id;
  std::string image_url;
  std::string format;
  std::string file_name;
  std::string signature;
  std::string material_id;
  std::optional<int64_t> width;
  std::optional<int64_t> height;
  std::optional<int64_t> size;
  bool displayable = false;
  std::string create_time;
  std::string modify_time;
  std::string raw_json;
};

struct ImageUploadRequest {
  std::string advertiser_id;
  std::optional<UploadSource> source;  // UPLOAD_BY_FILE (multipart, image_signature) ...
  std::string image_url;               // ... or UPLOAD_BY_URL when source is empty
  std::string file_name;
  Params extra = Params::object();
};

struct ImageUploadResult {
  ImageInfo image;
  std::string data_json;
};

// ---- report/integrated/get/ ----

struct ReportFilter {
  std::string field_name;   // campaign_ids, adgroup_ids, ad_ids, campaign_status, ...
  std::string filter_type;  // IN, MATCH, GREATER_EQUAL, ..., BETWEEN
  // For IN/BETWEEN: the values; sent as a JSON-array string in filter_value. A list longer
  // than 100 ids is split into several requests (only one such filter per query).
  std::vector<std::string> values;
  std::string filter_value;  // used as is when `values` is empty

  static ReportFilter In(std::string field_name, std::vector<std::string> ids);
};

struct ReportQuery {
  std::string advertiser_id;
  std::string report_type = "BASIC";
  std::string data_level;  // AUCTION_ADVERTISER / _CAMPAIGN / _ADGROUP / _AD
  std::vector<std::string> dimensions;
  std::vector<std::string> metrics;  // counters and attribute metrics (campaign_name, ...)
  std::string start_date;            // "YYYY-MM-DD" in the advertiser's time zone, inclusive
  std::string end_date;
  bool query_lifetime = false;
  std::vector<ReportFilter> filtering;
  int page_size = 1000;  // 1-1000
  std::string service_type;
  std::string order_field;
  std::string order_type;
  Params extra = Params::object();
};

struct ReportRow {
  std::map<std::string, std::string> dimensions;  // ids as strings, stat_time_day as sent
  // Every metric as TikTok sent it: counters ("5830", "20.00", or "-" = no data) and
  // attribute metrics ("campaign_name", ...). null values are left out.
  std::map<std::string, std::string> metrics;

  // A counter as a number; nullopt when absent, "-" or not numeric.
  std::optional<double> Number(const std::string& metric) const;
  double NumberOr0(const std::string& metric) const { return Number(metric).value_or(0); }
  // A metric's text, or "" when absent.
  std::string Text(const std::string& metric) const;
  std::string Dimension(const std::string& name) const;
};

struct ReportResult {
  std::vector<ReportRow> rows;  // every page of every batch
  int64_t pages_read = 0;
};

// ---- leads (page/lead/task/, page/lead/task/download/) - shape inferred, see tiktok_api.h ----

struct LeadTaskRequest {
  std::string advertiser_id;
  std::string page_id;  // one of page_id / ad_id
  std::string ad_id;
  std::string task_id;  // set to poll an existing task
  Params extra = Params::object();
};

struct LeadTask {
  std::string task_id;
  std::string status;     // CREATED, RUNNING, SUCCEED, FAILED
  std::string file_name;  // when SUCCEED
  std::string file_type;  // csv or zip
  std::string data_json;
};

struct LeadFile {
  std::string content_type;
  std::string file_name;  // from Content-Disposition, when sent
  std::string bytes;      // CSV text or a zip archive
};

// ---- tool/region/ - shape inferred, see tiktok_api.h ----

struct RegionQuery {
  std::string advertiser_id;
  std::vector<std::string> placements = {"PLACEMENT_TIKTOK"};
  std::string objective_type;
  std::string level_range;  // ALL, TO_COUNTRY, TO_PROVINCE, TO_CITY, TO_DISTRICT
  std::string language;
  Params extra = Params::object();
};

struct Region {
  std::string location_id;
  std::string name;
  std::string parent_id;
  std::string region_code;
  std::string country_code;
  std::string level;      // COUNTRY, PROVINCE, CITY, DISTRICT
  std::string area_type;  // ADMIN, METROPOLITAN_OR_DMA
  std::vector<std::string> next_level_ids;
  bool support_below_18 = false;
  std::string raw_json;
};

struct RegionResult {
  std::vector<Region> regions;           // data.region_info
  std::vector<std::string> region_list;  // data.region_list (country codes)
  std::string data_json;
};

// ---- instant pages (page/get/) - shape inferred, see tiktok_api.h ----

struct InstantPageQuery {
  std::string advertiser_id;
  std::string business_type = "LEAD_GEN";  // LEAD_GEN (instant forms), TIKTOK_INSTANT_PAGE, ...
  std::string status;                      // page_status: EDITED, PUBLISHED; empty = all
  std::string title;                       // contains
  int page_size = 100;                     // 1-100
  Params extra = Params::object();
};

struct InstantPage {
  std::string page_id;
  std::string title;
  std::string status;
  std::string create_time;
  std::string update_time;
  std::string preview_url;
  std::string thumbnail;
  std::string raw_json;
};

// ---- the generic call ----

struct RawCallResult {
  std::string body;  // the envelope exactly as received
  int64_t code = 0;  // envelope code (non-zero: TikTok refused; body still holds its answer)
  std::string message;
  std::string request_id;
  int http_status = 0;
  int attempts = 0;
};

// ---- readers (TikTok JSON -> structs) ----

Campaign ReadCampaign(const JsonValue& item);
AdGroup ReadAdGroup(const JsonValue& item);
Ad ReadAd(const JsonValue& item);
AdvertiserInfo ReadAdvertiserInfo(const JsonValue& item);
Identity ReadIdentity(const JsonValue& item);
Pixel ReadPixel(const JsonValue& item);
VideoInfo ReadVideoInfo(const JsonValue& item);
ImageInfo ReadImageInfo(const JsonValue& item);
ReportRow ReadReportRow(const JsonValue& item);
Region ReadRegion(const JsonValue& item);
InstantPage ReadInstantPage(const JsonValue& item);

}  // namespace ttads::tiktok

#endif  // TTADS_TIKTOK_API_TYPES_H_
