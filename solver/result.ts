// Result building: draws → allocations (per need, donor site and group), transfers (per route,
// component and group), unmet rows with their reasons, and the summary.
import type { Draw } from './decompose'
import { explainUnmet } from './explain'
import type { Prepared } from './prepare'
import type { Allocation, PlanResult, ResultSummary, Transfer, Unmet } from './types'

const round2 = (x: number) => Math.round(x * 100) / 100

export function buildResult(p: Prepared, draws: Draw[], objective: number, fairness: ResultSummary['fairness'], exact: boolean, notes: string[]): PlanResult {
  const siteId = (i: number) => p.inst.sites[i]!.id
  // allocations: one per (need, fromSite, group, liquid or frozen), lots merged, in need order then site order
  const allocMap = new Map<string, Allocation & { _n: number; _s: number }>()
  const served = new Map<number, number>()
  for (const d of draws) {
    const l = d.lot.lot
    served.set(d.need.idx, (served.get(d.need.idx) ?? 0) + d.qty)
    const k = `${d.need.idx}|${d.lot.site}|${l.abo}${l.rhd}|${d.lot.frozen ? 'F' : ''}`
    let a = allocMap.get(k)
    if (!a) {
      a = {
        need: d.need.need.id,
        fromSite: siteId(d.lot.site),
        abo: l.abo,
        rhd: l.rhd,
        qty: 0,
        lots: [],
        substitution: l.abo !== d.need.need.abo || l.rhd !== d.need.need.rhd,
        preferenceRank: d.rank,
        travelHours: round2(d.travelH),
        ...(d.lot.frozen ? { frozen: true as const } : {}),
        _n: d.need.idx,
        _s: d.lot.site,
      }
      allocMap.set(k, a)
    }
    a.qty += d.qty
    const existing = a.lots.find((x) => x.id === d.lot.name)
    if (existing) existing.qty += d.qty
    else a.lots.push({ id: d.lot.name, qty: d.qty })
  }
  const allocations = [...allocMap.values()]
    .sort(
      (x, y) =>
        x._n - y._n ||
        x._s - y._s ||
        x.preferenceRank - y.preferenceRank ||
        (x.abo + x.rhd).localeCompare(y.abo + y.rhd) ||
        Number(!!x.frozen) - Number(!!y.frozen),
    )
    .map(({ _n, _s, ...a }) => a)
  // transfers: allocations between different sites, summed per from, to, component, group and
  // liquid or frozen (a frozen box leaves after thawing: its eta includes the thaw hours)
  const trMap = new Map<string, Transfer & { _f: number; _t: number }>()
  for (const d of draws) {
    if (d.lot.site === d.need.site) continue
    const l = d.lot.lot
    const k = `${d.lot.site}|${d.need.site}|${l.component}|${l.abo}${l.rhd}|${d.lot.frozen ? 'F' : ''}`
    let t = trMap.get(k)
    if (!t) {
      t = {
        from: siteId(d.lot.site),
        to: siteId(d.need.site),
        component: l.component,
        abo: l.abo,
        rhd: l.rhd,
        qty: 0,
        etaHours: round2(d.travelH + (d.lot.frozen ? p.thawH : 0)),
        needs: [],
        ...(d.lot.frozen ? { frozen: true as const, thawHours: p.thawH } : {}),
        _f: d.lot.site,
        _t: d.need.site,
      }
      trMap.set(k, t)
    }
    t.qty += d.qty
    if (!t.needs.includes(d.need.need.id)) t.needs.push(d.need.need.id)
  }
  const transfers = [...trMap.values()]
    .sort(
      (x, y) =>
        x._f - y._f ||
        x._t - y._t ||
        x.component.localeCompare(y.component) ||
        (x.abo + x.rhd).localeCompare(y.abo + y.rhd) ||
        Number(!!x.frozen) - Number(!!y.frozen),
    )
    .map(({ _f, _t, ...t }) => t)
  const unmet: Unmet[] = p.needs.map((n) => ({ need: n.need.id, qty: n.need.qty - (served.get(n.idx) ?? 0) }))
  explainUnmet(p, draws, unmet)
  const zero = () => ({ emergency: 0, urgent: 0, routine: 0 })
  const summary: ResultSummary = {
    demandUnits: zero(),
    unmetUnits: zero(),
    unmetByReason: {},
    allocatedUnits: draws.reduce((a, d) => a + d.qty, 0),
    transferredUnits: transfers.reduce((a, t) => a + t.qty, 0),
    substitutedUnits: allocations.reduce((a, x) => a + (x.substitution ? x.qty : 0), 0),
    fairness,
    exact,
    ...(notes.length > 0 ? { notes } : {}),
  }
  p.needs.forEach((n, i) => {
    summary.demandUnits[n.need.urgency] += n.need.qty
    summary.unmetUnits[n.need.urgency] += unmet[i]!.qty
    const reason = unmet[i]!.reason
    if (reason) summary.unmetByReason[reason] = (summary.unmetByReason[reason] ?? 0) + unmet[i]!.qty
  })
  return { status: 'optimal', allocations, transfers, unmet, objective, summary }
}
