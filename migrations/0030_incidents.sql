-- Incidents (docs/incidents.md): an emergency declared by a coordinator, its demand estimate, where the blood goes,
-- and the green channel. The estimate's needs become aid requests linked to the incident when it is planned, so
-- the whole hand-off (review, commit with floor checks, dispatch, receipt, events) works unchanged.

-- Planning factors per triage category and component: the share of casualties transfused and the units each
-- transfused casualty needs (in the region's units: RBC/WB U from 200 mL, FFP 100 mL, PLT therapeutic doses,
-- CRYO U). Data, not code; each row names its source (docs/domain-facts.md, "Incident planning factors").
CREATE TABLE planning_factor (
  category          TEXT NOT NULL CHECK (category IN ('critical', 'severe', 'moderate')),
  component         TEXT NOT NULL REFERENCES component(code),
  share_transfused  REAL NOT NULL CHECK (share_transfused BETWEEN 0 AND 1),
  units_per_patient REAL NOT NULL CHECK (units_per_patient >= 0),
  source            TEXT NOT NULL,
  PRIMARY KEY (category, component)
);

-- What each triage category's needs are in the planner: their urgency and how soon the region must deliver.
CREATE TABLE triage_category (
  category       TEXT PRIMARY KEY CHECK (category IN ('critical', 'severe', 'moderate')),
  urgency        TEXT NOT NULL CHECK (urgency IN ('emergency', 'urgent', 'routine')),
  deadline_hours REAL NOT NULL CHECK (deadline_hours > 0),
  source         TEXT NOT NULL
);

-- The region's ABO/RhD shares, used to split an estimate (or a quota) by group.
CREATE TABLE group_share (
  abo    TEXT NOT NULL CHECK (abo IN ('O', 'A', 'B', 'AB')),
  rhd    TEXT NOT NULL CHECK (rhd IN ('+', '-')),
  share  REAL NOT NULL CHECK (share BETWEEN 0 AND 1),
  source TEXT NOT NULL,
  PRIMARY KEY (abo, rhd)
);

INSERT INTO planning_factor (category, component, share_transfused, units_per_patient, source) VALUES
  ('critical', 'RBC',  0.75, 20,  'Ramsey, Vox Sang 2017;112:648 & 2023;118:358; Beekley, J Trauma 2009;66:S129 (10 US U ≈ 20 U of 200 mL)'),
  ('critical', 'FFP',  0.75, 25,  'Holcomb (PROPPR), JAMA 2015;313:471: plasma 1:1 with red cells (10 US U × 250 mL)'),
  ('critical', 'PLT',  0.75, 1.5, 'Holcomb (PROPPR) 1:1:1 (one apheresis dose per 6 red-cell US U); Ramsey 2023 trauma centres 0.5 dose/admission'),
  ('critical', 'CRYO', 0.75, 20,  'Nascimento, U Toronto 2012: trauma dose 8.7 ≈ 10 US U (≈ 20 U of 200 mL)'),
  ('severe',   'RBC',  0.30, 8,   'Beekley, J Trauma 2009;66:S129 (22 % of casualties transfused); Ramsey 2023 event-wide 1.8–3 RBC/admission'),
  ('severe',   'FFP',  0.30, 5,   'Ramsey, Vox Sang 2023;118:358: event-wide plasma/RBC 1:3 (2 US U × 250 mL)'),
  ('severe',   'PLT',  0.30, 0.2, 'Ramsey, Vox Sang 2023;118:358: event-wide 0.14–0.25 platelet dose/admission'),
  ('severe',   'CRYO', 0.30, 0,   'Nascimento 2012: cryoprecipitate goes to massive transfusion only'),
  ('moderate', 'RBC',  0.05, 4,   'Soffer, Arch Surg 2008;143:983: 0.7 RBC US U per evacuated casualty in small events'),
  ('moderate', 'FFP',  0.05, 0,   'Ramsey 2023: plasma follows massive transfusion'),
  ('moderate', 'PLT',  0.05, 0,   'Ramsey 2023: platelets follow massive transfusion'),
  ('moderate', 'CRYO', 0.05, 0,   'Nascimento 2012: cryoprecipitate goes to massive transfusion only');

INSERT INTO triage_category (category, urgency, deadline_hours, source) VALUES
  ('critical', 'emergency', 6,  'Soffer 2008: half the red cells within 2 h (from the receiving hospital''s own stock); the region resupplies within 6 h'),
  ('severe',   'urgent',    24, 'Ramsey, Vox Sang 2017;112:648: 67–84 % of components given in the first 24 h'),
  ('moderate', 'routine',   72, 'Ramsey, Vox Sang 2023;118:358: after day 1, red-cell use is half of day 1''s');

INSERT INTO group_share (abo, rhd, share, source) VALUES
  ('O',  '+', 0.342 * 0.9965, 'China, 23 million records: O 34.2 %, A 28.7 %, B 28.2 %, AB 8.9 %; RhD− 0.35 % (Han)'),
  ('O',  '-', 0.342 * 0.0035, 'as above'),
  ('A',  '+', 0.287 * 0.9965, 'as above'),
  ('A',  '-', 0.287 * 0.0035, 'as above'),
  ('B',  '+', 0.282 * 0.9965, 'as above'),
  ('B',  '-', 0.282 * 0.0035, 'as above'),
  ('AB', '+', 0.089 * 0.9965, 'as above'),
  ('AB', '-', 0.089 * 0.0035, 'as above');

-- A destination outside the region (another province's blood centre) is a site that stores nothing and takes
-- delivery of transfers; external = 1 keeps it apart from the region's stations.
ALTER TABLE site ADD COLUMN external INTEGER NOT NULL DEFAULT 0 CHECK (external IN (0, 1));

CREATE TABLE incident (
  id               TEXT PRIMARY KEY,
  name             TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  lat              REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lng              REAL NOT NULL CHECK (lng BETWEEN -180 AND 180),
  site_id          TEXT REFERENCES site(id),            -- when declared at a site
  occurred_at      TEXT NOT NULL,
  duration_hours   REAL CHECK (duration_hours > 0),
  critical         INTEGER NOT NULL DEFAULT 0 CHECK (critical >= 0),
  severe           INTEGER NOT NULL DEFAULT 0 CHECK (severe >= 0),
  moderate         INTEGER NOT NULL DEFAULT 0 CHECK (moderate >= 0),
  estimate_source  TEXT NOT NULL CHECK (estimate_source IN ('casualties', 'needs', 'edited')),
  status           TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
  green_channel    INTEGER NOT NULL DEFAULT 0 CHECK (green_channel IN (0, 1)),
  green_channel_at TEXT,
  created_by       TEXT NOT NULL REFERENCES user(id),
  idempotency_key  TEXT,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  closed_at        TEXT,
  UNIQUE (created_by, idempotency_key)
);
CREATE INDEX incident_status ON incident(status, occurred_at);

-- Where the blood goes: receiving points (region stations), and external destinations with a quota to be shared
-- among the region's stations.
CREATE TABLE incident_point (
  incident_id     TEXT NOT NULL REFERENCES incident(id),
  site_id         TEXT NOT NULL REFERENCES site(id),
  rank            INTEGER NOT NULL,
  road_hours      REAL,
  quota_component TEXT REFERENCES component(code),
  quota_units     INTEGER CHECK (quota_units > 0),
  quota_ml        INTEGER CHECK (quota_ml > 0),
  PRIMARY KEY (incident_id, site_id),
  CHECK ((quota_units IS NULL) = (quota_component IS NULL))
);

-- The estimate: units per receiving point × component × group × urgency, with a deadline. Follows the casualties
-- (PATCH) or is edited by the coordinator; materialised as aid requests when the incident is planned.
CREATE TABLE incident_need (
  incident_id TEXT NOT NULL REFERENCES incident(id),
  site_id     TEXT NOT NULL REFERENCES site(id),
  component   TEXT NOT NULL REFERENCES component(code),
  abo         TEXT NOT NULL CHECK (abo IN ('O', 'A', 'B', 'AB')),
  rhd         TEXT NOT NULL CHECK (rhd IN ('+', '-')),
  urgency     TEXT NOT NULL CHECK (urgency IN ('emergency', 'urgent', 'routine')),
  qty         INTEGER NOT NULL CHECK (qty > 0),
  needed_by   TEXT NOT NULL,
  category    TEXT NOT NULL CHECK (category IN ('critical', 'severe', 'moderate', 'direct', 'quota')),
  PRIMARY KEY (incident_id, site_id, component, abo, rhd, urgency)
);

ALTER TABLE aid_request ADD COLUMN incident_id TEXT REFERENCES incident(id);
CREATE INDEX aid_request_incident ON aid_request(incident_id);
ALTER TABLE plan ADD COLUMN incident_id TEXT REFERENCES incident(id);

-- A closed incident is history: nothing about it changes, no estimate line or request is added to it. These
-- triggers are the guards that fail a whole batch (D1 has no BEGIN/COMMIT) when the incident was closed meanwhile.
CREATE TRIGGER incident_closed_frozen BEFORE UPDATE ON incident
WHEN OLD.status = 'closed'
BEGIN
  SELECT RAISE(ABORT, 'incident is closed');
END;

CREATE TRIGGER incident_need_active BEFORE INSERT ON incident_need
WHEN (SELECT status FROM incident WHERE id = NEW.incident_id) <> 'active'
BEGIN
  SELECT RAISE(ABORT, 'incident is closed');
END;

CREATE TRIGGER aid_request_incident_active BEFORE INSERT ON aid_request
WHEN NEW.incident_id IS NOT NULL AND (SELECT status FROM incident WHERE id = NEW.incident_id) <> 'active'
BEGIN
  SELECT RAISE(ABORT, 'incident is closed');
END;
