/** SQL for issue 25's "who is silent": each site's last stock report and last contact, and the silence limits. */

export type SiteContactRow = {
  siteId: string
  kind: 'center' | 'station' | 'storage'
  lastStockReportAt: string | null
  lastSignInAt: string | null
  limitHours: number
}

/**
 * Per site: its last ledger line written by the station itself (receipt, issue, discard, count or transfer
 * receipt; a transfer_out is written by whoever dispatched, so it counts too) and the last use of any token of
 * a user of that site. A site without a limit row (none today) falls back to 24 h.
 */
export const selectSiteContact = (db: D1Database) =>
  db
    .prepare(
      `SELECT s.id AS siteId, s.kind,
       (SELECT MAX(m.at) FROM movement m WHERE m.site_id = s.id) AS lastStockReportAt,
       (SELECT MAX(t.last_used_at) FROM user_token t JOIN user u ON u.id = t.user_id WHERE u.site_id = s.id) AS lastSignInAt,
       COALESCE((SELECT hours FROM silence_limit l WHERE l.kind = s.kind), 24) AS limitHours
     FROM site s WHERE s.kind <> 'hospital' ORDER BY s.id`,
    )
    .all<SiteContactRow>()
    .then((r) => r.results)

export const selectSilenceLimits = (db: D1Database) =>
  db
    .prepare('SELECT kind, hours FROM silence_limit ORDER BY kind')
    .all<{ kind: 'center' | 'station' | 'storage'; hours: number }>()
    .then((r) => r.results)

export const upsertSilenceLimit = (db: D1Database, kind: string, hours: number, at: string) =>
  db
    .prepare(`INSERT INTO silence_limit (kind, hours, updated_at) VALUES (?1, ?2, ?3)
              ON CONFLICT (kind) DO UPDATE SET hours = excluded.hours, updated_at = excluded.updated_at`)
    .bind(kind, hours, at)

/** At `asOf`, the site whose last stock report was the oldest (among sites with any ledger): how old the stock a plan read could be. */
export const selectOldestStockReport = (db: D1Database, asOf: string) =>
  db
    .prepare(`SELECT site_id AS siteId, MAX(at) AS at FROM movement WHERE at <= ?1 GROUP BY site_id ORDER BY MAX(at) LIMIT 1`)
    .bind(asOf)
    .first<{ siteId: string; at: string }>()
