// Days of supply of a prefecture (issue 23): what its hospitals hold counts with the station's stock.
import { selectHospitalStockByStation, selectSitesUnder, selectUsableUnits } from '../db/prefecture'
import { selectAvgDailyIssue } from '../db/usage'
import { nowIso } from '../lib/time'
import { uncappedDemand, warningBaselines } from './issue-caps'
import { daysOfSupply } from './warning-level'

type Units = { station: number; hospitals: number; prefecture: number }
type Days = { station: number | null; hospitals: number | null; prefecture: number | null }
export type SupplyRow = { avgDailyIssue: number; units: Units; daysOfSupply: Days }

const round2 = (x: number) => Math.round(x * 100) / 100
const days = (units: Units, demand: number): Days => {
  const d = (u: number) => {
    const x = daysOfSupply(u, demand)
    return x === null ? null : round2(x)
  }
  return { station: d(units.station), hospitals: d(units.hospitals), prefecture: d(units.prefecture) }
}

/**
 * A station's days of supply with its hospitals' stock: per component × group and per component, the usable liquid
 * units of the station with its storage points (`station`), of its hospitals (`hospitals`) and of both
 * (`prefecture`), each divided by the same demand: the station's and its storage points' average daily issue to
 * hospitals (uncapped under a warning, as GET /api/stock counts it). A hospital's own transfusions are that same
 * demand seen from the ward, so they are not added to it.
 *
 * The warning level stays the station's own (GET /api/stock, warning_state): it cuts the station's routine issues
 * and sets its reserve in the plan, and a hospital's units are not the station's to issue; the prefecture figure
 * stands beside it, for the director and the coordinator.
 */
export async function prefectureSupply(db: D1Database, stationId: string, now = nowIso()) {
  const under = await selectSitesUnder(db, stationId)
  const own = [stationId, ...under.filter((s) => s.kind === 'storage').map((s) => s.id)]
  const hospitals = new Set(under.filter((s) => s.kind === 'hospital').map((s) => s.id))
  const [units, demand] = await Promise.all([
    selectUsableUnits(db, [...own, ...hospitals], now),
    Promise.all(
      own.map((site) => Promise.all([selectAvgDailyIssue(db, now, site), warningBaselines(db, site)]).then(([u, wb]) => uncappedDemand(u, wb, now))),
    ).then((rows) => rows.flat()),
  ])
  const groups = new Map<string, { component: string; abo: string; rhd: string; units: Units; demand: number }>()
  const slot = (r: { component: string; abo: string; rhd: string }) => {
    const k = `${r.component}|${r.abo}|${r.rhd}`
    let g = groups.get(k)
    if (!g) groups.set(k, (g = { component: r.component, abo: r.abo, rhd: r.rhd, units: { station: 0, hospitals: 0, prefecture: 0 }, demand: 0 }))
    return g
  }
  for (const u of units) {
    const g = slot(u)
    g.units[hospitals.has(u.siteId) ? 'hospitals' : 'station'] += u.units
    g.units.prefecture += u.units
  }
  for (const d of demand) slot(d).demand += d.avgDailyIssue
  const byComponent = new Map<string, { component: string; units: Units; demand: number }>()
  for (const g of groups.values()) {
    const c = byComponent.get(g.component) ?? { component: g.component, units: { station: 0, hospitals: 0, prefecture: 0 }, demand: 0 }
    for (const k of ['station', 'hospitals', 'prefecture'] as const) c.units[k] += g.units[k]
    c.demand += g.demand
    byComponent.set(g.component, c)
  }
  const row = (x: { units: Units; demand: number }): SupplyRow => ({ avgDailyIssue: round2(x.demand), units: x.units, daysOfSupply: days(x.units, x.demand) })
  const sort = <T extends { component: string; abo?: string; rhd?: string }>(xs: T[]) =>
    xs.sort((a, b) => a.component.localeCompare(b.component) || (a.abo ?? '').localeCompare(b.abo ?? '') || (a.rhd ?? '').localeCompare(b.rhd ?? ''))
  return {
    hospitalIds: [...hospitals],
    components: sort([...byComponent.values()]).map((c) => ({ component: c.component, ...row(c) })),
    groups: sort([...groups.values()]).map((g) => ({ component: g.component, abo: g.abo, rhd: g.rhd, ...row(g) })),
  }
}

type GroupRow = { siteId: string; component: string; abo: string; rhd: string; onHand: number; avgDailyIssue: number }

/**
 * A station's stock rows with its hospitals' units of the same group beside them (`hospitalsOnHand`) and the days
 * both cover over the station's demand (`daysOfSupplyWithHospitals`); only on rows of sites that have hospitals.
 * `daysOfSupply` and the level stay the station's own.
 */
export async function withHospitalStock<T extends GroupRow>(db: D1Database, rows: T[], now: string) {
  const [stock, stations] = await selectHospitalStockByStation(db, now)
  const has = new Set(stations)
  const units = new Map(stock.map((s) => [`${s.stationId}|${s.component}|${s.abo}|${s.rhd}`, s.units]))
  return rows.map((r) => {
    if (!has.has(r.siteId)) return r
    const hospitalsOnHand = units.get(`${r.siteId}|${r.component}|${r.abo}|${r.rhd}`) ?? 0
    const d = daysOfSupply(r.onHand + hospitalsOnHand, r.avgDailyIssue)
    return { ...r, hospitalsOnHand, daysOfSupplyWithHospitals: d === null ? null : round2(d) }
  })
}
