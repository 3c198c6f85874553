// Levels have a history per station: when each level began and ended, from the warning_event log.
import { selectLevelChanges } from '../db/warnings'
import { getSite } from './sites'
import type { Level } from './warning-level'

export type LevelPeriod = {
  component: string
  abo: string
  rhd: string
  level: Level
  /** When the level began; null when it began before the first recorded change. */
  from: string | null
  /** When it ended; null while it lasts. */
  to: string | null
  /** Days of supply when it began. */
  daysOfSupply: number | null
}

/** Periods per component × group, oldest first; the last period of each group is the current level. */
export async function levelHistory(db: D1Database, q: { site: string; component?: string; abo?: string; rhd?: string }): Promise<LevelPeriod[]> {
  const changes = await selectLevelChanges(db, q)
  const out: LevelPeriod[] = []
  let key = ''
  for (const e of changes) {
    const k = `${e.component}|${e.abo}|${e.rhd}`
    const last = out[out.length - 1]
    if (k !== key) {
      key = k
      if (e.fromLevel) out.push({ component: e.component, abo: e.abo, rhd: e.rhd, level: e.fromLevel, from: null, to: e.at, daysOfSupply: null })
    } else if (last) last.to = e.at
    out.push({ component: e.component, abo: e.abo, rhd: e.rhd, level: e.toLevel, from: e.at, to: null, daysOfSupply: e.daysOfSupply })
  }
  return out
}

/** GET /api/warnings/history: 404 for an unknown site; the component as a whole unless a group is asked for. */
export async function siteLevelHistory(db: D1Database, q: { site: string; component?: string; abo?: string; rhd?: string }) {
  await getSite(db, q.site, 'site')
  return { siteId: q.site, periods: await levelHistory(db, { ...q, abo: q.abo ?? '*', rhd: q.rhd ?? '*' }) }
}
