// agent_executions / agent_actions / agent_logs: the record of every action-API run. An
// execution is claimed atomically by its (user_account_id, idempotency_key) — the UNIQUE index —
// so two concurrent calls with the same key never both run it; a run whose server died (still
// `running`, started_at older than a lease) can be taken over and resumed.
#ifndef TTADS_STORAGE_EXECUTION_REPOSITORY_H_
#define TTADS_STORAGE_EXECUTION_REPOSITORY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "storage/database.h"
#include "storage/page_token.h"

namespace ttads::storage {

struct ExecutionRow {
  std::string id;
  std::string user_account_id;
  std::optional<std::string> account_id;  // ad_accounts.id; NULL for legacy credentials
  std::string ad_account_id;              // the TikTok advertiser id
  std::string idempotency_key;
  std::string source;
  std::string status = "running";  // running | success | failed | partial
  bool executed = false;
  std::string request_json;  // "" = NULL
  std::string error_json;    // "" = NULL
  std::string result_json;   // "" = NULL; the stored answer of a finished launch
  std::optional<absl::Time> started_at;
  std::optional<absl::Time> finished_at;
  absl::Time created_at = absl::InfinitePast();
};

struct ActionRow {
  std::string id;
  std::string execution_id;
  int action_idx = 0;
  std::string type;
  std::string params_json;  // "" = NULL
  std::string status = "queued";  // queued | running | success | failed | skipped
  std::string result_json;  // "" = NULL
  std::string error_json;   // "" = NULL
  std::optional<absl::Time> started_at;
  std::optional<absl::Time> finished_at;
  absl::Time created_at = absl::InfinitePast();
};

// The outcome of CreateOrGet.
struct ExecutionClaim {
  bool created = false;    // true: this call inserted the execution (and its actions)
  ExecutionRow execution;  // the execution as stored (the existing one when !created)
};

struct ExecutionFilter {
  std::optional<std::string> user_account_id;  // nullopt = every user (operator)
  std::string account_id;                      // "" = any
  std::string status;                          // "" = any
  std::vector<std::string> statuses;           // empty = any; else one of them (and `status`)
  std::string source;                          // "" = any
  std::string idempotency_key;                 // "" = any
};

class ExecutionRepository {
 public:
  explicit ExecutionRepository(Database& database) : database_(database) {}

  // Inserts `execution` (status running, started_at = now; a fresh id when empty) and its
  // `actions` (status queued) in one transaction, unless (user_account_id, idempotency_key) is
  // taken: then nothing is written and the existing execution is returned (created = false).
  absl::StatusOr<ExecutionClaim> CreateOrGet(const ExecutionRow& execution,
                                             const std::vector<ActionRow>& actions,
                                             absl::Time now);
  // The execution of (user, key); NOT_FOUND when there is none.
  absl::StatusOr<ExecutionRow> FindByKey(const std::string& user_account_id,
                                         const std::string& idempotency_key);
  // Takes over a `running` execution whose started_at is before `stale_before` (or NULL): sets
  // started_at = now. True when this call took it (exactly one of concurrent callers does).
  absl::StatusOr<bool> TakeOver(const std::string& id, absl::Time stale_before, absl::Time now);

  // Re-opens a `failed` or `partial` execution for a retry: status running, started_at = now,
  // error and finish cleared. True when this call re-opened it (exactly one of concurrent
  // callers does).
  absl::StatusOr<bool> Reopen(const std::string& id, absl::Time now);
  // Appends `action` (status as given, started_at = now) after the execution's last action and
  // returns its action_idx. For workflows whose steps are only known as they run; one runner
  // per execution at a time (the caller holds the execution).
  absl::StatusOr<int> AppendAction(const std::string& execution_id, const ActionRow& action,
                                   absl::Time now);
  // Stores the answer of the execution ("" = NULL).
  absl::Status SetResult(const std::string& id, const std::string& result_json);

  // Action `action_idx` of the execution: running + started_at.
  absl::Status StartAction(const std::string& execution_id, int action_idx, absl::Time now);
  // Action `action_idx`: success/failed with its result or error JSON ("" = NULL), finished_at.
  absl::Status FinishAction(const std::string& execution_id, int action_idx,
                            const std::string& status, const std::string& result_json,
                            const std::string& error_json, absl::Time now);
  // The execution ends: status, executed, error JSON ("" = NULL), finished_at; when it failed,
  // its still queued actions become skipped.
  absl::Status FinishExecution(const std::string& id, const std::string& status, bool executed,
                               const std::string& error_json, absl::Time now);
  // Appends an agent_logs row.
  absl::Status AppendLog(const std::string& execution_id, int step_idx, const std::string& step,
                         const std::string& input_json, const std::string& output_json,
                         absl::Time now);

  // The execution `id`; when `user_account_id` is given it must be that user's (NOT_FOUND
  // otherwise, so another tenant cannot learn it exists).
  absl::StatusOr<ExecutionRow> Get(const std::optional<std::string>& user_account_id,
                                   const std::string& id);
  // Its actions in batch order.
  absl::StatusOr<std::vector<ActionRow>> ListActions(const std::string& execution_id);
  // Executions matching `filter`, newest first (keyset pagination).
  absl::StatusOr<Page<ExecutionRow>> List(const ExecutionFilter& filter, const PageRequest& page);

 private:
  Database& database_;
};

}  // namespace ttads::storage

#endif  // TTADS_STORAGE_EXECUTION_REPOSITORY_H_
