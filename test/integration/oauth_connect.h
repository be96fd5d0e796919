// Connecting TikTok as a user does it: a signed state from ttads, an auth code from the TikTok
// sandbox, the exchange (the token is stored encrypted). Shared by the tests that need a
// connected account, whether the server runs in process or as a child process.
#ifndef TTADS_TEST_INTEGRATION_OAUTH_CONNECT_H_
#define TTADS_TEST_INTEGRATION_OAUTH_CONNECT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "client/rpc_client.h"
#include "tools/sandbox/sandbox_server.h"
#include "ttads/v1/account_service.pb.h"

namespace ttads::testing {

// `client` carries the user's JWT; `ad_account_id` "" connects the legacy credentials.
inline absl::Status ConnectTikTokByOAuth(client::RpcClient& client, sandbox::Sandbox& sandbox,
                                         const std::string& app_id,
                                         const std::string& advertiser_id,
                                         const std::string& ad_account_id = "") {
  v1::IssueOAuthStateRequest issue;
  issue.set_ad_account_id(ad_account_id);
  v1::IssueOAuthStateResponse state;
  if (absl::Status issued = client.Call("AccountService/IssueOAuthState", issue, state);
      !issued.ok()) {
    return issued;
  }
  absl::StatusOr<std::string> code = sandbox.IssueAuthCode(app_id);
  if (!code.ok()) return code.status();
  v1::ExchangeOAuthCodeRequest exchange;
  exchange.set_auth_code(*code);
  exchange.set_state(state.state());
  exchange.set_advertiser_id(advertiser_id);
  v1::ExchangeOAuthCodeResponse exchanged;
  return client.Call("AccountService/ExchangeOAuthCode", exchange, exchanged);
}

}  // namespace ttads::testing

#endif  // TTADS_TEST_INTEGRATION_OAUTH_CONNECT_H_
