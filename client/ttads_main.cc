// ttads: the operator command line. Talks gRPC to TTADS_ADDR with TTADS_TOKEN.
//   ttads <noun> <verb> [positional] [--field=value ...] [--json]
//   ttads call <Service/Method> ['<request JSON>'] [--json]
//   ttads health
// Every request field can be given as --field=value (nested: --inputs.dispatch=true; repeated
// strings: --creative-ids=a,b; wrappers and JSON fields take their value or JSON).
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
      "       ttads health\n\n"
      "Environment: TTADS_ADDR (default 127.0.0.1:50051), TTADS_TOKEN (bearer credential).\n"
      "Every request field of the RPC can be set with --field=value; see proto/ttads/v1.\n\n"
      "Commands:\n";
  for (const CliCommand& command : CliCommands()) {
    absl::StrAppendFormat(&usage, "  %-10s %-18s %s  (%s)\n", command.noun, command.verb,
                          command.help, command.method);
  }
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
  std::vector<std::string> words;
  std::vector<std::pair<std::string, std::string>> assignments;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--json") {
      json = true;
    } else if (arg == "--help" || arg == "-h") {
      PrintUsage();
      return 0;
    } else if (absl::StartsWith(arg, "--")) {
      const std::size_t equals = arg.find('=');
      std::string name = arg.substr(2, equals == std::string::npos ? std::string::npos : equals - 2);
      std::string value;
      if (equals != std::string::npos) {
        value = arg.substr(equals + 1);
      } else if (i + 1 < argc && !absl::StartsWith(argv[i + 1], "--")) {
        value = argv[++i];
      } else {
        value = "true";  // a bare --flag sets a bool
      }
      if (name == "addr") {
        options.address = value;
      } else if (name == "token") {
        options.token = value;
      } else {
        assignments.emplace_back(std::move(name), std::move(value));
      }
    } else {
      words.push_back(arg);
    }
  }
  if (words.empty()) {
    PrintUsage();
    return 2;
  }

  RpcClient client(options);
  if (words[0] == "health") {
    auto health = client.Health();
    if (!health.ok()) return Fail(health.status(), json);
    std::cout << (json ? absl::StrCat(R"({"status":")", *health, "\"}") : *health) << "\n";
    return *health == "SERVING" ? 0 : 1;
  }

  std::string method;
  std::string positional_field;
  std::string request_json;
  std::size_t next_word = 0;
  if (words[0] == "call") {
    if (words.size() < 2) {
      PrintUsage();
      return 2;
    }
    method = words[1];
    if (words.size() > 2) request_json = words[2];
    next_word = words.size();
  } else {
    for (const CliCommand& command : CliCommands()) {
      if (words.size() >= 2 && command.noun == words[0] && command.verb == words[1]) {
        method = command.method;
        positional_field = command.positional_field;
      }
    }
    if (method.empty()) {
      std::cerr << "unknown command '" << words[0] << (words.size() > 1 ? " " + words[1] : "")
                << "' (see ttads --help)\n";
      return 2;
    }
    next_word = 2;
  }

  auto descriptor = RpcClient::FindMethod(method);
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
  if (next_word < words.size()) {
    if (positional_field.empty()) {
      std::cerr << "unexpected argument '" << words[next_word] << "'\n";
      return 2;
    }
    if (auto status = ttads::client::SetField(*request, positional_field, words[next_word]);
        !status.ok()) {
      return Fail(status, json);
    }
  }
  for (const auto& [name, value] : assignments) {
    if (auto status = ttads::client::SetField(*request, name, value); !status.ok()) {
      return Fail(status, json);
    }
  }
  if (auto status = client.Call(method, *request, *response); !status.ok()) {
    return Fail(status, json);
  }
  std::cout << (json ? ttads::client::ToJson(*response, /*pretty=*/true)
                     : ttads::client::ToLines(*response));
  if (json) std::cout << "\n";
  return 0;
}
