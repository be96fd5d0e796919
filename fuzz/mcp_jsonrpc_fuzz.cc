// `ttads mcp`'s JSON-RPC reader and dispatcher (client/mcp_server.h) and the tools behind it
// (client/mcp_tools.h). The tools call a real gRPC channel; it points at an in-process generic
// server that answers every method with an empty (all-defaults) message, so a tools/call runs
// end to end without ttads-server.
//
// Input: the stdin of `ttads mcp` (JSON-RPC messages, one per line).
// Invariants: the reader never dies on a line; each answer is one line of JSON-RPC 2.0 with a
// result or an error; there are never more answers than non-blank lines.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <sstream>
#include <string>

#include "client/mcp_server.h"
#include "client/rpc_client.h"
#include "fuzz/fuzz_support.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/grpcpp.h"
#include "nlohmann/json.hpp"

namespace ttads::fuzz {
namespace {

// Answers any unary call with an empty message (every proto3 message decodes from it).
class EmptyAnswers final : public grpc::CallbackGenericService {
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext*) override {
    class Reactor final : public grpc::ServerGenericBidiReactor {
     public:
      Reactor() { StartRead(&request_); }
      void OnReadDone(bool ok) override {
        if (!ok) {
          Finish(grpc::Status::OK);
          return;
        }
        grpc::Slice empty("");
        response_ = grpc::ByteBuffer(&empty, 1);
        StartWriteAndFinish(&response_, grpc::WriteOptions(), grpc::Status::OK);
      }
      void OnDone() override { delete this; }

     private:
      grpc::ByteBuffer request_;
      grpc::ByteBuffer response_;
    };
    return new Reactor();
  }
};

client::RpcClient& Client() {
  static client::RpcClient* const rpc = [] {
    static EmptyAnswers service;
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterCallbackGenericService(&service);
    static std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
    FUZZ_CHECK(server != nullptr && port != 0, "in-process gRPC server did not start");
    client::ClientOptions options;
    options.address = absl::StrCat("127.0.0.1:", port);
    options.token = "fuzz-token";
    options.timeout = absl::Seconds(5);
    return new client::RpcClient(options);
  }();
  return *rpc;
}

}  // namespace
}  // namespace ttads::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ttads::fuzz;
  const std::string input(AsText(data, size));
  ttads::client::McpServer server(Client());
  std::istringstream in(input);
  std::ostringstream out;
  server.Serve(in, out);

  size_t lines = 0;
  {
    std::istringstream count(input);
    std::string line;
    while (std::getline(count, line)) {
      lines += line.find_first_not_of(" \t\r") != std::string::npos;
    }
  }
  std::istringstream answers(out.str());
  std::string answer;
  size_t count = 0;
  while (std::getline(answers, answer)) {
    ++count;
    Trace(answer.substr(0, 300), absl::OkStatus());
    const nlohmann::json parsed = nlohmann::json::parse(answer, nullptr, false);
    FUZZ_CHECK(!parsed.is_discarded() && parsed.is_object(), "an answer is not a JSON object");
    FUZZ_CHECK(parsed.contains("jsonrpc") && parsed["jsonrpc"] == "2.0", "answer is not 2.0");
    FUZZ_CHECK(parsed.contains("result") != parsed.contains("error"),
               "answer needs exactly one of result and error");
  }
  FUZZ_CHECK(count <= lines, "more answers than messages");
  return 0;
}
