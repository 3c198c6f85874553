// SQL for the quarterly supply analysis (GET /api/reports/supply). Reads only. Every figure is a sum of ledger rows
// (movement.delta) over [fromAt, toAt), so the report agrees with the ledger by construction.

export type Range = { station: string; fromAt: string; toAt: string }
export type ComponentQty = { component: string; qty: number }
export type HospitalComponentQty = { hospitalId: string; component: string; qty: number }
export type DiscardRow = { siteId: string; component: string; discarded: number; expired: number }

/** The station and its storage points: they issue and send to the station's hospitals. */
const NETWORK = `(SELECT id FROM site WHERE id = ?1 OR (parent_id = ?1 AND kind = 'storage'))`
const IN_RANGE = 'm.at >= ?2 AND m.at < ?3'

const all = <T>(db: D1Database, sql: string, r: Range) =>
  db
    .prepare(sql)
    .bind(r.station, r.fromAt, r.toAt)
    .all<T>()
    .then((x) => x.results)

/** Units received at the station itself by receipt (its collections: transfers in are transfer_in, not receipts). */
export const selectReceipts = (db: D1Database, r: Range) =>
  all<ComponentQty>(
    db,
    `SELECT l.component, SUM(m.delta) AS qty FROM movement m JOIN lot l ON l.id = m.lot_id
     WHERE m.site_id = ?1 AND m.kind = 'receipt' AND ${IN_RANGE} GROUP BY l.component`,
    r,
  )

/** Donations recorded in the rare-donor pool by donors whose home station this is, by kind (WB, PLT). */
export const selectPoolDonations = (db: D1Database, r: Range) =>
  db
    .prepare(
      `SELECT dd.kind, COUNT(*) AS n FROM donor_donation dd JOIN donor d ON d.code = dd.donor_code
       WHERE d.site_id = ?1 AND dd.at >= ?2 AND dd.at < ?3 GROUP BY dd.kind`,
    )
    .bind(r.station, r.fromAt, r.toAt)
    .all<{ kind: 'WB' | 'PLT'; n: number }>()
    .then((x) => x.results)

export const selectPopulation = (db: D1Database, siteId: string) =>
  db
    .prepare('SELECT people, year, source, source_zh AS sourceZh FROM site_population WHERE site_id = ?1')
    .bind(siteId)
    .first<{ people: number; year: number; source: string; sourceZh: string }>()

/** The station's hospitals (sites of kind 'hospital' under it). */
export const selectHospitals = (db: D1Database, station: string) =>
  db
    .prepare(`SELECT id, name_zh AS nameZh, name_en AS nameEn FROM site WHERE kind = 'hospital' AND parent_id = ?1 ORDER BY id`)
    .bind(station)
    .all<{ id: string; nameZh: string; nameEn: string }>()
    .then((x) => x.results)

/**
 * Supplied to each hospital: issues naming it from the station or its storage points, plus units sent to its site
 * by transfer (transfer_out at the sender), by component.
 */
export const selectSupplied = (db: D1Database, r: Range) =>
  all<HospitalComponentQty>(
    db,
    `SELECT hospitalId, component, SUM(qty) AS qty FROM (
       SELECT m.hospital_id AS hospitalId, l.component, -m.delta AS qty FROM movement m JOIN lot l ON l.id = m.lot_id
       WHERE m.kind = 'issue' AND m.hospital_id IS NOT NULL AND m.site_id IN ${NETWORK} AND ${IN_RANGE}
       UNION ALL
       SELECT t.to_site, l.component, -m.delta FROM movement m JOIN transfer t ON t.id = m.transfer_id JOIN lot l ON l.id = m.lot_id
         JOIN site h ON h.id = t.to_site
       WHERE m.kind = 'transfer_out' AND h.kind = 'hospital' AND h.parent_id = ?1 AND m.site_id IN ${NETWORK} AND ${IN_RANGE}
     ) GROUP BY hospitalId, component`,
    r,
  )

/** Returned by each hospital: units received back at the station or its storage points from the hospital's site. */
export const selectReturned = (db: D1Database, r: Range) =>
  all<HospitalComponentQty>(
    db,
    `SELECT t.from_site AS hospitalId, l.component, SUM(m.delta) AS qty
     FROM movement m JOIN transfer t ON t.id = m.transfer_id JOIN lot l ON l.id = m.lot_id JOIN site h ON h.id = t.from_site
     WHERE m.kind = 'transfer_in' AND h.kind = 'hospital' AND h.parent_id = ?1 AND m.site_id IN ${NETWORK} AND ${IN_RANGE}
     GROUP BY t.from_site, l.component`,
    r,
  )

/**
 * Discards at the station and at each of its hospitals, and of those the expired ones: discarded at or after the
 * lot's expiry, or with a reason that says so (expired / 过期).
 */
export const selectDiscards = (db: D1Database, r: Range) =>
  all<DiscardRow>(
    db,
    `SELECT m.site_id AS siteId, l.component, -SUM(m.delta) AS discarded,
       -SUM(CASE WHEN l.expires_at <= m.at OR lower(m.reason) LIKE '%expired%' OR m.reason LIKE '%过期%' THEN m.delta ELSE 0 END) AS expired
     FROM movement m JOIN lot l ON l.id = m.lot_id JOIN site s ON s.id = m.site_id
     WHERE m.kind = 'discard' AND (s.id = ?1 OR (s.kind = 'hospital' AND s.parent_id = ?1)) AND ${IN_RANGE}
     GROUP BY m.site_id, l.component`,
    r,
  )

/** The component as a whole's current level and since when (for a component with no recorded change). */
export const selectCurrentLevels = (db: D1Database, siteId: string) =>
  db
    .prepare(`SELECT component, level, since FROM warning_state WHERE site_id = ?1 AND abo = '*' AND rhd = '*'`)
    .bind(siteId)
    .all<{ component: string; level: 'normal' | 'yellow' | 'orange' | 'red'; since: string }>()
    .then((x) => x.results)
