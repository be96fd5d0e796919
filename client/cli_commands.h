// The operator CLI's command table: `ttads <noun> <verb>` → an RPC, which request field a bare
// positional argument fills, the command's own short flags (e.g. `--direction` →
// `direction_id`), and the table its answer is shown as. Everything the CLI does with a command
// is driven by its row: the parsing and rendering below are shared by the binary and the tests.
#ifndef TTADS_CLIENT_CLI_COMMANDS_H_
#define TTADS_CLIENT_CLI_COMMANDS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace ttads::client {

// A short flag of a command, mapped to a request field.
struct CliFlag {
  enum class Syntax {
    kPlain,  // --name VALUE: the value goes to `field` as --field=VALUE would
    kAdset,  // --adset CREATIVE_ID[,CREATIVE_ID...][:BUDGET]: appends one AdsetSpec to `field`
  };
  std::string name;        // without the leading "--"
  std::string field;       // request field path it sets
  std::string bare_value;  // when set, the flag takes no value and sets `field` to this
  Syntax syntax = Syntax::kPlain;
};

// One column of a table: its header and where its cell comes from in the response's JSON form
// (dot-separated proto field names; through a list the values are joined with ",").
struct CliColumn {
  std::string header;
  std::string path;
};

// A further table printed below the first one, under its title (e.g. a brain run's actions
// below its health scores).
struct CliSection {
  std::string title;
  std::string rows;
  std::vector<CliColumn> columns;
};

// How a response is shown without --json. `rows` is the path of the list the rows come from
// ("" = the response itself is the only row); `summary` paths are printed above the table as
// "name: value" lines when not empty. Commands without columns print "path: value" lines.
struct CliTable {
  std::vector<std::string> summary;
  std::string rows;
  std::vector<CliColumn> columns;
  std::vector<CliSection> sections = {};
};

struct CliCommand {
  std::string noun;
  std::string verb;
  std::string method;            // "Service/Method" in ttads.v1
  std::string positional_field;  // request field filled by the first bare argument, if any
  std::string help;
  std::vector<CliFlag> flags = {};
  CliTable table = {};
  // Request fields set before the arguments are read (e.g. `brain pause` sets paused=true).
  std::vector<std::pair<std::string, std::string>> presets = {};
  // Printed on stderr before a call that may take long (without --json), e.g. a batch.
  std::string progress = {};
};

const std::vector<CliCommand>& CliCommands();

// The row of `ttads <noun> <verb>`, or null.
const CliCommand* FindCliCommand(absl::string_view noun, absl::string_view verb);

// Flags every command understands when its request has the field: --user (user_account_id),
// --account (account_id), --key (idempotency_key), --dry-run (validate_only).
const std::vector<CliFlag>& CommonCliFlags();

// Fills `request` from the arguments after `<noun> <verb>`: the positional argument, the
// command's flags and the common ones, and any request field as --field=value or --field value
// (see request_builder.h). Flags that take no value (--dry-run, --paused, other bool fields) do
// not swallow the next argument unless it is true/false/1/0; `--flag=value` always works.
// INVALID_ARGUMENT names the argument and why.
absl::Status FillRequest(const CliCommand& command, const std::vector<std::string>& args,
                         google::protobuf::Message& request);

// The response for humans: the command's table, or "path: value" lines when it has none.
std::string RenderResponse(const CliCommand& command, const google::protobuf::Message& response);

}  // namespace ttads::client

#endif  // TTADS_CLIENT_CLI_COMMANDS_H_
