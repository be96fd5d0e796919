#include "storage/direction_repository.h"

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "storage/ad_account_repository.h"
#include "storage/uuid.h"
#include "test/storage/repository_test_util.h"

namespace ttads::storage {
namespace {

class DirectionRepositoryTest : public RepositoryTest {
 protected:
  static Direction TikTokDirection(const std::string& user, const std::string& name) {
    Direction row;
    row.user_account_id = user;
    row.name = name;
    row.platform = "tiktok";
    row.objective = "instagram_traffic";
    row.daily_budget_cents = 500;
    row.tiktok_objective = "traffic";
    row.tiktok_daily_budget = 2500;
    return row;
  }
  Direction NewDirection(const std::string& user, const std::string& name,
                         absl::Time at = TestTime()) {
    DirectionRepository directions(database());
    absl::StatusOr<Direction> created = directions.Create(TikTokDirection(user, name), at);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : Direction{};
  }
  TikTokAdGroup NewAdGroup(const std::string& direction_id, const std::string& tiktok_id,
                           int ads_count, absl::Time linked_at,
                           const std::string& status = "DISABLE") {
    DirectionRepository directions(database());
    TikTokAdGroup row;
    row.direction_id = direction_id;
    row.tiktok_adgroup_id = tiktok_id;
    row.status = status;
    row.ads_count = ads_count;
    absl::StatusOr<TikTokAdGroup> added = directions.AddAdGroup(row, linked_at);
    EXPECT_TRUE(added.ok()) << added.status();
    return added.ok() ? *added : TikTokAdGroup{};
  }
};

TEST_P(DirectionRepositoryTest, CreateAndGetRoundTripEveryColumn) {
  DirectionRepository directions(database());
  const std::string user = NewUser();
  AdAccountRepository accounts(database());
  AdAccount account_row;
  account_row.user_account_id = user;
  account_row.name = "acc";
  const std::string account = accounts.Create(account_row, TestTime())->id;

  Direction row = TikTokDirection(user, "Алматы — стоматология");
  row.account_id = account;
  row.tiktok_campaign_id = "1790000000001";
  row.tiktok_pixel_id = "px";
  row.tiktok_identity_id = "ident";
  row.tiktok_target_cpl_kzt = 900;
  row.tiktok_target_cpl = 1.75;
  row.tiktok_adgroup_mode = "use_existing";
  row.tiktok_instant_page_id = "page";
  row.campaign_status = "ACTIVE";
  absl::StatusOr<Direction> created = directions.Create(row, TestTime());
  ASSERT_TRUE(created.ok()) << created.status();
  ASSERT_TRUE(IsUuid(created->id));

  absl::StatusOr<Direction> read = directions.Get(user, created->id);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->user_account_id, user);
  EXPECT_EQ(read->account_id, account);
  EXPECT_EQ(read->name, "Алматы — стоматология");
  EXPECT_EQ(read->platform, "tiktok");
  EXPECT_EQ(read->objective, "instagram_traffic");
  EXPECT_EQ(read->conversion_channel, std::nullopt);
  EXPECT_EQ(read->daily_budget_cents, 500);
  EXPECT_EQ(read->target_cpl_cents, 50);
  EXPECT_TRUE(read->is_active);
  EXPECT_EQ(read->campaign_status, "ACTIVE");
  EXPECT_EQ(read->whatsapp_phone_number_id, std::nullopt);
  EXPECT_EQ(read->tiktok_campaign_id, "1790000000001");
  EXPECT_EQ(read->tiktok_pixel_id, "px");
  EXPECT_EQ(read->tiktok_identity_id, "ident");
  EXPECT_EQ(read->tiktok_objective, "traffic");
  EXPECT_EQ(read->tiktok_daily_budget, 2500);
  EXPECT_EQ(read->tiktok_target_cpl_kzt, 900);
  ASSERT_TRUE(read->tiktok_target_cpl.has_value());
  EXPECT_DOUBLE_EQ(*read->tiktok_target_cpl, 1.75);
  EXPECT_EQ(read->tiktok_adgroup_mode, "use_existing");
  EXPECT_EQ(read->tiktok_instant_page_id, "page");
  EXPECT_EQ(read->optimization_level, "level_1");
  EXPECT_EQ(read->created_at, TestTime());
  EXPECT_EQ(read->updated_at, TestTime());
}

TEST_P(DirectionRepositoryTest, CreateChecksOwnerAndAccount) {
  DirectionRepository directions(database());
  EXPECT_EQ(directions.Create(TikTokDirection(NewUuid(), "xx"), TestTime()).status().code(),
            absl::StatusCode::kNotFound);
  const std::string user = NewUser("a");
  const std::string other = NewUser("b");
  AdAccountRepository accounts(database());
  AdAccount theirs;
  theirs.user_account_id = other;
  theirs.name = "theirs";
  Direction row = TikTokDirection(user, "mine");
  row.account_id = accounts.Create(theirs, TestTime())->id;
  EXPECT_EQ(directions.Create(row, TestTime()).status().code(), absl::StatusCode::kNotFound);
  // A CHECK violation (budget below 500 cents) is FAILED_PRECONDITION.
  Direction cheap = TikTokDirection(user, "cheap");
  cheap.daily_budget_cents = 100;
  EXPECT_EQ(directions.Create(cheap, TestTime()).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_P(DirectionRepositoryTest, DuplicateNamePerUserAndPlatformIsAlreadyExists) {
  DirectionRepository directions(database());
  const std::string user = NewUser("a");
  const std::string other = NewUser("b");
  NewDirection(user, "Dental");
  absl::StatusOr<Direction> again = directions.Create(TikTokDirection(user, "Dental"), TestTime());
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists) << again.status();
  // Same name: another platform, or another user, is fine.
  Direction facebook = TikTokDirection(user, "Dental");
  facebook.platform = "facebook";
  EXPECT_TRUE(directions.Create(facebook, TestTime()).ok());
  EXPECT_TRUE(directions.Create(TikTokDirection(other, "Dental"), TestTime()).ok());
  // NULL platform means facebook.
  Direction legacy = TikTokDirection(user, "Dental");
  legacy.platform = std::nullopt;
  EXPECT_EQ(directions.Create(legacy, TestTime()).status().code(),
            absl::StatusCode::kAlreadyExists);
  // Renaming onto a taken name is refused too.
  const Direction second = NewDirection(user, "Ortho");
  DirectionPatch rename;
  rename.name = "Dental";
  EXPECT_EQ(directions.Update(user, second.id, rename, TestTime(1)).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_P(DirectionRepositoryTest, TwentyFirstActiveDirectionIsRefused) {
  DirectionRepository directions(database());
  const std::string user = NewUser();
  for (int i = 0; i < kMaxActiveDirectionsPerUser; ++i) NewDirection(user, absl::StrCat("d", i));
  absl::StatusOr<Direction> extra = directions.Create(TikTokDirection(user, "d20"), TestTime());
  EXPECT_EQ(extra.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(extra.status().message(), "at most 20 active directions per user");

  // An inactive one may be created, but not activated while 20 are active.
  Direction inactive_row = TikTokDirection(user, "spare");
  inactive_row.is_active = false;
  absl::StatusOr<Direction> inactive = directions.Create(inactive_row, TestTime());
  ASSERT_TRUE(inactive.ok()) << inactive.status();
  DirectionPatch activate;
  activate.is_active = true;
  EXPECT_EQ(directions.Update(user, inactive->id, activate, TestTime(1)).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(directions.Get(user, inactive->id)->is_active);

  // Another user is not affected.
  EXPECT_TRUE(directions.Create(TikTokDirection(NewUser("other"), "d0"), TestTime()).ok());
}

TEST_P(DirectionRepositoryTest, ConcurrentCreatesNeverExceedTheActiveLimit) {
  const std::string user = NewUser();
  std::unique_ptr<Database> replica = scratch_->OpenAnother();
  ASSERT_NE(replica, nullptr);
  std::atomic<int> created{0};
  std::atomic<int> refused{0};
  std::atomic<int> other_errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      DirectionRepository directions(t % 2 == 0 ? database() : *replica);
      for (int i = 0; i < 7; ++i) {
        absl::StatusOr<Direction> result =
            directions.Create(TikTokDirection(user, absl::StrCat("t", t, "-", i)), TestTime());
        if (result.ok()) {
          ++created;
        } else if (result.status().code() == absl::StatusCode::kFailedPrecondition) {
          ++refused;
        } else {
          ++other_errors;
          ADD_FAILURE() << result.status();
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(created.load(), kMaxActiveDirectionsPerUser);
  EXPECT_EQ(refused.load(), 28 - kMaxActiveDirectionsPerUser);
  EXPECT_EQ(other_errors.load(), 0);
}

TEST_P(DirectionRepositoryTest, AnotherUsersDirectionIsNotFound) {
  DirectionRepository directions(database());
  const std::string owner = NewUser("a");
  const std::string other = NewUser("b");
  const Direction direction = NewDirection(owner, "mine");
  EXPECT_EQ(directions.Get(other, direction.id).status().code(), absl::StatusCode::kNotFound);
  DirectionPatch patch;
  patch.tiktok_campaign_id = "x";
  EXPECT_EQ(directions.Update(other, direction.id, patch, TestTime()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(directions.SetCampaignStatus(other, direction.id, "ACTIVE", TestTime()).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(directions.GetAdSettings(other, direction.id).status().code(),
            absl::StatusCode::kNotFound);
  AdSettings settings;
  settings.direction_id = direction.id;
  settings.user_id = other;
  EXPECT_EQ(directions.UpsertAdSettings(settings, TestTime()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(directions.Get(owner, direction.id)->tiktok_campaign_id, std::nullopt);
}

TEST_P(DirectionRepositoryTest, UpdatePatchesAndClearsColumns) {
  DirectionRepository directions(database());
  const std::string user = NewUser();
  const Direction direction = NewDirection(user, "dir");
  DirectionPatch patch;
  patch.tiktok_campaign_id = "c-1";
  patch.tiktok_target_cpl = 2.5;
  patch.tiktok_adgroup_mode = "use_existing";
  patch.campaign_status = "ACTIVE";
  patch.is_active = false;
  patch.tiktok_daily_budget = SetNull<int>();
  patch.optimization_level = "level_2";
  absl::StatusOr<Direction> updated = directions.Update(user, direction.id, patch, TestTime(3));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->tiktok_campaign_id, "c-1");
  EXPECT_DOUBLE_EQ(updated->tiktok_target_cpl.value_or(0), 2.5);
  EXPECT_EQ(updated->tiktok_adgroup_mode, "use_existing");
  EXPECT_EQ(updated->campaign_status, "ACTIVE");
  EXPECT_FALSE(updated->is_active);
  EXPECT_EQ(updated->tiktok_daily_budget, std::nullopt);
  EXPECT_EQ(updated->tiktok_objective, "traffic");  // untouched
  EXPECT_EQ(updated->optimization_level, "level_2");
  EXPECT_EQ(updated->updated_at, TestTime(3));
  EXPECT_EQ(updated->created_at, TestTime());

  TTADS_ASSERT_OK(directions.SetCampaignStatus(user, direction.id, "PAUSED", TestTime(4)));
  EXPECT_EQ(directions.Get(user, direction.id)->campaign_status, "PAUSED");
  EXPECT_EQ(directions.SetCampaignStatus(user, direction.id, "BOGUS", TestTime(5)).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_P(DirectionRepositoryTest, ListFiltersAndPages) {
  DirectionRepository directions(database());
  const std::string user = NewUser();
  AdAccountRepository accounts(database());
  AdAccount account_row;
  account_row.user_account_id = user;
  account_row.name = "acc";
  const std::string account = accounts.Create(account_row, TestTime())->id;

  std::set<std::string> tiktok_ids;
  for (int i = 0; i < 5; ++i) tiktok_ids.insert(NewDirection(user, absl::StrCat("t", i), TestTime(i)).id);
  Direction with_account = TikTokDirection(user, "acc-dir");
  with_account.account_id = account;
  const std::string account_dir = directions.Create(with_account, TestTime(10))->id;
  Direction facebook = TikTokDirection(user, "fb");
  facebook.platform = "facebook";
  const std::string facebook_id = directions.Create(facebook, TestTime(11))->id;
  Direction legacy_platform = TikTokDirection(user, "null-platform");
  legacy_platform.platform = std::nullopt;
  legacy_platform.is_active = false;
  const std::string null_platform_id = directions.Create(legacy_platform, TestTime(12))->id;
  NewDirection(NewUser("other"), "not mine");

  const auto ids = [&](const DirectionFilter& filter) {
    std::set<std::string> found;
    PageRequest request{.page_token = "", .page_size = 2};
    for (int pages = 0; pages < 20; ++pages) {
      absl::StatusOr<Page<Direction>> page = directions.List(user, filter, request);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      for (const Direction& direction : page->items) {
        EXPECT_TRUE(found.insert(direction.id).second) << "listed twice";
      }
      if (page->next_page_token.empty()) break;
      request.page_token = page->next_page_token;
    }
    return found;
  };

  EXPECT_EQ(ids({}).size(), 8u);
  DirectionFilter by_account;
  by_account.account_id = account;
  EXPECT_EQ(ids(by_account), std::set<std::string>{account_dir});
  DirectionFilter tiktok_legacy;
  tiktok_legacy.account_id = SetNull<std::string>();
  tiktok_legacy.platform = "tiktok";
  EXPECT_EQ(ids(tiktok_legacy), tiktok_ids);
  DirectionFilter facebook_filter;
  facebook_filter.platform = "facebook";
  EXPECT_EQ(ids(facebook_filter), (std::set<std::string>{facebook_id, null_platform_id}));
  DirectionFilter inactive;
  inactive.is_active = false;
  EXPECT_EQ(ids(inactive), std::set<std::string>{null_platform_id});
}

TEST_P(DirectionRepositoryTest, AdSettingsUpsertAndGet) {
  DirectionRepository directions(database());
  const std::string user = NewUser();
  const Direction direction = NewDirection(user, "dir");
  EXPECT_EQ(directions.GetAdSettings(user, direction.id).status().code(),
            absl::StatusCode::kNotFound);

  AdSettings row;
  row.direction_id = direction.id;
  row.user_id = user;
  row.cities_json = R"(["1526384","1537796"])";
  row.age_min = 25;
  row.age_max = 45;
  row.gender = "female";
  row.client_question = "Здравствуйте!";
  absl::StatusOr<AdSettings> first = directions.UpsertAdSettings(row, TestTime(1));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(IsUuid(first->id));
  EXPECT_EQ(first->age_min, 25);
  EXPECT_EQ(first->gender, "female");
  ASSERT_TRUE(first->cities_json.has_value());
  EXPECT_NE(first->cities_json->find("1537796"), std::string::npos);
  EXPECT_EQ(first->client_question, "Здравствуйте!");
  EXPECT_EQ(first->site_url, std::nullopt);

  row.age_max = 50;
  row.cities_json = std::nullopt;
  row.site_url = "https://example.kz";
  absl::StatusOr<AdSettings> second = directions.UpsertAdSettings(row, TestTime(2));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->id, first->id);
  EXPECT_EQ(second->age_max, 50);
  EXPECT_EQ(second->cities_json, std::nullopt);
  EXPECT_EQ(second->site_url, "https://example.kz");
  EXPECT_EQ(second->created_at, TestTime(1));
  EXPECT_EQ(second->updated_at, TestTime(2));

  absl::StatusOr<AdSettings> read = directions.GetAdSettings(user, direction.id);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->age_max, 50);
}

TEST_P(DirectionRepositoryTest, AddAdGroupIsIdempotent) {
  DirectionRepository directions(database());
  const Direction direction = NewDirection(NewUser(), "dir");
  TikTokAdGroup row;
  row.direction_id = direction.id;
  row.tiktok_adgroup_id = "1800000000001";
  row.adgroup_name = "Pool 1";
  row.daily_budget = 2500.5;
  row.status = "DISABLE";
  absl::StatusOr<TikTokAdGroup> first = directions.AddAdGroup(row, TestTime(1));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->adgroup_name, "Pool 1");
  EXPECT_DOUBLE_EQ(first->daily_budget.value_or(0), 2500.5);
  EXPECT_EQ(first->ads_count, 0);
  EXPECT_EQ(first->linked_at, TestTime(1));
  EXPECT_EQ(first->last_used_at, std::nullopt);

  row.adgroup_name = "Renamed";
  absl::StatusOr<TikTokAdGroup> again = directions.AddAdGroup(row, TestTime(2));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->id, first->id);
  EXPECT_EQ(again->adgroup_name, "Pool 1");
  EXPECT_EQ(again->linked_at, TestTime(1));
  absl::StatusOr<std::vector<TikTokAdGroup>> listed = directions.ListAdGroups(direction.id);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(listed->size(), 1u);

  TikTokAdGroup orphan = row;
  orphan.direction_id = NewUuid();
  EXPECT_EQ(directions.AddAdGroup(orphan, TestTime()).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_P(DirectionRepositoryTest, UpdateAndRemoveAdGroup) {
  DirectionRepository directions(database());
  const Direction direction = NewDirection(NewUser(), "dir");
  const TikTokAdGroup group = NewAdGroup(direction.id, "a1", 0, TestTime());
  TikTokAdGroupPatch patch;
  patch.status = "ENABLE";
  patch.last_used_at = TestTime(7);
  patch.daily_budget = 3000.0;
  absl::StatusOr<TikTokAdGroup> updated = directions.UpdateAdGroup(group.id, patch, TestTime(8));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->status, "ENABLE");
  EXPECT_EQ(updated->last_used_at, TestTime(7));
  EXPECT_DOUBLE_EQ(updated->daily_budget.value_or(0), 3000.0);
  EXPECT_EQ(updated->updated_at, TestTime(8));

  TTADS_ASSERT_OK(directions.RemoveAdGroup(group.id));
  EXPECT_EQ(directions.RemoveAdGroup(group.id).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(directions.UpdateAdGroup(group.id, patch, TestTime()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_TRUE(directions.ListAdGroups(direction.id)->empty());
}

TEST_P(DirectionRepositoryTest, PickPoolAdGroupChoosesTheEmptiestThenOldest) {
  DirectionRepository directions(database());
  const Direction direction = NewDirection(NewUser(), "dir");
  EXPECT_EQ(directions.PickPoolAdGroup(direction.id).status().code(), absl::StatusCode::kNotFound);

  NewAdGroup(direction.id, "enabled", 0, TestTime(0), "ENABLE");  // in use: not in the pool
  const TikTokAdGroup full = NewAdGroup(direction.id, "full", 0, TestTime(0));
  ASSERT_TRUE(directions.IncrementAdsCount(full.id, 50, TestTime()).ok());
  const TikTokAdGroup inactive = NewAdGroup(direction.id, "inactive", 0, TestTime(0));
  TikTokAdGroupPatch deactivate;
  deactivate.is_active = false;
  ASSERT_TRUE(directions.UpdateAdGroup(inactive.id, deactivate, TestTime()).ok());
  const TikTokAdGroup busy = NewAdGroup(direction.id, "busy", 10, TestTime(1));
  const TikTokAdGroup newer = NewAdGroup(direction.id, "newer", 3, TestTime(3));
  const TikTokAdGroup older = NewAdGroup(direction.id, "older", 3, TestTime(2));

  absl::StatusOr<TikTokAdGroup> picked = directions.PickPoolAdGroup(direction.id);
  ASSERT_TRUE(picked.ok()) << picked.status();
  EXPECT_EQ(picked->id, older.id);
  ASSERT_TRUE(directions.IncrementAdsCount(older.id, 5, TestTime()).ok());
  EXPECT_EQ(directions.PickPoolAdGroup(direction.id)->id, newer.id);
  ASSERT_TRUE(directions.IncrementAdsCount(newer.id, 47, TestTime()).ok());  // 50: full
  EXPECT_EQ(directions.PickPoolAdGroup(direction.id)->id, older.id);          // 8 < 10
  (void)busy;
}

TEST_P(DirectionRepositoryTest, ClaimPoolAdGroupTakesThePickOutOfThePool) {
  DirectionRepository directions(database());
  const Direction direction = NewDirection(NewUser(), "dir");
  const TikTokAdGroup second = NewAdGroup(direction.id, "second", 2, TestTime(0));
  const TikTokAdGroup first = NewAdGroup(direction.id, "first", 1, TestTime(1));
  absl::StatusOr<TikTokAdGroup> claimed = directions.ClaimPoolAdGroup(direction.id, TestTime(9));
  ASSERT_TRUE(claimed.ok()) << claimed.status();
  EXPECT_EQ(claimed->id, first.id);
  EXPECT_EQ(claimed->status, "ENABLE");
  EXPECT_EQ(claimed->last_used_at, TestTime(9));
  EXPECT_EQ(directions.PickPoolAdGroup(direction.id)->id, second.id);
  EXPECT_EQ(directions.ClaimPoolAdGroup(direction.id, TestTime(9))->id, second.id);
  absl::StatusOr<TikTokAdGroup> empty = directions.ClaimPoolAdGroup(direction.id, TestTime(9));
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(empty.status().message(), "no available pre-created ad groups");
}

TEST_P(DirectionRepositoryTest, ConcurrentClaimsNeverShareAnAdGroup) {
  const Direction direction = NewDirection(NewUser(), "dir");
  for (int i = 0; i < 5; ++i) NewAdGroup(direction.id, absl::StrCat("g", i), 0, TestTime(i));
  std::unique_ptr<Database> replica = scratch_->OpenAnother();
  ASSERT_NE(replica, nullptr);
  std::mutex mutex;
  std::multiset<std::string> claimed;
  int exhausted = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      DirectionRepository directions(t % 2 == 0 ? database() : *replica);
      for (int i = 0; i < 2; ++i) {
        absl::StatusOr<TikTokAdGroup> result = directions.ClaimPoolAdGroup(direction.id, TestTime());
        std::lock_guard<std::mutex> lock(mutex);
        if (result.ok()) {
          claimed.insert(result->id);
        } else if (result.status().code() == absl::StatusCode::kNotFound) {
          ++exhausted;
        } else {
          ADD_FAILURE() << result.status();
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(claimed.size(), 5u);
  EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()).size(), 5u) << "shared a group";
  EXPECT_EQ(exhausted, 3);
}

TEST_P(DirectionRepositoryTest, ConcurrentIncrementsAddUpExactly) {
  DirectionRepository directions(database());
  const Direction direction = NewDirection(NewUser(), "dir");
  const TikTokAdGroup group = NewAdGroup(direction.id, "g", 0, TestTime());
  std::unique_ptr<Database> replica = scratch_->OpenAnother();
  ASSERT_NE(replica, nullptr);
  constexpr int kPerThread = 40;
  std::atomic<int> errors{0};
  const auto work = [&](Database& database, int n) {
    DirectionRepository repository(database);
    for (int i = 0; i < kPerThread; ++i) {
      if (!repository.IncrementAdsCount(group.id, n, TestTime()).ok()) ++errors;
    }
  };
  std::thread first(work, std::ref(database()), 1);
  std::thread second(work, std::ref(*replica), 2);
  first.join();
  second.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(directions.ListAdGroups(direction.id)->front().ads_count, kPerThread * 3);

  absl::StatusOr<int> below_zero = directions.IncrementAdsCount(group.id, -1000, TestTime());
  EXPECT_EQ(below_zero.status().code(), absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<int> back = directions.IncrementAdsCount(group.id, -20, TestTime());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, kPerThread * 3 - 20);
  EXPECT_EQ(directions.IncrementAdsCount(NewUuid(), 1, TestTime()).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_P(DirectionRepositoryTest, SetAdGroupStatusByTikTokId) {
  DirectionRepository directions(database());
  const std::string user = NewUser();
  const Direction one = NewDirection(user, "one");
  const Direction two = NewDirection(user, "two");
  NewAdGroup(one.id, "shared", 0, TestTime());
  NewAdGroup(two.id, "shared", 0, TestTime());
  NewAdGroup(two.id, "other", 0, TestTime());
  absl::StatusOr<int> changed = directions.SetAdGroupStatusByTikTokId(user, "shared", "ENABLE", TestTime(1));
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(*changed, 2);
  absl::StatusOr<std::vector<TikTokAdGroup>> groups = directions.ListAdGroups(two.id);
  ASSERT_TRUE(groups.ok()) << groups.status();
  for (const TikTokAdGroup& group : *groups) {
    EXPECT_EQ(group.status, group.tiktok_adgroup_id == "shared" ? "ENABLE" : "DISABLE");
  }
  EXPECT_EQ(*directions.SetAdGroupStatusByTikTokId(user, "missing", "ENABLE", TestTime()), 0);
}

TEST_P(DirectionRepositoryTest, StatusMirrorsTouchOnlyTheUsersRows) {
  DirectionRepository directions(database());
  const std::string user = NewUser();
  const std::string other = NewUser("other");
  std::vector<std::string> ids;
  for (const std::string& owner : {user, other}) {
    Direction row;
    row.user_account_id = owner;
    row.name = "Dir " + owner.substr(0, 4);
    row.platform = "tiktok";
    row.objective = "instagram_traffic";
    row.campaign_status = "ACTIVE";
    row.tiktok_campaign_id = "7800000000000000001";
    absl::StatusOr<Direction> created = directions.Create(row, TestTime());
    ASSERT_TRUE(created.ok()) << created.status();
    ids.push_back(created->id);
    TikTokAdGroup group;
    group.direction_id = created->id;
    group.tiktok_adgroup_id = "7900000000000000001";
    group.status = "ENABLE";
    ASSERT_TRUE(directions.AddAdGroup(group, TestTime()).ok());
  }
  EXPECT_EQ(*directions.SetCampaignStatusByTikTokId(user, "7800000000000000001", "PAUSED", TestTime(1)), 1);
  EXPECT_EQ(*directions.SetAdGroupStatusByTikTokId(user, "7900000000000000001", "DISABLE", TestTime(1)), 1);
  EXPECT_EQ(directions.Get(user, ids[0])->campaign_status, "PAUSED");
  EXPECT_EQ(directions.Get(other, ids[1])->campaign_status, "ACTIVE");
  EXPECT_EQ(directions.ListAdGroups(ids[0])->front().status, "DISABLE");
  EXPECT_EQ(directions.ListAdGroups(ids[1])->front().status, "ENABLE");
}

INSTANTIATE_TEST_SUITE_P(Backends, DirectionRepositoryTest, ::ttads::testing::AllBackends(),
                         ::ttads::testing::BackendName);

}  // namespace
}  // namespace ttads::storage
