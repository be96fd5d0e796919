// identity/get/, pixel/list/, tool/region/, page/get/ and the lead download task.
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "test/sandbox/sandbox_fixture.h"

namespace ttads::sandbox::testing {
namespace {

using MiscTest = SandboxTest;

TEST_F(MiscTest, IdentitiesByType) {
  Json all = Get("identity/get/", {{"advertiser_id", kUs}});
  ASSERT_EQ(all["code"], 0) << all.dump();
  EXPECT_EQ(all["data"]["identity_list"].size(), 2u);
  EXPECT_EQ(all["data"]["page_info"]["page_size"], 20);
  Json tt = Get("identity/get/", {{"advertiser_id", kUs}, {"identity_type", "TT_USER"}});
  ASSERT_EQ(tt["data"]["identity_list"].size(), 1u);
  EXPECT_EQ(tt["data"]["identity_list"][0]["identity_id"], kUsIdentity);
  EXPECT_EQ(tt["data"]["identity_list"][0]["available_status"], "AVAILABLE");
  EXPECT_EQ(Get("identity/get/", {{"advertiser_id", kUs}, {"identity_type", "BC_AUTH_TT"}})["code"],
            40002);  // needs identity_authorized_bc_id
  EXPECT_EQ(Get("identity/get/", {{"advertiser_id", kUs}, {"identity_type", "FAKE"}})["code"],
            40002);
  EXPECT_EQ(Get("identity/get/", {{"advertiser_id", kUs}, {"page_size", 101}})["code"], 40002);
}

TEST_F(MiscTest, PixelsPageUpToTwenty) {
  Json pixels = Get("pixel/list/", {{"advertiser_id", kUs}});
  ASSERT_EQ(pixels["code"], 0) << pixels.dump();
  EXPECT_EQ(pixels["data"]["pixels"][0]["pixel_code"], "CTESTPIXEL");
  EXPECT_EQ(pixels["data"]["page_info"]["page_size"], 10);
  EXPECT_EQ(Get("pixel/list/", {{"advertiser_id", kUs}, {"page_size", 21}})["code"], 40002);
}

TEST_F(MiscTest, RegionsForTargeting) {
  Json regions = Get("tool/region/", {{"advertiser_id", kKz},
                                      {"placements", {"PLACEMENT_TIKTOK"}},
                                      {"objective_type", "TRAFFIC"},
                                      {"level_range", "TO_COUNTRY"},
                                      {"language", "ru"}});
  ASSERT_EQ(regions["code"], 0) << regions.dump();
  bool found = false;
  for (const Json& region : regions["data"]["region_info"]) {
    EXPECT_EQ(region["level"], "COUNTRY");
    EXPECT_TRUE(region["location_id"].is_string());
    if (region["location_id"] == "1522867") {
      found = true;
      EXPECT_EQ(region["name"], "Казахстан");
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(Get("tool/region/", {{"advertiser_id", kKz}})["message"],
            "Missing required field(s): placements, objective_type.");
}

TEST_F(MiscTest, InstantPages) {
  Json pages = Get("page/get/", {{"advertiser_id", kKz}});
  ASSERT_EQ(pages["code"], 0) << pages.dump();
  ASSERT_EQ(pages["data"]["list"].size(), 1u);
  EXPECT_EQ(pages["data"]["list"][0]["page_id"], kKzPage);
  EXPECT_EQ(pages["data"]["list"][0]["status"], "PUBLISHED");
  EXPECT_EQ(pages["data"]["page_info"]["total_number"], 1);
  EXPECT_TRUE(
      Get("page/get/", {{"advertiser_id", kKz}, {"business_type", "STORE_FRONT"}})["data"]["list"]
          .empty());
  EXPECT_TRUE(Get("page/get/", {{"advertiser_id", kUs}})["data"]["list"].empty());
}

class LeadTest : public SandboxTest {
 protected:
  void Configure(SandboxOptions& options) override {
    options.config.backfill_days = 7;
    options.config.lead_task_seconds = 30;
    Json seed = *ParseJson(FixtureSeed());
    seed["leads"] = {{{"lead_id", "7600000000000000001"},
                      {"advertiser_id", kKz},
                      {"page_id", kKzPage},
                      {"create_time", "2025-03-09 10:00:00"},
                      {"fields", {{"name", "Aigerim"}, {"phone_number", "+77010000001"}}}}};
    options.seed_json = seed.dump();
  }
};

TEST_F(LeadTest, TaskThenCsvDownload) {
  // A lead-generation ad on the page, so synthetic leads appear too.
  Json campaign = Post("campaign/create/", {{"advertiser_id", kKz},
                                            {"campaign_name", "Leads"},
                                            {"objective_type", "LEAD_GENERATION"},
                                            {"budget_mode", "BUDGET_MODE_DAY"},
                                            {"budget", 20000}});
  Json body = AdGroupBody(kKz, campaign["data"]["campaign_id"], "Lead group", 20000);
  body["promotion_type"] = "LEAD_GENERATION";
  body["optimization_goal"] = "LEAD_GENERATION";
  body["billing_event"] = "OCPM";
  Json adgroup = Post("adgroup/create/", body);
  ASSERT_EQ(adgroup["code"], 0) << adgroup.dump();
  Json creative = CreativeFor(kKz, "Lead ad");
  creative.erase("landing_page_url");
  creative["page_id"] = kKzPage;
  ASSERT_EQ(Post("ad/create/", {{"advertiser_id", kKz},
                                {"adgroup_id", adgroup["data"]["adgroup_id"]},
                                {"creatives", {creative}}})["code"],
            0);

  Json task = Post("page/lead/task/", {{"advertiser_id", kKz}, {"page_id", kKzPage}});
  ASSERT_EQ(task["code"], 0) << task.dump();
  EXPECT_EQ(task["data"]["status"], "CREATED");
  std::string task_id = task["data"]["task_id"];
  Json poll = Post("page/lead/task/", {{"advertiser_id", kKz}, {"task_id", task_id}});
  EXPECT_EQ(poll["data"]["status"], "RUNNING");
  EXPECT_EQ(Get("page/lead/task/download/", {{"advertiser_id", kKz}, {"task_id", task_id}})["code"],
            40201);
  sandbox_.AdvanceClock(absl::Seconds(31));
  poll = Get("page/lead/task/", {{"advertiser_id", kKz}, {"task_id", task_id}});
  EXPECT_EQ(poll["data"]["status"], "SUCCEED");
  EXPECT_EQ(poll["data"]["file_type"], "csv");

  httplib::Result csv = RawGet("/open_api/v1.3/page/lead/task/download/",
                               {{"advertiser_id", kKz}, {"task_id", task_id}});
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->status, 200);
  EXPECT_NE(csv->get_header_value("Content-Type").find("text/csv"), std::string::npos);
  std::vector<std::string> lines = absl::StrSplit(csv->body, "\r\n", absl::SkipEmpty());
  ASSERT_GE(lines.size(), 3u) << csv->body;  // header, the seeded lead, synthetic leads
  EXPECT_TRUE(absl::StartsWith(lines[0], "lead_id,create_time,ad_id,ad_name,"));
  EXPECT_TRUE(absl::StrContains(csv->body, "7600000000000000001"));
  EXPECT_TRUE(absl::StrContains(csv->body, "Aigerim"));
  EXPECT_TRUE(absl::StrContains(csv->body, "Lead ad"));

  EXPECT_EQ(Post("page/lead/task/", {{"advertiser_id", kKz}})["code"], 40002);
  EXPECT_EQ(Post("page/lead/task/", {{"advertiser_id", kKz}, {"page_id", "7999"}})["code"], 40007);
}

}  // namespace
}  // namespace ttads::sandbox::testing
