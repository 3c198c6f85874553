import { ABOS } from '../../solver/domain'
import { selectLots, type LotFilter } from '../db/lots'
import { selectComponents, selectInTransit, selectLevels, selectLotAggregates, selectSiteBriefs, type GroupKey } from '../db/stock'
import { selectAvgDailyIssue } from '../db/usage'
import { nowIso } from '../lib/time'
import type { LotQueryT, StockQueryT, StockRowT } from '../schemas/stock'
import { uncappedDemand, warningBaselines } from './issue-caps'
import { selectPolicies } from '../db/warnings'
import { daysOfSupply, instantLevel, type Level } from './warning-level'
import { withHospitalStock } from './prefecture-supply'

const keyOf = (k: GroupKey) => `${k.siteId}|${k.component}|${k.abo}|${k.rhd}`
const round2 = (x: number) => Math.round(x * 100) / 100

/**
 * Stock per site × component × ABO/RhD: usable on hand, in transit, expiring within 72 h, average daily
 * issue (14 days; under a warning at least the pre-warning average), days of supply and the current warning level. Reusable by planning: pass `now` to fix the clock.
 * A row appears when the group has a lot, a transfer in transit, or recent use.
 */
export async function stockRows(db: D1Database, q: Partial<StockQueryT> = {}, now = nowIso()): Promise<StockRowT[]> {
  const [aggs, transit, usage, components, sites, levels] = await Promise.all([
    selectLotAggregates(db, now, q.site),
    selectInTransit(db, q.site),
    // uncapped: under a warning, days of supply divide by the pre-warning demand, not by the capped issues
    Promise.all([selectAvgDailyIssue(db, now, q.site), warningBaselines(db, q.site)]).then(([u, wb]) => uncappedDemand(u, wb, now)),
    selectComponents(db),
    selectSiteBriefs(db),
    selectLevels(db, q.site),
  ])
  const comp = new Map(components.map((c) => [c.code, c]))
  const site = new Map(sites.map((s) => [s.id, s]))
  const level = new Map(levels.map((l) => [keyOf(l), l.level]))
  const rows = new Map<string, GroupKey & { onHand: number; frozenOnHand: number; expiring72h: number; inTransit: number; avgDailyIssue: number }>()
  const slot = (k: GroupKey) => {
    let r = rows.get(keyOf(k))
    if (!r)
      rows.set(
        keyOf(k),
        (r = { siteId: k.siteId, component: k.component, abo: k.abo, rhd: k.rhd, onHand: 0, frozenOnHand: 0, expiring72h: 0, inTransit: 0, avgDailyIssue: 0 }),
      )
    return r
  }
  for (const a of aggs) Object.assign(slot(a), { onHand: a.onHand, frozenOnHand: a.frozenOnHand, expiring72h: a.expiring72h })
  for (const t of transit) slot(t).inTransit = t.inTransit
  for (const u of usage) slot(u).avgDailyIssue = u.avgDailyIssue

  // a hospital has no declared warnings (they are the region's): its level is today's reading against the thresholds
  const askedHospital = !!q.site && site.get(q.site)?.kind === 'hospital'
  const policies = askedHospital ? await selectPolicies(db) : []
  const hospitalLevel = (province: string, component: string, days: number | null): Level => {
    const t =
      policies.find((p) => p.province === province && p.component === component) ?? policies.find((p) => p.province === '*' && p.component === component)
    return t ? instantLevel(days, t) : 'normal'
  }
  const out: StockRowT[] = []
  for (const r of rows.values()) {
    const s = site.get(r.siteId)
    const c = comp.get(r.component)
    if (!s || !c) continue
    // a hospital's blood bank is read by asking for it (site=<hospital id>), never among the region's rows
    if (s.kind === 'hospital' && !q.site) continue
    const row: StockRowT = {
      siteId: r.siteId,
      siteNameZh: s.nameZh,
      siteNameEn: s.nameEn,
      province: s.province,
      component: r.component,
      abo: r.abo,
      rhd: r.rhd,
      onHand: r.onHand,
      frozenOnHand: r.frozenOnHand,
      inTransit: r.inTransit,
      expiring72h: r.expiring72h,
      avgDailyIssue: round2(r.avgDailyIssue),
      daysOfSupply: (() => {
        const d = daysOfSupply(r.onHand, r.avgDailyIssue)
        return d === null ? null : round2(d)
      })(),
      level: s.kind === 'hospital' ? hospitalLevel(s.province, r.component, daysOfSupply(r.onHand, r.avgDailyIssue)) : (level.get(keyOf(r)) ?? 'normal'),
      unitZh: c.unitZh,
      unitEn: c.unitEn,
      componentNameZh: c.nameZh,
      componentNameEn: c.nameEn,
    }
    if (q.component && row.component !== q.component) continue
    if (q.abo && row.abo !== q.abo) continue
    if (q.rhd && row.rhd !== q.rhd) continue
    if (q.level && row.level !== q.level) continue
    if (q.province && row.province !== q.province) continue
    out.push(row)
  }
  const order = new Map(components.map((c, i) => [c.code, i]))
  const aboOrder: readonly string[] = ABOS
  return (await withHospitalStock(db, out, now)).sort(
    (a, b) =>
      a.siteId.localeCompare(b.siteId) ||
      order.get(a.component)! - order.get(b.component)! ||
      aboOrder.indexOf(a.abo) - aboOrder.indexOf(b.abo) ||
      (a.rhd === b.rhd ? 0 : a.rhd === '+' ? -1 : 1),
  )
}

/** Region-wide totals per component and per component × group, and per component how many sites stand at each level. */
export async function stockSummary(db: D1Database, province?: string, now = nowIso()) {
  const rows = await stockRows(db, { province }, now)
  const groups = new Map<
    string,
    {
      component: string
      abo: string
      rhd: string
      unitEn: string
      unitZh: string
      onHand: number
      frozenOnHand: number
      inTransit: number
      expiring72h: number
      avgDailyIssue: number
      daysOfSupply: number | null
    }
  >()
  for (const r of rows) {
    const k = `${r.component}|${r.abo}|${r.rhd}`
    const g = groups.get(k) ?? {
      component: r.component,
      abo: r.abo,
      rhd: r.rhd,
      unitEn: r.unitEn,
      unitZh: r.unitZh,
      onHand: 0,
      frozenOnHand: 0,
      inTransit: 0,
      expiring72h: 0,
      avgDailyIssue: 0,
      daysOfSupply: null,
    }
    g.onHand += r.onHand
    g.frozenOnHand += r.frozenOnHand
    g.inTransit += r.inTransit
    g.expiring72h += r.expiring72h
    g.avgDailyIssue = round2(g.avgDailyIssue + r.avgDailyIssue)
    groups.set(k, g)
  }
  for (const g of groups.values()) {
    const d = daysOfSupply(g.onHand, g.avgDailyIssue)
    g.daysOfSupply = d === null ? null : round2(d)
  }
  const [components, sites, levels] = await Promise.all([selectComponents(db), selectSiteBriefs(db), selectLevels(db)])
  // Per component, all groups together: what the map's totals strip shows.
  const totals = components.map((c) => {
    const mine = [...groups.values()].filter((g) => g.component === c.code)
    const sum = (k: 'onHand' | 'frozenOnHand' | 'inTransit' | 'expiring72h' | 'avgDailyIssue') => mine.reduce((s, g) => s + g[k], 0)
    const d = daysOfSupply(sum('onHand'), sum('avgDailyIssue'))
    return {
      component: c.code,
      unitEn: c.unitEn,
      unitZh: c.unitZh,
      onHand: sum('onHand'),
      frozenOnHand: sum('frozenOnHand'),
      inTransit: sum('inTransit'),
      expiring72h: sum('expiring72h'),
      avgDailyIssue: round2(sum('avgDailyIssue')),
      daysOfSupply: d === null ? null : round2(d),
    }
  })
  const inScope = sites.filter((s) => !province || s.province === province)
  const whole = new Map(levels.filter((l) => l.abo === '*' && l.rhd === '*').map((l) => [`${l.siteId}|${l.component}`, l.level]))
  const levelCounts = components.map((c) => {
    const counts: Record<Level, number> = { normal: 0, yellow: 0, orange: 0, red: 0 }
    for (const s of inScope) counts[whole.get(`${s.id}|${c.code}`) ?? 'normal']++
    return { component: c.code, ...counts }
  })
  return { at: now, components: totals, groups: [...groups.values()], levels: levelCounts }
}

export type LotOut = {
  id: string
  siteId: string
  siteNameZh: string
  siteNameEn: string
  province: string
  component: string
  abo: string
  rhd: string
  antigens: string[]
  collectedAt: string
  expiresAt: string
  qty: number
  hoursToExpiry: number
  frozen: boolean
  thawedAt: string | null
}

async function lots(db: D1Database, f: LotFilter, now: string): Promise<LotOut[]> {
  const rows = await selectLots(db, f, now)
  return rows.map(({ createdAt: _c, antigens, frozen, ...l }) => ({
    ...l,
    frozen: frozen === 1,
    antigens: antigens ? antigens.split(',') : [],
    hoursToExpiry: Math.round(((Date.parse(l.expiresAt) - Date.parse(now)) / 3_600_000) * 10) / 10,
  }))
}

export const listLots = (db: D1Database, q: LotQueryT, now = nowIso()) => lots(db, q, now)

/** Rare units region-wide: in-date lots with stock carrying the antigen profile and/or RhD, frozen or liquid (each says which). */
export const findRare = (db: D1Database, q: { antigen?: string; rhd?: string; component?: string; abo?: string; frozen?: boolean }, now = nowIso()) =>
  lots(db, { antigen: q.antigen, rhd: q.rhd, component: q.component, abo: q.abo, frozen: q.frozen }, now)
