// The sandbox's seed for the benchmarks: N advertisers shaped as issue #7 asks (3 campaigns,
// 10 ad groups, 30 ads each, running for weeks), each with an auth code of its own, plus one
// advertiser whose ad-level daily report fills a 1000-row page (figure 6).
#ifndef TTADS_TOOLS_BENCH_BENCH_SEED_H_
#define TTADS_TOOLS_BENCH_BENCH_SEED_H_

#include <string>

namespace ttads::bench {

inline constexpr char kAppId[] = "7300000000000000077";
inline constexpr char kAppSecret[] = "bench-app-secret";
// A token of the app that sees every seeded advertiser (figure 6 reads with it).
inline constexpr char kAccessToken[] = "bench-access-token";
inline constexpr int kCampaignsPerAdvertiser = 3;
inline constexpr int kAdGroupsPerAdvertiser = 10;
inline constexpr int kAdsPerAdGroup = 3;
// The report advertiser: one campaign, 4 ad groups of 9 ads, 36 ads x 30 days = 1080 rows.
inline constexpr int kReportAds = 36;

std::string AdvertiserId(int index);
std::string CampaignId(int advertiser, int campaign);
std::string AuthCode(int index);
// The report advertiser's id (index `advertisers`, after the batch's).
std::string ReportAdvertiserId(int advertisers);

// The seed document (JSON) for `advertisers` batch advertisers and the report advertiser.
std::string BenchSeed(int advertisers);

}  // namespace ttads::bench

#endif  // TTADS_TOOLS_BENCH_BENCH_SEED_H_
