// The minimum daily budget per account currency: ONE table shared by the action API, the
// campaign builder and the brain. A currency missing from the table has no known minimum.
#ifndef TTADS_SERVER_BUDGET_RULES_H_
#define TTADS_SERVER_BUDGET_RULES_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ttads::server {

// Currency code (ISO 4217, upper case) -> minimum daily budget of an ad group, in that
// currency's units. The defaults are the existing system's (KZT 2500) and TikTok's (USD 20).
const std::map<std::string, double>& DefaultMinDailyBudgets();

// Replaces the table (configuration; call at startup, before serving).
void SetMinDailyBudgets(std::map<std::string, double> table);

// The minimum daily budget of an ad group in `currency`; NOT_FOUND when the table has none.
absl::StatusOr<double> MinDailyBudget(absl::string_view currency);

}  // namespace ttads::server

#endif  // TTADS_SERVER_BUDGET_RULES_H_
