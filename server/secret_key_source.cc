#include "server/secret_key_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/log.h"

namespace ttads::server {
namespace {

absl::StatusOr<std::string> ReadOrCreateKeyFile(const std::filesystem::path& path) {
  std::ifstream existing(path);
  if (existing) {
    std::stringstream content;
    content << existing.rdbuf();
    LogInfo("secret_key_file_loaded", {{"path", path.string()}});
    return content.str();
  }
  const std::string key = SecretBox::GenerateKeyText();
  std::error_code ignored;
  std::filesystem::create_directories(path.parent_path(), ignored);
  // O_EXCL: never overwrite a key another process just wrote.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return ReadOrCreateKeyFile(path);
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create secret key file ", path.string(), ": ", std::strerror(errno)));
  }
  const std::string line = key + "\n";
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ::fsync(fd);
  ::close(fd);
  if (!written) return absl::InternalError("cannot write the secret key file");
  LogWarning("secret_key_file_created",
             {{"path", path.string()},
              {"note", "TTADS_SECRET_KEY is unset: a random key was created for this SQLite "
                       "database; back it up with the database, or set TTADS_SECRET_KEY"}});
  return key;
}

}  // namespace

absl::StatusOr<SecretBox> LoadSecretBox(const ServerConfig& config,
                                        const storage::DatabaseTarget& database) {
  std::vector<std::string> previous;
  if (!config.previous_secret_keys.empty()) {
    previous = absl::StrSplit(config.previous_secret_keys, ',', absl::SkipWhitespace());
  }
  if (!config.secret_key.empty()) return SecretBox::FromKeyText(config.secret_key, previous);
  if (database.backend != storage::Backend::kSqlite) {
    return absl::FailedPreconditionError(
        "TTADS_SECRET_KEY is required with PostgreSQL (every replica must share it); generate "
        "one with `openssl rand -hex 32`");
  }
  const std::filesystem::path key_path =
      std::filesystem::path(database.sqlite_path).parent_path() / "ttads.key";
  absl::StatusOr<std::string> key = ReadOrCreateKeyFile(key_path);
  if (!key.ok()) return key.status();
  return SecretBox::FromKeyText(*key, previous);
}

}  // namespace ttads::server
