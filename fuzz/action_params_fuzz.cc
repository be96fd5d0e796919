// The action API's decoding of a batch (server/action_core.cc): the request JSON as the REST
// frontend posts it (decoded by protobuf's JSON parser, as the gateway does), then ActionCore's
// checks of every action's type and `params` (a google.protobuf.Struct), the run against the
// canned TikTok answers, the stored record, and a replay under the same key.
//
// Input: a DispatchRequest as JSON, e.g. {"idempotency_key":"k-1","account":{},"actions":
// [{"type":"TikTok.PauseAdGroup","params":{"adgroup_id":"1810000000000000001"}}]}. A missing
// key or account gets a default; the caller is user A (or the operator when a user is named).
// Invariants: an applied batch answers one result per action, its stored params read back
// equal to the request's, and its replay is a duplicate with the same execution id; a dry run
// answers one validation per action.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "fuzz/core_harness.h"
#include "fuzz/fuzz_support.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "server/principal.h"
#include "ttads/v1/action_service.pb.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ttads::fuzz;
  using ttads::server::Principal;
  static const bool quiet = (QuietLogs(), true);
  (void)quiet;

  ttads::v1::DispatchRequest request;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;  // as the gateway's jsonpb
  if (!google::protobuf::util::JsonStringToMessage(std::string(AsText(data, size)), &request,
                                                   options)
           .ok()) {
    return 0;
  }
  if (request.idempotency_key().empty()) request.set_idempotency_key("fuzz-dispatch-1");
  if (!request.has_account()) request.mutable_account();
  const Principal principal = request.account().user_account_id().empty()
                                  ? Principal::ForUser(kUserA)
                                  : Principal::Operator();

  Cores cores;
  ttads::v1::DispatchResponse first;
  const absl::Status status = cores.actions->Dispatch(principal, request, first);
  Trace(absl::StrCat("Dispatch (", first.status(), " ", first.message(), ")"), status);
  if (!status.ok()) return 0;
  if (request.validate_only()) {
    FUZZ_CHECK(first.validations_size() == request.actions_size(),
               "a dry run must judge every action");
    return 0;
  }
  if (request.actions_size() == 0) return 0;
  FUZZ_CHECK(first.results_size() == request.actions_size(), "one result per action");
  for (int i = 0; i < first.results_size(); ++i) {
    FUZZ_CHECK(google::protobuf::util::MessageDifferencer::Equals(first.results(i).params(),
                                                                  request.actions(i).params()),
               "stored params differ from the request's");
  }

  ttads::v1::DispatchResponse replay;
  const absl::Status again = cores.actions->Dispatch(principal, request, replay);
  FUZZ_CHECK(again.ok(), "the replay of an accepted batch failed");
  FUZZ_CHECK(replay.duplicate(), "the replay is not marked duplicate");
  FUZZ_CHECK(replay.executionid() == first.executionid(), "the replay names another execution");
  return 0;
}
