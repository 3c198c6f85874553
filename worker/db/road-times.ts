// Road times between sites (migration 0040): SQL only.

export type RoadTimeRow = { from: string; to: string; hours: number; note: string; updatedBy: string; updatedAt: string }

const COLS = 'from_site AS "from", to_site AS "to", hours, note, updated_by AS updatedBy, updated_at AS updatedAt'

export const selectRoadTimes = (db: D1Database, f: { site?: string } = {}) =>
  db
    .prepare(`SELECT ${COLS} FROM road_time WHERE (?1 IS NULL OR from_site = ?1 OR to_site = ?1) ORDER BY from_site, to_site`)
    .bind(f.site ?? null)
    .all<RoadTimeRow>()
    .then((r) => r.results)

export const selectRoadTime = (db: D1Database, from: string, to: string) =>
  db.prepare(`SELECT ${COLS} FROM road_time WHERE from_site = ?1 AND to_site = ?2`).bind(from, to).first<RoadTimeRow>()

export const upsertRoadTimeStmt = (db: D1Database, r: { from: string; to: string; hours: number; note: string }, actorId: string, at: string) =>
  db
    .prepare(
      `INSERT INTO road_time (from_site, to_site, hours, note, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
       ON CONFLICT (from_site, to_site) DO UPDATE SET hours = excluded.hours, note = excluded.note,
         updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    )
    .bind(r.from, r.to, r.hours, r.note, actorId, at)

export const deleteRoadTimeStmt = (db: D1Database, from: string, to: string) =>
  db.prepare('DELETE FROM road_time WHERE from_site = ?1 AND to_site = ?2').bind(from, to)

export const selectSiteIds = (db: D1Database) =>
  db
    .prepare('SELECT id FROM site')
    .all<{ id: string }>()
    .then((r) => new Set(r.results.map((s) => s.id)))
