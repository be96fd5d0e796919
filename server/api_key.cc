#include "server/api_key.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/crypto_util.h"

namespace ttads::server {

constexpr absl::string_view kApiKeyPrefix = "ttads_";

NewApiKey GenerateApiKey() {
  NewApiKey key;
  key.secret = absl::StrCat(kApiKeyPrefix, ToHex(RandomBytes(24)));
  key.prefix = key.secret.substr(0, 14);
  key.hash = HashApiKey(key.secret);
  return key;
}

std::string HashApiKey(absl::string_view secret) { return ToHex(Sha256(secret)); }

bool LooksLikeApiKey(absl::string_view credential) {
  return absl::StartsWith(credential, kApiKeyPrefix) && credential.size() == 54;
}

}  // namespace ttads::server
