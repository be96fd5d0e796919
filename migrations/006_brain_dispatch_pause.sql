-- The brain's runtime dispatch switch (BrainService.SetDispatchPause): a row pauses dispatch for
-- its scope, on every replica at once. scope: '*' (every account), 'account:<ad_accounts.id>'
-- or 'user:<user_accounts.id>' (a legacy account).
CREATE TABLE brain_dispatch_pauses (
  scope TEXT PRIMARY KEY,
  user_account_id {{UUID}} REFERENCES user_accounts (id) ON DELETE CASCADE,
  paused_by TEXT NOT NULL,
  reason TEXT,
  created_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}}
);
