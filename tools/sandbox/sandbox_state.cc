#include "tools/sandbox/sandbox_state.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace ttads::sandbox {
namespace {

template <typename T>
const T* FindOwned(const std::map<std::string, T>& objects, const std::string& advertiser_id,
                   const std::string& id) {
  auto it = objects.find(id);
  if (it == objects.end() || it->second.advertiser_id != advertiser_id) return nullptr;
  return &it->second;
}

template <typename T>
T* FindOwned(std::map<std::string, T>& objects, const std::string& advertiser_id,
             const std::string& id) {
  auto it = objects.find(id);
  if (it == objects.end() || it->second.advertiser_id != advertiser_id) return nullptr;
  return &it->second;
}

double BudgetAtTime(const std::vector<BudgetPoint>& history, double current, absl::Time t) {
  if (history.empty()) return current;
  double budget = history.front().budget;
  for (const BudgetPoint& point : history) {
    if (point.at > t) break;
    budget = point.budget;
  }
  return budget;
}

Json NullIfEmpty(const std::string& value) { return value.empty() ? Json(nullptr) : Json(value); }

// Copies the uninterpreted fields a create/update stored over the defaults.
void MergeExtra(Json& object, const Json& extra) {
  for (auto it = extra.begin(); it != extra.end(); ++it) object[it.key()] = it.value();
}

constexpr char kCdn[] = "https://sandbox-cdn.tiktok.invalid";

}  // namespace

bool AccessToken::Grants(const std::string& advertiser_id) const {
  return std::find(advertiser_ids.begin(), advertiser_ids.end(), advertiser_id) !=
         advertiser_ids.end();
}

bool EntityBase::EnabledAt(absl::Time t) const {
  if (status_history.empty()) return !deleted && operation_status == "ENABLE";
  bool enabled = status_history.front().enabled;
  for (const StatusPoint& point : status_history) {
    if (point.at > t) break;
    enabled = point.enabled;
  }
  return enabled;
}

void EntityBase::SetStatus(const std::string& status, absl::Time now) {
  if (status == "DELETE") {
    deleted = true;
  } else {
    operation_status = status;
  }
  modify_time = now;
  status_history.push_back({now, !deleted && operation_status == "ENABLE"});
}

double Campaign::BudgetAt(absl::Time t) const { return BudgetAtTime(budget_history, budget, t); }

double AdGroup::BudgetAt(absl::Time t) const { return BudgetAtTime(budget_history, budget, t); }

SandboxState::SandboxState(uint64_t random_seed) : random_(random_seed) {
  next_id_ = 1790000000000000000ULL + random_() % 1000000000000ULL;
}

std::string SandboxState::NewId() {
  next_id_ += 1 + random_() % 89;
  return absl::StrCat(next_id_);
}

std::string SandboxState::NewSecret() {
  return absl::StrFormat("%016x%016x%08x", random_(), random_(), static_cast<uint32_t>(random_()));
}

std::string SandboxState::NewRequestId(absl::Time now) {
  return absl::StrCat(
      absl::FormatTime("%Y%m%d%H%M%S", now, absl::UTCTimeZone()),
      absl::AsciiStrToUpper(absl::StrFormat("%016x%02x", random_(), random_() % 256)));
}

void SandboxState::Clear() {
  apps.clear();
  auth_codes.clear();
  tokens.clear();
  advertisers.clear();
  identities.clear();
  pixels.clear();
  pages.clear();
  leads.clear();
  lead_tasks.clear();
  campaigns.clear();
  adgroups.clear();
  ads.clear();
  videos.clear();
  images.clear();
  campaign_request_ids.clear();
  adgroup_request_ids.clear();
}

const Campaign* SandboxState::FindCampaign(const std::string& advertiser_id,
                                           const std::string& id) const {
  return FindOwned(campaigns, advertiser_id, id);
}
Campaign* SandboxState::FindCampaign(const std::string& advertiser_id, const std::string& id) {
  return FindOwned(campaigns, advertiser_id, id);
}
const AdGroup* SandboxState::FindAdGroup(const std::string& advertiser_id,
                                         const std::string& id) const {
  return FindOwned(adgroups, advertiser_id, id);
}
AdGroup* SandboxState::FindAdGroup(const std::string& advertiser_id, const std::string& id) {
  return FindOwned(adgroups, advertiser_id, id);
}
const Ad* SandboxState::FindAd(const std::string& advertiser_id, const std::string& id) const {
  return FindOwned(ads, advertiser_id, id);
}
Ad* SandboxState::FindAd(const std::string& advertiser_id, const std::string& id) {
  return FindOwned(ads, advertiser_id, id);
}

Json SandboxState::Summary() const {
  Json advertiser_list = Json::array();
  for (const auto& [advertiser_key, advertiser] : advertisers) {
    // C++20 lets lambdas capture structured bindings; clang 14 does not yet, so name a reference.
    const std::string& id = advertiser_key;
    auto count = [&](const auto& objects) {
      int64_t n = 0;
      for (const auto& entry : objects) n += entry.second.advertiser_id == id ? 1 : 0;
      return n;
    };
    auto count_live = [&](const auto& objects) {
      int64_t n = 0;
      for (const auto& entry : objects) {
        n += entry.second.advertiser_id == id && !entry.second.deleted ? 1 : 0;
      }
      return n;
    };
    advertiser_list.push_back({{"advertiser_id", id},
                               {"name", advertiser.name},
                               {"currency", advertiser.currency},
                               {"timezone", advertiser.timezone},
                               {"campaigns", count(campaigns)},
                               {"campaigns_not_deleted", count_live(campaigns)},
                               {"adgroups", count(adgroups)},
                               {"adgroups_not_deleted", count_live(adgroups)},
                               {"ads", count(ads)},
                               {"ads_not_deleted", count_live(ads)},
                               {"videos", count(videos)},
                               {"images", count(images)},
                               {"identities", count(identities)},
                               {"pixels", count(pixels)},
                               {"pages", count(pages)},
                               {"leads", count(leads)}});
  }
  int64_t live_tokens = 0;
  for (const auto& entry : tokens) live_tokens += entry.second.revoked ? 0 : 1;
  int64_t unused_codes = 0;
  for (const auto& entry : auth_codes) unused_codes += entry.second.used ? 0 : 1;
  return Json{{"apps", apps.size()},
              {"auth_codes", auth_codes.size()},
              {"auth_codes_unused", unused_codes},
              {"tokens", tokens.size()},
              {"tokens_active", live_tokens},
              {"advertisers", std::move(advertiser_list)}};
}

std::string FormatDateTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S", t, absl::UTCTimeZone());
}

std::optional<absl::Time> ParseDateTime(const std::string& text) {
  if (text.size() != 19) return std::nullopt;
  absl::Time t;
  std::string error;
  if (!absl::ParseTime("%Y-%m-%d %H:%M:%S", text, absl::UTCTimeZone(), &t, &error)) {
    return std::nullopt;
  }
  return t;
}

std::optional<absl::CivilDay> ParseDate(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day)) return std::nullopt;
  // ParseCivilTime normalises 2024-02-30 to March; TikTok rejects such dates.
  if (absl::FormatCivilTime(day) != text) return std::nullopt;
  return day;
}

std::string FormatRfc3339(absl::Time t) {
  return absl::FormatTime(absl::RFC3339_full, t, absl::UTCTimeZone());
}

std::string CampaignSecondaryStatus(const Campaign& campaign) {
  if (campaign.deleted) return "CAMPAIGN_STATUS_DELETE";
  if (campaign.operation_status != "ENABLE") return "CAMPAIGN_STATUS_DISABLE";
  return "CAMPAIGN_STATUS_ENABLE";
}

std::string AdGroupSecondaryStatus(const SandboxState& state, const AdGroup& adgroup,
                                   absl::Time now) {
  if (adgroup.deleted) return "ADGROUP_STATUS_DELETE";
  auto campaign = state.campaigns.find(adgroup.campaign_id);
  if (campaign != state.campaigns.end()) {
    if (campaign->second.deleted) return "ADGROUP_STATUS_CAMPAIGN_DELETE";
    if (campaign->second.operation_status != "ENABLE") return "ADGROUP_STATUS_CAMPAIGN_DISABLE";
  }
  if (adgroup.operation_status != "ENABLE") return "ADGROUP_STATUS_DISABLE";
  if (adgroup.schedule_end_time && *adgroup.schedule_end_time <= now) {
    return "ADGROUP_STATUS_TIME_DONE";
  }
  if (adgroup.schedule_start_time > now) return "ADGROUP_STATUS_NOT_START";
  return "ADGROUP_STATUS_DELIVERY_OK";
}

std::string AdSecondaryStatus(const SandboxState& state, const Ad& ad, absl::Time now) {
  if (ad.deleted) return "AD_STATUS_DELETE";
  auto adgroup = state.adgroups.find(ad.adgroup_id);
  if (adgroup != state.adgroups.end()) {
    std::string parent = AdGroupSecondaryStatus(state, adgroup->second, now);
    if (parent == "ADGROUP_STATUS_CAMPAIGN_DELETE" || parent == "ADGROUP_STATUS_DELETE") {
      return "AD_STATUS_ADGROUP_DELETE";
    }
    if (parent == "ADGROUP_STATUS_CAMPAIGN_DISABLE") return "AD_STATUS_CAMPAIGN_DISABLE";
    if (parent == "ADGROUP_STATUS_DISABLE") return "AD_STATUS_ADGROUP_DISABLE";
    if (ad.operation_status != "ENABLE") return "AD_STATUS_DISABLE";
    if (parent == "ADGROUP_STATUS_TIME_DONE") return "AD_STATUS_TIME_DONE";
    if (parent == "ADGROUP_STATUS_NOT_START") return "AD_STATUS_NOT_START";
  }
  if (ad.operation_status != "ENABLE") return "AD_STATUS_DISABLE";
  return "AD_STATUS_DELIVERY_OK";
}

bool MatchesPrimaryStatus(const std::string& secondary_status, bool deleted,
                          const std::string& primary_status) {
  auto ends_with = [&](const char* suffix) {
    std::string s(suffix);
    return secondary_status.size() >= s.size() &&
           secondary_status.compare(secondary_status.size() - s.size(), s.size(), s) == 0;
  };
  bool delivering = ends_with("_DELIVERY_OK") || secondary_status == "CAMPAIGN_STATUS_ENABLE";
  if (primary_status == "STATUS_ALL") return true;
  if (primary_status == "STATUS_NOT_DELETE") return !deleted;
  if (primary_status == "STATUS_DELETE") return deleted;
  if (primary_status == "STATUS_DELIVERY_OK") return !deleted && delivering;
  if (primary_status == "STATUS_DISABLE") return !deleted && ends_with("_DISABLE");
  if (primary_status == "STATUS_NOT_DELIVERY") return !deleted && !delivering;
  if (primary_status == "STATUS_TIME_DONE") return !deleted && ends_with("_TIME_DONE");
  // STATUS_RF_CLOSED, STATUS_FROZEN, STATUS_DELIVERY_PARTIAL: nothing in the sandbox is.
  return false;
}

Json AdvertiserJson(const Advertiser& advertiser) {
  return Json{
      {"advertiser_id", advertiser.advertiser_id},
      {"name", advertiser.name},
      {"company", advertiser.company},
      {"status", advertiser.status},
      {"role", advertiser.role},
      {"currency", advertiser.currency},
      {"timezone", advertiser.timezone},
      {"display_timezone",
       advertiser.display_timezone.empty() ? advertiser.timezone : advertiser.display_timezone},
      {"balance", advertiser.balance},
      {"create_time", absl::ToUnixSeconds(advertiser.create_time)},
      {"country", advertiser.country},
      {"language", advertiser.language},
      {"industry", advertiser.industry},
      {"address", advertiser.address},
      {"description", advertiser.description},
      {"rejection_reason", ""},
      {"advertiser_account_type", "AUCTION"},
      {"owner_bc_id", advertiser.owner_bc_id},
      {"license_no", ""},
      {"license_url", ""},
      {"contacter", advertiser.contacter},
      {"email", advertiser.email},
      {"cellphone_number", advertiser.cellphone_number},
      {"telephone_number", advertiser.telephone_number},
      {"company_name_editable", false}};
}

Json IdentityJson(const Identity& identity) {
  return Json{{"identity_id", identity.identity_id},
              {"identity_type", identity.identity_type},
              {"identity_authorized_bc_id", NullIfEmpty(identity.identity_authorized_bc_id)},
              {"display_name", identity.display_name},
              {"user_name", identity.user_name},
              {"profile_image", identity.profile_image.empty()
                                    ? absl::StrCat(kCdn, "/avatar/", identity.identity_id)
                                    : identity.profile_image},
              {"available_status", identity.available_status},
              {"can_push_video", identity.can_push_video},
              {"can_pull_video", identity.can_pull_video},
              {"can_use_live_ads", identity.can_use_live_ads},
              {"can_manage_message", identity.can_manage_message},
              {"ads_only_mode", false},
              {"is_gpppa", false}};
}

Json PixelJson(const Pixel& pixel) {
  return Json{{"pixel_id", pixel.pixel_id},
              {"pixel_code", pixel.pixel_code},
              {"pixel_name", pixel.pixel_name},
              {"pixel_category", pixel.pixel_category},
              {"pixel_setup_mode", pixel.pixel_setup_mode},
              {"create_time", FormatDateTime(pixel.create_time)},
              {"asset_ownership", pixel.asset_ownership},
              {"events", pixel.events}};
}

// inferred: page/get/ item shape from TikTok's docs as restated by the Go SDK
// (bububa/tiktok-business model/page/page.go); times are UTC "YYYY-MM-DD HH:MM:SS".
Json PageJson(const InstantPage& page) {
  return Json{
      {"page_id", page.page_id},
      {"status", page.status},
      {"title", page.title},
      {"business_type", page.business_type},
      {"create_time", FormatDateTime(page.create_time)},
      {"update_time", FormatDateTime(page.update_time)},
      {"publish_time",
       page.status == "PUBLISHED" ? Json(FormatDateTime(page.update_time)) : Json(nullptr)},
      {"preview_url", page.status == "PUBLISHED" ? Json(absl::StrCat(kCdn, "/page/", page.page_id))
                                                 : Json(nullptr)},
      {"thumbnail", absl::StrCat(kCdn, "/page/", page.page_id, "/thumb.jpg")},
      {"transfer_status", "UNSET"}};
}

Json CampaignJson(const Campaign& campaign) {
  Json object{{"advertiser_id", campaign.advertiser_id},
              {"campaign_id", campaign.campaign_id},
              {"campaign_name", campaign.campaign_name},
              {"campaign_type", campaign.campaign_type},
              {"objective_type", campaign.objective_type},
              {"budget", campaign.budget},
              {"budget_mode", campaign.budget_mode},
              {"operation_status", campaign.operation_status},
              {"secondary_status", CampaignSecondaryStatus(campaign)},
              {"create_time", FormatDateTime(campaign.create_time)},
              {"modify_time", FormatDateTime(campaign.modify_time)},
              {"is_new_structure", true},
              {"budget_optimize_on", campaign.budget_optimize_on},
              {"special_industries", Json::array()},
              {"is_smart_performance_campaign", false},
              {"is_search_campaign", false},
              {"app_promotion_type", nullptr},
              {"bid_type", nullptr},
              {"optimization_goal", nullptr},
              {"deep_bid_type", nullptr},
              {"roas_bid", nullptr},
              {"rf_campaign_type", nullptr},
              {"campaign_product_source", nullptr},
              {"virtual_objective_type", nullptr},
              {"sales_destination", nullptr},
              {"app_id", nullptr},
              {"po_number", nullptr},
              {"rta_id", nullptr},
              {"rta_bid_enabled", nullptr},
              {"postback_window_mode", nullptr}};
  if (campaign.deleted) object["operation_status"] = "DISABLE";
  MergeExtra(object, campaign.extra);
  return object;
}

Json AdGroupJson(const SandboxState& state, const AdGroup& adgroup, absl::Time now) {
  auto campaign = state.campaigns.find(adgroup.campaign_id);
  Json object{
      {"advertiser_id", adgroup.advertiser_id},
      {"campaign_id", adgroup.campaign_id},
      {"campaign_name", campaign == state.campaigns.end() ? "" : campaign->second.campaign_name},
      {"adgroup_id", adgroup.adgroup_id},
      {"adgroup_name", adgroup.adgroup_name},
      {"placement_type", adgroup.placement_type},
      {"placements", adgroup.placements},
      {"location_ids", adgroup.location_ids},
      {"age_groups", adgroup.age_groups.empty() ? Json(nullptr) : adgroup.age_groups},
      {"gender", adgroup.gender},
      {"languages", adgroup.languages},
      {"budget_mode", adgroup.budget_mode},
      {"budget", adgroup.budget},
      {"schedule_type", adgroup.schedule_type},
      {"schedule_start_time", FormatDateTime(adgroup.schedule_start_time)},
      {"schedule_end_time", adgroup.schedule_end_time
                                ? Json(FormatDateTime(*adgroup.schedule_end_time))
                                : Json(nullptr)},
      {"dayparting", NullIfEmpty(adgroup.dayparting)},
      {"optimization_goal", adgroup.optimization_goal},
      {"billing_event", adgroup.billing_event},
      {"bid_type", adgroup.bid_type},
      {"bid_price", adgroup.bid_price},
      {"conversion_bid_price", adgroup.conversion_bid_price},
      {"pacing", adgroup.pacing},
      {"promotion_type", NullIfEmpty(adgroup.promotion_type)},
      {"promotion_target_type", NullIfEmpty(adgroup.promotion_target_type)},
      {"pixel_id", NullIfEmpty(adgroup.pixel_id)},
      {"optimization_event", NullIfEmpty(adgroup.optimization_event)},
      {"operation_status", adgroup.deleted ? "DISABLE" : adgroup.operation_status},
      {"secondary_status", AdGroupSecondaryStatus(state, adgroup, now)},
      {"create_time", FormatDateTime(adgroup.create_time)},
      {"modify_time", FormatDateTime(adgroup.modify_time)},
      {"is_new_structure", true},
      {"audience_ids", Json::array()},
      {"excluded_audience_ids", Json::array()},
      {"interest_category_ids", Json::array()},
      {"interest_keyword_ids", Json::array()},
      {"operating_systems", Json::array()},
      {"network_types", Json::array()},
      {"device_price_ranges", Json::array()},
      {"frequency", nullptr},
      {"frequency_schedule", nullptr},
      {"comment_disabled", false},
      {"video_download_disabled", false},
      {"share_disabled", false},
      {"identity_id", nullptr},
      {"identity_type", nullptr},
      {"identity_authorized_bc_id", nullptr},
      {"brand_safety_type", nullptr},
      {"click_attribution_window", nullptr},
      {"view_attribution_window", nullptr}};
  MergeExtra(object, adgroup.extra);
  return object;
}

Json AdJson(const SandboxState& state, const Ad& ad, absl::Time now) {
  auto campaign = state.campaigns.find(ad.campaign_id);
  auto adgroup = state.adgroups.find(ad.adgroup_id);
  Json object{
      {"advertiser_id", ad.advertiser_id},
      {"campaign_id", ad.campaign_id},
      {"campaign_name", campaign == state.campaigns.end() ? "" : campaign->second.campaign_name},
      {"adgroup_id", ad.adgroup_id},
      {"adgroup_name", adgroup == state.adgroups.end() ? "" : adgroup->second.adgroup_name},
      {"ad_id", ad.ad_id},
      {"ad_name", ad.ad_name},
      {"ad_format", ad.ad_format},
      {"video_id", NullIfEmpty(ad.video_id)},
      {"image_ids", ad.image_ids},
      {"ad_text", ad.ad_text},
      {"call_to_action", NullIfEmpty(ad.call_to_action)},
      {"landing_page_url", NullIfEmpty(ad.landing_page_url)},
      {"identity_id", ad.identity_id},
      {"identity_type", ad.identity_type},
      {"identity_authorized_bc_id", NullIfEmpty(ad.identity_authorized_bc_id)},
      {"display_name", NullIfEmpty(ad.display_name)},
      {"avatar_icon_web_uri", NullIfEmpty(ad.avatar_icon_web_uri)},
      {"page_id", NullIfEmpty(ad.page_id)},
      {"tiktok_item_id", nullptr},
      {"tracking_pixel_id", nullptr},
      {"deeplink", nullptr},
      {"utm_params", nullptr},
      {"operation_status", ad.deleted ? "DISABLE" : ad.operation_status},
      {"secondary_status", AdSecondaryStatus(state, ad, now)},
      {"create_time", FormatDateTime(ad.create_time)},
      {"modify_time", FormatDateTime(ad.modify_time)},
      {"is_aco", false},
      {"creative_authorized", false},
      {"is_new_structure", true}};
  MergeExtra(object, ad.extra);
  return object;
}

Json VideoJson(const Video& video, absl::Time now) {
  bool ready = now >= video.ready_time;
  return Json{
      {"video_id", video.video_id},
      {"video_cover_url",
       ready ? Json(absl::StrCat(kCdn, "/video/", video.video_id, "/cover.jpg")) : Json(nullptr)},
      {"preview_url",
       ready ? Json(absl::StrCat(kCdn, "/video/", video.video_id, "/preview.mp4")) : Json(nullptr)},
      {"preview_url_expire_time", FormatDateTime(now + absl::Hours(6))},
      {"width", video.width},
      {"height", video.height},
      {"duration", video.duration},
      {"size", video.size},
      {"format", video.format},
      {"bit_rate", video.bit_rate},
      {"file_name", video.file_name},
      {"signature", video.signature},
      {"material_id", video.material_id},
      {"displayable", ready && video.duration <= 60.0},
      {"allowed_placements",
       Json::array({"PLACEMENT_TIKTOK", "PLACEMENT_PANGLE", "PLACEMENT_GLOBAL_APP_BUNDLE"})},
      {"allow_download", true},
      {"create_time", FormatDateTime(video.create_time)},
      {"modify_time", FormatDateTime(video.create_time)},
      {"fix_task_id", nullptr},
      {"flaw_types", Json::array()}};
}

Json ImageJson(const Image& image) {
  return Json{{"image_id", image.image_id},
              {"material_id", image.material_id},
              {"is_carousel_usable", image.width * 16 == image.height * 9},
              {"width", image.width},
              {"height", image.height},
              {"format", image.format},
              {"image_url", image.image_url.empty()
                                ? absl::StrCat(kCdn, "/image/", image.image_id, ".", image.format)
                                : image.image_url},
              {"signature", image.signature},
              {"size", image.size},
              {"file_name", image.file_name},
              {"create_time", FormatDateTime(image.create_time)},
              {"modify_time", FormatDateTime(image.create_time)},
              {"displayable", true}};
}

}  // namespace ttads::sandbox
