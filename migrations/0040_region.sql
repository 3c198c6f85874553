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
