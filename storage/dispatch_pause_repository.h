// brain_dispatch_pauses: the brain's runtime dispatch switch, shared by every replica.
#ifndef TTADS_STORAGE_DISPATCH_PAUSE_REPOSITORY_H_
#define TTADS_STORAGE_DISPATCH_PAUSE_REPOSITORY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "storage/database.h"

namespace ttads::storage {

struct DispatchPauseRow {
  std::string scope;  // "*", "account:<id>" or "user:<id>"
  std::optional<std::string> user_account_id;
  std::string paused_by;
  std::optional<std::string> reason;
  absl::Time created_at = absl::InfinitePast();
};

class DispatchPauseRepository {
 public:
  explicit DispatchPauseRepository(Database& database) : database_(database) {}

  // Pauses `row.scope` (replacing an earlier pause of it).
  absl::Status Pause(const DispatchPauseRow& row, absl::Time now);
  // Lifts the pause of `scope` (nothing when there is none).
  absl::Status Resume(const std::string& scope);
  // The pauses among `scopes` (plus the global one, "*").
  absl::StatusOr<std::vector<DispatchPauseRow>> Matching(const std::vector<std::string>& scopes);
  // Every pause; with `user_account_id`, that user's and the global one.
  absl::StatusOr<std::vector<DispatchPauseRow>> List(
      const std::optional<std::string>& user_account_id);

 private:
  Database& database_;
};

}  // namespace ttads::storage

#endif  // TTADS_STORAGE_DISPATCH_PAUSE_REPOSITORY_H_
