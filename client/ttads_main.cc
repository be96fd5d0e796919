// ttads: the operator command line. Talks gRPC to TTADS_ADDR with TTADS_TOKEN.
//   ttads <noun> <verb> [positional] [--flag value | --field=value ...] [--json]
//   ttads call <Service/Method> ['<request JSON>'] [--json]
//   ttads health
// Every request field can be given as --field=value (nested: --inputs.dispatch=true; repeated
// strings: --creative-ids=a,b; wrappers and JSON fields take their value or JSON); commands
// also have short flags of their own (client/cli_commands.cc), and answers of commands with a
// table are shown as one.
#include <cstdio>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/cli_commands.h"
#include "client/request_builder.h"
#include "client/mcp_server.h"
#include "client/rpc_client.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"

namespace {

using ttads::client::CliCommand;
using ttads::client::CliCommands;
using ttads::client::RpcClient;

void PrintUsage() {
  std::string usage =
      "Usage: ttads [--addr=HOST:PORT] [--token=TOKEN] [--json] <noun> <verb> [id] "
      "[--field=value ...]\n"
      "       ttads call <Service/Method> ['<request JSON>']\n"
      "       ttads health\n"
      "       ttads mcp     (the chat assistant's TikTok tools: MCP, JSON-RPC over stdio)\n\n"
      "Environment: TTADS_ADDR (default 127.0.0.1:50051), TTADS_TOKEN (bearer credential).\n"
      "Every request field of the RPC can be set with --field=value; see proto/ttads/v1.\n\n"
      "Commands:\n";
  for (const CliCommand& command : CliCommands()) {
    absl::StrAppendFormat(&usage, "  %-10s %-18s %s  (%s)\n", command.noun, command.verb,
                          command.help, command.method);
  }
  usage +=
      "\nWhere the request has the field: --user ID (user_account_id; the operator names the "
      "user,\na user's own key or JWT needs none), --account ID (account_id), --key K "
      "(idempotency_key),\n--dry-run (validate_only: check everything, change nothing).\n";
  std::fputs(usage.c_str(), stderr);
}

int Fail(const absl::Status& status, bool json) {
  if (json) {
    std::cout << R"({"error":{"code":")" << absl::StatusCodeToString(status.code())
              << R"(","message":)" << std::quoted(std::string(status.message())) << "}}\n";
  } else {
    std::cerr << "error: " << absl::StatusCodeToString(status.code()) << ": " << status.message()
              << "\n";
    const auto payload = status.GetPayload("type.googleapis.com/google.rpc.BadRequest");
    google::rpc::BadRequest bad_request;
    if (payload.has_value() && bad_request.ParseFromString(std::string(*payload))) {
      for (const auto& violation : bad_request.field_violations()) {
        std::cerr << "  field " << violation.field() << ": " << violation.description() << "\n";
      }
    }
  }
  return status.code() == absl::StatusCode::kInvalidArgument ? 2 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  ttads::client::ClientOptions options;
  if (const char* address = std::getenv("TTADS_ADDR")) options.address = address;
  if (const char* token = std::getenv("TTADS_TOKEN")) options.token = token;
  bool json = false;
  // The global options go anywhere; everything else is `<noun> <verb> [args]` for the command.
  std::vector<std::string> rest;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--json") {
      json = true;
    } else if (arg == "--help" || arg == "-h") {
      PrintUsage();
      return 0;
    } else if (arg == "--addr" || arg == "--token") {
      if (i + 1 >= argc) {
        std::cerr << arg << " needs a value\n";
        return 2;
      }
      (arg == "--addr" ? options.address : options.token) = argv[++i];
    } else if (absl::StartsWith(arg, "--addr=")) {
      options.address = arg.substr(7);
    } else if (absl::StartsWith(arg, "--token=")) {
      options.token = arg.substr(8);
    } else {
      rest.push_back(arg);
    }
  }
  if (rest.empty() || absl::StartsWith(rest[0], "--")) {
    PrintUsage();
    return 2;
  }

  // A batch runs every due account before it answers: give it far longer than one call.
  if (rest.size() >= 2 && rest[0] == "batch" && rest[1] == "run") options.timeout = absl::Hours(1);
  RpcClient client(options);
  if (rest[0] == "mcp") {
    // The chat assistant's tools over stdio, until stdin closes.
    ttads::client::McpServer server(client);
    server.Serve(std::cin, std::cout);
    return 0;
  }
  if (rest[0] == "health") {
    auto health = client.Health();
    if (!health.ok()) return Fail(health.status(), json);
    std::cout << (json ? absl::StrCat(R"({"status":")", *health, "\"}") : *health) << "\n";
    return *health == "SERVING" ? 0 : 1;
  }

  CliCommand command;  // `call` uses a row of its own: no positional field, no table
  std::string request_json;
  std::vector<std::string> args;
  if (rest[0] == "call") {
    if (rest.size() < 2) {
      PrintUsage();
      return 2;
    }
    command.method = rest[1];
    std::size_t next = 2;
    if (rest.size() > 2 && !absl::StartsWith(rest[2], "--")) request_json = rest[next++];
    args.assign(rest.begin() + static_cast<std::ptrdiff_t>(next), rest.end());
  } else {
    const CliCommand* found =
        rest.size() >= 2 ? ttads::client::FindCliCommand(rest[0], rest[1]) : nullptr;
    if (found == nullptr) {
      std::cerr << "unknown command '" << rest[0] << (rest.size() > 1 ? " " + rest[1] : "")
                << "' (see ttads --help)\n";
      return 2;
    }
    command = *found;
    args.assign(rest.begin() + 2, rest.end());
  }

  auto descriptor = RpcClient::FindMethod(command.method);
  if (!descriptor.ok()) return Fail(descriptor.status(), json);
  google::protobuf::DynamicMessageFactory factory;
  std::unique_ptr<google::protobuf::Message> request(
      factory.GetPrototype((*descriptor)->input_type())->New());
  std::unique_ptr<google::protobuf::Message> response(
      factory.GetPrototype((*descriptor)->output_type())->New());
  if (!request_json.empty()) {
    const auto parsed = google::protobuf::util::JsonStringToMessage(request_json, request.get());
    if (!parsed.ok()) {
      return Fail(absl::InvalidArgumentError(absl::StrCat("request JSON: ", parsed.ToString())),
                  json);
    }
  }
  if (auto status = ttads::client::FillRequest(command, args, *request); !status.ok()) {
    return Fail(status, json);
  }
  if (!json && !command.progress.empty()) std::cerr << command.progress << std::endl;
  if (auto status = client.Call(command.method, *request, *response); !status.ok()) {
    return Fail(status, json);
  }
  std::cout << (json ? ttads::client::ToJson(*response, /*pretty=*/true)
                     : ttads::client::RenderResponse(command, *response));
  if (json) std::cout << "\n";
  return 0;
}
