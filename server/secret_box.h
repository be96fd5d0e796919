// Encryption of secrets at rest (TikTok access tokens): AES-256-GCM under TTADS_SECRET_KEY.
//
// Ciphertext format (text, safe for a TEXT column):
//   "v1:" <key id> ":" base64url( nonce[12] || ciphertext || tag[16] )
// The key id is the first 8 hex digits of SHA-256(key); it is also stored in its own column so a
// rotation can find what each key protects. The associated data binds the format version, so a
// ciphertext cannot be replayed under another format.
#ifndef TTADS_SERVER_SECRET_BOX_H_
#define TTADS_SERVER_SECRET_BOX_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ttads::server {

class SecretBox {
 public:
  // `key_text` is 64 hex digits or the base64 (standard or url-safe) of 32 bytes.
  // `previous_key_texts` may still decrypt (during a rotation) but never encrypt.
  static absl::StatusOr<SecretBox> FromKeyText(absl::string_view key_text,
                                               const std::vector<std::string>& previous_key_texts = {});
  // A fresh random key in hex, for key files and rotation.
  static std::string GenerateKeyText();

  // The id of the key new ciphertexts are made with.
  const std::string& key_id() const { return primary_.id; }

  // A 32-byte key for another purpose (e.g. signing OAuth states), derived from the primary key
  // with HMAC-SHA256 so it changes when the key is rotated and never reveals the key.
  std::string DeriveKey(absl::string_view purpose) const;

  absl::StatusOr<std::string> Encrypt(absl::string_view plaintext) const;
  // Fails with FAILED_PRECONDITION when the ciphertext names a key this box does not hold, and
  // DATA_LOSS when it was tampered with.
  absl::StatusOr<std::string> Decrypt(absl::string_view ciphertext) const;
  // The key id a ciphertext names, or INVALID_ARGUMENT when it is not in the format above.
  static absl::StatusOr<std::string> KeyIdOf(absl::string_view ciphertext);

 private:
  struct Key {
    std::string id;
    std::string bytes;  // 32 bytes
  };
  SecretBox(Key primary, std::vector<Key> previous)
      : primary_(std::move(primary)), previous_(std::move(previous)) {}
  static absl::StatusOr<Key> ParseKey(absl::string_view key_text);
  const Key* FindKey(absl::string_view id) const;

  Key primary_;
  std::vector<Key> previous_;
};

}  // namespace ttads::server

#endif  // TTADS_SERVER_SECRET_BOX_H_
