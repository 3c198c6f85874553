-- The region as it really is (issue 12): road times between sites, and warning rules that act.

-- Road time by car between two sites, in hours, per direction (a pass may be slower one way, or closed in
-- winter: say so in `note`). The live planner passes these as the instance's travelHours; a pair absent here
-- falls back to the great-circle estimate (km × 1.3 ÷ 60 km/h) and the plan says so. Edited by admins
-- (PUT /api/road-times, CSV); every change is audited.
CREATE TABLE road_time (
  from_site  TEXT NOT NULL REFERENCES site(id),
  to_site    TEXT NOT NULL REFERENCES site(id),
  hours      REAL NOT NULL CHECK (hours > 0 AND hours <= 72),
  note       TEXT NOT NULL DEFAULT '',
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (from_site, to_site),
  CHECK (from_site <> to_site)
);
CREATE INDEX road_time_to ON road_time(to_site);

-- The national default policy (province '*'): a province without a policy of its own is judged by it, never
-- left silently normal. Same thresholds as the common pattern in docs/domain-facts.md; no consecutive-day rule.
INSERT INTO warning_policy (province, component, yellow_days, orange_days, red_days, consecutive_days, updated_at) VALUES
  ('*', 'RBC',  7, 5, 3, 1, '2026-12-01T00:00:00Z'),
  ('*', 'WB',   7, 5, 3, 1, '2026-12-01T00:00:00Z'),
  ('*', 'PLT',  3, 2, 1, 1, '2026-12-01T00:00:00Z'),
  ('*', 'FFP', 14, 10, 7, 1, '2026-12-01T00:00:00Z'),
  ('*', 'CRYO', 14, 10, 7, 1, '2026-12-01T00:00:00Z');

-- Routine-issue cuts at yellow / orange / red (warning_policy.cut_*_pct): an issue says how urgent it is (NULL:
-- recorded before this migration, counted as routine), and a routine issue beyond the day's cap carries the
-- reason it was allowed.
ALTER TABLE movement ADD COLUMN urgency TEXT CHECK (urgency IN ('emergency', 'urgent', 'routine'));
ALTER TABLE movement ADD COLUMN cap_reason TEXT;

-- Storage points (储血点) belong to a station: a storage point has a parent (a station or centre, never another
-- storage point); other sites have none. Moving units between a station and its storage points is a local
-- transfer (transfer.local = 1): written received at once, no plan, no coordinator.
ALTER TABLE site ADD COLUMN parent_id TEXT REFERENCES site(id);
CREATE INDEX site_parent ON site(parent_id);

CREATE TRIGGER site_parent_insert BEFORE INSERT ON site
WHEN (NEW.kind = 'storage') <> (NEW.parent_id IS NOT NULL)
  OR (NEW.parent_id IS NOT NULL AND COALESCE((SELECT kind FROM site WHERE id = NEW.parent_id), 'storage') = 'storage')
BEGIN
  SELECT RAISE(ABORT, 'site_parent: a storage point belongs to a station or centre; other sites have no parent');
END;

CREATE TRIGGER site_parent_update BEFORE UPDATE OF kind, parent_id ON site
WHEN (NEW.kind = 'storage') <> (NEW.parent_id IS NOT NULL)
  OR (NEW.parent_id IS NOT NULL AND COALESCE((SELECT kind FROM site WHERE id = NEW.parent_id), 'storage') = 'storage')
  OR (NEW.kind = 'storage' AND EXISTS (SELECT 1 FROM site WHERE parent_id = NEW.id))
BEGIN
  SELECT RAISE(ABORT, 'site_parent: a storage point belongs to a station or centre; other sites have no parent');
END;

ALTER TABLE transfer ADD COLUMN local INTEGER NOT NULL DEFAULT 0 CHECK (local IN (0, 1));

-- The hospitals a station supplies (Yibin's station supplies about 105). An issue names one; demand history by
-- hospital is the ledger's issues grouped by it.
CREATE TABLE hospital (
  id         TEXT PRIMARY KEY,
  site_id    TEXT NOT NULL REFERENCES site(id),
  name_zh    TEXT NOT NULL,
  name_en    TEXT NOT NULL DEFAULT '',
  county     TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  UNIQUE (site_id, name_zh)
);
ALTER TABLE movement ADD COLUMN hospital_id TEXT REFERENCES hospital(id);
CREATE INDEX movement_hospital ON movement(hospital_id, at);
