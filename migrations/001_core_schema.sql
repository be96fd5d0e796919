-- ttads core schema: the tables and columns of the system being replaced
-- (shared/reference/existing-system.md section 6 and the seed), with every column the code uses.
-- Dialect tokens, expanded by storage/migration_runner.cc:
--   {{UUID}} uuid | TEXT     {{TIMESTAMPTZ}} timestamptz | TEXT     {{JSON}} jsonb | TEXT
--   {{DATE}} date | TEXT     {{NOW}} now() | ISO-8601 UTC text with milliseconds
-- Timestamps written by ttads are ISO-8601 UTC ("2026-11-25T08:00:00.000Z").
-- updated_at is maintained by the repositories (no triggers, so both databases behave alike).

CREATE TABLE user_accounts (
  id {{UUID}} PRIMARY KEY,
  username TEXT,
  is_active BOOLEAN NOT NULL DEFAULT TRUE,
  optimization TEXT,
  multi_account_enabled BOOLEAN NOT NULL DEFAULT FALSE,
  -- TikTok credentials of the legacy (single-account) mode; the token is AES-256-GCM ciphertext.
  tiktok_access_token TEXT,
  tiktok_token_key_id TEXT,
  tiktok_business_id TEXT,
  tiktok_account_id TEXT,
  tiktok_needs_reauth BOOLEAN NOT NULL DEFAULT FALSE,
  tiktok_reauth_notified_at {{TIMESTAMPTZ}},
  autopilot_tiktok BOOLEAN NOT NULL DEFAULT FALSE,
  autopilot BOOLEAN NOT NULL DEFAULT FALSE,
  telegram_id TEXT,
  telegram_id_2 TEXT,
  telegram_id_3 TEXT,
  telegram_id_4 TEXT,
  telegram_bot_token TEXT,
  account_timezone TEXT,
  preferred_check_hour_local INTEGER,
  brain_schedule_hour INTEGER NOT NULL DEFAULT 8 CHECK (brain_schedule_hour BETWEEN 0 AND 23),
  brain_timezone TEXT NOT NULL DEFAULT 'Asia/Almaty',
  last_brain_batch_run_at {{TIMESTAMPTZ}},
  ad_account_id TEXT,
  prompt3 TEXT,
  created_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}},
  updated_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}}
);

CREATE TABLE ad_accounts (
  id {{UUID}} PRIMARY KEY,
  user_account_id {{UUID}} NOT NULL REFERENCES user_accounts (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  username TEXT,
  is_active BOOLEAN NOT NULL DEFAULT TRUE,
  tiktok_account_id TEXT,
  tiktok_business_id TEXT,
  tiktok_access_token TEXT,
  tiktok_token_key_id TEXT,
  tiktok_needs_reauth BOOLEAN NOT NULL DEFAULT FALSE,
  tiktok_reauth_notified_at {{TIMESTAMPTZ}},
  autopilot_tiktok BOOLEAN NOT NULL DEFAULT FALSE,
  brain_schedule_hour INTEGER NOT NULL DEFAULT 8 CHECK (brain_schedule_hour BETWEEN 0 AND 23),
  brain_timezone TEXT NOT NULL DEFAULT 'Asia/Almaty',
  last_brain_batch_run_at {{TIMESTAMPTZ}},
  brain_mode TEXT NOT NULL DEFAULT 'report' CHECK (brain_mode IN ('autopilot', 'report', 'semi_auto')),
  autopilot BOOLEAN NOT NULL DEFAULT FALSE,
  telegram_id TEXT,
  telegram_id_2 TEXT,
  telegram_id_3 TEXT,
  telegram_id_4 TEXT,
  access_token TEXT,
  ad_account_id TEXT,
  created_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}},
  updated_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}}
);
CREATE INDEX ad_accounts_user_account_id_idx ON ad_accounts (user_account_id);

CREATE TABLE whatsapp_phone_numbers (
  id {{UUID}} PRIMARY KEY,
  user_account_id {{UUID}} NOT NULL REFERENCES user_accounts (id) ON DELETE CASCADE,
  account_id {{UUID}} REFERENCES ad_accounts (id) ON DELETE CASCADE,
  phone_number TEXT NOT NULL,
  label TEXT,
  is_default BOOLEAN NOT NULL DEFAULT FALSE,
  is_active BOOLEAN NOT NULL DEFAULT TRUE,
  created_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}},
  updated_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}}
);

CREATE TABLE account_directions (
  id {{UUID}} PRIMARY KEY,
  user_account_id {{UUID}} NOT NULL REFERENCES user_accounts (id) ON DELETE CASCADE,
  account_id {{UUID}} REFERENCES ad_accounts (id) ON DELETE CASCADE,
  name TEXT NOT NULL CHECK (length(name) BETWEEN 2 AND 100),
  platform TEXT DEFAULT 'facebook' CHECK (platform IN ('facebook', 'tiktok')),
  objective TEXT NOT NULL CHECK (objective IN ('whatsapp', 'conversions', 'instagram_traffic',
    'instagram_dm', 'site_leads', 'lead_forms', 'app_installs')),
  conversion_channel TEXT,
  daily_budget_cents INTEGER NOT NULL DEFAULT 1000 CHECK (daily_budget_cents >= 500),
  target_cpl_cents INTEGER NOT NULL DEFAULT 50 CHECK (target_cpl_cents >= 1),
  is_active BOOLEAN NOT NULL DEFAULT TRUE,
  campaign_status TEXT DEFAULT 'PAUSED'
    CHECK (campaign_status IN ('ACTIVE', 'PAUSED', 'ARCHIVED', 'DELETED')),
  whatsapp_phone_number_id {{UUID}} REFERENCES whatsapp_phone_numbers (id) ON DELETE SET NULL,
  fb_campaign_id TEXT,
  tiktok_campaign_id TEXT,
  tiktok_pixel_id TEXT,
  tiktok_identity_id TEXT,
  tiktok_objective TEXT
    CHECK (tiktok_objective IN ('traffic', 'conversions', 'reach', 'video_views',
                                'lead_generation', 'whatsapp')),
  tiktok_daily_budget INTEGER,
  tiktok_target_cpl_kzt INTEGER,
  tiktok_target_cpl NUMERIC(10, 2),
  tiktok_adgroup_mode TEXT CHECK (tiktok_adgroup_mode IN ('use_existing', 'create_new')),
  tiktok_instant_page_id TEXT,
  optimization_level TEXT DEFAULT 'level_1',
  created_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}},
  updated_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}},
  CONSTRAINT unique_direction_name_per_user_platform UNIQUE (user_account_id, name, platform)
);
CREATE INDEX account_directions_user_idx ON account_directions (user_account_id, is_active);
CREATE INDEX account_directions_tiktok_campaign_idx ON account_directions (tiktok_campaign_id);

CREATE TABLE default_ad_settings (
  id {{UUID}} PRIMARY KEY,
  direction_id {{UUID}} NOT NULL UNIQUE REFERENCES account_directions (id) ON DELETE CASCADE,
  user_id {{UUID}} NOT NULL REFERENCES user_accounts (id) ON DELETE CASCADE,
  -- TikTok/Facebook city or region ids (JSON array of strings).
  cities {{JSON}},
  age_min INTEGER NOT NULL DEFAULT 18 CHECK (age_min BETWEEN 13 AND 100),
  age_max INTEGER NOT NULL DEFAULT 65 CHECK (age_max BETWEEN 13 AND 100),
  gender TEXT NOT NULL DEFAULT 'all' CHECK (gender IN ('all', 'male', 'female')),
  description TEXT,
  client_question TEXT,
  client_questions {{JSON}},
  site_url TEXT,
  pixel_id TEXT,
  utm_tag TEXT,
  lead_form_id TEXT,
  created_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}},
  updated_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}}
);

CREATE TABLE direction_tiktok_adgroups (
  id {{UUID}} PRIMARY KEY,
  direction_id {{UUID}} NOT NULL REFERENCES account_directions (id) ON DELETE CASCADE,
  tiktok_adgroup_id TEXT NOT NULL,
  adgroup_name TEXT,
  -- In the account's currency (KZT for the existing accounts).
  daily_budget NUMERIC(14, 2),
  status TEXT CHECK (status IN ('ENABLE', 'DISABLE', 'DELETE')),
  ads_count INTEGER NOT NULL DEFAULT 0 CHECK (ads_count >= 0),
  last_used_at {{TIMESTAMPTZ}},
  linked_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}},
  is_active BOOLEAN NOT NULL DEFAULT TRUE,
  created_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}},
  updated_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}},
  UNIQUE (direction_id, tiktok_adgroup_id)
);

CREATE TABLE user_creatives (
  id {{UUID}} PRIMARY KEY,
  user_id {{UUID}} NOT NULL REFERENCES user_accounts (id) ON DELETE CASCADE,
  account_id {{UUID}} REFERENCES ad_accounts (id) ON DELETE SET NULL,
  direction_id {{UUID}} REFERENCES account_directions (id) ON DELETE SET NULL,
  title TEXT NOT NULL,
  description TEXT,
  media_url TEXT,
  is_active BOOLEAN NOT NULL DEFAULT TRUE,
  status TEXT NOT NULL DEFAULT 'processing'
    CHECK (status IN ('processing', 'ready', 'failed', 'error')),
  media_type TEXT DEFAULT 'video' CHECK (media_type IN ('video', 'image', 'carousel')),
  image_url TEXT,
  thumbnail_url TEXT,
  carousel_data {{JSON}},
  tiktok_video_id TEXT,
  creative_group_id {{UUID}},
  source TEXT DEFAULT 'uploaded',
  tus_upload_id TEXT,
  file_hash TEXT,
  created_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}},
  updated_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}}
);
CREATE INDEX user_creatives_user_direction_idx ON user_creatives (user_id, direction_id);
CREATE INDEX user_creatives_tiktok_video_idx ON user_creatives (tiktok_video_id)
  WHERE tiktok_video_id IS NOT NULL;

CREATE TABLE ad_creative_mapping (
  id {{UUID}} PRIMARY KEY,
  ad_id TEXT NOT NULL UNIQUE,
  user_creative_id {{UUID}} NOT NULL REFERENCES user_creatives (id) ON DELETE CASCADE,
  direction_id {{UUID}} REFERENCES account_directions (id) ON DELETE SET NULL,
  user_id {{UUID}} NOT NULL REFERENCES user_accounts (id) ON DELETE CASCADE,
  account_id {{UUID}} REFERENCES ad_accounts (id) ON DELETE SET NULL,
  adset_id TEXT,
  campaign_id TEXT,
  -- For TikTok ads this holds the tiktok_video_id (the existing column name is kept).
  fb_creative_id TEXT,
  source TEXT,
  platform TEXT NOT NULL DEFAULT 'tiktok',
  created_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}}
);

CREATE TABLE campaign_reports (
  id {{UUID}} PRIMARY KEY,
  user_account_id {{UUID}} REFERENCES user_accounts (id) ON DELETE CASCADE,
  telegram_id TEXT NOT NULL DEFAULT '',
  report_data {{JSON}},
  account_id {{UUID}} REFERENCES ad_accounts (id) ON DELETE CASCADE,
  platform TEXT DEFAULT 'facebook',
  created_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}},
  updated_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}}
);
CREATE INDEX campaign_reports_platform_idx ON campaign_reports (platform);

CREATE TABLE brain_executions (
  id {{UUID}} PRIMARY KEY,
  user_account_id {{UUID}} REFERENCES user_accounts (id) ON DELETE CASCADE,
  account_id {{UUID}} REFERENCES ad_accounts (id) ON DELETE CASCADE,
  idempotency_key TEXT,
  plan_json {{JSON}},
  actions_json {{JSON}},
  executor_response_json {{JSON}},
  report_text TEXT,
  status TEXT,
  duration_ms INTEGER,
  platform TEXT DEFAULT 'facebook',
  execution_mode TEXT,
  actions_taken INTEGER NOT NULL DEFAULT 0,
  actions_failed INTEGER NOT NULL DEFAULT 0,
  -- ttads additions: how many TikTok calls the run spent, and why it failed or ran report-only.
  tiktok_calls INTEGER NOT NULL DEFAULT 0,
  error_json {{JSON}},
  created_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}}
);
CREATE INDEX brain_executions_account_idx ON brain_executions (user_account_id, platform, created_at);
CREATE UNIQUE INDEX brain_executions_idempotency_idx
  ON brain_executions (user_account_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE agent_executions (
  id {{UUID}} PRIMARY KEY,
  user_account_id {{UUID}} REFERENCES user_accounts (id) ON DELETE CASCADE,
  account_id {{UUID}} REFERENCES ad_accounts (id) ON DELETE CASCADE,
  ad_account_id TEXT,
  idempotency_key TEXT NOT NULL,
  source TEXT NOT NULL DEFAULT 'n8n',
  status TEXT NOT NULL DEFAULT 'running'
    CHECK (status IN ('running', 'success', 'failed', 'partial')),
  executed BOOLEAN NOT NULL DEFAULT FALSE,
  request_json {{JSON}},
  error_json {{JSON}},
  started_at {{TIMESTAMPTZ}},
  finished_at {{TIMESTAMPTZ}},
  created_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}}
);
CREATE UNIQUE INDEX agent_executions_idempotency_idx
  ON agent_executions (user_account_id, idempotency_key);

CREATE TABLE agent_actions (
  id {{UUID}} PRIMARY KEY,
  execution_id {{UUID}} NOT NULL REFERENCES agent_executions (id) ON DELETE CASCADE,
  action_idx INTEGER NOT NULL,
  type TEXT NOT NULL,
  params_json {{JSON}},
  status TEXT NOT NULL DEFAULT 'queued'
    CHECK (status IN ('queued', 'running', 'success', 'failed', 'skipped')),
  result_json {{JSON}},
  error_json {{JSON}},
  started_at {{TIMESTAMPTZ}},
  finished_at {{TIMESTAMPTZ}},
  created_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}},
  UNIQUE (execution_id, action_idx)
);

CREATE TABLE agent_logs (
  id {{UUID}} PRIMARY KEY,
  execution_id {{UUID}} NOT NULL REFERENCES agent_executions (id) ON DELETE CASCADE,
  step_idx INTEGER NOT NULL,
  step TEXT NOT NULL,
  input_json {{JSON}},
  output_json {{JSON}},
  created_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}}
);
CREATE INDEX agent_logs_execution_idx ON agent_logs (execution_id, step_idx);

-- Daily metrics per ad, filled by the brain's batch and the ROI analytics.
CREATE TABLE creative_metrics_history (
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
  UNIQUE (platform, ad_id, date)
);
CREATE INDEX creative_metrics_history_user_date_idx
  ON creative_metrics_history (user_account_id, platform, date);

CREATE TABLE currency_rates (
  id {{UUID}} PRIMARY KEY,
  from_currency VARCHAR(3) NOT NULL,
  to_currency VARCHAR(3) NOT NULL,
  rate NUMERIC(12, 4) NOT NULL CHECK (rate > 0),
  source VARCHAR(50) DEFAULT 'exchangerate-api',
  updated_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}},
  created_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}},
  UNIQUE (from_currency, to_currency)
);
INSERT INTO currency_rates (id, from_currency, to_currency, rate, source)
  VALUES ('6f1c1a52-3b0e-4c8e-9d43-5f0a0e2b9a01', 'USD', 'KZT', 530.0, 'default');

CREATE TABLE batch_locks (
  lock_key TEXT PRIMARY KEY,
  instance_id TEXT NOT NULL,
  expires_at {{TIMESTAMPTZ}} NOT NULL,
  created_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}},
  updated_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}}
);
CREATE INDEX batch_locks_expires_idx ON batch_locks (expires_at);
