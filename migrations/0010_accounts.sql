-- Accounts and access: tokens of their own (many per user, each hashed, labelled, expiring, revocable),
-- disabled users, last use, and a failed-authentication counter for throttling.
--
-- user.token_hash (0001) stays as it is (SQLite cannot drop its NOT NULL without rebuilding a table that
-- every ledger row references) but is no longer read: authentication looks only at user_token. Rows
-- inserted the old way (the demo seed, older scripts) get their hash mirrored into user_token by the trigger
-- below; users created by the API or the CLI carry the placeholder 'none:<id>', which is never a hash.

ALTER TABLE user ADD COLUMN disabled_at TEXT;   -- set: every token of the user answers 401

CREATE TABLE user_token (
  id           TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL REFERENCES user(id),
  token_hash   TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),   -- hex SHA-256; the token is never stored
  label        TEXT NOT NULL DEFAULT '',
  created_at   TEXT NOT NULL,
  created_by   TEXT NOT NULL,                 -- a user id, or 'cli' / 'migration' / 'seed'
  expires_at   TEXT NOT NULL,
  revoked_at   TEXT,
  last_used_at TEXT,
  CHECK (expires_at > created_at)
);
CREATE INDEX user_token_user ON user_token(user_id);

-- Existing users keep their token, now with a 90-day expiry.
INSERT INTO user_token (id, user_id, token_hash, label, created_at, created_by, expires_at)
  SELECT 'tok_' || lower(hex(randomblob(8))), id, token_hash, 'initial',
         strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'migration', strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+90 days')
  FROM user WHERE length(token_hash) = 64;

CREATE TRIGGER user_token_from_legacy AFTER INSERT ON user WHEN length(NEW.token_hash) = 64
BEGIN
  INSERT INTO user_token (id, user_id, token_hash, label, created_at, created_by, expires_at)
  VALUES ('tok_' || lower(hex(randomblob(8))), NEW.id, NEW.token_hash, 'initial',
          strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'seed', strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+90 days'));
END;

-- The last enabled admin can be neither demoted nor disabled: nobody could manage access any more.
CREATE TRIGGER user_keep_an_admin BEFORE UPDATE OF role, disabled_at ON user
WHEN OLD.role = 'admin' AND OLD.disabled_at IS NULL AND (NEW.role <> 'admin' OR NEW.disabled_at IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM user WHERE role = 'admin' AND disabled_at IS NULL AND id <> OLD.id)
BEGIN
  SELECT RAISE(ABORT, 'last_admin');
END;

-- Failed authentication per client (IP address): counted in a 15-minute window, see worker/services/throttle.ts.
CREATE TABLE auth_failure (
  client   TEXT PRIMARY KEY,
  failures INTEGER NOT NULL CHECK (failures >= 0),
  first_at TEXT NOT NULL,
  last_at  TEXT NOT NULL
);
