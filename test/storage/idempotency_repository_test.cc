#include "storage/idempotency_repository.h"

#include <atomic>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "test/storage/repository_test_util.h"

namespace ttads::storage {
namespace {

class IdempotencyRepositoryTest : public RepositoryTest {};

TEST_P(IdempotencyRepositoryTest, StartCompleteReplayConflict) {
  IdempotencyRepository records(database());
  absl::StatusOr<IdempotencyBegin> first =
      records.Begin("user:u1", "Launch", "k1", "hash-a", TestTime(5), TestTime());
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->outcome, IdempotencyOutcome::kStarted);
  EXPECT_EQ(first->lease_expires_at, TestTime(5));

  absl::StatusOr<IdempotencyBegin> busy =
      records.Begin("user:u1", "Launch", "k1", "hash-a", TestTime(6), TestTime(1));
  ASSERT_TRUE(busy.ok()) << busy.status();
  EXPECT_EQ(busy->outcome, IdempotencyOutcome::kInProgress);
  EXPECT_EQ(busy->lease_expires_at, TestTime(5));

  TTADS_ASSERT_OK(records.Complete("user:u1", "Launch", "k1", "CgZyZXN1bHQ=", TestTime(2)));
  absl::StatusOr<IdempotencyBegin> replay =
      records.Begin("user:u1", "Launch", "k1", "hash-a", TestTime(9), TestTime(3));
  ASSERT_TRUE(replay.ok()) << replay.status();
  EXPECT_EQ(replay->outcome, IdempotencyOutcome::kReplay);
  EXPECT_EQ(replay->response, "CgZyZXN1bHQ=");
  // Long after the lease, a done record still replays.
  replay = records.Begin("user:u1", "Launch", "k1", "hash-a", TestTime(900), TestTime(800));
  EXPECT_EQ(replay->outcome, IdempotencyOutcome::kReplay);

  absl::StatusOr<IdempotencyBegin> conflict =
      records.Begin("user:u1", "Launch", "k1", "hash-b", TestTime(9), TestTime(3));
  ASSERT_TRUE(conflict.ok()) << conflict.status();
  EXPECT_EQ(conflict->outcome, IdempotencyOutcome::kConflict);

  // The same key under another scope or method is independent.
  EXPECT_EQ(records.Begin("user:u2", "Launch", "k1", "hash-b", TestTime(9), TestTime(3))->outcome,
            IdempotencyOutcome::kStarted);
  EXPECT_EQ(records.Begin("user:u1", "Pause", "k1", "hash-b", TestTime(9), TestTime(3))->outcome,
            IdempotencyOutcome::kStarted);

  EXPECT_EQ(records.Complete("user:u1", "Launch", "k1", "again", TestTime(4)).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(records.Complete("user:u1", "Launch", "never", "x", TestTime(4)).code(),
            absl::StatusCode::kNotFound);
}

TEST_P(IdempotencyRepositoryTest, ConflictWinsOverAnInProgressClaim) {
  IdempotencyRepository records(database());
  ASSERT_EQ(records.Begin("s", "m", "k", "hash-a", TestTime(5), TestTime())->outcome,
            IdempotencyOutcome::kStarted);
  EXPECT_EQ(records.Begin("s", "m", "k", "hash-b", TestTime(5), TestTime(1))->outcome,
            IdempotencyOutcome::kConflict);
  // Even once the lease expired, another request cannot take the key over.
  EXPECT_EQ(records.Begin("s", "m", "k", "hash-b", TestTime(20), TestTime(10))->outcome,
            IdempotencyOutcome::kConflict);
}

TEST_P(IdempotencyRepositoryTest, ExpiredLeaseIsTakenOver) {
  IdempotencyRepository records(database());
  ASSERT_EQ(records.Begin("s", "m", "k", "h", TestTime(5), TestTime())->outcome,
            IdempotencyOutcome::kStarted);
  EXPECT_EQ(records.Begin("s", "m", "k", "h", TestTime(7), TestTime(4))->outcome,
            IdempotencyOutcome::kInProgress);
  absl::StatusOr<IdempotencyBegin> taken =
      records.Begin("s", "m", "k", "h", TestTime(10), TestTime(5));
  ASSERT_TRUE(taken.ok()) << taken.status();
  EXPECT_EQ(taken->outcome, IdempotencyOutcome::kStarted);
  EXPECT_EQ(taken->lease_expires_at, TestTime(10));
  // The new holder's lease now counts.
  absl::StatusOr<IdempotencyBegin> after =
      records.Begin("s", "m", "k", "h", TestTime(12), TestTime(6));
  EXPECT_EQ(after->outcome, IdempotencyOutcome::kInProgress);
  EXPECT_EQ(after->lease_expires_at, TestTime(10));
  TTADS_ASSERT_OK(records.Complete("s", "m", "k", "done", TestTime(7)));
  EXPECT_EQ(records.Begin("s", "m", "k", "h", TestTime(12), TestTime(8))->response, "done");
}

TEST_P(IdempotencyRepositoryTest, AbandonLetsARetryStartOver) {
  IdempotencyRepository records(database());
  ASSERT_EQ(records.Begin("s", "m", "k", "h", TestTime(5), TestTime())->outcome,
            IdempotencyOutcome::kStarted);
  TTADS_ASSERT_OK(records.Abandon("s", "m", "k"));
  TTADS_ASSERT_OK(records.Abandon("s", "m", "k"));  // nothing left: still OK
  EXPECT_EQ(records.Begin("s", "m", "k", "other-hash", TestTime(5), TestTime(1))->outcome,
            IdempotencyOutcome::kStarted);
  TTADS_ASSERT_OK(records.Complete("s", "m", "k", "r", TestTime(2)));
  // A completed record survives Abandon.
  TTADS_ASSERT_OK(records.Abandon("s", "m", "k"));
  EXPECT_EQ(records.Begin("s", "m", "k", "other-hash", TestTime(5), TestTime(3))->outcome,
            IdempotencyOutcome::kReplay);
}

TEST_P(IdempotencyRepositoryTest, ConcurrentBeginsStartExactlyOnce) {
  std::unique_ptr<Database> replica = scratch_->OpenAnother();
  ASSERT_NE(replica, nullptr);
  for (int round = 0; round < 10; ++round) {
    const std::string key = "key-" + std::to_string(round);
    std::atomic<int> started{0};
    std::atomic<int> in_progress{0};
    std::atomic<int> other{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        IdempotencyRepository records(t % 2 == 0 ? database() : *replica);
        absl::StatusOr<IdempotencyBegin> result =
            records.Begin("s", "m", key, "h", TestTime(5), TestTime());
        if (!result.ok()) {
          ++other;
          ADD_FAILURE() << result.status();
        } else if (result->outcome == IdempotencyOutcome::kStarted) {
          ++started;
        } else if (result->outcome == IdempotencyOutcome::kInProgress) {
          ++in_progress;
        } else {
          ++other;
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    EXPECT_EQ(started.load(), 1) << key;
    EXPECT_EQ(in_progress.load(), 3) << key;
    EXPECT_EQ(other.load(), 0) << key;
  }
}

TEST_P(IdempotencyRepositoryTest, ConcurrentTakeoversOfAnExpiredLeaseStartOnce) {
  IdempotencyRepository records(database());
  ASSERT_EQ(records.Begin("s", "m", "k", "h", TestTime(1), TestTime())->outcome,
            IdempotencyOutcome::kStarted);
  std::unique_ptr<Database> replica = scratch_->OpenAnother();
  ASSERT_NE(replica, nullptr);
  std::atomic<int> started{0};
  std::atomic<int> in_progress{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      IdempotencyRepository repository(t % 2 == 0 ? database() : *replica);
      absl::StatusOr<IdempotencyBegin> result =
          repository.Begin("s", "m", "k", "h", TestTime(30), TestTime(10));
      ASSERT_TRUE(result.ok()) << result.status();
      if (result->outcome == IdempotencyOutcome::kStarted) ++started;
      if (result->outcome == IdempotencyOutcome::kInProgress) ++in_progress;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(started.load(), 1);
  EXPECT_EQ(in_progress.load(), 3);
}

TEST_P(IdempotencyRepositoryTest, DeleteOlderThanKeepsLiveClaims) {
  IdempotencyRepository records(database());
  ASSERT_TRUE(records.Begin("s", "m", "done", "h", TestTime(1), TestTime()).ok());
  TTADS_ASSERT_OK(records.Complete("s", "m", "done", "r", TestTime()));
  ASSERT_TRUE(records.Begin("s", "m", "dead", "h", TestTime(1), TestTime()).ok());
  ASSERT_TRUE(records.Begin("s", "m", "live", "h", TestTime(1000), TestTime()).ok());
  absl::StatusOr<int> deleted = records.DeleteOlderThan(TestTime(60));
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(*deleted, 2);
  EXPECT_EQ(records.Begin("s", "m", "live", "h", TestTime(1000), TestTime(61))->outcome,
            IdempotencyOutcome::kInProgress);
  EXPECT_EQ(records.Begin("s", "m", "done", "h", TestTime(100), TestTime(61))->outcome,
            IdempotencyOutcome::kStarted);
}

INSTANTIATE_TEST_SUITE_P(Backends, IdempotencyRepositoryTest, ::ttads::testing::AllBackends(),
                         ::ttads::testing::BackendName);

}  // namespace
}  // namespace ttads::storage
