// ad/create/, ad/get/, ad/update/, ad/status/update/ (reference §6).
#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tools/sandbox/endpoints.h"

namespace ttads::sandbox {
namespace {

// inferred: TikTok allows 20 live ads per ad group (40502 past that).
constexpr size_t kMaxAdsPerAdGroup = 20;

AdGroup& FindAdGroupForAds(EndpointContext& ctx, const std::string& advertiser_id,
                           const std::string& adgroup_id) {
  AdGroup* adgroup = ctx.state.FindAdGroup(advertiser_id, adgroup_id);
  if (adgroup == nullptr) {
    throw ApiError(kCodeNotFound, absl::StrCat("The ad group ", adgroup_id, " does not exist."));
  }
  if (adgroup->deleted) {
    InvalidParameter(absl::StrCat("The ad group ", adgroup_id, " has been deleted."));
  }
  return *adgroup;
}

Ad& FindLiveAd(EndpointContext& ctx, const std::string& advertiser_id, const std::string& ad_id) {
  Ad* ad = ctx.state.FindAd(advertiser_id, ad_id);
  if (ad == nullptr) {
    throw ApiError(kCodeNotFound, absl::StrCat("The ad ", ad_id, " does not exist."));
  }
  if (ad->deleted) {
    InvalidParameter(absl::StrCat("The ad ", ad_id,
                                  " has been deleted and can no longer be "
                                  "modified."));
  }
  return *ad;
}

void CheckVideo(EndpointContext& ctx, const std::string& advertiser_id,
                const std::string& video_id) {
  auto video = ctx.state.videos.find(video_id);
  if (video == ctx.state.videos.end() || video->second.advertiser_id != advertiser_id) {
    throw ApiError(kCodeInvalidVideoId, absl::StrCat("The Video ID ", video_id, " is invalid."));
  }
  if (ctx.now < video->second.ready_time) {
    throw ApiError(kCodeTranscoding, absl::StrCat("Video transcoding in process. Video ", video_id,
                                                  " is not ready yet; try again later."));
  }
  if (video->second.duration > 60.0) {
    // What TikTok answers for a video over 60 s (reference §6: a misleading message).
    InvalidParameter("Unsupported image size.");
  }
}

void CheckImages(EndpointContext& ctx, const std::string& advertiser_id, const Json& image_ids) {
  for (const Json& id : image_ids) {
    std::string image_id = id.is_string() ? id.get<std::string>() : id.dump();
    auto image = ctx.state.images.find(image_id);
    if (image == ctx.state.images.end() || image->second.advertiser_id != advertiser_id) {
      throw ApiError(kCodeNotFound, absl::StrCat("The image ", image_id, " does not exist."));
    }
  }
}

void CheckUrl(const std::string& key, const std::string& url) {
  if (!absl::StartsWith(url, "https://") && !absl::StartsWith(url, "http://")) {
    InvalidParameter(absl::StrCat(key, ": Not a valid URL."));
  }
}

// Reads and checks one creative of ad/create/ (or the changed fields of ad/update/ when
// `existing`), filling `ad`.
void ReadCreative(EndpointContext& ctx, const Params& c, const AdGroup& adgroup, Ad& ad,
                  bool existing) {
  const std::string& advertiser_id = adgroup.advertiser_id;
  bool spark = c.Has("tiktok_item_id");
  if (!existing) {
    std::vector<std::string> required = {"ad_name", "ad_format", "identity_type", "identity_id"};
    if (!spark) required.push_back("ad_text");
    c.Require(required);
  }
  if (auto name = c.String("ad_name")) {
    CheckName("ad_name", *name);
    ad.ad_name = *name;
  }
  if (auto format = c.Enum("ad_format", AdFormats())) ad.ad_format = *format;
  if (auto text = c.String("ad_text")) {
    size_t characters = 0;
    for (unsigned char ch : *text) characters += (ch & 0xC0) != 0x80 ? 1 : 0;
    if (characters < 1 || characters > 100) {
      InvalidParameter("ad_text: Length must be between 1 and 100 characters.");
    }
    ad.ad_text = *text;
  }
  if (auto video = c.String("video_id")) ad.video_id = *video;
  if (auto images = c.IdList("image_ids", 10)) ad.image_ids = *images;
  if (!spark) {
    if (ad.ad_format == "SINGLE_VIDEO") {
      if (ad.video_id.empty()) InvalidParameter("Missing required field(s): video_id.");
      // A video ad needs its cover image (reference §6; the existing system hit this).
      if (ad.image_ids.empty()) InvalidParameter("You must upload an image (image_ids).");
    }
    if (ad.ad_format == "SINGLE_IMAGE" && ad.image_ids.empty()) {
      InvalidParameter("Missing required field(s): image_ids.");
    }
  }
  if (c.Has("video_id") || !existing) {
    if (!ad.video_id.empty()) CheckVideo(ctx, advertiser_id, ad.video_id);
  }
  if (c.Has("image_ids")) CheckImages(ctx, advertiser_id, ad.image_ids);

  if (auto type = c.Enum("identity_type", IdentityTypes())) ad.identity_type = *type;
  if (auto id = c.String("identity_id")) ad.identity_id = *id;
  if (auto bc = c.String("identity_authorized_bc_id")) ad.identity_authorized_bc_id = *bc;
  if (auto name = c.String("display_name")) ad.display_name = *name;
  if (auto avatar = c.String("avatar_icon_web_uri")) ad.avatar_icon_web_uri = *avatar;
  if (c.Has("identity_id") || c.Has("identity_type")) {
    if (ad.identity_type == "BC_AUTH_TT") c.Require({"identity_authorized_bc_id"});
    if (ad.identity_type == "CUSTOMIZED_USER") {
      c.Require({"display_name", "avatar_icon_web_uri"});
    } else {
      auto identity = ctx.state.identities.find(ad.identity_id);
      if (identity == ctx.state.identities.end() ||
          identity->second.advertiser_id != advertiser_id ||
          identity->second.identity_type != ad.identity_type) {
        throw ApiError(kCodeNotFound, absl::StrCat("The identity ", ad.identity_id, " (",
                                                   ad.identity_type, ") does not exist."));
      }
    }
  }
  if (auto cta = c.Enum("call_to_action", CallToActions())) ad.call_to_action = *cta;
  if (auto url = c.String("landing_page_url")) {
    CheckUrl("landing_page_url", *url);
    ad.landing_page_url = *url;
  }
  if (auto page = c.String("page_id")) ad.page_id = *page;

  bool lead_form = adgroup.promotion_type == "LEAD_GENERATION" &&
                   adgroup.promotion_target_type != "EXTERNAL_WEBSITE";
  // inferred: website traffic/conversion ads need a landing page; instant-form lead ads need
  // their page_id (the existing system's experience).
  if (!spark && adgroup.promotion_type == "WEBSITE" && ad.landing_page_url.empty()) {
    InvalidParameter("Missing required field(s): landing_page_url.");
  }
  if (lead_form && ad.page_id.empty()) InvalidParameter("Missing required field(s): page_id.");
  if (!ad.page_id.empty() && (c.Has("page_id") || !existing)) {
    auto page = ctx.state.pages.find(ad.page_id);
    if (page == ctx.state.pages.end() || page->second.advertiser_id != advertiser_id) {
      throw ApiError(kCodeNotFound, absl::StrCat("The page ", ad.page_id, " does not exist."));
    }
  }
  if (auto status = c.Enum("operation_status", CreateOperationStatuses())) {
    if (!existing) ad.operation_status = *status;
  }
  CopyExtra(c,
            {"tiktok_item_id", "tracking_pixel_id", "deeplink", "utm_params", "ad_texts",
             "call_to_action_id", "card_id", "music_id", "creative_authorized"},
            ad.extra);
}

}  // namespace

EndpointResult AdCreate(EndpointContext& ctx) {
  const Params& p = ctx.params;
  p.Require({"advertiser_id", "adgroup_id", "creatives"});
  Advertiser& advertiser = ctx.RequireAdvertiser();
  AdGroup& adgroup =
      FindAdGroupForAds(ctx, advertiser.advertiser_id, p.RequiredString("adgroup_id"));
  std::vector<Params> creatives = *p.ObjectList("creatives");
  CheckListLength("creatives", creatives.size(), 20);
  size_t live = 0;
  for (const auto& [id, ad] : ctx.state.ads) {
    if (ad.adgroup_id == adgroup.adgroup_id && !ad.deleted) ++live;
  }
  if (live + creatives.size() > kMaxAdsPerAdGroup) {
    throw ApiError(40502, "The maximum number of ads in this ad group has been reached.");
  }
  // All or nothing: every creative is checked before any ad exists.
  std::vector<Ad> ads;
  for (const Params& creative : creatives) {
    Ad ad;
    ad.advertiser_id = advertiser.advertiser_id;
    ad.adgroup_id = adgroup.adgroup_id;
    ad.campaign_id = adgroup.campaign_id;
    ReadCreative(ctx, creative, adgroup, ad, /*existing=*/false);
    ads.push_back(std::move(ad));
  }
  Json ad_ids = Json::array();
  Json objects = Json::array();
  for (Ad& ad : ads) {
    ad.ad_id = ctx.state.NewId();
    ad.create_time = ad.modify_time = ctx.now;
    ad.status_history.push_back({ctx.now, ad.operation_status == "ENABLE"});
    std::string id = ad.ad_id;
    ctx.state.ads[id] = std::move(ad);
    ad_ids.push_back(id);
    objects.push_back(AdJson(ctx.state, ctx.state.ads.at(id), ctx.now));
  }
  EndpointResult result;
  result.data = Json{{"ad_ids", std::move(ad_ids)}, {"creatives", std::move(objects)}};
  return result;
}

EndpointResult AdGet(EndpointContext& ctx) {
  const Params& p = ctx.params;
  Advertiser& advertiser = ctx.RequireAdvertiser();
  Ad blank;
  FieldSelection selection = ReadFieldSelection(p, AdJson(ctx.state, blank, ctx.now));
  std::optional<Params> filtering = p.Object("filtering");
  CommonFilter common = CommonFilter::Read(filtering);
  std::optional<std::vector<std::string>> campaign_ids, adgroup_ids, ad_ids;
  std::optional<std::string> name;
  std::optional<absl::Time> modified_after;
  if (filtering) {
    campaign_ids = filtering->IdList("campaign_ids", 100);
    adgroup_ids = filtering->IdList("adgroup_ids", 100);
    ad_ids = filtering->IdList("ad_ids", 100);
    name = filtering->String("ad_name");
    modified_after = filtering->DateTime("modified_after");
  }
  PageRequest page = p.Page(10, 1000);
  std::vector<const Ad*> matches;
  for (const auto& [id, ad] : ctx.state.ads) {
    if (ad.advertiser_id != advertiser.advertiser_id) continue;
    auto in = [](const std::optional<std::vector<std::string>>& list, const std::string& value) {
      return !list || std::find(list->begin(), list->end(), value) != list->end();
    };
    if (!in(campaign_ids, ad.campaign_id) || !in(adgroup_ids, ad.adgroup_id) || !in(ad_ids, id)) {
      continue;
    }
    if (name &&
        !absl::StrContains(absl::AsciiStrToLower(ad.ad_name), absl::AsciiStrToLower(*name))) {
      continue;
    }
    if (modified_after && ad.modify_time <= *modified_after) continue;
    auto campaign = ctx.state.campaigns.find(ad.campaign_id);
    std::string objective =
        campaign == ctx.state.campaigns.end() ? "" : campaign->second.objective_type;
    if (!common.Matches(AdSecondaryStatus(ctx.state, ad, ctx.now), ad.deleted, objective,
                        ad.create_time)) {
      continue;
    }
    matches.push_back(&ad);
  }
  std::sort(matches.begin(), matches.end(), [](const Ad* a, const Ad* b) {
    return NewerFirst(a->create_time, a->ad_id, b->create_time, b->ad_id);
  });
  std::vector<Json> items;
  for (const Ad* ad : matches) {
    items.push_back(
        SelectFields(AdJson(ctx.state, *ad, ctx.now), selection.fields, selection.exclude_null));
  }
  EndpointResult result;
  result.data = PageOf(items, page, "list");
  return result;
}

// inferred: the response mirrors ad/create/ ({ad_ids, creatives}); omitted creative fields stay
// as they were (patch semantics).
EndpointResult AdUpdate(EndpointContext& ctx) {
  const Params& p = ctx.params;
  p.Require({"advertiser_id", "adgroup_id", "creatives"});
  Advertiser& advertiser = ctx.RequireAdvertiser();
  AdGroup& adgroup =
      FindAdGroupForAds(ctx, advertiser.advertiser_id, p.RequiredString("adgroup_id"));
  std::vector<Params> creatives = *p.ObjectList("creatives");
  CheckListLength("creatives", creatives.size(), 20);
  p.Bool("patch_update");
  std::vector<Ad> updated;
  for (const Params& creative : creatives) {
    creative.Require({"ad_id"});
    Ad& ad = FindLiveAd(ctx, advertiser.advertiser_id, creative.RequiredString("ad_id"));
    if (ad.adgroup_id != adgroup.adgroup_id) {
      throw ApiError(kCodeNotFound, absl::StrCat("The ad ", ad.ad_id,
                                                 " does not exist in ad "
                                                 "group ",
                                                 adgroup.adgroup_id, "."));
    }
    Ad copy = ad;
    ReadCreative(ctx, creative, adgroup, copy, /*existing=*/true);
    copy.modify_time = ctx.now;
    updated.push_back(std::move(copy));
  }
  Json ad_ids = Json::array();
  Json objects = Json::array();
  for (Ad& ad : updated) {
    std::string id = ad.ad_id;
    ctx.state.ads[id] = std::move(ad);
    ad_ids.push_back(id);
    objects.push_back(AdJson(ctx.state, ctx.state.ads.at(id), ctx.now));
  }
  EndpointResult result;
  result.data = Json{{"ad_ids", std::move(ad_ids)}, {"creatives", std::move(objects)}};
  return result;
}

EndpointResult AdStatusUpdate(EndpointContext& ctx) {
  const Params& p = ctx.params;
  p.Require({"advertiser_id", "operation_status"});
  Advertiser& advertiser = ctx.RequireAdvertiser();
  if (!p.Has("ad_ids") && !p.Has("aco_ad_ids")) {
    InvalidParameter("Missing required field(s): ad_ids or aco_ad_ids.");
  }
  std::vector<std::string> ids = p.IdList("ad_ids", 20).value_or(std::vector<std::string>{});
  std::vector<std::string> aco_ids =
      p.IdList("aco_ad_ids", 20).value_or(std::vector<std::string>{});
  std::string status = *p.Enum("operation_status", WriteOperationStatuses());
  for (const std::string& id : aco_ids) {
    // The sandbox has no ACO (automated creative) ads.
    throw ApiError(kCodeNotFound, absl::StrCat("The ACO ad ", id, " does not exist."));
  }
  for (const std::string& id : ids) FindLiveAd(ctx, advertiser.advertiser_id, id);
  for (const std::string& id : ids) {
    ctx.state.FindAd(advertiser.advertiser_id, id)->SetStatus(status, ctx.now);
  }
  EndpointResult result;
  result.data = Json{{"ad_ids", ids}, {"aco_ad_ids", aco_ids}, {"status", status}};
  return result;
}

}  // namespace ttads::sandbox
