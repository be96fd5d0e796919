#include "server/oauth_state.h"

#include <simdjson.h>

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/crypto_util.h"

namespace ttads::server {
namespace {

absl::Status BadState(absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("state: ", why));
}

// "%7B..." from encodeURIComponent: undo percent-encoding before base64.
std::string PercentDecode(absl::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && absl::ascii_isxdigit(text[i + 1]) &&
        absl::ascii_isxdigit(text[i + 2])) {
      out += absl::HexStringToBytes(text.substr(i + 1, 2));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

absl::StatusOr<OAuthState> ParseLegacy(absl::string_view state) {
  std::string json;
  const std::string decoded = PercentDecode(state);
  if (!absl::Base64Unescape(decoded, &json) && !absl::WebSafeBase64Unescape(decoded, &json)) {
    return BadState("neither a ttads-signed state nor base64 JSON");
  }
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(json);
  simdjson::ondemand::document document;
  simdjson::ondemand::object object;
  if (parser.iterate(padded).get(document) != simdjson::SUCCESS ||
      document.get_object().get(object) != simdjson::SUCCESS) {
    return BadState("not a JSON object");
  }
  OAuthState result;
  for (auto field : object) {
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) return BadState("unreadable JSON");
    std::string_view value;
    if ((key == "user_id" || key == "uid") && result.user_account_id.empty()) {
      if (field.value().get_string().get(value) == simdjson::SUCCESS) {
        result.user_account_id = std::string(value);
      }
    } else if (key == "ad_account_id") {
      if (field.value().get_string().get(value) == simdjson::SUCCESS) {
        result.ad_account_id = std::string(value);
      }
    }
  }
  if (result.user_account_id.empty()) return BadState("Invalid state parameter - no user_id");
  return result;
}

}  // namespace

std::string OAuthStateSigner::Issue(absl::string_view user_account_id,
                                    absl::string_view ad_account_id, absl::Time now,
                                    absl::Duration ttl, OAuthState* issued) const {
  OAuthState state{std::string(user_account_id), std::string(ad_account_id),
                   ToHex(RandomBytes(16)), now + ttl, true};
  const std::string payload =
      absl::StrCat("s1|", state.user_account_id, "|", state.ad_account_id, "|", state.nonce, "|",
                   absl::ToUnixSeconds(state.expires_at));
  if (issued != nullptr) *issued = state;
  return absl::StrCat(absl::WebSafeBase64Escape(payload), ".",
                      absl::WebSafeBase64Escape(HmacSha256(key_, payload)));
}

absl::StatusOr<OAuthState> OAuthStateSigner::Parse(absl::string_view state, absl::Time now) const {
  if (state.empty()) return BadState("Missing state parameter");
  const std::vector<absl::string_view> halves = absl::StrSplit(state, '.');
  if (halves.size() != 2) return ParseLegacy(state);

  std::string payload, mac;
  if (!absl::WebSafeBase64Unescape(halves[0], &payload) ||
      !absl::WebSafeBase64Unescape(halves[1], &mac)) {
    return BadState("malformed signed state");
  }
  if (!ConstantTimeEquals(mac, HmacSha256(key_, payload))) {
    return BadState("signature does not verify (forged or from another server)");
  }
  const std::vector<std::string> fields = absl::StrSplit(payload, '|');
  int64_t expiry = 0;
  if (fields.size() != 5 || fields[0] != "s1" || !absl::SimpleAtoi(fields[4], &expiry)) {
    return BadState("malformed signed state");
  }
  OAuthState result{fields[1], fields[2], fields[3], absl::FromUnixSeconds(expiry), true};
  if (now > result.expires_at) return BadState("expired; start the connection again");
  return result;
}

}  // namespace ttads::server
