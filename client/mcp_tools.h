// The TikTok tools of the chat assistant (Model Context Protocol), as the existing brain exposes
// them (existing-system.md §10), minus the Facebook comparison: same names and inputs, `dry_run`
// and `operation_id` on the write tools. Every tool goes through the gRPC API with the caller's
// credentials, so validation, guards, audit and tenancy apply as for any other client.
#ifndef TTADS_CLIENT_MCP_TOOLS_H_
#define TTADS_CLIENT_MCP_TOOLS_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/rpc_client.h"
#include "nlohmann/json.hpp"

namespace ttads::client {

struct McpTool {
  std::string name;
  std::string description;
  nlohmann::json input_schema;  // JSON Schema of `arguments`
  bool dangerous = false;       // changes what runs (the write tools)
  // Runs the tool; the result is the tool's JSON answer.
  std::function<absl::StatusOr<nlohmann::json>(RpcClient& client, const nlohmann::json& args)>
      run;
};

// Every tool, in the order tools/list shows them.
const std::vector<McpTool>& McpTools();

// The date range of a tool's period arguments: `date_from`/`date_to` (YYYY-MM-DD, they win),
// else `period` (today | yesterday | last_3d | last_7d | last_14d | last_30d | last_90d |
// last_6m | last_12m | all), default last_7d, in Asia/Almaty as the users' accounts are. The
// last_* periods end yesterday (today's figures are partial); `all` is the 365 days up to
// yesterday (the ROI report takes at most 366).
absl::StatusOr<std::pair<std::string, std::string>> PeriodRange(const nlohmann::json& args,
                                                                absl::Time now);

}  // namespace ttads::client

#endif  // TTADS_CLIENT_MCP_TOOLS_H_
