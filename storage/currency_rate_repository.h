// currency_rates: conversion rates (e.g. USD→KZT) a daily job refreshes and the brain reads.
#ifndef TTADS_STORAGE_CURRENCY_RATE_REPOSITORY_H_
#define TTADS_STORAGE_CURRENCY_RATE_REPOSITORY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "storage/database.h"

namespace ttads::storage {

struct CurrencyRate {
  std::string id;
  std::string from_currency;  // ISO 4217, e.g. "USD"
  std::string to_currency;    // e.g. "KZT"
  double rate = 0;            // units of to_currency per from_currency; 4 decimals kept
  std::optional<std::string> source;
  absl::Time created_at = absl::InfinitePast();
  absl::Time updated_at = absl::InfinitePast();
};

class CurrencyRateRepository {
 public:
  explicit CurrencyRateRepository(Database& database) : database_(database) {}

  // Creates or replaces the rate of (from, to) and returns it as stored. INVALID_ARGUMENT for a
  // code that is not three uppercase letters or a rate that is not positive.
  absl::StatusOr<CurrencyRate> Upsert(const std::string& from_currency,
                                      const std::string& to_currency, double rate,
                                      const std::optional<std::string>& source, absl::Time now);
  // NOT_FOUND "currency rate USD/KZT not found".
  absl::StatusOr<CurrencyRate> Get(const std::string& from_currency,
                                   const std::string& to_currency);
  // Every rate, ordered by (from, to).
  absl::StatusOr<std::vector<CurrencyRate>> List();

 private:
  Database& database_;
};

}  // namespace ttads::storage

#endif  // TTADS_STORAGE_CURRENCY_RATE_REPOSITORY_H_
