// The one place where ttads's absl::Status becomes a grpc::Status. Rich details travel as
// absl::Status payloads keyed by their type URL (google.rpc.BadRequest for bad input,
// google.rpc.ErrorInfo for upstream failures) and are packed into google.rpc.Status, which gRPC
// sends as grpc-status-details-bin and the gateway renders as JSON "details".
#ifndef TTADS_SERVER_RPC_STATUS_H_
#define TTADS_SERVER_RPC_STATUS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grpcpp/support/status.h"

namespace ttads::server {

struct FieldViolation {
  std::string field;        // request field path, snake_case, e.g. "adsets[2].daily_budget"
  std::string description;  // the rule it breaks
};

// INVALID_ARGUMENT whose message names every field and rule, with a google.rpc.BadRequest.
absl::Status InvalidArgument(const std::vector<FieldViolation>& violations);
absl::Status InvalidField(absl::string_view field, absl::string_view description);

// Adds a google.rpc.ErrorInfo (reason, domain, metadata) to `status`.
absl::Status WithErrorInfo(absl::Status status, absl::string_view reason, absl::string_view domain,
                           const std::map<std::string, std::string>& metadata);

// The field violations carried by `status` (empty when none).
std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status);

// Converts for the wire: same code and message, every known payload as a detail.
grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

// Collects violations while validating a request.
class RequestValidator {
 public:
  void Fail(absl::string_view field, absl::string_view description) {
    violations_.push_back({std::string(field), std::string(description)});
  }
  // Requires a non-empty string.
  void Required(absl::string_view field, absl::string_view value);
  // Requires a UUID (when `required`, also non-empty).
  void Uuid(absl::string_view field, absl::string_view value, bool required);
  bool ok() const { return violations_.empty(); }
  absl::Status status() const {
    return violations_.empty() ? absl::OkStatus() : InvalidArgument(violations_);
  }

 private:
  std::vector<FieldViolation> violations_;
};

}  // namespace ttads::server

#endif  // TTADS_SERVER_RPC_STATUS_H_
