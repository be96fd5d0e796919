// Keyset pagination for the repositories' List methods: rows come newest first, ordered by
// (created_at DESC, id DESC), and a page token names the last row a page returned.
#ifndef TTADS_STORAGE_PAGE_TOKEN_H_
#define TTADS_STORAGE_PAGE_TOKEN_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ttads::storage {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 500;

// What a caller asks for: an empty token starts at the newest row; a page_size of 0 (or less)
// means kDefaultPageSize, and anything above kMaxPageSize is clamped to it.
struct PageRequest {
  std::string page_token;
  int page_size = 0;
};

// One page of rows and the token of the next one (empty on the last page).
template <typename Row>
struct Page {
  std::vector<Row> items;
  std::string next_page_token;
};

// The position a token encodes: the created_at text exactly as the database returned it, and the
// row id, so the next page starts strictly after that row.
struct PageCursor {
  std::string created_at;
  std::string id;
};

// The page size actually used for `requested`.
int ClampPageSize(int requested);

// An opaque web-safe base64 token for `cursor`.
std::string EncodePageToken(const PageCursor& cursor);

// Reads a token made by EncodePageToken; INVALID_ARGUMENT "page_token: malformed" otherwise.
absl::StatusOr<PageCursor> DecodePageToken(absl::string_view token);

}  // namespace ttads::storage

#endif  // TTADS_STORAGE_PAGE_TOKEN_H_
