-- The donor side of the link between provincial systems (issue 24, docs/donors.md "Across the link").
--
-- 1. The joint deferral list spans both provinces: a deferral recorded in one is sent to every linked province and
--    recorded there too. Its recording station is not a site of the receiver's database, and its recorder not a
--    user there, so such a row has no site_id and no created_by; it names instead the province it came from, its id
--    there (UNIQUE: the same deferral is recorded once), and the recording station's id and names there.
--    SQLite cannot relax NOT NULL in place, so the table is rebuilt (as 0057 rebuilt `site`: created under the same
--    name, not renamed into place, so the callup triggers that read donor_deferral keep reading it).
PRAGMA defer_foreign_keys = on;

CREATE TABLE donor_deferral_copy AS SELECT * FROM donor_deferral;
DROP TABLE donor_deferral;
CREATE TABLE donor_deferral (
  id                    TEXT PRIMARY KEY,
  donor_code            TEXT NOT NULL CHECK (length(donor_code) BETWEEN 4 AND 32),
  site_id               TEXT REFERENCES site(id),        -- the station that recorded it here; NULL when received over the link
  reason                TEXT NOT NULL CHECK (reason IN ('medical', 'lab_result', 'medication', 'travel', 'behaviour', 'adverse_reaction', 'other')),
  from_at               TEXT NOT NULL,
  until_at              TEXT,                            -- NULL: permanent
  note                  TEXT NOT NULL DEFAULT '',
  created_by            TEXT REFERENCES user(id),        -- NULL when received over the link
  created_at            TEXT NOT NULL,
  from_province         TEXT,                            -- the province that recorded it, when received over the link
  source_id             TEXT,                            -- its id in that province
  source_site           TEXT,                            -- the recording station's id there
  source_site_name_zh   TEXT,
  source_site_name_en   TEXT,
  CHECK (until_at IS NULL OR until_at > from_at),
  -- recorded here (a station and a user of this database) or received (a province, its id and station): never both, never neither
  CHECK ((from_province IS NULL) = (site_id IS NOT NULL)),
  CHECK ((from_province IS NULL) = (created_by IS NOT NULL)),
  CHECK ((from_province IS NULL) = (source_id IS NULL)),
  CHECK ((from_province IS NULL) = (source_site IS NULL)),
  UNIQUE (donor_code, site_id, reason, from_at),
  UNIQUE (from_province, source_id)
);
INSERT INTO donor_deferral (id, donor_code, site_id, reason, from_at, until_at, note, created_by, created_at)
  SELECT id, donor_code, site_id, reason, from_at, until_at, note, created_by, created_at FROM donor_deferral_copy;
DROP TABLE donor_deferral_copy;
CREATE INDEX donor_deferral_code ON donor_deferral(donor_code);

-- 2. Call-ups of the other province's donors go through that province: a request for named donors travels there
--    ('callup.request'), its coordinator issues the call-up in its own system or declines, and the outcome travels
--    back ('callup.outcome'). Both sides keep the request under the same id: 'out' in the asking province, 'in' in
--    the donors' province.
CREATE TABLE callup_link (
  id              TEXT NOT NULL,                       -- 'clk_' + 16 hex, minted by the asking province
  direction       TEXT NOT NULL CHECK (direction IN ('out', 'in')),
  peer_province   TEXT NOT NULL,                       -- the donors' province ('out') or the asking one ('in')
  request_id      TEXT NOT NULL,                       -- the aid request in the asking province
  request_site    TEXT NOT NULL,                       -- its station there (id) and names
  request_site_zh TEXT NOT NULL,
  request_site_en TEXT NOT NULL,
  component       TEXT NOT NULL REFERENCES component(code),
  abo             TEXT NOT NULL CHECK (abo IN ('O', 'A', 'B', 'AB')),
  rhd             TEXT NOT NULL CHECK (rhd IN ('+', '-')),
  antigens        TEXT NOT NULL DEFAULT '',
  urgency         TEXT NOT NULL CHECK (urgency IN ('emergency', 'urgent', 'routine')),
  needed_by       TEXT,
  donor_codes     TEXT NOT NULL CHECK (json_valid(donor_codes) AND json_array_length(donor_codes) BETWEEN 1 AND 20),
  note            TEXT NOT NULL DEFAULT '',
  asked_by        TEXT NOT NULL,                       -- the asking coordinator's name (a user of the asking province)
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'issued', 'declined')),
  local_request   TEXT REFERENCES aid_request(id),     -- 'in', issued: the aid request recorded here for the call-ups
  callups         TEXT CHECK (callups IS NULL OR json_valid(callups)),   -- issued: [{donorCode, callupId}]
  decided_by      TEXT,                                -- the deciding coordinator's name
  decided_at      TEXT,
  decision_note   TEXT NOT NULL DEFAULT '',
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  CHECK ((status = 'pending') = (decided_at IS NULL)),
  CHECK (status = 'issued' OR local_request IS NULL),
  -- the same request is 'out' in one database and 'in' in the other (both in one database only in tests)
  PRIMARY KEY (id, direction)
);
CREATE INDEX callup_link_status ON callup_link(direction, status, created_at);

-- decided once: pending → issued or declined
CREATE TRIGGER callup_link_decided_once BEFORE UPDATE OF status ON callup_link
WHEN OLD.status <> 'pending' OR NEW.status = 'pending'
BEGIN
  SELECT RAISE(ABORT, 'callup_link_decided');
END;
