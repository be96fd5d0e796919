#include "client/mcp_server.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "client/mcp_tools.h"

namespace ttads::client {
namespace {

using Json = nlohmann::json;

constexpr char kProtocolVersion[] = "2024-11-05";

Json Error(const Json& id, int code, const std::string& message) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}

Json Result(const Json& id, Json result) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

Json ToolText(const Json& value, bool is_error) {
  return {{"content", Json::array({{{"type", "text"}, {"text", value.dump(2)}}})},
          {"isError", is_error}};
}

// The string member `key` of `object`, or `fallback` when it is missing or not a string.
// (json::value() throws on a member of another type, and an exception ended `ttads mcp`.)
std::string StringMember(const Json& object, const char* key, const std::string& fallback) {
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : fallback;
}

bool TypeMatches(const std::string& type, const Json& value) {
  if (type == "string") return value.is_string();
  if (type == "number") return value.is_number();
  if (type == "integer") return value.is_number_integer();
  if (type == "boolean") return value.is_boolean();
  if (type == "array") return value.is_array();
  if (type == "object") return value.is_object();
  return true;
}

}  // namespace

absl::Status ValidateToolArguments(const Json& schema, const Json& arguments) {
  if (!arguments.is_object()) return absl::InvalidArgumentError("arguments: must be an object");
  const Json properties = schema.value("properties", Json::object());
  for (const Json& name : schema.value("required", Json::array())) {
    if (!arguments.contains(name.get<std::string>())) {
      return absl::InvalidArgumentError(absl::StrCat(name.get<std::string>(), ": required"));
    }
  }
  for (auto it = arguments.begin(); it != arguments.end(); ++it) {
    if (!properties.contains(it.key())) {
      return absl::InvalidArgumentError(absl::StrCat(it.key(), ": unknown argument"));
    }
    const Json& spec = properties[it.key()];
    const std::string type = spec.value("type", "");
    if (!TypeMatches(type, it.value())) {
      return absl::InvalidArgumentError(absl::StrCat(it.key(), ": must be a ", type));
    }
    if (spec.contains("enum")) {
      bool known = false;
      for (const Json& allowed : spec["enum"]) known = known || allowed == it.value();
      if (!known) {
        return absl::InvalidArgumentError(
            absl::StrCat(it.key(), ": must be one of ", spec["enum"].dump()));
      }
    }
    if (spec.contains("exclusiveMinimum") && it.value().is_number() &&
        it.value().get<double>() <= spec["exclusiveMinimum"].get<double>()) {
      return absl::InvalidArgumentError(absl::StrCat(it.key(), ": must be greater than ",
                                                     spec["exclusiveMinimum"].dump()));
    }
    if (type == "array") {
      if (it.value().size() < spec.value("minItems", 0u)) {
        return absl::InvalidArgumentError(absl::StrCat(it.key(), ": must not be empty"));
      }
      for (const Json& item : it.value()) {
        if (!item.is_string()) {
          return absl::InvalidArgumentError(absl::StrCat(it.key(), ": items must be strings"));
        }
      }
    }
  }
  return absl::OkStatus();
}

std::optional<Json> McpServer::Handle(const Json& message) {
  if (!message.is_object() || StringMember(message, "jsonrpc", "") != "2.0" ||
      !message.contains("method") || !message["method"].is_string()) {
    return Error(message.is_object() ? message.value("id", Json()) : Json(), -32600,
                 "invalid JSON-RPC 2.0 request");
  }
  const std::string method = message["method"];
  if (!message.contains("id")) return std::nullopt;  // a notification (e.g. initialized)
  const Json& id = message["id"];
  const Json params = message.value("params", Json::object());
  if (method == "initialize") {
    return Result(id, {{"protocolVersion",
                        StringMember(params, "protocolVersion", kProtocolVersion)},
                       {"capabilities", {{"tools", {{"listChanged", false}}}}},
                       {"serverInfo", {{"name", "ttads"}, {"version", "1"}}}});
  }
  if (method == "ping") return Result(id, Json::object());
  if (method == "tools/list") {
    Json tools = Json::array();
    for (const McpTool& tool : McpTools()) {
      tools.push_back({{"name", tool.name},
                       {"description", tool.description},
                       {"inputSchema", tool.input_schema},
                       {"annotations", {{"destructiveHint", tool.dangerous},
                                        {"readOnlyHint", !tool.dangerous}}}});
    }
    return Result(id, {{"tools", tools}});
  }
  if (method == "tools/call") {
    if (!params.is_object()) return Error(id, -32602, "params must be an object");
    const std::string name = StringMember(params, "name", "");
    const McpTool* tool = nullptr;
    for (const McpTool& candidate : McpTools()) {
      if (candidate.name == name) tool = &candidate;
    }
    if (tool == nullptr) return Error(id, -32602, absl::StrCat("unknown tool: ", name));
    const Json arguments = params.value("arguments", Json::object());
    if (absl::Status valid = ValidateToolArguments(tool->input_schema, arguments); !valid.ok()) {
      return Result(id, ToolText({{"error", "INVALID_ARGUMENT"}, {"message", valid.message()}},
                                 /*is_error=*/true));
    }
    absl::StatusOr<Json> answer = tool->run(client_, arguments);
    if (!answer.ok()) {
      return Result(id, ToolText({{"error", absl::StatusCodeToString(answer.status().code())},
                                  {"message", std::string(answer.status().message())}},
                                 /*is_error=*/true));
    }
    return Result(id, ToolText(*answer, /*is_error=*/false));
  }
  return Error(id, -32601, absl::StrCat("method not found: ", method));
}

void McpServer::Serve(std::istream& in, std::ostream& out) {
  std::string line;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const Json message = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    std::optional<Json> answer =
        message.is_discarded() ? std::optional<Json>(Error(Json(), -32700, "parse error"))
                               : Handle(message);
    if (answer.has_value()) out << answer->dump() << "\n" << std::flush;
  }
}

}  // namespace ttads::client
