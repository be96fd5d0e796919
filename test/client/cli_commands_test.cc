// The operator CLI's command table: arguments → request fields (the short flags, the common
// ones, the positional argument, --adset) and the tables answers are shown as.
#include "client/cli_commands.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "client/rpc_client.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "ttads/v1/account_service.pb.h"
#include "ttads/v1/brain_service.pb.h"
#include "ttads/v1/campaign_builder_service.pb.h"

namespace ttads::client {
namespace {

const CliCommand& Command(const std::string& noun, const std::string& verb) {
  const CliCommand* command = FindCliCommand(noun, verb);
  EXPECT_NE(command, nullptr) << noun << " " << verb;
  static const CliCommand kNone;
  return command == nullptr ? kNone : *command;
}

template <typename Request>
Request Fill(const std::string& noun, const std::string& verb,
             const std::vector<std::string>& args) {
  Request request;
  const absl::Status status = FillRequest(Command(noun, verb), args, request);
  EXPECT_TRUE(status.ok()) << status;
  return request;
}

template <typename Response>
Response FromJson(const std::string& json) {
  Response response;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &response).ok()) << json;
  return response;
}

// Every row names a real method; its positional field, flags and table paths are fields of
// that method's messages.
TEST(CliCommandsTest, EveryRowMatchesTheContract) {
  for (const CliCommand& command : CliCommands()) {
    SCOPED_TRACE(command.noun + " " + command.verb);
    auto method = RpcClient::FindMethod(command.method);
    ASSERT_TRUE(method.ok()) << method.status();
    const google::protobuf::Descriptor& input = *(*method)->input_type();
    if (!command.positional_field.empty()) {
      EXPECT_NE(input.FindFieldByName(command.positional_field), nullptr);
    }
    for (const CliFlag& flag : command.flags) {
      // A dotted path walks into messages (--dispatch → inputs.dispatch).
      const google::protobuf::Descriptor* type = &input;
      const google::protobuf::FieldDescriptor* field = nullptr;
      for (absl::string_view part : absl::StrSplit(flag.field, '.')) {
        field = type == nullptr ? nullptr : type->FindFieldByName(std::string(part));
        if (field == nullptr) break;
        type = field->message_type();
      }
      EXPECT_NE(field, nullptr) << "--" << flag.name;
    }
    for (const auto& [field, value] : command.presets) {
      EXPECT_NE(input.FindFieldByName(field), nullptr) << field;
    }
    EXPECT_EQ(FindCliCommand(command.noun, command.verb), &command) << "duplicate row";
  }
  for (const char* noun : {"launch", "campaigns", "creatives", "advertiser", "brain", "batch"}) {
    bool any = false;
    for (const CliCommand& command : CliCommands()) any = any || command.noun == noun;
    EXPECT_TRUE(any) << noun;
  }
}

TEST(CliCommandsTest, LaunchManualFlags) {
  const auto request = Fill<v1::ManualLaunchRequest>(
      "launch", "manual",
      {"--direction", "d-1", "--creative", "c-1", "--creative=c-2", "--budget", "5000",
       "--objective", "traffic", "--key", "k-1", "--dry-run", "--user", "u-1", "--account",
       "a-1"});
  EXPECT_EQ(request.direction_id(), "d-1");
  ASSERT_EQ(request.creative_ids_size(), 2);
  EXPECT_EQ(request.creative_ids(0), "c-1");
  EXPECT_EQ(request.creative_ids(1), "c-2");
  EXPECT_EQ(request.daily_budget(), 5000);
  EXPECT_EQ(request.objective(), "traffic");
  EXPECT_EQ(request.idempotency_key(), "k-1");
  EXPECT_TRUE(request.validate_only());
  EXPECT_EQ(request.user_account_id(), "u-1");
  EXPECT_EQ(request.account_id(), "a-1");
  // The field names still work, and a comma list adds several creatives.
  const auto long_form = Fill<v1::ManualLaunchRequest>(
      "launch", "manual", {"--direction-id=d-2", "--creative-ids=c-1,c-2", "--daily-budget=3000"});
  EXPECT_EQ(long_form.direction_id(), "d-2");
  EXPECT_EQ(long_form.creative_ids_size(), 2);
  EXPECT_EQ(long_form.daily_budget(), 3000);
}

TEST(CliCommandsTest, LaunchAutoTakesSeveralDirections) {
  const auto request = Fill<v1::AutoLaunchRequest>(
      "launch", "auto",
      {"--direction", "d-1", "--direction", "d-2", "--account", "a-1", "--start-mode",
       "midnight_almaty", "--key", "k"});
  ASSERT_EQ(request.direction_ids_size(), 2);
  EXPECT_EQ(request.direction_ids(1), "d-2");
  EXPECT_EQ(request.account_id(), "a-1");
  EXPECT_EQ(request.start_mode(), "midnight_almaty");
  EXPECT_EQ(request.idempotency_key(), "k");
  EXPECT_FALSE(request.validate_only());
}

TEST(CliCommandsTest, LaunchMultiParsesAdsets) {
  const auto request = Fill<v1::ManualLaunchMultiRequest>(
      "launch", "multi",
      {"--direction", "d-1", "--adset", "c-1,c-2:5000", "--adset", "c-3", "--objective",
       "reach"});
  EXPECT_EQ(request.direction_id(), "d-1");
  ASSERT_EQ(request.adsets_size(), 2);
  ASSERT_EQ(request.adsets(0).creative_ids_size(), 2);
  EXPECT_EQ(request.adsets(0).creative_ids(1), "c-2");
  EXPECT_EQ(request.adsets(0).daily_budget(), 5000);
  ASSERT_EQ(request.adsets(1).creative_ids_size(), 1);
  EXPECT_EQ(request.adsets(1).daily_budget(), 0);
  EXPECT_EQ(request.objective(), "reach");

  for (const std::string bad : {"c-1:cheap", ":5000", "c-1:1:2", "c-1:-5"}) {
    v1::ManualLaunchMultiRequest refused;
    const absl::Status status =
        FillRequest(Command("launch", "multi"), {"--adset", bad}, refused);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_TRUE(absl::StrContains(status.message(), "--adset")) << status;
  }
}

TEST(CliCommandsTest, LaunchCampaignFlags) {
  const auto request = Fill<v1::CreateCampaignRequest>(
      "launch", "campaign",
      {"--name", "Spring", "--creative", "c-1", "--creative", "c-2", "--paused", "--objective",
       "lead_generation", "--page-id", "p-1", "--landing-page", "https://example.com/x",
       "--budget", "2500"});
  EXPECT_EQ(request.campaign_name(), "Spring");
  EXPECT_EQ(request.creative_ids_size(), 2);
  ASSERT_TRUE(request.has_auto_activate());
  EXPECT_FALSE(request.auto_activate().value());
  EXPECT_EQ(request.objective(), "lead_generation");
  EXPECT_EQ(request.page_id(), "p-1");
  EXPECT_EQ(request.landing_page_url(), "https://example.com/x");
  EXPECT_EQ(request.daily_budget(), 2500);
  // Without --paused the server's default (active) stays.
  EXPECT_FALSE(Fill<v1::CreateCampaignRequest>("launch", "campaign", {"--name", "x"})
                   .has_auto_activate());
  v1::CreateCampaignRequest refused;
  EXPECT_FALSE(FillRequest(Command("launch", "campaign"), {"--paused=yes"}, refused).ok());
}

TEST(CliCommandsTest, CampaignsCommands) {
  const auto pause = Fill<v1::PauseCampaignRequest>("campaigns", "pause",
                                                    {"--dry-run", "7800000000000000001"});
  EXPECT_EQ(pause.campaign_id(), "7800000000000000001");  // --dry-run did not swallow it
  EXPECT_TRUE(pause.validate_only());
  const auto resume = Fill<v1::ResumeCampaignRequest>(
      "campaigns", "resume", {"78", "--key", "r-1", "--user", "u-1"});
  EXPECT_EQ(resume.campaign_id(), "78");
  EXPECT_EQ(resume.idempotency_key(), "r-1");
  EXPECT_EQ(resume.user_account_id(), "u-1");
  const auto list = Fill<v1::ListCampaignsRequest>("campaigns", "list", {"--account", "a-1"});
  EXPECT_EQ(list.account_id(), "a-1");
  const auto report = Fill<v1::GetReportRequest>(
      "campaigns", "report",
      {"--campaign", "1", "--campaign", "2", "--from", "2024-05-01", "--to", "2024-05-07"});
  EXPECT_EQ(report.campaign_ids_size(), 2);
  EXPECT_EQ(report.start_date(), "2024-05-01");
  EXPECT_EQ(report.end_date(), "2024-05-07");
  const auto creatives = Fill<v1::ListAvailableCreativesRequest>("creatives", "available",
                                                                 {"--direction", "d-1"});
  EXPECT_EQ(creatives.direction_id(), "d-1");
  const auto advertiser = Fill<v1::GetAdvertiserInfoRequest>("advertiser", "info", {});
  EXPECT_TRUE(advertiser.user_account_id().empty());
}

TEST(CliCommandsTest, ArgumentErrors) {
  v1::PauseCampaignRequest request;
  const CliCommand& pause = Command("campaigns", "pause");
  EXPECT_EQ(FillRequest(pause, {"1", "2"}, request).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FillRequest(pause, {"--no-such-field", "x"}, request).code(),
            absl::StatusCode::kInvalidArgument);
  v1::ManualLaunchRequest manual;
  const absl::Status missing = FillRequest(Command("launch", "manual"), {"--direction"}, manual);
  EXPECT_EQ(missing.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(missing.message(), "--direction needs a value")) << missing;
  const absl::Status budget =
      FillRequest(Command("launch", "manual"), {"--budget", "lots"}, manual);
  EXPECT_TRUE(absl::StrContains(budget.message(), "--budget")) << budget;
  // --user is only for requests that have user_account_id.
  v1::GetAdvertiserInfoRequest info;
  EXPECT_TRUE(FillRequest(Command("advertiser", "info"), {"--user", "u"}, info).ok());
  EXPECT_EQ(info.user_account_id(), "u");
}

// The commands that existed before the short flags parse as they did.
TEST(CliCommandsTest, ExistingCommandsKeepTheirSyntax) {
  const auto settings = Fill<v1::UpdateAccountSettingsRequest>(
      "accounts", "settings",
      {"u-1", "--account-id", "a-1", "--autopilot-tiktok", "false", "--brain-schedule-hour",
       "9"});
  EXPECT_EQ(settings.user_account_id(), "u-1");
  EXPECT_EQ(settings.account_id(), "a-1");
  EXPECT_EQ(settings.brain_schedule_hour().value(), 9);
  ASSERT_TRUE(settings.has_autopilot_tiktok());
  EXPECT_FALSE(settings.autopilot_tiktok().value());
  const CliCommand& get = Command("accounts", "get");
  EXPECT_TRUE(get.table.columns.empty());
  v1::GetAccountRequest request;
  request.set_user_account_id("u-1");
  EXPECT_EQ(RenderResponse(get, request), "user_account_id: u-1\n");
}

TEST(CliCommandsTest, LaunchTable) {
  const auto response = FromJson<v1::ManualLaunchResponse>(R"json({
    "success": true, "message": "TikTok campaign created: 2 ad(s)", "direction_name": "Leads",
    "campaign_id": "7800000000000000009", "adgroup_id": "79", "tiktok_adgroup_id": "79",
    "ads_created": 2, "mode": "create_new",
    "ads": [{"ad_id": "81"}, {"ad_id": "82"}],
    "mutation": {"idempotency_key": "k-1", "replayed": true}})json");
  const std::string table = RenderResponse(Command("launch", "manual"), response);
  EXPECT_TRUE(absl::StrContains(table, "message: TikTok campaign created: 2 ad(s)\n")) << table;
  EXPECT_TRUE(absl::StrContains(table, "replayed: true\n")) << table;
  EXPECT_FALSE(absl::StrContains(table, "validate_only")) << table;  // false is not shown
  EXPECT_TRUE(absl::StrContains(table, "MODE        CAMPAIGN_ID          ADGROUP_ID  ADS  AD_IDS\n"
                                       "create_new  7800000000000000009  79          2    81,82\n"))
      << table;
}

TEST(CliCommandsTest, AutoAndMultiTables) {
  const auto automatic = FromJson<v1::AutoLaunchResponse>(R"json({"message": "Processed 2",
    "results": [{"direction_name": "A", "success": true, "mode": "create_new",
                 "campaign_id": "1", "tiktok_adgroup_id": "2", "ads_created": 1,
                 "ads": [{"ad_id": "3"}]},
                {"direction_name": "B", "skipped": true, "reason": "No ready creatives"}]})json");
  const std::string table = RenderResponse(Command("launch", "auto"), automatic);
  EXPECT_TRUE(absl::StrContains(table, "DIRECTION  OK     MODE        CAMPAIGN_ID  ADGROUP_ID  "
                                       "ADS  AD_IDS  NOTE\n"))
      << table;
  EXPECT_TRUE(absl::StrContains(table, "B          false  -           -            -           "
                                       "0    -       No ready creatives\n"))
      << table;
  const auto multi = FromJson<v1::ManualLaunchMultiResponse>(R"json({"campaign_id": "9",
    "adsets": [{"index": 0, "success": true, "adset_id": "5", "daily_budget": 5000.5,
                "ads_created": 1, "ads": [{"ad_id": "6"}]},
               {"index": 1, "error": "Бюджет слишком мал"}]})json");
  const std::string multi_table = RenderResponse(Command("launch", "multi"), multi);
  EXPECT_TRUE(absl::StrContains(multi_table, "campaign_id: 9\n")) << multi_table;
  EXPECT_TRUE(absl::StrContains(multi_table, "0  true   5           5000.5  1    6       -\n"))
      << multi_table;
  EXPECT_TRUE(absl::StrContains(multi_table, "Бюджет слишком мал\n")) << multi_table;
}

TEST(CliCommandsTest, CampaignTablesReadTikTokObjects) {
  const auto list = FromJson<v1::ListCampaignsResponse>(R"json({"success": true, "total": 1,
    "campaigns": [{"campaign_id": "78", "campaign_name": "Spring sale",
                   "operation_status": "DISABLE", "objective_type": "TRAFFIC",
                   "budget": 12345678, "budget_mode": "BUDGET_MODE_DAY"}]})json");
  const std::string table = RenderResponse(Command("campaigns", "list"), list);
  EXPECT_TRUE(absl::StrContains(table, "total: 1\n")) << table;
  EXPECT_TRUE(absl::StrContains(table, "78           Spring sale  DISABLE  TRAFFIC    12345678")) << table;

  const auto report = FromJson<v1::GetReportResponse>(R"json({"period": {"start_date": "2024-05-01",
    "end_date": "2024-05-07"}, "report": {"list": [{"dimensions": {"campaign_id": "78"},
    "metrics": {"spend": "10.50", "impressions": "1000", "clicks": "20", "conversions": "2",
                "cpc": "0.52", "cpm": "10.50", "ctr": "2.00"}}]}})json");
  const std::string report_table = RenderResponse(Command("campaigns", "report"), report);
  EXPECT_TRUE(absl::StrContains(report_table, "start_date: 2024-05-01\n")) << report_table;
  EXPECT_TRUE(absl::StrContains(report_table, "78           10.50  1000         20      2")) << report_table;

  const auto info = FromJson<v1::GetAdvertiserInfoResponse>(R"json({"advertiser": {"code": 0,
    "data": {"list": [{"advertiser_id": "74", "name": "KZ", "currency": "KZT"}]}}})json");
  EXPECT_TRUE(absl::StrContains(RenderResponse(Command("advertiser", "info"), info),
                                "74             KZ    -        -       KZT"));

  const std::string empty =
      RenderResponse(Command("campaigns", "list"), v1::ListCampaignsResponse());
  EXPECT_TRUE(absl::StrContains(empty, "CAMPAIGN_ID  NAME  STATUS")) << empty;
  EXPECT_TRUE(absl::StrContains(empty, "(none)\n")) << empty;
}

TEST(CliCommandsTest, BrainCommands) {
  const auto run = Fill<v1::RunTikTokRequest>(
      "brain", "run", {"--user", "u-1", "--account", "a-1", "--dispatch", "--key", "k-1",
                       "--dry-run"});
  EXPECT_EQ(run.user_account_id(), "u-1");
  EXPECT_EQ(run.account_id(), "a-1");
  EXPECT_TRUE(run.inputs().dispatch());
  EXPECT_EQ(run.idempotency_key(), "k-1");
  EXPECT_TRUE(run.validate_only());
  // The old positional user id still works.
  EXPECT_EQ(Fill<v1::RunTikTokRequest>("brain", "run", {"u-2"}).user_account_id(), "u-2");
  EXPECT_EQ(Fill<v1::GetBrainExecutionRequest>("brain", "show", {"e-1"}).execution_id(), "e-1");
  const auto revert =
      Fill<v1::RevertBrainExecutionRequest>("brain", "revert", {"e-1", "--dry-run"});
  EXPECT_EQ(revert.execution_id(), "e-1");
  EXPECT_TRUE(revert.validate_only());
  EXPECT_EQ(Fill<v1::ReplayBrainExecutionRequest>("brain", "replay", {"e-2"}).execution_id(),
            "e-2");
  const auto pause = Fill<v1::SetDispatchPauseRequest>(
      "brain", "pause", {"--account", "a-1", "--reason", "holiday"});
  EXPECT_TRUE(pause.paused());
  EXPECT_EQ(pause.account_id(), "a-1");
  EXPECT_EQ(pause.reason(), "holiday");
  const auto resume = Fill<v1::SetDispatchPauseRequest>("brain", "resume", {"--all"});
  EXPECT_FALSE(resume.paused());
  EXPECT_TRUE(resume.all_accounts());
  EXPECT_TRUE(Fill<v1::SetDispatchPauseRequest>("brain", "pause", {"--all"}).all_accounts());
  EXPECT_EQ(Fill<v1::GetDispatchPauseRequest>("brain", "pause-status", {"--account", "a-3"})
                .account_id(),
            "a-3");
  EXPECT_EQ(Fill<v1::ListBrainExecutionsRequest>("brain", "runs", {"--status", "failed"})
                .status(),
            "failed");
  const auto batch =
      Fill<v1::RunBrainBatchRequest>("batch", "run", {"--kind", "daily", "--dry-run"});
  EXPECT_EQ(batch.kind(), "daily");
  EXPECT_TRUE(batch.validate_only());
  EXPECT_EQ(Fill<v1::RunBrainBatchRequest>("batch", "run", {"--slot", "2026-11-25T03"}).slot(),
            "2026-11-25T03");
  EXPECT_FALSE(Command("batch", "run").progress.empty());
}

TEST(CliCommandsTest, BrainTables) {
  const auto run = FromJson<v1::RunTikTokResponse>(R"json({
    "executionId": "e-1", "status": "success", "currency": "KZT", "dispatched": true,
    "healthScores": [{"adgroup_id": "79", "class": "very_good", "score": 42, "cpl": 1200,
                      "spend": 5000, "leads": 4}],
    "actions": [{"type": "TikTok.UpdateAdGroupBudget",
                 "params": {"adgroup_id": "79", "new_budget": 13000}}],
    "guardOutcomes": [{"action_index": 0, "type": "TikTok.UpdateAdGroupBudget",
                       "guard": "cooldown", "outcome": "dropped", "reason": "changed 2h ago"}]
  })json");
  const std::string table = RenderResponse(Command("brain", "run"), run);
  EXPECT_TRUE(absl::StrContains(table, "executionId: e-1\n")) << table;
  EXPECT_TRUE(absl::StrContains(table, "ADGROUP  CLASS      SCORE  CPL   SPEND  LEADS\n"
                                       "79       very_good  42     1200  5000   4\n"))
      << table;
  EXPECT_TRUE(absl::StrContains(table, "\nactions:\nTYPE                        TARGET  "
                                       "NEW_BUDGET\nTikTok.UpdateAdGroupBudget  79      13000\n"))
      << table;
  EXPECT_TRUE(absl::StrContains(table, "\nguard outcomes:\n")) << table;
  EXPECT_TRUE(absl::StrContains(table, "cooldown  dropped  changed 2h ago")) << table;

  const auto record = FromJson<v1::BrainBatchRecord>(R"json({
    "id": "b-1", "kind": "hourly", "slot_key": "hourly:2026-11-25T03", "accounts_total": 2,
    "succeeded": 1, "skipped": 1,
    "accounts": [{"name": "Main", "account_id": "a-1", "outcome": "success", "autopilot": true,
                  "dispatched": true, "actions_count": 3, "metrics_rows": 42},
                 {"name": "Old", "account_id": "a-2", "outcome": "skipped",
                  "reason": "needs_reauth"}]})json");
  const std::string batch = RenderResponse(Command("batch", "run"), record);
  EXPECT_TRUE(absl::StrContains(batch, "slot_key: hourly:2026-11-25T03\n")) << batch;
  EXPECT_TRUE(absl::StrContains(batch, "succeeded: 1\n")) << batch;
  EXPECT_TRUE(absl::StrContains(batch, "Main  a-1      success  -             true")) << batch;
  EXPECT_TRUE(absl::StrContains(batch, "Old   a-2      skipped  needs_reauth  false")) << batch;
}

}  // namespace
}  // namespace ttads::client
