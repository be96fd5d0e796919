// gRPC adapter of AdminService over AdminCore.
#ifndef TTADS_SERVER_ADMIN_SERVICE_H_
#define TTADS_SERVER_ADMIN_SERVICE_H_

#include "server/admin_core.h"
#include "server/rpc_adapter.h"
#include "ttads/v1/admin_service.grpc.pb.h"

namespace ttads::server {

class AdminServiceImpl final : public v1::AdminService::Service {
 public:
  AdminServiceImpl(const Authenticator& authenticator, AdminCore& core)
      : authenticator_(authenticator), core_(core) {}

  TTADS_RPC(CreateUserAccount, v1::CreateUserAccountRequest, v1::CreateUserAccountResponse)
  TTADS_RPC(GetUserAccount, v1::GetUserAccountRequest, v1::UserAccount)
  TTADS_RPC(ListUserAccounts, v1::ListUserAccountsRequest, v1::ListUserAccountsResponse)
  TTADS_RPC(UpdateUserAccount, v1::UpdateUserAccountRequest, v1::UpdateUserAccountResponse)
  TTADS_RPC(CreateApiKey, v1::CreateApiKeyRequest, v1::CreateApiKeyResponse)
  TTADS_RPC(ListApiKeys, v1::ListApiKeysRequest, v1::ListApiKeysResponse)
  TTADS_RPC(RevokeApiKey, v1::RevokeApiKeyRequest, v1::RevokeApiKeyResponse)
  TTADS_RPC(SetCurrencyRate, v1::SetCurrencyRateRequest, v1::SetCurrencyRateResponse)
  TTADS_RPC(ListCurrencyRates, v1::ListCurrencyRatesRequest, v1::ListCurrencyRatesResponse)

 private:
  const Authenticator& authenticator_;
  AdminCore& core_;
};

}  // namespace ttads::server

#endif  // TTADS_SERVER_ADMIN_SERVICE_H_
