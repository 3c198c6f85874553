-- Hospitals join (issue 23): a hospital's blood bank (输血科) holds stock of its own, so a hospital is a site
-- (kind 'hospital') that belongs to the station supplying it, as a storage point does, and keeps the same
-- ledger. Two roles are added: 'hospital' (a blood-bank user bound to one hospital) and 'feed' (a machine token
-- scoped to one site, for a hospital's or station's own information system).
--
-- SQLite cannot change a CHECK in place, so `site` and `user` are rebuilt. D1 runs a migration as one
-- transaction with foreign keys on: `defer_foreign_keys` lets the old table go while rows still point at it,
-- and the new table is created under the same name (not renamed into place) so that re-inserting its rows
-- settles every deferred reference before the commit.
PRAGMA defer_foreign_keys = on;

CREATE TABLE site_copy AS SELECT * FROM site;
DROP TABLE site;
CREATE TABLE site (
  id         TEXT PRIMARY KEY CHECK (id GLOB '[A-Z0-9]*' AND length(id) BETWEEN 2 AND 12),
  name_zh    TEXT NOT NULL,
  name_en    TEXT NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('center', 'station', 'storage', 'hospital')),
  province   TEXT NOT NULL,
  city       TEXT NOT NULL,
  lat        REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lng        REAL NOT NULL CHECK (lng BETWEEN -180 AND 180),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  external   INTEGER NOT NULL DEFAULT 0 CHECK (external IN (0, 1)),
  parent_id  TEXT REFERENCES site(id)
);
INSERT INTO site (id, name_zh, name_en, kind, province, city, lat, lng, created_at, updated_at, external, parent_id)
  SELECT id, name_zh, name_en, kind, province, city, lat, lng, created_at, updated_at, external, parent_id FROM site_copy;
DROP TABLE site_copy;
CREATE INDEX site_parent ON site(parent_id);
CREATE INDEX site_kind ON site(kind);

-- A storage point or a hospital belongs to a station or centre; stations and centres have no parent.
CREATE TRIGGER site_parent_insert BEFORE INSERT ON site
WHEN (NEW.kind IN ('storage', 'hospital')) <> (NEW.parent_id IS NOT NULL)
  OR (NEW.parent_id IS NOT NULL AND COALESCE((SELECT kind FROM site WHERE id = NEW.parent_id), 'storage') IN ('storage', 'hospital'))
BEGIN
  SELECT RAISE(ABORT, 'site_parent: a storage point or hospital belongs to a station or centre; other sites have no parent');
END;

CREATE TRIGGER site_parent_update BEFORE UPDATE OF kind, parent_id ON site
WHEN (NEW.kind IN ('storage', 'hospital')) <> (NEW.parent_id IS NOT NULL)
  OR (NEW.parent_id IS NOT NULL AND COALESCE((SELECT kind FROM site WHERE id = NEW.parent_id), 'storage') IN ('storage', 'hospital'))
  OR (NEW.kind IN ('storage', 'hospital') AND EXISTS (SELECT 1 FROM site WHERE parent_id = NEW.id))
BEGIN
  SELECT RAISE(ABORT, 'site_parent: a storage point or hospital belongs to a station or centre; other sites have no parent');
END;

-- Every hospital in a station's register is a site of the same id, placed at its station until its own
-- coordinates are entered (the register has none). Existing hospitals now, later ones by trigger.
INSERT INTO site (id, name_zh, name_en, kind, province, city, lat, lng, created_at, updated_at, external, parent_id)
  SELECT h.id, h.name_zh, CASE WHEN h.name_en = '' THEN h.name_zh ELSE h.name_en END, 'hospital', s.province, s.city,
         s.lat, s.lng, h.created_at, h.created_at, 0, s.id
  FROM hospital h JOIN site s ON s.id = h.site_id
  WHERE NOT EXISTS (SELECT 1 FROM site x WHERE x.id = h.id);

CREATE TRIGGER hospital_is_a_site AFTER INSERT ON hospital
WHEN NOT EXISTS (SELECT 1 FROM site WHERE id = NEW.id)
BEGIN
  INSERT INTO site (id, name_zh, name_en, kind, province, city, lat, lng, created_at, updated_at, external, parent_id)
  SELECT NEW.id, NEW.name_zh, CASE WHEN NEW.name_en = '' THEN NEW.name_zh ELSE NEW.name_en END, 'hospital',
         s.province, s.city, s.lat, s.lng, NEW.created_at, NEW.created_at, 0, s.id
  FROM site s WHERE s.id = NEW.site_id;
END;

CREATE TABLE user_copy AS SELECT * FROM user;
DROP TABLE user;
CREATE TABLE user (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  role        TEXT NOT NULL CHECK (role IN ('coordinator', 'director', 'planner', 'admin', 'hospital', 'feed')),
  site_id     TEXT REFERENCES site(id),
  token_hash  TEXT NOT NULL UNIQUE,          -- legacy (0010): authentication reads user_token
  created_at  TEXT NOT NULL,
  disabled_at TEXT,
  -- a director, a hospital blood bank and a machine feed each act for one site; the others for none
  CHECK ((role IN ('director', 'hospital', 'feed')) = (site_id IS NOT NULL))
);
INSERT INTO user (id, name, role, site_id, token_hash, created_at, disabled_at)
  SELECT id, name, role, site_id, token_hash, created_at, disabled_at FROM user_copy;
DROP TABLE user_copy;

-- A hospital user is bound to a hospital, a director to a station or centre (never to a hospital). An unknown
-- site is left to the foreign key.
CREATE TRIGGER user_site_kind BEFORE INSERT ON user
WHEN (NEW.role = 'hospital' AND (SELECT kind FROM site WHERE id = NEW.site_id) <> 'hospital')
  OR (NEW.role = 'director' AND (SELECT kind FROM site WHERE id = NEW.site_id) = 'hospital')
BEGIN
  SELECT RAISE(ABORT, 'user_site_kind: a hospital user belongs to a hospital, a director to a station');
END;

CREATE TRIGGER user_site_kind_update BEFORE UPDATE OF role, site_id ON user
WHEN (NEW.role = 'hospital' AND (SELECT kind FROM site WHERE id = NEW.site_id) <> 'hospital')
  OR (NEW.role = 'director' AND (SELECT kind FROM site WHERE id = NEW.site_id) = 'hospital')
BEGIN
  SELECT RAISE(ABORT, 'user_site_kind: a hospital user belongs to a hospital, a director to a station');
END;

-- Recreated with the table (0010): tokens of rows inserted the legacy way, and the last admin kept.
CREATE TRIGGER user_token_from_legacy AFTER INSERT ON user WHEN length(NEW.token_hash) = 64
BEGIN
  INSERT INTO user_token (id, user_id, token_hash, label, created_at, created_by, expires_at)
  VALUES ('tok_' || lower(hex(randomblob(8))), NEW.id, NEW.token_hash, 'initial',
          strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'seed', strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+90 days'));
END;

CREATE TRIGGER user_keep_an_admin BEFORE UPDATE OF role, disabled_at ON user
WHEN OLD.role = 'admin' AND OLD.disabled_at IS NULL AND (NEW.role <> 'admin' OR NEW.disabled_at IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM user WHERE role = 'admin' AND disabled_at IS NULL AND id <> OLD.id)
BEGIN
  SELECT RAISE(ABORT, 'last_admin');
END;

PRAGMA defer_foreign_keys = off;
