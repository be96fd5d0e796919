#include "storage/metrics_history_repository.h"

#include "absl/strings/str_cat.h"
#include "storage/sql_statement.h"
#include "storage/uuid.h"

namespace ttads::storage {
namespace {

// The key column a (user, account) pair is stored under: see 005_metrics_history.sql.
constexpr char kAccountKey[] = "COALESCE(account_id, user_account_id)";
constexpr char kRowConflict[] =
    " ON CONFLICT (user_account_id, (COALESCE(account_id, user_account_id)), platform, ad_id, "
    "date) DO UPDATE SET ";

// CAST: PostgreSQL's DATE reads back as YYYY-MM-DD text, the same as SQLite's TEXT column.
void BindRow(SqlColumns& columns, MetricsHistoryRow& row) {
  columns.Text("id", &row.id)
      .Text("user_account_id", &row.user_account_id)
      .Text("account_id", &row.account_id)
      .Text("user_creative_id", &row.user_creative_id)
      .Text("platform", &row.platform)
      .Text("source", &row.source)
      .Text("CAST(date AS TEXT)", &row.date)
      .Text("ad_id", &row.ad_id)
      .Text("adset_id", &row.adset_id)
      .Text("campaign_id", &row.campaign_id)
      .Int("impressions", &row.impressions)
      .Int("clicks", &row.clicks)
      .Double("spend", &row.spend)
      .Int("conversions", &row.conversions)
      .Int("leads", &row.leads)
      .Int("purchases", &row.purchases)
      .Double("purchase_value", &row.purchase_value)
      .Int("reach", &row.reach)
      .Int("video_views", &row.video_views)
      .Text("currency", &row.currency)
      .Text("advertiser_id", &row.advertiser_id)
      .Text("campaign_name", &row.campaign_name)
      .Text("adset_name", &row.adset_name)
      .Text("ad_name", &row.ad_name)
      .Text("objective_type", &row.objective_type)
      .Time("created_at", &row.created_at)
      .Time("updated_at", &row.updated_at);
}

// A strict YYYY-MM-DD that names a real day.
bool IsDay(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  absl::Time day;
  std::string error;
  return absl::ParseTime("%Y-%m-%d", text, absl::UTCTimeZone(), &day, &error) &&
         absl::FormatTime("%Y-%m-%d", day, absl::UTCTimeZone()) == text;
}

absl::Status CheckRange(const std::string& first, const std::string& last) {
  if (!IsDay(first) || !IsDay(last)) {
    return absl::InvalidArgumentError(
        absl::StrCat("metrics history range must be YYYY-MM-DD days, got '", first, "'..'", last,
                     "'"));
  }
  return absl::OkStatus();
}

// The scope's WHERE clause over `params`: user, account key, platform (and the date range).
std::string ScopeWhere(const MetricsScope& scope, SqlParams& params) {
  params.Uuid("user_account_id", scope.user_account_id)
      .Uuid("account_key", scope.account_id.value_or(scope.user_account_id))
      .Text("platform", scope.platform);
  return absl::StrCat("user_account_id = :user_account_id AND ", kAccountKey,
                      " = :account_key AND platform = :platform");
}

}  // namespace

absl::StatusOr<int> MetricsHistoryRepository::Upsert(const std::vector<MetricsHistoryRow>& rows,
                                                     absl::Time now) {
  for (const MetricsHistoryRow& row : rows) {
    if (row.ad_id.empty() || !IsDay(row.date)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "metrics history row needs an ad_id and a YYYY-MM-DD date, got ad_id '", row.ad_id,
          "' date '", row.date, "'"));
    }
  }
  if (rows.empty()) return 0;
  return TransactFor<int>(database_, [&](soci::session& session) -> absl::StatusOr<int> {
    int written = 0;
    for (const MetricsHistoryRow& row : rows) {
      SqlParams params;
      params.Uuid("id", row.id.empty() ? NewUuid() : row.id)
          .Uuid("user_account_id", row.user_account_id)
          .NullableUuid("account_id", row.account_id)
          .NullableUuid("user_creative_id", row.user_creative_id)
          .Text("platform", row.platform)
          .NullableText("source", row.source)
          .Text("date", row.date)
          .Text("ad_id", row.ad_id)
          .NullableText("adset_id", row.adset_id)
          .NullableText("campaign_id", row.campaign_id)
          .Int("impressions", row.impressions)
          .Int("clicks", row.clicks)
          .Double("spend", row.spend)
          .Int("conversions", row.conversions)
          .Int("leads", row.leads)
          .Int("purchases", row.purchases)
          .Double("purchase_value", row.purchase_value)
          .Int("reach", row.reach)
          .Int("video_views", row.video_views)
          .NullableText("currency", row.currency)
          .NullableText("advertiser_id", row.advertiser_id)
          .NullableText("campaign_name", row.campaign_name)
          .NullableText("adset_name", row.adset_name)
          .NullableText("ad_name", row.ad_name)
          .NullableText("objective_type", row.objective_type)
          .Time("created_at", now)
          .Time("updated_at", now);
      const auto keep = [](const char* column) {
        return absl::StrCat(column, " = COALESCE(excluded.", column, ", creative_metrics_history.",
                            column, ")");
      };
      const std::string update = absl::StrCat(
          "source = excluded.source, adset_id = excluded.adset_id, "
          "campaign_id = excluded.campaign_id, impressions = excluded.impressions, "
          "clicks = excluded.clicks, spend = excluded.spend, "
          "conversions = excluded.conversions, leads = excluded.leads, "
          "purchases = excluded.purchases, purchase_value = excluded.purchase_value, "
          "reach = excluded.reach, video_views = excluded.video_views, "
          "updated_at = excluded.updated_at, ",
          keep("user_creative_id"), ", ", keep("currency"), ", ", keep("advertiser_id"), ", ",
          keep("campaign_name"), ", ", keep("adset_name"), ", ", keep("ad_name"), ", ",
          keep("objective_type"));
      absl::StatusOr<long long> done = Execute(
          session,
          absl::StrCat(InsertSql("creative_metrics_history", params), kRowConflict, update),
          params);
      if (!done.ok()) return done.status();
      written += static_cast<int>(*done);
    }
    return written;
  });
}

absl::StatusOr<std::vector<MetricsHistoryRow>> MetricsHistoryRepository::List(
    const MetricsScope& scope, const std::string& first, const std::string& last) {
  if (absl::Status range = CheckRange(first, last); !range.ok()) return range;
  return RunFor<std::vector<MetricsHistoryRow>>(database_, [&](soci::session& session) {
    SqlParams params;
    std::string where = ScopeWhere(scope, params);
    params.Text("advertiser_id", scope.advertiser_id).Text("first", first).Text("last", last);
    absl::StrAppend(&where,
                    " AND (advertiser_id = :advertiser_id OR advertiser_id IS NULL)"
                    " AND date >= :first AND date <= :last");
    return ReadRows<MetricsHistoryRow>(session, "creative_metrics_history", where, params,
                                       &BindRow, "ORDER BY date, ad_id");
  });
}

absl::Status MetricsHistoryRepository::MarkDaysCovered(const MetricsScope& scope,
                                                       const std::vector<std::string>& dates,
                                                       absl::Time now) {
  for (const std::string& date : dates) {
    if (absl::Status day = CheckRange(date, date); !day.ok()) return day;
  }
  if (dates.empty()) return absl::OkStatus();
  return database_.Transact([&](soci::session& session) -> absl::Status {
    for (const std::string& date : dates) {
      SqlParams params;
      params.Uuid("user_account_id", scope.user_account_id)
          .NullableUuid("account_id", scope.account_id)
          .Text("platform", scope.platform)
          .Text("advertiser_id", scope.advertiser_id)
          .Text("date", date)
          .Time("fetched_at", now);
      absl::StatusOr<long long> done = Execute(
          session,
          absl::StrCat(InsertSql("metrics_history_days", params),
                       " ON CONFLICT (user_account_id, (COALESCE(account_id, user_account_id)), "
                       "platform, advertiser_id, date) DO UPDATE SET "
                       "fetched_at = excluded.fetched_at"),
          params);
      if (!done.ok()) return done.status();
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<std::string>> MetricsHistoryRepository::CoveredDays(
    const MetricsScope& scope, const std::string& first, const std::string& last) {
  if (absl::Status range = CheckRange(first, last); !range.ok()) return range;
  return RunFor<std::vector<std::string>>(
      database_, [&](soci::session& session) -> absl::StatusOr<std::vector<std::string>> {
        SqlParams params;
        std::string where = ScopeWhere(scope, params);
        params.Text("advertiser_id", scope.advertiser_id).Text("first", first).Text("last", last);
        std::string day;
        SqlColumns columns;
        columns.Text("CAST(date AS TEXT)", &day);
        std::vector<std::string> days;
        const absl::Status status = Query(
            session,
            absl::StrCat("SELECT ", columns.List(), " FROM metrics_history_days WHERE ", where,
                         " AND advertiser_id = :advertiser_id AND date >= :first AND "
                         "date <= :last ORDER BY date"),
            params, columns, [&] { days.push_back(day); });
        if (!status.ok()) return status;
        return days;
      });
}

absl::StatusOr<std::map<std::string, AdCreativeLink>> MetricsHistoryRepository::CreativeLinks(
    const std::string& user_account_id) {
  return RunFor<std::map<std::string, AdCreativeLink>>(
      database_,
      [&](soci::session& session) -> absl::StatusOr<std::map<std::string, AdCreativeLink>> {
        SqlParams params;
        params.Uuid("user_id", user_account_id);
        std::string ad_id;
        AdCreativeLink link;
        SqlColumns columns;
        columns.Text("ad_id", &ad_id)
            .Text("user_creative_id", &link.user_creative_id)
            .Text("direction_id", &link.direction_id);
        std::map<std::string, AdCreativeLink> links;
        const absl::Status status =
            Query(session,
                  absl::StrCat("SELECT ", columns.List(),
                               " FROM ad_creative_mapping WHERE user_id = :user_id AND "
                               "platform = 'tiktok'"),
                  params, columns, [&] { links[ad_id] = link; });
        if (!status.ok()) return status;
        return links;
      });
}

}  // namespace ttads::storage
