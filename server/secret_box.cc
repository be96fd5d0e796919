#include "server/secret_box.h"

#include <openssl/evp.h>

#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/crypto_util.h"

namespace ttads::server {
namespace {

constexpr absl::string_view kVersion = "v1";
constexpr absl::string_view kAssociatedData = "ttads-secret:v1";
constexpr int kNonceSize = 12;
constexpr int kTagSize = 16;

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* Bytes(absl::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

absl::StatusOr<SecretBox::Key> SecretBox::ParseKey(absl::string_view key_text) {
  const absl::string_view text = absl::StripAsciiWhitespace(key_text);
  std::string bytes;
  if (text.size() == 64 &&
      std::all_of(text.begin(), text.end(), [](char c) { return absl::ascii_isxdigit(c); })) {
    bytes = absl::HexStringToBytes(text);
  } else if (!absl::Base64Unescape(text, &bytes) && !absl::WebSafeBase64Unescape(text, &bytes)) {
    bytes.clear();
  }
  if (bytes.size() != 32) {
    return absl::InvalidArgumentError(
        "TTADS_SECRET_KEY: expected 32 bytes as 64 hex digits or base64 (e.g. `openssl rand -hex "
        "32`)");
  }
  return Key{ToHex(Sha256(bytes)).substr(0, 8), std::move(bytes)};
}

absl::StatusOr<SecretBox> SecretBox::FromKeyText(absl::string_view key_text,
                                                 const std::vector<std::string>& previous_key_texts) {
  absl::StatusOr<Key> primary = ParseKey(key_text);
  if (!primary.ok()) return primary.status();
  std::vector<Key> previous;
  for (const std::string& text : previous_key_texts) {
    absl::StatusOr<Key> key = ParseKey(text);
    if (!key.ok()) return key.status();
    previous.push_back(*std::move(key));
  }
  return SecretBox(*std::move(primary), std::move(previous));
}

std::string SecretBox::DeriveKey(absl::string_view purpose) const {
  return HmacSha256(primary_.bytes, absl::StrCat("ttads-derive:", purpose));
}

std::string SecretBox::GenerateKeyText() { return ToHex(RandomBytes(32)); }

const SecretBox::Key* SecretBox::FindKey(absl::string_view id) const {
  if (primary_.id == id) return &primary_;
  for (const Key& key : previous_) {
    if (key.id == id) return &key;
  }
  return nullptr;
}

absl::StatusOr<std::string> SecretBox::Encrypt(absl::string_view plaintext) const {
  const std::string nonce = RandomBytes(kNonceSize);
  std::string sealed(kNonceSize + plaintext.size() + kTagSize, '\0');
  std::copy(nonce.begin(), nonce.end(), sealed.begin());
  auto* out = reinterpret_cast<unsigned char*>(sealed.data()) + kNonceSize;

  CipherContext context(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  int length = 0;
  if (context == nullptr ||
      EVP_EncryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, Bytes(primary_.bytes),
                         Bytes(nonce)) != 1 ||
      EVP_EncryptUpdate(context.get(), nullptr, &length, Bytes(kAssociatedData),
                        static_cast<int>(kAssociatedData.size())) != 1 ||
      EVP_EncryptUpdate(context.get(), out, &length, Bytes(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(context.get(), out + length, &length) != 1 ||
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_GET_TAG, kTagSize,
                          out + plaintext.size()) != 1) {
    return absl::InternalError("AES-256-GCM encryption failed");
  }
  return absl::StrCat(kVersion, ":", primary_.id, ":", absl::WebSafeBase64Escape(sealed));
}

absl::StatusOr<std::string> SecretBox::KeyIdOf(absl::string_view ciphertext) {
  const std::vector<absl::string_view> parts = absl::StrSplit(ciphertext, ':');
  if (parts.size() != 3 || parts[0] != kVersion || parts[1].size() != 8) {
    return absl::InvalidArgumentError("not a ttads v1 ciphertext");
  }
  return std::string(parts[1]);
}

absl::StatusOr<std::string> SecretBox::Decrypt(absl::string_view ciphertext) const {
  absl::StatusOr<std::string> key_id = KeyIdOf(ciphertext);
  if (!key_id.ok()) return key_id.status();
  const Key* key = FindKey(*key_id);
  if (key == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "secret encrypted with key ", *key_id, ", which is not configured (current key ",
        primary_.id, "); rotate with `ttads-server rotate-secret-key`"));
  }
  std::string sealed;
  const absl::string_view encoded = ciphertext.substr(ciphertext.rfind(':') + 1);
  if (!absl::WebSafeBase64Unescape(encoded, &sealed) || sealed.size() < kNonceSize + kTagSize) {
    return absl::DataLossError("ciphertext is truncated or not base64");
  }
  const std::size_t body_size = sealed.size() - kNonceSize - kTagSize;
  std::string plaintext(body_size, '\0');
  auto* in = reinterpret_cast<unsigned char*>(sealed.data());
  CipherContext context(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  int length = 0;
  if (context == nullptr ||
      EVP_DecryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, Bytes(key->bytes), in) != 1 ||
      EVP_DecryptUpdate(context.get(), nullptr, &length, Bytes(kAssociatedData),
                        static_cast<int>(kAssociatedData.size())) != 1 ||
      EVP_DecryptUpdate(context.get(), reinterpret_cast<unsigned char*>(plaintext.data()), &length,
                        in + kNonceSize, static_cast<int>(body_size)) != 1 ||
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_TAG, kTagSize,
                          in + kNonceSize + body_size) != 1 ||
      EVP_DecryptFinal_ex(context.get(), reinterpret_cast<unsigned char*>(plaintext.data()) + length,
                          &length) != 1) {
    return absl::DataLossError("ciphertext failed authentication (tampered or wrong key)");
  }
  return plaintext;
}

}  // namespace ttads::server
