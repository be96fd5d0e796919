#include "storage/sql_statement.h"

#include <type_traits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "storage/time_format.h"
#include "storage/uuid.h"

namespace ttads::storage {

// ---- SqlParams ----------------------------------------------------------------------------

SqlParams::Slot& SqlParams::Add(std::string name, Kind kind, bool is_null) {
  Slot& slot = slots_.emplace_back();
  slot.name = std::move(name);
  slot.kind = kind;
  slot.indicator = is_null ? soci::i_null : soci::i_ok;
  return slot;
}

SqlParams& SqlParams::Text(std::string name, absl::string_view value) {
  Add(std::move(name), Kind::kText, false).text = std::string(value);
  return *this;
}

SqlParams& SqlParams::NullableText(std::string name, const std::optional<std::string>& value) {
  Add(std::move(name), Kind::kText, !value.has_value()).text = value.value_or("");
  return *this;
}

SqlParams& SqlParams::Uuid(std::string name, absl::string_view value) {
  absl::StatusOr<std::string> canonical = CanonicalUuid(name, value);
  if (!canonical.ok() && status_.ok()) status_ = canonical.status();
  Add(std::move(name), Kind::kText, false).text = canonical.ok() ? *canonical : "";
  return *this;
}

SqlParams& SqlParams::NullableUuid(std::string name, const std::optional<std::string>& value) {
  if (!value.has_value()) {
    Add(std::move(name), Kind::kText, true);
    return *this;
  }
  return Uuid(std::move(name), *value);
}

SqlParams& SqlParams::Int(std::string name, long long value) {
  Add(std::move(name), Kind::kInteger, false).integer = value;
  return *this;
}

SqlParams& SqlParams::NullableInt(std::string name, const std::optional<int>& value) {
  Add(std::move(name), Kind::kInteger, !value.has_value()).integer = value.value_or(0);
  return *this;
}

SqlParams& SqlParams::Bool(std::string name, bool value) {
  Add(std::move(name), Kind::kInteger, false).integer = value ? 1 : 0;
  return *this;
}

SqlParams& SqlParams::Double(std::string name, double value) {
  Add(std::move(name), Kind::kDouble, false).number = value;
  return *this;
}

SqlParams& SqlParams::NullableDouble(std::string name, const std::optional<double>& value) {
  Add(std::move(name), Kind::kDouble, !value.has_value()).number = value.value_or(0);
  return *this;
}

SqlParams& SqlParams::Time(std::string name, absl::Time value) {
  Add(std::move(name), Kind::kText, false).text = FormatTimestamp(value);
  return *this;
}

SqlParams& SqlParams::NullableTime(std::string name, const std::optional<absl::Time>& value) {
  Add(std::move(name), Kind::kText, !value.has_value()).text =
      value.has_value() ? FormatTimestamp(*value) : "";
  return *this;
}

std::string SqlParams::Names() const {
  return absl::StrJoin(slots_, ", ",
                       [](std::string* out, const Slot& slot) { out->append(slot.name); });
}

std::string SqlParams::Placeholders() const {
  return absl::StrJoin(slots_, ", ", [](std::string* out, const Slot& slot) {
    absl::StrAppend(out, ":", slot.name);
  });
}

std::string SqlParams::Assignments() const {
  return absl::StrJoin(slots_, ", ", [](std::string* out, const Slot& slot) {
    absl::StrAppend(out, slot.name, " = :", slot.name);
  });
}

void SqlParams::BindTo(soci::statement& statement) {
  for (Slot& slot : slots_) {
    switch (slot.kind) {
      case Kind::kText:
        statement.exchange(soci::use(slot.text, slot.indicator, slot.name));
        break;
      case Kind::kInteger:
        statement.exchange(soci::use(slot.integer, slot.indicator, slot.name));
        break;
      case Kind::kDouble:
        statement.exchange(soci::use(slot.number, slot.indicator, slot.name));
        break;
    }
  }
}

// ---- SqlColumns ---------------------------------------------------------------------------

SqlColumns& SqlColumns::Add(std::string column, Target target) {
  Slot& slot = slots_.emplace_back();
  slot.column = std::move(column);
  slot.target = target;
  return *this;
}

SqlColumns& SqlColumns::Text(std::string column, std::string* out) {
  return Add(std::move(column), out);
}
SqlColumns& SqlColumns::Text(std::string column, std::optional<std::string>* out) {
  return Add(std::move(column), out);
}
SqlColumns& SqlColumns::Int(std::string column, int* out) { return Add(std::move(column), out); }
SqlColumns& SqlColumns::Int(std::string column, std::optional<int>* out) {
  return Add(std::move(column), out);
}
SqlColumns& SqlColumns::Int(std::string column, long long* out) {
  return Add(std::move(column), out);
}
SqlColumns& SqlColumns::Bool(std::string column, bool* out) { return Add(std::move(column), out); }
SqlColumns& SqlColumns::Double(std::string column, double* out) {
  return Add(std::move(column), out);
}
SqlColumns& SqlColumns::Double(std::string column, std::optional<double>* out) {
  return Add(std::move(column), out);
}
SqlColumns& SqlColumns::Time(std::string column, absl::Time* out) {
  return Add(std::move(column), out);
}
SqlColumns& SqlColumns::Time(std::string column, std::optional<absl::Time>* out) {
  return Add(std::move(column), out);
}

std::string SqlColumns::List(absl::string_view qualifier) const {
  return absl::StrJoin(slots_, ", ", [&](std::string* out, const Slot& slot) {
    if (!qualifier.empty()) absl::StrAppend(out, qualifier, ".");
    out->append(slot.column);
  });
}

void SqlColumns::BindTo(soci::statement& statement) {
  for (Slot& slot : slots_) {
    std::visit(
        [&](auto* target) {
          using Field = std::remove_pointer_t<decltype(target)>;
          if constexpr (std::is_same_v<Field, int> || std::is_same_v<Field, std::optional<int>> ||
                        std::is_same_v<Field, long long> || std::is_same_v<Field, bool>) {
            statement.exchange(soci::into(slot.integer, slot.indicator));
          } else if constexpr (std::is_same_v<Field, double> ||
                               std::is_same_v<Field, std::optional<double>>) {
            statement.exchange(soci::into(slot.number, slot.indicator));
          } else {
            statement.exchange(soci::into(slot.text, slot.indicator));
          }
        },
        slot.target);
  }
}

absl::Status SqlColumns::Store() {
  for (Slot& slot : slots_) {
    const bool present = slot.indicator == soci::i_ok;
    absl::Status status;
    std::visit(
        [&](auto* target) {
          using Field = std::remove_pointer_t<decltype(target)>;
          if constexpr (std::is_same_v<Field, std::string>) {
            *target = present ? slot.text : std::string();
          } else if constexpr (std::is_same_v<Field, std::optional<std::string>>) {
            *target = present ? std::optional<std::string>(slot.text) : std::nullopt;
          } else if constexpr (std::is_same_v<Field, int>) {
            *target = present ? static_cast<int>(slot.integer) : 0;
          } else if constexpr (std::is_same_v<Field, std::optional<int>>) {
            *target = present ? std::optional<int>(static_cast<int>(slot.integer)) : std::nullopt;
          } else if constexpr (std::is_same_v<Field, long long>) {
            *target = present ? slot.integer : 0;
          } else if constexpr (std::is_same_v<Field, bool>) {
            *target = present && slot.integer != 0;
          } else if constexpr (std::is_same_v<Field, double>) {
            *target = present ? slot.number : 0;
          } else if constexpr (std::is_same_v<Field, std::optional<double>>) {
            *target = present ? std::optional<double>(slot.number) : std::nullopt;
          } else {
            std::optional<absl::Time> time;
            if (present) {
              absl::StatusOr<absl::Time> parsed = ParseTimestamp(slot.text);
              if (!parsed.ok()) {
                status = absl::DataLossError(
                    absl::StrCat("column ", slot.column, ": ", parsed.status().message()));
                return;
              }
              time = *parsed;
            }
            if constexpr (std::is_same_v<Field, absl::Time>) {
              *target = time.value_or(absl::InfinitePast());
            } else {
              *target = time;
            }
          }
        },
        slot.target);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

// ---- runners ------------------------------------------------------------------------------

namespace {

// A one-time statement with `params` (and `columns`, when given) bound, ready to execute.
void Prepare(soci::statement& statement, const std::string& sql, SqlParams& params,
             SqlColumns* columns) {
  if (columns != nullptr) columns->BindTo(statement);
  params.BindTo(statement);
  statement.alloc();
  statement.prepare(sql, soci::details::st_one_time_query);
  statement.define_and_bind();
}

}  // namespace

absl::Status NotFoundError(absl::string_view entity, absl::string_view id) {
  return absl::NotFoundError(absl::StrCat(entity, " ", id, " not found"));
}

std::string InsertSql(absl::string_view table, const SqlParams& params) {
  return absl::StrCat("INSERT INTO ", table, " (", params.Names(), ") VALUES (",
                      params.Placeholders(), ")");
}

absl::StatusOr<long long> Execute(soci::session& session, const std::string& sql,
                                  SqlParams& params) {
  if (!params.status().ok()) return params.status();
  soci::statement statement(session);
  Prepare(statement, sql, params, nullptr);
  statement.execute(true);
  return statement.get_affected_rows();
}

absl::Status Query(soci::session& session, const std::string& sql, SqlParams& params,
                   SqlColumns& columns, absl::FunctionRef<void()> on_row) {
  if (!params.status().ok()) return params.status();
  soci::statement statement(session);
  Prepare(statement, sql, params, &columns);
  statement.execute(false);
  while (statement.fetch()) {
    if (absl::Status stored = columns.Store(); !stored.ok()) return stored;
    on_row();
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> QueryOne(soci::session& session, const std::string& sql, SqlParams& params,
                              SqlColumns& columns) {
  bool found = false;
  absl::Status status = Query(session, sql, params, columns, [&] { found = true; });
  if (!status.ok()) return status;
  return found;
}

absl::StatusOr<bool> Exists(soci::session& session, const std::string& sql, SqlParams& params) {
  int ignored = 0;
  SqlColumns columns;
  columns.Int("1", &ignored);
  return QueryOne(session, sql, params, columns);
}

namespace internal {

absl::StatusOr<std::string> PageSql(absl::string_view select_list, absl::string_view table,
                                    absl::string_view where, SqlParams& params,
                                    const PageRequest& request) {
  std::string conditions(where);
  if (!request.page_token.empty()) {
    absl::StatusOr<PageCursor> cursor = DecodePageToken(request.page_token);
    if (!cursor.ok()) return cursor.status();
    params.Text("page_created_at", cursor->created_at)
        .Text("page_created_at_tie", cursor->created_at)
        .Uuid("page_id", cursor->id);
    absl::StrAppend(&conditions, conditions.empty() ? "" : " AND ",
                    "(created_at < :page_created_at OR "
                    "(created_at = :page_created_at_tie AND id < :page_id))");
  }
  params.Int("page_limit", ClampPageSize(request.page_size) + 1);
  return absl::StrCat("SELECT ", select_list, " FROM ", table,
                      conditions.empty() ? "" : " WHERE ", conditions,
                      " ORDER BY created_at DESC, id DESC LIMIT :page_limit");
}

}  // namespace internal
}  // namespace ttads::storage
