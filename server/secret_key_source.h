// Where the key for secrets at rest comes from: TTADS_SECRET_KEY, or — only for the embedded
// single-process SQLite default — a random key file created beside the database (mode 0600).
// With PostgreSQL (several replicas) the key must be configured: replicas cannot share a file.
#ifndef TTADS_SERVER_SECRET_KEY_SOURCE_H_
#define TTADS_SERVER_SECRET_KEY_SOURCE_H_

#include "absl/status/statusor.h"
#include "server/config.h"
#include "server/secret_box.h"
#include "storage/database_url.h"

namespace ttads::server {

absl::StatusOr<SecretBox> LoadSecretBox(const ServerConfig& config,
                                        const storage::DatabaseTarget& database);

}  // namespace ttads::server

#endif  // TTADS_SERVER_SECRET_KEY_SOURCE_H_
