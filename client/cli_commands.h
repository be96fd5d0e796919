// The operator CLI's command table: `ttads <noun> <verb>` → an RPC, plus which request field a
// bare positional argument fills.
#ifndef TTADS_CLIENT_CLI_COMMANDS_H_
#define TTADS_CLIENT_CLI_COMMANDS_H_

#include <string>
#include <vector>

namespace ttads::client {

struct CliCommand {
  std::string noun;
  std::string verb;
  std::string method;            // "Service/Method" in ttads.v1
  std::string positional_field;  // request field filled by the first bare argument, if any
  std::string help;
};

const std::vector<CliCommand>& CliCommands();

}  // namespace ttads::client

#endif  // TTADS_CLIENT_CLI_COMMANDS_H_
