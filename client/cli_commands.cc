#include "client/cli_commands.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "client/request_builder.h"
#include "client/rpc_client.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace ttads::client {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Value;

// The field `path` names in messages of type `type` ('-' may stand for '_'), or null.
const FieldDescriptor* FieldAt(const Descriptor& type, absl::string_view path) {
  const Descriptor* current = &type;
  const FieldDescriptor* field = nullptr;
  for (absl::string_view part : absl::StrSplit(path, '.')) {
    if (current == nullptr) return nullptr;
    field = current->FindFieldByName(absl::StrReplaceAll(part, {{"-", "_"}}));
    if (field == nullptr) return nullptr;
    current = field->message_type();
  }
  return field;
}

// True for bool fields and google.protobuf.BoolValue: they read a bare flag as true.
bool IsBool(const FieldDescriptor* field) {
  if (field == nullptr) return false;
  if (field->cpp_type() == FieldDescriptor::CPPTYPE_BOOL) return true;
  return field->message_type() != nullptr &&
         field->message_type()->full_name() == "google.protobuf.BoolValue";
}

bool IsBoolLiteral(absl::string_view text) {
  bool ignored = false;
  return absl::SimpleAtob(text, &ignored);
}

absl::Status Named(absl::string_view flag, const absl::Status& status) {
  if (status.ok()) return status;
  return absl::Status(status.code(), absl::StrCat("--", flag, ": ", status.message()));
}

// --adset CREATIVE_ID[,CREATIVE_ID...][:BUDGET] → one more element of the repeated message
// field `field` (an AdsetSpec: creative_ids, daily_budget).
absl::Status AddAdset(Message& request, absl::string_view field_name, absl::string_view text) {
  const FieldDescriptor* field = request.GetDescriptor()->FindFieldByName(std::string(field_name));
  if (field == nullptr || !field->is_repeated() || field->message_type() == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(field_name, " is not a list of ad groups"));
  }
  const std::vector<absl::string_view> parts = absl::StrSplit(text, ':');
  if (parts.size() > 2) {
    return absl::InvalidArgumentError("expected CREATIVE_ID[,CREATIVE_ID...][:BUDGET]");
  }
  const std::vector<absl::string_view> ids = absl::StrSplit(parts[0], ',', absl::SkipEmpty());
  if (ids.empty()) return absl::InvalidArgumentError("needs at least one creative id");
  double budget = 0;
  if (parts.size() == 2 && (!absl::SimpleAtod(parts[1], &budget) || budget <= 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("budget '", parts[1], "' is not a positive number"));
  }
  Message* adset = request.GetReflection()->AddMessage(&request, field);
  for (absl::string_view id : ids) {
    if (absl::Status status = SetField(*adset, "creative_ids", id); !status.ok()) return status;
  }
  if (budget > 0) return SetField(*adset, "daily_budget", absl::StrCat(budget));
  return absl::OkStatus();
}

// ---- rendering ----

std::string NumberText(double number) {
  if (std::isfinite(number) && std::floor(number) == number && std::fabs(number) < 1e15) {
    return absl::StrCat(static_cast<int64_t>(number));
  }
  return absl::StrFormat("%.15g", number);
}

std::string ValueText(const Value& value) {
  switch (value.kind_case()) {
    case Value::kStringValue:
      return value.string_value();
    case Value::kNumberValue:
      return NumberText(value.number_value());
    case Value::kBoolValue:
      return value.bool_value() ? "true" : "false";
    case Value::kStructValue:
    case Value::kListValue: {
      std::string json;
      (void)google::protobuf::util::MessageToJsonString(value, &json);
      return json;
    }
    default:
      return "";
  }
}

// The texts at `parts[index..]` under `value`; lists on the way are walked element by element.
void Collect(const Value& value, const std::vector<std::string>& parts, std::size_t index,
             std::vector<std::string>& out) {
  if (value.kind_case() == Value::kListValue) {
    for (const Value& element : value.list_value().values()) Collect(element, parts, index, out);
    return;
  }
  if (index == parts.size()) {
    if (std::string text = ValueText(value); !text.empty()) out.push_back(std::move(text));
    return;
  }
  if (value.kind_case() != Value::kStructValue) return;
  const auto& fields = value.struct_value().fields();
  const auto found = fields.find(parts[index]);
  if (found != fields.end()) Collect(found->second, parts, index + 1, out);
}

// The cell of `path` in `row`: "a|b" is the first of a, b that is not empty.
std::string Cell(const Value& row, absl::string_view path) {
  for (absl::string_view alternative : absl::StrSplit(path, '|')) {
    std::vector<std::string> texts;
    Collect(row, absl::StrSplit(alternative, '.'), 0, texts);
    if (!texts.empty()) return absl::StrJoin(texts, ",");
  }
  return "";
}

// Display width: UTF-8 code points.
std::size_t Width(absl::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// The rows at `rows_path` of `root` (the root itself when empty) as an aligned table.
std::string RenderRows(const Value& root, const std::string& rows_path,
                       const std::vector<CliColumn>& columns) {
  std::string out;
  std::vector<Value> rows;
  if (rows_path.empty()) {
    rows.push_back(root);
  } else {
    const Value* current = &root;
    for (absl::string_view part : absl::StrSplit(rows_path, '.')) {
      if (current->kind_case() != Value::kStructValue) {
        current = nullptr;
        break;
      }
      const auto& fields = current->struct_value().fields();
      const auto found = fields.find(std::string(part));
      current = found == fields.end() ? nullptr : &found->second;
      if (current == nullptr) break;
    }
    if (current != nullptr && current->kind_case() == Value::kListValue) {
      rows.assign(current->list_value().values().begin(), current->list_value().values().end());
    }
  }
  std::vector<std::vector<std::string>> cells;
  std::vector<std::size_t> widths;
  for (const CliColumn& column : columns) widths.push_back(Width(column.header));
  for (const Value& row : rows) {
    std::vector<std::string>& line = cells.emplace_back();
    for (std::size_t i = 0; i < columns.size(); ++i) {
      std::string text = Cell(row, columns[i].path);
      if (text.empty()) text = "-";
      widths[i] = std::max(widths[i], Width(text));
      line.push_back(std::move(text));
    }
  }
  const auto append_line = [&](const std::vector<std::string>& line) {
    std::string text;
    for (std::size_t i = 0; i < line.size(); ++i) {
      absl::StrAppend(&text, line[i]);
      if (i + 1 < line.size()) text.append(widths[i] - Width(line[i]) + 2, ' ');
    }
    absl::StrAppend(&out, text, "\n");
  };
  std::vector<std::string> headers;
  for (const CliColumn& column : columns) headers.push_back(column.header);
  append_line(headers);
  for (const auto& line : cells) append_line(line);
  if (cells.empty()) absl::StrAppend(&out, "(none)\n");
  return out;
}

std::string RenderTable(const CliTable& table, const Message& response) {
  Value root;
  if (!google::protobuf::util::JsonStringToMessage(ToJson(response, /*pretty=*/false), &root)
           .ok()) {
    return ToLines(response);
  }
  std::string out;
  for (const std::string& path : table.summary) {
    const std::string text = Cell(root, path);
    if (text.empty() || text == "false") continue;
    const std::size_t dot = path.rfind('.');
    absl::StrAppend(&out, dot == std::string::npos ? path : path.substr(dot + 1), ": ", text,
                    "\n");
  }
  absl::StrAppend(&out, RenderRows(root, table.rows, table.columns));
  for (const CliSection& section : table.sections) {
    absl::StrAppend(&out, "\n", section.title, ":\n",
                    RenderRows(root, section.rows, section.columns));
  }
  return out;
}

}  // namespace

// The brain's tables (shared by run, show and replay).
const std::vector<CliColumn> kHealthColumns = {{"ADGROUP", "adgroup_id"}, {"CLASS", "class"},
                                               {"SCORE", "score"},        {"CPL", "cpl"},
                                               {"SPEND", "spend"},        {"LEADS", "leads"}};
const std::vector<CliColumn> kActionColumns = {
    {"TYPE", "type"},
    {"TARGET", "params.adgroup_id|params.ad_id|params.campaign_id"},
    {"NEW_BUDGET", "params.new_budget"}};
const std::vector<CliColumn> kGuardColumns = {{"#", "action_index"}, {"TYPE", "type"},
                                              {"GUARD", "guard"},    {"OUTCOME", "outcome"},
                                              {"REASON", "reason"}};
const std::vector<CliColumn> kExecutionColumns = {
    {"ID", "id"},           {"CREATED", "created_at"},   {"MODE", "execution_mode"},
    {"STATUS", "status"},   {"ACCOUNT", "account_id|user_account_id"},
    {"ACTIONS", "actions_taken"}, {"DISPATCHED", "dispatched"}, {"ERROR", "error"}};
const std::vector<CliColumn> kBatchAccountColumns = {
    {"NAME", "name"},         {"ACCOUNT", "account_id|user_account_id"},
    {"OUTCOME", "outcome"},   {"REASON", "reason"},
    {"AUTOPILOT", "autopilot"}, {"DISPATCHED", "dispatched"},
    {"ACTIONS", "actions_count"}, {"METRICS", "metrics_rows"}, {"LEADS", "leads_collected"},
    {"MS", "duration_ms"},    {"EXECUTION", "execution_id"},
    {"ERROR", "error"}};
const CliTable kPauseTable = {
    {"paused"}, "pauses", {{"SCOPE", "scope"}, {"BY", "paused_by"}, {"REASON", "reason"},
                           {"SINCE", "created_at"}}};

const std::vector<CliCommand>& CliCommands() {
  static const auto* const commands = new std::vector<CliCommand>{
      {"users", "create", "AdminService/CreateUserAccount", "", "create a user account (operator)"},
      {"users", "get", "AdminService/GetUserAccount", "user_account_id", "show a user account"},
      {"users", "list", "AdminService/ListUserAccounts", "", "list user accounts"},
      {"users", "update", "AdminService/UpdateUserAccount", "user_account_id",
       "change a user account"},
      {"keys", "create", "AdminService/CreateApiKey", "user_account_id",
       "create an API key bound to a user account (the secret is shown once)"},
      {"keys", "list", "AdminService/ListApiKeys", "user_account_id", "list API keys"},
      {"keys", "revoke", "AdminService/RevokeApiKey", "api_key_id", "revoke an API key"},
      {"rates", "set", "AdminService/SetCurrencyRate", "", "set a currency rate (e.g. USD→KZT)"},
      {"rates", "list", "AdminService/ListCurrencyRates", "", "list currency rates"},
      {"accounts", "oauth-state", "AccountService/IssueOAuthState", "user_account_id",
       "issue a signed OAuth state and the TikTok authorization URL"},
      {"accounts", "exchange", "AccountService/ExchangeOAuthCode", "auth_code",
       "exchange a TikTok auth code (with --state)"},
      {"accounts", "select-advertiser", "AccountService/SelectAdvertiser", "user_account_id",
       "pick which advertiser a connected token uses"},
      {"accounts", "create", "AccountService/CreateAdAccount", "", "create an ad account row"},
      {"accounts", "list", "AccountService/ListAccounts", "user_account_id",
       "list connected accounts (tokens never shown)"},
      {"accounts", "get", "AccountService/GetAccount", "user_account_id", "show an account"},
      {"accounts", "settings", "AccountService/UpdateAccountSettings", "user_account_id",
       "change autopilot, schedule hour, timezone, Telegram ids"},
      {"accounts", "disconnect", "AccountService/DisconnectAccount", "user_account_id",
       "disconnect TikTok from an account"},
      {"directions", "create", "DirectionService/CreateDirection", "", "create a direction"},
      {"directions", "get", "DirectionService/GetDirection", "direction_id", "show a direction"},
      {"directions", "list", "DirectionService/ListDirections", "", "list directions"},
      {"directions", "update", "DirectionService/UpdateDirection", "direction_id",
       "change a direction"},
      {"directions", "ad-settings", "DirectionService/GetDirectionAdSettings", "direction_id",
       "show a direction's targeting defaults"},
      {"directions", "set-ad-settings", "DirectionService/SetDirectionAdSettings", "direction_id",
       "set a direction's targeting defaults"},
      {"directions", "adgroups", "DirectionService/ListDirectionAdGroups", "direction_id",
       "list a direction's pre-created ad groups"},
      {"directions", "add-adgroup", "DirectionService/AddDirectionAdGroup", "direction_id",
       "link a pre-created TikTok ad group to a direction"},
      {"directions", "update-adgroup", "DirectionService/UpdateDirectionAdGroup", "direction_id",
       "change a linked ad group"},
      {"directions", "remove-adgroup", "DirectionService/RemoveDirectionAdGroup", "direction_id",
       "unlink an ad group"},
      {"creatives", "create", "CreativeService/CreateCreative", "", "register a creative"},
      {"creatives", "get", "CreativeService/GetCreative", "creative_id", "show a creative"},
      {"creatives", "list", "CreativeService/ListCreatives", "", "list creatives"},
      {"creatives", "update", "CreativeService/UpdateCreative", "creative_id", "change a creative"},
      {"creatives", "available", "CampaignBuilderService/ListAvailableCreatives", "",
       "creatives that can be launched on TikTok [--direction ID]",
       {{"direction", "direction_id"}},
       {{"count", "next_page_token"},
        "creatives",
        {{"ID", "id"},
         {"TITLE", "title"},
         {"MEDIA_TYPE", "media_type"},
         {"TIKTOK_VIDEO_ID", "tiktok_video_id"},
         {"CREATED_AT", "created_at"}}}},
      {"launch", "manual", "CampaignBuilderService/ManualLaunch", "",
       "launch creatives in one direction: --direction ID --creative ID [--creative ID...] "
       "[--budget N] [--objective X]",
       {{"direction", "direction_id"},
        {"creative", "creative_ids"},
        {"budget", "daily_budget"}},
       {{"message", "direction_name", "mutation.idempotency_key", "mutation.replayed",
         "mutation.validate_only"},
        "",
        {{"MODE", "mode"},
         {"CAMPAIGN_ID", "campaign_id"},
         {"ADGROUP_ID", "tiktok_adgroup_id"},
         {"ADS", "ads_created"},
         {"AD_IDS", "ads.ad_id"}}}},
      {"launch", "auto", "CampaignBuilderService/AutoLaunch", "",
       "launch every active TikTok direction (or --direction ID...) [--start-mode "
       "now|midnight_almaty]",
       {{"direction", "direction_ids"}},
       {{"message", "mutation.idempotency_key", "mutation.replayed", "mutation.validate_only"},
        "results",
        {{"DIRECTION", "direction_name"},
         {"OK", "success"},
         {"MODE", "mode"},
         {"CAMPAIGN_ID", "campaign_id"},
         {"ADGROUP_ID", "tiktok_adgroup_id"},
         {"ADS", "ads_created"},
         {"AD_IDS", "ads.ad_id"},
         {"NOTE", "reason|error"}}}},
      {"launch", "multi", "CampaignBuilderService/ManualLaunchMulti", "",
       "launch several ad groups in one direction: --direction ID "
       "--adset CREATIVE_ID[,CREATIVE_ID...][:BUDGET] (repeatable) [--objective X]",
       {{"direction", "direction_id"},
        {"adset", "adsets", "", CliFlag::Syntax::kAdset}},
       {{"message", "direction_name", "campaign_id", "error", "mutation.idempotency_key",
         "mutation.replayed", "mutation.validate_only"},
        "adsets",
        {{"#", "index"},
         {"OK", "success"},
         {"ADGROUP_ID", "adset_id"},
         {"BUDGET", "daily_budget"},
         {"ADS", "ads_created"},
         {"AD_IDS", "ads.ad_id"},
         {"ERROR", "error"}}}},
      {"launch", "campaign", "CampaignBuilderService/CreateCampaign", "",
       "create a campaign outside directions: --name N --creative ID... [--objective X] "
       "[--budget N] [--landing-page URL] [--page-id ID] [--paused]",
       {{"name", "campaign_name"},
        {"creative", "creative_ids"},
        {"budget", "daily_budget"},
        {"landing-page", "landing_page_url"},
        {"paused", "auto_activate", "false"}},
       {{"message", "mutation.idempotency_key", "mutation.replayed", "mutation.validate_only"},
        "",
        {{"CAMPAIGN_ID", "campaign_id"},
         {"ADGROUP_ID", "adgroup_id"},
         {"OBJECTIVE", "objective"},
         {"ADS", "ads_count"},
         {"AD_IDS", "ads.ad_id"}}}},
      {"campaigns", "list", "CampaignBuilderService/ListCampaigns", "",
       "list the advertiser's TikTok campaigns",
       {},
       {{"total", "next_page_token"},
        "campaigns",
        {{"CAMPAIGN_ID", "campaign_id"},
         {"NAME", "campaign_name"},
         {"STATUS", "operation_status"},
         {"OBJECTIVE", "objective_type"},
         {"BUDGET", "budget"},
         {"BUDGET_MODE", "budget_mode"}}}},
      {"campaigns", "pause", "CampaignBuilderService/PauseCampaign", "campaign_id",
       "pause a TikTok campaign",
       {},
       {{"mutation.replayed", "mutation.validate_only"},
        "",
        {{"CAMPAIGN_ID", "campaign_id"}, {"OK", "success"}, {"MESSAGE", "message"}}}},
      {"campaigns", "resume", "CampaignBuilderService/ResumeCampaign", "campaign_id",
       "resume a TikTok campaign",
       {},
       {{"mutation.replayed", "mutation.validate_only"},
        "",
        {{"CAMPAIGN_ID", "campaign_id"}, {"OK", "success"}, {"MESSAGE", "message"}}}},
      {"campaigns", "report", "CampaignBuilderService/GetReport", "",
       "campaign report: [--campaign ID...] [--from YYYY-MM-DD] [--to YYYY-MM-DD]",
       {{"campaign", "campaign_ids"}, {"from", "start_date"}, {"to", "end_date"}},
       {{"period.start_date", "period.end_date"},
        "report.list",
        {{"CAMPAIGN_ID", "dimensions.campaign_id"},
         {"SPEND", "metrics.spend"},
         {"IMPRESSIONS", "metrics.impressions"},
         {"CLICKS", "metrics.clicks"},
         {"CONVERSIONS", "metrics.conversions"},
         {"CPC", "metrics.cpc"},
         {"CPM", "metrics.cpm"},
         {"CTR", "metrics.ctr"}}}},
      {"advertiser", "info", "CampaignBuilderService/GetAdvertiserInfo", "",
       "the connected TikTok advertiser",
       {},
       {{},
        "advertiser.data.list",
        {{"ADVERTISER_ID", "advertiser_id"},
         {"NAME", "name"},
         {"COMPANY", "company"},
         {"STATUS", "status"},
         {"CURRENCY", "currency"},
         {"TIMEZONE", "timezone"},
         {"BALANCE", "balance"}}}},
      {"actions", "dispatch", "ActionService/Dispatch", "", "apply a batch of actions"},
      {"actions", "get", "ActionService/GetExecution", "execution_id", "show an execution"},
      {"actions", "list", "ActionService/ListExecutions", "", "list executions"},
      {"brain", "run", "BrainService/RunTikTok", "user_account_id",
       "run the TikTok brain for one account: [--user ID] [--account ID] [--dispatch] [--key K] "
       "[--dry-run]",
       {{"dispatch", "inputs.dispatch", "true"}},
       {{"executionId", "status", "currency", "reportDate", "tiktokCalls", "dispatched",
         "reportOnlyReason", "reason", "message", "mutation.replayed", "mutation.validate_only"},
        "healthScores",
        kHealthColumns,
        {{"actions", "actions", kActionColumns},
         {"guard outcomes", "guardOutcomes", kGuardColumns}}}},
      {"brain", "runs", "BrainService/ListExecutions", "",
       "list brain runs: [--user ID] [--account ID] [--status S]",
       {},
       {{"next_page_token"}, "executions", kExecutionColumns}},
      {"brain", "show", "BrainService/GetExecution", "execution_id",
       "show a brain run: scores, actions, guard outcomes",
       {},
       {{"id", "status", "execution_mode", "created_at", "user_account_id", "account_id",
         "currency", "report_date", "tiktok_calls", "dispatched", "report_only_reason",
         "action_execution_id", "error"},
        "health_scores",
        kHealthColumns,
        {{"actions", "actions", kActionColumns},
         {"guard outcomes", "guard_outcomes", kGuardColumns}}}},
      {"brain", "revert", "BrainService/RevertExecution", "execution_id",
       "undo what a brain run applied: ID [--dry-run]",
       {},
       {{"execution_id", "status", "mutation.replayed", "mutation.validate_only"},
        "actions",
        kActionColumns}},
      {"brain", "replay", "BrainService/ReplayExecution", "execution_id",
       "re-score a brain run's snapshot with today's policy (no TikTok call)",
       {},
       {{"execution_id", "samePlan", "note"},
        "differences",
        {{"ADGROUP", "adgroup_id"},
         {"RECORDED", "recorded_class"},
         {"SCORE", "recorded_score"},
         {"REPLAYED", "replayed_class"},
         {"NEW_SCORE", "replayed_score"}},
        {{"actions now", "actions", kActionColumns},
         {"actions recorded", "recordedActions", kActionColumns}}}},
      {"brain", "pause", "BrainService/SetDispatchPause", "",
       "pause the brain's dispatch: [--account ID] [--user ID] [--all] [--reason R]",
       {{"all", "all_accounts", "true"}},
       kPauseTable,
       {{"paused", "true"}}},
      {"brain", "resume", "BrainService/SetDispatchPause", "",
       "resume the brain's dispatch: [--account ID] [--user ID] [--all]",
       {{"all", "all_accounts", "true"}},
       kPauseTable,
       {{"paused", "false"}}},
      {"brain", "pause-status", "BrainService/GetDispatchPause", "",
       "whether dispatch is paused: [--account ID] [--user ID]",
       {},
       kPauseTable},
      // The older spellings of runs/show.
      {"brain", "list", "BrainService/ListExecutions", "", "list brain runs (= brain runs)",
       {},
       {{"next_page_token"}, "executions", kExecutionColumns}},
      {"brain", "get", "BrainService/GetExecution", "execution_id",
       "show a brain run (= brain show)"},
      {"batch", "run", "BrainService/RunBatch", "",
       "run a brain batch now (operator): [--kind hourly|daily] [--slot S] [--dry-run]",
       {},
       {{"id", "kind", "slot_key", "instance_id", "dry_run", "started_at", "finished_at",
         "accounts_total", "succeeded", "failed", "skipped"},
        "accounts",
        kBatchAccountColumns},
       {},
       "running the brain batch (every due account; this can take minutes)..."},
      {"batch", "list", "BrainService/ListBatches", "",
       "list the recorded brain batches (operator)",
       {},
       {{},
        "batches",
        {{"ID", "id"},
         {"KIND", "kind"},
         {"SLOT", "slot_key"},
         {"BY", "triggered_by"},
         {"INSTANCE", "instance_id"},
         {"STARTED", "started_at"},
         {"FINISHED", "finished_at"},
         {"TOTAL", "accounts_total"},
         {"OK", "succeeded"},
         {"FAILED", "failed"},
         {"SKIPPED", "skipped"}}}},
      {"analytics", "roi", "AnalyticsService/GetRoi", "", "ROI figures"},
      {"analytics", "proxy", "AnalyticsService/TikTokProxy", "endpoint",
       "a whitelisted TikTok read"},
      {"audit", "events", "AuditService/ListAuditEvents", "", "list audit events"},
      {"audit", "operations", "AuditService/ListOperations", "", "list operations"},
      {"audit", "operation", "AuditService/GetOperation", "operation_id", "show an operation"},
  };
  return *commands;
}

const CliCommand* FindCliCommand(absl::string_view noun, absl::string_view verb) {
  for (const CliCommand& command : CliCommands()) {
    if (command.noun == noun && command.verb == verb) return &command;
  }
  return nullptr;
}

const std::vector<CliFlag>& CommonCliFlags() {
  static const auto* const flags = new std::vector<CliFlag>{
      {"user", "user_account_id"},
      {"account", "account_id"},
      {"key", "idempotency_key"},
      {"dry-run", "validate_only"},
  };
  return *flags;
}

absl::Status FillRequest(const CliCommand& command, const std::vector<std::string>& args,
                         Message& request) {
  const Descriptor& type = *request.GetDescriptor();
  const auto find_flag = [&](absl::string_view name) -> const CliFlag* {
    for (const CliFlag& flag : command.flags) {
      if (flag.name == name) return &flag;
    }
    for (const CliFlag& flag : CommonCliFlags()) {
      if (flag.name == name && FieldAt(type, flag.field) != nullptr) return &flag;
    }
    return nullptr;
  };
  for (const auto& [field, value] : command.presets) {
    if (absl::Status status = SetField(request, field, value); !status.ok()) return status;
  }
  bool positional_used = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (!absl::StartsWith(arg, "--")) {
      if (command.positional_field.empty() || positional_used) {
        return absl::InvalidArgumentError(absl::StrCat("unexpected argument '", arg, "'"));
      }
      positional_used = true;
      if (absl::Status status = SetField(request, command.positional_field, arg); !status.ok()) {
        return status;
      }
      continue;
    }
    const std::size_t equals = arg.find('=');
    const std::string name =
        arg.substr(2, equals == std::string::npos ? std::string::npos : equals - 2);
    const CliFlag* flag = find_flag(name);
    const std::string field = flag != nullptr ? flag->field : name;
    if (flag != nullptr && !flag->bare_value.empty()) {
      if (equals != std::string::npos) {
        return absl::InvalidArgumentError(absl::StrCat("--", name, " takes no value"));
      }
      if (absl::Status status = SetField(request, field, flag->bare_value); !status.ok()) {
        return Named(name, status);
      }
      continue;
    }
    std::string value;
    const bool has_next = i + 1 < args.size() && !absl::StartsWith(args[i + 1], "--");
    if (equals != std::string::npos) {
      value = arg.substr(equals + 1);
    } else if (IsBool(FieldAt(type, field))) {
      // A bool flag stands alone unless a bool literal follows (--autopilot-tiktok false).
      value = has_next && IsBoolLiteral(args[i + 1]) ? args[++i] : "true";
    } else if (has_next) {
      value = args[++i];
    } else if (flag != nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("--", name, " needs a value"));
    } else {
      value = "true";  // a bare --flag sets a bool
    }
    absl::Status status = flag != nullptr && flag->syntax == CliFlag::Syntax::kAdset
                              ? AddAdset(request, field, value)
                              : SetField(request, field, value);
    if (!status.ok()) return flag != nullptr ? Named(name, status) : status;
  }
  return absl::OkStatus();
}

std::string RenderResponse(const CliCommand& command, const Message& response) {
  if (command.table.columns.empty()) return ToLines(response);
  return RenderTable(command.table, response);
}

}  // namespace ttads::client
