// Conversions between storage rows and contract messages that every core needs: optional
// columns ↔ "" strings, timestamps ↔ RFC 3339 text, wrappers → patches.
#ifndef TTADS_SERVER_PROTO_CONVERT_H_
#define TTADS_SERVER_PROTO_CONVERT_H_

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "google/protobuf/wrappers.pb.h"
#include "storage/page_token.h"
#include "storage/sql_statement.h"
#include "storage/time_format.h"

namespace ttads::server {

inline std::string TextOf(const std::optional<std::string>& value) { return value.value_or(""); }

inline std::string TimeText(absl::Time time) {
  return time == absl::InfinitePast() ? "" : storage::FormatTimestamp(time);
}
inline std::string TimeText(const std::optional<absl::Time>& time) {
  return time.has_value() ? TimeText(*time) : "";
}

// "" means "none" on the wire: store NULL.
inline std::optional<std::string> NullIfEmpty(const std::string& value) {
  if (value.empty()) return std::nullopt;
  return value;
}

// A StringValue in an update: absent leaves the column, "" clears it, text sets it.
inline storage::NullableField<std::string> TextPatch(bool present,
                                                     const google::protobuf::StringValue& value) {
  if (!present) return {};
  if (value.value().empty()) return storage::SetNull<std::string>();
  return storage::NullableField<std::string>(std::in_place, value.value());
}

template <typename Wrapper>
auto ValuePatch(bool present, const Wrapper& wrapper)
    -> std::optional<std::decay_t<decltype(wrapper.value())>> {
  if (!present) return std::nullopt;
  return wrapper.value();
}

// The repository page request of a list RPC, with the contract's maximum page size.
inline storage::PageRequest PageOf(int page_size, const std::string& page_token,
                                   int max_page_size = 200) {
  return storage::PageRequest{page_token, page_size > max_page_size ? max_page_size : page_size};
}

}  // namespace ttads::server

#endif  // TTADS_SERVER_PROTO_CONVERT_H_
