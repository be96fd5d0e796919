// The OAuth `state` ttads issues: signed, expiring, naming the caller's own user account (and
// optionally the ad account the connection is for), with a nonce so it is exchanged once.
//
// Format: base64url("s1|<user_account_id>|<ad_account_id or empty>|<nonce hex>|<expiry unix s>")
//         "." base64url(HMAC-SHA256(key, payload))
// The old frontend's unsigned state (base64 JSON {user_id|uid, ad_account_id?, ts?}) is parsed
// too, and is only honoured when it names the authenticated caller's own account.
#ifndef TTADS_SERVER_OAUTH_STATE_H_
#define TTADS_SERVER_OAUTH_STATE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace ttads::server {

struct OAuthState {
  std::string user_account_id;
  std::string ad_account_id;  // empty: the legacy user_accounts credentials
  std::string nonce;          // empty for an unsigned legacy state
  absl::Time expires_at = absl::InfinitePast();
  bool signed_by_ttads = false;
};

class OAuthStateSigner {
 public:
  explicit OAuthStateSigner(std::string key) : key_(std::move(key)) {}

  // Mints a state valid for `ttl` from `now`.
  std::string Issue(absl::string_view user_account_id, absl::string_view ad_account_id,
                    absl::Time now, absl::Duration ttl, OAuthState* issued = nullptr) const;

  // Reads a state. A signed state must verify and be unexpired; an unsigned legacy one is
  // returned with signed_by_ttads = false for the caller to check against the caller's identity.
  // INVALID_ARGUMENT naming `state` and the reason otherwise.
  absl::StatusOr<OAuthState> Parse(absl::string_view state, absl::Time now) const;

 private:
  std::string key_;
};

}  // namespace ttads::server

#endif  // TTADS_SERVER_OAUTH_STATE_H_
