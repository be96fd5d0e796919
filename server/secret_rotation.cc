#include "server/secret_rotation.h"

#include "absl/strings/str_cat.h"
#include "storage/credential_repository.h"

namespace ttads::server {

absl::StatusOr<RotationReport> RotateSecretKey(storage::Database& database, const SecretBox& box,
                                               absl::Time now) {
  storage::CredentialRepository credentials(database);
  absl::StatusOr<std::vector<storage::EncryptedToken>> tokens = credentials.ListEncryptedTokens();
  if (!tokens.ok()) return tokens.status();
  RotationReport report;
  for (const storage::EncryptedToken& token : *tokens) {
    absl::StatusOr<std::string> key_id = SecretBox::KeyIdOf(token.ciphertext);
    if (key_id.ok() && *key_id == box.key_id()) {
      ++report.already_current;
      continue;
    }
    absl::StatusOr<std::string> plaintext = box.Decrypt(token.ciphertext);
    if (!plaintext.ok()) {
      return absl::Status(plaintext.status().code(),
                          absl::StrCat("token of ", token.id, ": ", plaintext.status().message(),
                                       " (pass the key it was made with in "
                                       "TTADS_SECRET_KEY / TTADS_PREVIOUS_SECRET_KEYS)"));
    }
    absl::StatusOr<std::string> sealed = box.Encrypt(*plaintext);
    if (!sealed.ok()) return sealed.status();
    absl::StatusOr<bool> replaced = credentials.ReplaceEncryptedToken(
        token.table, token.id, token.ciphertext, *sealed, box.key_id(), now);
    if (!replaced.ok()) return replaced.status();
    if (*replaced) {
      ++report.reencrypted;
    } else {
      ++report.changed_meanwhile;
    }
  }
  return report;
}

}  // namespace ttads::server
