import type { SiteCreateT, SitePatchT, SiteT } from '../schemas/site'

const COLUMNS = `id, name_zh AS nameZh, name_en AS nameEn, kind, province, city, lat, lng, parent_id AS parentId, created_at AS createdAt, updated_at AS updatedAt`

export const selectSites = (db: D1Database, f: { province?: string; kind?: string; parent?: string }) =>
  db
    // a destination outside the region (an incident's quota, migration 0030) is no station of the region; hospitals
    // (about 40 per station) are listed only when asked for by kind
    .prepare(
      `SELECT ${COLUMNS} FROM site WHERE (?1 IS NULL OR province = ?1) AND (?2 IS NULL OR kind = ?2) AND (?2 IS NOT NULL OR kind <> 'hospital')
       AND (?3 IS NULL OR parent_id = ?3) AND external = 0 ORDER BY id`,
    )
    .bind(f.province ?? null, f.kind ?? null, f.parent ?? null)
    .all<SiteT>()
    .then((r) => r.results)

/** In province mode, the sites this province's users may write: its own, not another province's nor an external one. */
export const selectOwnSiteIds = (db: D1Database, province: string) =>
  db
    .prepare('SELECT id FROM site WHERE province = ?1 AND external = 0')
    .bind(province)
    .all<{ id: string }>()
    .then((r) => r.results.map((x) => x.id))

export const selectSite = (db: D1Database, id: string) => db.prepare(`SELECT ${COLUMNS} FROM site WHERE id = ?1`).bind(id).first<SiteT>()

export const insertSite = (db: D1Database, s: SiteCreateT, at: string) =>
  db
    .prepare(
      'INSERT INTO site (id, name_zh, name_en, kind, province, city, lat, lng, parent_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?10, ?9, ?9)',
    )
    .bind(s.id, s.nameZh, s.nameEn, s.kind, s.province, s.city, s.lat, s.lng, at, s.parentId ?? null)

const PATCHABLE: Record<keyof SitePatchT, string> = {
  nameZh: 'name_zh',
  nameEn: 'name_en',
  kind: 'kind',
  province: 'province',
  city: 'city',
  lat: 'lat',
  lng: 'lng',
  parentId: 'parent_id',
}

export const updateSite = (db: D1Database, id: string, patch: SitePatchT, at: string) => {
  const keys = Object.keys(patch) as (keyof SitePatchT)[]
  const sets = keys.map((k, i) => `${PATCHABLE[k]} = ?${i + 3}`).join(', ')
  return db.prepare(`UPDATE site SET updated_at = ?2, ${sets} WHERE id = ?1`).bind(id, at, ...keys.map((k) => patch[k]))
}
