// A prefecture's stock (issue 23): its station, storage points and hospitals. SQL only.

/** The sites under a station (storage points and hospitals, migration 0057), with their kind. */
export const selectSitesUnder = (db: D1Database, stationId: string) =>
  db
    .prepare("SELECT id, kind FROM site WHERE parent_id = ?1 AND kind IN ('storage', 'hospital') ORDER BY id")
    .bind(stationId)
    .all<{ id: string; kind: 'storage' | 'hospital' }>()
    .then((r) => r.results)

/** Usable liquid units (on hand, in date, not frozen: what days of supply count) per site × component × group. */
export const selectUsableUnits = (db: D1Database, siteIds: string[], now: string) =>
  db
    .prepare(
      `SELECT site_id AS siteId, component, abo, rhd, SUM(qty) AS units FROM lot
       WHERE site_id IN (SELECT value FROM json_each(?1)) AND qty > 0 AND frozen = 0 AND expires_at > ?2
       GROUP BY site_id, component, abo, rhd`,
    )
    .bind(JSON.stringify(siteIds), now)
    .all<{ siteId: string; component: string; abo: string; rhd: string; units: number }>()
    .then((r) => r.results)
