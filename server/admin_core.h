// AdminService's logic (operator only): user accounts, API keys, currency rates.
#ifndef TTADS_SERVER_ADMIN_CORE_H_
#define TTADS_SERVER_ADMIN_CORE_H_

#include "absl/status/status.h"
#include "server/audit.h"
#include "server/clock.h"
#include "server/idempotency.h"
#include "server/principal.h"
#include "storage/api_key_repository.h"
#include "storage/currency_rate_repository.h"
#include "storage/database.h"
#include "storage/user_account_repository.h"
#include "ttads/v1/admin_service.pb.h"

namespace ttads::server {

class AdminCore {
 public:
  AdminCore(storage::Database& database, IdempotencyGuard& idempotency, Auditor& auditor,
            const Clock& clock)
      : user_accounts_(database),
        api_keys_(database),
        currency_rates_(database),
        idempotency_(idempotency),
        auditor_(auditor),
        clock_(clock) {}

  absl::Status CreateUserAccount(const Principal& principal,
                                 const v1::CreateUserAccountRequest& request,
                                 v1::CreateUserAccountResponse& response);
  absl::Status GetUserAccount(const Principal& principal, const v1::GetUserAccountRequest& request,
                              v1::UserAccount& response);
  absl::Status ListUserAccounts(const Principal& principal,
                                const v1::ListUserAccountsRequest& request,
                                v1::ListUserAccountsResponse& response);
  absl::Status UpdateUserAccount(const Principal& principal,
                                 const v1::UpdateUserAccountRequest& request,
                                 v1::UpdateUserAccountResponse& response);
  // The secret is in the first answer only; a replay under the same key returns the key's
  // metadata with an empty secret (the secret is never stored).
  absl::Status CreateApiKey(const Principal& principal, const v1::CreateApiKeyRequest& request,
                            v1::CreateApiKeyResponse& response);
  absl::Status ListApiKeys(const Principal& principal, const v1::ListApiKeysRequest& request,
                           v1::ListApiKeysResponse& response);
  absl::Status RevokeApiKey(const Principal& principal, const v1::RevokeApiKeyRequest& request,
                            v1::RevokeApiKeyResponse& response);
  absl::Status SetCurrencyRate(const Principal& principal,
                               const v1::SetCurrencyRateRequest& request,
                               v1::SetCurrencyRateResponse& response);
  absl::Status ListCurrencyRates(const Principal& principal,
                                 const v1::ListCurrencyRatesRequest& request,
                                 v1::ListCurrencyRatesResponse& response);

 private:
  storage::UserAccountRepository user_accounts_;
  storage::ApiKeyRepository api_keys_;
  storage::CurrencyRateRepository currency_rates_;
  IdempotencyGuard& idempotency_;
  Auditor& auditor_;
  const Clock& clock_;
};

// Row → message conversions, shared with the other cores.
void ToProto(const storage::UserAccount& row, v1::UserAccount& out);
void ToProto(const storage::ApiKey& row, v1::ApiKey& out);
void ToProto(const storage::CurrencyRate& row, v1::CurrencyRate& out);

}  // namespace ttads::server

#endif  // TTADS_SERVER_ADMIN_CORE_H_
