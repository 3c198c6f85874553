/** Aggregate stock SQL: usable units, expiring units, units in transit, catalogue. Frozen red cells are counted apart. */

export type GroupKey = { siteId: string; component: string; abo: string; rhd: string }

export const selectLotAggregates = (db: D1Database, now: string, siteId?: string) =>
  db
    .prepare(
      `SELECT site_id AS siteId, component, abo, rhd,
         COALESCE(SUM(CASE WHEN frozen = 0 AND expires_at > ?1 THEN qty END), 0) AS onHand,
         COALESCE(SUM(CASE WHEN frozen = 0 AND expires_at > ?1 AND expires_at <= ?2 THEN qty END), 0) AS expiring72h,
         COALESCE(SUM(CASE WHEN frozen = 1 AND expires_at > ?1 THEN qty END), 0) AS frozenOnHand
       FROM lot WHERE (?3 IS NULL OR site_id = ?3) GROUP BY site_id, component, abo, rhd`,
    )
    .bind(now, new Date(Date.parse(now) + 72 * 3_600_000).toISOString(), siteId ?? null)
    .all<GroupKey & { onHand: number; expiring72h: number; frozenOnHand: number }>()
    .then((r) => r.results)

/** Units on transfers to a site that are committed (stock left the source) or dispatched, not yet received. */
export const selectInTransit = (db: D1Database, siteId?: string) =>
  db
    .prepare(
      `SELECT to_site AS siteId, component, abo, rhd, SUM(qty) AS inTransit FROM transfer
       WHERE status IN ('committed', 'dispatched') AND (?1 IS NULL OR to_site = ?1) GROUP BY to_site, component, abo, rhd`,
    )
    .bind(siteId ?? null)
    .all<GroupKey & { inTransit: number }>()
    .then((r) => r.results)

export type ComponentRow = { code: string; nameZh: string; nameEn: string; unitZh: string; unitEn: string; shelfLifeHours: number }
export const selectComponents = (db: D1Database) =>
  db
    .prepare(
      'SELECT code, name_zh AS nameZh, name_en AS nameEn, unit_zh AS unitZh, unit_en AS unitEn, shelf_life_hours AS shelfLifeHours FROM component ORDER BY rowid',
    )
    .all<ComponentRow>()
    .then((r) => r.results)

export type SiteBrief = { id: string; nameZh: string; nameEn: string; province: string; kind: string }
export const selectSiteBriefs = (db: D1Database) =>
  db
    .prepare('SELECT id, name_zh AS nameZh, name_en AS nameEn, province, kind FROM site WHERE external = 0 ORDER BY id')
    .all<SiteBrief>()
    .then((r) => r.results)

export const selectLevels = (db: D1Database, siteId?: string) =>
  db
    .prepare('SELECT site_id AS siteId, component, abo, rhd, level FROM warning_state WHERE (?1 IS NULL OR site_id = ?1)')
    .bind(siteId ?? null)
    .all<GroupKey & { level: 'normal' | 'yellow' | 'orange' | 'red' }>()
    .then((r) => r.results)
