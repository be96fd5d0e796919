// Campaigns, ad groups and ads: create/get/update/status flows, TikTok's validation, request_id
// dedupe, id-list limits and pagination.
#include <gtest/gtest.h>

#include <set>

#include "absl/strings/str_cat.h"
#include "test/sandbox/sandbox_fixture.h"

namespace ttads::sandbox::testing {
namespace {

using ManagementTest = SandboxTest;

TEST_F(ManagementTest, CampaignCreateGetUpdateStatus) {
  Json created = Post("campaign/create/", {{"advertiser_id", kUs},
                                           {"campaign_name", "Spring sale"},
                                           {"objective_type", "TRAFFIC"},
                                           {"budget_mode", "BUDGET_MODE_DAY"},
                                           {"budget", 75}});
  ASSERT_EQ(created["code"], 0) << created.dump();
  const Json& campaign = created["data"];
  std::string id = campaign["campaign_id"];
  EXPECT_EQ(id.size(), 19u);
  EXPECT_EQ(campaign["budget"], 75.0);
  EXPECT_EQ(campaign["operation_status"], "ENABLE");
  EXPECT_EQ(campaign["secondary_status"], "CAMPAIGN_STATUS_ENABLE");
  EXPECT_EQ(campaign["create_time"], "2025-03-10 12:00:00");

  Json got = Get("campaign/get/", {{"advertiser_id", kUs},
                                   {"filtering", {{"campaign_ids", {id}}}},
                                   {"fields", {"campaign_id", "campaign_name", "budget"}}});
  ASSERT_EQ(got["code"], 0) << got.dump();
  EXPECT_EQ(got["data"]["list"][0],
            (Json{{"campaign_id", id}, {"campaign_name", "Spring sale"}, {"budget", 75.0}}));

  Json updated =
      Post("campaign/update/", {{"advertiser_id", kUs}, {"campaign_id", id}, {"budget", 120}});
  ASSERT_EQ(updated["code"], 0) << updated.dump();
  EXPECT_EQ(updated["data"]["budget"], 120.0);
  EXPECT_EQ(updated["data"]["campaign_name"], "Spring sale");

  Json paused =
      Post("campaign/status/update/",
           {{"advertiser_id", kUs}, {"campaign_ids", {id}}, {"operation_status", "DISABLE"}});
  ASSERT_EQ(paused["code"], 0) << paused.dump();
  EXPECT_EQ(paused["data"]["campaign_ids"], Json::array({id}));
  EXPECT_EQ(paused["data"]["status"], "DISABLE");
  EXPECT_EQ(Get("campaign/get/", {{"advertiser_id", kUs}})["data"]["list"][0]["secondary_status"],
            "CAMPAIGN_STATUS_DISABLE");
}

TEST_F(ManagementTest, CampaignValidation) {
  Json base = {{"advertiser_id", kUs},
               {"campaign_name", "C"},
               {"objective_type", "TRAFFIC"},
               {"budget_mode", "BUDGET_MODE_DAY"},
               {"budget", 50}};
  auto with = [&](const char* key, const Json& value) {
    Json body = base;
    body[key] = value;
    return Post("campaign/create/", body);
  };
  EXPECT_EQ(with("objective_type", "SALES_MAGIC")["code"], 40002);
  EXPECT_EQ(with("objective_type", "CONVERSIONS")["code"], 40002);  // deprecated for new ones
  EXPECT_EQ(with("budget_mode", "BUDGET_MODE_WEEK")["code"], 40002);
  EXPECT_EQ(with("budget", 49.99)["code"], 40002);  // USD minimum 50
  EXPECT_EQ(with("operation_status", "DELETE")["code"], 40002);
  Json no_budget = base;
  no_budget.erase("budget");
  EXPECT_EQ(Post("campaign/create/", no_budget)["message"], "Missing required field(s): budget.");
  Json infinite = base;
  infinite["budget_mode"] = "BUDGET_MODE_INFINITE";
  infinite.erase("budget");
  infinite["campaign_name"] = "Infinite";
  EXPECT_EQ(Post("campaign/create/", infinite)["code"], 0);
  EXPECT_EQ(with("budget", 50)["code"], 0);
  // The same name twice in one account is refused.
  EXPECT_EQ(with("budget", 60)["code"], 40002);

  Json kz = base;
  kz["advertiser_id"] = kKz;
  kz["budget"] = 2499;
  EXPECT_EQ(Post("campaign/create/", kz)["code"], 40002);  // KZT minimum 2500
  kz["budget"] = 2500;
  EXPECT_EQ(Post("campaign/create/", kz)["code"], 0);
}

TEST_F(ManagementTest, MinimumBudgetsAreConfigurable) {
  SandboxConfig config = sandbox_.config();
  config.min_budgets["KZT"] = MinBudget{10000, 5000};
  sandbox_.set_config(config);
  EXPECT_EQ(Post("campaign/create/", {{"advertiser_id", kKz},
                                      {"campaign_name", "K"},
                                      {"objective_type", "TRAFFIC"},
                                      {"budget_mode", "BUDGET_MODE_DAY"},
                                      {"budget", 9999}})["code"],
            40002);
  std::string campaign = CreateCampaign(kKz, "K2", 10000);
  EXPECT_EQ(Post("adgroup/create/", AdGroupBody(kKz, campaign, "G", 4999))["code"], 40002);
  EXPECT_FALSE(CreateAdGroup(kKz, campaign, "G", 5000).empty());
}

TEST_F(ManagementTest, BudgetModeCannotChangeAndUnknownIdsAre40007) {
  std::string id = CreateCampaign(kUs, "Fixed mode", 60);
  Json changed =
      Post("campaign/update/",
           {{"advertiser_id", kUs}, {"campaign_id", id}, {"budget_mode", "BUDGET_MODE_TOTAL"}});
  EXPECT_EQ(changed["code"], 40002);
  Json unknown =
      Post("campaign/update/",
           {{"advertiser_id", kUs}, {"campaign_id", "7999999999999999999"}, {"budget", 70}});
  EXPECT_EQ(unknown["code"], 40007);
  EXPECT_EQ(unknown["message"], "The campaign 7999999999999999999 does not exist.");
  // Another advertiser's campaign does not exist for this one.
  EXPECT_EQ(Post("campaign/update/",
                 {{"advertiser_id", kKz}, {"campaign_id", id}, {"budget", 3000}})["code"],
            40007);
  Json status = Post("campaign/status/update/", {{"advertiser_id", kUs},
                                                 {"campaign_ids", {id, "7999999999999999999"}},
                                                 {"operation_status", "DISABLE"}});
  EXPECT_EQ(status["code"], 40007);
  // All or nothing: the known campaign was not paused.
  EXPECT_EQ(Get("campaign/get/", {{"advertiser_id", kUs}})["data"]["list"][0]["operation_status"],
            "ENABLE");
}

TEST_F(ManagementTest, StatusUpdateLimitsAndDeletion) {
  Json ids = Json::array();
  for (int i = 0; i < 21; ++i) ids.push_back(absl::StrCat("79000000000000000", 10 + i));
  Json too_many =
      Post("campaign/status/update/",
           {{"advertiser_id", kUs}, {"campaign_ids", ids}, {"operation_status", "DISABLE"}});
  EXPECT_EQ(too_many["code"], 40002);
  EXPECT_EQ(Post("campaign/status/update/", {{"advertiser_id", kUs},
                                             {"campaign_ids", Json::array()},
                                             {"operation_status", "DISABLE"}})["code"],
            40002);
  std::string id = CreateCampaign(kUs, "To delete", 60);
  std::string adgroup = CreateAdGroup(kUs, id, "G", 30);
  std::string ad = CreateAd(kUs, adgroup, "A");
  EXPECT_EQ(
      Post("campaign/status/update/",
           {{"advertiser_id", kUs}, {"campaign_ids", {id}}, {"operation_status", "PAUSE"}})["code"],
      40002);
  ASSERT_EQ(Post("campaign/status/update/", {{"advertiser_id", kUs},
                                             {"campaign_ids", {id}},
                                             {"operation_status", "DELETE"}})["code"],
            0);
  // Deleted: gone from the default listing (STATUS_NOT_DELETE), there with STATUS_ALL.
  EXPECT_TRUE(Get("campaign/get/", {{"advertiser_id", kUs}})["data"]["list"].empty());
  Json all = Get("campaign/get/",
                 {{"advertiser_id", kUs}, {"filtering", {{"primary_status", "STATUS_ALL"}}}});
  ASSERT_EQ(all["data"]["list"].size(), 1u);
  EXPECT_EQ(all["data"]["list"][0]["secondary_status"], "CAMPAIGN_STATUS_DELETE");
  // Its ad group and ad went with it.
  Json ads = Get("ad/get/",
                 {{"advertiser_id", kUs}, {"filtering", {{"secondary_status", "AD_STATUS_ALL"}}}});
  EXPECT_EQ(ads["data"]["list"][0]["secondary_status"], "AD_STATUS_DELETE");
  // A deleted campaign cannot change status any more.
  EXPECT_EQ(Post("campaign/status/update/", {{"advertiser_id", kUs},
                                             {"campaign_ids", {id}},
                                             {"operation_status", "ENABLE"}})["code"],
            40002);
}

TEST_F(ManagementTest, CampaignRequestIdDedupes) {
  Json body = {{"advertiser_id", kUs},
               {"campaign_name", "Retried"},
               {"objective_type", "TRAFFIC"},
               {"budget_mode", "BUDGET_MODE_DAY"},
               {"budget", 80},
               {"request_id", "1234567890123456789"}};
  Json first = Post("campaign/create/", body);
  Json second = Post("campaign/create/", body);
  ASSERT_EQ(first["code"], 0) << first.dump();
  ASSERT_EQ(second["code"], 0) << second.dump();
  EXPECT_EQ(first["data"]["campaign_id"], second["data"]["campaign_id"]);
  EXPECT_EQ(Get("campaign/get/", {{"advertiser_id", kUs}})["data"]["page_info"]["total_number"], 1);
  body["request_id"] = "not-a-number";
  EXPECT_EQ(Post("campaign/create/", body)["code"], 40002);
}

TEST_F(ManagementTest, AdGroupRequestIdDedupes) {
  std::string campaign = CreateCampaign(kUs, "C", 100);
  Json body = AdGroupBody(kUs, campaign, "Retried group", 40);
  body["request_id"] = "42";
  Json first = Post("adgroup/create/", body);
  Json second = Post("adgroup/create/", body);
  ASSERT_EQ(first["code"], 0) << first.dump();
  EXPECT_EQ(first["data"]["adgroup_id"], second["data"]["adgroup_id"]);
  EXPECT_EQ(Get("adgroup/get/", {{"advertiser_id", kUs}})["data"]["page_info"]["total_number"], 1);
}

TEST_F(ManagementTest, PaginationCountsEverything) {
  for (int i = 0; i < 25; ++i) CreateCampaign(kUs, absl::StrCat("Campaign ", i), 50 + i);
  std::set<std::string> seen;
  for (int page = 1; page <= 3; ++page) {
    Json reply = Get("campaign/get/", {{"advertiser_id", kUs}, {"page", page}, {"page_size", 10}});
    ASSERT_EQ(reply["code"], 0);
    EXPECT_EQ(reply["data"]["page_info"],
              (Json{{"page", page}, {"page_size", 10}, {"total_number", 25}, {"total_page", 3}}));
    for (const Json& item : reply["data"]["list"]) seen.insert(item["campaign_id"]);
  }
  EXPECT_EQ(seen.size(), 25u);
  Json beyond = Get("campaign/get/", {{"advertiser_id", kUs}, {"page", 4}, {"page_size", 10}});
  EXPECT_TRUE(beyond["data"]["list"].empty());
  EXPECT_EQ(Get("campaign/get/", {{"advertiser_id", kUs}, {"page_size", 1001}})["code"], 40002);
  EXPECT_EQ(Get("campaign/get/", {{"advertiser_id", kUs}, {"page", 0}})["code"], 40002);
  Json ids = Json::array();
  for (int i = 0; i < 101; ++i) ids.push_back(absl::StrCat(7900000000000000000LL + i));
  EXPECT_EQ(Get("campaign/get/",
                {{"advertiser_id", kUs}, {"filtering", {{"campaign_ids", ids}}}})["code"],
            40002);
}

TEST_F(ManagementTest, AdGroupValidation) {
  std::string campaign = CreateCampaign(kUs, "C", 100);
  Json base = AdGroupBody(kUs, campaign, "G", 25);
  auto with = [&](const char* key, const Json& value) {
    Json body = base;
    if (value.is_null()) {
      body.erase(key);
    } else {
      body[key] = value;
    }
    return Post("adgroup/create/", body);
  };
  Json missing = Post("adgroup/create/", {{"advertiser_id", kUs}, {"campaign_id", campaign}});
  EXPECT_EQ(missing["message"],
            "Missing required field(s): adgroup_name, schedule_type, schedule_start_time, "
            "optimization_goal, billing_event, budget_mode, budget, pacing.");
  EXPECT_EQ(with("budget", 19.5)["code"], 40002);                     // USD ad group minimum 20
  EXPECT_EQ(with("budget", 150)["code"], 40002);                      // above the campaign budget
  EXPECT_EQ(with("billing_event", "CPM")["code"], 40002);             // CLICK needs CPC
  EXPECT_EQ(with("optimization_goal", "VIDEO_VIEW")["code"], 40002);  // deprecated
  EXPECT_EQ(with("location_ids", Json::array({6252001}))["code"], 40002);  // numbers fail
  EXPECT_EQ(with("placements", nullptr)["code"], 40002);      // NORMAL needs placements
  EXPECT_EQ(with("promotion_type", nullptr)["code"], 40002);  // TRAFFIC needs it
  EXPECT_EQ(with("schedule_start_time", "2025-03-10T12:00:00Z")["code"], 40002);
  EXPECT_EQ(with("schedule_type", "SCHEDULE_START_END")["code"], 40002);  // no end time
  EXPECT_EQ(with("budget_mode", "BUDGET_MODE_TOTAL")["code"], 40002);     // needs START_END
  EXPECT_EQ(with("gender", "GENDER_ANY")["code"], 40002);
  EXPECT_EQ(with("campaign_id", "7999999999999999999")["code"], 40007);
  Json total = base;
  total["budget_mode"] = "BUDGET_MODE_TOTAL";
  total["schedule_type"] = "SCHEDULE_START_END";
  total["schedule_end_time"] = "2025-03-15 12:00:00";  // 5 days: at least 5 x 20
  total["budget"] = 99;
  EXPECT_EQ(Post("adgroup/create/", total)["code"], 40002);
  total["budget"] = 100;
  EXPECT_EQ(Post("adgroup/create/", total)["code"], 0);
  EXPECT_EQ(with("budget", 25)["code"], 0);

  std::string kz_campaign = CreateCampaign(kKz, "KZ", 5000);
  EXPECT_EQ(Post("adgroup/create/", AdGroupBody(kKz, kz_campaign, "G", 2499))["code"], 40002);
  EXPECT_EQ(Post("adgroup/create/", AdGroupBody(kKz, kz_campaign, "G", 2500))["code"], 0);
}

TEST_F(ManagementTest, AdGroupUpdateBudgetAndStatus) {
  std::string campaign = CreateCampaign(kUs, "C", 100);
  std::string adgroup = CreateAdGroup(kUs, campaign, "G", 30);
  Json updated =
      Post("adgroup/update/", {{"advertiser_id", kUs}, {"adgroup_id", adgroup}, {"budget", 39}});
  ASSERT_EQ(updated["code"], 0) << updated.dump();
  EXPECT_EQ(updated["data"]["budget"], 39.0);
  EXPECT_EQ(updated["data"]["adgroup_name"], "G");  // omitted fields stay
  EXPECT_EQ(Post("adgroup/update/",
                 {{"advertiser_id", kUs}, {"adgroup_id", adgroup}, {"budget", 10}})["code"],
            40002);
  EXPECT_EQ(Post("adgroup/update/", {{"advertiser_id", kUs},
                                     {"adgroup_id", adgroup},
                                     {"placement_type", "PLACEMENT_TYPE_AUTOMATIC"}})["code"],
            40002);

  Json budget =
      Post("adgroup/budget/update/",
           {{"advertiser_id", kUs}, {"budget", {{{"adgroup_id", adgroup}, {"budget", 45}}}}});
  ASSERT_EQ(budget["code"], 0) << budget.dump();
  Json got =
      Get("adgroup/get/", {{"advertiser_id", kUs}, {"filtering", {{"adgroup_ids", {adgroup}}}}});
  EXPECT_EQ(got["data"]["list"][0]["budget"], 45.0);
  EXPECT_EQ(Post("adgroup/budget/update/",
                 {{"advertiser_id", kUs},
                  {"budget", {{{"adgroup_id", "7999999999999999999"}, {"budget", 45}}}}})["code"],
            40007);
  EXPECT_EQ(Post("adgroup/budget/update/", {{"advertiser_id", kUs}})["code"], 40002);

  Json partial = Post("adgroup/status/update/", {{"advertiser_id", kUs},
                                                 {"adgroup_ids", {adgroup, "7999999999999999999"}},
                                                 {"operation_status", "DISABLE"},
                                                 {"allow_partial_success", true}});
  EXPECT_EQ(partial["code"], 20001) << partial.dump();
  EXPECT_EQ(partial["data"]["adgroup_ids"], Json::array({adgroup}));
  EXPECT_EQ(partial["data"]["error_list"][0]["adgroup_id"], "7999999999999999999");
  EXPECT_EQ(Get("adgroup/get/", {{"advertiser_id", kUs}})["data"]["list"][0]["secondary_status"],
            "ADGROUP_STATUS_DISABLE");
  Json strict = Post("adgroup/status/update/", {{"advertiser_id", kUs},
                                                {"adgroup_ids", {adgroup, "7999999999999999999"}},
                                                {"operation_status", "ENABLE"}});
  EXPECT_EQ(strict["code"], 40007);
}

TEST_F(ManagementTest, AdCreateGetAndStatus) {
  std::string campaign = CreateCampaign(kUs, "C", 100);
  std::string adgroup = CreateAdGroup(kUs, campaign, "G", 30);
  Json created =
      Post("ad/create/", {{"advertiser_id", kUs},
                          {"adgroup_id", adgroup},
                          {"creatives", {CreativeFor(kUs, "A1"), CreativeFor(kUs, "A2")}}});
  ASSERT_EQ(created["code"], 0) << created.dump();
  ASSERT_EQ(created["data"]["ad_ids"].size(), 2u);
  EXPECT_EQ(created["data"]["creatives"][1]["ad_name"], "A2");
  EXPECT_EQ(created["data"]["creatives"][0]["campaign_id"], campaign);
  std::string ad = created["data"]["ad_ids"][0];

  Json got = Get("ad/get/", {{"advertiser_id", kUs},
                             {"filtering", {{"adgroup_ids", {adgroup}}}},
                             {"fields", {"ad_id", "ad_name", "operation_status", "video_id"}}});
  EXPECT_EQ(got["data"]["page_info"]["total_number"], 2);
  Json status = Post("ad/status/update/",
                     {{"advertiser_id", kUs}, {"ad_ids", {ad}}, {"operation_status", "DISABLE"}});
  ASSERT_EQ(status["code"], 0) << status.dump();
  EXPECT_EQ(status["data"]["status"], "DISABLE");
  Json disabled = Get(
      "ad/get/", {{"advertiser_id", kUs}, {"filtering", {{"primary_status", "STATUS_DISABLE"}}}});
  ASSERT_EQ(disabled["data"]["list"].size(), 1u);
  EXPECT_EQ(disabled["data"]["list"][0]["ad_id"], ad);

  Json renamed = Post("ad/update/", {{"advertiser_id", kUs},
                                     {"adgroup_id", adgroup},
                                     {"creatives", {{{"ad_id", ad}, {"ad_name", "A1 renamed"}}}}});
  ASSERT_EQ(renamed["code"], 0) << renamed.dump();
  EXPECT_EQ(renamed["data"]["creatives"][0]["ad_name"], "A1 renamed");
  EXPECT_EQ(renamed["data"]["creatives"][0]["ad_text"], "Sandbox ad text");
}

TEST_F(ManagementTest, AdValidation) {
  std::string campaign = CreateCampaign(kUs, "C", 100);
  std::string adgroup = CreateAdGroup(kUs, campaign, "G", 30);
  auto create = [&](const Json& creative) {
    return Post("ad/create/",
                {{"advertiser_id", kUs}, {"adgroup_id", adgroup}, {"creatives", {creative}}});
  };
  Json no_cover = CreativeFor(kUs, "A");
  no_cover.erase("image_ids");
  EXPECT_EQ(create(no_cover)["code"], 40002);
  Json bad_video = CreativeFor(kUs, "A");
  bad_video["video_id"] = "v10033g50000doesnotexist";
  EXPECT_EQ(create(bad_video)["code"], 40053);
  Json other_video = CreativeFor(kUs, "A");
  other_video["video_id"] = kKzVideo;  // another advertiser's
  EXPECT_EQ(create(other_video)["code"], 40053);
  Json bad_image = CreativeFor(kUs, "A");
  bad_image["image_ids"] = {"ad-site-i18n-sg/none"};
  EXPECT_EQ(create(bad_image)["code"], 40007);
  Json bad_identity = CreativeFor(kUs, "A");
  bad_identity["identity_id"] = kKzIdentity;
  EXPECT_EQ(create(bad_identity)["code"], 40007);
  Json bc = CreativeFor(kUs, "A");
  bc["identity_type"] = "BC_AUTH_TT";
  bc["identity_id"] = "7300000000000000003";
  EXPECT_EQ(create(bc)["code"], 40002);  // needs identity_authorized_bc_id
  bc["identity_authorized_bc_id"] = "7350000000000000001";
  EXPECT_EQ(create(bc)["code"], 0);
  Json bad_cta = CreativeFor(kUs, "A");
  bad_cta["call_to_action"] = "CLICK_HERE";
  EXPECT_EQ(create(bad_cta)["code"], 40002);
  Json no_url = CreativeFor(kUs, "A");
  no_url.erase("landing_page_url");
  EXPECT_EQ(create(no_url)["code"], 40002);  // a WEBSITE ad group
  Json missing = Json{{"ad_format", "SINGLE_VIDEO"}};
  EXPECT_EQ(create(missing)["message"],
            "Missing required field(s): ad_name, identity_type, identity_id, ad_text.");
  Json many = Json::array();
  for (int i = 0; i < 21; ++i) many.push_back(CreativeFor(kUs, absl::StrCat("A", i)));
  EXPECT_EQ(Post("ad/create/",
                 {{"advertiser_id", kUs}, {"adgroup_id", adgroup}, {"creatives", many}})["code"],
            40002);
  EXPECT_EQ(Post("ad/create/", {{"advertiser_id", kUs},
                                {"adgroup_id", "7999999999999999999"},
                                {"creatives", {CreativeFor(kUs, "A")}}})["code"],
            40007);
  // Only the BC_AUTH_TT ad was created.
  EXPECT_EQ(Get("ad/get/", {{"advertiser_id", kUs}})["data"]["page_info"]["total_number"], 1);
}

TEST_F(ManagementTest, LeadFormAdsNeedTheirPage) {
  Json campaign = Post("campaign/create/", {{"advertiser_id", kKz},
                                            {"campaign_name", "Leads"},
                                            {"objective_type", "LEAD_GENERATION"},
                                            {"budget_mode", "BUDGET_MODE_DAY"},
                                            {"budget", 5000}});
  ASSERT_EQ(campaign["code"], 0) << campaign.dump();
  Json body = AdGroupBody(kKz, campaign["data"]["campaign_id"], "Lead group", 2500);
  body["promotion_type"] = "LEAD_GENERATION";
  body["promotion_target_type"] = "INSTANT_PAGE";
  body["optimization_goal"] = "LEAD_GENERATION";
  body["billing_event"] = "OCPM";
  Json adgroup = Post("adgroup/create/", body);
  ASSERT_EQ(adgroup["code"], 0) << adgroup.dump();
  Json creative = CreativeFor(kKz, "Lead ad");
  creative.erase("landing_page_url");
  creative["call_to_action"] = "SIGN_UP";
  Json without = Post("ad/create/", {{"advertiser_id", kKz},
                                     {"adgroup_id", adgroup["data"]["adgroup_id"]},
                                     {"creatives", {creative}}});
  EXPECT_EQ(without["message"], "Missing required field(s): page_id.");
  creative["page_id"] = kKzPage;
  EXPECT_EQ(Post("ad/create/", {{"advertiser_id", kKz},
                                {"adgroup_id", adgroup["data"]["adgroup_id"]},
                                {"creatives", {creative}}})["code"],
            0);
}

}  // namespace
}  // namespace ttads::sandbox::testing
