-- Foundation: sites, catalogue, lots, the stock ledger, warning policies, aid requests, users, audit.
-- Stock on hand lives in the append-only `movement` ledger; `lot.qty` is a cache that a trigger keeps
-- equal to SUM(movement.delta). Its CHECK (qty >= 0) is the guard that makes a whole db.batch() fail
-- (D1 has no BEGIN/COMMIT) when any line would take a lot below zero.

CREATE TABLE site (
  id         TEXT PRIMARY KEY CHECK (id GLOB '[A-Z0-9]*' AND length(id) BETWEEN 2 AND 12),
  name_zh    TEXT NOT NULL,
  name_en    TEXT NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('center', 'station', 'storage')),
  province   TEXT NOT NULL,
  city       TEXT NOT NULL,
  lat        REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lng        REAL NOT NULL CHECK (lng BETWEEN -180 AND 180),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- The component catalogue (reference data, see docs/domain-facts.md).
CREATE TABLE component (
  code                   TEXT PRIMARY KEY,
  name_zh                TEXT NOT NULL,
  name_en                TEXT NOT NULL,
  unit_zh                TEXT NOT NULL,
  unit_en                TEXT NOT NULL,
  ml_per_unit            INTEGER NOT NULL,
  shelf_life_hours       INTEGER NOT NULL,
  storage                TEXT NOT NULL,
  min_remaining_hours    INTEGER NOT NULL  -- life a unit must still have on arrival to be sent
);

INSERT INTO component VALUES
  ('WB',   '全血',         'Whole blood',            'U',     'U',                200, 35 * 24,  '2–6 °C',          72),
  ('RBC',  '悬浮红细胞',   'Red blood cells',        'U',     'U',                200, 35 * 24,  '2–6 °C',          72),
  ('PLT',  '单采血小板',   'Apheresis platelets',    '治疗量', 'therapeutic dose', 250, 5 * 24,   '20–24 °C, agitated', 12),
  ('FFP',  '新鲜冰冻血浆', 'Fresh frozen plasma',    '100 mL', '100 mL',           100, 365 * 24, '≤ −18 °C',       168),
  ('CRYO', '冷沉淀',       'Cryoprecipitate',        'U',     'U',                 25, 365 * 24, '≤ −18 °C',       168);

CREATE TABLE lot (
  id           TEXT PRIMARY KEY,
  site_id      TEXT NOT NULL REFERENCES site(id),
  component    TEXT NOT NULL REFERENCES component(code),
  abo          TEXT NOT NULL CHECK (abo IN ('O', 'A', 'B', 'AB')),
  rhd          TEXT NOT NULL CHECK (rhd IN ('+', '-')),
  antigens     TEXT NOT NULL DEFAULT '',   -- rare profile, comma-separated, e.g. 'Fy(a-),Jk(a-b-)'
  collected_at TEXT NOT NULL,
  expires_at   TEXT NOT NULL,
  qty          INTEGER NOT NULL DEFAULT 0 CHECK (qty >= 0),
  created_at   TEXT NOT NULL,
  CHECK (expires_at > collected_at)
);
CREATE INDEX lot_site ON lot(site_id, component, abo, rhd);
CREATE INDEX lot_expiry ON lot(expires_at);

-- A batch of movements written under one Idempotency-Key. Inserted first in every write batch:
-- a retry collides on the UNIQUE key and the whole batch is refused, so it is applied once.
CREATE TABLE movement_batch (
  id              TEXT PRIMARY KEY,
  actor_id        TEXT NOT NULL REFERENCES user(id),
  idempotency_key TEXT NOT NULL,
  request_hash    TEXT NOT NULL,
  source          TEXT NOT NULL CHECK (source IN ('api', 'csv', 'transfer', 'seed')),
  at              TEXT NOT NULL,
  UNIQUE (actor_id, idempotency_key)
);

-- The append-only stock ledger.
CREATE TABLE movement (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  batch_id   TEXT NOT NULL REFERENCES movement_batch(id),
  lot_id     TEXT NOT NULL REFERENCES lot(id),
  site_id    TEXT NOT NULL REFERENCES site(id),
  kind       TEXT NOT NULL CHECK (kind IN ('receipt', 'issue', 'discard', 'adjust', 'transfer_out', 'transfer_in')),
  delta      INTEGER NOT NULL CHECK (delta <> 0),
  reason     TEXT NOT NULL DEFAULT '',
  transfer_id TEXT,                         -- set for transfer_out / transfer_in
  actor_id   TEXT NOT NULL REFERENCES user(id),
  at         TEXT NOT NULL,
  -- the sign follows the kind; an adjustment (stock count) may go either way
  CHECK ((kind IN ('receipt', 'transfer_in') AND delta > 0)
      OR (kind IN ('issue', 'discard', 'transfer_out') AND delta < 0)
      OR kind = 'adjust')
);
CREATE INDEX movement_lot ON movement(lot_id);
CREATE INDEX movement_site_at ON movement(site_id, kind, at);
CREATE INDEX movement_batch_id ON movement(batch_id);

CREATE TRIGGER movement_applies AFTER INSERT ON movement
BEGIN
  UPDATE lot SET qty = qty + NEW.delta WHERE id = NEW.lot_id;
END;

CREATE TRIGGER movement_no_update BEFORE UPDATE ON movement
BEGIN
  SELECT RAISE(ABORT, 'ledger is append-only');
END;

CREATE TRIGGER movement_no_delete BEFORE DELETE ON movement
BEGIN
  SELECT RAISE(ABORT, 'ledger is append-only');
END;

-- Warning thresholds per province × component, in days of supply. Data, not code.
CREATE TABLE warning_policy (
  province         TEXT NOT NULL,
  component        TEXT NOT NULL REFERENCES component(code),
  yellow_days      REAL NOT NULL,
  orange_days      REAL NOT NULL,
  red_days         REAL NOT NULL,
  consecutive_days INTEGER NOT NULL DEFAULT 1 CHECK (consecutive_days >= 1),
  cut_yellow_pct   INTEGER NOT NULL DEFAULT 30,
  cut_orange_pct   INTEGER NOT NULL DEFAULT 50,
  cut_red_pct      INTEGER NOT NULL DEFAULT 70,
  updated_at       TEXT NOT NULL,
  PRIMARY KEY (province, component),
  CHECK (yellow_days > orange_days AND orange_days > red_days AND red_days > 0)
);

-- The current level of each site × component × group, and every change of it.
CREATE TABLE warning_state (
  site_id    TEXT NOT NULL REFERENCES site(id),
  component  TEXT NOT NULL REFERENCES component(code),
  abo        TEXT NOT NULL CHECK (abo IN ('O', 'A', 'B', 'AB', '*')),   -- '*': the component as a whole
  rhd        TEXT NOT NULL CHECK (rhd IN ('+', '-', '*')),
  level      TEXT NOT NULL CHECK (level IN ('normal', 'yellow', 'orange', 'red')),
  days_of_supply REAL,
  since      TEXT NOT NULL,
  PRIMARY KEY (site_id, component, abo, rhd)
);

CREATE TABLE warning_event (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  site_id    TEXT NOT NULL REFERENCES site(id),
  component  TEXT NOT NULL,
  abo        TEXT NOT NULL,
  rhd        TEXT NOT NULL,
  from_level TEXT,
  to_level   TEXT NOT NULL,
  days_of_supply REAL,
  at         TEXT NOT NULL
);
CREATE INDEX warning_event_at ON warning_event(at);

CREATE TABLE user (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  role       TEXT NOT NULL CHECK (role IN ('coordinator', 'director', 'planner', 'admin')),
  site_id    TEXT REFERENCES site(id),
  token_hash TEXT NOT NULL UNIQUE,          -- hex SHA-256 of the bearer token; the token is never stored
  created_at TEXT NOT NULL,
  CHECK ((role = 'director') = (site_id IS NOT NULL))
);

-- A station's request for inter-city aid (急需调剂).
CREATE TABLE aid_request (
  id                TEXT PRIMARY KEY,
  site_id           TEXT NOT NULL REFERENCES site(id),
  component         TEXT NOT NULL REFERENCES component(code),
  abo               TEXT NOT NULL CHECK (abo IN ('O', 'A', 'B', 'AB')),
  rhd               TEXT NOT NULL CHECK (rhd IN ('+', '-')),
  antigens          TEXT NOT NULL DEFAULT '',
  qty               INTEGER NOT NULL CHECK (qty > 0),
  fulfilled_qty     INTEGER NOT NULL DEFAULT 0 CHECK (fulfilled_qty >= 0),
  urgency           TEXT NOT NULL CHECK (urgency IN ('emergency', 'urgent', 'routine')),
  needed_by         TEXT,
  allow_rh_positive INTEGER NOT NULL DEFAULT 0 CHECK (allow_rh_positive IN (0, 1)),
  reason            TEXT NOT NULL,
  status            TEXT NOT NULL DEFAULT 'open'
                    CHECK (status IN ('open', 'planned', 'partly_fulfilled', 'fulfilled', 'cancelled')),
  created_by        TEXT NOT NULL REFERENCES user(id),
  idempotency_key   TEXT,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  UNIQUE (created_by, idempotency_key)
);
CREATE INDEX aid_request_status ON aid_request(status, urgency);

-- Who did what, when. Append-only like the ledger.
CREATE TABLE audit_log (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  actor_id TEXT NOT NULL,
  action   TEXT NOT NULL,          -- e.g. 'site.create', 'movement.batch', 'request.cancel', 'transfer.approve'
  entity   TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  detail   TEXT NOT NULL DEFAULT '{}',   -- JSON
  at       TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit_log(entity, entity_id);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit log is append-only');
END;

CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit log is append-only');
END;

-- Default policies from docs/domain-facts.md: red cells normal ≥ 7 d, yellow < 7, orange < 5, red < 3;
-- platelets much lower; frozen plasma and cryo keep a year, so their floors are longer. Chongqing declares
-- a level only after 3 consecutive days below it. Edit through PUT /api/warnings/policies.
INSERT INTO warning_policy (province, component, yellow_days, orange_days, red_days, consecutive_days, updated_at) VALUES
  ('Sichuan',   'RBC',  7, 5, 3, 1, '2026-01-01T00:00:00Z'),
  ('Sichuan',   'WB',   7, 5, 3, 1, '2026-01-01T00:00:00Z'),
  ('Sichuan',   'PLT',  3, 2, 1, 1, '2026-01-01T00:00:00Z'),
  ('Sichuan',   'FFP', 14, 10, 7, 1, '2026-01-01T00:00:00Z'),
  ('Sichuan',   'CRYO', 14, 10, 7, 1, '2026-01-01T00:00:00Z'),
  ('Chongqing', 'RBC',  7, 5, 3, 3, '2026-01-01T00:00:00Z'),
  ('Chongqing', 'WB',   7, 5, 3, 3, '2026-01-01T00:00:00Z'),
  ('Chongqing', 'PLT',  3, 2, 1, 3, '2026-01-01T00:00:00Z'),
  ('Chongqing', 'FFP', 14, 10, 7, 3, '2026-01-01T00:00:00Z'),
  ('Chongqing', 'CRYO', 14, 10, 7, 3, '2026-01-01T00:00:00Z');
