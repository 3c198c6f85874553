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

/** Usable liquid units at each station's hospitals, per station × component × group; and the stations that have hospitals. */
export const selectHospitalStockByStation = (db: D1Database, now: string) =>
  Promise.all([
    db
      .prepare(
        `SELECT s.parent_id AS stationId, l.component, l.abo, l.rhd, SUM(l.qty) AS units FROM lot l JOIN site s ON s.id = l.site_id
         WHERE s.kind = 'hospital' AND l.qty > 0 AND l.frozen = 0 AND l.expires_at > ?1 GROUP BY s.parent_id, l.component, l.abo, l.rhd`,
      )
      .bind(now)
      .all<{ stationId: string; component: string; abo: string; rhd: string; units: number }>()
      .then((r) => r.results),
    db
      .prepare("SELECT DISTINCT parent_id AS stationId FROM site WHERE kind = 'hospital'")
      .all<{ stationId: string }>()
      .then((r) => r.results.map((x) => x.stationId)),
  ])
