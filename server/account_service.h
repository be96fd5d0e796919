// gRPC adapter of AccountService over AccountCore.
#ifndef TTADS_SERVER_ACCOUNT_SERVICE_H_
#define TTADS_SERVER_ACCOUNT_SERVICE_H_

#include "server/account_core.h"
#include "server/rpc_adapter.h"
#include "ttads/v1/account_service.grpc.pb.h"

namespace ttads::server {

class AccountServiceImpl final : public v1::AccountService::Service {
 public:
  AccountServiceImpl(const Authenticator& authenticator, AccountCore& core)
      : authenticator_(authenticator), core_(core) {}

  TTADS_RPC(IssueOAuthState, v1::IssueOAuthStateRequest, v1::IssueOAuthStateResponse)
  TTADS_RPC(ExchangeOAuthCode, v1::ExchangeOAuthCodeRequest, v1::ExchangeOAuthCodeResponse)
  TTADS_RPC(SelectAdvertiser, v1::SelectAdvertiserRequest, v1::SelectAdvertiserResponse)
  TTADS_RPC(CreateAdAccount, v1::CreateAdAccountRequest, v1::CreateAdAccountResponse)
  TTADS_RPC(ListAccounts, v1::ListAccountsRequest, v1::ListAccountsResponse)
  TTADS_RPC(GetAccount, v1::GetAccountRequest, v1::Account)
  TTADS_RPC(UpdateAccountSettings, v1::UpdateAccountSettingsRequest,
            v1::UpdateAccountSettingsResponse)
  TTADS_RPC(DisconnectAccount, v1::DisconnectAccountRequest, v1::DisconnectAccountResponse)

 private:
  const Authenticator& authenticator_;
  AccountCore& core_;
};

}  // namespace ttads::server

#endif  // TTADS_SERVER_ACCOUNT_SERVICE_H_
