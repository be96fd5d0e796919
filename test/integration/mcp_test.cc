// `ttads mcp` end to end: the CLI binary as a child process speaking JSON-RPC 2.0 over its
// stdin/stdout, against ttads-server (in process) and the TikTok sandbox, on both databases.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "client/mcp_server.h"
#include "client/rpc_client.h"
#include "nlohmann/json.hpp"
#include "test/integration/server_sandbox_fixture.h"

namespace ttads::client {
namespace {

using Json = nlohmann::json;

// Runs `ttads mcp` with `lines` on stdin; returns its stdout lines, parsed.
std::vector<Json> RunMcp(const std::vector<std::string>& env, const std::vector<Json>& lines) {
  int in[2];
  int out[2];
  EXPECT_EQ(pipe(in), 0);
  EXPECT_EQ(pipe(out), 0);
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    close(in[1]);
    close(out[0]);
    std::vector<char*> envp;
    for (const std::string& entry : env) envp.push_back(const_cast<char*>(entry.c_str()));
    envp.push_back(nullptr);
    char* const argv[] = {const_cast<char*>(TTADS_CLI_BINARY), const_cast<char*>("mcp"), nullptr};
    execve(TTADS_CLI_BINARY, argv, envp.data());
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  std::string input;
  for (const Json& line : lines) absl::StrAppend(&input, line.dump(), "\n");
  // The requests are small; the child reads them as it answers.
  EXPECT_EQ(write(in[1], input.data(), input.size()), static_cast<ssize_t>(input.size()));
  close(in[1]);
  std::string output;
  char buffer[4096];
  ssize_t n = 0;
  while ((n = read(out[0], buffer, sizeof(buffer))) > 0) output.append(buffer, static_cast<size_t>(n));
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  std::vector<Json> answers;
  for (absl::string_view line : absl::StrSplit(output, '\n', absl::SkipEmpty())) {
    answers.push_back(Json::parse(std::string(line), nullptr, false));
  }
  return answers;
}

Json Call(int id, const std::string& tool, Json arguments) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"method", "tools/call"},
          {"params", {{"name", tool}, {"arguments", std::move(arguments)}}}};
}

// The JSON a tool answered (its one text content).
Json ToolAnswer(const Json& answer) {
  return Json::parse(answer["result"]["content"][0]["text"].get<std::string>(), nullptr, false);
}

class McpTest : public ::ttads::testing::ServerSandboxTest {
 protected:
  void SetUp() override {
    ServerSandboxTest::SetUp();
    if (server_ == nullptr) return;
    user_ = NewUser("chatty");
    jwt_ = JwtFor(user_);
    Connect(jwt_, "", "7400000000000000001");
    sandbox_.ClearRequestLog();
  }
  std::vector<std::string> Env() {
    return {absl::StrCat("TTADS_ADDR=127.0.0.1:", server_->port()),
            absl::StrCat("TTADS_TOKEN=", jwt_)};
  }
  std::string user_;
  std::string jwt_;
};

TEST_P(McpTest, SpeaksJsonRpcAndRunsToolsThroughTheApi) {
  const std::vector<Json> answers = RunMcp(
      Env(),
      {{{"jsonrpc", "2.0"}, {"id", 1}, {"method", "initialize"},
        {"params", {{"protocolVersion", "2024-11-05"}, {"capabilities", Json::object()},
                    {"clientInfo", {{"name", "test"}, {"version", "1"}}}}}},
       {{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}},
       {{"jsonrpc", "2.0"}, {"id", 2}, {"method", "tools/list"}},
       Call(3, "getTikTokAdvertiserInfo", Json::object()),
       Call(4, "pauseTikTokAdGroup", {{"adgroup_id", "7900000000000000001"}, {"dry_run", true}}),
       Call(5, "pauseTikTokAdGroup",
            {{"adgroup_id", "7900000000000000001"}, {"operation_id", "mcp-op-1"}}),
       Call(6, "updateTikTokAdGroupBudget",
            {{"adgroup_id", "7900000000000000001"}, {"new_budget", 100}}),
       Call(7, "pauseTikTokAd", {{"ad_id", "1"}, {"colour", "red"}}),
       Call(8, "compareTikTokWithFacebook", Json::object()),
       Call(9, "getTikTokCampaigns", {{"period", "last_7d"}}),
       {{"jsonrpc", "2.0"}, {"id", 10}, {"method", "no/such"}}});
  ASSERT_EQ(answers.size(), 10u);  // the notification gets no answer

  EXPECT_EQ(answers[0]["result"]["serverInfo"]["name"], "ttads");
  EXPECT_TRUE(answers[0]["result"]["capabilities"].contains("tools"));

  const Json& tools = answers[1]["result"]["tools"];
  EXPECT_EQ(tools.size(), 25u);
  bool has_campaigns = false;
  for (const Json& tool : tools) {
    EXPECT_EQ(tool["inputSchema"]["type"], "object") << tool["name"];
    has_campaigns = has_campaigns || tool["name"] == "getTikTokCampaigns";
    EXPECT_NE(tool["name"], "compareTikTokWithFacebook");
  }
  EXPECT_TRUE(has_campaigns);

  EXPECT_FALSE(answers[2]["result"]["isError"].get<bool>());
  EXPECT_NE(ToolAnswer(answers[2]).dump().find("7400000000000000001"), std::string::npos);

  // A dry run validates and sends nothing; the real call sends operation_status.
  EXPECT_FALSE(answers[3]["result"]["isError"].get<bool>()) << answers[3].dump();
  EXPECT_FALSE(answers[4]["result"]["isError"].get<bool>()) << answers[4].dump();
  EXPECT_EQ(ToolAnswer(answers[4])["status"], "success");
  int status_updates = 0;
  for (const auto& entry : sandbox_.RequestLog()) {
    if (entry.endpoint != "adgroup/status/update/") continue;
    ++status_updates;
    EXPECT_EQ(entry.body["operation_status"], "DISABLE");
    EXPECT_FALSE(entry.body.contains("status"));
  }
  EXPECT_EQ(status_updates, 1);

  // Below the currency's minimum: refused by the API, reported as a tool error.
  EXPECT_TRUE(answers[5]["result"]["isError"].get<bool>());
  EXPECT_EQ(ToolAnswer(answers[5])["error"], "INVALID_ARGUMENT");
  // An argument the schema does not know.
  EXPECT_TRUE(answers[6]["result"]["isError"].get<bool>());
  EXPECT_NE(ToolAnswer(answers[6])["message"].get<std::string>().find("colour"), std::string::npos);
  // A tool ttads does not have, a method MCP does not have.
  EXPECT_EQ(answers[7]["error"]["code"], -32602);
  EXPECT_FALSE(answers[8]["result"]["isError"].get<bool>()) << answers[8].dump();
  EXPECT_NE(ToolAnswer(answers[8]).dump().find("7800000000000000001"), std::string::npos);
  EXPECT_EQ(answers[9]["error"]["code"], -32601);
}

// Found by fuzz/mcp_jsonrpc_fuzz (fuzz/corpus/mcp_jsonrpc_fuzz/regression_jsonrpc_not_string):
// a member of an unexpected type made json::value() throw, and the exception ended `ttads mcp`.
// Every such line now gets a JSON-RPC error or a default, and the reader goes on. (None of these
// reaches the API, so the client's address is never dialled.)
TEST(McpServerTest, MembersOfTheWrongTypeGetAnswersNotACrash) {
  RpcClient client(ClientOptions{"127.0.0.1:1", "", absl::Seconds(1)});
  McpServer server(client);
  std::istringstream in(R"({"jsonrpc":1}
{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":5}}
{"jsonrpc":"2.0","id":2,"method":"tools/call","params":[1]}
{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":7}}
{"jsonrpc":"2.0","id":4,"method":"ping"}
)");
  std::ostringstream out;
  server.Serve(in, out);
  std::vector<Json> answers;
  for (absl::string_view line : absl::StrSplit(out.str(), '\n', absl::SkipEmpty())) {
    answers.push_back(Json::parse(std::string(line), nullptr, false));
  }
  ASSERT_EQ(answers.size(), 5u) << out.str();
  EXPECT_EQ(answers[0]["error"]["code"], -32600);
  EXPECT_EQ(answers[1]["result"]["protocolVersion"], "2024-11-05");
  EXPECT_EQ(answers[2]["error"]["code"], -32602);
  EXPECT_EQ(answers[3]["error"]["code"], -32602);
  EXPECT_EQ(answers[4]["id"], 4);
  EXPECT_TRUE(answers[4].contains("result"));
}

INSTANTIATE_TEST_SUITE_P(Backends, McpTest, ::ttads::testing::AllBackends(),
                         ::ttads::testing::BackendName);

}  // namespace
}  // namespace ttads::client
