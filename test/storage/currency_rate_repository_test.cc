#include "storage/currency_rate_repository.h"

#include "gtest/gtest.h"
#include "test/storage/repository_test_util.h"

namespace ttads::storage {
namespace {

class CurrencyRateRepositoryTest : public RepositoryTest {};

TEST_P(CurrencyRateRepositoryTest, SeededRateAndUpsert) {
  CurrencyRateRepository rates(database());
  absl::StatusOr<CurrencyRate> seeded = rates.Get("USD", "KZT");
  ASSERT_TRUE(seeded.ok()) << seeded.status();
  EXPECT_DOUBLE_EQ(seeded->rate, 530.0);
  EXPECT_EQ(seeded->source, "default");

  absl::StatusOr<CurrencyRate> updated =
      rates.Upsert("USD", "KZT", 512.3456, std::string("exchangerate-api"), TestTime(1));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->id, seeded->id);
  EXPECT_DOUBLE_EQ(updated->rate, 512.3456);
  EXPECT_EQ(updated->source, "exchangerate-api");
  EXPECT_EQ(updated->updated_at, TestTime(1));
  EXPECT_EQ(updated->created_at, seeded->created_at);

  absl::StatusOr<CurrencyRate> created = rates.Upsert("EUR", "KZT", 560.5, std::nullopt, TestTime(2));
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->source, std::nullopt);
  EXPECT_EQ(created->created_at, TestTime(2));

  absl::StatusOr<std::vector<CurrencyRate>> all = rates.List();
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].from_currency, "EUR");
  EXPECT_EQ((*all)[1].from_currency, "USD");
  EXPECT_DOUBLE_EQ((*all)[1].rate, 512.3456);
}

TEST_P(CurrencyRateRepositoryTest, RejectsBadInputAndReportsMissingPairs) {
  CurrencyRateRepository rates(database());
  absl::StatusOr<CurrencyRate> missing = rates.Get("KZT", "RUB");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("KZT/RUB"), std::string::npos);
  EXPECT_EQ(rates.Upsert("usd", "KZT", 1, std::nullopt, TestTime()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(rates.Upsert("USD", "KZTX", 1, std::nullopt, TestTime()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(rates.Upsert("USD", "KZT", 0, std::nullopt, TestTime()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_DOUBLE_EQ(rates.Get("USD", "KZT")->rate, 530.0);
}

INSTANTIATE_TEST_SUITE_P(Backends, CurrencyRateRepositoryTest, ::ttads::testing::AllBackends(),
                         ::ttads::testing::BackendName);

}  // namespace
}  // namespace ttads::storage
