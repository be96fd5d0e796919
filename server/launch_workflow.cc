#include "server/launch_workflow.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/crypto_util.h"

namespace ttads::server {
namespace {

using Json = nlohmann::json;

constexpr int kAdsPerCall = 20;  // ad/create/ takes 1-20 creatives

std::string JsonText(const Json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end() || !found->is_string()) return "";
  return found->get<std::string>();
}

int JsonInt(const Json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end() || !found->is_number_integer()) return 0;
  return found->get<int>();
}

// A file name TikTok has not seen for this advertiser (it refuses a repeated one with 40911):
// the creative, plus the time of this attempt.
std::string UploadFileName(const storage::Creative& creative, absl::Time now,
                           absl::string_view extension) {
  return absl::StrCat("ttads-", creative.id.substr(0, 8), "-", absl::ToUnixMillis(now),
                      extension);
}

std::string Extension(absl::string_view file_name, absl::string_view fallback) {
  const size_t dot = file_name.rfind('.');
  if (dot == absl::string_view::npos || file_name.size() - dot > 6) return std::string(fallback);
  return std::string(file_name.substr(dot));
}

}  // namespace

absl::StatusOr<LaunchWorkflow::Media> LaunchWorkflow::EnsureMedia(
    const LaunchContext& context, LaunchJournal& journal, const storage::Creative& creative) {
  const std::string& advertiser = context.access.advertiser_id();
  const std::string& token = context.access.access_token;
  Media media;
  if (creative.tiktok_video_id.has_value() && !creative.tiktok_video_id->empty()) {
    media.video_id = *creative.tiktok_video_id;
  } else {
    absl::StatusOr<Json> video = journal.Run(
        absl::StrCat("video/", creative.id), "TikTok.UploadVideo",
        {{"user_creative_id", creative.id}, {"media_url", creative.media_url.value_or("")}},
        [&](bool) -> absl::StatusOr<Json> {
          if (!creative.media_url.has_value() || creative.media_url->empty()) {
            return absl::FailedPreconditionError(absl::StrCat(
                "creative ", creative.id, " has neither a tiktok_video_id nor a media_url"));
          }
          absl::StatusOr<FetchedMedia> fetched = media_.Fetch(*creative.media_url);
          if (!fetched.ok()) return fetched.status();
          tiktok::VideoUploadByFileRequest upload;
          upload.advertiser_id = advertiser;
          upload.file_name =
              UploadFileName(creative, clock_.Now(), Extension(fetched->file_name, ".mp4"));
          upload.source.bytes = std::move(fetched->bytes);
          upload.source.file_name = upload.file_name;
          upload.source.content_type =
              fetched->content_type.empty() ? "video/mp4" : fetched->content_type;
          absl::StatusOr<tiktok::VideoUploadResult> uploaded =
              tiktok_.UploadVideoByFile(token, upload);
          if (!uploaded.ok()) return uploaded.status();
          const std::string& video_id = uploaded->video.video_id;
          if (video_id.empty()) return absl::InternalError("TikTok returned no video_id");
          // Kept on the creative at once: later launches reuse the upload.
          if (absl::Status saved = creatives_.SetTikTokVideoId(creative.user_id, creative.id,
                                                               video_id, clock_.Now());
              !saved.ok()) {
            return saved;
          }
          return Json{{"video_id", video_id},
                      {"video_cover_url", uploaded->video.video_cover_url},
                      {"file_name", upload.file_name}};
        });
    if (!video.ok()) return video.status();
    media.video_id = JsonText(*video, "video_id");
  }

  absl::StatusOr<Json> cover = journal.Run(
      absl::StrCat("cover/", creative.id), "TikTok.UploadImage",
      {{"user_creative_id", creative.id}, {"video_id", media.video_id}},
      [&](bool) -> absl::StatusOr<Json> {
        tiktok::ImageUploadRequest upload;
        upload.advertiser_id = advertiser;
        std::string source;
        if (creative.thumbnail_url.has_value() && !creative.thumbnail_url->empty()) {
          // Our own thumbnail, uploaded by file with its MD5 signature.
          absl::StatusOr<FetchedMedia> fetched = media_.Fetch(*creative.thumbnail_url);
          if (!fetched.ok()) return fetched.status();
          upload.file_name =
              UploadFileName(creative, clock_.Now(), Extension(fetched->file_name, ".jpg"));
          upload.source = tiktok::UploadSource{
              "", std::move(fetched->bytes), upload.file_name,
              fetched->content_type.empty() ? "image/jpeg" : fetched->content_type};
          source = "thumbnail_url";
        } else {
          // TikTok's own poster of the video, handed back to TikTok by URL.
          absl::StatusOr<std::vector<tiktok::VideoInfo>> info =
              tiktok_.GetVideoInfo(token, advertiser, {media.video_id});
          if (!info.ok()) return info.status();
          std::string cover_url;
          for (const tiktok::VideoInfo& video : *info) {
            if (video.video_id == media.video_id) cover_url = video.video_cover_url;
          }
          if (cover_url.empty()) {
            return absl::UnavailableError(absl::StrCat(
                "TikTok has no cover for video ", media.video_id,
                " yet (still transcoding); retry the launch with the same idempotency key"));
          }
          upload.image_url = cover_url;
          upload.file_name = UploadFileName(creative, clock_.Now(), ".jpg");
          source = "video_cover_url";
        }
        absl::StatusOr<tiktok::ImageUploadResult> uploaded = tiktok_.UploadImage(token, upload);
        if (!uploaded.ok()) return uploaded.status();
        if (uploaded->image.image_id.empty()) {
          return absl::InternalError("TikTok returned no image_id");
        }
        return Json{{"image_id", uploaded->image.image_id}, {"source", source}};
      });
  if (!cover.ok()) return cover.status();
  media.image_id = JsonText(*cover, "image_id");
  return media;
}

absl::StatusOr<std::string> LaunchWorkflow::EnsureCampaign(const LaunchContext& context,
                                                           LaunchJournal& journal,
                                                           const AdGroupLaunch& launch) {
  if (!launch.campaign_id.empty()) return launch.campaign_id;
  const std::string step =
      launch.campaign_step.empty() ? absl::StrCat(launch.unit, "/campaign") : launch.campaign_step;
  const std::string dedupe = DedupeRequestId(context.operation_id, step);
  absl::StatusOr<Json> campaign = journal.Run(
      step, "TikTok.CreateCampaign",
      {{"campaign_name", launch.campaign_name},
       {"objective_type", launch.objective.objective_type},
       {"dedupe_request_id", dedupe}},
      [&](bool) -> absl::StatusOr<Json> {
        tiktok::CampaignCreateRequest create;
        create.advertiser_id = context.access.advertiser_id();
        create.campaign_name = launch.campaign_name;
        create.objective_type = launch.objective.objective_type;
        // The ad groups carry the daily budgets; a campaign cap would silently throttle every
        // ad group added later (the existing system's bug 16).
        create.budget_mode = "BUDGET_MODE_INFINITE";
        create.operation_status = launch.enabled ? "ENABLE" : "DISABLE";
        create.dedupe_request_id = dedupe;
        absl::StatusOr<tiktok::CampaignCreateResult> created =
            tiktok_.CreateCampaign(context.access.access_token, create);
        if (!created.ok()) return created.status();
        if (launch.write_campaign_to_direction && !launch.direction_id.empty()) {
          storage::DirectionPatch patch;
          patch.tiktok_campaign_id = std::optional<std::string>(created->campaign_id);
          patch.campaign_status =
              std::optional<std::string>(launch.enabled ? "ACTIVE" : "PAUSED");
          absl::StatusOr<storage::Direction> updated = directions_.Update(
              context.access.user_account_id, launch.direction_id, patch, clock_.Now());
          if (!updated.ok()) return updated.status();
        }
        return Json{{"campaign_id", created->campaign_id},
                    {"recovered_by_read_back", created->recovered_by_read_back}};
      });
  if (!campaign.ok()) return campaign.status();
  return JsonText(*campaign, "campaign_id");
}

absl::StatusOr<int> LaunchWorkflow::EnsureAdGroup(const LaunchContext& context,
                                                  LaunchJournal& journal,
                                                  const AdGroupLaunch& launch,
                                                  LaunchResult& result) {
  const std::string& token = context.access.access_token;
  const std::string& advertiser = context.access.advertiser_id();
  if (launch.use_pool) {
    const std::string claim_key = absl::StrCat(launch.unit, "/pool_claim");
    absl::StatusOr<Json> claim = journal.Run(
        claim_key, "ttads.ClaimPoolAdGroup", {{"direction_id", launch.direction_id}},
        [&](bool) -> absl::StatusOr<Json> {
          absl::StatusOr<storage::TikTokAdGroup> row =
              directions_.ClaimPoolAdGroup(launch.direction_id, clock_.Now());
          if (!row.ok()) return row.status();
          return Json{{"pool_row_id", row->id},
                      {"tiktok_adgroup_id", row->tiktok_adgroup_id},
                      {"adgroup_name", row->adgroup_name.value_or(row->tiktok_adgroup_id)},
                      {"ads_count", row->ads_count}};
        });
    if (!claim.ok()) return claim.status();
    result.pool_row_id = JsonText(*claim, "pool_row_id");
    result.tiktok_adgroup_id = JsonText(*claim, "tiktok_adgroup_id");
    result.adgroup_name = JsonText(*claim, "adgroup_name");
    absl::StatusOr<Json> enabled = journal.Run(
        absl::StrCat(launch.unit, "/pool_enable"), "TikTok.ResumeAdGroup",
        {{"adgroup_id", result.tiktok_adgroup_id}}, [&](bool) -> absl::StatusOr<Json> {
          absl::StatusOr<tiktok::StatusUpdateResult> updated = tiktok_.UpdateAdGroupStatus(
              token, advertiser, {result.tiktok_adgroup_id}, "ENABLE", false);
          if (!updated.ok()) {
            // Back into the pool, and claim afresh on the next attempt.
            storage::TikTokAdGroupPatch release;
            release.status = std::optional<std::string>("DISABLE");
            (void)directions_.UpdateAdGroup(result.pool_row_id, release, clock_.Now());
            (void)journal.Invalidate(claim_key, "enabling the ad group at TikTok failed");
            return updated.status();
          }
          return Json{{"operation_status", "ENABLE"}};
        });
    if (!enabled.ok()) return enabled.status();
    return JsonInt(*claim, "ads_count");
  }

  absl::StatusOr<std::string> campaign_id = EnsureCampaign(context, journal, launch);
  if (!campaign_id.ok()) return campaign_id.status();
  result.campaign_id = *campaign_id;
  const std::string step = absl::StrCat(launch.unit, "/adgroup");
  const std::string dedupe = DedupeRequestId(context.operation_id, step);
  absl::StatusOr<Json> adgroup = journal.Run(
      step, "TikTok.CreateAdGroup",
      {{"campaign_id", *campaign_id},
       {"adgroup_name", launch.adgroup_name},
       {"budget", launch.daily_budget},
       {"location_ids", launch.location_ids},
       {"dedupe_request_id", dedupe}},
      [&](bool) -> absl::StatusOr<Json> {
        tiktok::AdGroupCreateRequest create;
        create.advertiser_id = advertiser;
        create.campaign_id = *campaign_id;
        create.adgroup_name = launch.adgroup_name;
        create.budget_mode = "BUDGET_MODE_DAY";
        create.budget = launch.daily_budget;
        create.schedule_type = "SCHEDULE_FROM_NOW";
        create.schedule_start_time = TikTokDateTime(launch.schedule_start);
        create.optimization_goal = launch.objective.optimization_goal;
        create.billing_event = launch.objective.billing_event;
        create.bid_type = "BID_TYPE_NO_BID";
        create.pacing = "PACING_MODE_SMOOTH";
        create.placement_type = "PLACEMENT_TYPE_NORMAL";
        create.placements = {"PLACEMENT_TIKTOK"};
        create.location_ids = launch.location_ids;
        create.promotion_type = launch.objective.promotion_type;
        create.operation_status = launch.enabled ? "ENABLE" : "DISABLE";
        create.dedupe_request_id = dedupe;
        if (!launch.age_groups.empty()) create.extra["age_groups"] = launch.age_groups;
        create.extra["gender"] = launch.gender;
        if (!launch.pixel_id.empty()) {
          create.extra["pixel_id"] = launch.pixel_id;
          create.extra["optimization_event"] = launch.optimization_event;
        }
        if (launch.objective.promotion_type == "LEAD_GENERATION") {
          create.extra["promotion_target_type"] = "INSTANT_PAGE";
        }
        absl::StatusOr<tiktok::AdGroupCreateResult> created =
            tiktok_.CreateAdGroup(token, create);
        if (!created.ok()) return created.status();
        Json out = {{"adgroup_id", created->adgroup_id},
                    {"recovered_by_read_back", created->recovered_by_read_back}};
        if (launch.link_adgroup_to_direction && !launch.direction_id.empty()) {
          storage::TikTokAdGroup link;
          link.direction_id = launch.direction_id;
          link.tiktok_adgroup_id = created->adgroup_id;
          link.adgroup_name = launch.adgroup_name;
          link.daily_budget = launch.daily_budget;
          link.status = launch.enabled ? "ENABLE" : "DISABLE";
          link.is_active = true;
          link.last_used_at = clock_.Now();
          absl::StatusOr<storage::TikTokAdGroup> linked =
              directions_.AddAdGroup(link, clock_.Now());
          if (!linked.ok()) return linked.status();
          out["pool_row_id"] = linked->id;
        }
        return out;
      });
  if (!adgroup.ok()) return adgroup.status();
  result.tiktok_adgroup_id = JsonText(*adgroup, "adgroup_id");
  result.adgroup_name = launch.adgroup_name;
  return 0;
}

absl::StatusOr<LaunchResult> LaunchWorkflow::Run(const LaunchContext& context,
                                                 LaunchJournal& journal,
                                                 const AdGroupLaunch& launch) {
  const std::string& token = context.access.access_token;
  const std::string& advertiser = context.access.advertiser_id();
  // Media first: nothing is created at TikTok until every creative is usable.
  std::vector<Media> media;
  for (const storage::Creative& creative : launch.creatives) {
    absl::StatusOr<Media> ensured = EnsureMedia(context, journal, creative);
    if (!ensured.ok()) return ensured.status();
    media.push_back(*ensured);
  }
  LaunchResult result;
  absl::StatusOr<int> base = EnsureAdGroup(context, journal, launch, result);
  if (!base.ok()) return base.status();
  if (launch.use_pool) result.campaign_id = launch.campaign_id;

  for (size_t first = 0; first < launch.creatives.size(); first += kAdsPerCall) {
    const size_t last = std::min(launch.creatives.size(), first + kAdsPerCall);
    std::vector<std::string> names;
    for (size_t i = first; i < last; ++i) {
      names.push_back(absl::StrCat(result.adgroup_name, " - Ad ", *base + static_cast<int>(i) + 1));
    }
    const std::string step = absl::StrCat(launch.unit, "/ads/", first / kAdsPerCall);
    absl::StatusOr<Json> ads = journal.Run(
        step, "TikTok.CreateAds", {{"adgroup_id", result.tiktok_adgroup_id}, {"ad_names", names}},
        [&](bool resumed) -> absl::StatusOr<Json> {
          // An earlier attempt may have created some of these ads: look before creating.
          std::map<std::string, std::string> existing;  // ad_name -> ad_id
          if (resumed) {
            tiktok::AdQuery query;
            query.advertiser_id = advertiser;
            query.adgroup_ids = {result.tiktok_adgroup_id};
            absl::StatusOr<std::vector<tiktok::Ad>> found = tiktok_.GetAds(token, query);
            if (!found.ok()) return found.status();
            for (const tiktok::Ad& ad : *found) existing.emplace(ad.ad_name, ad.ad_id);
          }
          tiktok::AdCreateRequest create;
          create.advertiser_id = advertiser;
          create.adgroup_id = result.tiktok_adgroup_id;
          std::vector<size_t> created_index;
          for (size_t i = first; i < last; ++i) {
            const std::string& name = names[i - first];
            if (existing.count(name) > 0) continue;
            const storage::Creative& creative = launch.creatives[i];
            tiktok::AdCreative ad;
            ad.ad_name = name;
            ad.ad_format = "SINGLE_VIDEO";
            ad.video_id = media[i].video_id;
            ad.image_ids = {media[i].image_id};
            ad.ad_text = AdText(creative.description, creative.title);
            ad.call_to_action = launch.objective.call_to_action;
            ad.landing_page_url = launch.landing_page_url;
            ad.identity_type = context.identity.identity_type;
            ad.identity_id = context.identity.identity_id;
            ad.identity_authorized_bc_id = context.identity.identity_authorized_bc_id;
            ad.page_id = launch.page_id;
            ad.operation_status = launch.enabled ? "ENABLE" : "DISABLE";
            create.creatives.push_back(std::move(ad));
            created_index.push_back(i);
          }
          if (!create.creatives.empty()) {
            absl::StatusOr<tiktok::AdCreateResult> created = tiktok_.CreateAds(token, create);
            if (!created.ok()) return created.status();
            if (created->ad_ids.size() != created_index.size()) {
              return absl::InternalError(absl::StrCat("TikTok returned ", created->ad_ids.size(),
                                                      " ad ids for ", created_index.size(),
                                                      " ads"));
            }
            for (size_t k = 0; k < created_index.size(); ++k) {
              existing[names[created_index[k] - first]] = created->ad_ids[k];
            }
          }
          Json out = Json::array();
          std::vector<storage::AdCreativeMapping> mappings;
          for (size_t i = first; i < last; ++i) {
            const std::string& ad_id = existing[names[i - first]];
            out.push_back({{"ad_id", ad_id},
                           {"user_creative_id", launch.creatives[i].id},
                           {"tiktok_video_id", media[i].video_id},
                           {"name", names[i - first]}});
            storage::AdCreativeMapping mapping;
            mapping.ad_id = ad_id;
            mapping.user_creative_id = launch.creatives[i].id;
            if (!launch.direction_id.empty()) mapping.direction_id = launch.direction_id;
            mapping.user_id = context.access.user_account_id;
            if (!context.access.account_id.empty()) mapping.account_id = context.access.account_id;
            mapping.adset_id = result.tiktok_adgroup_id;
            if (!result.campaign_id.empty()) mapping.campaign_id = result.campaign_id;
            mapping.fb_creative_id = media[i].video_id;
            mapping.source = launch.mapping_source;
            mappings.push_back(std::move(mapping));
          }
          // Mappings already saved by an earlier attempt are skipped, never duplicated.
          absl::StatusOr<int> saved = creatives_.SaveMappings(mappings, clock_.Now());
          if (!saved.ok()) return saved.status();
          return Json{{"ads", out}};
        });
    if (!ads.ok()) return ads.status();
    for (const Json& ad : (*ads)["ads"]) {
      v1::LaunchedAd* launched = &result.ads.emplace_back();
      launched->set_ad_id(JsonText(ad, "ad_id"));
      launched->set_user_creative_id(JsonText(ad, "user_creative_id"));
      launched->set_tiktok_video_id(JsonText(ad, "tiktok_video_id"));
      launched->set_name(JsonText(ad, "name"));
    }
  }

  if (launch.use_pool) {
    const int count = static_cast<int>(result.ads.size());
    absl::StatusOr<Json> counted = journal.Run(
        absl::StrCat(launch.unit, "/pool_count"), "ttads.IncrementAdsCount",
        {{"pool_row_id", result.pool_row_id}, {"ads", count}}, [&](bool) -> absl::StatusOr<Json> {
          absl::StatusOr<int> total =
              directions_.IncrementAdsCount(result.pool_row_id, count, clock_.Now());
          if (!total.ok()) return total.status();
          return Json{{"ads_count", *total}};
        });
    if (!counted.ok()) return counted.status();
  }
  return result;
}

}  // namespace ttads::server
