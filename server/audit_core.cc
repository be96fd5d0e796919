#include "server/audit_core.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/json_util.h"
#include "nlohmann/json.hpp"
#include "server/action_core.h"
#include "server/proto_convert.h"
#include "server/rpc_status.h"
#include "server/validation.h"
#include "storage/time_format.h"

namespace ttads::server {
namespace {

using Json = nlohmann::json;

// The source of the launch workflows' executions (see LaunchCore).
constexpr char kLaunchSource[] = "tiktok_campaign_builder";
constexpr char kDispatchMethod[] = "ttads.v1.ActionService/Dispatch";
constexpr char kBuilderService[] = "ttads.v1.CampaignBuilderService/";

// "user:<id>" → ("user", "<id>"); "operator" → ("operator", "").
std::pair<std::string, std::string> SplitActor(const std::string& actor) {
  const std::size_t colon = actor.find(':');
  if (colon == std::string::npos) return {actor, ""};
  return {actor.substr(0, colon), actor.substr(colon + 1)};
}

void ToProto(const storage::AuditEntry& entry, v1::AuditEvent& out) {
  out.set_id(entry.id);
  out.set_created_at(TimeText(entry.created_at));
  const auto [actor_type, actor_id] = SplitActor(entry.actor);
  out.set_actor_type(actor_type);
  out.set_actor_id(actor_id);
  out.set_user_account_id(TextOf(entry.user_account_id));
  out.set_account_id(TextOf(entry.account_id));
  out.set_action(entry.action);
  out.set_object_type(TextOf(entry.target_type));
  out.set_object_id(TextOf(entry.target_id));
  out.set_idempotency_key(TextOf(entry.idempotency_key));
  out.set_method(entry.action);
  if (entry.details_json.has_value()) {
    // Details of a change describe its result.
    (void)google::protobuf::util::JsonStringToMessage(*entry.details_json, out.mutable_after());
  }
}

// ---- operations ----------------------------------------------------------------------------

Json ParseObject(const std::string& text) {
  if (text.empty()) return Json::object();
  Json parsed = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) return Json::object();
  return parsed;
}

// A string (or integer) member as text; "" when absent.
std::string Text(const Json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end()) return "";
  if (found->is_string()) return found->get<std::string>();
  if (found->is_number_integer()) return absl::StrCat(found->get<long long>());
  return "";
}

long long Integer(const Json& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end() || !found->is_number_integer()) return 0;
  return found->get<long long>();
}

void ToStruct(const std::string& text, google::protobuf::Struct* out) {
  if (text.empty()) return;
  if (!google::protobuf::util::JsonStringToMessage(text, out).ok()) out->Clear();
}

bool IsLaunch(const storage::ExecutionRow& row) { return row.source == kLaunchSource; }

// The RPC of an execution: a launch records it in request_json.rpc ("ManualLaunch" for
// CampaignBuilderService, "Service.Method" otherwise); every other execution is a batch.
std::string MethodOf(const storage::ExecutionRow& row) {
  if (!IsLaunch(row)) return kDispatchMethod;
  const std::string rpc = Text(ParseObject(row.request_json), "rpc");
  if (rpc.empty()) return "";
  const std::size_t dot = rpc.find('.');
  if (dot == std::string::npos) return absl::StrCat(kBuilderService, rpc);
  return absl::StrCat("ttads.v1.", rpc.substr(0, dot), "/", rpc.substr(dot + 1));
}

// agent_executions.status → Operation.status. A `partial` launch is open for a retry under the
// same key, as a failed one is.
std::string OperationStatus(const std::string& status) {
  if (status == "running") return "running";
  if (status == "success") return "succeeded";
  return "failed";
}

// Operation.status → the agent_executions statuses it stands for.
std::vector<std::string> StorageStatuses(const std::string& status) {
  if (status == "running") return {"running"};
  if (status == "succeeded") return {"success"};
  return {"failed", "partial"};
}

// "ClaimPoolAdGroup" → "claim_pool_ad_group".
std::string SnakeCase(const std::string& name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    if (std::isupper(c) != 0) {
      const bool after_lower = i > 0 && std::isupper(static_cast<unsigned char>(name[i - 1])) == 0;
      const bool before_lower =
          i > 0 && i + 1 < name.size() &&
          std::islower(static_cast<unsigned char>(name[i + 1])) != 0;
      if (!out.empty() && out.back() != '_' && (after_lower || before_lower)) out += '_';
      out += static_cast<char>(std::tolower(c));
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// The step name of an agent_actions type: launch steps by what they do, batch items as
// `action:<type>`.
std::string StepName(const std::string& type, bool launch) {
  if (!launch) return absl::StrCat("action:", type);
  static const auto* const kNames = new std::map<std::string, std::string>{
      {"TikTok.UploadVideo", "upload_video"},       {"TikTok.UploadImage", "upload_image"},
      {"TikTok.CreateCampaign", "create_campaign"}, {"TikTok.CreateAdGroup", "create_adgroup"},
      {"TikTok.CreateAds", "create_ad"},            {"TikTok.ResumeAdGroup", "enable_adgroup"}};
  const auto found = kNames->find(type);
  if (found != kNames->end()) return found->second;
  const std::size_t dot = type.rfind('.');
  return SnakeCase(dot == std::string::npos ? type : type.substr(dot + 1));
}

// agent_actions.status → OperationStep.status. A step left `running` by a run that ended, or
// one that failed on a timeout, may have acted at TikTok: its outcome is unknown.
std::string StepStatus(const storage::ActionRow& row, const Json& error, bool run_open) {
  if (row.status == "queued") return "pending";
  if (row.status == "running") return run_open ? "running" : "unknown";
  if (row.status == "success") return "done";
  if (row.status == "failed") {
    return Text(error, "code") == "DEADLINE_EXCEEDED" ? "unknown" : "failed";
  }
  return row.status;  // skipped
}

// The TikTok object a step produced (launch steps: from their result) or changed (batch items:
// from their parameters).
std::pair<std::string, std::string> StepObject(const std::string& type, const Json& params,
                                               const Json& result) {
  std::pair<std::string, std::string> object;
  if (type == "TikTok.UploadVideo") {
    object = {"video", Text(result, "video_id")};
  } else if (type == "TikTok.UploadImage") {
    object = {"image", Text(result, "image_id")};
  } else if (type == "TikTok.CreateCampaign") {
    object = {"campaign", Text(result, "campaign_id")};
  } else if (type == "TikTok.CreateAdGroup") {
    object = {"adgroup", Text(result, "adgroup_id")};
  } else if (type == "ttads.ClaimPoolAdGroup" ||
             type == "TikTok.Direction.CreateAdGroupWithCreatives") {
    object = {"adgroup", Text(result, "tiktok_adgroup_id")};
  } else if (type == "TikTok.CreateAds") {
    std::vector<std::string> ids;
    const auto ads = result.find("ads");
    if (ads != result.end() && ads->is_array()) {
      for (const Json& ad : *ads) {
        if (ad.is_object() && !Text(ad, "ad_id").empty()) ids.push_back(Text(ad, "ad_id"));
      }
    }
    object = {"ad", absl::StrJoin(ids, ",")};
  } else if (!Text(params, "ad_id").empty()) {
    object = {"ad", Text(params, "ad_id")};
  } else if (!Text(params, "adgroup_id").empty()) {
    object = {"adgroup", Text(params, "adgroup_id")};
  } else if (!Text(params, "campaign_id").empty()) {
    object = {"campaign", Text(params, "campaign_id")};
  }
  if (object.second.empty()) return {};
  return object;
}

void ToStep(const storage::ActionRow& row, bool launch, bool run_open, v1::OperationStep& out) {
  const Json params = ParseObject(row.params_json);
  const Json result = ParseObject(row.result_json);
  const Json error = ParseObject(row.error_json);
  out.set_index(row.action_idx);
  out.set_name(StepName(row.type, launch));
  out.set_status(StepStatus(row, error, run_open));
  const auto [object_type, object_id] = StepObject(row.type, params, result);
  out.set_object_type(object_type);
  out.set_object_id(object_id);
  std::string request_id = Text(error, "tiktok_request_id");
  if (request_id.empty()) request_id = Text(result, "request_id");  // a batch item's envelope
  out.set_tiktok_request_id(request_id);
  if (out.status() == "failed" || out.status() == "unknown") {
    out.set_error(Text(error, "message"));
    if (out.error().empty() && out.status() == "unknown") {
      out.set_error("the step was interrupted; its outcome at TikTok is not known");
    }
    out.set_tiktok_code(static_cast<int32_t>(Integer(error, "tiktok_code")));
  }
  // The journal keeps the latest attempt only: one once the step has started.
  out.set_attempts(row.started_at.has_value() ? 1 : 0);
  out.set_started_at(TimeText(row.started_at));
  out.set_finished_at(row.status == "running" ? "" : TimeText(row.finished_at));
}

void ToOperation(const storage::ExecutionRow& row, const std::vector<storage::ActionRow>& actions,
                 v1::Operation& out) {
  const bool launch = IsLaunch(row);
  const bool open = row.status == "running";
  out.set_id(row.id);
  out.set_method(MethodOf(row));
  out.set_idempotency_key(row.idempotency_key);
  out.set_user_account_id(row.user_account_id);
  out.set_account_id(TextOf(row.account_id));
  out.set_status(OperationStatus(row.status));
  absl::Time updated = row.created_at;
  const auto touch = [&updated](const std::optional<absl::Time>& time) {
    if (time.has_value()) updated = std::max(updated, *time);
  };
  touch(row.started_at);
  touch(row.finished_at);
  for (const storage::ActionRow& action : actions) {
    ToStep(action, launch, open, *out.add_steps());
    touch(action.started_at);
    touch(action.finished_at);
  }
  if (out.status() == "succeeded") {
    if (launch) {
      ToStruct(row.result_json, out.mutable_result());
    } else {
      // What a replay of the batch answers.
      v1::DispatchResponse replay;
      ToDispatchResponse(row, actions, /*duplicate=*/true, replay);
      std::string text;
      if (google::protobuf::util::MessageToJsonString(replay, &text).ok()) {
        ToStruct(text, out.mutable_result());
      }
    }
  } else if (out.status() == "failed") {
    std::string error = Text(ParseObject(row.error_json), "message");
    for (const v1::OperationStep& step : out.steps()) {
      if (!error.empty()) break;
      if (step.status() == "failed" || step.status() == "unknown") error = step.error();
    }
    out.set_error(error.empty() ? "the operation failed" : error);
  }
  out.set_actor(Text(ParseObject(row.request_json), "actor"));
  out.set_created_at(TimeText(row.created_at));
  out.set_updated_at(TimeText(updated));
  out.set_finished_at(open ? "" : TimeText(row.finished_at));
}

}  // namespace

absl::Status AuditCore::ListAuditEvents(const Principal& principal,
                                        const v1::ListAuditEventsRequest& request,
                                        v1::ListAuditEventsResponse& response) {
  RequestValidator validator;
  validator.Uuid("user_account_id", request.user_account_id(), /*required=*/false);
  validator.Uuid("account_id", request.account_id(), /*required=*/false);
  std::optional<absl::Time> start, end;
  if (!request.start_time().empty()) {
    auto parsed = storage::ParseTimestamp(request.start_time());
    if (parsed.ok()) start = *parsed; else validator.Fail("start_time", "must be RFC 3339");
  }
  if (!request.end_time().empty()) {
    auto parsed = storage::ParseTimestamp(request.end_time());
    if (parsed.ok()) end = *parsed; else validator.Fail("end_time", "must be RFC 3339");
  }
  if (!validator.ok()) return validator.status();

  const storage::PageRequest page =
      PageOf(request.page_size() == 0 ? 100 : request.page_size(), request.page_token(), 1000);
  absl::StatusOr<storage::Page<storage::AuditEntry>> entries;
  if (request.user_account_id().empty() && principal.is_operator()) {
    entries = audit_log_.ListAll(page);
  } else {
    absl::StatusOr<std::string> user_id =
        principal.EffectiveUser(request.user_account_id(), "user_account_id");
    if (!user_id.ok()) return user_id.status();
    entries = audit_log_.ListForUser(*user_id, page);
  }
  if (!entries.ok()) return entries.status();
  for (const storage::AuditEntry& entry : entries->items) {
    v1::AuditEvent event;
    ToProto(entry, event);
    if (!request.account_id().empty() && event.account_id() != request.account_id()) continue;
    if (!request.object_type().empty() && event.object_type() != request.object_type()) continue;
    if (!request.object_id().empty() && event.object_id() != request.object_id()) continue;
    if (!request.actor_type().empty() && event.actor_type() != request.actor_type()) continue;
    if (!request.actor_id().empty() && event.actor_id() != request.actor_id()) continue;
    if (start.has_value() && entry.created_at < *start) continue;
    if (end.has_value() && entry.created_at >= *end) continue;
    *response.add_events() = std::move(event);
  }
  response.set_next_page_token(entries->next_page_token);
  return absl::OkStatus();
}

absl::Status AuditCore::ListOperations(const Principal& principal,
                                       const v1::ListOperationsRequest& request,
                                       v1::ListOperationsResponse& response) {
  RequestValidator validator;
  validator.Uuid("user_account_id", request.user_account_id(), /*required=*/false);
  validator.Uuid("account_id", request.account_id(), /*required=*/false);
  if (!request.status().empty() &&
      !OneOf(request.status(), {"running", "succeeded", "failed"})) {
    validator.Fail("status", "must be running, succeeded or failed");
  }
  if (request.idempotency_key().size() > 128) {
    validator.Fail("idempotency_key", "at most 128 characters");
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
  if (!request.status().empty()) filter.statuses = StorageStatuses(request.status());
  filter.idempotency_key = request.idempotency_key();
  const std::string& method = request.method();
  if (absl::StartsWith(method, kBuilderService) ||
      method == "ttads.v1.ActionService/CreateAdGroupWithCreatives") {
    filter.source = kLaunchSource;
  }
  absl::StatusOr<storage::Page<storage::ExecutionRow>> page = executions_.List(
      filter, PageOf(request.page_size() == 0 ? 50 : request.page_size(), request.page_token()));
  if (!page.ok()) return page.status();
  for (const storage::ExecutionRow& row : page->items) {
    if (!method.empty() && MethodOf(row) != method) continue;
    absl::StatusOr<std::vector<storage::ActionRow>> actions = executions_.ListActions(row.id);
    if (!actions.ok()) return actions.status();
    ToOperation(row, *actions, *response.add_operations());
  }
  response.set_next_page_token(page->next_page_token);
  return absl::OkStatus();
}

absl::Status AuditCore::GetOperation(const Principal& principal,
                                     const v1::GetOperationRequest& request,
                                     v1::Operation& response) {
  RequestValidator validator;
  validator.Uuid("operation_id", request.operation_id(), /*required=*/true);
  if (!validator.ok()) return validator.status();
  const std::optional<std::string> scope = principal.ReadScope();
  absl::StatusOr<storage::ExecutionRow> row = executions_.Get(scope, request.operation_id());
  if (!row.ok()) return row.status();
  absl::StatusOr<std::vector<storage::ActionRow>> actions = executions_.ListActions(row->id);
  if (!actions.ok()) return actions.status();
  ToOperation(*row, *actions, response);
  return absl::OkStatus();
}

}  // namespace ttads::server
