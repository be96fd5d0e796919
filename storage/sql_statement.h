// The repositories' one way to talk SQL: named parameters (SqlParams), result columns read into a
// row struct (SqlColumns), and small runners over a session. NULLs, booleans, UUIDs and
// timestamps are converted here, once, the same way on SQLite and PostgreSQL:
//   - booleans travel as 0/1 (PostgreSQL reads '1'/'0' as boolean and returns 't'/'f' as 1/0);
//   - timestamps are written in FormatTimestamp's form and read back with ParseTimestamp;
//   - UUIDs are validated and lowercased before they reach the database, so a malformed id is
//     INVALID_ARGUMENT on both backends instead of a PostgreSQL cast error;
//   - std::optional fields map to NULL.
// Statements run as one-time queries (no server-side prepared statements to clean up after an
// error inside a transaction). SQL text is built only from constants in the repositories; every
// value goes through a parameter.
#ifndef TTADS_STORAGE_SQL_STATEMENT_H_
#define TTADS_STORAGE_SQL_STATEMENT_H_

#include <deque>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "soci/soci.h"
#include "storage/database.h"
#include "storage/page_token.h"

namespace ttads::storage {

// A field that may be left alone, set to a value, or set to NULL: patches of nullable columns
// and filters on them. Unset (`{}`) leaves the column alone / does not filter; `SetNull<T>()`
// stores NULL / matches NULL; a value stores / matches that value.
template <typename T>
using NullableField = std::optional<std::optional<T>>;

template <typename T>
NullableField<T> SetNull() {
  return NullableField<T>(std::in_place, std::nullopt);
}

// Values for a statement's ":name" placeholders, in the order they are added. The names double as
// column names for InsertSql and Assignments.
class SqlParams {
 public:
  SqlParams& Text(std::string name, absl::string_view value);
  SqlParams& NullableText(std::string name, const std::optional<std::string>& value);
  // Validated and lowercased; an invalid value makes status() INVALID_ARGUMENT naming `name`.
  SqlParams& Uuid(std::string name, absl::string_view value);
  SqlParams& NullableUuid(std::string name, const std::optional<std::string>& value);
  SqlParams& Int(std::string name, long long value);
  SqlParams& NullableInt(std::string name, const std::optional<int>& value);
  SqlParams& Bool(std::string name, bool value);
  SqlParams& Double(std::string name, double value);
  SqlParams& NullableDouble(std::string name, const std::optional<double>& value);
  SqlParams& Time(std::string name, absl::Time value);
  SqlParams& NullableTime(std::string name, const std::optional<absl::Time>& value);

  // OK, or the first invalid value added. The runners below check it before executing.
  const absl::Status& status() const { return status_; }

  // "a, b, c" and ":a, :b, :c" over the names added so far.
  std::string Names() const;
  std::string Placeholders() const;
  // "a = :a, b = :b" over the names added so far.
  std::string Assignments() const;
  bool empty() const { return slots_.empty(); }

  void BindTo(soci::statement& statement);

 private:
  enum class Kind { kText, kInteger, kDouble };
  struct Slot {
    std::string name;
    Kind kind = Kind::kText;
    std::string text;
    long long integer = 0;
    double number = 0;
    soci::indicator indicator = soci::i_ok;
  };
  Slot& Add(std::string name, Kind kind, bool is_null);

  std::deque<Slot> slots_;  // a deque: SOCI keeps pointers to the slots
  absl::Status status_;
};

// The columns of a query's result, each read into a field of a caller's struct. Register them in
// SELECT order; List() gives the matching select list.
class SqlColumns {
 public:
  SqlColumns& Text(std::string column, std::string* out);  // NULL reads as ""
  SqlColumns& Text(std::string column, std::optional<std::string>* out);
  SqlColumns& Int(std::string column, int* out);            // NULL reads as 0
  SqlColumns& Int(std::string column, std::optional<int>* out);
  SqlColumns& Int(std::string column, long long* out);
  SqlColumns& Bool(std::string column, bool* out);          // NULL reads as false
  SqlColumns& Double(std::string column, double* out);      // NULL reads as 0
  SqlColumns& Double(std::string column, std::optional<double>* out);
  SqlColumns& Time(std::string column, absl::Time* out);    // NULL reads as InfinitePast
  SqlColumns& Time(std::string column, std::optional<absl::Time>* out);

  // "a, b, c", each prefixed with `qualifier` + "." when one is given.
  std::string List(absl::string_view qualifier = "") const;

  void BindTo(soci::statement& statement);
  // Copies the row just fetched into the registered fields.
  absl::Status Store();

 private:
  using Target = std::variant<std::string*, std::optional<std::string>*, int*,
                              std::optional<int>*, long long*, bool*, double*,
                              std::optional<double>*, absl::Time*, std::optional<absl::Time>*>;
  struct Slot {
    std::string column;
    Target target;
    std::string text;
    long long integer = 0;
    double number = 0;
    soci::indicator indicator = soci::i_ok;
  };
  SqlColumns& Add(std::string column, Target target);

  std::deque<Slot> slots_;
};

// NOT_FOUND "<entity> <id> not found".
absl::Status NotFoundError(absl::string_view entity, absl::string_view id);

// "INSERT INTO table (names) VALUES (placeholders)" for `params`.
std::string InsertSql(absl::string_view table, const SqlParams& params);

// Runs a statement that returns no rows; returns how many rows it changed.
absl::StatusOr<long long> Execute(soci::session& session, const std::string& sql,
                                  SqlParams& params);

// Runs a query, storing each row into `columns`' fields and then calling `on_row`.
absl::Status Query(soci::session& session, const std::string& sql, SqlParams& params,
                   SqlColumns& columns, absl::FunctionRef<void()> on_row);

// Runs a query expected to return at most one row; false when it returned none.
absl::StatusOr<bool> QueryOne(soci::session& session, const std::string& sql, SqlParams& params,
                              SqlColumns& columns);

// Whether `sql` (a SELECT) returns any row.
absl::StatusOr<bool> Exists(soci::session& session, const std::string& sql, SqlParams& params);

// Database::Run / Transact for work that produces a value.
template <typename T>
absl::StatusOr<T> RunFor(Database& database,
                         absl::FunctionRef<absl::StatusOr<T>(soci::session&)> work) {
  std::optional<T> result;
  const absl::Status status = database.Run([&](soci::session& session) -> absl::Status {
    absl::StatusOr<T> value = work(session);
    if (!value.ok()) return value.status();
    result.emplace(std::move(*value));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return std::move(*result);
}

template <typename T>
absl::StatusOr<T> TransactFor(Database& database,
                              absl::FunctionRef<absl::StatusOr<T>(soci::session&)> work) {
  std::optional<T> result;
  const absl::Status status = database.Transact([&](soci::session& session) -> absl::Status {
    absl::StatusOr<T> value = work(session);
    if (!value.ok()) return value.status();
    result.emplace(std::move(*value));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return std::move(*result);
}

// The one row of `table` matching `where` (its parameters in `params`; `suffix` may add ORDER BY /
// LIMIT), read through `bind`; NOT_FOUND "<entity> <id> not found" when there is none.
template <typename Row>
absl::StatusOr<Row> ReadRow(soci::session& session, absl::string_view table,
                            absl::string_view where, SqlParams& params,
                            void (*bind)(SqlColumns&, Row&), absl::string_view entity,
                            absl::string_view id, absl::string_view suffix = "") {
  Row row;
  SqlColumns columns;
  bind(columns, row);
  absl::StatusOr<bool> found =
      QueryOne(session,
               absl::StrCat("SELECT ", columns.List(), " FROM ", table, " WHERE ", where, suffix),
               params, columns);
  if (!found.ok()) return found.status();
  if (!*found) return NotFoundError(entity, id);
  return row;
}

// Every row of `table` matching `where` (empty: all rows), in the order `suffix` gives.
template <typename Row>
absl::StatusOr<std::vector<Row>> ReadRows(soci::session& session, absl::string_view table,
                                          absl::string_view where, SqlParams& params,
                                          void (*bind)(SqlColumns&, Row&),
                                          absl::string_view suffix) {
  std::vector<Row> rows;
  Row row;
  SqlColumns columns;
  bind(columns, row);
  absl::Status status = Query(
      session,
      absl::StrCat("SELECT ", columns.List(), " FROM ", table, where.empty() ? "" : " WHERE ",
                   where, " ", suffix),
      params, columns, [&] { rows.push_back(row); });
  if (!status.ok()) return status;
  return rows;
}

// One page of `table`'s rows matching `where` (may be empty; its parameters in `params`), newest
// first by (created_at, id). `bind` registers a Row's columns; Row must have a string `id`.
template <typename Row>
absl::StatusOr<Page<Row>> QueryPage(soci::session& session, absl::string_view table,
                                    absl::string_view where, SqlParams& params,
                                    const PageRequest& request,
                                    void (*bind)(SqlColumns&, Row&));

// Implementation details of QueryPage, shared by every Row type.
namespace internal {
// Adds the cursor condition and limit to `params`; returns the full SQL text.
absl::StatusOr<std::string> PageSql(absl::string_view select_list, absl::string_view table,
                                    absl::string_view where, SqlParams& params,
                                    const PageRequest& request);
}  // namespace internal

template <typename Row>
absl::StatusOr<Page<Row>> QueryPage(soci::session& session, absl::string_view table,
                                    absl::string_view where, SqlParams& params,
                                    const PageRequest& request,
                                    void (*bind)(SqlColumns&, Row&)) {
  Row row;
  std::string cursor_created_at;
  SqlColumns columns;
  bind(columns, row);
  columns.Text("created_at", &cursor_created_at);
  absl::StatusOr<std::string> sql =
      internal::PageSql(columns.List(), table, where, params, request);
  if (!sql.ok()) return sql.status();
  const std::size_t size = static_cast<std::size_t>(ClampPageSize(request.page_size));
  Page<Row> page;
  PageCursor last;
  bool more = false;
  absl::Status status = Query(session, *sql, params, columns, [&] {
    if (page.items.size() == size) {
      more = true;
      return;
    }
    page.items.push_back(row);
    last = {cursor_created_at, row.id};
  });
  if (!status.ok()) return status;
  if (more) page.next_page_token = EncodePageToken(last);
  return page;
}

}  // namespace ttads::storage

#endif  // TTADS_STORAGE_SQL_STATEMENT_H_
