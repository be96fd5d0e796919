// The action API end to end: ttads-server (in process, over a real gRPC channel) applies batches
// of TikTok actions at the TikTok sandbox over real HTTP, on SQLite and PostgreSQL.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "client/rpc_client.h"
#include "google/protobuf/struct.pb.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "server/idempotency.h"
#include "server/jwt.h"
#include "server/log.h"
#include "server/rpc_status.h"
#include "server/ttads_server.h"
#include "storage/audit_log_repository.h"
#include "storage/direction_repository.h"
#include "storage/execution_repository.h"
#include "storage/user_account_repository.h"
#include "test/integration/server_sandbox_fixture.h"
#include "test/test_database.h"
#include "tools/sandbox/sandbox_server.h"
#include "ttads/v1/account_service.pb.h"
#include "ttads/v1/action_service.pb.h"
#include "ttads/v1/admin_service.pb.h"

namespace ttads::server {
namespace {

using ::ttads::testing::ScratchDatabase;
using ::ttads::testing::TestBackend;

constexpr char kKzAdvertiser[] = "7400000000000000001";
constexpr char kUsAdvertiser[] = "7400000000000000002";
constexpr char kKzCampaign[] = "7800000000000000001";
constexpr char kKzAdGroup[] = "7900000000000000001";  // DISABLE, budget 2500
constexpr char kUsAdGroup[] = "7900000000000000002";

v1::Action MakeAction(const std::string& type, const std::string& key, const std::string& id) {
  v1::Action action;
  action.set_type(type);
  (*action.mutable_params()->mutable_fields())[key].set_string_value(id);
  return action;
}

v1::Action Budget(const std::string& adgroup_id, double budget) {
  v1::Action action = MakeAction("TikTok.UpdateAdGroupBudget", "adgroup_id", adgroup_id);
  (*action.mutable_params()->mutable_fields())["new_budget"].set_number_value(budget);
  return action;
}

std::string StructString(const google::protobuf::Struct& value, const std::string& key) {
  const auto found = value.fields().find(key);
  return found == value.fields().end() ? "" : found->second.string_value();
}

class ActionDispatchTest : public ::ttads::testing::ServerSandboxTest {
 protected:
  void SetUp() override {
    ServerSandboxTest::SetUp();
    if (server_ == nullptr) return;
    user_ = NewUser("alice");
    jwt_ = JwtFor(user_);
    Connect(jwt_, "", kKzAdvertiser);  // legacy credentials: the KZT advertiser
    sandbox_.ClearRequestLog();
  }

  v1::DispatchRequest Batch(const std::string& key, std::vector<v1::Action> actions) {
    v1::DispatchRequest request;
    request.set_idempotency_key(key);
    request.set_source("test");
    request.mutable_account();
    for (v1::Action& action : actions) *request.add_actions() = std::move(action);
    return request;
  }
  absl::Status Dispatch(const v1::DispatchRequest& request, v1::DispatchResponse& response,
                        const std::string& token = "") {
    return Client(token.empty() ? jwt_ : token).Call("ActionService/Dispatch", request, response);
  }
  // Mutating TikTok calls the sandbox received since the last ClearRequestLog.
  size_t MutationsSent() {
    size_t count = 0;
    for (const auto& entry : sandbox_.RequestLog()) {
      if (entry.method == "POST") ++count;
    }
    return count;
  }
  google::protobuf::Struct CampaignStatus(const std::string& key) {
    v1::DispatchResponse response;
    const absl::Status status =
        Dispatch(Batch(key, {MakeAction("TikTok.GetCampaignStatus", "campaign_id", kKzCampaign)}),
                 response);
    EXPECT_TRUE(status.ok()) << status;
    EXPECT_EQ(response.results_size(), 1);
    if (response.results_size() != 1) return {};
    const auto& data = response.results(0).result().fields().at("data").struct_value();
    return data.fields().at("list").list_value().values(0).struct_value();
  }

  std::string user_;
  std::string jwt_;
};

TEST_P(ActionDispatchTest, PauseResumeAndBudgetAreAppliedAtTikTokAndInTtadsRecords) {
  storage::DirectionRepository directions(scratch_->database());
  storage::Direction direction;
  direction.user_account_id = user_;
  direction.name = "KZ traffic";
  direction.platform = "tiktok";
  direction.objective = "instagram_traffic";
  direction.campaign_status = "ACTIVE";
  direction.tiktok_campaign_id = kKzCampaign;
  auto created = directions.Create(direction, absl::Now());
  ASSERT_TRUE(created.ok()) << created.status();
  storage::TikTokAdGroup link;
  link.direction_id = created->id;
  link.tiktok_adgroup_id = kKzAdGroup;
  link.status = "DISABLE";
  ASSERT_TRUE(directions.AddAdGroup(link, absl::Now()).ok());

  v1::DispatchResponse response;
  const absl::Status status =
      Dispatch(Batch("batch-apply-1",
                     {MakeAction("TikTok.PauseCampaign", "campaign_id", kKzCampaign),
                      MakeAction("TikTok.ResumeAdGroup", "adgroup_id", kKzAdGroup),
                      Budget(kKzAdGroup, 3000)}),
               response);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_TRUE(response.executed());
  EXPECT_FALSE(response.duplicate());
  EXPECT_EQ(response.status(), "success");
  EXPECT_EQ(response.actionscount(), 3);
  EXPECT_EQ(response.step(), -1);
  ASSERT_EQ(response.results_size(), 3);
  for (const v1::ActionResult& result : response.results()) {
    EXPECT_EQ(result.status(), "success") << result.error();
    EXPECT_FALSE(result.tiktok_request_id().empty());
    EXPECT_EQ(result.result().fields().at("code").number_value(), 0);
  }
  EXPECT_EQ(response.mutation().operation_id(), response.executionid());
  // What TikTok received.
  const auto updates = sandbox_.RequestLog("campaign/status/update/");
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(updates[0].body["operation_status"], "DISABLE");
  const auto budget = sandbox_.RequestLog("adgroup/update/");
  ASSERT_EQ(budget.size(), 1u);
  EXPECT_EQ(budget[0].body["budget"], 3000);
  // What TikTok now holds.
  EXPECT_EQ(StructString(CampaignStatus("read-status-1"), "operation_status"), "DISABLE");
  // Every applied change is audited with TikTok's request id; the budget with before -> after.
  storage::AuditLogRepository audit(scratch_->database());
  auto entries = audit.ListForUser(user_, {"", 50});
  ASSERT_TRUE(entries.ok()) << entries.status();
  int audited = 0;
  for (const storage::AuditEntry& entry : entries->items) {
    if (entry.action.rfind("TikTok.", 0) != 0) continue;
    ++audited;
    EXPECT_EQ(entry.outcome, "OK");
    ASSERT_TRUE(entry.details_json.has_value());
    const nlohmann::json details = nlohmann::json::parse(*entry.details_json);
    EXPECT_FALSE(details.value("tiktok_request_id", "").empty()) << *entry.details_json;
    if (entry.action == "TikTok.UpdateAdGroupBudget") {
      EXPECT_EQ(details.value("before", ""), "2500") << *entry.details_json;
      EXPECT_EQ(details.value("after", ""), "3000");
    }
  }
  EXPECT_EQ(audited, 3);
  // ttads's own records follow.
  EXPECT_EQ(directions.Get(user_, created->id)->campaign_status, "PAUSED");
  EXPECT_EQ(directions.ListAdGroups(created->id)->front().status, "ENABLE");

  ASSERT_TRUE(Dispatch(Batch("batch-apply-2",
                             {MakeAction("TikTok.ResumeCampaign", "campaign_id", kKzCampaign)}),
                       response)
                  .ok());
  EXPECT_TRUE(response.executed());
  EXPECT_EQ(StructString(CampaignStatus("read-status-2"), "operation_status"), "ENABLE");
  EXPECT_EQ(directions.Get(user_, created->id)->campaign_status, "ACTIVE");

  // The execution is stored with its actions.
  v1::GetActionExecutionRequest get;
  get.set_execution_id(response.executionid());
  v1::ActionExecution execution;
  ASSERT_TRUE(Client(jwt_).Call("ActionService/GetExecution", get, execution).ok());
  EXPECT_EQ(execution.status(), "success");
  EXPECT_EQ(execution.ad_account_id(), kKzAdvertiser);
  EXPECT_EQ(execution.source(), "test");
  EXPECT_EQ(execution.actor(), absl::StrCat("user:", user_));
  ASSERT_EQ(execution.actions_size(), 1);
  EXPECT_EQ(execution.actions(0).status(), "success");
  EXPECT_EQ(StructString(execution.actions(0).params(), "campaign_id"), kKzCampaign);

  v1::ListActionExecutionsRequest list;
  v1::ListActionExecutionsResponse listed;
  ASSERT_TRUE(Client(jwt_).Call("ActionService/ListExecutions", list, listed).ok());
  ASSERT_EQ(listed.executions_size(), 4);  // two batches and two reads, newest first
  EXPECT_EQ(listed.executions(1).id(), execution.id());
}

TEST_P(ActionDispatchTest, ABudgetBelowTheCurrencyMinimumIsRefusedBeforeTikTok) {
  v1::DispatchResponse response;
  const absl::Status status = Dispatch(
      Batch("batch-budget-low",
            {MakeAction("TikTok.PauseCampaign", "campaign_id", kKzCampaign), Budget(kKzAdGroup, 2000)}),
      response);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  const auto violations = FieldViolationsOf(status);
  ASSERT_EQ(violations.size(), 1u) << status;
  EXPECT_EQ(violations[0].field, "actions[1].params.new_budget");
  EXPECT_NE(violations[0].description.find("2500"), std::string::npos);
  EXPECT_TRUE(sandbox_.RequestLog("adgroup/update/").empty());
  EXPECT_EQ(MutationsSent(), 0u);

  // The minimum follows the advertiser's currency: USD 20 for the US ad account.
  storage::UserAccountRepository users(scratch_->database());
  storage::UserAccountPatch multi;
  multi.multi_account_enabled = true;
  ASSERT_TRUE(users.Update(user_, multi, absl::Now()).ok());
  v1::CreateAdAccountRequest create;
  create.set_name("US");
  v1::CreateAdAccountResponse us;
  ASSERT_TRUE(Client(jwt_).Call("AccountService/CreateAdAccount", create, us).ok());
  Connect(jwt_, us.account().account_id(), kUsAdvertiser);
  v1::DispatchRequest request = Batch("batch-budget-us", {Budget(kUsAdGroup, 10)});
  request.mutable_account()->set_account_id(us.account().account_id());
  EXPECT_EQ(Dispatch(request, response).code(), absl::StatusCode::kInvalidArgument);
  request = Batch("batch-budget-us-2", {Budget(kUsAdGroup, 25)});
  request.mutable_account()->set_account_id(us.account().account_id());
  const absl::Status applied = Dispatch(request, response);
  ASSERT_TRUE(applied.ok()) << applied;
  EXPECT_TRUE(response.executed());
  EXPECT_EQ(sandbox_.RequestLog("adgroup/update/").size(), 1u);
}

TEST_P(ActionDispatchTest, ARetryWithTheSameKeyReturnsTheFirstResultAndSendsNothing) {
  const v1::DispatchRequest request =
      Batch("batch-retry-1", {MakeAction("TikTok.PauseCampaign", "campaign_id", kKzCampaign)});
  v1::DispatchResponse first;
  ASSERT_TRUE(Dispatch(request, first).ok());
  ASSERT_TRUE(first.executed());
  sandbox_.ClearRequestLog();
  v1::DispatchResponse second;
  ASSERT_TRUE(Dispatch(request, second).ok());
  EXPECT_TRUE(second.duplicate());
  EXPECT_TRUE(second.mutation().replayed());
  EXPECT_EQ(second.executionid(), first.executionid());
  EXPECT_TRUE(second.executed());
  EXPECT_EQ(second.results(0).tiktok_request_id(), first.results(0).tiktok_request_id());
  EXPECT_TRUE(sandbox_.RequestLog().empty());

  // The same key with another batch is refused.
  v1::DispatchResponse other;
  EXPECT_EQ(Dispatch(Batch("batch-retry-1",
                           {MakeAction("TikTok.ResumeCampaign", "campaign_id", kKzCampaign)}),
                     other)
                .code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_TRUE(sandbox_.RequestLog().empty());
}

TEST_P(ActionDispatchTest, ARunLeftRunningByADeadServerIsResumed) {
  // A run whose server died after applying action 0: still `running`, its lease long expired.
  v1::DispatchRequest request =
      Batch("batch-resume-1", {MakeAction("TikTok.PauseCampaign", "campaign_id", kKzCampaign),
                               MakeAction("TikTok.ResumeAdGroup", "adgroup_id", kKzAdGroup)});
  v1::DispatchRequest fingerprinted = request;
  fingerprinted.clear_source();
  storage::ExecutionRepository executions(scratch_->database());
  storage::ExecutionRow row;
  row.user_account_id = user_;
  row.ad_account_id = kKzAdvertiser;
  row.idempotency_key = "batch-resume-1";
  row.source = "test";
  row.request_json = absl::StrCat(R"({"hash":")", RequestFingerprint(fingerprinted), R"("})");
  std::vector<storage::ActionRow> actions(2);
  actions[0].type = "TikTok.PauseCampaign";
  actions[0].params_json = absl::StrCat(R"({"campaign_id":")", kKzCampaign, R"("})");
  actions[1].action_idx = 1;
  actions[1].type = "TikTok.ResumeAdGroup";
  actions[1].params_json = absl::StrCat(R"({"adgroup_id":")", kKzAdGroup, R"("})");
  auto claim = executions.CreateOrGet(row, actions, absl::Now() - absl::Hours(1));
  ASSERT_TRUE(claim.ok()) << claim.status();
  ASSERT_TRUE(executions.StartAction(claim->execution.id, 0, absl::Now() - absl::Hours(1)).ok());
  ASSERT_TRUE(executions.FinishAction(claim->execution.id, 0, "success", R"({"code":0})", "",
                                      absl::Now() - absl::Hours(1))
                  .ok());

  v1::DispatchResponse response;
  const absl::Status status = Dispatch(request, response);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(response.executionid(), claim->execution.id);
  EXPECT_TRUE(response.duplicate());
  EXPECT_TRUE(response.executed());
  EXPECT_EQ(response.status(), "success");
  // Only the action not known to be applied was sent.
  EXPECT_TRUE(sandbox_.RequestLog("campaign/status/update/").empty());
  EXPECT_EQ(sandbox_.RequestLog("adgroup/status/update/").size(), 1u);
}

TEST_P(ActionDispatchTest, AFailingActionStopsTheBatchAndTheAnswerSaysWhatWasApplied) {
  v1::DispatchResponse response;
  const absl::Status status =
      Dispatch(Batch("batch-fail-1",
                     {MakeAction("TikTok.PauseCampaign", "campaign_id", kKzCampaign),
                      MakeAction("TikTok.PauseAdGroup", "adgroup_id", "7999999999999999999"),
                      MakeAction("TikTok.ResumeCampaign", "campaign_id", kKzCampaign)}),
               response);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_FALSE(response.executed());
  EXPECT_EQ(response.status(), "failed");
  EXPECT_EQ(response.error(), "action_failed");
  EXPECT_EQ(response.step(), 1);
  EXPECT_FALSE(response.message().empty());
  ASSERT_EQ(response.results_size(), 3);
  EXPECT_EQ(response.results(0).status(), "success");
  EXPECT_EQ(response.results(1).status(), "failed");
  EXPECT_FALSE(response.results(1).error().empty());
  EXPECT_NE(response.results(1).tiktok_code(), 0);
  EXPECT_EQ(response.results(2).status(), "skipped");
  EXPECT_EQ(sandbox_.RequestLog("campaign/status/update/").size(), 1u);  // not the resume

  v1::GetActionExecutionRequest get;
  get.set_execution_id(response.executionid());
  v1::ActionExecution execution;
  ASSERT_TRUE(Client(jwt_).Call("ActionService/GetExecution", get, execution).ok());
  EXPECT_EQ(execution.status(), "failed");
  EXPECT_EQ(execution.error_step(), 1);
  EXPECT_EQ(execution.error(), response.message());
}

TEST_P(ActionDispatchTest, ARejectedTokenMarksTheAccountForReauthorisation) {
  ASSERT_TRUE(sandbox_.AddFault("error:campaign/status/update/,code=40105,once").ok());
  v1::DispatchResponse response;
  const absl::Status status = Dispatch(
      Batch("batch-reauth-1", {MakeAction("TikTok.PauseCampaign", "campaign_id", kKzCampaign)}),
      response);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  google::rpc::ErrorInfo info;
  const auto payload = status.GetPayload("type.googleapis.com/google.rpc.ErrorInfo");
  ASSERT_TRUE(payload.has_value()) << status;
  ASSERT_TRUE(info.ParseFromString(std::string(*payload)));
  EXPECT_EQ(info.reason(), "NEEDS_REAUTH");
  storage::UserAccountRepository users(scratch_->database());
  EXPECT_TRUE(users.Get(user_)->tiktok_needs_reauth);
  // Later batches are refused with that reason without reaching TikTok.
  sandbox_.ClearRequestLog();
  EXPECT_EQ(Dispatch(Batch("batch-reauth-2",
                           {MakeAction("TikTok.PauseCampaign", "campaign_id", kKzCampaign)}),
                     response)
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(sandbox_.RequestLog().empty());
}

TEST_P(ActionDispatchTest, AnotherTenantsExecutionsAreInvisible) {
  v1::DispatchResponse response;
  ASSERT_TRUE(Dispatch(Batch("batch-tenant-1",
                             {MakeAction("TikTok.PauseCampaign", "campaign_id", kKzCampaign)}),
                       response)
                  .ok());
  const std::string bob = NewUser("bob");
  const std::string bob_jwt = JwtFor(bob);
  v1::GetActionExecutionRequest get;
  get.set_execution_id(response.executionid());
  v1::ActionExecution execution;
  EXPECT_EQ(Client(bob_jwt).Call("ActionService/GetExecution", get, execution).code(),
            absl::StatusCode::kNotFound);
  v1::ListActionExecutionsRequest list;
  v1::ListActionExecutionsResponse listed;
  ASSERT_TRUE(Client(bob_jwt).Call("ActionService/ListExecutions", list, listed).ok());
  EXPECT_EQ(listed.executions_size(), 0);
  list.set_user_account_id(user_);
  EXPECT_EQ(Client(bob_jwt).Call("ActionService/ListExecutions", list, listed).code(),
            absl::StatusCode::kPermissionDenied);
  // Bob cannot act with Alice's credentials.
  v1::DispatchRequest request =
      Batch("batch-tenant-2", {MakeAction("TikTok.PauseCampaign", "campaign_id", kKzCampaign)});
  request.mutable_account()->set_user_account_id(user_);
  EXPECT_EQ(Dispatch(request, response, bob_jwt).code(), absl::StatusCode::kPermissionDenied);
  // Bob has no TikTok credentials of his own.
  request.mutable_account()->clear_user_account_id();
  const absl::Status missing = Dispatch(request, response, bob_jwt);
  EXPECT_EQ(missing.code(), absl::StatusCode::kFailedPrecondition) << missing;
  // The operator sees Alice's execution.
  EXPECT_TRUE(Client(kAdmin).Call("ActionService/GetExecution", get, execution).ok());
}

TEST_P(ActionDispatchTest, BadInputIsRefusedBeforeTikTok) {
  v1::DispatchResponse response;
  v1::Action unknown_key = MakeAction("TikTok.PauseCampaign", "campaign_id", kKzCampaign);
  (*unknown_key.mutable_params()->mutable_fields())["colour"].set_string_value("red");
  absl::Status status = Dispatch(
      Batch("batch-bad-1", {MakeAction("TikTok.PauseAd", "ad_id", "8000000000000000001"),
                            unknown_key}),
      response);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(FieldViolationsOf(status).size(), 1u) << status;
  EXPECT_EQ(FieldViolationsOf(status)[0].field, "actions[1].params.colour");

  v1::Action numeric;
  numeric.set_type("TikTok.PauseCampaign");
  (*numeric.mutable_params()->mutable_fields())["campaign_id"].set_number_value(7800000000000000001.0);
  status = Dispatch(Batch("batch-bad-2", {numeric}), response);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolationsOf(status)[0].field, "actions[0].params.campaign_id");

  status = Dispatch(Batch("batch-bad-3", {MakeAction("TikTok.Explode", "campaign_id", "1")}),
                    response);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolationsOf(status)[0].field, "actions[0].type");

  status = Dispatch(Batch("batch-bad-4", {MakeAction("TikTok.PauseCampaign", "campaign_id", "1"),
                                          MakeAction("PauseAdset", "adset_id", "1")}),
                    response);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(status.message()).find("Do not mix"), std::string::npos);

  EXPECT_EQ(Dispatch(Batch("abc", {MakeAction("TikTok.PauseCampaign", "campaign_id", "1")}),
                     response)
                .code(),
            absl::StatusCode::kInvalidArgument);  // key shorter than 5

  // An empty batch: the old answer.
  ASSERT_TRUE(Dispatch(Batch("batch-empty", {}), response).ok());
  EXPECT_EQ(response.executionid(), "no-actions-needed");
  EXPECT_FALSE(response.executed());
  EXPECT_EQ(response.actionscount(), 0);
  EXPECT_TRUE(sandbox_.RequestLog().empty());

  // The launch workflow action is validated; an unknown direction fails the action, and no
  // TikTok mutation is sent.
  v1::Action launch;
  launch.set_type("TikTok.Direction.CreateAdGroupWithCreatives");
  (*launch.mutable_params()->mutable_fields())["direction_id"].set_string_value("nope");
  status = Dispatch(Batch("batch-launch-1", {launch}), response);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  (*launch.mutable_params()->mutable_fields())["direction_id"].set_string_value(
      "5b4f8f3e-3d59-4d1e-9a34-2d6f0f4a9c11");
  (*launch.mutable_params()->mutable_fields())["user_creative_ids"]
      .mutable_list_value()
      ->add_values()
      ->set_string_value("6b4f8f3e-3d59-4d1e-9a34-2d6f0f4a9c11");
  status = Dispatch(Batch("batch-launch-2", {launch}), response);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(response.status(), "failed");
  EXPECT_NE(response.results(0).error().find("Direction not found"), std::string::npos);
  for (const auto& entry : sandbox_.RequestLog()) EXPECT_EQ(entry.method, "GET") << entry.path;
}

TEST_P(ActionDispatchTest, ValidateOnlyChecksEverythingAndChangesNothing) {
  v1::DispatchRequest request =
      Batch("batch-dry-1", {MakeAction("TikTok.PauseCampaign", "campaign_id", kKzCampaign),
                            MakeAction("TikTok.PauseAdGroup", "adgroup_id", kKzAdGroup)});
  request.set_validate_only(true);
  v1::DispatchResponse response;
  ASSERT_TRUE(Dispatch(request, response).ok());
  EXPECT_EQ(response.executionid(), "dry-run");
  EXPECT_TRUE(response.dryrun());
  EXPECT_TRUE(response.executed());
  ASSERT_EQ(response.validations_size(), 2);
  EXPECT_TRUE(response.validations(0).valid());
  EXPECT_TRUE(sandbox_.RequestLog().empty());

  // The budget minimum is checked too (reading the currency only).
  request = Batch("batch-dry-2", {Budget(kKzAdGroup, 100),
                                  MakeAction("TikTok.PauseCampaign", "campaign_id", "12x")});
  request.set_validate_only(true);
  response.Clear();
  ASSERT_TRUE(Dispatch(request, response).ok());
  EXPECT_FALSE(response.executed());
  ASSERT_EQ(response.validations_size(), 2);
  EXPECT_FALSE(response.validations(0).valid());
  EXPECT_FALSE(response.validations(1).valid());
  EXPECT_EQ(MutationsSent(), 0u);

  // Nothing was recorded: the same key still runs for real afterwards.
  request = Batch("batch-dry-1", {MakeAction("TikTok.PauseCampaign", "campaign_id", kKzCampaign),
                                  MakeAction("TikTok.PauseAdGroup", "adgroup_id", kKzAdGroup)});
  ASSERT_TRUE(Dispatch(request, response).ok());
  EXPECT_FALSE(response.duplicate());
  EXPECT_TRUE(response.executed());
}

INSTANTIATE_TEST_SUITE_P(Backends, ActionDispatchTest, ::ttads::testing::AllBackends(),
                         ::ttads::testing::BackendName);

}  // namespace
}  // namespace ttads::server
