// Warning rules that act: at yellow, orange and red a station's routine issues are cut by its policy's percentage.
import { selectCapInputs } from '../db/issue-caps'
import { ISSUE_WINDOW_DAYS } from '../db/usage'
import { nowIso } from '../lib/crypto'
import { getSite } from './sites'
import type { Level } from './warning-level'

const DAY = 86_400_000
/** Stations keep China Standard Time (UTC+8): "the day" of a cap starts at local midnight. */
const CST_OFFSET_MS = 8 * 3_600_000

/** The start of the local (UTC+8) day that contains `at`, as an ISO instant. */
export function dayStartCst(at: string): string {
  const local = Date.parse(at) + CST_OFFSET_MS
  return new Date(local - (local % DAY) - CST_OFFSET_MS).toISOString()
}

export type RoutineCap = {
  component: string
  level: Level
  cutPct: number
  avgDailyIssue: number
  /** Routine units the station may issue today; null at normal (no cap). */
  cap: number | null
  routineIssuedToday: number
  /** Units left under the cap today (never below 0); null without a cap. */
  remaining: number | null
}

/**
 * The day's routine-issue caps of a site, per component: at yellow / orange / red (the component as a whole),
 * cap = floor(average daily issue over 14 days × (1 − cut % of the level)). Cut percentages come from the
 * province's policy, or the national default. Emergency and urgent issues are not capped and not counted.
 */
export async function routineCaps(db: D1Database, siteId: string, now = nowIso()): Promise<RoutineCap[]> {
  const since14 = new Date(Date.parse(now) - ISSUE_WINDOW_DAYS * DAY).toISOString()
  const rows = await selectCapInputs(db, siteId, now, since14, dayStartCst(now))
  return rows.map((r) => {
    const level = (r.level ?? 'normal') as Level
    const cutPct = level === 'yellow' ? r.cutYellowPct ?? 0 : level === 'orange' ? r.cutOrangePct ?? 0 : level === 'red' ? r.cutRedPct ?? 0 : 0
    const avg = r.issued14 / ISSUE_WINDOW_DAYS
    const cap = level === 'normal' ? null : Math.floor(Math.round(avg * (1 - cutPct / 100) * 1e6) / 1e6)
    return {
      component: r.component, level, cutPct, avgDailyIssue: Math.round(avg * 100) / 100, cap, routineIssuedToday: r.routineToday,
      remaining: cap === null ? null : Math.max(0, cap - r.routineToday),
    }
  })
}

/** GET /api/warnings/caps: 404 for an unknown site. */
export async function siteCaps(db: D1Database, siteId: string) {
  await getSite(db, siteId)
  return { siteId, caps: await routineCaps(db, siteId) }
}
