#include "tools/bench/bench_seed.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"

namespace ttads::bench {
namespace {

using Json = nlohmann::json;

// 19-digit ids: a 3-digit kind, the advertiser's index (10 digits), a 6-digit serial.
std::string Id(int kind, int advertiser, int serial) {
  return absl::StrFormat("%03d%010d%06d", kind, advertiser, serial);
}

Json Advertiser(int index, const std::string& name) {
  return {{"advertiser_id", AdvertiserId(index)},
          {"name", name},
          {"company", "Bench LLP"},
          {"currency", "KZT"},
          {"timezone", "Asia/Almaty"},
          {"country", "KZ"},
          {"status", "STATUS_ENABLE"},
          {"created_days_ago", 400}};
}

Json Campaign(int advertiser, int campaign) {
  return {{"campaign_id", CampaignId(advertiser, campaign)},
          {"advertiser_id", AdvertiserId(advertiser)},
          {"campaign_name", absl::StrCat("Bench campaign ", campaign + 1)},
          {"objective_type", "TRAFFIC"},
          {"budget_mode", "BUDGET_MODE_INFINITE"},
          {"operation_status", "ENABLE"},
          {"created_days_ago", 40}};
}

Json AdGroup(int advertiser, int campaign, int group) {
  return {{"adgroup_id", Id(791, advertiser, group)},
          {"campaign_id", CampaignId(advertiser, campaign)},
          {"adgroup_name", absl::StrCat("Bench group ", group + 1)},
          {"operation_status", "ENABLE"},
          {"budget_mode", "BUDGET_MODE_DAY"},
          {"budget", 10000 + 1000 * group},
          {"optimization_goal", "CLICK"},
          {"billing_event", "CPC"},
          {"placement_type", "PLACEMENT_TYPE_NORMAL"},
          {"placements", Json::array({"PLACEMENT_TIKTOK"})},
          {"location_ids", Json::array({"1522867"})},
          {"promotion_type", "WEBSITE"},
          {"created_days_ago", 35}};
}

Json Ad(int advertiser, int group, int ad) {
  return {{"ad_id", Id(801, advertiser, ad)},
          {"adgroup_id", Id(791, advertiser, group)},
          {"ad_name", absl::StrCat("Bench ad ", ad + 1)},
          {"ad_text", "Bench"},
          {"call_to_action", "LEARN_MORE"},
          {"landing_page_url", "https://example.com/bench"},
          {"operation_status", "ENABLE"},
          {"created_days_ago", 35}};
}

}  // namespace

std::string AdvertiserId(int index) { return Id(741, index, 0); }
std::string CampaignId(int advertiser, int campaign) { return Id(781, advertiser, campaign); }
std::string AuthCode(int index) { return absl::StrCat("bench-auth-code-", index); }
std::string ReportAdvertiserId(int advertisers) { return AdvertiserId(advertisers); }

std::string BenchSeed(int advertisers) {
  Json seed = {{"metrics_seed", 7},
               {"apps", Json::array({{{"app_id", kAppId}, {"secret", kAppSecret}}})},
               {"advertisers", Json::array()},
               {"tokens", Json::array()},
               {"auth_codes", Json::array()},
               {"campaigns", Json::array()},
               {"adgroups", Json::array()},
               {"ads", Json::array()}};
  for (int a = 0; a < advertisers; ++a) {
    seed["advertisers"].push_back(Advertiser(a, absl::StrCat("Bench advertiser ", a)));
    seed["auth_codes"].push_back({{"auth_code", AuthCode(a)},
                                  {"app_id", kAppId},
                                  {"advertiser_ids", Json::array({AdvertiserId(a)})},
                                  {"expires_in_seconds", 7 * 24 * 3600}});
    for (int c = 0; c < kCampaignsPerAdvertiser; ++c) seed["campaigns"].push_back(Campaign(a, c));
    // Ad groups 0-3 in campaign 0, 4-6 in campaign 1, 7-9 in campaign 2.
    for (int g = 0; g < kAdGroupsPerAdvertiser; ++g) {
      const int campaign = g < 4 ? 0 : (g < 7 ? 1 : 2);
      seed["adgroups"].push_back(AdGroup(a, campaign, g));
      for (int k = 0; k < kAdsPerAdGroup; ++k) {
        seed["ads"].push_back(Ad(a, g, g * kAdsPerAdGroup + k));
      }
    }
  }
  const int report = advertisers;
  seed["advertisers"].push_back(Advertiser(report, "Bench report advertiser"));
  seed["campaigns"].push_back(Campaign(report, 0));
  for (int g = 0; g < 4; ++g) {
    seed["adgroups"].push_back(AdGroup(report, 0, g));
    for (int k = 0; k < kReportAds / 4; ++k) {
      seed["ads"].push_back(Ad(report, g, g * (kReportAds / 4) + k));
    }
  }
  // After the advertisers: a token sees every advertiser seeded before it.
  seed["tokens"].push_back({{"access_token", kAccessToken}, {"app_id", kAppId}});
  return seed.dump();
}

}  // namespace ttads::bench
