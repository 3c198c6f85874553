-- Plans and the transfers they propose, reviewed one by one, then committed, dispatched and received.
-- Stock leaves the source lot at commit (ledger: transfer_out, so it is reserved and cannot be taken
-- twice) and arrives at receipt (ledger: transfer_in at the destination). "In transit" to a site is the
-- sum of its transfers in status committed or dispatched.

CREATE TABLE plan (
  id         TEXT PRIMARY KEY,
  created_by TEXT NOT NULL REFERENCES user(id),
  created_at TEXT NOT NULL,
  mode       TEXT NOT NULL DEFAULT 'routine' CHECK (mode IN ('routine', 'disaster')),
  status     TEXT NOT NULL DEFAULT 'review' CHECK (status IN ('review', 'committed', 'closed')),
  instance   TEXT NOT NULL,            -- JSON: the plan instance it was built from (docs/plan-instance.md)
  result     TEXT NOT NULL             -- JSON: the solver's result
);

CREATE TABLE transfer (
  id            TEXT PRIMARY KEY,
  plan_id       TEXT REFERENCES plan(id),
  from_site     TEXT NOT NULL REFERENCES site(id),
  to_site       TEXT NOT NULL REFERENCES site(id),
  component     TEXT NOT NULL REFERENCES component(code),
  abo           TEXT NOT NULL CHECK (abo IN ('O', 'A', 'B', 'AB')),
  rhd           TEXT NOT NULL CHECK (rhd IN ('+', '-')),
  proposed_qty  INTEGER NOT NULL CHECK (proposed_qty > 0),
  qty           INTEGER NOT NULL CHECK (qty > 0 AND qty <= proposed_qty),   -- may be lowered in review
  eta_hours     REAL NOT NULL,
  status        TEXT NOT NULL DEFAULT 'proposed'
                CHECK (status IN ('proposed', 'approved', 'rejected', 'committed', 'dispatched', 'received', 'cancelled')),
  received_qty  INTEGER CHECK (received_qty >= 0 AND received_qty <= qty),
  lost_qty      INTEGER CHECK (lost_qty >= 0),
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  CHECK (from_site <> to_site)
);
CREATE INDEX transfer_plan ON transfer(plan_id);
CREATE INDEX transfer_to ON transfer(to_site, status);

-- Which lots a transfer draws from (the planner's choice, re-checked at commit).
CREATE TABLE transfer_lot (
  transfer_id TEXT NOT NULL REFERENCES transfer(id),
  lot_id      TEXT NOT NULL REFERENCES lot(id),
  qty         INTEGER NOT NULL CHECK (qty > 0),
  PRIMARY KEY (transfer_id, lot_id)
);

-- Which aid requests a transfer serves, and with how many units.
CREATE TABLE transfer_request (
  transfer_id TEXT NOT NULL REFERENCES transfer(id),
  request_id  TEXT NOT NULL REFERENCES aid_request(id),
  qty         INTEGER NOT NULL CHECK (qty > 0),
  PRIMARY KEY (transfer_id, request_id)
);

-- The once-only guard of a commit: inserted first in the commit batch, so a second commit of the same
-- transfer fails the whole batch on the primary key, and a retry with the same key can be recognised.
CREATE TABLE transfer_commit (
  transfer_id     TEXT PRIMARY KEY REFERENCES transfer(id),
  idempotency_key TEXT NOT NULL,
  actor_id        TEXT NOT NULL REFERENCES user(id),
  at              TEXT NOT NULL
);

-- The only moves a transfer may make. Anything else aborts the batch it is in, so a rejected or
-- cancelled transfer can never be committed or dispatched later.
CREATE TRIGGER transfer_status_guard BEFORE UPDATE OF status ON transfer
WHEN NEW.status <> OLD.status AND NOT (
     (OLD.status = 'proposed'   AND NEW.status IN ('approved', 'rejected'))
  OR (OLD.status = 'approved'   AND NEW.status IN ('proposed', 'rejected', 'committed'))
  OR (OLD.status = 'committed'  AND NEW.status IN ('dispatched', 'cancelled'))
  OR (OLD.status = 'dispatched' AND NEW.status = 'received'))
BEGIN
  SELECT RAISE(ABORT, 'illegal transfer status change');
END;

-- Quantities are fixed once committed: the ledger already holds them.
CREATE TRIGGER transfer_qty_frozen BEFORE UPDATE OF qty ON transfer
WHEN NEW.qty <> OLD.qty AND OLD.status NOT IN ('proposed', 'approved')
BEGIN
  SELECT RAISE(ABORT, 'transfer quantity is fixed after commit');
END;
