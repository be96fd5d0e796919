-- What ttads adds for authentication, retries and accountability.

-- API keys bound to one user account. Only a SHA-256 hash of the secret is kept.
CREATE TABLE api_keys (
  id {{UUID}} PRIMARY KEY,
  user_account_id {{UUID}} NOT NULL REFERENCES user_accounts (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  -- The first characters of the key, shown in listings so an operator can tell keys apart.
  prefix TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  created_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}},
  last_used_at {{TIMESTAMPTZ}},
  revoked_at {{TIMESTAMPTZ}}
);
CREATE INDEX api_keys_user_idx ON api_keys (user_account_id);

-- One row per (caller, method, idempotency key): the request's fingerprint and, once done, the
-- response to replay. A row in state 'in_progress' older than its lease may be taken over.
CREATE TABLE idempotency_records (
  scope TEXT NOT NULL,
  method TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('in_progress', 'done')),
  -- Serialized response message (base64 of the protobuf bytes) once state = 'done'.
  response TEXT,
  lease_expires_at {{TIMESTAMPTZ}} NOT NULL,
  created_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}},
  updated_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}},
  PRIMARY KEY (scope, method, idempotency_key)
);

-- Every mutation that reached a core, who asked for it, and how it ended.
CREATE TABLE audit_log (
  id {{UUID}} PRIMARY KEY,
  actor TEXT NOT NULL,
  user_account_id {{UUID}},
  account_id {{UUID}},
  action TEXT NOT NULL,
  target_type TEXT,
  target_id TEXT,
  idempotency_key TEXT,
  outcome TEXT NOT NULL,
  details {{JSON}},
  created_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}}
);
CREATE INDEX audit_log_user_idx ON audit_log (user_account_id, created_at);

-- Nonces of signed OAuth states already exchanged, so a state works once.
CREATE TABLE oauth_state_uses (
  nonce TEXT PRIMARY KEY,
  user_account_id {{UUID}} NOT NULL,
  used_at {{TIMESTAMPTZ}} NOT NULL DEFAULT {{NOW}},
  expires_at {{TIMESTAMPTZ}} NOT NULL
);
