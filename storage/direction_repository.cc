#include "storage/direction_repository.h"

#include "absl/strings/str_cat.h"
#include "storage/uuid.h"

namespace ttads::storage {
namespace {

constexpr absl::string_view kEntity = "direction";
constexpr absl::string_view kAdGroupEntity = "TikTok ad group link";

// The use_existing pool: which linked ad groups may take new ads, and which goes first.
constexpr absl::string_view kPoolCondition =
    "direction_id = :direction_id AND is_active = TRUE AND status = 'DISABLE' AND "
    "ads_count < :max_ads";
constexpr absl::string_view kPoolOrder = " ORDER BY ads_count ASC, linked_at ASC, id ASC LIMIT 1";

absl::Status NoPoolAdGroup() {
  return absl::NotFoundError("no available pre-created ad groups");
}

void BindDirection(SqlColumns& columns, Direction& row) {
  columns.Text("id", &row.id)
      .Text("user_account_id", &row.user_account_id)
      .Text("account_id", &row.account_id)
      .Text("name", &row.name)
      .Text("platform", &row.platform)
      .Text("objective", &row.objective)
      .Text("conversion_channel", &row.conversion_channel)
      .Int("daily_budget_cents", &row.daily_budget_cents)
      .Int("target_cpl_cents", &row.target_cpl_cents)
      .Bool("is_active", &row.is_active)
      .Text("campaign_status", &row.campaign_status)
      .Text("whatsapp_phone_number_id", &row.whatsapp_phone_number_id)
      .Text("fb_campaign_id", &row.fb_campaign_id)
      .Text("tiktok_campaign_id", &row.tiktok_campaign_id)
      .Text("tiktok_pixel_id", &row.tiktok_pixel_id)
      .Text("tiktok_identity_id", &row.tiktok_identity_id)
      .Text("tiktok_objective", &row.tiktok_objective)
      .Int("tiktok_daily_budget", &row.tiktok_daily_budget)
      .Int("tiktok_target_cpl_kzt", &row.tiktok_target_cpl_kzt)
      .Double("tiktok_target_cpl", &row.tiktok_target_cpl)
      .Text("tiktok_adgroup_mode", &row.tiktok_adgroup_mode)
      .Text("tiktok_instant_page_id", &row.tiktok_instant_page_id)
      .Text("optimization_level", &row.optimization_level)
      .Time("created_at", &row.created_at)
      .Time("updated_at", &row.updated_at);
}

void BindAdSettings(SqlColumns& columns, AdSettings& row) {
  columns.Text("id", &row.id)
      .Text("direction_id", &row.direction_id)
      .Text("user_id", &row.user_id)
      .Text("cities", &row.cities_json)
      .Int("age_min", &row.age_min)
      .Int("age_max", &row.age_max)
      .Text("gender", &row.gender)
      .Text("description", &row.description)
      .Text("client_question", &row.client_question)
      .Text("client_questions", &row.client_questions_json)
      .Text("site_url", &row.site_url)
      .Text("pixel_id", &row.pixel_id)
      .Text("utm_tag", &row.utm_tag)
      .Text("lead_form_id", &row.lead_form_id)
      .Time("created_at", &row.created_at)
      .Time("updated_at", &row.updated_at);
}

void BindAdGroup(SqlColumns& columns, TikTokAdGroup& row) {
  columns.Text("id", &row.id)
      .Text("direction_id", &row.direction_id)
      .Text("tiktok_adgroup_id", &row.tiktok_adgroup_id)
      .Text("adgroup_name", &row.adgroup_name)
      .Double("daily_budget", &row.daily_budget)
      .Text("status", &row.status)
      .Int("ads_count", &row.ads_count)
      .Time("last_used_at", &row.last_used_at)
      .Time("linked_at", &row.linked_at)
      .Bool("is_active", &row.is_active)
      .Time("created_at", &row.created_at)
      .Time("updated_at", &row.updated_at);
}

absl::StatusOr<Direction> ReadDirection(soci::session& session,
                                        const std::string& user_account_id,
                                        const std::string& id) {
  SqlParams params;
  params.Uuid("id", id).Uuid("user_account_id", user_account_id);
  return ReadRow<Direction>(session, "account_directions",
                            "id = :id AND user_account_id = :user_account_id", params,
                            &BindDirection, kEntity, id);
}

absl::StatusOr<TikTokAdGroup> ReadAdGroup(soci::session& session, const std::string& id) {
  SqlParams params;
  params.Uuid("id", id);
  return ReadRow<TikTokAdGroup>(session, "direction_tiktok_adgroups", "id = :id", params,
                                &BindAdGroup, kAdGroupEntity, id);
}

// Serialises the direction writes of one user (the active-count and name checks read, then
// write): a row lock on PostgreSQL; on SQLite the transaction's BEGIN IMMEDIATE already does.
absl::Status LockUser(soci::session& session, Backend backend,
                      const std::string& user_account_id) {
  SqlParams params;
  params.Uuid("id", user_account_id);
  absl::StatusOr<bool> exists = Exists(
      session,
      absl::StrCat("SELECT 1 FROM user_accounts WHERE id = :id",
                   backend == Backend::kPostgres ? " FOR UPDATE" : ""),
      params);
  if (!exists.ok()) return exists.status();
  if (!*exists) return NotFoundError("user account", user_account_id);
  return absl::OkStatus();
}

absl::Status CheckActiveLimit(soci::session& session, const std::string& user_account_id) {
  int active = 0;
  SqlColumns columns;
  columns.Int("COUNT(*)", &active);
  SqlParams params;
  params.Uuid("user_account_id", user_account_id);
  absl::StatusOr<bool> read = QueryOne(session,
                                       "SELECT COUNT(*) FROM account_directions WHERE "
                                       "user_account_id = :user_account_id AND is_active = TRUE",
                                       params, columns);
  if (!read.ok()) return read.status();
  if (active >= kMaxActiveDirectionsPerUser) {
    return absl::FailedPreconditionError(absl::StrCat(
        "at most ", kMaxActiveDirectionsPerUser, " active directions per user"));
  }
  return absl::OkStatus();
}

// ALREADY_EXISTS when another of the user's directions on `platform` (NULL counting as
// facebook) is called `name`.
absl::Status CheckNameFree(soci::session& session, const std::string& user_account_id,
                           const std::string& name, const std::optional<std::string>& platform,
                           const std::string& except_id) {
  const std::string effective_platform = platform.value_or("facebook");
  SqlParams params;
  params.Uuid("user_account_id", user_account_id)
      .Text("name", name)
      .Text("platform", effective_platform);
  std::string sql =
      "SELECT 1 FROM account_directions WHERE user_account_id = :user_account_id AND "
      "name = :name AND COALESCE(platform, 'facebook') = :platform";
  if (!except_id.empty()) {
    params.Uuid("except_id", except_id);
    sql += " AND id <> :except_id";
  }
  absl::StatusOr<bool> taken = Exists(session, sql, params);
  if (!taken.ok()) return taken.status();
  if (*taken) {
    return absl::AlreadyExistsError(absl::StrCat("a ", effective_platform, " direction named '",
                                                 name, "' already exists for this user"));
  }
  return absl::OkStatus();
}

absl::Status CheckAdAccountOwned(soci::session& session, const std::string& user_account_id,
                                 const std::string& account_id) {
  SqlParams params;
  params.Uuid("id", account_id).Uuid("user_account_id", user_account_id);
  absl::StatusOr<bool> owned = Exists(
      session, "SELECT 1 FROM ad_accounts WHERE id = :id AND user_account_id = :user_account_id",
      params);
  if (!owned.ok()) return owned.status();
  if (!*owned) return NotFoundError("ad account", account_id);
  return absl::OkStatus();
}

absl::Status CheckDirectionOwned(soci::session& session, const std::string& user_account_id,
                                 const std::string& direction_id) {
  SqlParams params;
  params.Uuid("id", direction_id).Uuid("user_account_id", user_account_id);
  absl::StatusOr<bool> owned = Exists(
      session,
      "SELECT 1 FROM account_directions WHERE id = :id AND user_account_id = :user_account_id",
      params);
  if (!owned.ok()) return owned.status();
  if (!*owned) return NotFoundError(kEntity, direction_id);
  return absl::OkStatus();
}

void AddPatch(SqlParams& params, const DirectionPatch& patch) {
  if (patch.name) params.Text("name", *patch.name);
  if (patch.objective) params.Text("objective", *patch.objective);
  if (patch.conversion_channel) {
    params.NullableText("conversion_channel", *patch.conversion_channel);
  }
  if (patch.daily_budget_cents) params.Int("daily_budget_cents", *patch.daily_budget_cents);
  if (patch.target_cpl_cents) params.Int("target_cpl_cents", *patch.target_cpl_cents);
  if (patch.is_active) params.Bool("is_active", *patch.is_active);
  if (patch.campaign_status) params.NullableText("campaign_status", *patch.campaign_status);
  if (patch.whatsapp_phone_number_id) {
    params.NullableUuid("whatsapp_phone_number_id", *patch.whatsapp_phone_number_id);
  }
  if (patch.fb_campaign_id) params.NullableText("fb_campaign_id", *patch.fb_campaign_id);
  if (patch.tiktok_campaign_id) {
    params.NullableText("tiktok_campaign_id", *patch.tiktok_campaign_id);
  }
  if (patch.tiktok_pixel_id) params.NullableText("tiktok_pixel_id", *patch.tiktok_pixel_id);
  if (patch.tiktok_identity_id) {
    params.NullableText("tiktok_identity_id", *patch.tiktok_identity_id);
  }
  if (patch.tiktok_objective) params.NullableText("tiktok_objective", *patch.tiktok_objective);
  if (patch.tiktok_daily_budget) {
    params.NullableInt("tiktok_daily_budget", *patch.tiktok_daily_budget);
  }
  if (patch.tiktok_target_cpl_kzt) {
    params.NullableInt("tiktok_target_cpl_kzt", *patch.tiktok_target_cpl_kzt);
  }
  if (patch.tiktok_target_cpl) {
    params.NullableDouble("tiktok_target_cpl", *patch.tiktok_target_cpl);
  }
  if (patch.tiktok_adgroup_mode) {
    params.NullableText("tiktok_adgroup_mode", *patch.tiktok_adgroup_mode);
  }
  if (patch.tiktok_instant_page_id) {
    params.NullableText("tiktok_instant_page_id", *patch.tiktok_instant_page_id);
  }
  if (patch.optimization_level) {
    params.NullableText("optimization_level", *patch.optimization_level);
  }
}

void AddDirectionFilter(const DirectionFilter& filter, SqlParams& params, std::string& where) {
  if (filter.account_id) {
    if (filter.account_id->has_value()) {
      params.Uuid("account_id", **filter.account_id);
      where += " AND account_id = :account_id";
    } else {
      where += " AND account_id IS NULL";
    }
  }
  if (filter.platform) {
    params.Text("platform", *filter.platform);
    where += *filter.platform == "facebook"
                 ? " AND (platform = :platform OR platform IS NULL)"
                 : " AND platform = :platform";
  }
  if (filter.is_active) {
    params.Bool("is_active", *filter.is_active);
    where += " AND is_active = :is_active";
  }
}

}  // namespace

// ---- account_directions ---------------------------------------------------------------------

absl::StatusOr<Direction> DirectionRepository::Create(const Direction& row, absl::Time now) {
  const std::string id = row.id.empty() ? NewUuid() : row.id;
  const Backend backend = database_.backend();
  return TransactFor<Direction>(
      database_, [&](soci::session& session) -> absl::StatusOr<Direction> {
        if (absl::Status locked = LockUser(session, backend, row.user_account_id); !locked.ok()) {
          return locked;
        }
        if (row.account_id.has_value()) {
          absl::Status owned = CheckAdAccountOwned(session, row.user_account_id, *row.account_id);
          if (!owned.ok()) return owned;
        }
        if (row.is_active) {
          absl::Status limit = CheckActiveLimit(session, row.user_account_id);
          if (!limit.ok()) return limit;
        }
        absl::Status name_free =
            CheckNameFree(session, row.user_account_id, row.name, row.platform, "");
        if (!name_free.ok()) return name_free;
        SqlParams params;
        params.Uuid("id", id)
            .Uuid("user_account_id", row.user_account_id)
            .NullableUuid("account_id", row.account_id)
            .Text("name", row.name)
            .NullableText("platform", row.platform)
            .Text("objective", row.objective)
            .NullableText("conversion_channel", row.conversion_channel)
            .Int("daily_budget_cents", row.daily_budget_cents)
            .Int("target_cpl_cents", row.target_cpl_cents)
            .Bool("is_active", row.is_active)
            .NullableText("campaign_status", row.campaign_status)
            .NullableUuid("whatsapp_phone_number_id", row.whatsapp_phone_number_id)
            .NullableText("fb_campaign_id", row.fb_campaign_id)
            .NullableText("tiktok_campaign_id", row.tiktok_campaign_id)
            .NullableText("tiktok_pixel_id", row.tiktok_pixel_id)
            .NullableText("tiktok_identity_id", row.tiktok_identity_id)
            .NullableText("tiktok_objective", row.tiktok_objective)
            .NullableInt("tiktok_daily_budget", row.tiktok_daily_budget)
            .NullableInt("tiktok_target_cpl_kzt", row.tiktok_target_cpl_kzt)
            .NullableDouble("tiktok_target_cpl", row.tiktok_target_cpl)
            .NullableText("tiktok_adgroup_mode", row.tiktok_adgroup_mode)
            .NullableText("tiktok_instant_page_id", row.tiktok_instant_page_id)
            .NullableText("optimization_level", row.optimization_level)
            .Time("created_at", now)
            .Time("updated_at", now);
        absl::StatusOr<long long> inserted =
            Execute(session, InsertSql("account_directions", params), params);
        if (!inserted.ok()) return inserted.status();
        return ReadDirection(session, row.user_account_id, id);
      });
}

absl::StatusOr<Direction> DirectionRepository::Get(const std::string& user_account_id,
                                                   const std::string& id) {
  return RunFor<Direction>(database_, [&](soci::session& session) {
    return ReadDirection(session, user_account_id, id);
  });
}

absl::StatusOr<std::string> DirectionRepository::OwnerOf(const std::string& id) {
  return RunFor<std::string>(database_, [&](soci::session& session) -> absl::StatusOr<std::string> {
    std::string owner;
    SqlColumns columns;
    columns.Text("user_account_id", &owner);
    SqlParams params;
    params.Uuid("id", id);
    absl::StatusOr<bool> found = QueryOne(
        session, "SELECT user_account_id FROM account_directions WHERE id = :id", params, columns);
    if (!found.ok()) return found.status();
    if (!*found) return NotFoundError(kEntity, id);
    return owner;
  });
}

absl::StatusOr<std::string> DirectionRepository::WhatsAppNumberOf(
    const std::string& user_account_id, const std::string& direction_id) {
  return RunFor<std::string>(database_, [&](soci::session& session) -> absl::StatusOr<std::string> {
    std::string phone;
    SqlColumns columns;
    columns.Text("phone_number", &phone);
    SqlParams params;
    params.Uuid("direction_id", direction_id).Uuid("user_account_id", user_account_id);
    absl::StatusOr<bool> found = QueryOne(
        session,
        "SELECT w.phone_number FROM account_directions d JOIN whatsapp_phone_numbers w "
        "ON w.user_account_id = d.user_account_id AND w.is_active = TRUE AND "
        "(w.id = d.whatsapp_phone_number_id OR (d.whatsapp_phone_number_id IS NULL AND "
        "w.is_default = TRUE)) WHERE d.id = :direction_id AND d.user_account_id = "
        ":user_account_id ORDER BY CASE WHEN w.id = d.whatsapp_phone_number_id THEN 0 ELSE 1 END "
        "LIMIT 1",
        params, columns);
    if (!found.ok()) return found.status();
    if (!*found) return NotFoundError("WhatsApp number of direction", direction_id);
    return phone;
  });
}

absl::StatusOr<Page<Direction>> DirectionRepository::List(const std::string& user_account_id,
                                                          const DirectionFilter& filter,
                                                          const PageRequest& page) {
  return RunFor<Page<Direction>>(database_, [&](soci::session& session) {
    SqlParams params;
    params.Uuid("user_account_id", user_account_id);
    std::string where = "user_account_id = :user_account_id";
    AddDirectionFilter(filter, params, where);
    return QueryPage<Direction>(session, "account_directions", where, params, page,
                                &BindDirection);
  });
}

absl::StatusOr<Direction> DirectionRepository::Update(const std::string& user_account_id,
                                                      const std::string& id,
                                                      const DirectionPatch& patch,
                                                      absl::Time now) {
  const Backend backend = database_.backend();
  return TransactFor<Direction>(
      database_, [&](soci::session& session) -> absl::StatusOr<Direction> {
        if (absl::Status locked = LockUser(session, backend, user_account_id); !locked.ok()) {
          return locked.code() == absl::StatusCode::kNotFound ? NotFoundError(kEntity, id)
                                                              : locked;
        }
        absl::StatusOr<Direction> current = ReadDirection(session, user_account_id, id);
        if (!current.ok()) return current.status();
        if (patch.is_active.value_or(false) && !current->is_active) {
          absl::Status limit = CheckActiveLimit(session, user_account_id);
          if (!limit.ok()) return limit;
        }
        if (patch.name.has_value() && *patch.name != current->name) {
          absl::Status name_free =
              CheckNameFree(session, user_account_id, *patch.name, current->platform, id);
          if (!name_free.ok()) return name_free;
        }
        SqlParams params;
        AddPatch(params, patch);
        params.Time("updated_at", now);
        const std::string assignments = params.Assignments();
        params.Uuid("where_id", id);
        absl::StatusOr<long long> changed = Execute(
            session,
            absl::StrCat("UPDATE account_directions SET ", assignments, " WHERE id = :where_id"),
            params);
        if (!changed.ok()) return changed.status();
        return ReadDirection(session, user_account_id, id);
      });
}

absl::Status DirectionRepository::SetCampaignStatus(const std::string& user_account_id,
                                                    const std::string& id,
                                                    const std::string& campaign_status,
                                                    absl::Time now) {
  return database_.Run([&](soci::session& session) -> absl::Status {
    SqlParams params;
    params.Text("campaign_status", campaign_status).Time("updated_at", now);
    const std::string assignments = params.Assignments();
    params.Uuid("where_id", id).Uuid("where_user_account_id", user_account_id);
    absl::StatusOr<long long> changed = Execute(
        session,
        absl::StrCat("UPDATE account_directions SET ", assignments,
                     " WHERE id = :where_id AND user_account_id = :where_user_account_id"),
        params);
    if (!changed.ok()) return changed.status();
    if (*changed == 0) return NotFoundError(kEntity, id);
    return absl::OkStatus();
  });
}

// ---- default_ad_settings --------------------------------------------------------------------

absl::StatusOr<AdSettings> DirectionRepository::GetAdSettings(const std::string& user_account_id,
                                                              const std::string& direction_id) {
  return RunFor<AdSettings>(database_, [&](soci::session& session) {
    SqlParams params;
    params.Uuid("direction_id", direction_id).Uuid("user_id", user_account_id);
    return ReadRow<AdSettings>(session, "default_ad_settings",
                               "direction_id = :direction_id AND user_id = :user_id", params,
                               &BindAdSettings, "ad settings of direction", direction_id);
  });
}

absl::StatusOr<AdSettings> DirectionRepository::UpsertAdSettings(const AdSettings& row,
                                                                 absl::Time now) {
  return TransactFor<AdSettings>(
      database_, [&](soci::session& session) -> absl::StatusOr<AdSettings> {
        absl::Status owned = CheckDirectionOwned(session, row.user_id, row.direction_id);
        if (!owned.ok()) return owned;
        // The values an upsert replaces…
        SqlParams values;
        values.NullableText("cities", row.cities_json)
            .Int("age_min", row.age_min)
            .Int("age_max", row.age_max)
            .Text("gender", row.gender)
            .NullableText("description", row.description)
            .NullableText("client_question", row.client_question)
            .NullableText("client_questions", row.client_questions_json)
            .NullableText("site_url", row.site_url)
            .NullableText("pixel_id", row.pixel_id)
            .NullableText("utm_tag", row.utm_tag)
            .NullableText("lead_form_id", row.lead_form_id)
            .Time("updated_at", now);
        std::string replace;
        for (absl::string_view column :
             {"cities", "age_min", "age_max", "gender", "description", "client_question",
              "client_questions", "site_url", "pixel_id", "utm_tag", "lead_form_id",
              "updated_at"}) {
          absl::StrAppend(&replace, replace.empty() ? "" : ", ", column, " = excluded.", column);
        }
        // …and the ones only the first insert sets.
        values.Uuid("id", row.id.empty() ? NewUuid() : row.id)
            .Uuid("direction_id", row.direction_id)
            .Uuid("user_id", row.user_id)
            .Time("created_at", now);
        absl::StatusOr<long long> written = Execute(
            session,
            absl::StrCat(InsertSql("default_ad_settings", values),
                         " ON CONFLICT (direction_id) DO UPDATE SET ", replace),
            values);
        if (!written.ok()) return written.status();
        SqlParams params;
        params.Uuid("direction_id", row.direction_id);
        return ReadRow<AdSettings>(session, "default_ad_settings", "direction_id = :direction_id",
                                   params, &BindAdSettings, "ad settings of direction",
                                   row.direction_id);
      });
}

// ---- direction_tiktok_adgroups --------------------------------------------------------------

absl::StatusOr<TikTokAdGroup> DirectionRepository::AddAdGroup(const TikTokAdGroup& row,
                                                              absl::Time now) {
  return TransactFor<TikTokAdGroup>(
      database_, [&](soci::session& session) -> absl::StatusOr<TikTokAdGroup> {
        SqlParams direction;
        direction.Uuid("id", row.direction_id);
        absl::StatusOr<bool> exists =
            Exists(session, "SELECT 1 FROM account_directions WHERE id = :id", direction);
        if (!exists.ok()) return exists.status();
        if (!*exists) return NotFoundError(kEntity, row.direction_id);
        SqlParams params;
        params.Uuid("id", row.id.empty() ? NewUuid() : row.id)
            .Uuid("direction_id", row.direction_id)
            .Text("tiktok_adgroup_id", row.tiktok_adgroup_id)
            .NullableText("adgroup_name", row.adgroup_name)
            .NullableDouble("daily_budget", row.daily_budget)
            .NullableText("status", row.status)
            .Int("ads_count", row.ads_count)
            .NullableTime("last_used_at", row.last_used_at)
            .Time("linked_at", now)
            .Bool("is_active", row.is_active)
            .Time("created_at", now)
            .Time("updated_at", now);
        absl::StatusOr<long long> inserted = Execute(
            session,
            absl::StrCat(InsertSql("direction_tiktok_adgroups", params),
                         " ON CONFLICT (direction_id, tiktok_adgroup_id) DO NOTHING"),
            params);
        if (!inserted.ok()) return inserted.status();
        SqlParams key;
        key.Uuid("direction_id", row.direction_id).Text("tiktok_adgroup_id", row.tiktok_adgroup_id);
        return ReadRow<TikTokAdGroup>(
            session, "direction_tiktok_adgroups",
            "direction_id = :direction_id AND tiktok_adgroup_id = :tiktok_adgroup_id", key,
            &BindAdGroup, kAdGroupEntity, row.tiktok_adgroup_id);
      });
}

absl::StatusOr<std::vector<TikTokAdGroup>> DirectionRepository::ListAdGroups(
    const std::string& direction_id) {
  return RunFor<std::vector<TikTokAdGroup>>(database_, [&](soci::session& session) {
    SqlParams params;
    params.Uuid("direction_id", direction_id);
    return ReadRows<TikTokAdGroup>(session, "direction_tiktok_adgroups",
                                   "direction_id = :direction_id", params, &BindAdGroup,
                                   "ORDER BY linked_at, id");
  });
}

absl::StatusOr<TikTokAdGroup> DirectionRepository::UpdateAdGroup(const std::string& id,
                                                                 const TikTokAdGroupPatch& patch,
                                                                 absl::Time now) {
  return TransactFor<TikTokAdGroup>(
      database_, [&](soci::session& session) -> absl::StatusOr<TikTokAdGroup> {
        SqlParams params;
        if (patch.status) params.NullableText("status", *patch.status);
        if (patch.is_active) params.Bool("is_active", *patch.is_active);
        if (patch.daily_budget) params.NullableDouble("daily_budget", *patch.daily_budget);
        if (patch.adgroup_name) params.NullableText("adgroup_name", *patch.adgroup_name);
        if (patch.last_used_at) params.NullableTime("last_used_at", *patch.last_used_at);
        params.Time("updated_at", now);
        const std::string assignments = params.Assignments();
        params.Uuid("where_id", id);
        absl::StatusOr<long long> changed = Execute(
            session,
            absl::StrCat("UPDATE direction_tiktok_adgroups SET ", assignments,
                         " WHERE id = :where_id"),
            params);
        if (!changed.ok()) return changed.status();
        if (*changed == 0) return NotFoundError(kAdGroupEntity, id);
        return ReadAdGroup(session, id);
      });
}

absl::Status DirectionRepository::RemoveAdGroup(const std::string& id) {
  return database_.Run([&](soci::session& session) -> absl::Status {
    SqlParams params;
    params.Uuid("id", id);
    absl::StatusOr<long long> deleted =
        Execute(session, "DELETE FROM direction_tiktok_adgroups WHERE id = :id", params);
    if (!deleted.ok()) return deleted.status();
    if (*deleted == 0) return NotFoundError(kAdGroupEntity, id);
    return absl::OkStatus();
  });
}

absl::StatusOr<TikTokAdGroup> DirectionRepository::PickPoolAdGroup(
    const std::string& direction_id) {
  return RunFor<TikTokAdGroup>(
      database_, [&](soci::session& session) -> absl::StatusOr<TikTokAdGroup> {
        SqlParams params;
        params.Uuid("direction_id", direction_id).Int("max_ads", kMaxAdsPerPoolAdGroup);
        absl::StatusOr<TikTokAdGroup> picked =
            ReadRow<TikTokAdGroup>(session, "direction_tiktok_adgroups", kPoolCondition, params,
                                   &BindAdGroup, kAdGroupEntity, direction_id, kPoolOrder);
        if (picked.status().code() == absl::StatusCode::kNotFound) return NoPoolAdGroup();
        return picked;
      });
}

absl::StatusOr<TikTokAdGroup> DirectionRepository::ClaimPoolAdGroup(
    const std::string& direction_id, absl::Time now) {
  return TransactFor<TikTokAdGroup>(
      database_, [&](soci::session& session) -> absl::StatusOr<TikTokAdGroup> {
        // A concurrent claim may take our pick between the SELECT and the UPDATE (PostgreSQL
        // then re-checks the UPDATE's condition and changes nothing): pick again.
        for (int attempt = 0; attempt < 8; ++attempt) {
          SqlParams params;
          params.Uuid("direction_id", direction_id).Int("max_ads", kMaxAdsPerPoolAdGroup);
          absl::StatusOr<TikTokAdGroup> picked = ReadRow<TikTokAdGroup>(
              session, "direction_tiktok_adgroups", kPoolCondition, params, &BindAdGroup,
              kAdGroupEntity, direction_id, kPoolOrder);
          if (picked.status().code() == absl::StatusCode::kNotFound) return NoPoolAdGroup();
          if (!picked.ok()) return picked.status();
          SqlParams claim;
          claim.Text("status", "ENABLE").Time("last_used_at", now).Time("updated_at", now);
          const std::string assignments = claim.Assignments();
          claim.Uuid("where_id", picked->id).Int("max_ads", kMaxAdsPerPoolAdGroup);
          absl::StatusOr<long long> claimed = Execute(
              session,
              absl::StrCat("UPDATE direction_tiktok_adgroups SET ", assignments,
                           " WHERE id = :where_id AND is_active = TRUE AND status = 'DISABLE' "
                           "AND ads_count < :max_ads"),
              claim);
          if (!claimed.ok()) return claimed.status();
          if (*claimed == 1) return ReadAdGroup(session, picked->id);
        }
        return absl::AbortedError("ad group pool kept changing under concurrent claims; retry");
      });
}

absl::StatusOr<int> DirectionRepository::IncrementAdsCount(const std::string& id, int n,
                                                           absl::Time now) {
  // One UPDATE adds n whatever else runs; the transaction makes the count read back this call's.
  return TransactFor<int>(database_, [&](soci::session& session) -> absl::StatusOr<int> {
    SqlParams params;
    params.Int("n", n).Time("updated_at", now).Uuid("id", id);
    absl::StatusOr<long long> changed =
        Execute(session,
                "UPDATE direction_tiktok_adgroups SET ads_count = ads_count + :n, "
                "updated_at = :updated_at WHERE id = :id",
                params);
    if (!changed.ok()) return changed.status();
    if (*changed == 0) return NotFoundError(kAdGroupEntity, id);
    absl::StatusOr<TikTokAdGroup> row = ReadAdGroup(session, id);
    if (!row.ok()) return row.status();
    return row->ads_count;
  });
}

absl::StatusOr<int> DirectionRepository::SetCampaignStatusByTikTokId(const std::string& user_account_id,
                                                            const std::string& tiktok_campaign_id,
                                                            const std::string& campaign_status,
                                                            absl::Time now) {
  return RunFor<int>(database_, [&](soci::session& session) -> absl::StatusOr<int> {
    SqlParams params;
    params.Text("campaign_status", campaign_status).Time("updated_at", now);
    const std::string assignments = params.Assignments();
    params.Uuid("where_user_account_id", user_account_id)
        .Text("where_tiktok_campaign_id", tiktok_campaign_id);
    absl::StatusOr<long long> changed = Execute(
        session,
        absl::StrCat("UPDATE account_directions SET ", assignments,
                     " WHERE user_account_id = :where_user_account_id AND tiktok_campaign_id = "
                     ":where_tiktok_campaign_id"),
        params);
    if (!changed.ok()) return changed.status();
    return static_cast<int>(*changed);
  });
}

absl::StatusOr<int> DirectionRepository::SetAdGroupStatusByTikTokId(const std::string& user_account_id,
                                                           const std::string& tiktok_adgroup_id,
                                                           const std::string& status,
                                                           absl::Time now) {
  return RunFor<int>(database_, [&](soci::session& session) -> absl::StatusOr<int> {
    SqlParams params;
    params.Text("status", status).Time("updated_at", now);
    const std::string assignments = params.Assignments();
    params.Text("where_tiktok_adgroup_id", tiktok_adgroup_id)
        .Uuid("where_user_account_id", user_account_id);
    absl::StatusOr<long long> changed = Execute(
        session,
        absl::StrCat("UPDATE direction_tiktok_adgroups SET ", assignments,
                     " WHERE tiktok_adgroup_id = :where_tiktok_adgroup_id AND direction_id IN "
                     "(SELECT id FROM account_directions WHERE user_account_id = "
                     ":where_user_account_id)"),
        params);
    if (!changed.ok()) return changed.status();
    return static_cast<int>(*changed);
  });
}

}  // namespace ttads::storage
