// The launch workflows end to end: ttads-server (in process, over a real gRPC channel) uploads
// media fetched from a local HTTP server and builds campaigns, ad groups and ads at the TikTok
// sandbox over real HTTP, on SQLite and PostgreSQL; faults are injected at every step and each
// failed launch is retried with the same idempotency key.
#include <httplib.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/rpc_client.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "server/rpc_status.h"
#include "storage/creative_repository.h"
#include "storage/direction_repository.h"
#include "storage/execution_repository.h"
#include "test/integration/media_server.h"
#include "test/integration/server_sandbox_fixture.h"
#include "ttads/v1/action_service.pb.h"
#include "ttads/v1/campaign_builder_service.pb.h"

namespace ttads::server {
namespace {

constexpr char kKzAdvertiser[] = "7400000000000000001";
constexpr char kKzCampaign[] = "7800000000000000001";
constexpr char kKzPoolAdGroup[] = "7900000000000000001";  // DISABLE in the seed

using ::ttads::testing::MediaServer;

struct Counts {
  int64_t campaigns = 0, adgroups = 0, ads = 0, videos = 0;
};

class LaunchTest : public ::ttads::testing::ServerSandboxTest {
 protected:
  void SetUp() override {
    ServerSandboxTest::SetUp();
    if (server_ == nullptr) return;
    user_ = NewUser("alice");
    jwt_ = JwtFor(user_);
    Connect(jwt_, "", kKzAdvertiser);
    sandbox_.ClearRequestLog();
  }

  std::string NewDirection(const std::string& name, const std::string& objective = "traffic",
                           std::optional<std::string> campaign = std::nullopt,
                           std::optional<std::string> mode = std::nullopt,
                           const std::string& user = "") {
    storage::DirectionRepository directions(scratch_->database());
    storage::Direction row;
    row.user_account_id = user.empty() ? user_ : user;
    row.name = name;
    row.platform = "tiktok";
    row.objective = "instagram_traffic";
    row.tiktok_objective = objective;
    row.tiktok_daily_budget = 3000;
    row.tiktok_campaign_id = campaign;
    row.tiktok_adgroup_mode = mode;
    absl::StatusOr<storage::Direction> created = directions.Create(row, absl::Now());
    EXPECT_TRUE(created.ok()) << created.status();
    if (!created.ok()) return "";
    storage::AdSettings settings;
    settings.direction_id = created->id;
    settings.user_id = row.user_account_id;
    settings.site_url = "https://example.com/landing";
    settings.age_min = 25;
    settings.gender = "female";
    settings.cities_json = R"(["1522867", "not-a-tiktok-id"])";
    EXPECT_TRUE(directions.UpsertAdSettings(settings, absl::Now()).ok());
    return created->id;
  }
  std::string NewCreative(const std::string& direction_id, const std::string& name,
                          const std::string& user = "") {
    storage::CreativeRepository creatives(scratch_->database());
    storage::Creative row;
    row.user_id = user.empty() ? user_ : user;
    row.direction_id = direction_id.empty() ? std::nullopt : std::optional(direction_id);
    row.title = name;
    row.description = absl::StrCat("Ad text of ", name);
    row.status = "ready";
    row.media_url = media_.Url(name + ".mp4");
    row.thumbnail_url = media_.Url(name + ".png");
    absl::StatusOr<storage::Creative> created = creatives.Create(row, absl::Now());
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? created->id : "";
  }
  Counts SandboxCounts() {
    Counts counts;
    const nlohmann::json summary = sandbox_.StateSummary();
    for (const auto& advertiser : summary["advertisers"]) {
      if (advertiser["advertiser_id"].get<std::string>() != kKzAdvertiser) continue;
      counts.campaigns = advertiser["campaigns"].get<int64_t>();
      counts.adgroups = advertiser["adgroups"].get<int64_t>();
      counts.ads = advertiser["ads"].get<int64_t>();
      counts.videos = advertiser.value("videos", int64_t{0});
    }
    return counts;
  }
  template <typename Request, typename Response>
  absl::Status Call(const std::string& method, const Request& request, Response& response,
                    const std::string& token = "") {
    return Client(token.empty() ? jwt_ : token)
        .Call(absl::StrCat("CampaignBuilderService/", method), request, response);
  }
  v1::ManualLaunchRequest Manual(const std::string& direction_id,
                                 const std::vector<std::string>& creatives,
                                 const std::string& key) {
    v1::ManualLaunchRequest request;
    request.set_direction_id(direction_id);
    for (const std::string& id : creatives) request.add_creative_ids(id);
    request.set_idempotency_key(key);
    return request;
  }
  storage::Direction Direction(const std::string& id) {
    storage::DirectionRepository directions(scratch_->database());
    return *directions.Get(user_, id);
  }

  MediaServer media_;
  std::string user_;
  std::string jwt_;
};

TEST_P(LaunchTest, CreateNewBuildsCampaignAdGroupAndAdsAndRecordsThemOnce) {
  const std::string direction = NewDirection("Almaty leads");
  const std::string first = NewCreative(direction, "clip-a");
  const std::string second = NewCreative(direction, "clip-b");
  const Counts before = SandboxCounts();

  v1::ManualLaunchResponse response;
  const absl::Status status = Call("ManualLaunch", Manual(direction, {first, second}, "launch-1"), response);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_TRUE(response.success());
  EXPECT_EQ(response.mode(), "create_new");
  EXPECT_EQ(response.message(), "TikTok campaign created: 2 ad(s)");
  ASSERT_EQ(response.ads_size(), 2);
  EXPECT_FALSE(response.campaign_id().empty());
  EXPECT_EQ(response.adgroup_id(), response.tiktok_adgroup_id());
  EXPECT_EQ(response.ads(0).user_creative_id(), first);
  EXPECT_FALSE(response.mutation().operation_id().empty());

  const Counts after = SandboxCounts();
  EXPECT_EQ(after.campaigns, before.campaigns + 1);
  EXPECT_EQ(after.adgroups, before.adgroups + 1);
  EXPECT_EQ(after.ads, before.ads + 2);
  // ttads's records: the campaign on the direction, the video ids, the mappings.
  EXPECT_EQ(Direction(direction).tiktok_campaign_id.value_or(""), response.campaign_id());
  storage::CreativeRepository creatives(scratch_->database());
  EXPECT_EQ(creatives.Get(user_, first)->tiktok_video_id.value_or(""),
            response.ads(0).tiktok_video_id());
  for (const v1::LaunchedAd& ad : response.ads()) {
    absl::StatusOr<storage::AdCreativeMapping> mapping = creatives.GetMappingByAdId(ad.ad_id());
    ASSERT_TRUE(mapping.ok()) << mapping.status();
    EXPECT_EQ(mapping->user_creative_id, ad.user_creative_id());
    EXPECT_EQ(mapping->direction_id.value_or(""), direction);
    EXPECT_EQ(mapping->adset_id.value_or(""), response.tiktok_adgroup_id());
  }

  // The same call again answers the same launch and sends TikTok nothing.
  sandbox_.ClearRequestLog();
  v1::ManualLaunchResponse again;
  ASSERT_TRUE(Call("ManualLaunch", Manual(direction, {first, second}, "launch-1"), again).ok());
  EXPECT_TRUE(again.mutation().replayed());
  EXPECT_EQ(again.campaign_id(), response.campaign_id());
  EXPECT_EQ(again.ads_size(), 2);
  EXPECT_TRUE(sandbox_.RequestLog().empty());
  // The launch's steps can be read through the action API's execution view.
  v1::GetActionExecutionRequest get;
  get.set_execution_id(response.mutation().operation_id());
  v1::ActionExecution execution;
  ASSERT_TRUE(Client(jwt_).Call("ActionService/GetExecution", get, execution).ok());
  EXPECT_EQ(execution.status(), "success");
  EXPECT_EQ(execution.source(), "tiktok_campaign_builder");
  EXPECT_GE(execution.actions_size(), 7);  // 2 videos, 2 covers, campaign, ad group, ads
}

TEST_P(LaunchTest, CreateAdGroupModeAddsAnAdGroupToTheDirectionsCampaign) {
  const std::string direction = NewDirection("With campaign", "traffic", kKzCampaign);
  const std::string creative = NewCreative(direction, "clip-c");
  v1::ManualLaunchRequest request = Manual(direction, {creative}, "launch-adgroup");
  request.set_daily_budget(4000);
  v1::ManualLaunchResponse response;
  const absl::Status status = Call("ManualLaunch", request, response);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(response.mode(), "create_adgroup");
  EXPECT_EQ(response.campaign_id(), kKzCampaign);
  EXPECT_EQ(response.message(), "TikTok ad group created: 1 ad(s)");
  storage::DirectionRepository directions(scratch_->database());
  absl::StatusOr<std::vector<storage::TikTokAdGroup>> linked = directions.ListAdGroups(direction);
  ASSERT_TRUE(linked.ok());
  ASSERT_EQ(linked->size(), 1u);
  EXPECT_EQ((*linked)[0].tiktok_adgroup_id, response.tiktok_adgroup_id());
  EXPECT_EQ((*linked)[0].daily_budget.value_or(0), 4000);
}

TEST_P(LaunchTest, UseExistingEnablesAPoolAdGroupAndCountsItsAds) {
  const std::string direction = NewDirection("Pool", "traffic", kKzCampaign, "use_existing");
  storage::DirectionRepository directions(scratch_->database());
  storage::TikTokAdGroup slot;
  slot.direction_id = direction;
  slot.tiktok_adgroup_id = kKzPoolAdGroup;
  slot.adgroup_name = "Pool group";
  slot.status = "DISABLE";
  absl::StatusOr<storage::TikTokAdGroup> row = directions.AddAdGroup(slot, absl::Now());
  ASSERT_TRUE(row.ok());
  const std::string creative = NewCreative(direction, "clip-d");

  v1::ManualLaunchResponse response;
  const absl::Status status = Call("ManualLaunch", Manual(direction, {creative}, "pool-1"), response);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(response.mode(), "use_existing");
  EXPECT_EQ(response.adgroup_id(), row->id);  // the internal row, as on the old wire
  EXPECT_EQ(response.tiktok_adgroup_id(), kKzPoolAdGroup);
  EXPECT_EQ(response.ads(0).name(), "Pool group - Ad 1");
  absl::StatusOr<std::vector<storage::TikTokAdGroup>> pool = directions.ListAdGroups(direction);
  EXPECT_EQ((*pool)[0].status.value_or(""), "ENABLE");
  EXPECT_EQ((*pool)[0].ads_count, 1);

  // The pool is empty now: the next launch is refused before TikTok is called.
  sandbox_.ClearRequestLog();
  const std::string other = NewCreative(direction, "clip-e");
  v1::ManualLaunchResponse refused;
  const absl::Status empty = Call("ManualLaunch", Manual(direction, {other}, "pool-2"), refused);
  EXPECT_EQ(empty.code(), absl::StatusCode::kFailedPrecondition) << empty;
  EXPECT_NE(std::string(empty.message()).find("No available pre-created ad groups"),
            std::string::npos);
}

TEST_P(LaunchTest, AutoLaunchLaunchesEachDirectionAndSkipsThoseWithoutCreatives) {
  const std::string ready = NewDirection("Ready direction");
  for (int i = 0; i < 6; ++i) NewCreative(ready, absl::StrCat("auto-", i));
  const std::string empty = NewDirection("Empty direction");
  v1::AutoLaunchRequest request;
  request.set_idempotency_key("auto-1");
  v1::AutoLaunchResponse response;
  const absl::Status status = Call("AutoLaunch", request, response);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(response.message(), "Processed 2 TikTok direction(s)");
  ASSERT_EQ(response.results_size(), 2);
  for (const v1::DirectionLaunchResult& result : response.results()) {
    if (result.direction_id() == ready) {
      EXPECT_TRUE(result.success()) << result.error();
      EXPECT_EQ(result.ads_created(), 5);  // at most 5 creatives per direction
      EXPECT_EQ(result.mode(), "create_new");
    } else {
      EXPECT_EQ(result.direction_id(), empty);
      EXPECT_TRUE(result.skipped());
      EXPECT_EQ(result.reason(), "No ready creatives for this direction");
    }
  }
}

TEST_P(LaunchTest, ManualLaunchMultiCreatesOneCampaignAndAnAdGroupPerAdset) {
  const std::string direction = NewDirection("Multi");
  const std::string a = NewCreative(direction, "multi-a");
  const std::string b = NewCreative(direction, "multi-b");
  const Counts before = SandboxCounts();
  v1::ManualLaunchMultiRequest request;
  request.set_direction_id(direction);
  request.set_idempotency_key("multi-1");
  request.add_adsets()->add_creative_ids(a);
  v1::AdsetSpec* second = request.add_adsets();
  second->add_creative_ids(a);
  second->add_creative_ids(b);
  second->set_daily_budget(5000);
  v1::ManualLaunchMultiResponse response;
  const absl::Status status = Call("ManualLaunchMulti", request, response);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_TRUE(response.success());
  EXPECT_EQ(response.success_count(), 2);
  EXPECT_EQ(response.total_ads(), 3);
  EXPECT_EQ(response.message(), "TikTok: создано 2 адсетов, 3 объявлений");
  EXPECT_EQ(response.adsets(1).daily_budget(), 5000);
  const Counts after = SandboxCounts();
  EXPECT_EQ(after.campaigns, before.campaigns + 1);
  EXPECT_EQ(after.adgroups, before.adgroups + 2);
  EXPECT_EQ(after.ads, before.ads + 3);
  EXPECT_EQ(after.videos, before.videos + 2);  // creative a is uploaded once
  EXPECT_EQ(Direction(direction).tiktok_campaign_id.value_or(""), response.campaign_id());
}

TEST_P(LaunchTest, CreateCampaignHonoursAutoActivate) {
  const std::string creative = NewCreative("", "standalone");
  v1::CreateCampaignRequest request;
  request.set_campaign_name("Standalone");
  request.set_landing_page_url("https://example.com/standalone");
  request.add_creative_ids(creative);
  request.mutable_auto_activate()->set_value(false);
  v1::CreateCampaignResponse response;
  const absl::Status status = Call("CreateCampaign", request, response);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(response.objective(), "traffic");
  EXPECT_EQ(response.ads_count(), 1);
  EXPECT_EQ(response.message(),
            "TikTok Campaign \"Standalone\" created successfully with 1 ad(s) (status: DISABLED)");
  // No key given: ttads made one and reports it, so the call can be retried safely.
  EXPECT_FALSE(response.mutation().idempotency_key().empty());
  v1::CreateCampaignRequest retry = request;
  retry.set_idempotency_key(response.mutation().idempotency_key());
  v1::CreateCampaignResponse replayed;
  ASSERT_TRUE(Call("CreateCampaign", retry, replayed).ok());
  EXPECT_TRUE(replayed.mutation().replayed());
  EXPECT_EQ(replayed.campaign_id(), response.campaign_id());
}

TEST_P(LaunchTest, TheActionApiCreatesAnAdGroupInADirectionOnceHoweverOftenRetried) {
  const std::string direction = NewDirection("Action launch", "traffic", kKzCampaign);
  const std::string creative = NewCreative(direction, "action-clip");
  v1::DispatchRequest batch;
  batch.set_idempotency_key("action-launch-1");
  batch.set_source("test");
  batch.mutable_account();
  v1::Action* action = batch.add_actions();
  action->set_type("TikTok.Direction.CreateAdGroupWithCreatives");
  auto& params = *action->mutable_params()->mutable_fields();
  params["direction_id"].set_string_value(direction);
  params["user_creative_ids"].mutable_list_value()->add_values()->set_string_value(creative);
  params["daily_budget"].set_number_value(3500);
  params["adgroup_name"].set_string_value("From the action API");
  params["auto_activate"].set_bool_value(false);
  const Counts before = SandboxCounts();
  v1::DispatchResponse response;
  const absl::Status status = Client(jwt_).Call("ActionService/Dispatch", batch, response);
  ASSERT_TRUE(status.ok()) << status;
  ASSERT_EQ(response.status(), "success") << response.results(0).error();
  const auto& result = response.results(0).result().fields();
  EXPECT_EQ(result.at("mode").string_value(), "create_adgroup");
  EXPECT_EQ(result.at("campaign_id").string_value(), kKzCampaign);
  storage::DirectionRepository directions(scratch_->database());
  absl::StatusOr<std::vector<storage::TikTokAdGroup>> linked = directions.ListAdGroups(direction);
  ASSERT_EQ(linked->size(), 1u);
  EXPECT_EQ((*linked)[0].adgroup_name.value_or(""), "From the action API");
  EXPECT_EQ((*linked)[0].status.value_or(""), "DISABLE");
  v1::DispatchResponse again;
  ASSERT_TRUE(Client(jwt_).Call("ActionService/Dispatch", batch, again).ok());
  EXPECT_TRUE(again.duplicate());
  const Counts after = SandboxCounts();
  EXPECT_EQ(after.adgroups, before.adgroups + 1);
  EXPECT_EQ(after.ads, before.ads + 1);

  // A direction without a campaign cannot take an ad group: the action fails and says why.
  const std::string bare = NewDirection("No campaign");
  params["direction_id"].set_string_value(bare);
  batch.set_idempotency_key("action-launch-2");
  v1::DispatchResponse failed;
  ASSERT_TRUE(Client(jwt_).Call("ActionService/Dispatch", batch, failed).ok());
  EXPECT_EQ(failed.status(), "failed");
  EXPECT_NE(failed.results(0).error().find("no TikTok campaign"), std::string::npos)
      << failed.results(0).error();
}

TEST_P(LaunchTest, RefusesBadInputAndOtherTenantsObjectsBeforeTikTok) {
  const std::string direction = NewDirection("Mine");
  const std::string creative = NewCreative(direction, "mine");
  const std::string bob = NewUser("bob");
  const std::string bobs_direction = NewDirection("Bobs", "traffic", std::nullopt, std::nullopt, bob);
  const std::string bobs_creative = NewCreative(bobs_direction, "bobs", bob);
  sandbox_.ClearRequestLog();

  const auto code = [&](const v1::ManualLaunchRequest& request, const std::string& token = "") {
    v1::ManualLaunchResponse response;
    return Call("ManualLaunch", request, response, token).code();
  };
  v1::ManualLaunchRequest low = Manual(direction, {creative}, "bad-1");
  low.set_daily_budget(100);
  EXPECT_EQ(code(low), absl::StatusCode::kInvalidArgument);
  v1::ManualLaunchRequest objective = Manual(direction, {creative}, "bad-2");
  objective.set_objective("fame");
  EXPECT_EQ(code(objective), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(Manual(direction, {}, "bad-3")), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(Manual(bobs_direction, {creative}, "bad-4")), absl::StatusCode::kNotFound);
  EXPECT_EQ(code(Manual(direction, {bobs_creative}, "bad-5")), absl::StatusCode::kNotFound);
  v1::ManualLaunchRequest foreign = Manual(direction, {creative}, "bad-6");
  foreign.set_user_account_id(bob);
  EXPECT_EQ(code(foreign), absl::StatusCode::kPermissionDenied);
  // Only the read calls of the budget check reached TikTok.
  for (const auto& entry : sandbox_.RequestLog()) EXPECT_EQ(entry.method, "GET") << entry.path;
  // Nothing was recorded for the refused calls.
  storage::ExecutionRepository executions(scratch_->database());
  EXPECT_EQ(executions.FindByKey(user_, "bad-1").status().code(), absl::StatusCode::kNotFound);
}

TEST_P(LaunchTest, ValidateOnlyChecksEverythingAndCreatesNothing) {
  const std::string direction = NewDirection("Dry run");
  const std::string creative = NewCreative(direction, "dry");
  const Counts before = SandboxCounts();
  v1::ManualLaunchRequest request = Manual(direction, {creative}, "dry-1");
  request.set_validate_only(true);
  v1::ManualLaunchResponse response;
  ASSERT_TRUE(Call("ManualLaunch", request, response).ok());
  EXPECT_TRUE(response.mutation().validate_only());
  EXPECT_EQ(response.mode(), "create_new");
  const Counts after = SandboxCounts();
  EXPECT_EQ(after.campaigns, before.campaigns);
  EXPECT_EQ(after.videos, before.videos);
  EXPECT_EQ(media_.requests(), 0);
}

// One row of the fault matrix: a fault at one TikTok endpoint during the first attempt.
struct FaultCase {
  std::string name;
  std::string spec;
};

class LaunchFaultTest : public LaunchTest {};

TEST_P(LaunchFaultTest, EveryStepFailedOnceThenRetriedCreatesEachObjectExactlyOnce) {
  const std::vector<FaultCase> cases = {
      {"video upload rejected", "error:file/video/ad/upload/,code=40002,times=1"},
      {"cover upload dropped", "drop:file/image/ad/upload/,times=3"},
      {"campaign create 50000 forever", "error:campaign/create/,code=40002,times=1"},
      {"campaign created, answer lost", "drop:campaign/create/,after,times=4"},
      {"ad group create rejected", "error:adgroup/create/,code=40002,times=1"},
      {"ad group created, answer lost", "drop:adgroup/create/,after,times=4"},
      {"ads rejected", "error:ad/create/,code=40002,times=1"},
      {"ads created, answer lost", "drop:ad/create/,after,times=4"},
      {"ads created, answer too late", "timeout:ad/create/,ms=2500,times=3"},
      {"rate limited", "error:ad/create/,code=40100,times=2"},
  };
  int n = 0;
  int failed_first = 0;
  for (const FaultCase& fault : cases) {
    SCOPED_TRACE(fault.name);
    ++n;
    const std::string direction = NewDirection(absl::StrCat("Fault ", n));
    const std::string first = NewCreative(direction, absl::StrCat("fault-", n, "-a"));
    const std::string second = NewCreative(direction, absl::StrCat("fault-", n, "-b"));
    const Counts before = SandboxCounts();
    const std::string key = absl::StrCat("fault-key-", n);
    ASSERT_TRUE(sandbox_.AddFault(fault.spec).ok()) << fault.spec;
    v1::ManualLaunchResponse response;
    absl::Status status = Call("ManualLaunch", Manual(direction, {first, second}, key), response);
    sandbox_.ClearFaults();
    failed_first += status.ok() ? 0 : 1;
    for (int attempt = 0; !status.ok() && attempt < 3; ++attempt) {
      // The error says which launch and step to retry.
      EXPECT_NE(status.code(), absl::StatusCode::kInternal) << status;
      response.Clear();
      status = Call("ManualLaunch", Manual(direction, {first, second}, key), response);
    }
    ASSERT_TRUE(status.ok()) << status;
    ASSERT_EQ(response.ads_size(), 2);
    const Counts after = SandboxCounts();
    EXPECT_EQ(after.campaigns, before.campaigns + 1);
    EXPECT_EQ(after.adgroups, before.adgroups + 1);
    EXPECT_EQ(after.ads, before.ads + 2);
    EXPECT_EQ(Direction(direction).tiktok_campaign_id.value_or(""), response.campaign_id());
    storage::CreativeRepository creatives(scratch_->database());
    for (const v1::LaunchedAd& ad : response.ads()) {
      EXPECT_TRUE(creatives.GetMappingByAdId(ad.ad_id()).ok()) << ad.ad_id();
    }
  }
  // The rejected steps failed the first attempt (the client's own retries absorb the rest).
  EXPECT_GE(failed_first, 4);
}

TEST_P(LaunchFaultTest, AVideoStillTranscodingFailsTheLaunchAndARetryFinishesIt) {
  sandbox::SandboxConfig config = sandbox_.config();
  config.transcode_seconds = 3600;
  sandbox_.set_config(config);
  sandbox_.SetClock(sandbox_.Now(), /*freeze=*/true);
  const std::string direction = NewDirection("Transcoding");
  const std::string creative = NewCreative(direction, "slow-clip");
  const Counts before = SandboxCounts();
  v1::ManualLaunchResponse response;
  const absl::Status first = Call("ManualLaunch", Manual(direction, {creative}, "slow-1"), response);
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.code(), absl::StatusCode::kUnavailable) << first;  // retry later
  sandbox_.AdvanceClock(absl::Hours(2));
  const absl::Status second = Call("ManualLaunch", Manual(direction, {creative}, "slow-1"), response);
  ASSERT_TRUE(second.ok()) << second;
  const Counts after = SandboxCounts();
  EXPECT_EQ(after.campaigns, before.campaigns + 1);
  EXPECT_EQ(after.adgroups, before.adgroups + 1);
  EXPECT_EQ(after.ads, before.ads + 1);
  EXPECT_EQ(after.videos, before.videos + 1);  // the upload is not repeated
}

TEST_P(LaunchFaultTest, APoolAdGroupTikTokWouldNotEnableGoesBackToThePool) {
  const std::string direction = NewDirection("Pool faults", "traffic", kKzCampaign, "use_existing");
  storage::DirectionRepository directions(scratch_->database());
  storage::TikTokAdGroup slot;
  slot.direction_id = direction;
  slot.tiktok_adgroup_id = kKzPoolAdGroup;
  slot.adgroup_name = "Pool group";
  slot.status = "DISABLE";
  ASSERT_TRUE(directions.AddAdGroup(slot, absl::Now()).ok());
  const std::string creative = NewCreative(direction, "pool-fault");
  ASSERT_TRUE(sandbox_.AddFault("error:adgroup/status/update/,code=40002,times=1").ok());
  v1::ManualLaunchResponse response;
  EXPECT_FALSE(Call("ManualLaunch", Manual(direction, {creative}, "pool-fault-1"), response).ok());
  absl::StatusOr<std::vector<storage::TikTokAdGroup>> pool = directions.ListAdGroups(direction);
  EXPECT_EQ((*pool)[0].status.value_or(""), "DISABLE");  // released
  EXPECT_EQ((*pool)[0].ads_count, 0);
  const absl::Status retried =
      Call("ManualLaunch", Manual(direction, {creative}, "pool-fault-1"), response);
  ASSERT_TRUE(retried.ok()) << retried;
  pool = directions.ListAdGroups(direction);
  EXPECT_EQ((*pool)[0].status.value_or(""), "ENABLE");
  EXPECT_EQ((*pool)[0].ads_count, 1);
}

TEST_P(LaunchFaultTest, AutoLaunchRetryFinishesOnlyTheDirectionsThatFailed) {
  const std::string first = NewDirection("Auto one");
  NewCreative(first, "auto-one");
  const std::string second = NewDirection("Auto two");
  NewCreative(second, "auto-two");
  const Counts before = SandboxCounts();
  // The second campaign create is refused.
  ASSERT_TRUE(sandbox_.AddFault("error:campaign/create/,code=40002,skip=1,times=1").ok());
  v1::AutoLaunchRequest request;
  request.set_idempotency_key("auto-retry");
  v1::AutoLaunchResponse response;
  ASSERT_TRUE(Call("AutoLaunch", request, response).ok());
  int failed = 0;
  for (const auto& result : response.results()) failed += result.status() == "failed" ? 1 : 0;
  EXPECT_EQ(failed, 1) << response.DebugString();
  v1::AutoLaunchResponse retried;
  ASSERT_TRUE(Call("AutoLaunch", request, retried).ok());
  for (const auto& result : retried.results()) {
    EXPECT_TRUE(result.success()) << result.direction_name() << ": " << result.error();
  }
  const Counts after = SandboxCounts();
  EXPECT_EQ(after.campaigns, before.campaigns + 2);
  EXPECT_EQ(after.adgroups, before.adgroups + 2);
  EXPECT_EQ(after.ads, before.ads + 2);
  // Now finished: a third call replays.
  v1::AutoLaunchResponse replayed;
  ASSERT_TRUE(Call("AutoLaunch", request, replayed).ok());
  EXPECT_TRUE(replayed.mutation().replayed());
}

INSTANTIATE_TEST_SUITE_P(Backends, LaunchTest, ::ttads::testing::AllBackends(),
                         ::ttads::testing::BackendName);
INSTANTIATE_TEST_SUITE_P(Backends, LaunchFaultTest, ::ttads::testing::AllBackends(),
                         ::ttads::testing::BackendName);

}  // namespace
}  // namespace ttads::server
