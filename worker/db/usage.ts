/** Average daily issue to hospitals, the denominator of days of supply. Shared by stock, warnings and planning. */
export const ISSUE_WINDOW_DAYS = 14

export type DailyIssueRow = { siteId: string; component: string; abo: string; rhd: string; avgDailyIssue: number }

/**
 * Units issued (ledger kind 'issue') per site × component × group over the ISSUE_WINDOW_DAYS days
 * before `at`, divided by the window. Discards and transfers are not use, so they do not count.
 */
export async function selectAvgDailyIssue(db: D1Database, at: string, siteId?: string): Promise<DailyIssueRow[]> {
  const since = new Date(Date.parse(at) - ISSUE_WINDOW_DAYS * 86_400_000).toISOString()
  const { results } = await db
    .prepare(
      `SELECT l.site_id AS siteId, l.component, l.abo, l.rhd, -SUM(m.delta) * 1.0 / ?3 AS avgDailyIssue
       FROM movement m JOIN lot l ON l.id = m.lot_id
       WHERE m.kind = 'issue' AND m.at >= ?1 AND m.at < ?2 AND (?4 IS NULL OR l.site_id = ?4)
       GROUP BY l.site_id, l.component, l.abo, l.rhd`,
    )
    .bind(since, at, ISSUE_WINDOW_DAYS, siteId ?? null)
    .all<DailyIssueRow>()
  return results
}
