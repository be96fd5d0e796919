// Every typed call of the production TikTok client against the sandbox over real HTTP: OAuth
// (single-use codes, revoke, needs_reauth), account lookups, the campaign / ad group / ad life
// cycles, uploads (by file with MD5, by URL) and transcoding, reports (paging, attribute
// metrics, totals across data levels, lenient "-" values), region search, instant pages, the
// lead task and its download, and CallRaw.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "test/integration/tiktok_sandbox_fixture.h"
#include "tiktok/request_encoding.h"
#include "tiktok/tiktok_error.h"

namespace ttads::integration {
namespace {

using sandbox::Json;
using tiktok::HttpMethod;

int64_t Cents(double amount) { return std::llround(amount * 100); }

// ---- OAuth ----

TEST_F(TikTokSandboxTest, AuthCodeExchangesOnceThenFailsWith40110) {
  absl::StatusOr<tiktok::AccessTokenResult> token = client().ExchangeAuthCode(kAuthCode);
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_FALSE(token->access_token.empty());
  EXPECT_NE(token->access_token, kToken);
  EXPECT_EQ(std::set<std::string>(token->advertiser_ids.begin(), token->advertiser_ids.end()),
            (std::set<std::string>{kKz, kUs}));
  EXPECT_FALSE(token->scope.empty());

  // The code is single-use: TikTok's 40110, not retried, not a re-auth of a token.
  absl::StatusOr<tiktok::AccessTokenResult> again = client().ExchangeAuthCode(kAuthCode);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(tiktok::TikTokCodeOf(again.status()), 40110);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(tiktok::IsRetryableTikTokError(again.status()));
  EXPECT_FALSE(tiktok::NeedsReauth(again.status()));
  std::vector<sandbox::RequestLogEntry> log = Log("oauth2/access_token/");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].code, 0);
  EXPECT_EQ(log[1].code, 40110);

  // An expired code (1 hour, sandbox clock) is 40110 too; an unknown one is 40101.
  Json issued = Control(HttpMethod::kPost, "auth_codes", Json{{"app_id", kApp}});
  const std::string fresh = issued.value("auth_code", "");
  ASSERT_FALSE(fresh.empty()) << issued.dump();
  sandbox_.AdvanceClock(absl::Minutes(61));
  absl::StatusOr<tiktok::AccessTokenResult> expired = client().ExchangeAuthCode(fresh);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(tiktok::TikTokCodeOf(expired.status()), 40110);
  absl::StatusOr<tiktok::AccessTokenResult> unknown =
      client().ExchangeAuthCode("no-such-auth-code");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(tiktok::TikTokCodeOf(unknown.status()), 40101);
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Log("oauth2/access_token/").size(), 4u);  // one attempt each

  // The new token works and lists its advertisers.
  absl::StatusOr<tiktok::AuthorizedAdvertisersResult> advertisers =
      client().GetAuthorizedAdvertisers(token->access_token);
  ASSERT_TRUE(advertisers.ok()) << advertisers.status();
  std::map<std::string, std::string> names;
  for (const tiktok::AuthorizedAdvertiser& a : advertisers->advertisers) {
    names[a.advertiser_id] = a.advertiser_name;
  }
  EXPECT_EQ(names.size(), 2u);
  EXPECT_EQ(names[kUs], "Demo New York (USD)");
  EXPECT_EQ(names[kKz], "Demo Almaty (KZT)");
}

TEST_F(TikTokSandboxTest, RevokedMissingAndUnknownTokensNeedReauth) {
  Json issued = Control(HttpMethod::kPost, "auth_codes", Json{{"app_id", kApp}});
  absl::StatusOr<tiktok::AccessTokenResult> token =
      client().ExchangeAuthCode(issued.value("auth_code", ""));
  ASSERT_TRUE(token.ok()) << token.status();
  ASSERT_TRUE(client().GetAdvertiserInfo(token->access_token, {kUs}, {}).ok());

  absl::StatusOr<tiktok::RevokeTokenResult> revoked = client().RevokeToken(token->access_token);
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_FALSE(revoked->already_invalid);

  sandbox_.ClearRequestLog();
  absl::StatusOr<std::vector<tiktok::AdvertiserInfo>> after =
      client().GetAdvertiserInfo(token->access_token, {kUs}, {});
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(tiktok::TikTokCodeOf(after.status()), 40105);
  EXPECT_TRUE(tiktok::NeedsReauth(after.status()));
  EXPECT_EQ(after.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Log("advertiser/info/").size(), 1u);  // never retried

  absl::StatusOr<tiktok::AuthorizedAdvertisersResult> listed =
      client().GetAuthorizedAdvertisers(token->access_token);
  ASSERT_FALSE(listed.ok());
  EXPECT_TRUE(tiktok::NeedsReauth(listed.status()));

  absl::StatusOr<std::vector<tiktok::Campaign>> unknown =
      client().GetCampaigns("not-a-real-token", {.advertiser_id = kUs});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(tiktok::TikTokCodeOf(unknown.status()), 40105);
  EXPECT_TRUE(tiktok::NeedsReauth(unknown.status()));

  // No Access-Token header at all: 40104.
  absl::StatusOr<std::vector<tiktok::Pixel>> missing = client().ListPixels("", kUs);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(tiktok::TikTokCodeOf(missing.status()), 40104);
  EXPECT_TRUE(tiktok::NeedsReauth(missing.status()));

  // The seeded token of the same app is untouched.
  EXPECT_TRUE(client().GetAdvertiserInfo(kToken, {kUs}, {}).ok());
}

// ---- account lookups ----

TEST_F(TikTokSandboxTest, AdvertiserInfoIdentitiesAndPixels) {
  absl::StatusOr<std::vector<tiktok::AdvertiserInfo>> info =
      client().GetAdvertiserInfo(kToken, {kKz, kUs}, {});
  ASSERT_TRUE(info.ok()) << info.status();
  ASSERT_EQ(info->size(), 2u);
  std::map<std::string, tiktok::AdvertiserInfo> by_id;
  for (const tiktok::AdvertiserInfo& a : *info) by_id[a.advertiser_id] = a;
  EXPECT_EQ(by_id[kKz].currency, "KZT");
  EXPECT_EQ(by_id[kKz].timezone, "Asia/Almaty");
  EXPECT_EQ(by_id[kKz].status, "STATUS_ENABLE");
  EXPECT_EQ(by_id[kUs].currency, "USD");
  EXPECT_EQ(by_id[kUs].timezone, "America/New_York");
  EXPECT_EQ(by_id[kUs].balance, 5000);
  ASSERT_TRUE(by_id[kUs].create_time.has_value());
  EXPECT_LT(*by_id[kUs].create_time, sandbox_.Now() - absl::Hours(24 * 399));

  absl::StatusOr<std::vector<tiktok::AdvertiserInfo>> some =
      client().GetAdvertiserInfo(kToken, {kUs}, {"advertiser_id", "name", "currency"});
  ASSERT_TRUE(some.ok()) << some.status();
  ASSERT_EQ(some->size(), 1u);
  EXPECT_EQ((*some)[0].name, "Demo New York (USD)");
  EXPECT_EQ((*some)[0].currency, "USD");
  EXPECT_TRUE((*some)[0].timezone.empty());  // not asked for

  absl::StatusOr<std::vector<tiktok::Identity>> identities =
      client().GetIdentities(kToken, {.advertiser_id = kUs, .identity_type = "TT_USER"});
  ASSERT_TRUE(identities.ok()) << identities.status();
  ASSERT_EQ(identities->size(), 1u);
  EXPECT_EQ((*identities)[0].identity_id, kUsIdentity);
  EXPECT_EQ((*identities)[0].identity_type, "TT_USER");
  EXPECT_EQ((*identities)[0].display_name, "Demo New York");

  absl::StatusOr<std::vector<tiktok::Pixel>> pixels = client().ListPixels(kToken, kUs);
  ASSERT_TRUE(pixels.ok()) << pixels.status();
  ASSERT_EQ(pixels->size(), 1u);
  EXPECT_EQ((*pixels)[0].pixel_id, kUsPixel);
  EXPECT_EQ((*pixels)[0].pixel_code, "CDEMOPIXELNY0001");
  ASSERT_EQ((*pixels)[0].events.size(), 1u);
  EXPECT_EQ((*pixels)[0].events[0].optimization_event, "FORM");

  // An advertiser outside the token's grant: 40001 (no permission), not a token problem.
  absl::StatusOr<std::vector<tiktok::Pixel>> foreign =
      client().ListPixels(kToken, "7499999999999999999");
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(tiktok::TikTokCodeOf(foreign.status()), 40001);
  EXPECT_EQ(foreign.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_FALSE(tiktok::NeedsReauth(foreign.status()));
}

TEST_F(TikTokSandboxTest, RegionSearchAndInstantPages) {
  tiktok::RegionQuery query;
  query.advertiser_id = kKz;
  query.objective_type = "TRAFFIC";
  query.language = "ru";
  absl::StatusOr<tiktok::RegionResult> regions = client().SearchRegions(kToken, query);
  ASSERT_TRUE(regions.ok()) << regions.status();
  std::map<std::string, tiktok::Region> by_id;
  for (const tiktok::Region& r : regions->regions) by_id[r.location_id] = r;
  ASSERT_TRUE(by_id.count("1522867"));
  EXPECT_EQ(by_id["1522867"].name, "Казахстан");
  EXPECT_EQ(by_id["1522867"].level, "COUNTRY");
  EXPECT_FALSE(by_id["1522867"].next_level_ids.empty());
  ASSERT_TRUE(by_id.count("1526384"));
  EXPECT_EQ(by_id["1526384"].parent_id, "1522867");
  EXPECT_NE(std::find(regions->region_list.begin(), regions->region_list.end(), "KZ"),
            regions->region_list.end());

  query.level_range = "TO_COUNTRY";
  query.language = "en";
  absl::StatusOr<tiktok::RegionResult> countries = client().SearchRegions(kToken, query);
  ASSERT_TRUE(countries.ok()) << countries.status();
  for (const tiktok::Region& r : countries->regions) EXPECT_EQ(r.level, "COUNTRY") << r.name;

  absl::StatusOr<std::vector<tiktok::InstantPage>> pages =
      client().ListInstantPages(kToken, {.advertiser_id = kKz});
  ASSERT_TRUE(pages.ok()) << pages.status();
  ASSERT_EQ(pages->size(), 1u);
  EXPECT_EQ((*pages)[0].page_id, kKzPage);
  EXPECT_EQ((*pages)[0].title, "Заявка на консультацию");
  EXPECT_EQ((*pages)[0].status, "PUBLISHED");

  // The status filter reaches TikTok (page_status): published pages only, no drafts.
  absl::StatusOr<std::vector<tiktok::InstantPage>> published =
      client().ListInstantPages(kToken, {.advertiser_id = kKz, .status = "PUBLISHED"});
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_EQ(published->size(), 1u);
  absl::StatusOr<std::vector<tiktok::InstantPage>> drafts =
      client().ListInstantPages(kToken, {.advertiser_id = kKz, .status = "EDITED"});
  ASSERT_TRUE(drafts.ok()) << drafts.status();
  EXPECT_TRUE(drafts->empty());
  absl::StatusOr<std::vector<tiktok::InstantPage>> none =
      client().ListInstantPages(kToken, {.advertiser_id = kUs});
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_TRUE(none->empty());
}

// ---- campaigns ----

TEST_F(TikTokSandboxTest, CampaignCreateGetUpdateStatus) {
  absl::StatusOr<tiktok::CampaignCreateResult> created =
      client().CreateCampaign(kToken, CampaignRequest("IT campaign", 100));
  ASSERT_TRUE(created.ok()) << created.status();
  const std::string id = created->campaign_id;
  EXPECT_EQ(id.size(), 19u) << id;  // beyond 2^53, kept as a string
  EXPECT_FALSE(created->recovered_by_read_back);
  EXPECT_EQ(created->campaign.campaign_name, "IT campaign");
  // The dedupe key went out in the body as TikTok's request_id.
  std::vector<sandbox::RequestLogEntry> creates = Log("campaign/create/");
  ASSERT_EQ(creates.size(), 1u);
  EXPECT_EQ(creates[0].body.value("request_id", ""), created->dedupe_request_id);

  absl::StatusOr<std::vector<tiktok::Campaign>> got =
      client().GetCampaigns(kToken, {.advertiser_id = kUs, .campaign_ids = {id}});
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].campaign_id, id);
  EXPECT_EQ((*got)[0].advertiser_id, kUs);
  EXPECT_EQ((*got)[0].objective_type, "TRAFFIC");
  EXPECT_EQ((*got)[0].budget_mode, "BUDGET_MODE_DAY");
  EXPECT_EQ((*got)[0].budget, 100);
  EXPECT_EQ((*got)[0].operation_status, "ENABLE");

  tiktok::CampaignUpdateRequest update;
  update.advertiser_id = kUs;
  update.campaign_id = id;
  update.campaign_name = "IT campaign renamed";
  update.budget = 150;
  absl::StatusOr<tiktok::CampaignUpdateResult> updated = client().UpdateCampaign(kToken, update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  got = client().GetCampaigns(kToken, {.advertiser_id = kUs, .campaign_ids = {id}});
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].campaign_name, "IT campaign renamed");
  EXPECT_EQ((*got)[0].budget, 150);

  absl::StatusOr<tiktok::StatusUpdateResult> disabled =
      client().UpdateCampaignStatus(kToken, kUs, {id}, "DISABLE");
  ASSERT_TRUE(disabled.ok()) << disabled.status();
  EXPECT_EQ(disabled->ids, std::vector<std::string>{id});
  EXPECT_FALSE(disabled->partial);
  got = client().GetCampaigns(kToken, {.advertiser_id = kUs, .campaign_ids = {id}});
  ASSERT_TRUE(got.ok() && got->size() == 1u);
  EXPECT_EQ((*got)[0].operation_status, "DISABLE");
  ASSERT_TRUE(client().UpdateCampaignStatus(kToken, kUs, {id}, "ENABLE").ok());
  got = client().GetCampaigns(kToken, {.advertiser_id = kUs, .campaign_ids = {id}});
  ASSERT_TRUE(got.ok() && got->size() == 1u);
  EXPECT_EQ((*got)[0].operation_status, "ENABLE");

  // TikTok's validation: below the USD 50 minimum is 40002 with a message, never retried.
  sandbox_.ClearRequestLog();
  absl::StatusOr<tiktok::CampaignCreateResult> too_small =
      client().CreateCampaign(kToken, CampaignRequest("IT campaign too small", 10));
  ASSERT_FALSE(too_small.ok());
  EXPECT_EQ(tiktok::TikTokCodeOf(too_small.status()), 40002);
  EXPECT_EQ(too_small.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Log("campaign/create/").size(), 1u);

  // An unknown id is TikTok's 40007 on update.
  update.campaign_id = "7899999999999999999";
  absl::StatusOr<tiktok::CampaignUpdateResult> missing = client().UpdateCampaign(kToken, update);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(tiktok::TikTokCodeOf(missing.status()), 40007);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);

  // DELETE, after which the default listing leaves it out.
  ASSERT_TRUE(client().UpdateCampaignStatus(kToken, kUs, {id}, "DELETE").ok());
  got = client().GetCampaigns(kToken, {.advertiser_id = kUs, .campaign_ids = {id}});
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(got->empty());
}

TEST_F(TikTokSandboxTest, CampaignListingReadsEveryPage) {
  std::set<std::string> ids = {kUsCampaign};
  for (int i = 0; i < 6; ++i) ids.insert(NewCampaign(absl::StrCat("IT page campaign ", i)));
  sandbox_.ClearRequestLog();
  absl::StatusOr<std::vector<tiktok::Campaign>> all =
      client().GetCampaigns(kToken, {.advertiser_id = kUs, .page_size = 2});
  ASSERT_TRUE(all.ok()) << all.status();
  std::set<std::string> got;
  for (const tiktok::Campaign& c : *all) got.insert(c.campaign_id);
  EXPECT_EQ(all->size(), 7u);
  EXPECT_EQ(got, ids);
  std::vector<sandbox::RequestLogEntry> log = Log("campaign/get/");
  ASSERT_EQ(log.size(), 4u);  // 7 campaigns, 2 per page
  for (size_t i = 0; i < log.size(); ++i) {
    EXPECT_EQ(log[i].query.value("page", ""), absl::StrCat(i + 1));
    EXPECT_EQ(log[i].query.value("page_size", ""), "2");
  }
}

// ---- ad groups ----

TEST_F(TikTokSandboxTest, AdGroupCreateGetUpdateStatusBudget) {
  const std::string campaign = NewCampaign("IT ad group campaign", 100);
  absl::StatusOr<tiktok::AdGroupCreateResult> created =
      client().CreateAdGroup(kToken, AdGroupRequest(campaign, "IT ad group", 50));
  ASSERT_TRUE(created.ok()) << created.status();
  const std::string id = created->adgroup_id;
  EXPECT_FALSE(id.empty());
  std::vector<sandbox::RequestLogEntry> creates = Log("adgroup/create/");
  ASSERT_EQ(creates.size(), 1u);
  EXPECT_EQ(creates[0].body.value("request_id", ""), created->dedupe_request_id);
  // location_ids went out as strings, as TikTok needs.
  EXPECT_EQ(creates[0].body["location_ids"], Json::array({"6252001"}));

  tiktok::AdGroupQuery query;
  query.advertiser_id = kUs;
  query.adgroup_ids = {id};
  absl::StatusOr<std::vector<tiktok::AdGroup>> got = client().GetAdGroups(kToken, query);
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), 1u);
  const tiktok::AdGroup& adgroup = (*got)[0];
  EXPECT_EQ(adgroup.campaign_id, campaign);
  EXPECT_EQ(adgroup.adgroup_name, "IT ad group");
  EXPECT_EQ(adgroup.budget, 50);
  EXPECT_EQ(adgroup.optimization_goal, "CLICK");
  EXPECT_EQ(adgroup.billing_event, "CPC");
  EXPECT_EQ(adgroup.placements, std::vector<std::string>{"PLACEMENT_TIKTOK"});
  EXPECT_EQ(adgroup.location_ids, std::vector<std::string>{"6252001"});
  EXPECT_EQ(adgroup.operation_status, "ENABLE");

  tiktok::AdGroupUpdateRequest update;
  update.advertiser_id = kUs;
  update.adgroup_id = id;
  update.adgroup_name = "IT ad group renamed";
  update.budget = 60;
  absl::StatusOr<tiktok::AdGroupUpdateResult> updated = client().UpdateAdGroup(kToken, update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  got = client().GetAdGroups(kToken, query);
  ASSERT_TRUE(got.ok() && got->size() == 1u);
  EXPECT_EQ((*got)[0].adgroup_name, "IT ad group renamed");
  EXPECT_EQ((*got)[0].budget, 60);
  EXPECT_EQ((*got)[0].optimization_goal, "CLICK");  // partial update kept the rest

  tiktok::AdGroupBudgetUpdateRequest budgets;
  budgets.advertiser_id = kUs;
  budgets.budgets = {{id, 70}};
  absl::StatusOr<tiktok::AdGroupBudgetUpdateResult> budgeted =
      client().UpdateAdGroupBudgets(kToken, budgets);
  ASSERT_TRUE(budgeted.ok()) << budgeted.status();
  got = client().GetAdGroups(kToken, query);
  ASSERT_TRUE(got.ok() && got->size() == 1u);
  EXPECT_EQ((*got)[0].budget, 70);
  // Below the USD 20 daily minimum: 40002.
  budgets.budgets = {{id, 5}};
  absl::StatusOr<tiktok::AdGroupBudgetUpdateResult> too_low =
      client().UpdateAdGroupBudgets(kToken, budgets);
  ASSERT_FALSE(too_low.ok());
  EXPECT_EQ(tiktok::TikTokCodeOf(too_low.status()), 40002);

  absl::StatusOr<tiktok::StatusUpdateResult> disabled =
      client().UpdateAdGroupStatus(kToken, kUs, {id}, "DISABLE", false);
  ASSERT_TRUE(disabled.ok()) << disabled.status();
  EXPECT_EQ(disabled->ids, std::vector<std::string>{id});
  got = client().GetAdGroups(kToken, query);
  ASSERT_TRUE(got.ok() && got->size() == 1u);
  EXPECT_EQ((*got)[0].operation_status, "DISABLE");

  // Partial success: one known and one unknown ad group.
  const std::string unknown = "7999999999999999999";
  absl::StatusOr<tiktok::StatusUpdateResult> partial =
      client().UpdateAdGroupStatus(kToken, kUs, {id, unknown}, "ENABLE", true);
  ASSERT_TRUE(partial.ok()) << partial.status();
  EXPECT_TRUE(partial->partial);
  EXPECT_EQ(partial->ids, std::vector<std::string>{id});
  ASSERT_EQ(partial->errors.size(), 1u);
  EXPECT_EQ(partial->errors[0].id, unknown);
  EXPECT_FALSE(partial->errors[0].message.empty());
  got = client().GetAdGroups(kToken, query);
  ASSERT_TRUE(got.ok() && got->size() == 1u);
  EXPECT_EQ((*got)[0].operation_status, "ENABLE");

  // Without partial success the whole update fails on the unknown id (40007).
  absl::StatusOr<tiktok::StatusUpdateResult> strict =
      client().UpdateAdGroupStatus(kToken, kUs, {id, unknown}, "DISABLE", false);
  ASSERT_FALSE(strict.ok());
  EXPECT_EQ(tiktok::TikTokCodeOf(strict.status()), 40007);
}

// ---- uploads and ads ----

TEST_F(TikTokSandboxTest, UploadsByFileAndUrlThenVideoAds) {
  // A video on disk, streamed as multipart with its MD5 signature.
  const std::string mp4 = TinyMp4(15);
  const std::string path =
      (std::filesystem::path(::testing::TempDir()) / "tiktok_sandbox_it_video.mp4").string();
  {
    std::ofstream out(path, std::ios::binary);
    out << mp4;
  }
  tiktok::VideoUploadByFileRequest by_file;
  by_file.advertiser_id = kUs;
  by_file.source.file_path = path;
  by_file.source.file_name = "it-video.mp4";
  by_file.source.content_type = "video/mp4";
  absl::StatusOr<tiktok::VideoUploadResult> file_video =
      client().UploadVideoByFile(kToken, by_file);
  ASSERT_TRUE(file_video.ok()) << file_video.status();
  std::filesystem::remove(path);
  EXPECT_FALSE(file_video->video.video_id.empty());
  EXPECT_EQ(file_video->video.signature, tiktok::Md5Hex(mp4));
  EXPECT_EQ(file_video->video.duration, 15.0);
  EXPECT_EQ(file_video->video.file_name, "it-video.mp4");
  std::vector<sandbox::RequestLogEntry> uploads = Log("file/video/ad/upload/");
  ASSERT_EQ(uploads.size(), 1u);
  EXPECT_EQ(uploads[0].body.value("upload_type", ""), "UPLOAD_BY_FILE");
  EXPECT_EQ(uploads[0].body.value("video_signature", ""), tiktok::Md5Hex(mp4));
  EXPECT_EQ(uploads[0].body["video_file"].value("size", 0), mp4.size());

  tiktok::VideoUploadByUrlRequest by_url;
  by_url.advertiser_id = kUs;
  by_url.video_url = "https://cdn.example.com/videos/it-promo.mp4";
  by_url.file_name = "it-promo-by-url.mp4";
  absl::StatusOr<tiktok::VideoUploadResult> url_video = client().UploadVideoByUrl(kToken, by_url);
  ASSERT_TRUE(url_video.ok()) << url_video.status();
  EXPECT_NE(url_video->video.video_id, file_video->video.video_id);
  EXPECT_EQ(Log("file/video/ad/upload/")[1].body.value("upload_type", ""), "UPLOAD_BY_URL");

  // A second upload under the same file name: 40911, not retried.
  absl::StatusOr<tiktok::VideoUploadResult> duplicate = client().UploadVideoByUrl(kToken, by_url);
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(tiktok::TikTokCodeOf(duplicate.status()), 40911);
  EXPECT_EQ(Log("file/video/ad/upload/").size(), 3u);

  absl::StatusOr<std::vector<tiktok::VideoInfo>> info = client().GetVideoInfo(
      kToken, kUs, {file_video->video.video_id, url_video->video.video_id, "v10033g5nosuchvideo"});
  ASSERT_TRUE(info.ok()) << info.status();
  ASSERT_EQ(info->size(), 2u);  // the unknown id is left out silently
  for (const tiktok::VideoInfo& v : *info) {
    EXPECT_TRUE(v.displayable) << v.video_id;
    EXPECT_FALSE(v.video_cover_url.empty()) << v.video_id;
  }

  // Cover images: by file (PNG bytes with their MD5) and by URL.
  const std::string png = TinyPng(720, 1280);
  tiktok::ImageUploadRequest image_by_file;
  image_by_file.advertiser_id = kUs;
  image_by_file.source = tiktok::UploadSource{.bytes = png, .file_name = "it-cover.png",
                                              .content_type = "image/png"};
  absl::StatusOr<tiktok::ImageUploadResult> file_image =
      client().UploadImage(kToken, image_by_file);
  ASSERT_TRUE(file_image.ok()) << file_image.status();
  EXPECT_EQ(file_image->image.width, 720);
  EXPECT_EQ(file_image->image.height, 1280);
  EXPECT_EQ(file_image->image.signature, tiktok::Md5Hex(png));
  EXPECT_EQ(Log("file/image/ad/upload/")[0].body.value("image_signature", ""),
            tiktok::Md5Hex(png));
  tiktok::ImageUploadRequest image_by_url;
  image_by_url.advertiser_id = kUs;
  image_by_url.image_url = "https://cdn.example.com/images/it-cover-2.jpg";
  absl::StatusOr<tiktok::ImageUploadResult> url_image = client().UploadImage(kToken, image_by_url);
  ASSERT_TRUE(url_image.ok()) << url_image.status();
  EXPECT_NE(url_image->image.image_id, file_image->image.image_id);

  // Ads with those videos and covers.
  const std::string campaign = NewCampaign("IT ads campaign");
  const std::string adgroup = NewAdGroup(campaign, "IT ads ad group");
  tiktok::AdCreateRequest ads;
  ads.advertiser_id = kUs;
  ads.adgroup_id = adgroup;
  ads.creatives = {
      VideoCreative("IT ad by file", file_video->video.video_id, file_image->image.image_id),
      VideoCreative("IT ad by url", url_video->video.video_id, url_image->image.image_id)};
  absl::StatusOr<tiktok::AdCreateResult> created = client().CreateAds(kToken, ads);
  ASSERT_TRUE(created.ok()) << created.status();
  ASSERT_EQ(created->ad_ids.size(), 2u);
  EXPECT_FALSE(created->recovered_by_read_back);

  std::vector<tiktok::Ad> listed = AdsOf(adgroup);
  ASSERT_EQ(listed.size(), 2u);
  std::map<std::string, tiktok::Ad> by_name;
  for (const tiktok::Ad& ad : listed) by_name[ad.ad_name] = ad;
  EXPECT_EQ(by_name["IT ad by file"].ad_id, created->ad_ids[0]);
  EXPECT_EQ(by_name["IT ad by file"].video_id, file_video->video.video_id);
  EXPECT_EQ(by_name["IT ad by file"].image_ids,
            std::vector<std::string>{file_image->image.image_id});
  EXPECT_EQ(by_name["IT ad by url"].ad_id, created->ad_ids[1]);
  EXPECT_EQ(by_name["IT ad by url"].campaign_id, campaign);
  EXPECT_EQ(by_name["IT ad by url"].identity_id, kUsIdentity);
  EXPECT_EQ(by_name["IT ad by url"].operation_status, "ENABLE");

  absl::StatusOr<tiktok::StatusUpdateResult> paused =
      client().UpdateAdStatus(kToken, kUs, created->ad_ids, "DISABLE");
  ASSERT_TRUE(paused.ok()) << paused.status();
  EXPECT_EQ(paused->ids.size(), 2u);
  tiktok::AdQuery by_ids;
  by_ids.advertiser_id = kUs;
  by_ids.ad_ids = created->ad_ids;
  absl::StatusOr<std::vector<tiktok::Ad>> after = client().GetAds(kToken, by_ids);
  ASSERT_TRUE(after.ok()) << after.status();
  ASSERT_EQ(after->size(), 2u);
  for (const tiktok::Ad& ad : *after) EXPECT_EQ(ad.operation_status, "DISABLE") << ad.ad_name;

  // A video ad without its cover image: TikTok's 40002, not retried, nothing created.
  sandbox_.ClearRequestLog();
  tiktok::AdCreative no_cover = VideoCreative("IT ad without cover", file_video->video.video_id);
  no_cover.image_ids.clear();
  absl::StatusOr<tiktok::AdCreateResult> refused =
      client().CreateAds(kToken, {.advertiser_id = kUs, .adgroup_id = adgroup,
                                  .creatives = {no_cover}});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(tiktok::TikTokCodeOf(refused.status()), 40002);
  EXPECT_EQ(Log("ad/create/").size(), 1u);
  EXPECT_EQ(AdsOf(adgroup).size(), 2u);
}

TEST_F(TikTokSandboxTest, TranscodingVideoIsRetriedUntilReady) {
  Json config = Control(HttpMethod::kPost, "config", Json{{"transcode_seconds", 120}});
  ASSERT_EQ(config.value("transcode_seconds", 0), 120);
  tiktok::VideoUploadByFileRequest upload;
  upload.advertiser_id = kUs;
  upload.source.bytes = TinyMp4(20);
  upload.source.file_name = "it-transcoding.mp4";
  absl::StatusOr<tiktok::VideoUploadResult> video = client().UploadVideoByFile(kToken, upload);
  ASSERT_TRUE(video.ok()) << video.status();
  absl::StatusOr<std::vector<tiktok::VideoInfo>> info =
      client().GetVideoInfo(kToken, kUs, {video->video.video_id});
  ASSERT_TRUE(info.ok() && info->size() == 1u);
  EXPECT_FALSE((*info)[0].displayable);  // still transcoding

  const std::string campaign = NewCampaign("IT transcoding campaign");
  const std::string adgroup = NewAdGroup(campaign, "IT transcoding ad group");
  tiktok::TikTokClientConfig patient = ClientConfig();
  patient.retry.max_attempts = 30;
  patient.retry.base_delay = absl::Milliseconds(10);
  patient.retry.max_delay = absl::Milliseconds(30);
  std::unique_ptr<tiktok::TikTokClient> client = MakeClient(patient);

  // Once TikTok has answered 40901 twice, the sandbox clock moves past the transcoding.
  std::thread clock_mover([this] {
    const absl::Time until = absl::Now() + absl::Seconds(5);
    while (CountCode(Log("ad/create/"), 40901) < 2 && absl::Now() < until) {
      absl::SleepFor(absl::Milliseconds(2));
    }
    sandbox_.AdvanceClock(absl::Seconds(121));
  });
  absl::StatusOr<tiktok::AdCreateResult> created = client->CreateAds(
      kToken, {.advertiser_id = kUs,
               .adgroup_id = adgroup,
               .creatives = {VideoCreative("IT transcoded ad", video->video.video_id)}});
  clock_mover.join();
  ASSERT_TRUE(created.ok()) << created.status();
  ASSERT_EQ(created->ad_ids.size(), 1u);
  std::vector<sandbox::RequestLogEntry> log = Log("ad/create/");
  EXPECT_GE(CountCode(log, 40901), 2);
  EXPECT_EQ(CountCode(log, 0), 1);
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log.back().code, 0);
  // Between the attempts the client read back (ad/get) and found nothing.
  EXPECT_GE(Log("ad/get/").size(), 2u);
  std::vector<tiktok::Ad> ads = AdsOf(adgroup);
  ASSERT_EQ(ads.size(), 1u);
  EXPECT_EQ(ads[0].ad_id, created->ad_ids[0]);
}

TEST_F(TikTokSandboxTest, TranscodingThatOutlastsTheRetriesIsReported) {
  Control(HttpMethod::kPost, "config", Json{{"transcode_seconds", 600}});
  tiktok::VideoUploadByUrlRequest upload;
  upload.advertiser_id = kUs;
  upload.video_url = "https://cdn.example.com/videos/it-slow.mp4";
  absl::StatusOr<tiktok::VideoUploadResult> video = client().UploadVideoByUrl(kToken, upload);
  ASSERT_TRUE(video.ok()) << video.status();
  const std::string campaign = NewCampaign("IT slow transcoding campaign");
  const std::string adgroup = NewAdGroup(campaign, "IT slow transcoding ad group");

  tiktok::TikTokClientConfig config = ClientConfig();
  config.retry.max_attempts = 3;
  std::unique_ptr<tiktok::TikTokClient> client = MakeClient(config);
  absl::StatusOr<tiktok::AdCreateResult> created = client->CreateAds(
      kToken, {.advertiser_id = kUs,
               .adgroup_id = adgroup,
               .creatives = {VideoCreative("IT never ready ad", video->video.video_id)}});
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(tiktok::TikTokCodeOf(created.status()), 40901);
  EXPECT_EQ(created.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(tiktok::IsRetryableTikTokError(created.status()));
  std::optional<tiktok::TikTokError> error = tiktok::TikTokErrorOf(created.status());
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->attempts, 3);
  EXPECT_EQ(CountCode(Log("ad/create/"), 40901), 3);
  EXPECT_TRUE(AdsOf(adgroup).empty());
}

// ---- reports ----

TEST_F(TikTokSandboxTest, ReportPagesThroughManyAdsAndAddsUpToTheCampaign) {
  const std::string campaign = NewCampaign("IT report campaign", 1000);
  const std::vector<std::string> adgroups = {NewAdGroup(campaign, "IT report ad group A", 100),
                                             NewAdGroup(campaign, "IT report ad group B", 100)};
  std::set<std::string> ad_ids;
  for (const std::string& adgroup : adgroups) {
    tiktok::AdCreateRequest request{.advertiser_id = kUs, .adgroup_id = adgroup};
    for (int i = 0; i < 12; ++i) {
      request.creatives.push_back(VideoCreative(absl::StrCat("IT report ad ", adgroup, "-", i)));
    }
    absl::StatusOr<tiktok::AdCreateResult> created = client().CreateAds(kToken, request);
    ASSERT_TRUE(created.ok()) << created.status();
    ad_ids.insert(created->ad_ids.begin(), created->ad_ids.end());
  }
  ASSERT_EQ(ad_ids.size(), 24u);

  const std::string start = SandboxDay("America/New_York", -7);
  const std::string end = SandboxDay("America/New_York", -1);
  tiktok::ReportQuery ads_query;
  ads_query.advertiser_id = kUs;
  ads_query.data_level = "AUCTION_AD";
  ads_query.dimensions = {"ad_id"};
  ads_query.metrics = {"spend", "impressions", "clicks", "campaign_id", "adgroup_id", "ad_name"};
  ads_query.start_date = start;
  ads_query.end_date = end;
  ads_query.filtering = {tiktok::ReportFilter::In("campaign_ids", {campaign})};
  ads_query.page_size = 5;
  sandbox_.ClearRequestLog();
  absl::StatusOr<tiktok::ReportResult> by_ad = client().GetReport(kToken, ads_query);
  ASSERT_TRUE(by_ad.ok()) << by_ad.status();
  EXPECT_EQ(by_ad->pages_read, 5);
  std::vector<sandbox::RequestLogEntry> pages = Log("report/integrated/get/");
  ASSERT_EQ(pages.size(), 5u);  // 24 rows, 5 per page
  EXPECT_EQ(pages[0].query.value("page_size", ""), "5");
  EXPECT_EQ(pages[4].query.value("page", ""), "5");
  // The report filter's filter_value is itself a JSON string.
  std::optional<Json> filtering = sandbox::ParseJson(pages[0].query.value("filtering", ""));
  ASSERT_TRUE(filtering.has_value());
  EXPECT_EQ((*filtering)[0].value("filter_value", ""), Json::array({campaign}).dump());

  std::set<std::string> seen;
  int64_t ad_spend = 0;
  int64_t ad_impressions = 0;
  int64_t ad_clicks = 0;
  for (const tiktok::ReportRow& row : by_ad->rows) {
    const std::string id = row.Dimension("ad_id");
    EXPECT_TRUE(ad_ids.count(id)) << id;
    seen.insert(id);
    EXPECT_EQ(row.Text("campaign_id"), campaign);
    EXPECT_TRUE(row.Text("adgroup_id") == adgroups[0] || row.Text("adgroup_id") == adgroups[1])
        << row.Text("adgroup_id");
    EXPECT_TRUE(absl::StartsWith(row.Text("ad_name"), "IT report ad ")) << row.Text("ad_name");
    ad_spend += Cents(row.NumberOr0("spend"));
    ad_impressions += std::llround(row.NumberOr0("impressions"));
    ad_clicks += std::llround(row.NumberOr0("clicks"));
  }
  EXPECT_EQ(by_ad->rows.size(), 24u);
  EXPECT_EQ(seen, ad_ids);
  EXPECT_GT(ad_spend, 0) << "back-filled ads should have spent in the last week";

  // The same window at campaign level: the same totals, to the cent.
  tiktok::ReportQuery campaign_query = ads_query;
  campaign_query.data_level = "AUCTION_CAMPAIGN";
  campaign_query.dimensions = {"campaign_id"};
  campaign_query.metrics = {"spend", "impressions", "clicks", "campaign_name"};
  campaign_query.page_size = 1000;
  absl::StatusOr<tiktok::ReportResult> by_campaign = client().GetReport(kToken, campaign_query);
  ASSERT_TRUE(by_campaign.ok()) << by_campaign.status();
  ASSERT_EQ(by_campaign->rows.size(), 1u);
  const tiktok::ReportRow& total = by_campaign->rows[0];
  EXPECT_EQ(total.Dimension("campaign_id"), campaign);
  EXPECT_EQ(total.Text("campaign_name"), "IT report campaign");
  EXPECT_EQ(Cents(total.NumberOr0("spend")), ad_spend);
  EXPECT_EQ(std::llround(total.NumberOr0("impressions")), ad_impressions);
  EXPECT_EQ(std::llround(total.NumberOr0("clicks")), ad_clicks);

  // Per ad and day, across many small pages, it still adds up.
  tiktok::ReportQuery daily = ads_query;
  daily.dimensions = {"ad_id", "stat_time_day"};
  daily.metrics = {"spend", "impressions", "adgroup_id"};
  daily.page_size = 17;
  absl::StatusOr<tiktok::ReportResult> by_day = client().GetReport(kToken, daily);
  ASSERT_TRUE(by_day.ok()) << by_day.status();
  EXPECT_GT(by_day->rows.size(), 24u);
  EXPECT_EQ(by_day->pages_read,
            static_cast<int64_t>((by_day->rows.size() + 16) / 17));
  std::set<std::pair<std::string, std::string>> keys;
  int64_t daily_spend = 0;
  int64_t daily_impressions = 0;
  for (const tiktok::ReportRow& row : by_day->rows) {
    EXPECT_TRUE(keys.insert({row.Dimension("ad_id"), row.Dimension("stat_time_day")}).second)
        << "duplicate row " << row.Dimension("ad_id") << " " << row.Dimension("stat_time_day");
    const std::string day = row.Dimension("stat_time_day");
    EXPECT_TRUE(day.substr(0, 10) >= start && day.substr(0, 10) <= end) << day;
    EXPECT_TRUE(absl::EndsWith(day, " 00:00:00")) << day;
    daily_spend += Cents(row.NumberOr0("spend"));
    daily_impressions += std::llround(row.NumberOr0("impressions"));
  }
  EXPECT_EQ(daily_spend, ad_spend);
  EXPECT_EQ(daily_impressions, ad_impressions);
}

TEST_F(TikTokSandboxTest, ReportRowsWithoutDataReadAsMissing) {
  // The KZ advertiser's seeded ad group is disabled and has no ads: TikTok's "-" metrics.
  tiktok::ReportQuery query;
  query.advertiser_id = kKz;
  query.data_level = "AUCTION_ADGROUP";
  query.dimensions = {"adgroup_id"};
  query.metrics = {"spend", "impressions", "ctr", "adgroup_name", "campaign_id"};
  query.start_date = SandboxDay("Asia/Almaty", -3);
  query.end_date = SandboxDay("Asia/Almaty", 0);
  absl::StatusOr<tiktok::ReportResult> report = client().GetReport(kToken, query);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->rows.size(), 1u);
  const tiktok::ReportRow& row = report->rows[0];
  EXPECT_EQ(row.Dimension("adgroup_id"), kKzAdGroup);
  EXPECT_EQ(row.Text("spend"), "-");
  EXPECT_FALSE(row.Number("spend").has_value());
  EXPECT_FALSE(row.Number("impressions").has_value());
  EXPECT_EQ(row.NumberOr0("spend"), 0);
  EXPECT_EQ(row.Text("adgroup_name"), "Demo existing ad group (disabled)");
  EXPECT_EQ(row.Text("campaign_id"), kKzCampaign);

  // The seeded, running US ad has numbers, as strings.
  query.advertiser_id = kUs;
  query.data_level = "AUCTION_AD";
  query.dimensions = {"ad_id"};
  query.metrics = {"spend", "impressions", "clicks", "ctr", "cpc", "cpm"};
  query.start_date = SandboxDay("America/New_York", -2);
  query.end_date = SandboxDay("America/New_York", -1);
  report = client().GetReport(kToken, query);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->rows.size(), 1u);
  const tiktok::ReportRow& ad = report->rows[0];
  EXPECT_EQ(ad.Dimension("ad_id"), kUsAd);
  ASSERT_TRUE(ad.Number("spend").has_value()) << ad.Text("spend");
  ASSERT_TRUE(ad.Number("impressions").has_value());
  EXPECT_GT(*ad.Number("impressions"), 0);
  // ctr is a percentage of clicks over impressions.
  EXPECT_NEAR(ad.NumberOr0("ctr"), ad.NumberOr0("clicks") / *ad.Number("impressions") * 100, 0.01);

  // TikTok's date-range rule: more than 30 days with stat_time_day is 40002.
  query.dimensions = {"ad_id", "stat_time_day"};
  query.start_date = SandboxDay("America/New_York", -40);
  absl::StatusOr<tiktok::ReportResult> too_long = client().GetReport(kToken, query);
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(tiktok::TikTokCodeOf(too_long.status()), 40002);
}

// ---- leads ----

TEST_F(TikTokSandboxTest, LeadTaskPollsThenDownloadsTheCsv) {
  ASSERT_TRUE(sandbox_
                  .LoadSeed(Json{{"leads",
                                  {{{"lead_id", "9100000000000000001"},
                                    {"advertiser_id", kKz},
                                    {"page_id", kKzPage},
                                    {"fields", {{"name", "Aigerim"}, {"phone_number", "+77011234567"}}}},
                                   {{"lead_id", "9100000000000000002"},
                                    {"advertiser_id", kKz},
                                    {"page_id", kKzPage},
                                    {"fields", {{"name", "Daniyar, Jr."}, {"phone_number", "+77017654321"}}}}}}}
                                .dump())
                  .ok());
  Control(HttpMethod::kPost, "config", Json{{"lead_task_seconds", 30}});

  absl::StatusOr<tiktok::LeadTask> task =
      client().CreateLeadTask(kToken, {.advertiser_id = kKz, .page_id = kKzPage});
  ASSERT_TRUE(task.ok()) << task.status();
  EXPECT_EQ(task->status, "CREATED");
  ASSERT_FALSE(task->task_id.empty());
  absl::StatusOr<tiktok::LeadTask> polled =
      client().CreateLeadTask(kToken, {.advertiser_id = kKz, .task_id = task->task_id});
  ASSERT_TRUE(polled.ok()) << polled.status();
  EXPECT_EQ(polled->status, "RUNNING");
  EXPECT_EQ(polled->task_id, task->task_id);
  EXPECT_EQ(Log("page/lead/task/").back().method, "POST");

  // Downloading too early: TikTok's 40201 "task not ready", retried, then reported.
  tiktok::TikTokClientConfig config = ClientConfig();
  config.retry.max_attempts = 2;
  std::unique_ptr<tiktok::TikTokClient> impatient = MakeClient(config);
  absl::StatusOr<tiktok::LeadFile> early =
      impatient->DownloadLeadTask(kToken, kKz, task->task_id);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(tiktok::TikTokCodeOf(early.status()), 40201);
  EXPECT_EQ(CountCode(Log("page/lead/task/download/"), 40201), 2);

  sandbox_.AdvanceClock(absl::Seconds(31));
  polled = client().CreateLeadTask(kToken, {.advertiser_id = kKz, .task_id = task->task_id});
  ASSERT_TRUE(polled.ok()) << polled.status();
  EXPECT_EQ(polled->status, "SUCCEED");
  EXPECT_EQ(polled->file_type, "csv");
  EXPECT_FALSE(polled->file_name.empty());

  absl::StatusOr<tiktok::LeadFile> file = client().DownloadLeadTask(kToken, kKz, task->task_id);
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_TRUE(absl::StartsWith(file->content_type, "text/csv")) << file->content_type;
  EXPECT_TRUE(absl::StartsWith(file->bytes, "lead_id,create_time,ad_id")) << file->bytes;
  EXPECT_TRUE(absl::StrContains(file->bytes, "9100000000000000001")) << file->bytes;
  EXPECT_TRUE(absl::StrContains(file->bytes, "Aigerim")) << file->bytes;
  EXPECT_TRUE(absl::StrContains(file->bytes, "\"Daniyar, Jr.\"")) << file->bytes;
  EXPECT_TRUE(absl::StrContains(file->bytes, kKzPage));
}

// ---- the generic call ----

TEST_F(TikTokSandboxTest, CallRawReturnsTheEnvelopeAsReceived) {
  absl::StatusOr<tiktok::RawCallResult> raw = client().CallRaw(
      HttpMethod::kGet, "advertiser/info/", kToken,
      tiktok::Params{{"advertiser_ids", {kUs}}, {"fields", {"advertiser_id", "currency"}}});
  ASSERT_TRUE(raw.ok()) << raw.status();
  EXPECT_EQ(raw->code, 0);
  EXPECT_EQ(raw->http_status, 200);
  EXPECT_EQ(raw->attempts, 1);
  std::optional<Json> body = sandbox::ParseJson(raw->body);
  ASSERT_TRUE(body.has_value()) << raw->body;
  EXPECT_EQ((*body)["code"], 0);
  EXPECT_EQ((*body)["request_id"], raw->request_id);
  EXPECT_EQ((*body)["data"]["list"][0]["advertiser_id"], kUs);
  EXPECT_EQ((*body)["data"]["list"][0]["currency"], "USD");
  std::vector<sandbox::RequestLogEntry> log = Log("advertiser/info/");
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].request_id, raw->request_id);
  EXPECT_EQ(log[0].query.value("advertiser_ids", ""), Json::array({kUs}).dump());

  // A refusal still comes back as TikTok's envelope.
  absl::StatusOr<tiktok::RawCallResult> refused =
      client().CallRaw(HttpMethod::kGet, "campaign/get/", kToken,
                       tiktok::Params{{"advertiser_id", "7499999999999999999"}});
  ASSERT_TRUE(refused.ok()) << refused.status();
  EXPECT_EQ(refused->code, 40001);
  EXPECT_EQ(refused->attempts, 1);
  EXPECT_EQ(sandbox::ParseJson(refused->body).value_or(Json())["code"], 40001);

  // A POST, as a JSON body.
  absl::StatusOr<tiktok::RawCallResult> posted = client().CallRaw(
      HttpMethod::kPost, "campaign/create/", kToken,
      tiktok::Params{{"advertiser_id", kUs},
                     {"campaign_name", "IT raw campaign"},
                     {"objective_type", "TRAFFIC"},
                     {"budget_mode", "BUDGET_MODE_DAY"},
                     {"budget", 80}});
  ASSERT_TRUE(posted.ok()) << posted.status();
  EXPECT_EQ(posted->code, 0);
  Json data = sandbox::ParseJson(posted->body).value_or(Json())["data"];
  EXPECT_TRUE(data["campaign_id"].is_string()) << posted->body;
  EXPECT_EQ(Log("campaign/create/")[0].body.value("campaign_name", ""), "IT raw campaign");

  // No envelope at all (a path without its route): an error, not retried.
  sandbox_.ClearRequestLog();
  absl::StatusOr<tiktok::RawCallResult> missing =
      client().CallRaw(HttpMethod::kGet, "campaign/no_such_endpoint/", kToken, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kUnimplemented);
  std::optional<tiktok::TikTokError> error = tiktok::TikTokErrorOf(missing.status());
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->http_status, 404);
  EXPECT_EQ(error->attempts, 1);
  EXPECT_EQ(sandbox_.RequestLog("").size(), 1u);
}

}  // namespace
}  // namespace ttads::integration
