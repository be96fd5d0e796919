// AuditService's operation records end to end: action batches and launches run by ttads-server
// (in process, over a real gRPC channel) against the TikTok sandbox over real HTTP, read back
// through ListOperations / GetOperation, on SQLite and PostgreSQL.
#include <httplib.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/rpc_client.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "storage/creative_repository.h"
#include "storage/direction_repository.h"
#include "test/integration/media_server.h"
#include "test/integration/server_sandbox_fixture.h"
#include "ttads/v1/action_service.pb.h"
#include "ttads/v1/audit_service.pb.h"
#include "ttads/v1/campaign_builder_service.pb.h"

namespace ttads::server {
namespace {

constexpr char kKzAdvertiser[] = "7400000000000000001";
constexpr char kKzCampaign[] = "7800000000000000001";
constexpr char kKzAdGroup[] = "7900000000000000001";
constexpr char kUnknownAdGroup[] = "7999999999999999999";
constexpr char kDispatch[] = "ttads.v1.ActionService/Dispatch";
constexpr char kManualLaunch[] = "ttads.v1.CampaignBuilderService/ManualLaunch";

v1::Action MakeAction(const std::string& type, const std::string& key, const std::string& id) {
  v1::Action action;
  action.set_type(type);
  (*action.mutable_params()->mutable_fields())[key].set_string_value(id);
  return action;
}

using ::ttads::testing::MediaServer;

const v1::OperationStep* StepNamed(const v1::Operation& operation, const std::string& name) {
  for (const v1::OperationStep& step : operation.steps()) {
    if (step.name() == name) return &step;
  }
  return nullptr;
}

class OperationsTest : public ::ttads::testing::ServerSandboxTest {
 protected:
  void SetUp() override {
    ServerSandboxTest::SetUp();
    if (server_ == nullptr) return;
    user_ = NewUser("alice");
    jwt_ = JwtFor(user_);
    Connect(jwt_, "", kKzAdvertiser);
  }

  v1::DispatchResponse Dispatch(const std::string& key, std::vector<v1::Action> actions) {
    v1::DispatchRequest request;
    request.set_idempotency_key(key);
    request.set_source("test");
    request.mutable_account();
    for (v1::Action& action : actions) *request.add_actions() = std::move(action);
    v1::DispatchResponse response;
    const absl::Status status = Client(jwt_).Call("ActionService/Dispatch", request, response);
    EXPECT_TRUE(status.ok()) << status;
    return response;
  }
  absl::Status List(const v1::ListOperationsRequest& request, v1::ListOperationsResponse& response,
                    const std::string& token = "") {
    response.Clear();
    return Client(token.empty() ? jwt_ : token).Call("AuditService/ListOperations", request,
                                                     response);
  }
  absl::Status Get(const std::string& id, v1::Operation& response, const std::string& token = "") {
    v1::GetOperationRequest request;
    request.set_operation_id(id);
    response.Clear();
    return Client(token.empty() ? jwt_ : token).Call("AuditService/GetOperation", request,
                                                     response);
  }

  // A TikTok direction with a landing page and one creative, ready for ManualLaunch.
  std::pair<std::string, std::string> LaunchableDirection(const std::string& name) {
    storage::DirectionRepository directions(scratch_->database());
    storage::Direction row;
    row.user_account_id = user_;
    row.name = name;
    row.platform = "tiktok";
    row.objective = "instagram_traffic";
    row.tiktok_objective = "traffic";
    row.tiktok_daily_budget = 3000;
    absl::StatusOr<storage::Direction> direction = directions.Create(row, absl::Now());
    EXPECT_TRUE(direction.ok()) << direction.status();
    if (!direction.ok()) return {};
    storage::AdSettings settings;
    settings.direction_id = direction->id;
    settings.user_id = user_;
    settings.site_url = "https://example.com/landing";
    EXPECT_TRUE(directions.UpsertAdSettings(settings, absl::Now()).ok());
    storage::CreativeRepository creatives(scratch_->database());
    storage::Creative creative;
    creative.user_id = user_;
    creative.direction_id = direction->id;
    creative.title = name;
    creative.description = absl::StrCat("Ad text of ", name);
    creative.status = "ready";
    creative.media_url = media_.Url(name + ".mp4");
    creative.thumbnail_url = media_.Url(name + ".png");
    absl::StatusOr<storage::Creative> created = creatives.Create(creative, absl::Now());
    EXPECT_TRUE(created.ok()) << created.status();
    return {direction->id, created.ok() ? created->id : ""};
  }
  absl::Status Launch(const std::pair<std::string, std::string>& target, const std::string& key,
                      v1::ManualLaunchResponse& response) {
    v1::ManualLaunchRequest request;
    request.set_direction_id(target.first);
    request.add_creative_ids(target.second);
    request.set_idempotency_key(key);
    response.Clear();
    return Client(jwt_).Call("CampaignBuilderService/ManualLaunch", request, response);
  }

  MediaServer media_;
  std::string user_;
  std::string jwt_;
};

TEST_P(OperationsTest, ABatchIsAnOperationWithItsStep) {
  const v1::DispatchResponse dispatched =
      Dispatch("ops-batch-1", {MakeAction("TikTok.PauseAdGroup", "adgroup_id", kKzAdGroup)});
  ASSERT_TRUE(dispatched.executed());

  v1::ListOperationsResponse listed;
  ASSERT_TRUE(List({}, listed).ok());
  ASSERT_EQ(listed.operations_size(), 1);
  EXPECT_TRUE(listed.next_page_token().empty());
  const v1::Operation& operation = listed.operations(0);
  EXPECT_EQ(operation.id(), dispatched.executionid());
  EXPECT_EQ(operation.method(), kDispatch);
  EXPECT_EQ(operation.idempotency_key(), "ops-batch-1");
  EXPECT_EQ(operation.user_account_id(), user_);
  EXPECT_EQ(operation.account_id(), "");  // legacy credentials
  EXPECT_EQ(operation.status(), "succeeded");
  EXPECT_EQ(operation.actor(), absl::StrCat("user:", user_));
  EXPECT_TRUE(operation.error().empty());
  EXPECT_FALSE(operation.created_at().empty());
  EXPECT_FALSE(operation.updated_at().empty());
  EXPECT_FALSE(operation.finished_at().empty());
  // The result is what a replay answers.
  EXPECT_EQ(operation.result().fields().at("executionId").string_value(),
            dispatched.executionid());
  EXPECT_TRUE(operation.result().fields().at("duplicate").bool_value());
  ASSERT_EQ(operation.steps_size(), 1);
  const v1::OperationStep& step = operation.steps(0);
  EXPECT_EQ(step.index(), 0);
  EXPECT_EQ(step.name(), "action:TikTok.PauseAdGroup");
  EXPECT_EQ(step.status(), "done");
  EXPECT_EQ(step.object_type(), "adgroup");
  EXPECT_EQ(step.object_id(), kKzAdGroup);
  EXPECT_FALSE(step.tiktok_request_id().empty());
  EXPECT_TRUE(step.error().empty());
  EXPECT_EQ(step.attempts(), 1);
  EXPECT_FALSE(step.started_at().empty());
  EXPECT_FALSE(step.finished_at().empty());

  v1::Operation got;
  ASSERT_TRUE(Get(dispatched.executionid(), got).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(got, operation))
      << got.DebugString();
}

TEST_P(OperationsTest, AFailedBatchShowsTheFailedStepAndFiltersFindIt) {
  Dispatch("ops-ok", {MakeAction("TikTok.PauseAdGroup", "adgroup_id", kKzAdGroup)});
  const v1::DispatchResponse failed =
      Dispatch("ops-fail", {MakeAction("TikTok.PauseCampaign", "campaign_id", kKzCampaign),
                            MakeAction("TikTok.PauseAdGroup", "adgroup_id", kUnknownAdGroup),
                            MakeAction("TikTok.ResumeCampaign", "campaign_id", kKzCampaign)});
  ASSERT_EQ(failed.status(), "failed");

  v1::Operation operation;
  ASSERT_TRUE(Get(failed.executionid(), operation).ok());
  EXPECT_EQ(operation.status(), "failed");
  EXPECT_FALSE(operation.error().empty());
  EXPECT_FALSE(operation.has_result());
  EXPECT_FALSE(operation.finished_at().empty());
  ASSERT_EQ(operation.steps_size(), 3);
  EXPECT_EQ(operation.steps(0).status(), "done");
  EXPECT_EQ(operation.steps(0).object_type(), "campaign");
  const v1::OperationStep& bad = operation.steps(1);
  EXPECT_EQ(bad.name(), "action:TikTok.PauseAdGroup");
  EXPECT_EQ(bad.status(), "failed");
  EXPECT_EQ(bad.object_id(), kUnknownAdGroup);
  EXPECT_FALSE(bad.error().empty());
  EXPECT_NE(bad.tiktok_code(), 0);
  EXPECT_FALSE(bad.tiktok_request_id().empty());
  EXPECT_EQ(operation.steps(2).status(), "skipped");
  EXPECT_EQ(operation.steps(2).attempts(), 0);
  EXPECT_TRUE(operation.steps(2).started_at().empty());

  v1::ListOperationsRequest request;
  v1::ListOperationsResponse listed;
  request.set_idempotency_key("ops-fail");
  ASSERT_TRUE(List(request, listed).ok());
  ASSERT_EQ(listed.operations_size(), 1);
  EXPECT_EQ(listed.operations(0).id(), failed.executionid());

  request.Clear();
  request.set_status("failed");
  ASSERT_TRUE(List(request, listed).ok());
  ASSERT_EQ(listed.operations_size(), 1);
  EXPECT_EQ(listed.operations(0).id(), failed.executionid());
  request.set_status("succeeded");
  ASSERT_TRUE(List(request, listed).ok());
  ASSERT_EQ(listed.operations_size(), 1);
  EXPECT_EQ(listed.operations(0).idempotency_key(), "ops-ok");
  request.set_status("success");  // storage's word, not the contract's
  EXPECT_EQ(List(request, listed).code(), absl::StatusCode::kInvalidArgument);

  // Newest first, one per page.
  request.Clear();
  request.set_page_size(1);
  ASSERT_TRUE(List(request, listed).ok());
  ASSERT_EQ(listed.operations_size(), 1);
  EXPECT_EQ(listed.operations(0).idempotency_key(), "ops-fail");
  ASSERT_FALSE(listed.next_page_token().empty());
  request.set_page_token(listed.next_page_token());
  ASSERT_TRUE(List(request, listed).ok());
  ASSERT_EQ(listed.operations_size(), 1);
  EXPECT_EQ(listed.operations(0).idempotency_key(), "ops-ok");
  EXPECT_TRUE(listed.next_page_token().empty());

  request.Clear();
  request.set_method(kManualLaunch);
  ASSERT_TRUE(List(request, listed).ok());
  EXPECT_EQ(listed.operations_size(), 0);
  request.set_method(kDispatch);
  ASSERT_TRUE(List(request, listed).ok());
  EXPECT_EQ(listed.operations_size(), 2);
}

TEST_P(OperationsTest, AUserSeesOnlyOwnOperationsAndTheOperatorSeesAll) {
  const v1::DispatchResponse dispatched =
      Dispatch("ops-tenant", {MakeAction("TikTok.PauseAdGroup", "adgroup_id", kKzAdGroup)});
  const std::string bob_jwt = JwtFor(NewUser("bob"));

  v1::Operation operation;
  EXPECT_EQ(Get(dispatched.executionid(), operation, bob_jwt).code(),
            absl::StatusCode::kNotFound);
  v1::ListOperationsRequest request;
  v1::ListOperationsResponse listed;
  ASSERT_TRUE(List(request, listed, bob_jwt).ok());
  EXPECT_EQ(listed.operations_size(), 0);
  request.set_idempotency_key("ops-tenant");
  ASSERT_TRUE(List(request, listed, bob_jwt).ok());
  EXPECT_EQ(listed.operations_size(), 0);
  request.set_user_account_id(user_);
  EXPECT_EQ(List(request, listed, bob_jwt).code(), absl::StatusCode::kPermissionDenied);

  // The operator sees every user's operations, or one user's on request.
  ASSERT_TRUE(Get(dispatched.executionid(), operation, kAdmin).ok());
  EXPECT_EQ(operation.user_account_id(), user_);
  request.Clear();
  ASSERT_TRUE(List(request, listed, kAdmin).ok());
  ASSERT_EQ(listed.operations_size(), 1);
  request.set_user_account_id(user_);
  ASSERT_TRUE(List(request, listed, kAdmin).ok());
  EXPECT_EQ(listed.operations_size(), 1);

  EXPECT_EQ(Get("not-a-uuid", operation).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Get("00000000-0000-4000-8000-000000000000", operation).code(),
            absl::StatusCode::kNotFound);
}

TEST_P(OperationsTest, ALaunchListsItsStepsWithTheTikTokIdsItProduced) {
  const auto target = LaunchableDirection("ops-clip");
  v1::ManualLaunchResponse launched;
  const absl::Status status = Launch(target, "ops-launch-1", launched);
  ASSERT_TRUE(status.ok()) << status;
  ASSERT_EQ(launched.ads_size(), 1);

  v1::Operation operation;
  ASSERT_TRUE(Get(launched.mutation().operation_id(), operation).ok());
  EXPECT_EQ(operation.method(), kManualLaunch);
  EXPECT_EQ(operation.idempotency_key(), "ops-launch-1");
  EXPECT_EQ(operation.status(), "succeeded");
  EXPECT_EQ(operation.actor(), absl::StrCat("user:", user_));
  EXPECT_FALSE(operation.result().fields().empty());  // the stored answer
  std::vector<std::string> names;
  for (const v1::OperationStep& step : operation.steps()) {
    names.push_back(step.name());
    EXPECT_EQ(step.status(), "done") << step.name();
  }
  EXPECT_EQ(names, (std::vector<std::string>{"upload_video", "upload_image", "create_campaign",
                                             "create_adgroup", "create_ad"}));
  const v1::OperationStep* video = StepNamed(operation, "upload_video");
  ASSERT_NE(video, nullptr);
  EXPECT_EQ(video->object_type(), "video");
  EXPECT_EQ(video->object_id(), launched.ads(0).tiktok_video_id());
  const v1::OperationStep* image = StepNamed(operation, "upload_image");
  ASSERT_NE(image, nullptr);
  EXPECT_EQ(image->object_type(), "image");
  EXPECT_FALSE(image->object_id().empty());
  const v1::OperationStep* campaign = StepNamed(operation, "create_campaign");
  ASSERT_NE(campaign, nullptr);
  EXPECT_EQ(campaign->object_type(), "campaign");
  EXPECT_EQ(campaign->object_id(), launched.campaign_id());
  const v1::OperationStep* adgroup = StepNamed(operation, "create_adgroup");
  ASSERT_NE(adgroup, nullptr);
  EXPECT_EQ(adgroup->object_type(), "adgroup");
  EXPECT_EQ(adgroup->object_id(), launched.tiktok_adgroup_id());
  const v1::OperationStep* ad = StepNamed(operation, "create_ad");
  ASSERT_NE(ad, nullptr);
  EXPECT_EQ(ad->object_type(), "ad");
  EXPECT_EQ(ad->object_id(), launched.ads(0).ad_id());

  v1::ListOperationsRequest request;
  request.set_method(kManualLaunch);
  v1::ListOperationsResponse listed;
  ASSERT_TRUE(List(request, listed).ok());
  ASSERT_EQ(listed.operations_size(), 1);
  EXPECT_EQ(listed.operations(0).id(), operation.id());
}

TEST_P(OperationsTest, AFailedLaunchShowsTheStepTikTokRefusedUntilARetryFinishesIt) {
  const auto target = LaunchableDirection("ops-fault");
  ASSERT_TRUE(sandbox_.AddFault("error:adgroup/create/,code=40002,times=1").ok());
  v1::ManualLaunchResponse launched;
  ASSERT_FALSE(Launch(target, "ops-launch-fault", launched).ok());
  sandbox_.ClearFaults();

  v1::ListOperationsRequest request;
  request.set_idempotency_key("ops-launch-fault");
  v1::ListOperationsResponse listed;
  ASSERT_TRUE(List(request, listed).ok());
  ASSERT_EQ(listed.operations_size(), 1);
  const v1::Operation& operation = listed.operations(0);
  EXPECT_EQ(operation.method(), kManualLaunch);
  EXPECT_EQ(operation.status(), "failed");
  EXPECT_FALSE(operation.error().empty());
  EXPECT_FALSE(operation.has_result());
  const v1::OperationStep* campaign = StepNamed(operation, "create_campaign");
  ASSERT_NE(campaign, nullptr);
  EXPECT_EQ(campaign->status(), "done");
  EXPECT_FALSE(campaign->object_id().empty());
  const v1::OperationStep* adgroup = StepNamed(operation, "create_adgroup");
  ASSERT_NE(adgroup, nullptr);
  EXPECT_EQ(adgroup->status(), "failed");
  EXPECT_EQ(adgroup->tiktok_code(), 40002);
  EXPECT_FALSE(adgroup->error().empty());
  EXPECT_TRUE(adgroup->object_id().empty());
  EXPECT_EQ(StepNamed(operation, "create_ad"), nullptr);  // never reached

  // The retry resumes the same operation and finishes it.
  const absl::Status retried = Launch(target, "ops-launch-fault", launched);
  ASSERT_TRUE(retried.ok()) << retried;
  v1::Operation finished;
  ASSERT_TRUE(Get(operation.id(), finished).ok());
  EXPECT_EQ(finished.status(), "succeeded");
  EXPECT_TRUE(finished.error().empty());
  const v1::OperationStep* created = StepNamed(finished, "create_adgroup");
  ASSERT_NE(created, nullptr);
  EXPECT_EQ(created->status(), "done");
  EXPECT_EQ(created->object_id(), launched.tiktok_adgroup_id());
  EXPECT_TRUE(created->error().empty());
  ASSERT_NE(StepNamed(finished, "create_ad"), nullptr);
}

INSTANTIATE_TEST_SUITE_P(Backends, OperationsTest, ::ttads::testing::AllBackends(),
                         ::ttads::testing::BackendName);

}  // namespace
}  // namespace ttads::server
