// Figures of a station, its storage points and its hospitals, side by side (GET /api/hospitals). SQL only.

/** Usable (liquid, unexpired) units and those expiring within 72 h, per site × component. */
export const selectComponentStock = (db: D1Database, siteIds: string[], now: string) =>
  db
    .prepare(
      `SELECT site_id AS siteId, component,
         COALESCE(SUM(CASE WHEN expires_at > ?2 THEN qty END), 0) AS onHand,
         COALESCE(SUM(CASE WHEN expires_at > ?2 AND expires_at <= ?3 THEN qty END), 0) AS expiring72h
       FROM lot WHERE site_id IN (SELECT value FROM json_each(?1)) AND frozen = 0 AND qty > 0
       GROUP BY site_id, component`,
    )
    .bind(JSON.stringify(siteIds), now, new Date(Date.parse(now) + 72 * 3_600_000).toISOString())
    .all<{ siteId: string; component: string; onHand: number; expiring72h: number }>()
    .then((r) => r.results)

/** Units used (ledger kind 'issue': a station's issues to hospitals, a hospital's transfusions) per site × component over [since, until). */
export const selectComponentUse = (db: D1Database, siteIds: string[], since: string, until: string) =>
  db
    .prepare(
      `SELECT m.site_id AS siteId, l.component, -SUM(m.delta) AS units FROM movement m JOIN lot l ON l.id = m.lot_id
       WHERE m.kind = 'issue' AND m.site_id IN (SELECT value FROM json_each(?1)) AND m.at >= ?2 AND m.at < ?3
       GROUP BY m.site_id, l.component`,
    )
    .bind(JSON.stringify(siteIds), since, until)
    .all<{ siteId: string; component: string; units: number }>()
    .then((r) => r.results)
