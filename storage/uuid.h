// Identifiers of ttads's own rows: random (version 4) UUIDs in their lowercase text form, which
// sorts and compares the same way as PostgreSQL's uuid type does.
#ifndef TTADS_STORAGE_UUID_H_
#define TTADS_STORAGE_UUID_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ttads::storage {

// A new random version-4 UUID, e.g. "3f2b8c1e-9d4a-4e7b-8c21-5a6f0e9d1b2c".
std::string NewUuid();

// Whether `text` is a UUID in the 8-4-4-4-12 hex form (either case).
bool IsUuid(absl::string_view text);

// `text` in lowercase when it is a UUID; INVALID_ARGUMENT "<field>: not a UUID" otherwise.
absl::StatusOr<std::string> CanonicalUuid(absl::string_view field, absl::string_view text);

}  // namespace ttads::storage

#endif  // TTADS_STORAGE_UUID_H_
