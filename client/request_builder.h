// Builds a request message from command-line style assignments ("field.sub=value"), using the
// message's descriptor to type each value. Shared by the CLI and tests.
#ifndef TTADS_CLIENT_REQUEST_BUILDER_H_
#define TTADS_CLIENT_REQUEST_BUILDER_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace ttads::client {

// Sets `path` (dot-separated field names; '-' may stand for '_') on `message` to `value`:
//   string/enum fields take the text; bool takes true/false/1/0; numbers are parsed;
//   google.protobuf wrappers take their wrapped value; Struct/Value/ListValue and other messages
//   take JSON; repeated scalar fields append (a comma-separated value appends each element).
// INVALID_ARGUMENT names the field and why.
absl::Status SetField(google::protobuf::Message& message, absl::string_view path,
                      absl::string_view value);

// Renders set fields as "path: value" lines (repeated as path[i]), for humans.
std::string ToLines(const google::protobuf::Message& message);

}  // namespace ttads::client

#endif  // TTADS_CLIENT_REQUEST_BUILDER_H_
