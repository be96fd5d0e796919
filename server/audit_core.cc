#include "server/audit_core.h"

#include "google/protobuf/util/json_util.h"
#include "server/proto_convert.h"
#include "server/rpc_status.h"
#include "storage/time_format.h"

namespace ttads::server {
namespace {

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

}  // namespace ttads::server
