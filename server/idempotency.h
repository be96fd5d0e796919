// Exactly-once mutations: a mutating RPC runs under (caller scope, method, idempotency key). A
// retry with the same key and request gets the stored answer; the same key with another request
// is refused; a key whose first call is still running answers ABORTED (retry later).
#ifndef TTADS_SERVER_IDEMPOTENCY_H_
#define TTADS_SERVER_IDEMPOTENCY_H_

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "server/clock.h"
#include "server/principal.h"
#include "storage/idempotency_repository.h"
#include "ttads/v1/common.pb.h"

namespace ttads::server {

// Validates a caller-supplied key: 1..128 printable ASCII characters.
absl::Status ValidateIdempotencyKey(absl::string_view key);

// A fingerprint of `request` with its idempotency_key and validate_only fields cleared, so the
// same change under the same key matches however it is spelled.
std::string RequestFingerprint(const google::protobuf::Message& request);

class IdempotencyGuard {
 public:
  static constexpr absl::Duration kDefaultLease = absl::Minutes(5);

  IdempotencyGuard(storage::IdempotencyRepository& records, const Clock& clock,
                   absl::Duration lease = kDefaultLease)
      : records_(records), clock_(clock), lease_(lease) {}

  // Runs `work` at most once per (principal scope, method, key). `key` may be empty: one is
  // generated. On success `response` is stored; a replay parses it back. `mutation` (the
  // response's MutationInfo) is filled in every case. validate_only calls run `work` without
  // recording anything.
  absl::Status Run(const Principal& principal, absl::string_view method,
                   const google::protobuf::Message& request, absl::string_view key,
                   bool validate_only, google::protobuf::Message& response,
                   v1::MutationInfo& mutation, absl::FunctionRef<absl::Status()> work);

 private:
  storage::IdempotencyRepository& records_;
  const Clock& clock_;
  const absl::Duration lease_;
};

// Calls guard.Run for a request/response pair with the conventional fields
// (idempotency_key, validate_only, mutation).
template <typename Request, typename Response>
absl::Status RunIdempotent(IdempotencyGuard& guard, const Principal& principal,
                           absl::string_view method, const Request& request, Response& response,
                           absl::FunctionRef<absl::Status()> work) {
  return guard.Run(principal, method, request, request.idempotency_key(), request.validate_only(),
                   response, *response.mutable_mutation(), work);
}

}  // namespace ttads::server

#endif  // TTADS_SERVER_IDEMPOTENCY_H_
