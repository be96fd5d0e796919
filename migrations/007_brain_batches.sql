-- The brain's scheduled batches. brain_batch_slots: one row per (slot, account) claimed by the
-- replica that runs it; the primary key makes the claim atomic (INSERT … ON CONFLICT DO NOTHING:
-- exactly one replica wins, on SQLite and PostgreSQL alike), unlike the old check-then-upsert
-- batch_locks (existing-system.md §8 bug 12). slot_key: 'daily:YYYY-MM-DD' (Asia/Almaty date,
-- legacy users) or 'hourly:YYYY-MM-DDTHH' (UTC hour); account_key: 'user:<user_accounts.id>'
-- (legacy) or 'account:<ad_accounts.id>'.
CREATE TABLE brain_batch_slots (
  slot_key TEXT NOT NULL,
  account_key TEXT NOT NULL,
  user_account_id {{UUID}} REFERENCES user_accounts (id) ON DELETE CASCADE,
  batch_id {{UUID}},
  claimed_by TEXT NOT NULL,
  claimed_at {{TIMESTAMPTZ}} NOT NULL,
  finished_at {{TIMESTAMPTZ}},
  -- NULL while running; then success | failed | skipped.
  outcome TEXT,
  execution_id {{UUID}},
  error TEXT,
  PRIMARY KEY (slot_key, account_key)
);

-- One row per batch a replica ran (scheduled or on an operator's request), with the outcome of
-- every account it claimed (summary_json: [{account_key, outcome, reason, execution_id, …}]).
CREATE TABLE brain_batches (
  id {{UUID}} PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('daily', 'hourly')),
  triggered_by TEXT NOT NULL DEFAULT 'scheduler',
  slot_key TEXT NOT NULL,
  instance_id TEXT NOT NULL,
  dry_run BOOLEAN NOT NULL DEFAULT FALSE,
  started_at {{TIMESTAMPTZ}} NOT NULL,
  finished_at {{TIMESTAMPTZ}},
  accounts_total INTEGER NOT NULL DEFAULT 0,
  succeeded INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  skipped INTEGER NOT NULL DEFAULT 0,
  summary_json TEXT
);
CREATE INDEX brain_batches_started_idx ON brain_batches (started_at, id);
