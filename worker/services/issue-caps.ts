// Warning rules that act: at yellow, orange and red a station's routine issues are cut by its policy's percentage.
import { selectCapInputs, selectWarningBaselines, type BaselineRow, type WarningStart } from '../db/issue-caps'
import { ISSUE_WINDOW_DAYS, type DailyIssueRow } from '../db/usage'
import { nowIso } from '../lib/time'
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
  /** When the current warning began; null at normal. */
  warningSince: string | null
  /** Routine units the station may issue today; null at normal (no cap). */
  cap: number | null
  routineIssuedToday: number
  /** Units left under the cap today (never below 0); null without a cap. */
  remaining: number | null
}

/**
 * The day's routine-issue caps of a site, per component: at yellow / orange / red (the component as a whole),
 * cap = floor(average daily issue × (1 − cut % of the level)). The average is taken over the 14 days before the
 * warning began: capped issues must not lower their own cap day after day (issue 20 §5). Cut percentages come from
 * the province's policy, or the national default. Emergency and urgent issues are not capped and not counted.
 */
export async function routineCaps(db: D1Database, siteId: string, now = nowIso()): Promise<RoutineCap[]> {
  const since14 = new Date(Date.parse(now) - ISSUE_WINDOW_DAYS * DAY).toISOString()
  const [rows, wb] = await Promise.all([selectCapInputs(db, siteId, now, since14, dayStartCst(now)), selectWarningBaselines(db, ISSUE_WINDOW_DAYS, siteId)])
  return rows.map((r) => {
    const level = (r.level ?? 'normal') as Level
    const cutPct = level === 'yellow' ? (r.cutYellowPct ?? 0) : level === 'orange' ? (r.cutOrangePct ?? 0) : level === 'red' ? (r.cutRedPct ?? 0) : 0
    const began = level === 'normal' ? undefined : wb.starts.find((s) => s.component === r.component)?.began
    const avg = began ? wb.baselines.filter((b) => b.component === r.component).reduce((s, b) => s + b.avgDailyIssue, 0) : r.issued14 / ISSUE_WINDOW_DAYS
    const cap = level === 'normal' ? null : Math.floor(Math.round(avg * (1 - cutPct / 100) * 1e6) / 1e6)
    return {
      component: r.component,
      level,
      cutPct,
      avgDailyIssue: Math.round(avg * 100) / 100,
      warningSince: began ?? null,
      cap,
      routineIssuedToday: r.routineToday,
      remaining: cap === null ? null : Math.max(0, cap - r.routineToday),
    }
  })
}

export type WarningBaselines = { starts: WarningStart[]; baselines: BaselineRow[] }
export const warningBaselines = (db: D1Database, siteId?: string): Promise<WarningBaselines> => selectWarningBaselines(db, ISSUE_WINDOW_DAYS, siteId)

/**
 * Demand for days of supply, uncapped: from the time a component's warning began, each group's use is at least
 * its pre-warning average, because routine issues are held down by the cap and dividing by them makes the days
 * look better than they are (issue 20 §5). Before the warning, or without one, the issues as recorded.
 */
export function uncappedDemand(actual: DailyIssueRow[], wb: WarningBaselines, at: string): DailyIssueRow[] {
  const began = new Map(wb.starts.map((s) => [`${s.siteId}|${s.component}`, s.began]))
  const key = (u: DailyIssueRow) => `${u.siteId}|${u.component}|${u.abo}|${u.rhd}`
  const out = new Map(actual.map((u) => [key(u), { ...u }]))
  for (const b of wb.baselines) {
    const start = began.get(`${b.siteId}|${b.component}`)
    if (!start || start > at) continue
    const cur = out.get(key(b))
    if (!cur) out.set(key(b), { ...b })
    else cur.avgDailyIssue = Math.max(cur.avgDailyIssue, b.avgDailyIssue)
  }
  return [...out.values()]
}

/** GET /api/warnings/caps: 404 for an unknown site. */
export async function siteCaps(db: D1Database, siteId: string) {
  await getSite(db, siteId)
  return { siteId, caps: await routineCaps(db, siteId) }
}
