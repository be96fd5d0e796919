-- creative_metrics_history as AnalyticsService.GetRoi and the brain's batch keep it
-- (storage/metrics_history_repository.h): one row per (user account, ad account, platform, ad,
-- day), plus which days of an advertiser were read from TikTok in full.
--
-- The table is rebuilt because 001's UNIQUE (platform, ad_id, date) made one ad's day a single
-- row across tenants: two ttads users connected to the same advertiser would overwrite each
-- other's rows. SQLite cannot drop a constraint, so the rebuild is the portable way. Nothing
-- references the table and no code wrote it before this migration.
CREATE TABLE creative_metrics_history_v2 (
  id {{UUID}} PRIMARY KEY,
  user_account_id {{UUID}} NOT NULL REFERENCES user_accounts (id) ON DELETE CASCADE,
  account_id {{UUID}} REFERENCES ad_accounts (id) ON DELETE CASCADE,
  user_creative_id {{UUID}} REFERENCES user_creatives (id) ON DELETE SET NULL,
  platform TEXT NOT NULL DEFAULT 'facebook',
  source TEXT,
  date {{DATE}} NOT NULL,
  ad_id TEXT NOT NULL,
  adset_id TEXT,
  campaign_id TEXT,
  impressions BIGINT NOT NULL DEFAULT 0,
  clicks BIGINT NOT NULL DEFAULT 0,
  spend NUMERIC(14, 2) NOT NULL DEFAULT 0,
  conversions BIGINT NOT NULL DEFAULT 0,
  leads BIGINT NOT NULL DEFAULT 0,
  purchases BIGINT NOT NULL DEFAULT 0,
  purchase_value NUMERIC(14, 2) NOT NULL DEFAULT 0,
  reach BIGINT NOT NULL DEFAULT 0,
  video_views BIGINT NOT NULL DEFAULT 0,
  currency TEXT,
  created_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}},
  updated_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}},
  -- New: the TikTok advertiser the row came from (credentials can be reconnected to another
  -- one), the names and the campaign objective the report sent (the ROI rows show the names;
  -- leads follow the objective).
  advertiser_id TEXT,
  campaign_name TEXT,
  adset_name TEXT,
  ad_name TEXT,
  objective_type TEXT
);
INSERT INTO creative_metrics_history_v2 (id, user_account_id, account_id, user_creative_id,
    platform, source, date, ad_id, adset_id, campaign_id, impressions, clicks, spend,
    conversions, leads, purchases, purchase_value, reach, video_views, currency, created_at,
    updated_at)
  SELECT id, user_account_id, account_id, user_creative_id, platform, source, date, ad_id,
    adset_id, campaign_id, impressions, clicks, spend, conversions, leads, purchases,
    purchase_value, reach, video_views, currency, created_at, updated_at
  FROM creative_metrics_history;
DROP TABLE creative_metrics_history;
ALTER TABLE creative_metrics_history_v2 RENAME TO creative_metrics_history;

-- The upsert key. account_id is NULL for legacy credentials, and NULLs never conflict, so the
-- key uses COALESCE(account_id, user_account_id): a user id never equals an ad account id.
CREATE UNIQUE INDEX creative_metrics_history_owner_key
  ON creative_metrics_history (user_account_id, (COALESCE(account_id, user_account_id)),
                               platform, ad_id, date);
CREATE INDEX creative_metrics_history_user_date_idx
  ON creative_metrics_history (user_account_id, platform, date);

-- Days of an advertiser whose ad-level daily report was read in full (every ad, every page):
-- a day without delivery has no metrics rows, so rows alone cannot tell "nothing happened"
-- from "never asked". Only finished days are recorded (today is still changing).
CREATE TABLE metrics_history_days (
  user_account_id {{UUID}} NOT NULL REFERENCES user_accounts (id) ON DELETE CASCADE,
  account_id {{UUID}} REFERENCES ad_accounts (id) ON DELETE CASCADE,
  platform TEXT NOT NULL,
  advertiser_id TEXT NOT NULL,
  date {{DATE}} NOT NULL,
  fetched_at {{TIMESTAMPTZ}} NOT NULL
);
CREATE UNIQUE INDEX metrics_history_days_key
  ON metrics_history_days (user_account_id, (COALESCE(account_id, user_account_id)), platform,
                           advertiser_id, date);
