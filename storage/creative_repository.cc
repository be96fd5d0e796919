#include "storage/creative_repository.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "storage/uuid.h"

namespace ttads::storage {
namespace {

constexpr absl::string_view kEntity = "creative";

void BindCreative(SqlColumns& columns, Creative& row) {
  columns.Text("id", &row.id)
      .Text("user_id", &row.user_id)
      .Text("account_id", &row.account_id)
      .Text("direction_id", &row.direction_id)
      .Text("title", &row.title)
      .Text("description", &row.description)
      .Text("media_url", &row.media_url)
      .Bool("is_active", &row.is_active)
      .Text("status", &row.status)
      .Text("media_type", &row.media_type)
      .Text("image_url", &row.image_url)
      .Text("thumbnail_url", &row.thumbnail_url)
      .Text("carousel_data", &row.carousel_data_json)
      .Text("tiktok_video_id", &row.tiktok_video_id)
      .Text("creative_group_id", &row.creative_group_id)
      .Text("source", &row.source)
      .Text("tus_upload_id", &row.tus_upload_id)
      .Text("file_hash", &row.file_hash)
      .Time("created_at", &row.created_at)
      .Time("updated_at", &row.updated_at);
}

void BindMapping(SqlColumns& columns, AdCreativeMapping& row) {
  columns.Text("id", &row.id)
      .Text("ad_id", &row.ad_id)
      .Text("user_creative_id", &row.user_creative_id)
      .Text("direction_id", &row.direction_id)
      .Text("user_id", &row.user_id)
      .Text("account_id", &row.account_id)
      .Text("adset_id", &row.adset_id)
      .Text("campaign_id", &row.campaign_id)
      .Text("fb_creative_id", &row.fb_creative_id)
      .Text("source", &row.source)
      .Text("platform", &row.platform)
      .Time("created_at", &row.created_at);
}

absl::StatusOr<Creative> Read(soci::session& session, const std::string& user_id,
                              const std::string& id) {
  SqlParams params;
  params.Uuid("id", id).Uuid("user_id", user_id);
  return ReadRow<Creative>(session, "user_creatives", "id = :id AND user_id = :user_id", params,
                           &BindCreative, kEntity, id);
}

void AddPatch(SqlParams& params, const CreativePatch& patch) {
  if (patch.account_id) params.NullableUuid("account_id", *patch.account_id);
  if (patch.direction_id) params.NullableUuid("direction_id", *patch.direction_id);
  if (patch.title) params.Text("title", *patch.title);
  if (patch.description) params.NullableText("description", *patch.description);
  if (patch.media_url) params.NullableText("media_url", *patch.media_url);
  if (patch.is_active) params.Bool("is_active", *patch.is_active);
  if (patch.status) params.Text("status", *patch.status);
  if (patch.media_type) params.NullableText("media_type", *patch.media_type);
  if (patch.image_url) params.NullableText("image_url", *patch.image_url);
  if (patch.thumbnail_url) params.NullableText("thumbnail_url", *patch.thumbnail_url);
  if (patch.carousel_data_json) params.NullableText("carousel_data", *patch.carousel_data_json);
  if (patch.tiktok_video_id) params.NullableText("tiktok_video_id", *patch.tiktok_video_id);
  if (patch.creative_group_id) {
    params.NullableUuid("creative_group_id", *patch.creative_group_id);
  }
  if (patch.source) params.NullableText("source", *patch.source);
  if (patch.tus_upload_id) params.NullableText("tus_upload_id", *patch.tus_upload_id);
  if (patch.file_hash) params.NullableText("file_hash", *patch.file_hash);
}

absl::StatusOr<Creative> ApplyUpdate(soci::session& session, const std::string& user_id,
                                     const std::string& id, SqlParams& params) {
  const std::string assignments = params.Assignments();
  params.Uuid("where_id", id).Uuid("where_user_id", user_id);
  absl::StatusOr<long long> changed = Execute(
      session,
      absl::StrCat("UPDATE user_creatives SET ", assignments,
                   " WHERE id = :where_id AND user_id = :where_user_id"),
      params);
  if (!changed.ok()) return changed.status();
  if (*changed == 0) return NotFoundError(kEntity, id);
  return Read(session, user_id, id);
}

}  // namespace

absl::StatusOr<Creative> CreativeRepository::Create(const Creative& row, absl::Time now) {
  const std::string id = row.id.empty() ? NewUuid() : row.id;
  return TransactFor<Creative>(database_, [&](soci::session& session) -> absl::StatusOr<Creative> {
    SqlParams user;
    user.Uuid("id", row.user_id);
    absl::StatusOr<bool> exists =
        Exists(session, "SELECT 1 FROM user_accounts WHERE id = :id", user);
    if (!exists.ok()) return exists.status();
    if (!*exists) return NotFoundError("user account", row.user_id);
    SqlParams params;
    params.Uuid("id", id)
        .Uuid("user_id", row.user_id)
        .NullableUuid("account_id", row.account_id)
        .NullableUuid("direction_id", row.direction_id)
        .Text("title", row.title)
        .NullableText("description", row.description)
        .NullableText("media_url", row.media_url)
        .Bool("is_active", row.is_active)
        .Text("status", row.status)
        .NullableText("media_type", row.media_type)
        .NullableText("image_url", row.image_url)
        .NullableText("thumbnail_url", row.thumbnail_url)
        .NullableText("carousel_data", row.carousel_data_json)
        .NullableText("tiktok_video_id", row.tiktok_video_id)
        .NullableUuid("creative_group_id", row.creative_group_id)
        .NullableText("source", row.source)
        .NullableText("tus_upload_id", row.tus_upload_id)
        .NullableText("file_hash", row.file_hash)
        .Time("created_at", now)
        .Time("updated_at", now);
    absl::StatusOr<long long> inserted =
        Execute(session, InsertSql("user_creatives", params), params);
    if (!inserted.ok()) return inserted.status();
    return Read(session, row.user_id, id);
  });
}

absl::StatusOr<Creative> CreativeRepository::Get(const std::string& user_id,
                                                 const std::string& id) {
  return RunFor<Creative>(database_,
                          [&](soci::session& session) { return Read(session, user_id, id); });
}

absl::StatusOr<std::string> CreativeRepository::OwnerOf(const std::string& id) {
  return RunFor<std::string>(database_, [&](soci::session& session) -> absl::StatusOr<std::string> {
    std::string owner;
    SqlColumns columns;
    columns.Text("user_id", &owner);
    SqlParams params;
    params.Uuid("id", id);
    absl::StatusOr<bool> found =
        QueryOne(session, "SELECT user_id FROM user_creatives WHERE id = :id", params, columns);
    if (!found.ok()) return found.status();
    if (!*found) return NotFoundError(kEntity, id);
    return owner;
  });
}

absl::StatusOr<Page<Creative>> CreativeRepository::List(const std::string& user_id,
                                                        const CreativeFilter& filter,
                                                        const PageRequest& page) {
  return RunFor<Page<Creative>>(database_, [&](soci::session& session) {
    SqlParams params;
    params.Uuid("user_id", user_id);
    std::string where = "user_id = :user_id";
    if (filter.direction_id) {
      if (filter.direction_id->has_value()) {
        params.Uuid("direction_id", **filter.direction_id);
        where += " AND direction_id = :direction_id";
      } else {
        where += " AND direction_id IS NULL";
      }
    }
    if (filter.status) {
      params.Text("status", *filter.status);
      where += " AND status = :status";
    }
    if (filter.is_active) {
      params.Bool("is_active", *filter.is_active);
      where += " AND is_active = :is_active";
    }
    return QueryPage<Creative>(session, "user_creatives", where, params, page, &BindCreative);
  });
}

absl::StatusOr<Creative> CreativeRepository::Update(const std::string& user_id,
                                                    const std::string& id,
                                                    const CreativePatch& patch, absl::Time now) {
  return TransactFor<Creative>(database_, [&](soci::session& session) {
    SqlParams params;
    AddPatch(params, patch);
    params.Time("updated_at", now);
    return ApplyUpdate(session, user_id, id, params);
  });
}

absl::Status CreativeRepository::SetTikTokVideoId(const std::string& user_id,
                                                  const std::string& id,
                                                  const std::string& tiktok_video_id,
                                                  absl::Time now) {
  return database_.Run([&](soci::session& session) -> absl::Status {
    SqlParams params;
    params.Text("tiktok_video_id", tiktok_video_id).Time("updated_at", now);
    return ApplyUpdate(session, user_id, id, params).status();
  });
}

absl::StatusOr<std::vector<Creative>> CreativeRepository::ListTikTokEligible(
    const std::string& user_id, const std::optional<std::string>& direction_id, int limit) {
  return RunFor<std::vector<Creative>>(
      database_, [&](soci::session& session) -> absl::StatusOr<std::vector<Creative>> {
        SqlParams params;
        params.Uuid("user_id", user_id);
        std::string where =
            "user_id = :user_id AND is_active = TRUE AND status = 'ready' AND "
            "(media_type IS NULL OR media_type = 'video') AND "
            "((tiktok_video_id IS NOT NULL AND tiktok_video_id <> '') OR "
            "(media_url IS NOT NULL AND media_url <> ''))";
        if (direction_id.has_value()) {
          params.Uuid("direction_id", *direction_id);
          where += " AND direction_id = :direction_id";
        }
        params.Int("max_rows", std::clamp(limit, 0, kMaxPageSize));
        return ReadRows<Creative>(session, "user_creatives", where, params, &BindCreative,
                                  "ORDER BY created_at DESC, id DESC LIMIT :max_rows");
      });
}

absl::StatusOr<int> CreativeRepository::SaveMappings(const std::vector<AdCreativeMapping>& rows,
                                                     absl::Time now) {
  return TransactFor<int>(database_, [&](soci::session& session) -> absl::StatusOr<int> {
    int added = 0;
    for (const AdCreativeMapping& row : rows) {
      SqlParams params;
      params.Uuid("id", row.id.empty() ? NewUuid() : row.id)
          .Text("ad_id", row.ad_id)
          .Uuid("user_creative_id", row.user_creative_id)
          .NullableUuid("direction_id", row.direction_id)
          .Uuid("user_id", row.user_id)
          .NullableUuid("account_id", row.account_id)
          .NullableText("adset_id", row.adset_id)
          .NullableText("campaign_id", row.campaign_id)
          .NullableText("fb_creative_id", row.fb_creative_id)
          .NullableText("source", row.source)
          .Text("platform", row.platform)
          .Time("created_at", now);
      absl::StatusOr<long long> inserted = Execute(
          session,
          absl::StrCat(InsertSql("ad_creative_mapping", params), " ON CONFLICT (ad_id) DO NOTHING"),
          params);
      if (!inserted.ok()) return inserted.status();
      added += static_cast<int>(*inserted);
    }
    return added;
  });
}

absl::StatusOr<AdCreativeMapping> CreativeRepository::GetMappingByAdId(const std::string& ad_id) {
  return RunFor<AdCreativeMapping>(database_, [&](soci::session& session) {
    SqlParams params;
    params.Text("ad_id", ad_id);
    return ReadRow<AdCreativeMapping>(session, "ad_creative_mapping", "ad_id = :ad_id", params,
                                      &BindMapping, "ad creative mapping for ad", ad_id);
  });
}

}  // namespace ttads::storage
