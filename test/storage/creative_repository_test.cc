#include "storage/creative_repository.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "storage/direction_repository.h"
#include "storage/uuid.h"
#include "test/storage/repository_test_util.h"

namespace ttads::storage {
namespace {

class CreativeRepositoryTest : public RepositoryTest {
 protected:
  std::string NewDirectionId(const std::string& user, const std::string& name) {
    DirectionRepository directions(database());
    Direction row;
    row.user_account_id = user;
    row.name = name;
    row.platform = "tiktok";
    row.objective = "instagram_traffic";
    absl::StatusOr<Direction> created = directions.Create(row, TestTime());
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? created->id : "";
  }
  Creative NewCreative(const std::string& user, Creative row, absl::Time at = TestTime()) {
    CreativeRepository creatives(database());
    row.user_id = user;
    if (row.title.empty()) row.title = "video";
    absl::StatusOr<Creative> created = creatives.Create(row, at);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : Creative{};
  }
};

TEST_P(CreativeRepositoryTest, CreateGetRoundTrip) {
  CreativeRepository creatives(database());
  const std::string user = NewUser();
  const std::string direction = NewDirectionId(user, "dir");
  Creative row;
  row.direction_id = direction;
  row.title = "Promo";
  row.media_url = "https://cdn.example/v.mp4";
  row.thumbnail_url = "https://cdn.example/t.jpg";
  row.carousel_data_json = R"([{"k":1}])";
  row.creative_group_id = NewUuid();
  row.file_hash = "abc";
  const Creative created = NewCreative(user, row);
  ASSERT_TRUE(IsUuid(created.id));

  absl::StatusOr<Creative> read = creatives.Get(user, created.id);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->user_id, user);
  EXPECT_EQ(read->direction_id, direction);
  EXPECT_EQ(read->account_id, std::nullopt);
  EXPECT_EQ(read->title, "Promo");
  EXPECT_EQ(read->description, std::nullopt);
  EXPECT_EQ(read->media_url, "https://cdn.example/v.mp4");
  EXPECT_TRUE(read->is_active);
  EXPECT_EQ(read->status, "processing");
  EXPECT_EQ(read->media_type, "video");
  EXPECT_EQ(read->thumbnail_url, "https://cdn.example/t.jpg");
  ASSERT_TRUE(read->carousel_data_json.has_value());
  EXPECT_NE(read->carousel_data_json->find("\"k\""), std::string::npos);
  EXPECT_EQ(read->creative_group_id, row.creative_group_id);
  EXPECT_EQ(read->source, "uploaded");
  EXPECT_EQ(read->tiktok_video_id, std::nullopt);
  EXPECT_EQ(read->file_hash, "abc");
  EXPECT_EQ(read->created_at, TestTime());

  Creative orphan;
  orphan.user_id = NewUuid();
  orphan.title = "x";
  EXPECT_EQ(creatives.Create(orphan, TestTime()).status().code(), absl::StatusCode::kNotFound);
}

TEST_P(CreativeRepositoryTest, AnotherUsersCreativeIsNotFound) {
  CreativeRepository creatives(database());
  const std::string owner = NewUser("a");
  const std::string other = NewUser("b");
  const Creative creative = NewCreative(owner, {});
  EXPECT_EQ(creatives.Get(other, creative.id).status().code(), absl::StatusCode::kNotFound);
  CreativePatch patch;
  patch.title = "mine now";
  EXPECT_EQ(creatives.Update(other, creative.id, patch, TestTime()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(creatives.SetTikTokVideoId(other, creative.id, "v", TestTime()).code(),
            absl::StatusCode::kNotFound);
  EXPECT_TRUE(creatives.List(other, {}, {})->items.empty());
  EXPECT_TRUE(creatives.ListTikTokEligible(other, std::nullopt, 10)->empty());
  EXPECT_EQ(creatives.Get(owner, creative.id)->title, "video");
}

TEST_P(CreativeRepositoryTest, UpdateAndSetTikTokVideoId) {
  CreativeRepository creatives(database());
  const std::string user = NewUser();
  const std::string direction = NewDirectionId(user, "dir");
  Creative row;
  row.direction_id = direction;
  row.description = "desc";
  const Creative creative = NewCreative(user, row);
  CreativePatch patch;
  patch.status = "ready";
  patch.description = SetNull<std::string>();
  patch.direction_id = SetNull<std::string>();
  patch.media_type = "image";
  absl::StatusOr<Creative> updated = creatives.Update(user, creative.id, patch, TestTime(2));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->status, "ready");
  EXPECT_EQ(updated->description, std::nullopt);
  EXPECT_EQ(updated->direction_id, std::nullopt);
  EXPECT_EQ(updated->media_type, "image");
  EXPECT_EQ(updated->updated_at, TestTime(2));

  TTADS_ASSERT_OK(creatives.SetTikTokVideoId(user, creative.id, "v09044g40000", TestTime(3)));
  absl::StatusOr<Creative> read = creatives.Get(user, creative.id);
  EXPECT_EQ(read->tiktok_video_id, "v09044g40000");
  EXPECT_EQ(read->updated_at, TestTime(3));

  CreativePatch bad;
  bad.status = "lost";  // not in the CHECK list
  EXPECT_EQ(creatives.Update(user, creative.id, bad, TestTime()).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_P(CreativeRepositoryTest, ListFiltersAndPagesNewestFirst) {
  CreativeRepository creatives(database());
  const std::string user = NewUser();
  const std::string direction = NewDirectionId(user, "dir");
  std::set<std::string> in_direction;
  for (int i = 0; i < 9; ++i) {
    Creative row;
    row.direction_id = direction;
    row.title = absl::StrCat("c", i);
    row.status = i % 3 == 0 ? "ready" : "processing";
    in_direction.insert(NewCreative(user, row, TestTime(i / 3)).id);
  }
  const Creative loose = NewCreative(user, {}, TestTime(10));

  std::vector<Creative> walked;
  PageRequest request{.page_token = "", .page_size = 4};
  CreativeFilter by_direction;
  by_direction.direction_id = direction;
  for (int pages = 0; pages < 10; ++pages) {
    absl::StatusOr<Page<Creative>> page = creatives.List(user, by_direction, request);
    ASSERT_TRUE(page.ok()) << page.status();
    walked.insert(walked.end(), page->items.begin(), page->items.end());
    if (page->next_page_token.empty()) break;
    request.page_token = page->next_page_token;
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < walked.size(); ++i) {
    EXPECT_TRUE(seen.insert(walked[i].id).second);
    if (i > 0) {
      EXPECT_GE(walked[i - 1].created_at, walked[i].created_at);
    }
  }
  EXPECT_EQ(seen, in_direction);

  CreativeFilter ready;
  ready.status = "ready";
  EXPECT_EQ(creatives.List(user, ready, {})->items.size(), 3u);
  CreativeFilter no_direction;
  no_direction.direction_id = SetNull<std::string>();
  absl::StatusOr<Page<Creative>> loose_page = creatives.List(user, no_direction, {});
  ASSERT_EQ(loose_page->items.size(), 1u);
  EXPECT_EQ(loose_page->items[0].id, loose.id);
  EXPECT_EQ(creatives.List(user, {}, {})->items.front().id, loose.id);  // newest first
}

TEST_P(CreativeRepositoryTest, ListTikTokEligibleAppliesTheRule) {
  CreativeRepository creatives(database());
  const std::string user = NewUser();
  const std::string direction = NewDirectionId(user, "dir");
  const std::string other_direction = NewDirectionId(user, "dir-e");
  const auto make = [&](const std::string& title, auto&& adjust, int minute) {
    Creative row;
    row.title = title;
    row.direction_id = direction;
    row.status = "ready";
    row.media_url = "https://cdn/x.mp4";
    adjust(row);
    return NewCreative(user, row, TestTime(minute)).id;
  };
  const std::string plain = make("plain", [](Creative&) {}, 1);
  const std::string null_type = make("null type", [](Creative& c) { c.media_type = std::nullopt; }, 2);
  const std::string video_id_only = make("video id only", [](Creative& c) {
    c.media_url = std::nullopt;
    c.tiktok_video_id = "v1";
  }, 3);
  make("image", [](Creative& c) { c.media_type = "image"; }, 4);
  make("processing", [](Creative& c) { c.status = "processing"; }, 5);
  make("inactive", [](Creative& c) { c.is_active = false; }, 6);
  make("no media", [](Creative& c) { c.media_url = std::nullopt; }, 7);
  make("empty media", [](Creative& c) { c.media_url = ""; }, 8);
  const std::string elsewhere = make("elsewhere", [&](Creative& c) { c.direction_id = other_direction; }, 9);

  absl::StatusOr<std::vector<Creative>> eligible =
      creatives.ListTikTokEligible(user, direction, 20);
  ASSERT_TRUE(eligible.ok()) << eligible.status();
  std::vector<std::string> ids;
  for (const Creative& creative : *eligible) ids.push_back(creative.id);
  EXPECT_EQ(ids, (std::vector<std::string>{video_id_only, null_type, plain}));

  eligible = creatives.ListTikTokEligible(user, direction, 2);
  ASSERT_TRUE(eligible.ok());
  EXPECT_EQ(eligible->size(), 2u);
  eligible = creatives.ListTikTokEligible(user, std::nullopt, 20);
  ASSERT_TRUE(eligible.ok());
  EXPECT_EQ(eligible->size(), 4u);
  EXPECT_EQ(eligible->front().id, elsewhere);
}

TEST_P(CreativeRepositoryTest, MappingBatchWithADuplicateKeepsTheOthers) {
  CreativeRepository creatives(database());
  const std::string user = NewUser();
  const std::string direction = NewDirectionId(user, "dir");
  const Creative creative = NewCreative(user, {});
  const auto mapping = [&](const std::string& ad_id) {
    AdCreativeMapping row;
    row.ad_id = ad_id;
    row.user_creative_id = creative.id;
    row.direction_id = direction;
    row.user_id = user;
    row.adset_id = "ag-1";
    row.campaign_id = "camp-1";
    row.fb_creative_id = "v-1";
    row.source = "tiktok_direction";
    return row;
  };
  absl::StatusOr<int> first = creatives.SaveMappings({mapping("ad-1")}, TestTime());
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*first, 1);

  absl::StatusOr<int> batch = creatives.SaveMappings(
      {mapping("ad-2"), mapping("ad-1"), mapping("ad-3"), mapping("ad-2")}, TestTime(1));
  ASSERT_TRUE(batch.ok()) << batch.status();
  EXPECT_EQ(*batch, 2);
  for (const char* ad : {"ad-1", "ad-2", "ad-3"}) {
    absl::StatusOr<AdCreativeMapping> read = creatives.GetMappingByAdId(ad);
    ASSERT_TRUE(read.ok()) << ad << ": " << read.status();
    EXPECT_EQ(read->user_creative_id, creative.id);
    EXPECT_EQ(read->direction_id, direction);
    EXPECT_EQ(read->fb_creative_id, "v-1");
    EXPECT_EQ(read->platform, "tiktok");
    EXPECT_EQ(read->source, "tiktok_direction");
  }
  EXPECT_EQ(creatives.GetMappingByAdId("ad-1")->created_at, TestTime());
  EXPECT_EQ(creatives.GetMappingByAdId("ad-9").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(*creatives.SaveMappings({}, TestTime()), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, CreativeRepositoryTest, ::ttads::testing::AllBackends(),
                         ::ttads::testing::BackendName);

}  // namespace
}  // namespace ttads::storage
