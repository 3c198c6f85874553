import { selectAvgDailyIssue } from '../db/usage'
import {
  selectEvents,
  selectPolicies,
  selectReadingInputs,
  selectSiteProvinces,
  selectStates,
  upsertPolicyStmt,
  writeLevelStmts,
  type LevelKey,
} from '../db/warnings'
import { selectSite } from '../db/sites'
import { ApiError, badRequest, notFound } from '../errors'
import { nowIso } from '../lib/time'
import type { PolicyPutT, PolicyT, WarningEventQueryT, WarningQueryT } from '../schemas/warning'
import { auditStmt } from './audit'
import { requireRole, type Actor } from './auth'
import { uncappedDemand, warningBaselines } from './issue-caps'
import { daysOfSupply, declaredLevel, validThresholds, type Level, type Thresholds } from './warning-level'

const DAY = 86_400_000
/** The province of the national default policy. */
export const NATIONAL = '*'
const keyOf = (k: LevelKey) => `${k.siteId}|${k.component}|${k.abo}|${k.rhd}`

export type Reading = LevelKey & { readings: (number | null)[]; stock: number; avgDailyIssue: number }

/**
 * Daily readings of days of supply per site × component × group and per site × component ('*','*'),
 * newest last, at now, now − 1 d, … (n readings). Stock at a past time t = lot qty minus the ledger
 * deltas after t, counting only lots not expired at t; average issue = the 14 days before t, uncapped (issue-caps.ts).
 */
export async function dailyReadings(db: D1Database, now: string, n: number, siteId?: string): Promise<Reading[]> {
  const times = Array.from({ length: n }, (_, k) => new Date(Date.parse(now) - k * DAY).toISOString()) // newest first
  const oldest = times[n - 1]
  const { lots, deltas, states } = await selectReadingInputs(db, oldest, siteId)
  const wb = await warningBaselines(db, siteId)
  const usage = await Promise.all(times.map(async (t) => uncappedDemand(await selectAvgDailyIssue(db, t, siteId), wb, t)))

  const acc = new Map<string, Reading & { stocks: number[]; avgs: number[] }>()
  const slot = (k: LevelKey) => {
    const id = keyOf(k)
    let r = acc.get(id)
    if (!r) acc.set(id, (r = { ...k, readings: [], stock: 0, avgDailyIssue: 0, stocks: times.map(() => 0), avgs: times.map(() => 0) }))
    return r
  }
  const both = (k: LevelKey) => [slot(k), slot({ ...k, abo: '*', rhd: '*' })]

  const laterDeltas = new Map<string, { delta: number; at: string }[]>()
  for (const d of deltas) {
    const list = laterDeltas.get(d.lotId) ?? []
    list.push(d)
    laterDeltas.set(d.lotId, list)
  }
  for (const lot of lots) {
    const targets = both(lot)
    times.forEach((t, k) => {
      if (lot.expiresAt <= t) return
      const qtyAt = lot.qty - (laterDeltas.get(lot.id) ?? []).filter((d) => d.at > t).reduce((s, d) => s + d.delta, 0)
      for (const r of targets) r.stocks[k] += qtyAt
    })
  }
  usage.forEach((rows, k) => {
    for (const u of rows) for (const r of both(u)) r.avgs[k] += u.avgDailyIssue
  })
  for (const s of states) slot(s) // keep judging groups that once had a level, so they can return to normal

  return [...acc.values()].map(({ stocks, avgs, ...r }) => ({
    ...r,
    stock: stocks[0],
    avgDailyIssue: avgs[0],
    readings: stocks.map((s, k) => daysOfSupply(s, avgs[k])).reverse(),
  }))
}

const toThresholds = (p: PolicyT): Thresholds => ({
  yellowDays: p.yellowDays,
  orangeDays: p.orangeDays,
  redDays: p.redDays,
  consecutiveDays: p.consecutiveDays,
})

/**
 * Recomputes warning_state for one site (or all) and appends a warning_event for every level change.
 * A province × component without a policy of its own is judged by the national default (province '*'); with
 * neither, the refresh is refused (409), never silently normal.
 */
export async function refreshWarnings(db: D1Database, siteId?: string, now = nowIso()): Promise<{ evaluated: number; changes: number; at: string }> {
  const policies = await selectPolicies(db)
  const policy = new Map(policies.map((p) => [`${p.province}|${p.component}`, toThresholds(p)]))
  const sites = new Map((await selectSiteProvinces(db, siteId)).map((s) => [s.id, s.province]))
  const n = Math.min(14, Math.max(1, ...policies.map((p) => p.consecutiveDays)))
  const readings = await dailyReadings(db, now, n, siteId)
  const states = await selectStates(db, { site: siteId })
  const before = new Map(states.map((s) => [keyOf(s), s.level]))

  const stmts: D1PreparedStatement[] = []
  let changes = 0
  for (const r of readings) {
    const province = sites.get(r.siteId)
    if (province === undefined) continue
    // a province without a policy of its own is judged by the national default ('*', migration 0040)
    const t = policy.get(`${province}|${r.component}`) ?? policy.get(`${NATIONAL}|${r.component}`)
    if (!t) throw new ApiError(409, 'no_warning_policy', `No warning policy for ${province} ${r.component} and no national default`)
    const level: Level = declaredLevel(r.readings, t)
    const days = r.readings[r.readings.length - 1]
    if ((before.get(keyOf(r)) ?? 'normal') !== level) changes++
    stmts.push(...writeLevelStmts(db, r, level, days === null ? null : Math.round(days * 100) / 100, now))
  }
  for (let i = 0; i < stmts.length; i += 200) await db.batch(stmts.slice(i, i + 200))
  return { evaluated: readings.length, changes, at: now }
}

/** The hourly cron: every site. */
export async function refreshAllWarnings(db: D1Database): Promise<void> {
  await refreshWarnings(db)
}

export const listWarnings = (db: D1Database, q: WarningQueryT) => selectStates(db, q)
export const listWarningEvents = (db: D1Database, q: WarningEventQueryT) => selectEvents(db, q)
export const listPolicies = (db: D1Database, f: { province?: string; component?: string }) => selectPolicies(db, f)

/** Coordinators and admins set a province × component's thresholds; audited; levels there are recomputed. */
export async function putPolicy(db: D1Database, actor: Actor, p: PolicyPutT): Promise<PolicyT> {
  requireRole(actor, 'coordinator', 'admin')
  const bad = validThresholds(p)
  if (bad) throw badRequest(bad, 'Thresholds must satisfy yellowDays > orangeDays > redDays > 0')
  const sites = await selectSiteProvinces(db)
  if (p.province !== NATIONAL && !sites.some((s) => s.province === p.province))
    throw badRequest('province', `No site is in province ${p.province} (the national default is province '*')`)
  const [before] = await selectPolicies(db, { province: p.province, component: p.component })
  const at = nowIso()
  await db.batch([
    upsertPolicyStmt(db, p, at),
    auditStmt(db, actor, 'warning_policy.update', 'warning_policy', `${p.province}/${p.component}`, { before: before ?? null, after: p }, at),
  ])
  if (p.province === NATIONAL)
    await refreshWarnings(db) // the default may judge any province
  else for (const s of sites) if (s.province === p.province) await refreshWarnings(db, s.id)
  const [after] = await selectPolicies(db, { province: p.province, component: p.component })
  return after
}

export async function refreshNow(db: D1Database, actor: Actor, siteId?: string) {
  requireRole(actor, 'coordinator', 'admin')
  if (siteId && !(await selectSite(db, siteId))) throw notFound('site', siteId, 'site')
  return refreshWarnings(db, siteId)
}
