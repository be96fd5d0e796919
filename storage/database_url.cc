#include "storage/database_url.h"

#include <libpq-fe.h>

#include <memory>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"

namespace ttads::storage {
namespace {

// Quotes a libpq/SOCI key=value value when it holds spaces, quotes or backslashes.
std::string QuoteConnValue(absl::string_view value) {
  const bool needs_quotes = value.empty() || value.find_first_of(" '\\") != absl::string_view::npos;
  if (!needs_quotes) return std::string(value);
  return absl::StrCat("'", absl::StrReplaceAll(value, {{"\\", "\\\\"}, {"'", "\\'"}}), "'");
}

absl::StatusOr<DatabaseTarget> ParsePostgres(absl::string_view url) {
  char* error = nullptr;
  const std::string url_copy(url);
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
      PQconninfoParse(url_copy.c_str(), &error), &PQconninfoFree);
  if (options == nullptr) {
    std::string message = error != nullptr ? error : "unparseable connection string";
    if (error != nullptr) PQfreemem(error);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    return absl::InvalidArgumentError(
        absl::StrCat("TTADS_DATABASE_URL: not a valid PostgreSQL URI: ", message));
  }
  std::vector<std::string> pairs;
  std::vector<std::string> redacted_pairs;
  for (const PQconninfoOption* option = options.get(); option->keyword != nullptr; ++option) {
    if (option->val == nullptr || option->val[0] == '\0') continue;
    pairs.push_back(absl::StrCat(option->keyword, "=", QuoteConnValue(option->val)));
    const bool secret = absl::string_view(option->keyword) == "password";
    redacted_pairs.push_back(
        absl::StrCat(option->keyword, "=", secret ? "***" : QuoteConnValue(option->val)));
  }
  DatabaseTarget target;
  target.backend = Backend::kPostgres;
  target.soci_connect_string = absl::StrJoin(pairs, " ");
  target.redacted = absl::StrCat("postgresql: ", absl::StrJoin(redacted_pairs, " "));
  return target;
}

DatabaseTarget SqliteTarget(absl::string_view path) {
  DatabaseTarget target;
  target.backend = Backend::kSqlite;
  target.sqlite_path = std::string(path);
  // timeout: seconds SQLite waits on a locked database before failing (busy timeout).
  target.soci_connect_string = absl::StrCat("db=", QuoteConnValue(path), " timeout=10");
  target.redacted = absl::StrCat("sqlite:", path);
  return target;
}

}  // namespace

absl::StatusOr<DatabaseTarget> ParseDatabaseUrl(absl::string_view url) {
  if (url.empty()) url = kDefaultDatabaseUrl;
  if (absl::StartsWith(url, "postgresql://") || absl::StartsWith(url, "postgres://")) {
    return ParsePostgres(url);
  }
  if (absl::StartsWith(url, "postgresql:")) {
    return ParsePostgres(url.substr(absl::string_view("postgresql:").size()));
  }
  for (absl::string_view prefix : {"sqlite3://", "sqlite://", "sqlite3:", "sqlite:"}) {
    if (absl::StartsWith(url, prefix)) {
      const absl::string_view path = url.substr(prefix.size());
      if (path.empty()) {
        return absl::InvalidArgumentError("TTADS_DATABASE_URL: sqlite URL names no file");
      }
      return SqliteTarget(path);
    }
  }
  if (absl::EndsWith(url, ".db") || absl::EndsWith(url, ".sqlite") ||
      absl::EndsWith(url, ".sqlite3")) {
    return SqliteTarget(url);
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "TTADS_DATABASE_URL: expected sqlite:PATH or postgresql://user:pass@host:port/db, got '",
      url.substr(0, url.find('@') == absl::string_view::npos ? url.size() : 0), "'"));
}

}  // namespace ttads::storage
