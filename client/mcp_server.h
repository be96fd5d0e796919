// `ttads mcp`: the Model Context Protocol over stdio (JSON-RPC 2.0, one message per line):
// initialize, ping, tools/list and tools/call for the TikTok tools of mcp_tools.h. Tool failures
// are tool results with isError (the assistant reads them); protocol errors are JSON-RPC errors.
#ifndef TTADS_CLIENT_MCP_SERVER_H_
#define TTADS_CLIENT_MCP_SERVER_H_

#include <istream>
#include <optional>
#include <ostream>

#include "absl/status/status.h"
#include "client/rpc_client.h"
#include "nlohmann/json.hpp"

namespace ttads::client {

// Checks `arguments` against a tool's input schema (object properties of type string, number,
// integer, boolean or array of strings; enum, minItems, exclusiveMinimum, pattern-free): the
// error names the argument and why.
absl::Status ValidateToolArguments(const nlohmann::json& schema, const nlohmann::json& arguments);

class McpServer {
 public:
  explicit McpServer(RpcClient& client) : client_(client) {}

  // The answer to one JSON-RPC message; nullopt for a notification.
  std::optional<nlohmann::json> Handle(const nlohmann::json& message);

  // Reads messages from `in` until it closes, writing each answer as one line to `out`.
  void Serve(std::istream& in, std::ostream& out);

 private:
  RpcClient& client_;
};

}  // namespace ttads::client

#endif  // TTADS_CLIENT_MCP_SERVER_H_
