// API keys: random secrets shown once, stored only as a SHA-256 hash, bound to one user account.
#ifndef TTADS_SERVER_API_KEY_H_
#define TTADS_SERVER_API_KEY_H_

#include <string>

#include "absl/strings/string_view.h"

namespace ttads::server {

struct NewApiKey {
  std::string secret;  // "ttads_" + 48 hex digits; given to the caller once
  std::string prefix;  // the first 14 characters, kept for listings
  std::string hash;    // hex SHA-256 of the secret, what the database keeps
};

NewApiKey GenerateApiKey();
// The hash under which `secret` would be stored.
std::string HashApiKey(absl::string_view secret);
// Whether a bearer credential has the API key shape (so it is not tried as a JWT).
bool LooksLikeApiKey(absl::string_view credential);

}  // namespace ttads::server

#endif  // TTADS_SERVER_API_KEY_H_
