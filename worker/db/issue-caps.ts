// Routine-issue caps at yellow / orange / red (migration 0040): SQL only.
import type { MovementRowIn } from './movements'

/** A movement row for an issue, with its urgency and, beyond the day's routine cap, the reason it was allowed. */
export const insertIssueMovementStmt = (
  db: D1Database,
  m: Omit<MovementRowIn, 'kind'> & { urgency: string; capReason: string | null; hospitalId: string | null },
) =>
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

/**
 * When the current warning of each site × component (as a whole) began: the last change from normal (or from no
 * level) to a warning level; a level recorded before any event counts from its `since`. Components at normal have
 * no row.
 */
const WARNING_STARTS = `SELECT w.site_id AS siteId, w.component,
    COALESCE((SELECT MAX(e.at) FROM warning_event e WHERE e.site_id = w.site_id AND e.component = w.component AND e.abo = '*' AND e.rhd = '*'
              AND COALESCE(e.from_level, 'normal') = 'normal' AND e.to_level <> 'normal'), w.since) AS began
  FROM warning_state w WHERE w.abo = '*' AND w.rhd = '*' AND w.level <> 'normal' AND (?1 IS NULL OR w.site_id = ?1)`

export type WarningStart = { siteId: string; component: string; began: string }
export type BaselineRow = { siteId: string; component: string; abo: string; rhd: string; avgDailyIssue: number }

/**
 * Per site × component under a warning: when it began, and per group the average daily issue over the `days`
 * days before that (the baseline that capped issues cannot wear down; a group with no issues then has no row).
 */
export async function selectWarningBaselines(db: D1Database, days: number, siteId?: string) {
  const [starts, baselines] = await db.batch<any>([
    db.prepare(WARNING_STARTS).bind(siteId ?? null),
    db
      .prepare(
        `WITH start AS (${WARNING_STARTS})
         SELECT s.siteId, s.component, l.abo, l.rhd, -SUM(m.delta) * 1.0 / ?2 AS avgDailyIssue
         FROM start s JOIN lot l ON l.site_id = s.siteId AND l.component = s.component
         JOIN movement m ON m.lot_id = l.id AND m.kind = 'issue'
           AND m.at >= strftime('%Y-%m-%dT%H:%M:%fZ', s.began, '-' || ?2 || ' days') AND m.at < s.began
         GROUP BY s.siteId, s.component, l.abo, l.rhd`,
      )
      .bind(siteId ?? null, days),
  ])
  return { starts: starts.results as WarningStart[], baselines: baselines.results as BaselineRow[] }
}
