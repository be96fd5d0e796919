// The sandbox's model of one TikTok world: developer apps, auth codes and long-term tokens,
// advertisers (each with currency and time zone), identities, pixels, instant pages and their
// leads, campaigns, ad groups, ads, videos and images. Plain data plus the few derived facts
// (secondary status, when an object was enabled, its budget at a time) the endpoints and the
// metric model share. Not thread-safe: TikTokApi guards it with one mutex.
#ifndef TTADS_TOOLS_SANDBOX_SANDBOX_STATE_H_
#define TTADS_TOOLS_SANDBOX_SANDBOX_STATE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "tools/sandbox/sandbox_json.h"

namespace ttads::sandbox {

// A change of an object's effective on/off state (operation_status, or deletion) at `at`.
struct StatusPoint {
  absl::Time at;
  bool enabled = true;
};

// A budget value that applies from `at` on.
struct BudgetPoint {
  absl::Time at;
  double budget = 0;
};

struct App {
  std::string app_id;
  std::string secret;
};

struct AuthCode {
  std::string auth_code;
  std::string app_id;
  std::vector<std::string> advertiser_ids;
  std::vector<int> scope;
  absl::Time expires_at;
  bool used = false;
};

struct AccessToken {
  std::string access_token;
  std::string app_id;
  std::vector<std::string> advertiser_ids;
  std::vector<int> scope;
  absl::Time create_time;
  bool revoked = false;

  bool Grants(const std::string& advertiser_id) const;
};

struct Advertiser {
  std::string advertiser_id;
  std::string name;
  std::string company;
  std::string currency = "USD";
  std::string timezone = "Etc/GMT";  // IANA name; reports and "today" use it
  std::string display_timezone;      // defaults to `timezone`
  std::string status = "STATUS_ENABLE";
  std::string role = "ROLE_ADVERTISER";
  std::string country;
  std::string language = "en";
  std::string industry;
  std::string address;
  std::string description;
  std::string email;
  std::string cellphone_number;
  std::string telephone_number;
  std::string contacter;
  std::string owner_bc_id;
  double balance = 0;
  absl::Time create_time;
  absl::TimeZone zone;
};

struct Identity {
  std::string identity_id;
  std::string identity_type;  // CUSTOMIZED_USER | AUTH_CODE | TT_USER | BC_AUTH_TT | TTS_TT
  std::string advertiser_id;
  std::string identity_authorized_bc_id;
  std::string display_name;
  std::string user_name;
  std::string profile_image;
  std::string available_status = "AVAILABLE";
  bool can_push_video = true;
  bool can_pull_video = true;
  bool can_use_live_ads = false;
  bool can_manage_message = false;
};

struct Pixel {
  std::string pixel_id;
  std::string advertiser_id;
  std::string pixel_code;
  std::string pixel_name;
  std::string pixel_category = "THIRD_PARTY";
  std::string pixel_setup_mode = "MANUAL";
  std::string asset_ownership = "OWNER";
  absl::Time create_time;
  Json events = Json::array();
};

// An instant page (lead form) as page/get/ lists it.
struct InstantPage {
  std::string page_id;
  std::string advertiser_id;
  std::string title;
  std::string status = "PUBLISHED";        // EDITED | PUBLISHED
  std::string business_type = "LEAD_GEN";  // LEAD_GEN | TIKTOK_INSTANT_PAGE | ...
  absl::Time create_time;
  absl::Time update_time;
};

// A lead submitted through an instant page (seeded; synthetic leads are derived at download).
struct Lead {
  std::string lead_id;
  std::string advertiser_id;
  std::string page_id;
  std::string ad_id;
  absl::Time create_time;
  std::vector<std::pair<std::string, std::string>> fields;  // question -> answer
};

struct LeadDownloadTask {
  std::string task_id;
  std::string advertiser_id;
  std::string page_id;
  std::string ad_id;
  absl::Time create_time;
};

struct Video {
  std::string video_id;
  std::string advertiser_id;
  std::string material_id;
  std::string file_name;
  std::string signature;  // lower-case hex MD5
  std::string format = "mp4";
  std::string source_url;  // UPLOAD_BY_URL only
  int64_t size = 0;
  int width = 720;
  int height = 1280;
  double duration = 15.0;
  int64_t bit_rate = 0;
  absl::Time create_time;
  absl::Time ready_time;  // transcoding ends (sandbox clock)
};

struct Image {
  std::string image_id;
  std::string advertiser_id;
  std::string material_id;
  std::string file_name;
  std::string signature;
  std::string format = "jpeg";
  std::string image_url;
  int64_t size = 0;
  int width = 720;
  int height = 1280;
  absl::Time create_time;
};

// What campaigns, ad groups and ads share: status and its history, timestamps, back-fill and
// the fields the sandbox stores without interpreting (echoed back by get).
struct EntityBase {
  std::string advertiser_id;
  std::string operation_status = "ENABLE";  // ENABLE | DISABLE (deletion is `deleted`)
  bool deleted = false;
  absl::Time create_time;
  absl::Time modify_time;
  std::optional<int> backfill_days;
  std::vector<StatusPoint> status_history;
  Json extra = Json::object();

  // Whether the object itself was switched on at `t` (before creation: its first state).
  bool EnabledAt(absl::Time t) const;
  // Records a status change now and updates operation_status/deleted/modify_time.
  void SetStatus(const std::string& status, absl::Time now);
};

struct Campaign : EntityBase {
  std::string campaign_id;
  std::string campaign_name;
  std::string objective_type;
  std::string campaign_type = "REGULAR_CAMPAIGN";
  std::string budget_mode;
  double budget = 0;
  bool budget_optimize_on = false;
  std::vector<BudgetPoint> budget_history;

  double BudgetAt(absl::Time t) const;
};

struct AdGroup : EntityBase {
  std::string adgroup_id;
  std::string campaign_id;
  std::string adgroup_name;
  std::string placement_type = "PLACEMENT_TYPE_NORMAL";
  Json placements = Json::array();
  Json location_ids = Json::array();
  Json age_groups = Json::array();
  std::string gender = "GENDER_UNLIMITED";
  Json languages = Json::array();
  std::string budget_mode;
  double budget = 0;
  std::string schedule_type = "SCHEDULE_FROM_NOW";
  absl::Time schedule_start_time;
  std::optional<absl::Time> schedule_end_time;
  std::string dayparting;
  std::string optimization_goal;
  std::string billing_event;
  std::string bid_type = "BID_TYPE_NO_BID";
  double bid_price = 0;
  double conversion_bid_price = 0;
  std::string pacing = "PACING_MODE_SMOOTH";
  std::string promotion_type;
  std::string promotion_target_type;
  std::string pixel_id;
  std::string optimization_event;
  std::vector<BudgetPoint> budget_history;

  double BudgetAt(absl::Time t) const;
};

struct Ad : EntityBase {
  std::string ad_id;
  std::string adgroup_id;
  std::string campaign_id;
  std::string ad_name;
  std::string ad_format = "SINGLE_VIDEO";
  std::string video_id;
  Json image_ids = Json::array();
  std::string ad_text;
  std::string call_to_action;
  std::string landing_page_url;
  std::string identity_type;
  std::string identity_id;
  std::string identity_authorized_bc_id;
  std::string display_name;
  std::string avatar_icon_web_uri;
  std::string page_id;
};

struct SandboxState {
  explicit SandboxState(uint64_t random_seed = 7);

  std::map<std::string, App> apps;
  std::map<std::string, AuthCode> auth_codes;
  std::map<std::string, AccessToken> tokens;
  std::map<std::string, Advertiser> advertisers;
  std::map<std::string, Identity> identities;
  std::map<std::string, Pixel> pixels;
  std::map<std::string, InstantPage> pages;
  std::map<std::string, Lead> leads;
  std::map<std::string, LeadDownloadTask> lead_tasks;
  std::map<std::string, Campaign> campaigns;
  std::map<std::string, AdGroup> adgroups;
  std::map<std::string, Ad> ads;
  std::map<std::string, Video> videos;
  std::map<std::string, Image> images;
  // request_id dedupe of campaign/create/ and adgroup/create/: (advertiser_id, request_id) -> id.
  std::map<std::pair<std::string, std::string>, std::string> campaign_request_ids;
  std::map<std::pair<std::string, std::string>, std::string> adgroup_request_ids;

  // A fresh 19-digit id (above 2^53, as TikTok's are), unique in this state.
  std::string NewId();
  // A fresh 40-character lower-case hex string (tokens, auth codes).
  std::string NewSecret();
  // A TikTok-style log id: UTC timestamp plus random hex.
  std::string NewRequestId(absl::Time now);
  // Drops every object (the id counter keeps counting).
  void Clear();

  // Lookups that return nullptr when absent or owned by another advertiser.
  const Campaign* FindCampaign(const std::string& advertiser_id, const std::string& id) const;
  Campaign* FindCampaign(const std::string& advertiser_id, const std::string& id);
  const AdGroup* FindAdGroup(const std::string& advertiser_id, const std::string& id) const;
  AdGroup* FindAdGroup(const std::string& advertiser_id, const std::string& id);
  const Ad* FindAd(const std::string& advertiser_id, const std::string& id) const;
  Ad* FindAd(const std::string& advertiser_id, const std::string& id);

  // Object counts per advertiser (the control API's state summary).
  Json Summary() const;

 private:
  uint64_t next_id_;
  std::mt19937_64 random_;
};

// "YYYY-MM-DD HH:MM:SS" in UTC, TikTok's format for create_time and schedules.
std::string FormatDateTime(absl::Time t);
// Parses "YYYY-MM-DD HH:MM:SS" as UTC; nullopt when malformed.
std::optional<absl::Time> ParseDateTime(const std::string& text);
// Parses "YYYY-MM-DD"; nullopt when malformed or not a real date.
std::optional<absl::CivilDay> ParseDate(const std::string& text);
// RFC 3339 for the control API.
std::string FormatRfc3339(absl::Time t);

// Secondary status (CAMPAIGN_STATUS_*, ADGROUP_STATUS_*, AD_STATUS_*) at `now`.
std::string CampaignSecondaryStatus(const Campaign& campaign);
std::string AdGroupSecondaryStatus(const SandboxState& state, const AdGroup& adgroup,
                                   absl::Time now);
std::string AdSecondaryStatus(const SandboxState& state, const Ad& ad, absl::Time now);
// Whether the object matches a primary_status filter value (STATUS_ALL, STATUS_NOT_DELETE,
// STATUS_DELETE, STATUS_DELIVERY_OK, STATUS_DISABLE, STATUS_NOT_DELIVERY, STATUS_TIME_DONE, ...).
bool MatchesPrimaryStatus(const std::string& secondary_status, bool deleted,
                          const std::string& primary_status);

// The objects as the API returns them (every field, nulls included; callers select fields).
Json AdvertiserJson(const Advertiser& advertiser);
Json IdentityJson(const Identity& identity);
Json PixelJson(const Pixel& pixel);
Json PageJson(const InstantPage& page);
Json CampaignJson(const Campaign& campaign);
Json AdGroupJson(const SandboxState& state, const AdGroup& adgroup, absl::Time now);
Json AdJson(const SandboxState& state, const Ad& ad, absl::Time now);
Json VideoJson(const Video& video, absl::Time now);
Json ImageJson(const Image& image);

}  // namespace ttads::sandbox

#endif  // TTADS_TOOLS_SANDBOX_SANDBOX_STATE_H_
