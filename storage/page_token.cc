#include "storage/page_token.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "storage/time_format.h"
#include "storage/uuid.h"

namespace ttads::storage {
namespace {

// Version tag, so a later token format can be told apart.
constexpr absl::string_view kTokenVersion = "p1";
constexpr char kSeparator = '|';

absl::Status Malformed() { return absl::InvalidArgumentError("page_token: malformed"); }

}  // namespace

int ClampPageSize(int requested) {
  if (requested <= 0) return kDefaultPageSize;
  return std::min(requested, kMaxPageSize);
}

std::string EncodePageToken(const PageCursor& cursor) {
  return absl::WebSafeBase64Escape(
      absl::StrCat(kTokenVersion, std::string(1, kSeparator), cursor.created_at,
                   std::string(1, kSeparator), cursor.id));
}

absl::StatusOr<PageCursor> DecodePageToken(absl::string_view token) {
  std::string text;
  if (token.empty() || token.size() > 512 || !absl::WebSafeBase64Unescape(token, &text)) {
    return Malformed();
  }
  const std::size_t first = text.find(kSeparator);
  const std::size_t last = text.rfind(kSeparator);
  if (first == std::string::npos || first == last ||
      absl::string_view(text).substr(0, first) != kTokenVersion) {
    return Malformed();
  }
  PageCursor cursor;
  cursor.created_at = text.substr(first + 1, last - first - 1);
  cursor.id = text.substr(last + 1);
  if (!IsUuid(cursor.id) || !ParseTimestamp(cursor.created_at).ok()) return Malformed();
  return cursor;
}

}  // namespace ttads::storage
