-- The hand-off between the coordinator and the stations (docs/plans-and-transfers.md).

-- Why a transfer that was never approved ended: 'rejected' by a reviewer, or 'not_approved_at_commit' when its
-- plan was committed without it (it is closed then, so no proposal stays live after a commit).
ALTER TABLE transfer ADD COLUMN close_reason TEXT CHECK (close_reason IN ('rejected', 'not_approved_at_commit', 'cancelled'));

-- What each component tolerates in a transport box (docs/domain-facts.md: red cells and whole blood 2–10 °C,
-- platelets 20–24 °C, plasma and cryoprecipitate frozen, ≤ −18 °C). NULL: no bound on that side.
ALTER TABLE component ADD COLUMN transport_min_c REAL;
ALTER TABLE component ADD COLUMN transport_max_c REAL;
UPDATE component SET transport_min_c = 2,    transport_max_c = 10  WHERE code IN ('WB', 'RBC');
UPDATE component SET transport_min_c = 20,   transport_max_c = 24  WHERE code = 'PLT';
UPDATE component SET transport_min_c = NULL, transport_max_c = -18 WHERE code IN ('FFP', 'CRYO');

-- The transport record: one dispatch and one receipt per transfer (the primary key makes each once-only,
-- so a second dispatch or receipt fails its whole batch).
CREATE TABLE transport_record (
  transfer_id   TEXT NOT NULL REFERENCES transfer(id),
  kind          TEXT NOT NULL CHECK (kind IN ('dispatch', 'receipt')),
  temperature_c REAL NOT NULL CHECK (temperature_c BETWEEN -90 AND 60),
  packed_at     TEXT,                 -- dispatch: when the box was packed
  sealed_at     TEXT,                 -- dispatch: when it was sealed
  carrier       TEXT,                 -- dispatch: who carries it (driver, courier, vehicle)
  arrived_at    TEXT,                 -- receipt: when it arrived
  seal_intact   INTEGER CHECK (seal_intact IN (0, 1)),
  accepted_qty  INTEGER CHECK (accepted_qty >= 0),   -- receipt: units put into usable stock
  rejected_qty  INTEGER CHECK (rejected_qty >= 0),   -- receipt: units that arrived but were discarded
  reject_reason TEXT,
  in_range      INTEGER NOT NULL CHECK (in_range IN (0, 1)),  -- temperature within the component's transport range
  note          TEXT,
  actor_id      TEXT NOT NULL REFERENCES user(id),
  at            TEXT NOT NULL,
  PRIMARY KEY (transfer_id, kind)
);

-- The checks a commit makes inside its own batch. Each row is written after the ledger lines it checks, with
-- `have` read by a subquery as the statement runs; CHECK (have >= floor) then fails the whole batch if a donor
-- would go below the reserve its plan recorded ('floor'), or a request would be covered beyond what it asked
-- ('coverage'). D1 has no BEGIN/COMMIT: a failing constraint is what makes the batch all-or-nothing.
CREATE TABLE commit_check (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  batch_id    TEXT NOT NULL,
  transfer_id TEXT NOT NULL REFERENCES transfer(id),
  kind        TEXT NOT NULL CHECK (kind IN ('floor', 'coverage')),
  subject     TEXT NOT NULL,          -- floor: 'site|component|abo|rhd'; coverage: the request id
  have        INTEGER NOT NULL,
  floor       INTEGER NOT NULL,
  CONSTRAINT commit_check_holds CHECK (have >= floor)
);
CREATE INDEX commit_check_transfer ON commit_check(transfer_id);

-- The events feed (GET /api/events?since=): audit rows are the events; this index serves the cursor.
CREATE INDEX audit_entity_id ON audit_log(entity, id);
