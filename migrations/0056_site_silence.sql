-- Issue 25: which stations have gone quiet. A mountain station or storage point can lose the network for hours;
-- the coordinator must see how old each station's figures are. The limit is data, per site kind, editable by a
-- coordinator or admin (PUT /api/site-contact/limits/{kind}). Defaults: stations and centres count and report
-- every day, so 24 h without a word is silent; a county storage point reports less often (48 h).
CREATE TABLE silence_limit (
  kind       TEXT PRIMARY KEY CHECK (kind IN ('center', 'station', 'storage')),
  hours      REAL NOT NULL CHECK (hours > 0 AND hours <= 720),
  updated_at TEXT NOT NULL
);
INSERT INTO silence_limit (kind, hours, updated_at) VALUES
  ('center', 24, '2026-12-06T00:00:00.000Z'),
  ('station', 24, '2026-12-06T00:00:00.000Z'),
  ('storage', 48, '2026-12-06T00:00:00.000Z');
