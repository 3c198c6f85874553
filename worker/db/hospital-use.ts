// A hospital's own use of blood (issue 23), the measure of its floor. SQL only.
import { ISSUE_WINDOW_DAYS } from './usage'

export type HospitalUseRow = { siteId: string; component: string; abo: string; rhd: string; avgDailyUse: number }

/**
 * Average daily units a hospital used per component × group over the ISSUE_WINDOW_DAYS days before `at`: the
 * larger of what its station and storage points issued to it (movement.hospital_id) and what it issued itself
 * (ledger kind 'issue' at the hospital site, its transfusions). Two views of one use, so the larger, never the sum.
 */
export async function selectHospitalUse(db: D1Database, at: string): Promise<HospitalUseRow[]> {
  const since = new Date(Date.parse(at) - ISSUE_WINDOW_DAYS * 86_400_000).toISOString()
  const { results } = await db
    .prepare(
      `SELECT h.id AS siteId, l.component, l.abo, l.rhd,
         MAX(SUM(CASE WHEN m.hospital_id = h.id THEN -m.delta ELSE 0 END), SUM(CASE WHEN m.site_id = h.id THEN -m.delta ELSE 0 END)) * 1.0 / ?3 AS avgDailyUse
       FROM site h JOIN movement m ON (m.hospital_id = h.id OR m.site_id = h.id) JOIN lot l ON l.id = m.lot_id
       WHERE h.kind = 'hospital' AND m.kind = 'issue' AND m.at >= ?1 AND m.at < ?2
       GROUP BY h.id, l.component, l.abo, l.rhd`,
    )
    .bind(since, at, ISSUE_WINDOW_DAYS)
    .all<HospitalUseRow>()
  return results
}

/** Hospital sites (kind 'hospital', migration 0057): the planner leaves them out unless a plan draws on them. */
export const selectHospitalSites = (db: D1Database) =>
  db
    .prepare("SELECT id, name_en AS name, name_zh AS nameZh, lat, lng, province FROM site WHERE kind = 'hospital' ORDER BY id")
    .all<{ id: string; name: string; nameZh: string; lat: number; lng: number; province: string }>()
    .then((r) => r.results)

/** Hospitals' usable lots (units on hand, in date at `now`), in the shape of the planner's live lots. */
export const selectHospitalLots = (db: D1Database, now: string) =>
  db
    .prepare(
      `SELECT id, site_id AS site, component, abo, rhd, qty, expires_at AS expiresAt, antigens, frozen FROM lot
       WHERE qty > 0 AND expires_at > ?1 AND site_id IN (SELECT id FROM site WHERE kind = 'hospital') ORDER BY site_id, component, expires_at, id`,
    )
    .bind(now)
    .all<{ id: string; site: string; component: string; abo: string; rhd: string; qty: number; expiresAt: string; antigens: string; frozen: number }>()
    .then((r) => r.results)
