#include "storage/metrics_history_repository.h"

#include "gtest/gtest.h"
#include "storage/ad_account_repository.h"
#include "test/storage/repository_test_util.h"

namespace ttads::storage {
namespace {

class MetricsHistoryRepositoryTest : public RepositoryTest {
 protected:
  MetricsHistoryRow Row(const std::string& user, const std::string& ad_id, const std::string& date,
                        double spend) {
    MetricsHistoryRow row;
    row.user_account_id = user;
    row.ad_id = ad_id;
    row.date = date;
    row.spend = spend;
    row.impressions = 1000;
    row.clicks = 10;
    row.source = "ttads_roi";
    row.advertiser_id = "7400000000000000002";
    row.campaign_id = "7800000000000000002";
    row.adset_id = "7900000000000000002";
    row.ad_name = "ad " + ad_id;
    return row;
  }
  MetricsScope Scope(const std::string& user) {
    MetricsScope scope;
    scope.user_account_id = user;
    scope.advertiser_id = "7400000000000000002";
    return scope;
  }
};

TEST_P(MetricsHistoryRepositoryTest, UpsertIsIdempotentPerUserAdAndDay) {
  MetricsHistoryRepository history(database());
  const std::string user = NewUser("alice");
  absl::StatusOr<int> written = history.Upsert(
      {Row(user, "8000000000000000001", "2026-11-01", 12.34),
       Row(user, "8000000000000000001", "2026-11-02", 5.5),
       Row(user, "8000000000000000002", "2026-11-02", 1.25)},
      TestTime());
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_EQ(*written, 3);

  // The same day again replaces the figures; a missing name does not erase the known one.
  MetricsHistoryRow again = Row(user, "8000000000000000001", "2026-11-02", 7.75);
  again.ad_name.reset();
  again.purchases = 2;
  again.purchase_value = 99.99;
  ASSERT_TRUE(history.Upsert({again}, TestTime(5)).ok());

  absl::StatusOr<std::vector<MetricsHistoryRow>> rows =
      history.List(Scope(user), "2026-11-01", "2026-11-30");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].date, "2026-11-01");
  EXPECT_DOUBLE_EQ((*rows)[0].spend, 12.34);
  EXPECT_EQ((*rows)[1].date, "2026-11-02");
  EXPECT_EQ((*rows)[1].ad_id, "8000000000000000001");
  EXPECT_DOUBLE_EQ((*rows)[1].spend, 7.75);
  EXPECT_EQ((*rows)[1].purchases, 2);
  EXPECT_DOUBLE_EQ((*rows)[1].purchase_value, 99.99);
  EXPECT_EQ((*rows)[1].ad_name, "ad 8000000000000000001");
  EXPECT_EQ((*rows)[1].updated_at, TestTime(5));
  EXPECT_EQ((*rows)[1].created_at, TestTime());
  EXPECT_EQ((*rows)[1].platform, "tiktok");

  absl::StatusOr<std::vector<MetricsHistoryRow>> one_day =
      history.List(Scope(user), "2026-11-02", "2026-11-02");
  ASSERT_TRUE(one_day.ok());
  EXPECT_EQ(one_day->size(), 2u);
}

TEST_P(MetricsHistoryRepositoryTest, RowsAreKeptPerUserAndAdAccount) {
  MetricsHistoryRepository history(database());
  const std::string alice = NewUser("alice");
  const std::string bob = NewUser("bob");
  AdAccountRepository accounts(database());
  AdAccount account;
  account.user_account_id = alice;
  account.name = "second";
  absl::StatusOr<AdAccount> created = accounts.Create(account, TestTime());
  ASSERT_TRUE(created.ok()) << created.status();

  // The same ad and day for the legacy credentials, an ad account and another user.
  MetricsHistoryRow in_account = Row(alice, "8000000000000000001", "2026-11-01", 2);
  in_account.account_id = created->id;
  ASSERT_TRUE(history
                  .Upsert({Row(alice, "8000000000000000001", "2026-11-01", 1), in_account,
                           Row(bob, "8000000000000000001", "2026-11-01", 3)},
                          TestTime())
                  .ok());
  ASSERT_TRUE(history.Upsert({Row(alice, "8000000000000000001", "2026-11-01", 1)}, TestTime())
                  .ok());

  auto legacy = history.List(Scope(alice), "2026-11-01", "2026-11-01");
  ASSERT_TRUE(legacy.ok()) << legacy.status();
  ASSERT_EQ(legacy->size(), 1u);
  EXPECT_DOUBLE_EQ((*legacy)[0].spend, 1);
  MetricsScope account_scope = Scope(alice);
  account_scope.account_id = created->id;
  auto in_ad_account = history.List(account_scope, "2026-11-01", "2026-11-01");
  ASSERT_TRUE(in_ad_account.ok());
  ASSERT_EQ(in_ad_account->size(), 1u);
  EXPECT_DOUBLE_EQ((*in_ad_account)[0].spend, 2);
  auto of_bob = history.List(Scope(bob), "2026-11-01", "2026-11-01");
  ASSERT_TRUE(of_bob.ok());
  ASSERT_EQ(of_bob->size(), 1u);
  EXPECT_DOUBLE_EQ((*of_bob)[0].spend, 3);

  // Another advertiser's rows are not the scope's.
  MetricsScope other = Scope(alice);
  other.advertiser_id = "7400000000000000001";
  EXPECT_TRUE(history.List(other, "2026-11-01", "2026-11-01")->empty());
}

TEST_P(MetricsHistoryRepositoryTest, CoveredDaysAreRecordedOncePerScope) {
  MetricsHistoryRepository history(database());
  const std::string alice = NewUser("alice");
  const std::string bob = NewUser("bob");
  TTADS_ASSERT_OK(history.MarkDaysCovered(Scope(alice), {"2026-11-01", "2026-11-02"}, TestTime()));
  TTADS_ASSERT_OK(history.MarkDaysCovered(Scope(alice), {"2026-11-02", "2026-11-03"}, TestTime(1)));
  auto days = history.CoveredDays(Scope(alice), "2026-11-02", "2026-11-30");
  ASSERT_TRUE(days.ok()) << days.status();
  EXPECT_EQ(*days, (std::vector<std::string>{"2026-11-02", "2026-11-03"}));
  EXPECT_TRUE(history.CoveredDays(Scope(bob), "2026-11-01", "2026-11-30")->empty());
  MetricsScope other = Scope(alice);
  other.advertiser_id = "7400000000000000001";
  EXPECT_TRUE(history.CoveredDays(other, "2026-11-01", "2026-11-30")->empty());
}

TEST_P(MetricsHistoryRepositoryTest, RefusesBadDatesAndRows) {
  MetricsHistoryRepository history(database());
  const std::string user = NewUser();
  EXPECT_EQ(history.Upsert({Row(user, "", "2026-11-01", 1)}, TestTime()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(history.Upsert({Row(user, "1", "2026-02-30", 1)}, TestTime()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(history.List(Scope(user), "2026-11", "2026-11-30").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(history.MarkDaysCovered(Scope(user), {"yesterday"}, TestTime()).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*history.Upsert({}, TestTime()), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, MetricsHistoryRepositoryTest, ::ttads::testing::AllBackends(),
                         ::ttads::testing::BackendName);

}  // namespace
}  // namespace ttads::storage
