// Routine-issue caps at yellow / orange / red (migration 0040): SQL only.
import type { MovementRowIn } from './movements'

/** A movement row for an issue, with its urgency and, beyond the day's routine cap, the reason it was allowed. */
export const insertIssueMovementStmt = (db: D1Database, m: Omit<MovementRowIn, 'kind'> & { urgency: string; capReason: string | null; hospitalId: string | null }) =>
  db
    .prepare(
      `INSERT INTO movement (batch_id, lot_id, site_id, kind, delta, reason, transfer_id, actor_id, at, urgency, cap_reason, hospital_id)
       VALUES (?1, ?2, ?3, 'issue', ?4, ?5, NULL, ?6, ?7, ?8, ?9, ?10)`,
    )
    .bind(m.batchId, m.lotId, m.siteId, m.delta, m.reason ?? '', m.actorId, m.at, m.urgency, m.capReason, m.hospitalId)

export type CapInputRow = {
  component: string
  level: string | null
  province: string
  cutYellowPct: number | null
  cutOrangePct: number | null
  cutRedPct: number | null
  issued14: number
  routineToday: number
}

/**
 * Per component at a site: its level as a whole (warning_state '*','*'), the cut percentages of its province's
 * policy or else the national default ('*'), units issued in the 14 days before `now`, and routine units issued
 * since `dayStart` (issues recorded without an urgency count as routine).
 */
export const selectCapInputs = (db: D1Database, siteId: string, now: string, since14: string, dayStart: string) =>
  db
    .prepare(
      `SELECT c.code AS component, w.level, s.province,
         COALESCE(p.cut_yellow_pct, d.cut_yellow_pct) AS cutYellowPct, COALESCE(p.cut_orange_pct, d.cut_orange_pct) AS cutOrangePct,
         COALESCE(p.cut_red_pct, d.cut_red_pct) AS cutRedPct,
         COALESCE((SELECT -SUM(m.delta) FROM movement m JOIN lot l ON l.id = m.lot_id
                   WHERE m.site_id = s.id AND l.component = c.code AND m.kind = 'issue' AND m.at >= ?3 AND m.at < ?2), 0) AS issued14,
         COALESCE((SELECT -SUM(m.delta) FROM movement m JOIN lot l ON l.id = m.lot_id
                   WHERE m.site_id = s.id AND l.component = c.code AND m.kind = 'issue' AND m.at >= ?4
                     AND COALESCE(m.urgency, 'routine') = 'routine'), 0) AS routineToday
       FROM site s CROSS JOIN component c
       LEFT JOIN warning_state w ON w.site_id = s.id AND w.component = c.code AND w.abo = '*' AND w.rhd = '*'
       LEFT JOIN warning_policy p ON p.province = s.province AND p.component = c.code
       LEFT JOIN warning_policy d ON d.province = '*' AND d.component = c.code
       WHERE s.id = ?1 ORDER BY c.code`,
    )
    .bind(siteId, now, since14, dayStart)
    .all<CapInputRow>()
    .then((r) => r.results)
