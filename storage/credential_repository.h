// TikTok credentials across user_accounts (legacy single-account mode) and ad_accounts
// (multi-account mode): which credentials a call uses, and the encrypted tokens a key rotation
// re-encrypts. Tokens stay ciphertext here; decrypting is the caller's business.
#ifndef TTADS_STORAGE_CREDENTIAL_REPOSITORY_H_
#define TTADS_STORAGE_CREDENTIAL_REPOSITORY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "storage/database.h"
#include "storage/sql_statement.h"

namespace ttads::storage {

// The two tables that hold TikTok tokens.
enum class CredentialTable { kUserAccounts, kAdAccounts };
absl::string_view CredentialTableName(CredentialTable table);

// One stored token, for key rotation.
struct EncryptedToken {
  CredentialTable table = CredentialTable::kUserAccounts;
  std::string id;  // row id in `table`
  std::string ciphertext;
  std::optional<std::string> key_id;
};

// The credentials a TikTok call for (user account, optional ad account) uses.
struct ResolvedCredentials {
  CredentialTable source = CredentialTable::kUserAccounts;
  std::string row_id;  // user_accounts.id or ad_accounts.id
  std::string encrypted_token;
  std::optional<std::string> key_id;
  std::string advertiser_id;  // tiktok_business_id
  std::string identity_id;    // tiktok_account_id; empty when none was found
  bool needs_reauth = false;
};

class CredentialRepository {
 public:
  explicit CredentialRepository(Database& database) : database_(database) {}

  // The existing system's rule: when the user has multi_account_enabled and names an ad account,
  // that ad account's credentials (it must belong to the user; no fallback to the legacy ones);
  // otherwise the user's legacy credentials. NOT_FOUND when the user or the named ad account
  // does not exist (or is someone else's); FAILED_PRECONDITION "TikTok credentials not found"
  // when the chosen row lacks a token or an advertiser id.
  absl::StatusOr<ResolvedCredentials> Resolve(const std::string& user_account_id,
                                              const std::optional<std::string>& ad_account_id);

  // Every non-NULL token in both tables.
  absl::StatusOr<std::vector<EncryptedToken>> ListEncryptedTokens();

  // Compare-and-set: replaces the token of (`table`, `id`) only if it is still
  // `old_ciphertext`. False when it changed meanwhile (or the row is gone): re-read and retry.
  absl::StatusOr<bool> ReplaceEncryptedToken(CredentialTable table, const std::string& id,
                                             const std::string& old_ciphertext,
                                             const std::string& new_ciphertext,
                                             const std::string& new_key_id, absl::Time now);

 private:
  Database& database_;
};

// The credential columns are the same in both tables; UserAccountRepository and
// AdAccountRepository share these statements. The row is (`table`, `id`), and when
// `user_account_id` is given it must also belong to that user; NOT_FOUND naming `entity` and
// `id` otherwise.
namespace internal {
struct CredentialValues {
  std::optional<std::string> encrypted_token;
  std::optional<std::string> key_id;
  std::optional<std::string> business_id;
  std::optional<std::string> identity_id;
};
// Stores `values` (NULLs clear) and resets the re-authorisation flag and notice.
absl::Status WriteCredentials(soci::session& session, CredentialTable table,
                              absl::string_view entity, const std::string& id,
                              const std::optional<std::string>& user_account_id,
                              const CredentialValues& values, absl::Time now);
// Sets tiktok_needs_reauth and, if no notice was recorded since the credentials were last
// written, tiktok_reauth_notified_at = now. Returns whether this call recorded the notice.
absl::StatusOr<bool> MarkNeedsReauth(soci::session& session, CredentialTable table,
                                     absl::string_view entity, const std::string& id,
                                     const std::optional<std::string>& user_account_id,
                                     absl::Time now);
}  // namespace internal

}  // namespace ttads::storage

#endif  // TTADS_STORAGE_CREDENTIAL_REPOSITORY_H_
