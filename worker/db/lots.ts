/** Lot SQL: the stock a site holds, by lot. */

export type LotRow = {
  id: string
  siteId: string
  component: string
  abo: string
  rhd: string
  antigens: string
  collectedAt: string
  expiresAt: string
  qty: number
  createdAt: string
  /** 1: frozen red cells (10 years at ≤ −65 °C), counted apart from liquid stock. */
  frozen: number
  /** When the units of a thawed lot were thawed (their expiry is 24 h from then); null otherwise. */
  thawedAt: string | null
}

const COLUMNS = `l.id, l.site_id AS siteId, l.component, l.abo, l.rhd, l.antigens, l.collected_at AS collectedAt, l.expires_at AS expiresAt, l.qty, l.created_at AS createdAt,
  l.frozen, l.thawed_at AS thawedAt`

/** A new lot starts at 0; its receipt movement (same batch) brings it to stock through the trigger. Liquid unless `frozen`. */
export const insertLotStmt = (db: D1Database, l: Omit<LotRow, 'qty' | 'frozen' | 'thawedAt'> & { frozen?: boolean; thawedAt?: string | null }) =>
  db
    .prepare(
      `INSERT INTO lot (id, site_id, component, abo, rhd, antigens, collected_at, expires_at, qty, created_at, frozen, thawed_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, ?9, ?10, ?11)`,
    )
    .bind(l.id, l.siteId, l.component, l.abo, l.rhd, l.antigens, l.collectedAt, l.expiresAt, l.createdAt, l.frozen ? 1 : 0, l.thawedAt ?? null)

export async function selectLotsByIds(db: D1Database, ids: string[]): Promise<LotRow[]> {
  const out: LotRow[] = []
  for (let i = 0; i < ids.length; i += 90) {
    const chunk = ids.slice(i, i + 90)
    const { results } = await db
      .prepare(`SELECT ${COLUMNS} FROM lot l WHERE l.id IN (${chunk.map((_, j) => `?${j + 1}`).join(',')})`)
      .bind(...chunk)
      .all<LotRow>()
    out.push(...results)
  }
  return out
}

export type LotFilter = {
  site?: string
  component?: string
  abo?: string
  rhd?: string
  expiringWithinHours?: number
  includeEmpty?: boolean
  includeExpired?: boolean
  antigen?: string
  /** true: frozen lots only; false: liquid only; absent: both. */
  frozen?: boolean
  limit?: number
}

export type LotWithSite = LotRow & { siteNameZh: string; siteNameEn: string; province: string }

export const selectLots = (db: D1Database, f: LotFilter, now: string) => {
  const until = f.expiringWithinHours === undefined ? null : new Date(Date.parse(now) + f.expiringWithinHours * 3_600_000).toISOString()
  return db
    .prepare(
      `SELECT ${COLUMNS}, s.name_zh AS siteNameZh, s.name_en AS siteNameEn, s.province
       FROM lot l JOIN site s ON s.id = l.site_id
       WHERE (?1 IS NULL OR l.site_id = ?1) AND (?2 IS NULL OR l.component = ?2) AND (?3 IS NULL OR l.abo = ?3) AND (?4 IS NULL OR l.rhd = ?4)
         AND (?5 IS NULL OR l.expires_at <= ?5)
         AND (?6 = 1 OR l.qty > 0)
         AND (?7 = 1 OR l.expires_at > ?8)
         AND (?9 IS NULL OR (',' || l.antigens || ',') LIKE ('%,' || ?9 || ',%'))
         AND (?11 IS NULL OR l.frozen = ?11)
         AND (?1 IS NOT NULL OR s.kind <> 'hospital')
       ORDER BY l.expires_at, l.id LIMIT ?10`,
    )
    .bind(
      f.site ?? null,
      f.component ?? null,
      f.abo ?? null,
      f.rhd ?? null,
      until,
      f.includeEmpty ? 1 : 0,
      f.includeExpired ? 1 : 0,
      now,
      f.antigen ?? null,
      f.limit ?? 1000,
      f.frozen === undefined ? null : f.frozen ? 1 : 0,
    )
    .all<LotWithSite>()
    .then((r) => r.results)
}
