#include "server/budget_rules.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

namespace ttads::server {
namespace {

absl::Mutex table_mutex;

std::map<std::string, double>& Table() ABSL_EXCLUSIVE_LOCKS_REQUIRED(table_mutex) {
  static auto* table = new std::map<std::string, double>(DefaultMinDailyBudgets());
  return *table;
}

}  // namespace

const std::map<std::string, double>& DefaultMinDailyBudgets() {
  static const auto* defaults = new std::map<std::string, double>{{"KZT", 2500}, {"USD", 20}};
  return *defaults;
}

void SetMinDailyBudgets(std::map<std::string, double> table) {
  absl::MutexLock lock(&table_mutex);
  Table() = std::move(table);
}

absl::StatusOr<double> MinDailyBudget(absl::string_view currency) {
  const std::string code = absl::AsciiStrToUpper(currency);
  absl::MutexLock lock(&table_mutex);
  const auto found = Table().find(code);
  if (found == Table().end()) {
    return absl::NotFoundError(
        absl::StrCat("no minimum daily budget is configured for currency \"", code, "\""));
  }
  return found->second;
}

}  // namespace ttads::server
