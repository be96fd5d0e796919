#include "server/launch_journal.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "server/tiktok_status.h"
#include "tiktok/tiktok_error.h"

namespace ttads::server {
namespace {
using Json = nlohmann::json;

Json ParseObject(const std::string& text) {
  if (text.empty()) return Json::object();
  Json parsed = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  return parsed.is_discarded() ? Json::object() : parsed;
}
}  // namespace

absl::Status LaunchJournal::Load() {
  absl::StatusOr<std::vector<storage::ActionRow>> rows = executions_.ListActions(execution_id_);
  if (!rows.ok()) return rows.status();
  steps_.clear();
  for (const storage::ActionRow& row : *rows) {
    const Json params = ParseObject(row.params_json);
    const auto key = params.find("step");
    if (key == params.end() || !key->is_string()) continue;
    steps_[key->get<std::string>()] = Step{row.action_idx, row.status, ParseObject(row.result_json)};
  }
  return absl::OkStatus();
}

const Json* LaunchJournal::Result(const std::string& key) const {
  const auto found = steps_.find(key);
  if (found == steps_.end() || found->second.status != "success") return nullptr;
  return &found->second.result;
}

absl::StatusOr<Json> LaunchJournal::Run(const std::string& key, const std::string& type,
                                        Json params,
                                        absl::FunctionRef<absl::StatusOr<Json>(bool)> body) {
  if (const Json* done = Result(key)) return *done;
  params["step"] = key;
  const absl::Time started = clock_.Now();
  auto found = steps_.find(key);
  const bool resumed = found != steps_.end();
  if (resumed) {
    if (absl::Status status = executions_.StartAction(execution_id_, found->second.index, started);
        !status.ok()) {
      return status;
    }
    found->second.status = "running";
  } else {
    storage::ActionRow row;
    row.type = type;
    row.status = "running";
    row.params_json = params.dump();
    absl::StatusOr<int> index = executions_.AppendAction(execution_id_, row, started);
    if (!index.ok()) return index.status();
    found = steps_.emplace(key, Step{*index, "running", Json::object()}).first;
  }
  absl::StatusOr<Json> result = body(resumed);
  const absl::Time finished = clock_.Now();
  if (result.ok()) {
    if (absl::Status status = executions_.FinishAction(execution_id_, found->second.index,
                                                       "success", result->dump(), "", finished);
        !status.ok()) {
      return status;
    }
    found->second.status = "success";
    found->second.result = *result;
    return result;
  }
  const absl::Status shown = FromTikTokStatus(result.status());
  Json error = {{"message", std::string(shown.message())},
                {"code", absl::StatusCodeToString(shown.code())},
                {"tiktok_code", tiktok::TikTokCodeOf(result.status())}};
  if (auto tiktok_error = tiktok::TikTokErrorOf(result.status())) {
    error["tiktok_request_id"] = tiktok_error->request_id;
  }
  (void)executions_.FinishAction(execution_id_, found->second.index, "failed", "", error.dump(),
                                 finished);
  found->second.status = "failed";
  failed_step_ = key;
  return result.status();
}

absl::Status LaunchJournal::Invalidate(const std::string& key, const std::string& why) {
  auto found = steps_.find(key);
  if (found == steps_.end()) return absl::OkStatus();
  found->second.status = "failed";
  return executions_.FinishAction(execution_id_, found->second.index, "failed", "",
                                  Json{{"message", why}}.dump(), clock_.Now());
}

}  // namespace ttads::server
