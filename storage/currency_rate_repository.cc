#include "storage/currency_rate_repository.h"

#include <cmath>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "storage/sql_statement.h"
#include "storage/uuid.h"

namespace ttads::storage {
namespace {

void BindRate(SqlColumns& columns, CurrencyRate& row) {
  columns.Text("id", &row.id)
      .Text("from_currency", &row.from_currency)
      .Text("to_currency", &row.to_currency)
      .Double("rate", &row.rate)
      .Text("source", &row.source)
      .Time("created_at", &row.created_at)
      .Time("updated_at", &row.updated_at);
}

bool IsCurrencyCode(const std::string& code) {
  if (code.size() != 3) return false;
  for (const char c : code) {
    if (!absl::ascii_isupper(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

absl::StatusOr<CurrencyRate> Read(soci::session& session, const std::string& from_currency,
                                  const std::string& to_currency) {
  SqlParams params;
  params.Text("from_currency", from_currency).Text("to_currency", to_currency);
  return ReadRow<CurrencyRate>(session, "currency_rates",
                               "from_currency = :from_currency AND to_currency = :to_currency",
                               params, &BindRate, "currency rate",
                               absl::StrCat(from_currency, "/", to_currency));
}

}  // namespace

absl::StatusOr<CurrencyRate> CurrencyRateRepository::Upsert(
    const std::string& from_currency, const std::string& to_currency, double rate,
    const std::optional<std::string>& source, absl::Time now) {
  if (!IsCurrencyCode(from_currency) || !IsCurrencyCode(to_currency)) {
    return absl::InvalidArgumentError(absl::StrCat("currency codes must be three uppercase "
                                                    "letters, got '",
                                                    from_currency, "' and '", to_currency, "'"));
  }
  if (!std::isfinite(rate) || rate <= 0) {
    return absl::InvalidArgumentError(absl::StrCat("currency rate must be positive, got ", rate));
  }
  return TransactFor<CurrencyRate>(
      database_, [&](soci::session& session) -> absl::StatusOr<CurrencyRate> {
        SqlParams params;
        params.Uuid("id", NewUuid())
            .Text("from_currency", from_currency)
            .Text("to_currency", to_currency)
            .Double("rate", rate)
            .NullableText("source", source)
            .Time("created_at", now)
            .Time("updated_at", now);
        absl::StatusOr<long long> written = Execute(
            session,
            absl::StrCat(InsertSql("currency_rates", params),
                         " ON CONFLICT (from_currency, to_currency) DO UPDATE SET "
                         "rate = excluded.rate, source = excluded.source, "
                         "updated_at = excluded.updated_at"),
            params);
        if (!written.ok()) return written.status();
        return Read(session, from_currency, to_currency);
      });
}

absl::StatusOr<CurrencyRate> CurrencyRateRepository::Get(const std::string& from_currency,
                                                         const std::string& to_currency) {
  return RunFor<CurrencyRate>(database_, [&](soci::session& session) {
    return Read(session, from_currency, to_currency);
  });
}

absl::StatusOr<std::vector<CurrencyRate>> CurrencyRateRepository::List() {
  return RunFor<std::vector<CurrencyRate>>(database_, [&](soci::session& session) {
    SqlParams params;
    return ReadRows<CurrencyRate>(session, "currency_rates", "", params, &BindRate,
                                  "ORDER BY from_currency, to_currency");
  });
}

}  // namespace ttads::storage
