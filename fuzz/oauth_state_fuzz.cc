// The OAuth `state` ttads issues and reads back on the callback (server/oauth_state.h): the signed
// form and the old frontend's unsigned base64 JSON.
//
// Input: byte 0 picks the mode, the rest is its text.
//   mode 0: the rest is a state, read as received (forgery attempts, legacy states);
//   mode 1: the rest is a payload ("s1|user|ad|nonce|expiry"), signed with the key here, so the
//           parsing behind the signature check is reached;
//   mode 2: the rest is "<user id>\n<ad account id>", issued and read back.
// Invariants: a state read as signed carries a valid MAC under the key and is unexpired; it
// never verifies under another key; an issued state reads back as exactly what was issued (or,
// for ids holding the separator, not at all: never as other ids).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "fuzz/fuzz_support.h"
#include "server/crypto_util.h"
#include "server/oauth_state.h"

namespace ttads::fuzz {
namespace {

constexpr char kKey[] = "fuzz-oauth-state-key-0123456789ab";
const absl::Time kNow = absl::FromUnixSeconds(1795600000);

void CheckRead(absl::string_view state, const server::OAuthState& read) {
  if (!read.signed_by_ttads) {
    FUZZ_CHECK(!read.user_account_id.empty(), "legacy state without a user was accepted");
    FUZZ_CHECK(read.nonce.empty(), "legacy state with a nonce");
    return;
  }
  const std::vector<absl::string_view> halves = absl::StrSplit(state, '.');
  FUZZ_CHECK(halves.size() == 2, "signed state without two halves was accepted");
  std::string payload, mac;
  FUZZ_CHECK(absl::WebSafeBase64Unescape(halves[0], &payload) &&
                 absl::WebSafeBase64Unescape(halves[1], &mac),
             "unreadable signed state was accepted");
  FUZZ_CHECK(mac == server::HmacSha256(kKey, payload), "state with a wrong MAC was accepted");
  FUZZ_CHECK(kNow <= read.expires_at, "expired state was accepted");
  const server::OAuthStateSigner other("another-key");
  absl::StatusOr<server::OAuthState> elsewhere = other.Parse(state, kNow);
  FUZZ_CHECK(!elsewhere.ok() || !elsewhere->signed_by_ttads, "state verified under two keys");
}

}  // namespace
}  // namespace ttads::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ttads::fuzz;
  if (size < 1) return 0;
  const ttads::server::OAuthStateSigner signer(kKey);
  const absl::string_view rest = AsText(data + 1, size - 1);
  switch (data[0] % 3) {
    case 0: {
      absl::StatusOr<ttads::server::OAuthState> read = signer.Parse(rest, kNow);
      if (read.ok()) CheckRead(rest, *read);
      break;
    }
    case 1: {
      const std::string state =
          absl::StrCat(absl::WebSafeBase64Escape(rest), ".",
                       absl::WebSafeBase64Escape(ttads::server::HmacSha256(kKey, rest)));
      absl::StatusOr<ttads::server::OAuthState> read = signer.Parse(state, kNow);
      if (!read.ok()) break;
      CheckRead(state, *read);
      const std::vector<absl::string_view> fields = absl::StrSplit(rest, '|');
      FUZZ_CHECK(fields.size() == 5 && fields[0] == "s1", "malformed payload was accepted");
      FUZZ_CHECK(read->user_account_id == fields[1] && read->ad_account_id == fields[2] &&
                     read->nonce == fields[3],
                 "state fields differ from the payload");
      break;
    }
    default: {
      const size_t newline = rest.find('\n');
      const std::string user(rest.substr(0, newline));
      const std::string ad(newline == absl::string_view::npos ? "" : rest.substr(newline + 1));
      ttads::server::OAuthState issued;
      const std::string state = signer.Issue(user, ad, kNow, absl::Seconds(900), &issued);
      absl::StatusOr<ttads::server::OAuthState> read = signer.Parse(state, kNow);
      const bool plain = user.find('|') == std::string::npos && ad.find('|') == std::string::npos;
      if (plain) FUZZ_CHECK(read.ok(), "an issued state does not read back");
      if (read.ok()) {
        CheckRead(state, *read);
        FUZZ_CHECK(read->user_account_id == user && read->ad_account_id == ad &&
                       read->nonce == issued.nonce && read->expires_at == issued.expires_at,
                   "an issued state reads back as something else");
      }
      break;
    }
  }
  return 0;
}
