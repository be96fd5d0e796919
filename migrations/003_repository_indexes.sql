-- Indexes for queries the storage repositories run that 001/002 do not cover.

-- DirectionRepository::SetAdGroupStatusByTikTokId finds links by the TikTok id alone; the
-- UNIQUE (direction_id, tiktok_adgroup_id) index leads with direction_id.
CREATE INDEX direction_tiktok_adgroups_tiktok_adgroup_idx
  ON direction_tiktok_adgroups (tiktok_adgroup_id);

-- CreativeRepository::List and ListTikTokEligible: a user's creatives newest first, paged by
-- (created_at, id).
CREATE INDEX user_creatives_user_created_idx ON user_creatives (user_id, created_at, id);

-- OAuthStateRepository::PurgeExpired.
CREATE INDEX oauth_state_uses_expires_idx ON oauth_state_uses (expires_at);

-- IdempotencyRepository::DeleteOlderThan.
CREATE INDEX idempotency_records_updated_idx ON idempotency_records (updated_at);
