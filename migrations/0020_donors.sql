-- The regional rare-donor pool (issue 13): typed donors shared by every station of Sichuan and Chongqing, the joint
-- deferral list, call-ups from an unmet need to a released unit, and rare-type screening. The app stores no direct
-- identifiers: a donor is a code; the station keeps name and phone in its own system.

-- Hours from calling a donor to a released unit at the collecting station: collection, testing, processing
-- (docs/domain-facts.md, "Calling a rare donor"). Data, not code.
ALTER TABLE component ADD COLUMN donor_ready_hours REAL;
UPDATE component SET donor_ready_hours = 10 WHERE code = 'WB';
UPDATE component SET donor_ready_hours = 12 WHERE code = 'RBC';
UPDATE component SET donor_ready_hours = 11 WHERE code = 'PLT';
UPDATE component SET donor_ready_hours = 14 WHERE code IN ('FFP', 'CRYO');

CREATE TABLE donor (
  code        TEXT PRIMARY KEY CHECK (code GLOB '[A-Z0-9]*-[A-Z0-9]*' AND length(code) BETWEEN 4 AND 32),
  site_id     TEXT NOT NULL REFERENCES site(id),      -- home station: its director edits the record
  abo         TEXT NOT NULL CHECK (abo IN ('O', 'A', 'B', 'AB')),
  rhd         TEXT NOT NULL CHECK (rhd IN ('+', '-')),
  antigens    TEXT NOT NULL DEFAULT '',               -- red-cell and HLA/HPA types, comma-separated: 'Fy(a-),Jk(a-b-)', 'HLA-A2,HPA-1a-'
  consent     INTEGER NOT NULL DEFAULT 1 CHECK (consent IN (0, 1)),   -- agrees to be called
  created_by  TEXT NOT NULL REFERENCES user(id),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX donor_site ON donor(site_id);

-- Donations by kind: eligibility is computed from these (GB 18467-2011 intervals). Kind 'WB' whole blood, 'PLT' apheresis platelets.
CREATE TABLE donor_donation (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  donor_code  TEXT NOT NULL REFERENCES donor(code),
  kind        TEXT NOT NULL CHECK (kind IN ('WB', 'PLT')),
  at          TEXT NOT NULL,
  callup_id   TEXT,                                   -- set when a call-up collected it
  UNIQUE (donor_code, kind, at)
);
CREATE INDEX donor_donation_donor ON donor_donation(donor_code, kind, at);

-- The joint deferral list (联合屏蔽): a deferral recorded at any station blocks a call-up everywhere. The code need
-- not be in the pool (stations load the lists they already keep); it blocks the donor as soon as they are.
CREATE TABLE donor_deferral (
  id          TEXT PRIMARY KEY,
  donor_code  TEXT NOT NULL CHECK (length(donor_code) BETWEEN 4 AND 32),
  site_id     TEXT NOT NULL REFERENCES site(id),      -- the station that recorded it
  reason      TEXT NOT NULL CHECK (reason IN ('medical', 'lab_result', 'medication', 'travel', 'behaviour', 'adverse_reaction', 'other')),
  from_at     TEXT NOT NULL,
  until_at    TEXT,                                   -- NULL: permanent
  note        TEXT NOT NULL DEFAULT '',
  created_by  TEXT NOT NULL REFERENCES user(id),
  created_at  TEXT NOT NULL,
  CHECK (until_at IS NULL OR until_at > from_at),
  UNIQUE (donor_code, site_id, reason, from_at)
);
CREATE INDEX donor_deferral_code ON donor_deferral(donor_code);

-- A call-up: one donor asked to give for one aid request.
CREATE TABLE callup (
  id           TEXT PRIMARY KEY,
  donor_code   TEXT NOT NULL REFERENCES donor(code),
  request_id   TEXT NOT NULL REFERENCES aid_request(id),
  site_id      TEXT NOT NULL REFERENCES site(id),     -- the collecting station (the donor's home station)
  component    TEXT NOT NULL REFERENCES component(code),
  status       TEXT NOT NULL DEFAULT 'asked' CHECK (status IN ('asked', 'scheduled', 'donated', 'released', 'declined', 'deferred')),
  scheduled_at TEXT,
  donated_at   TEXT,
  lot_id       TEXT REFERENCES lot(id),               -- the released unit
  note         TEXT NOT NULL DEFAULT '',
  created_by   TEXT NOT NULL REFERENCES user(id),
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);
CREATE INDEX callup_request ON callup(request_id);
CREATE INDEX callup_site ON callup(site_id, status);
-- one live call-up per donor at a time (declined, deferred and released ones are finished)
CREATE UNIQUE INDEX callup_live_donor ON callup(donor_code) WHERE status IN ('asked', 'scheduled', 'donated');

-- asked → scheduled → donated → released; asked or scheduled → declined; asked, scheduled or donated → deferred (on the day).
CREATE TRIGGER callup_status_guard BEFORE UPDATE OF status ON callup
WHEN NEW.status <> OLD.status AND NOT (
     (OLD.status = 'asked'     AND NEW.status IN ('scheduled', 'declined', 'deferred'))
  OR (OLD.status = 'scheduled' AND NEW.status IN ('donated', 'declined', 'deferred'))
  OR (OLD.status = 'donated'   AND NEW.status IN ('released', 'deferred')))
BEGIN
  SELECT RAISE(ABORT, 'illegal callup status change');
END;

-- A deferred donor is never called, nor collected: the joint list is checked inside the batch that writes.
CREATE TRIGGER callup_no_deferred_insert BEFORE INSERT ON callup
WHEN EXISTS (SELECT 1 FROM donor_deferral d WHERE d.donor_code = NEW.donor_code AND d.from_at <= NEW.created_at
             AND (d.until_at IS NULL OR d.until_at > NEW.created_at))
BEGIN
  SELECT RAISE(ABORT, 'donor_deferred');
END;
CREATE TRIGGER callup_no_deferred_progress BEFORE UPDATE OF status ON callup
WHEN NEW.status IN ('scheduled', 'donated') AND EXISTS (SELECT 1 FROM donor_deferral d WHERE d.donor_code = NEW.donor_code
             AND d.from_at <= NEW.updated_at AND (d.until_at IS NULL OR d.until_at > NEW.updated_at))
BEGIN
  SELECT RAISE(ABORT, 'donor_deferred');
END;
CREATE TRIGGER callup_no_consent BEFORE INSERT ON callup
WHEN (SELECT consent FROM donor WHERE code = NEW.donor_code) = 0
BEGIN
  SELECT RAISE(ABORT, 'donor_no_consent');
END;

-- Rare-type screening: how many donors a station screened for an antigen over a period, and how many it found.
CREATE TABLE donor_screening (
  id          TEXT PRIMARY KEY,
  site_id     TEXT NOT NULL REFERENCES site(id),
  antigen     TEXT NOT NULL CHECK (length(antigen) BETWEEN 2 AND 24),
  screened    INTEGER NOT NULL CHECK (screened > 0),
  found       INTEGER NOT NULL CHECK (found >= 0),
  period_from TEXT NOT NULL,
  period_to   TEXT NOT NULL,
  created_by  TEXT NOT NULL REFERENCES user(id),
  created_at  TEXT NOT NULL,
  CHECK (found <= screened AND period_to >= period_from),
  UNIQUE (site_id, antigen, period_from, period_to)
);
