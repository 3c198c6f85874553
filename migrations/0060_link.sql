-- The link between provincial systems (issue 24). Each province keeps its own D1 database; a D1 batch cannot
-- span two, so a message to another province is written in the sender's own batch, beside the change it
-- announces (the outbox), and delivered until the receiver acknowledges it. The receiver applies a message in
-- one batch that also inserts its id into the inbox: the PRIMARY KEY makes a replay fail that batch, so a
-- message is applied once however often it arrives.

CREATE TABLE link_outbox (
  id              TEXT PRIMARY KEY,           -- globally unique: 'lnk_' + 16 hex, minted by the sender
  to_province     TEXT NOT NULL,
  kind            TEXT NOT NULL,              -- e.g. 'aid.request', 'donor.deferral' (worker/link/handlers.ts)
  body            TEXT NOT NULL,              -- JSON, validated by the receiver against the kind's schema
  created_at      TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  last_attempt_at TEXT,
  last_error      TEXT,                       -- why the last attempt failed (unreachable, 5xx, …)
  delivered_at    TEXT,                       -- set once the receiver answered applied, replay or rejected
  outcome         TEXT CHECK (outcome IN ('applied', 'replay', 'rejected')),
  CHECK ((delivered_at IS NULL) = (outcome IS NULL))
);
CREATE INDEX link_outbox_pending ON link_outbox(to_province, delivered_at, created_at);

CREATE TABLE link_inbox (
  id            TEXT PRIMARY KEY,             -- the sender's message id: a replay collides here
  from_province TEXT NOT NULL,
  kind          TEXT NOT NULL,
  body          TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('applied', 'rejected')),
  error         TEXT,                         -- a rejected message is kept with why, shown to both sides' admins
  received_at   TEXT NOT NULL,
  CHECK ((status = 'rejected') = (error IS NOT NULL))
);
CREATE INDEX link_inbox_status ON link_inbox(status, received_at);
