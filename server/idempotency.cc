#include "server/idempotency.h"

#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "server/crypto_util.h"
#include "server/rpc_status.h"
#include "storage/uuid.h"

namespace ttads::server {

absl::Status ValidateIdempotencyKey(absl::string_view key) {
  if (key.size() > 128) return InvalidField("idempotency_key", "must be at most 128 characters");
  for (const char c : key) {
    if (c < 0x21 || c > 0x7e) {
      return InvalidField("idempotency_key", "must be printable ASCII without spaces");
    }
  }
  return absl::OkStatus();
}

std::string RequestFingerprint(const google::protobuf::Message& request) {
  std::unique_ptr<google::protobuf::Message> copy(request.New());
  copy->CopyFrom(request);
  const auto* descriptor = copy->GetDescriptor();
  const auto* reflection = copy->GetReflection();
  for (const char* name : {"idempotency_key", "validate_only"}) {
    if (const auto* field = descriptor->FindFieldByName(name); field != nullptr) {
      reflection->ClearField(copy.get(), field);
    }
  }
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    copy->SerializeToCodedStream(&coded);
  }
  return ToHex(Sha256(absl::StrCat(descriptor->full_name(), "\n", bytes)));
}

absl::Status IdempotencyGuard::Run(const Principal& principal, absl::string_view method,
                                   const google::protobuf::Message& request,
                                   absl::string_view key, bool validate_only,
                                   google::protobuf::Message& response,
                                   v1::MutationInfo& mutation,
                                   absl::FunctionRef<absl::Status()> work) {
  if (absl::Status valid = ValidateIdempotencyKey(key); !valid.ok()) return valid;
  if (validate_only) {
    absl::Status status = work();
    mutation.set_idempotency_key(std::string(key));
    mutation.set_validate_only(true);
    return status;
  }
  const std::string effective_key =
      key.empty() ? absl::StrCat("ttads-", storage::NewUuid()) : std::string(key);
  const std::string scope = principal.scope();
  const absl::Time now = clock_.Now();
  const std::string method_name(method);
  auto begun = records_.Begin(scope, method_name, effective_key, RequestFingerprint(request),
                              now + lease_, now);
  if (!begun.ok()) return begun.status();

  using Outcome = storage::IdempotencyOutcome;
  switch (begun->outcome) {
    case Outcome::kConflict:
      return WithErrorInfo(
          absl::AlreadyExistsError(absl::StrCat(
              "idempotency_key '", effective_key,
              "' was already used for a different request; use a new key for a new change")),
          "IDEMPOTENCY_KEY_REUSED", "ttads.v1", {{"idempotency_key", effective_key}});
    case Outcome::kInProgress:
      return WithErrorInfo(
          absl::AbortedError(absl::StrCat("a call with idempotency_key '", effective_key,
                                          "' is still running; retry with the same key later")),
          "IDEMPOTENCY_KEY_IN_PROGRESS", "ttads.v1", {{"idempotency_key", effective_key}});
    case Outcome::kReplay: {
      std::string bytes;
      // Merge, not Parse: Parse would clear `response` and free the MutationInfo that `mutation`
      // refers to (the response is still empty here).
      if (!absl::Base64Unescape(begun->response, &bytes) || !response.MergeFromString(bytes)) {
        return absl::DataLossError(
            absl::StrCat("stored answer for idempotency_key '", effective_key, "' is unreadable"));
      }
      mutation.set_replayed(true);
      return absl::OkStatus();
    }
    case Outcome::kStarted:
      break;
  }

  mutation.set_idempotency_key(effective_key);
  absl::Status status = work();
  mutation.set_idempotency_key(effective_key);
  if (!status.ok()) {
    // Nothing to replay: let a retry with the same key run again (cores make that safe).
    (void)records_.Abandon(scope, method_name, effective_key);
    return status;
  }
  return records_.Complete(scope, method_name, effective_key,
                           absl::Base64Escape(response.SerializeAsString()), clock_.Now());
}

}  // namespace ttads::server
