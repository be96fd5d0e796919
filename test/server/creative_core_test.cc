// CreativeCore driven directly (no gRPC), on SQLite and PostgreSQL. Also covers the owner
// lookups (DirectionRepository::OwnerOf, CreativeRepository::OwnerOf) the cores use for
// operator callers.
#include "server/creative_core.h"

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "server/audit.h"
#include "server/clock.h"
#include "server/idempotency.h"
#include "server/principal.h"
#include "server/rpc_status.h"
#include "storage/ad_account_repository.h"
#include "storage/audit_log_repository.h"
#include "storage/creative_repository.h"
#include "storage/direction_repository.h"
#include "storage/idempotency_repository.h"
#include "storage/user_account_repository.h"
#include "storage/uuid.h"
#include "test/server/core_test_base.h"
#include "test/test_database.h"

namespace ttads::server {
namespace {

using ::ttads::testing::ScratchDatabase;
using ::ttads::testing::FieldsOf;
using ::ttads::testing::TestBackend;


class CreativeCoreTest : public ::ttads::testing::CoreTestBase<CreativeCore> {
 protected:
  std::string NewDirection(const std::string& user, const std::string& name) {
    storage::DirectionRepository directions(database());
    storage::Direction row;
    row.user_account_id = user;
    row.name = name;
    row.platform = "tiktok";
    row.objective = "instagram_traffic";
    row.tiktok_objective = "traffic";
    absl::StatusOr<storage::Direction> created = directions.Create(row, clock_.Now());
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? created->id : "";
  }

  static v1::CreateCreativeRequest Video(const std::string& title) {
    v1::CreateCreativeRequest request;
    request.set_title(title);
    request.set_media_url(
        absl::StrCat("https://cdn.example.com/", absl::StrReplaceAll(title, {{" ", "-"}}), ".mp4"));
    return request;
  }
  v1::Creative Create(const std::string& user, const v1::CreateCreativeRequest& request) {
    clock_.Advance(absl::Seconds(1));
    v1::CreateCreativeResponse response;
    const absl::Status status = core_->CreateCreative(Principal::ForUser(user), request, response);
    EXPECT_TRUE(status.ok()) << status;
    return response.creative();
  }
  int CreativeCount(const std::string& user) {
    storage::CreativeRepository creatives(database());
    absl::StatusOr<storage::Page<storage::Creative>> page =
        creatives.List(user, {}, storage::PageRequest{"", 500});
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? static_cast<int>(page->items.size()) : -1;
  }
  std::vector<std::string> Titles(const Principal& principal, const v1::ListCreativesRequest& request) {
    v1::ListCreativesResponse response;
    const absl::Status status = core_->ListCreatives(principal, request, response);
    EXPECT_TRUE(status.ok()) << status;
    std::vector<std::string> titles;
    for (const v1::Creative& creative : response.creatives()) titles.push_back(creative.title());
    return titles;
  }

};

TEST_P(CreativeCoreTest, CreateGetUpdateRoundTrip) {
  const std::string account = NewAdAccount(user_a_);
  const std::string direction = NewDirection(user_a_, "Direction");
  const std::string group = storage::NewUuid();
  v1::CreateCreativeRequest request = Video("clip");
  request.set_account_id(account);
  request.set_direction_id(direction);
  request.set_description("Ad text — с кириллицей");
  request.set_thumbnail_url("https://cdn.example.com/clip.jpg");
  request.set_creative_group_id(group);
  request.set_idempotency_key("creative-1");
  v1::CreateCreativeResponse created;
  ASSERT_TRUE(core_->CreateCreative(Principal::ForUser(user_a_), request, created).ok());
  const v1::Creative& creative = created.creative();
  EXPECT_TRUE(storage::IsUuid(creative.id()));
  EXPECT_EQ(creative.user_id(), user_a_);
  EXPECT_EQ(creative.account_id(), account);
  EXPECT_EQ(creative.direction_id(), direction);
  EXPECT_EQ(creative.title(), "clip");
  EXPECT_EQ(creative.description(), "Ad text — с кириллицей");
  EXPECT_EQ(creative.media_url(), "https://cdn.example.com/clip.mp4");
  EXPECT_EQ(creative.media_type(), "video");
  EXPECT_EQ(creative.thumbnail_url(), "https://cdn.example.com/clip.jpg");
  EXPECT_EQ(creative.status(), "ready");  // media_url set
  EXPECT_TRUE(creative.is_active());
  EXPECT_EQ(creative.creative_group_id(), group);
  EXPECT_EQ(creative.source(), "uploaded");
  EXPECT_TRUE(creative.tiktok_eligible());
  EXPECT_EQ(created.mutation().idempotency_key(), "creative-1");

  v1::GetCreativeRequest get;
  get.set_creative_id(creative.id());
  v1::Creative read;
  ASSERT_TRUE(core_->GetCreative(Principal::ForUser(user_a_), get, read).ok());
  EXPECT_EQ(read.SerializeAsString(), creative.SerializeAsString());

  // Set a TikTok video id, then change the media: the stale video id is cleared.
  v1::UpdateCreativeRequest update;
  update.set_creative_id(creative.id());
  update.mutable_tiktok_video_id()->set_value("v10033g50000abc");
  update.mutable_title()->set_value("clip v2");
  update.mutable_description()->set_value("");  // clears
  v1::UpdateCreativeResponse updated;
  ASSERT_TRUE(core_->UpdateCreative(Principal::ForUser(user_a_), update, updated).ok());
  EXPECT_EQ(updated.creative().tiktok_video_id(), "v10033g50000abc");
  EXPECT_EQ(updated.creative().title(), "clip v2");
  EXPECT_EQ(updated.creative().description(), "");
  EXPECT_EQ(updated.creative().account_id(), account);  // untouched

  update.Clear();
  update.set_creative_id(creative.id());
  update.mutable_media_url()->set_value("https://cdn.example.com/clip2.mp4");
  update.mutable_direction_id()->set_value("");  // clears
  update.mutable_status()->set_value("error");
  ASSERT_TRUE(core_->UpdateCreative(Principal::ForUser(user_a_), update, updated).ok());
  EXPECT_EQ(updated.creative().media_url(), "https://cdn.example.com/clip2.mp4");
  EXPECT_EQ(updated.creative().tiktok_video_id(), "");
  EXPECT_EQ(updated.creative().direction_id(), "");
  EXPECT_EQ(updated.creative().status(), "error");
  EXPECT_FALSE(updated.creative().tiktok_eligible());

  // The same media URL with a new video id keeps the given id.
  update.Clear();
  update.set_creative_id(creative.id());
  update.mutable_media_url()->set_value("https://cdn.example.com/clip3.mp4");
  update.mutable_tiktok_video_id()->set_value("v2");
  update.mutable_status()->set_value("ready");
  ASSERT_TRUE(core_->UpdateCreative(Principal::ForUser(user_a_), update, updated).ok());
  EXPECT_EQ(updated.creative().tiktok_video_id(), "v2");
  EXPECT_TRUE(updated.creative().tiktok_eligible());
}

TEST_P(CreativeCoreTest, DefaultsFollowTheContract) {
  v1::CreateCreativeRequest image;
  image.set_title("image");
  image.set_media_type("image");
  const v1::Creative processing = Create(user_a_, image);
  EXPECT_EQ(processing.status(), "processing");  // nothing to upload yet
  EXPECT_EQ(processing.media_type(), "image");
  EXPECT_FALSE(processing.tiktok_eligible());

  v1::CreateCreativeRequest uploaded;
  uploaded.set_title("uploaded");
  uploaded.set_tiktok_video_id("v10033g50000xyz");
  uploaded.mutable_is_active()->set_value(false);
  uploaded.set_source("tiktok_import");
  const v1::Creative inactive = Create(user_a_, uploaded);
  EXPECT_EQ(inactive.status(), "ready");
  EXPECT_FALSE(inactive.is_active());
  EXPECT_EQ(inactive.source(), "tiktok_import");
  EXPECT_FALSE(inactive.tiktok_eligible());
}

TEST_P(CreativeCoreTest, InvalidCreateNamesEveryFieldAndChangesNothing) {
  v1::CreateCreativeRequest request;
  request.set_user_account_id("nope");
  request.set_account_id("bad");
  request.set_direction_id("bad");
  request.set_title("");
  request.set_description(std::string(1001, 'd'));
  request.set_media_url("ftp://cdn.example.com/a.mp4");
  request.set_thumbnail_url("https://");
  request.set_image_url("https://cdn.example.com/has space.jpg");
  request.set_media_type("gif");
  request.set_status("error");
  request.set_tiktok_video_id("bad id!");
  request.set_creative_group_id("bad");
  request.set_source(std::string(51, 's'));
  v1::CreateCreativeResponse response;
  const absl::Status status = core_->CreateCreative(Principal::Operator(), request, response);
  ASSERT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  const std::set<std::string> expected = {
      "user_account_id", "account_id", "direction_id", "title", "description", "media_url",
      "thumbnail_url", "image_url", "media_type", "status", "tiktok_video_id",
      "creative_group_id", "source"};
  EXPECT_EQ(FieldsOf(status), expected) << status;

  // A video needs something to upload.
  v1::CreateCreativeRequest empty_video;
  empty_video.set_title("no media");
  EXPECT_EQ(FieldsOf(core_->CreateCreative(Principal::ForUser(user_a_), empty_video, response)),
            std::set<std::string>{"media_url"});
  EXPECT_EQ(CreativeCount(user_a_), 0);
  EXPECT_TRUE(AuditOf(user_a_).empty());

  // Bad updates change nothing.
  const v1::Creative creative = Create(user_a_, Video("kept"));
  v1::UpdateCreativeRequest update;
  update.set_creative_id(creative.id());
  update.mutable_title()->set_value("");
  update.mutable_media_type()->set_value("");
  update.mutable_status()->set_value("done");
  update.mutable_media_url()->set_value("javascript:alert(1)");
  v1::UpdateCreativeResponse updated;
  const absl::Status update_status =
      core_->UpdateCreative(Principal::ForUser(user_a_), update, updated);
  EXPECT_EQ(FieldsOf(update_status),
            (std::set<std::string>{"title", "media_type", "status", "media_url"}))
      << update_status;
  // Clearing the only media of a video is refused.
  update.Clear();
  update.set_creative_id(creative.id());
  update.mutable_media_url()->set_value("");
  EXPECT_EQ(FieldsOf(core_->UpdateCreative(Principal::ForUser(user_a_), update, updated)),
            std::set<std::string>{"media_url"});
  v1::GetCreativeRequest get;
  get.set_creative_id(creative.id());
  v1::Creative read;
  ASSERT_TRUE(core_->GetCreative(Principal::ForUser(user_a_), get, read).ok());
  EXPECT_EQ(read.SerializeAsString(), creative.SerializeAsString());
}

TEST_P(CreativeCoreTest, ReferencesMustBelongToTheUser) {
  const std::string foreign_direction = NewDirection(user_b_, "Theirs");
  const std::string foreign_account = NewAdAccount(user_b_);
  v1::CreateCreativeRequest request = Video("x");
  request.set_direction_id(foreign_direction);
  v1::CreateCreativeResponse response;
  absl::Status status = core_->CreateCreative(Principal::ForUser(user_a_), request, response);
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound) << status;
  EXPECT_NE(status.message().find("direction_id"), absl::string_view::npos) << status;
  request.clear_direction_id();
  request.set_account_id(foreign_account);
  status = core_->CreateCreative(Principal::ForUser(user_a_), request, response);
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound) << status;
  EXPECT_NE(status.message().find("account_id"), absl::string_view::npos) << status;
  EXPECT_EQ(CreativeCount(user_a_), 0);

  const v1::Creative creative = Create(user_a_, Video("mine"));
  v1::UpdateCreativeRequest update;
  update.set_creative_id(creative.id());
  update.mutable_direction_id()->set_value(foreign_direction);
  v1::UpdateCreativeResponse updated;
  EXPECT_EQ(core_->UpdateCreative(Principal::ForUser(user_a_), update, updated).code(),
            absl::StatusCode::kNotFound);
  update.mutable_direction_id()->set_value(NewDirection(user_a_, "Mine"));
  ASSERT_TRUE(core_->UpdateCreative(Principal::ForUser(user_a_), update, updated).ok());
  EXPECT_EQ(updated.creative().direction_id(), update.direction_id().value());
}

TEST_P(CreativeCoreTest, TenancyAnotherUsersCreativeIsNotFound) {
  const v1::Creative creative = Create(user_a_, Video("private"));
  const Principal intruder = Principal::ForUser(user_b_);
  v1::GetCreativeRequest get;
  get.set_creative_id(creative.id());
  v1::Creative read;
  EXPECT_EQ(core_->GetCreative(intruder, get, read).code(), absl::StatusCode::kNotFound);
  v1::UpdateCreativeRequest update;
  update.set_creative_id(creative.id());
  update.mutable_is_active()->set_value(false);
  v1::UpdateCreativeResponse updated;
  EXPECT_EQ(core_->UpdateCreative(intruder, update, updated).code(), absl::StatusCode::kNotFound);
  v1::ListCreativesRequest list;
  list.set_user_account_id(user_a_);
  v1::ListCreativesResponse listed;
  EXPECT_EQ(core_->ListCreatives(intruder, list, listed).code(),
            absl::StatusCode::kPermissionDenied);
  v1::CreateCreativeRequest create = Video("planted");
  create.set_user_account_id(user_a_);
  v1::CreateCreativeResponse created;
  EXPECT_EQ(core_->CreateCreative(intruder, create, created).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(Titles(intruder, v1::ListCreativesRequest()).empty());
  EXPECT_EQ(CreativeCount(user_a_), 1);

  // Unchanged; the operator reaches it by id.
  ASSERT_TRUE(core_->GetCreative(Principal::Operator(), get, read).ok());
  EXPECT_TRUE(read.is_active());
  ASSERT_TRUE(core_->UpdateCreative(Principal::Operator(), update, updated).ok());
  EXPECT_FALSE(updated.creative().is_active());
  v1::ListCreativesRequest operator_list;
  EXPECT_EQ(FieldsOf(core_->ListCreatives(Principal::Operator(), operator_list, listed)),
            std::set<std::string>{"user_account_id"});
  operator_list.set_user_account_id(user_a_);
  EXPECT_EQ(Titles(Principal::Operator(), operator_list), std::vector<std::string>{"private"});
}

TEST_P(CreativeCoreTest, ListFiltersNewestFirstAndPages) {
  const std::string account = NewAdAccount(user_a_);
  const std::string direction = NewDirection(user_a_, "Dir");
  v1::CreateCreativeRequest in_direction = Video("in direction");
  in_direction.set_direction_id(direction);
  in_direction.set_account_id(account);
  Create(user_a_, in_direction);
  v1::CreateCreativeRequest image;
  image.set_title("image");
  image.set_media_type("image");
  image.set_image_url("https://cdn.example.com/i.png");
  image.set_status("ready");
  Create(user_a_, image);
  v1::CreateCreativeRequest failed = Video("failed");
  failed.set_status("failed");
  Create(user_a_, failed);
  v1::CreateCreativeRequest inactive = Video("inactive");
  inactive.mutable_is_active()->set_value(false);
  Create(user_a_, inactive);
  Create(user_a_, Video("plain"));
  Create(user_b_, Video("other user"));

  const Principal owner = Principal::ForUser(user_a_);
  v1::ListCreativesRequest request;
  EXPECT_EQ(Titles(owner, request),
            (std::vector<std::string>{"plain", "inactive", "failed", "image", "in direction"}));
  request.set_direction_id(direction);
  EXPECT_EQ(Titles(owner, request), std::vector<std::string>{"in direction"});
  request.Clear();
  request.set_account_id(account);
  EXPECT_EQ(Titles(owner, request), std::vector<std::string>{"in direction"});
  request.Clear();
  request.set_status("failed");
  EXPECT_EQ(Titles(owner, request), std::vector<std::string>{"failed"});
  request.Clear();
  request.set_media_type("image");
  EXPECT_EQ(Titles(owner, request), std::vector<std::string>{"image"});
  request.set_media_type("video");
  EXPECT_EQ(Titles(owner, request),
            (std::vector<std::string>{"plain", "inactive", "failed", "in direction"}));
  request.Clear();
  request.set_tiktok_eligible_only(true);
  EXPECT_EQ(Titles(owner, request), (std::vector<std::string>{"plain", "in direction"}));

  // Pages of two: every creative once, newest first.
  v1::ListCreativesRequest paged;
  paged.set_page_size(2);
  std::vector<std::string> seen;
  for (int pages = 0; pages < 10; ++pages) {
    v1::ListCreativesResponse response;
    ASSERT_TRUE(core_->ListCreatives(owner, paged, response).ok());
    ASSERT_LE(response.creatives_size(), 2);
    for (const v1::Creative& creative : response.creatives()) seen.push_back(creative.title());
    if (response.next_page_token().empty()) break;
    paged.set_page_token(response.next_page_token());
  }
  EXPECT_EQ(seen,
            (std::vector<std::string>{"plain", "inactive", "failed", "image", "in direction"}));

  v1::ListCreativesRequest bad;
  bad.set_status("gone");
  bad.set_media_type("gif");
  bad.set_direction_id("x");
  bad.set_account_id("y");
  v1::ListCreativesResponse response;
  EXPECT_EQ(FieldsOf(core_->ListCreatives(owner, bad, response)),
            (std::set<std::string>{"status", "media_type", "direction_id", "account_id"}));
}

TEST_P(CreativeCoreTest, IdempotencyValidateOnlyAndAudit) {
  const Principal owner = Principal::ForUser(user_a_);
  v1::CreateCreativeRequest request = Video("once");
  request.set_idempotency_key("creative-key");
  v1::CreateCreativeResponse first;
  ASSERT_TRUE(core_->CreateCreative(owner, request, first).ok());
  v1::CreateCreativeResponse second;
  ASSERT_TRUE(core_->CreateCreative(owner, request, second).ok());
  EXPECT_TRUE(second.mutation().replayed());
  EXPECT_EQ(second.creative().id(), first.creative().id());
  request.set_title("changed");
  EXPECT_EQ(core_->CreateCreative(owner, request, second).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(CreativeCount(user_a_), 1);

  v1::CreateCreativeRequest dry = Video("dry");
  dry.set_validate_only(true);
  v1::CreateCreativeResponse dry_response;
  ASSERT_TRUE(core_->CreateCreative(owner, dry, dry_response).ok());
  EXPECT_TRUE(dry_response.mutation().validate_only());
  EXPECT_EQ(dry_response.creative().id(), "");
  EXPECT_EQ(dry_response.creative().title(), "dry");
  dry.set_direction_id(storage::NewUuid());
  EXPECT_EQ(core_->CreateCreative(owner, dry, dry_response).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(CreativeCount(user_a_), 1);

  v1::UpdateCreativeRequest update;
  update.set_creative_id(first.creative().id());
  update.mutable_title()->set_value("renamed");
  update.set_validate_only(true);
  v1::UpdateCreativeResponse updated;
  ASSERT_TRUE(core_->UpdateCreative(owner, update, updated).ok());
  EXPECT_EQ(updated.creative().title(), "renamed");
  v1::GetCreativeRequest get;
  get.set_creative_id(first.creative().id());
  v1::Creative read;
  ASSERT_TRUE(core_->GetCreative(owner, get, read).ok());
  EXPECT_EQ(read.title(), "once");
  update.set_validate_only(false);
  ASSERT_TRUE(core_->UpdateCreative(owner, update, updated).ok());
  EXPECT_EQ(updated.creative().title(), "renamed");

  std::multiset<std::string> actions;
  for (const storage::AuditEntry& entry : AuditOf(user_a_)) {
    actions.insert(entry.action + ":" + entry.outcome);
    EXPECT_EQ(entry.target_id, first.creative().id());
  }
  EXPECT_EQ(actions, (std::multiset<std::string>{"CreativeService.CreateCreative:OK",
                                                 "CreativeService.UpdateCreative:OK"}));
}

// The owner lookups the cores use for operator callers (storage methods added for them).
TEST_P(CreativeCoreTest, RepositoryOwnerOf) {
  storage::DirectionRepository directions(database());
  storage::CreativeRepository creatives(database());
  const std::string direction = NewDirection(user_b_, "Owned");
  absl::StatusOr<std::string> owner = directions.OwnerOf(direction);
  ASSERT_TRUE(owner.ok()) << owner.status();
  EXPECT_EQ(*owner, user_b_);
  EXPECT_EQ(directions.OwnerOf(storage::NewUuid()).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(directions.OwnerOf("not-a-uuid").status().code(),
            absl::StatusCode::kInvalidArgument);

  const v1::Creative creative = Create(user_b_, Video("owned"));
  owner = creatives.OwnerOf(creative.id());
  ASSERT_TRUE(owner.ok()) << owner.status();
  EXPECT_EQ(*owner, user_b_);
  EXPECT_EQ(creatives.OwnerOf(storage::NewUuid()).status().code(), absl::StatusCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, CreativeCoreTest, ::ttads::testing::AllBackends(),
                         ::ttads::testing::BackendName);

}  // namespace
}  // namespace ttads::server
