#include "server/action_core.h"

#include <cmath>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "nlohmann/json.hpp"
#include "server/budget_rules.h"
#include "server/crypto_util.h"
#include "server/idempotency.h"
#include "server/json_text.h"
#include "server/log.h"
#include "server/proto_convert.h"
#include "server/rpc_status.h"
#include "server/tiktok_status.h"
#include "server/validation.h"
#include "storage/uuid.h"
#include "tiktok/tiktok_error.h"

namespace ttads::server {
namespace {

using Kind = ParsedAction::Kind;
using ::google::protobuf::Struct;
using ::google::protobuf::Value;
using Json = nlohmann::json;

constexpr int kMaxActions = 50;
constexpr char kDomain[] = "ttads.v1";
constexpr char kNoActionsMessage[] =
    "No actions to execute (all campaigns performing well or report-only mode)";
constexpr char kCreateAdGroupType[] = "TikTok.Direction.CreateAdGroupWithCreatives";

enum class ParamKind { kId, kNumber, kUuid, kUuidList, kText, kBool };

struct ParamSpec {
  const char* key;
  ParamKind kind;
  bool required;
};

struct TypeSpec {
  const char* type;
  Kind kind;
  const char* operation_status;  // "" when not a status action
  std::vector<ParamSpec> params;
};

const std::vector<TypeSpec>& TypeSpecs() {
  static const auto* specs = new std::vector<TypeSpec>{
      {"TikTok.GetCampaignStatus", Kind::kGetCampaignStatus, "", {{"campaign_id", ParamKind::kId, true}}},
      {"TikTok.PauseCampaign", Kind::kCampaignStatus, "DISABLE", {{"campaign_id", ParamKind::kId, true}}},
      {"TikTok.ResumeCampaign", Kind::kCampaignStatus, "ENABLE", {{"campaign_id", ParamKind::kId, true}}},
      {"TikTok.PauseAdGroup", Kind::kAdGroupStatus, "DISABLE", {{"adgroup_id", ParamKind::kId, true}}},
      {"TikTok.ResumeAdGroup", Kind::kAdGroupStatus, "ENABLE", {{"adgroup_id", ParamKind::kId, true}}},
      {"TikTok.UpdateAdGroupBudget",
       Kind::kAdGroupBudget,
       "",
       {{"adgroup_id", ParamKind::kId, true}, {"new_budget", ParamKind::kNumber, true}}},
      {"TikTok.PauseAd", Kind::kAdStatus, "DISABLE", {{"ad_id", ParamKind::kId, true}}},
      {"TikTok.ResumeAd", Kind::kAdStatus, "ENABLE", {{"ad_id", ParamKind::kId, true}}},
      {kCreateAdGroupType,
       Kind::kCreateAdGroupWithCreatives,
       "",
       {{"direction_id", ParamKind::kUuid, true},
        {"user_creative_ids", ParamKind::kUuidList, true},
        {"daily_budget", ParamKind::kNumber, false},
        {"adgroup_name", ParamKind::kText, false},
        {"auto_activate", ParamKind::kBool, false}}},
  };
  return *specs;
}

bool IsDigits(absl::string_view text) {
  return !text.empty() && text.size() <= 32 &&
         text.find_first_not_of("0123456789") == absl::string_view::npos;
}

bool IsUuidText(absl::string_view text) { return storage::CanonicalUuid("id", text).ok(); }

// A problem of one action: the field path and what is wrong.
using Problem = std::pair<std::string, std::string>;

// Validates one action; fills `parsed` and returns its problems.
std::vector<Problem> ValidateAction(int index, const v1::Action& action, ParsedAction& parsed) {
  std::vector<Problem> problems;
  const std::string prefix = absl::StrCat("actions[", index, "]");
  parsed.index = index;
  parsed.type = action.type();
  const TypeSpec* spec = nullptr;
  for (const TypeSpec& candidate : TypeSpecs()) {
    if (action.type() == candidate.type) spec = &candidate;
  }
  if (spec == nullptr) {
    problems.push_back({prefix + ".type",
                        absl::StrCat("Unknown TikTok action: ", action.type(), " (one of ",
                                     "TikTok.GetCampaignStatus, TikTok.PauseCampaign, "
                                     "TikTok.ResumeCampaign, TikTok.PauseAdGroup, "
                                     "TikTok.ResumeAdGroup, TikTok.UpdateAdGroupBudget, "
                                     "TikTok.PauseAd, TikTok.ResumeAd, ",
                                     kCreateAdGroupType, ")")});
    return problems;
  }
  parsed.kind = spec->kind;
  parsed.operation_status = spec->operation_status;
  const auto& fields = action.params().fields();
  for (const auto& [key, value] : fields) {
    bool known = false;
    for (const ParamSpec& param : spec->params) known = known || key == param.key;
    if (!known) {
      problems.push_back({absl::StrCat(prefix, ".params.", key),
                          absl::StrCat("unknown parameter for ", spec->type)});
    }
  }
  for (const ParamSpec& param : spec->params) {
    const std::string field = absl::StrCat(prefix, ".params.", param.key);
    const auto found = fields.find(param.key);
    if (found == fields.end() || found->second.kind_case() == Value::kNullValue) {
      if (param.required) problems.push_back({field, "required"});
      continue;
    }
    const Value& value = found->second;
    switch (param.kind) {
      case ParamKind::kId:
        if (value.kind_case() == Value::kNumberValue) {
          problems.push_back(
              {field, "must be a JSON string of digits (a JSON number loses precision)"});
        } else if (value.kind_case() != Value::kStringValue || !IsDigits(value.string_value())) {
          problems.push_back({field, "must be a TikTok id: a JSON string of digits"});
        } else {
          parsed.object_id = value.string_value();
        }
        break;
      case ParamKind::kNumber:
        if (value.kind_case() != Value::kNumberValue || !std::isfinite(value.number_value()) ||
            value.number_value() <= 0) {
          problems.push_back({field, "must be a positive number"});
        } else {
          parsed.budget = value.number_value();
        }
        break;
      case ParamKind::kUuid:
        if (value.kind_case() != Value::kStringValue || !IsUuidText(value.string_value())) {
          problems.push_back({field, "must be a UUID string"});
        } else {
          parsed.direction_id = value.string_value();
        }
        break;
      case ParamKind::kUuidList: {
        bool ok = value.kind_case() == Value::kListValue && value.list_value().values_size() > 0;
        if (ok) {
          for (const Value& item : value.list_value().values()) {
            ok = ok && item.kind_case() == Value::kStringValue && IsUuidText(item.string_value());
          }
        }
        if (!ok) {
          problems.push_back({field, "must be a non-empty list of UUID strings"});
        } else {
          for (const Value& item : value.list_value().values()) {
            parsed.creative_ids.push_back(item.string_value());
          }
        }
        break;
      }
      case ParamKind::kText:
        if (value.kind_case() != Value::kStringValue || CharacterCount(value.string_value()) > 512) {
          problems.push_back({field, "must be a string of at most 512 characters"});
        } else {
          parsed.adgroup_name = value.string_value();
        }
        break;
      case ParamKind::kBool:
        if (value.kind_case() != Value::kBoolValue) {
          problems.push_back({field, "must be a boolean"});
        } else {
          parsed.auto_activate = value.bool_value();
        }
        break;
    }
  }
  return problems;
}

std::string StructText(const Struct& value) {
  std::string text;
  if (!google::protobuf::util::MessageToJsonString(value, &text).ok()) return "{}";
  return text;
}

// JSON object text -> Struct; false when it is not a JSON object.
bool ToStruct(const std::string& text, Struct* out) {
  if (text.empty()) return false;
  return google::protobuf::util::JsonStringToMessage(text, out).ok();
}

Json ParseJson(const std::string& text) {
  if (text.empty()) return Json::object();
  Json parsed = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) return Json::object();
  return parsed;
}

std::string JsonString(const Json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end() || !found->is_string()) return "";
  return found->get<std::string>();
}

int64_t JsonInt(const Json& object, const char* key, int64_t fallback) {
  const auto found = object.find(key);
  if (found == object.end() || !found->is_number()) return fallback;
  return found->get<int64_t>();
}

void ToActionResult(const storage::ActionRow& row, v1::ActionResult& out) {
  out.set_index(row.action_idx);
  out.set_type(row.type);
  out.set_status(row.status);
  ToStruct(row.params_json, out.mutable_params());
  if (row.status == "success") {
    ToStruct(row.result_json, out.mutable_result());
    out.set_tiktok_request_id(JsonString(ParseJson(row.result_json), "request_id"));
  }
  if (!row.error_json.empty()) {
    const Json error = ParseJson(row.error_json);
    out.set_error(JsonString(error, "message"));
    out.set_tiktok_code(static_cast<int32_t>(JsonInt(error, "tiktok_code", 0)));
    out.set_tiktok_request_id(JsonString(error, "tiktok_request_id"));
  }
  out.set_started_at(TimeText(row.started_at));
  out.set_finished_at(TimeText(row.finished_at));
}

// The fingerprint of a batch: the same batch under the same key matches however it is spelled;
// the ignored access token never counts.
std::string BatchHash(const v1::DispatchRequest& request) {
  v1::DispatchRequest copy = request;
  copy.mutable_account()->clear_access_token();
  copy.clear_source();
  return RequestFingerprint(copy);
}

std::string TargetType(Kind kind) {
  switch (kind) {
    case Kind::kGetCampaignStatus:
    case Kind::kCampaignStatus:
      return "tiktok_campaign";
    case Kind::kAdGroupStatus:
    case Kind::kAdGroupBudget:
      return "tiktok_adgroup";
    case Kind::kAdStatus:
      return "tiktok_ad";
    case Kind::kCreateAdGroupWithCreatives:
      return "direction";
  }
  return "";
}

// What one TikTok call gave.
struct CallOutcome {
  absl::Status status;
  std::string envelope;  // the raw envelope on success
  std::string request_id;
};

CallOutcome CallTikTok(tiktok::TikTokApi& api, tiktok::HttpMethod method, const std::string& path,
                       const std::string& token, const tiktok::Params& params) {
  CallOutcome outcome;
  absl::StatusOr<tiktok::RawCallResult> raw = api.CallRaw(method, path, token, params);
  if (!raw.ok()) {
    outcome.status = raw.status();
    if (auto error = tiktok::TikTokErrorOf(raw.status())) outcome.request_id = error->request_id;
    return outcome;
  }
  outcome.request_id = raw->request_id;
  if (!tiktok::IsSuccessCode(raw->code)) {
    outcome.status = tiktok::StatusForError(
        tiktok::ErrorForCode(raw->code, raw->message, raw->request_id, path, raw->http_status));
    return outcome;
  }
  outcome.envelope = std::move(raw->body);
  return outcome;
}

}  // namespace

void ToActionExecution(const storage::ExecutionRow& row,
                       const std::vector<storage::ActionRow>& actions, v1::ActionExecution& out) {
  out.set_id(row.id);
  out.set_idempotency_key(row.idempotency_key);
  out.set_source(row.source);
  out.set_status(row.status);
  out.set_executed(row.executed);
  out.set_user_account_id(row.user_account_id);
  out.set_account_id(TextOf(row.account_id));
  out.set_ad_account_id(row.ad_account_id);
  for (const storage::ActionRow& action : actions) ToActionResult(action, *out.add_actions());
  const Json error = ParseJson(row.error_json);
  out.set_error(JsonString(error, "message"));
  out.set_error_step(static_cast<int32_t>(JsonInt(error, "step", -1)));
  out.set_actor(JsonString(ParseJson(row.request_json), "actor"));
  out.set_created_at(TimeText(row.created_at));
  out.set_started_at(TimeText(row.started_at));
  out.set_finished_at(TimeText(row.finished_at));
}

absl::StatusOr<ActionCore::Target> ActionCore::ResolveTarget(const std::string& user_id,
                                                             const v1::DispatchRequest& request) {
  absl::StatusOr<Target> target =
      access_.Resolve(user_id, request.account().account_id(), "MISSING_TIKTOK_CREDENTIALS",
                      "TikTok credentials not found for provided account");
  if (!target.ok()) return target.status();
  const std::string& label = request.account().ad_account_id();
  if (!label.empty() && label != target->advertiser_id()) {
    return InvalidField("account.ad_account_id",
                        "must equal the TikTok advertiser id of the account's credentials");
  }
  return target;
}

absl::Status ActionCore::CheckBudgets(const Target& target,
                                      const std::vector<ParsedAction>& actions,
                                      std::vector<std::vector<std::string>>& issues,
                                      std::vector<std::pair<std::string, std::string>>& violations) {
  bool any = false;
  for (const ParsedAction& action : actions) any = any || action.kind == Kind::kAdGroupBudget;
  if (!any) return absl::OkStatus();
  absl::StatusOr<std::vector<tiktok::AdvertiserInfo>> info = tiktok_.GetAdvertiserInfo(
      target.access_token, {target.credentials.advertiser_id}, {});
  if (!info.ok()) return access_.OnTikTokError(target, info.status());
  std::string currency;
  for (const tiktok::AdvertiserInfo& advertiser : *info) {
    if (advertiser.advertiser_id == target.credentials.advertiser_id) currency = advertiser.currency;
  }
  if (currency.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("TikTok did not report the currency of advertiser ",
                     target.credentials.advertiser_id));
  }
  absl::StatusOr<double> minimum = MinDailyBudget(currency);
  if (!minimum.ok()) return absl::OkStatus();  // no minimum known for this currency
  for (const ParsedAction& action : actions) {
    if (action.kind != Kind::kAdGroupBudget || action.budget <= 0) continue;
    if (action.budget < *minimum) {
      const std::string field = absl::StrCat("actions[", action.index, "].params.new_budget");
      const std::string description =
          absl::StrCat("must be at least the minimum daily budget of ", *minimum, " ", currency);
      violations.push_back({field, description});
      issues[static_cast<std::size_t>(action.index)].push_back(
          absl::StrCat(field, ": ", description));
    }
  }
  return absl::OkStatus();
}

absl::Status ActionCore::Dispatch(const Principal& principal, const v1::DispatchRequest& request,
                                  v1::DispatchResponse& response) {
  RequestValidator validator;
  const std::string& key = request.idempotency_key();
  if (key.size() < 5 || key.size() > 128 || !ValidateIdempotencyKey(key).ok()) {
    validator.Fail("idempotency_key", "required: 5..128 printable ASCII characters");
  }
  if (!request.has_account()) validator.Fail("account", "required");
  validator.Uuid("account.user_account_id", request.account().user_account_id(), false);
  validator.Uuid("account.account_id", request.account().account_id(), false);
  if (!request.account().ad_account_id().empty() &&
      !IsDigits(request.account().ad_account_id())) {
    validator.Fail("account.ad_account_id", "must be a TikTok advertiser id (digits)");
  }
  if (CharacterCount(request.source()) > 64) validator.Fail("source", "at most 64 characters");
  if (request.actions_size() > kMaxActions) {
    validator.Fail("actions", absl::StrCat("at most ", kMaxActions, " actions"));
  }
  for (int i = 0; i < request.actions_size(); ++i) {
    if (request.actions(i).type().size() < 2) {
      validator.Fail(absl::StrCat("actions[", i, "].type"), "required (at least 2 characters)");
    }
  }
  if (!validator.ok()) return validator.status();

  int tiktok_count = 0;
  for (const v1::Action& action : request.actions()) {
    if (absl::StartsWith(action.type(), "TikTok.")) ++tiktok_count;
  }
  if (tiktok_count > 0 && tiktok_count < request.actions_size()) {
    return WithErrorInfo(
        absl::InvalidArgumentError("Do not mix TikTok and Facebook actions in the same batch"),
        "MIXED_PLATFORM_ACTIONS", kDomain, {});
  }
  response.mutable_mutation()->set_idempotency_key(key);
  response.mutable_mutation()->set_validate_only(request.validate_only());
  response.set_step(-1);
  if (request.actions_size() == 0) {
    response.set_executionid("no-actions-needed");
    response.set_executed(false);
    response.set_actionscount(0);
    response.set_message(kNoActionsMessage);
    return absl::OkStatus();
  }
  if (tiktok_count == 0) {
    std::vector<FieldViolation> violations;
    for (int i = 0; i < request.actions_size(); ++i) {
      violations.push_back({absl::StrCat("actions[", i, "].type"),
                            "only TikTok.* actions are supported by ttads"});
    }
    return InvalidArgument(violations);
  }

  absl::StatusOr<std::string> user_id =
      principal.EffectiveUser(request.account().user_account_id(), "account.user_account_id");
  if (!user_id.ok()) return user_id.status();

  // Validate every action before anything else.
  std::vector<ParsedAction> parsed(static_cast<std::size_t>(request.actions_size()));
  std::vector<std::vector<std::string>> issues(parsed.size());
  std::vector<Problem> violations;
  for (int i = 0; i < request.actions_size(); ++i) {
    const auto index = static_cast<std::size_t>(i);
    for (Problem& problem : ValidateAction(i, request.actions(i), parsed[index])) {
      issues[index].push_back(absl::StrCat(problem.first, ": ", problem.second));
      violations.push_back(std::move(problem));
    }
  }
  const auto as_status = [](const std::vector<Problem>& problems) {
    std::vector<FieldViolation> list;
    for (const Problem& problem : problems) list.push_back({problem.first, problem.second});
    return InvalidArgument(list);
  };
  if (!violations.empty() && !request.validate_only()) return as_status(violations);

  const std::string hash = BatchHash(request);
  const std::string source = request.source().empty() ? "api" : request.source();

  // A repeat of a finished run is answered from the record, before anything reaches TikTok.
  std::optional<storage::ExecutionRow> existing;
  if (!request.validate_only()) {
    absl::StatusOr<storage::ExecutionRow> found = executions_.FindByKey(*user_id, key);
    if (found.ok()) {
      existing = *std::move(found);
    } else if (found.status().code() != absl::StatusCode::kNotFound) {
      return found.status();
    }
  }
  const auto same_batch = [&](const storage::ExecutionRow& row) -> absl::Status {
    if (JsonString(ParseJson(row.request_json), "hash") != hash) {
      return WithErrorInfo(
          absl::AlreadyExistsError(absl::StrCat("idempotency key \"", key,
                                                "\" was already used for a different batch")),
          "IDEMPOTENCY_KEY_REUSED", kDomain, {{"execution_id", row.id}});
    }
    return absl::OkStatus();
  };
  if (existing.has_value()) {
    if (absl::Status same = same_batch(*existing); !same.ok()) return same;
    if (existing->status != "running") return Answer(existing->id, /*duplicate=*/true, response);
  }

  absl::StatusOr<Target> target = ResolveTarget(*user_id, request);
  if (!target.ok()) return target.status();

  if (existing.has_value()) {
    // Left running: resume it only when its lease expired (its server died), else report it.
    const absl::Time now = clock_.Now();
    absl::StatusOr<bool> taken = executions_.TakeOver(existing->id, now - lease_, now);
    if (!taken.ok()) return taken.status();
    if (*taken) {
      if (absl::Status ran = Run(principal, *target, source, key, *existing, parsed); !ran.ok()) {
        return ran;
      }
    }
    return Answer(existing->id, /*duplicate=*/true, response);
  }

  if (absl::Status checked = CheckBudgets(*target, parsed, issues, violations); !checked.ok()) {
    return checked;
  }

  if (request.validate_only()) {
    bool all_valid = true;
    for (std::size_t i = 0; i < parsed.size(); ++i) {
      v1::ActionValidation* validation = response.add_validations();
      validation->set_type(request.actions(static_cast<int>(i)).type());
      validation->set_valid(issues[i].empty());
      for (const std::string& issue : issues[i]) validation->add_issues(issue);
      all_valid = all_valid && issues[i].empty();
    }
    response.set_executionid("dry-run");
    response.set_dryrun(true);
    response.set_executed(all_valid);
    response.set_actionscount(request.actions_size());
    return absl::OkStatus();
  }
  if (!violations.empty()) return as_status(violations);

  // Claim the key atomically and record the batch.
  Json request_json = Json::object();
  request_json["hash"] = hash;
  request_json["actor"] = principal.actor();
  request_json["account"] = {{"userAccountId", *user_id},
                             {"accountId", target->account_id},
                             {"adAccountId", target->credentials.advertiser_id}};
  request_json["actions"] = Json::array();
  std::vector<storage::ActionRow> rows;
  for (int i = 0; i < request.actions_size(); ++i) {
    const std::string params = StructText(request.actions(i).params());
    request_json["actions"].push_back(
        {{"type", request.actions(i).type()}, {"params", Json::parse(params, nullptr, false)}});
    storage::ActionRow row;
    row.action_idx = i;
    row.type = request.actions(i).type();
    row.params_json = params;
    rows.push_back(std::move(row));
  }
  storage::ExecutionRow execution;
  execution.user_account_id = *user_id;
  execution.account_id = NullIfEmpty(target->account_id);
  execution.ad_account_id = target->credentials.advertiser_id;
  execution.idempotency_key = key;
  execution.source = source;
  execution.request_json = request_json.dump();
  absl::StatusOr<storage::ExecutionClaim> claim =
      executions_.CreateOrGet(execution, rows, clock_.Now());
  if (!claim.ok()) return claim.status();
  if (!claim->created) {
    // Another call claimed the key between our read and our insert.
    if (absl::Status same = same_batch(claim->execution); !same.ok()) return same;
    return Answer(claim->execution.id, /*duplicate=*/true, response);
  }
  if (absl::Status ran = Run(principal, *target, source, key, claim->execution, parsed);
      !ran.ok()) {
    return ran;
  }
  return Answer(claim->execution.id, /*duplicate=*/false, response);
}

absl::Status ActionCore::Run(const Principal& principal, const Target& target,
                             const std::string& source, const std::string& idempotency_key,
                             const storage::ExecutionRow& execution,
                             const std::vector<ParsedAction>& actions) {
  absl::StatusOr<std::vector<storage::ActionRow>> rows = executions_.ListActions(execution.id);
  if (!rows.ok()) return rows.status();
  const std::string& advertiser = target.credentials.advertiser_id;
  for (const ParsedAction& action : actions) {
    const auto index = static_cast<std::size_t>(action.index);
    if (index < rows->size() && (*rows)[index].status == "success") continue;  // applied before
    const absl::Time started = clock_.Now();
    if (absl::Status status = executions_.StartAction(execution.id, action.index, started);
        !status.ok()) {
      return status;
    }
    const std::string params_json = index < rows->size() ? (*rows)[index].params_json : "";
    (void)executions_.AppendLog(execution.id, action.index, action.type, params_json, "", started);

    CallOutcome outcome;
    std::string before;
    std::string after;
    switch (action.kind) {
      case Kind::kGetCampaignStatus:
        outcome = CallTikTok(tiktok_, tiktok::HttpMethod::kGet, "campaign/get/",
                             target.access_token,
                             {{"advertiser_id", advertiser},
                              {"filtering", {{"campaign_ids", {action.object_id}}}}});
        break;
      case Kind::kCampaignStatus:
        outcome = CallTikTok(tiktok_, tiktok::HttpMethod::kPost, "campaign/status/update/",
                             target.access_token,
                             {{"advertiser_id", advertiser},
                              {"campaign_ids", {action.object_id}},
                              {"operation_status", action.operation_status}});
        after = action.operation_status;
        break;
      case Kind::kAdGroupStatus:
        outcome = CallTikTok(tiktok_, tiktok::HttpMethod::kPost, "adgroup/status/update/",
                             target.access_token,
                             {{"advertiser_id", advertiser},
                              {"adgroup_ids", {action.object_id}},
                              {"operation_status", action.operation_status}});
        after = action.operation_status;
        break;
      case Kind::kAdGroupBudget: {
        // The budget before the change, for the audit trail (best effort).
        tiktok::AdGroupQuery query;
        query.advertiser_id = advertiser;
        query.adgroup_ids = {action.object_id};
        absl::StatusOr<std::vector<tiktok::AdGroup>> current =
            tiktok_.GetAdGroups(target.access_token, query);
        if (current.ok() && !current->empty() && current->front().budget.has_value()) {
          before = absl::StrCat(*current->front().budget);
        }
        outcome = CallTikTok(tiktok_, tiktok::HttpMethod::kPost, "adgroup/update/",
                             target.access_token,
                             {{"advertiser_id", advertiser},
                              {"adgroup_id", action.object_id},
                              {"budget", action.budget}});
        after = absl::StrCat(action.budget);
        break;
      }
      case Kind::kAdStatus:
        outcome = CallTikTok(tiktok_, tiktok::HttpMethod::kPost, "ad/status/update/",
                             target.access_token,
                             {{"advertiser_id", advertiser},
                              {"ad_ids", {action.object_id}},
                              {"operation_status", action.operation_status}});
        after = action.operation_status;
        break;
      case Kind::kCreateAdGroupWithCreatives: {
        if (launch_core_ == nullptr) {
          outcome.status = absl::UnimplementedError("launches are not wired in this server");
          break;
        }
        // A launch of its own under a key derived from the batch's, so a retried batch
        // resumes it instead of launching twice; its steps are in its own execution.
        DirectionAdGroupSpec spec;
        spec.user_account_id = target.user_account_id;
        spec.account_id = target.account_id;
        spec.direction_id = action.direction_id;
        spec.creative_ids = action.creative_ids;
        spec.daily_budget = action.budget;
        spec.adgroup_name = action.adgroup_name;
        spec.enabled = action.auto_activate;
        spec.idempotency_key = absl::StrCat(idempotency_key, "#", action.index);
        if (spec.idempotency_key.size() > 128) {
          spec.idempotency_key = absl::StrCat("action-", ToHex(Sha256(spec.idempotency_key)));
        }
        v1::ManualLaunchResponse launched;
        outcome.status = launch_core_->CreateAdGroupInDirection(principal, spec, launched);
        if (outcome.status.ok()) {
          google::protobuf::util::JsonPrintOptions options;
          options.preserve_proto_field_names = true;
          std::string text;
          (void)google::protobuf::util::MessageToJsonString(launched, &text, options);
          Json answer = ParseJson(text);
          answer["ads_count"] = launched.ads_created();  // the contract's name for it
          outcome.envelope = answer.dump();
          after = launched.tiktok_adgroup_id();
        }
        break;
      }
    }
    const absl::Time finished = clock_.Now();
    // (A launch audits itself.)
    const bool mutating = action.kind != Kind::kGetCampaignStatus &&
                          action.kind != Kind::kCreateAdGroupWithCreatives;
    if (mutating) {
      auditor_.Record(principal,
                      {action.type, target.user_account_id, target.account_id,
                       TargetType(action.kind), action.object_id, idempotency_key,
                       JsonObject({{"rpc", "ActionService.Dispatch"},
                                   {"execution_id", execution.id},
                                   {"action_index", absl::StrCat(action.index)},
                                   {"source", source},
                                   {"advertiser_id", advertiser},
                                   {"before", before},
                                   {"after", after},
                                   {"tiktok_request_id", outcome.request_id}})},
                      outcome.status);
    }
    if (outcome.status.ok()) {
      if (absl::Status status = executions_.FinishAction(execution.id, action.index, "success",
                                                         outcome.envelope, "", finished);
          !status.ok()) {
        return status;
      }
      (void)executions_.AppendLog(execution.id, action.index, absl::StrCat(action.type, ":done"),
                                  "", outcome.envelope, finished);
      // Keep ttads's own records in step with TikTok.
      absl::StatusOr<int> synced = 0;
      if (action.kind == Kind::kCampaignStatus) {
        synced = directions_.SetCampaignStatusByTikTokId(
            target.user_account_id, action.object_id,
            action.operation_status == "ENABLE" ? "ACTIVE" : "PAUSED", finished);
      } else if (action.kind == Kind::kAdGroupStatus) {
        synced = directions_.SetAdGroupStatusByTikTokId(target.user_account_id, action.object_id,
                                                         action.operation_status, finished);
      }
      if (!synced.ok()) {
        LogWarning("action_status_sync_failed",
                   {{"execution_id", execution.id},
                    {"error", std::string(synced.status().message())}});
      }
      continue;
    }
    // The first failure stops the run.
    const std::string message = UserFacingMessage(outcome.status);
    Json error = {{"message", message},
                  {"tiktok_code", tiktok::TikTokCodeOf(outcome.status)},
                  {"tiktok_request_id", outcome.request_id},
                  {"code", absl::StatusCodeToString(outcome.status.code())}};
    if (absl::Status status = executions_.FinishAction(execution.id, action.index, "failed", "",
                                                       error.dump(), finished);
        !status.ok()) {
      return status;
    }
    Json run_error = {{"error", "action_failed"}, {"message", message}, {"step", action.index}};
    if (absl::Status status =
            executions_.FinishExecution(execution.id, "failed", false, run_error.dump(), finished);
        !status.ok()) {
      return status;
    }
    if (tiktok::NeedsReauth(outcome.status)) return access_.OnTikTokError(target, outcome.status);
    return absl::OkStatus();
  }
  return executions_.FinishExecution(execution.id, "success", true, "", clock_.Now());
}

void ToDispatchResponse(const storage::ExecutionRow& row,
                        const std::vector<storage::ActionRow>& actions, bool duplicate,
                        v1::DispatchResponse& response) {
  response.set_executionid(row.id);
  response.set_executed(row.executed);
  response.set_duplicate(duplicate);
  response.set_actionscount(static_cast<int32_t>(actions.size()));
  response.set_status(row.status);
  for (const storage::ActionRow& action : actions) {
    ToActionResult(action, *response.add_results());
  }
  const Json error = ParseJson(row.error_json);
  response.set_error(JsonString(error, "error"));
  response.set_step(static_cast<int32_t>(JsonInt(error, "step", -1)));
  if (row.status == "failed") {
    response.set_message(JsonString(error, "message"));
  } else if (row.status == "running") {
    response.set_message("An earlier call with this idempotency key is still running");
  }
  v1::MutationInfo* mutation = response.mutable_mutation();
  mutation->set_idempotency_key(row.idempotency_key);
  mutation->set_replayed(duplicate);
  mutation->set_validate_only(false);
  mutation->set_operation_id(row.id);
}

absl::Status ActionCore::Answer(const std::string& execution_id, bool duplicate,
                                v1::DispatchResponse& response) {
  absl::StatusOr<storage::ExecutionRow> row = executions_.Get(std::nullopt, execution_id);
  if (!row.ok()) return row.status();
  absl::StatusOr<std::vector<storage::ActionRow>> actions = executions_.ListActions(execution_id);
  if (!actions.ok()) return actions.status();
  ToDispatchResponse(*row, *actions, duplicate, response);
  return absl::OkStatus();
}

absl::Status ActionCore::GetExecution(const Principal& principal,
                                      const v1::GetActionExecutionRequest& request,
                                      v1::ActionExecution& response) {
  RequestValidator validator;
  validator.Uuid("execution_id", request.execution_id(), /*required=*/true);
  if (!validator.ok()) return validator.status();
  const std::optional<std::string> scope = principal.ReadScope();
  absl::StatusOr<storage::ExecutionRow> row = executions_.Get(scope, request.execution_id());
  if (!row.ok()) return row.status();
  absl::StatusOr<std::vector<storage::ActionRow>> actions = executions_.ListActions(row->id);
  if (!actions.ok()) return actions.status();
  ToActionExecution(*row, *actions, response);
  return absl::OkStatus();
}

absl::Status ActionCore::ListExecutions(const Principal& principal,
                                        const v1::ListActionExecutionsRequest& request,
                                        v1::ListActionExecutionsResponse& response) {
  RequestValidator validator;
  validator.Uuid("user_account_id", request.user_account_id(), /*required=*/false);
  validator.Uuid("account_id", request.account_id(), /*required=*/false);
  if (!request.status().empty() &&
      !OneOf(request.status(), {"running", "success", "failed", "partial"})) {
    validator.Fail("status", "must be running, success or failed");
  }
  if (request.page_size() < 0) validator.Fail("page_size", "must not be negative");
  if (!validator.ok()) return validator.status();
  storage::ExecutionFilter filter;
  if (!(request.user_account_id().empty() && principal.is_operator())) {
    absl::StatusOr<std::string> user_id =
        principal.EffectiveUser(request.user_account_id(), "user_account_id");
    if (!user_id.ok()) return user_id.status();
    filter.user_account_id = *user_id;
  }
  filter.account_id = request.account_id();
  filter.status = request.status();
  filter.source = request.source();
  absl::StatusOr<storage::Page<storage::ExecutionRow>> page =
      executions_.List(filter, PageOf(request.page_size(), request.page_token()));
  if (!page.ok()) return page.status();
  for (const storage::ExecutionRow& row : page->items) {
    absl::StatusOr<std::vector<storage::ActionRow>> actions = executions_.ListActions(row.id);
    if (!actions.ok()) return actions.status();
    ToActionExecution(row, *actions, *response.add_executions());
  }
  response.set_next_page_token(page->next_page_token);
  return absl::OkStatus();
}

}  // namespace ttads::server
