// One planning round of the `planner` policy: stations below their trigger raise needs, solve() plans
// transfers from the others (their reserves held), and the planned units leave the donors' shelves.
import { DEFAULT_MIN_REMAINING_HOURS, solve } from '../index'
import type { Instance, Lot as InstanceLot, Need, Reserve } from '../types'
import { DAY_MS, GROUPS, HOUR_MS, sumQty, takeFefo, type Lot, type Region } from './region'
import type { Policy } from './types'

/** Units on their way: they join the destination's shelf at the start of day `arrive`. */
export interface InTransit {
  arrive: number
  key: number
  qty: number
  exp: number
}

export interface RoundResult {
  shipments: InTransit[]
  transferCount: number
  transferredUnits: number
  unitHours: number
  solveMs: number
  solved: boolean
}

/** Days of supply of a policy, scaled for a component by its red threshold relative to red cells'. */
export function scaledDays(region: Region, days: number, s: number, c: number): number {
  const rbc = region.comps.indexOf('RBC')
  const rbcRed = rbc >= 0 ? region.thresholds(s, rbc).redDays : 3
  return (days * region.thresholds(s, c).redDays) / rbcRed
}

/** ceil of a float product without float noise (2.0000000001 stays 2), as the live reserves do */
const ceilClean = (x: number) => Math.ceil(Math.round(x * 1e6) / 1e6)

/**
 * Plans one day for the whole region with a single solve() call (needs of every asking station, reserves per
 * donor site × component × group, the policy's mode). Lots offered to the solver are pooled into one lot per
 * site × component × group, made of the units that still have `minRemainingHours` of life and expiring with
 * the earliest of them, so the solver's shelf-life checks stay safe; units actually sent are taken FEFO among
 * them. Pooling halves the solve time on the demo region against one lot per expiry date.
 */
export function planRound(region: Region, policy: Policy, day: number, lots: Lot[][], inTransit: Float64Array): RoundResult {
  const now = region.startMs + day * DAY_MS
  const nowIso = new Date(now).toISOString()
  const G = GROUPS.length
  const needs: Need[] = []
  const asking = new Set<number>() // site × comp index s * C + c
  const onHand = lots.map(sumQty)
  for (let k = 0; k < region.nKeys; k++) {
    const rate = region.rate[k]!
    if (!(rate > 0)) continue
    const s = region.siteOf(k),
      c = region.compOf(k),
      g = region.groupOf(k)
    const trigger = scaledDays(region, policy.triggerDays, s, c)
    const supply = onHand[k]! + inTransit[k]!
    const days = supply / rate
    if (days >= trigger) continue
    const qty = ceilClean(trigger * rate - supply)
    if (qty <= 0) continue
    const urgency = days < 1 ? 'emergency' : days < region.thresholds(s, c).redDays ? 'urgent' : 'routine'
    needs.push({ id: `n${k}`, site: region.sites[s]!.id, component: region.comps[c]!, abo: GROUPS[g]![0], rhd: GROUPS[g]![1], qty, urgency })
    asking.add(Math.floor(k / G))
  }
  const empty: RoundResult = { shipments: [], transferCount: 0, transferredUnits: 0, unitHours: 0, solveMs: 0, solved: false }
  if (needs.length === 0) return empty
  const wanted = new Set(needs.map((n) => n.component))

  const instLots: InstanceLot[] = []
  const pools: { key: number; lo: number; hi: number }[] = []
  const reserves: Reserve[] = []
  for (let k = 0; k < region.nKeys; k++) {
    const sc = Math.floor(k / G)
    const s = region.siteOf(k),
      c = region.compOf(k),
      g = region.groupOf(k)
    const comp = region.comps[c]!
    if (!wanted.has(comp) || asking.has(sc) || onHand[k]! === 0) continue
    // an asking station's own lots are left out, as in the live instance (worker/services/plan-instance.ts)
    const reserve = policy.reserveDays > 0 ? ceilClean(scaledDays(region, policy.reserveDays, s, c) * region.rate[k]!) : 0
    if (onHand[k]! <= reserve && policy.mode !== 'disaster') continue
    const minExp = now + DEFAULT_MIN_REMAINING_HOURS[comp] * HOUR_MS
    let qty = 0
    let exp = Infinity
    for (const l of lots[k]!) {
      if (l.exp < minExp) continue
      qty += l.qty
      exp = Math.min(exp, l.exp)
    }
    if (qty === 0) continue
    const site = region.sites[s]!.id
    const [abo, rhd] = GROUPS[g]!
    instLots.push({ id: `p${pools.length}`, site, component: comp, abo, rhd, qty, expiresAt: new Date(exp).toISOString() })
    pools.push({ key: k, lo: minExp, hi: Infinity })
    if (reserve > 0) reserves.push({ site, component: comp, abo, rhd, qty: reserve })
  }
  if (instLots.length === 0) return empty

  // One region-wide solve: every asking station's needs at once, so the solver's lexicographic urgency
  // order (emergency, then urgent, then routine) holds across stations and the day's plan is optimal for
  // the whole region, not for the first station to ask.
  const instance: Instance = {
    now: nowIso,
    sites: region.sites.map((s) => ({ id: s.id, name: s.name ?? s.id, lat: s.lat, lng: s.lng })),
    lots: instLots,
    reserves,
    needs,
    ...(policy.mode ? { options: { mode: policy.mode } } : {}),
  }
  const t0 = performance.now()
  const result = solve(instance)
  const solveMs = performance.now() - t0
  const shipments: InTransit[] = []
  const C = region.comps.length
  for (const a of result.allocations) {
    const needKey = Number(a.need.slice(1))
    const s = region.siteOf(needKey)
    if (a.fromSite === region.sites[s]!.id) continue // local use; an asking station's own lots are not offered
    const dest = s * C * G + region.compOf(needKey) * G
    const g = GROUPS.findIndex(([abo, rhd]) => abo === a.abo && rhd === a.rhd)
    const arrive = day + Math.max(1, Math.ceil(a.travelHours / 24))
    for (const l of a.lots) {
      const pool = pools[Number(l.id.slice(1))]!
      for (const piece of takeFefo(lots[pool.key]!, l.qty, pool.lo, pool.hi)) shipments.push({ arrive, key: dest + g, qty: piece.qty, exp: piece.exp })
    }
  }
  const transferCount = result.transfers.length
  const unitHours = result.transfers.reduce((a, t) => a + t.qty * t.etaHours, 0)
  return { shipments, transferCount, transferredUnits: shipments.reduce((a, t) => a + t.qty, 0), unitHours, solveMs, solved: true }
}
