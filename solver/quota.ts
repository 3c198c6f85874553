import { antigenSet as profileSet } from './antigens'
import { isCompatible, preferenceRank } from './compat'
import { THAWED_LIFE_HOURS } from './domain'
import { expiryThreshold, HOUR_MS, inTime, isoMs, maxTransitHours, minRemainingHours, roadHours, thawedMinRemainingHours, thawHours } from './timing'
import type { Abo, Component, Instance, Lot, Need, PlanResult, Rhd, Unmet } from './types'

/**
 * A quota to a destination outside the region (another province's blood centre), shared among the region's stations.
 *
 * The planner's min-cost flow would send a quota from the nearest station alone (its fair-shares stage only moves
 * units between equally cheap plans), so needs at an external destination are not given to the solver: once the
 * region's own needs are planned, each need of the quota is split across the stations in proportion to their spare
 * stock — what they hold of a usable group beyond their red-level floor (the reserve; a quota is never an emergency,
 * so the floor always holds) and beyond what this plan already takes. Every station gives the same share of its
 * spare (largest remainder for whole units), so none gives more than its fair share while another gives nothing.
 * Identical groups first, then compatible substitutes in the clinical order (solver/compat.ts); in time and with
 * enough shelf life on arrival, and no longer on the road than the component may travel (red cells and whole
 * blood 24 h), by the planner's own rules (solver/timing.ts). A frozen red-cell unit is thawed first (thawHours) and
 * then keeps 24 h, as in the planner; liquid units go before frozen ones of the same group. A quota need may ask for
 * antigens (the Yibin relief to Wuhan sent rare units): then only lots carrying every one of them count. Pure: no I/O.
 */

export type QuotaTransfer = {
  from: string
  to: string
  component: Component
  abo: Abo
  rhd: Rhd
  qty: number
  etaHours: number
  /** hours of thawing counted in etaHours: the transfer carries frozen units (never mixed with liquid ones) */
  thawHours?: number
  lots: { lotId: string; qty: number }[]
  requests: { requestId: string; qty: number }[]
}
export type QuotaPlan = { transfers: QuotaTransfer[]; unmet: Unmet[]; spare: { site: string; component: Component; before: number; sends: number }[] }

type LotLeft = { id: string; site: string; component: Component; abo: Abo; rhd: Rhd; qty: number; expiresAt: string; frozen: boolean; antigens: Set<string> }

/** A quota need; `antigens` (e.g. ['Fy(a-)']) asks for lots carrying each of them. */
export type QuotaNeed = Omit<Need, 'antigens'> & { antigens?: string[] }
/** A lot as the quota sees it: `antigens` is its rare profile ('Fy(a-),Jk(b-)' or a list; none = an ordinary lot). */
export type QuotaLot = Omit<Lot, 'antigens'> & { antigens?: string | string[] }

// the contract's profile string (solver/antigens.ts), or a list of antigens
const antigenSet = (a: string | string[] | undefined) => profileSet(Array.isArray(a) ? a.join(',') : a)
/** A lot serves an antigen-matched need when it carries every antigen the need asks for. */
export const carriesAntigens = (lot: Set<string>, wanted: string[] | undefined) => (wanted ?? []).every((a) => lot.has(a.trim()))

/**
 * Largest-remainder split of `amount` over weights (each part ≤ its weight). Equal remainders go first to whoever
 * has given the least so far (`given[i] / weights[i]`, across the quota's earlier needs), then in the order given.
 */
export function proportional(amount: number, weights: number[], given: number[] = weights.map(() => 0)): number[] {
  const total = weights.reduce((s, w) => s + w, 0)
  if (amount <= 0 || total <= 0) return weights.map(() => 0)
  const take = Math.min(amount, total)
  const exact = weights.map((w) => (take * w) / total)
  const parts = exact.map((x) => Math.floor(x + 1e-9))
  let left = take - parts.reduce((s, n) => s + n, 0)
  const ratio = (i: number) => (weights[i] > 0 ? given[i] / weights[i] : Infinity)
  const order = exact
    .map((x, i) => ({ i, r: x - Math.floor(x + 1e-9) }))
    .sort((a, b) => (Math.abs(b.r - a.r) > 1e-9 ? b.r - a.r : ratio(a.i) - ratio(b.i) || a.i - b.i))
  for (const { i } of order) {
    if (left <= 0) break
    if (parts[i] < weights[i]) {
      parts[i]++
      left--
    }
  }
  return parts
}

/** Splits the quota needs over the stations' spare stock left by `result` (the plan of everything else). */
export function splitQuotas(instance: Omit<Instance, 'lots'> & { lots: QuotaLot[] }, quota: QuotaNeed[], result: PlanResult, external: Set<string>): QuotaPlan {
  const nowMs = isoMs(instance.now)
  const used = new Map<string, number>()
  for (const a of result.allocations) for (const l of a.lots) used.set(l.id, (used.get(l.id) ?? 0) + l.qty)
  const lots: LotLeft[] = (instance.lots as QuotaLot[])
    .filter((l) => l.id && !external.has(l.site))
    .map((l) => ({
      id: l.id!,
      site: l.site,
      component: l.component,
      abo: l.abo,
      rhd: l.rhd,
      qty: l.qty - (used.get(l.id!) ?? 0),
      expiresAt: l.expiresAt,
      frozen: l.frozen === true,
      antigens: antigenSet(l.antigens),
    }))
    .filter((l) => l.qty > 0)
    .sort((a, b) => Number(a.frozen) - Number(b.frozen) || a.expiresAt.localeCompare(b.expiresAt) || a.id.localeCompare(b.id))
  const key = (site: string, c: string, abo: string, rhd: string) => `${site}|${c}|${abo}|${rhd}`
  const reserve = new Map<string, number>()
  for (const r of instance.reserves ?? [])
    reserve.set(key(r.site, r.component, r.abo, r.rhd), (reserve.get(key(r.site, r.component, r.abo, r.rhd)) ?? 0) + r.qty)
  // units a group may still send: its ordinary stock left minus its floor. Rare units are not held by floors: as in the
  // planner's antigen rounds, they are meant to travel to whoever needs their antigens.
  const free = new Map<string, number>()
  for (const l of lots.filter((x) => x.antigens.size === 0 && !x.frozen))
    free.set(key(l.site, l.component, l.abo, l.rhd), (free.get(key(l.site, l.component, l.abo, l.rhd)) ?? 0) + l.qty)
  for (const [k, q] of free) free.set(k, Math.max(0, q - (reserve.get(k) ?? 0)))
  const hours = roadHours(instance.sites, instance.travelHours)
  const spareBefore = new Map<string, number>()
  const given = new Map<string, number>()

  const out = new Map<string, QuotaTransfer>()
  const unmet: Unmet[] = []
  for (const need of [...quota].sort((a, b) => a.id.localeCompare(b.id))) {
    let left = need.qty
    // usable lots per donor group: the planner's tests (in time, enough life left on arrival), and the antigens asked for
    const deadline = need.neededBy === undefined ? undefined : isoMs(need.neededBy)
    const minRem = minRemainingHours(instance, need.component)
    const maxRoad = maxTransitHours(instance, need.component)
    const thawH = thawHours(instance)
    let tooFar = 0
    const usable = (l: LotLeft) => {
      const h = hours(l.site, need.site)
      if (l.site === need.site || l.component !== need.component || l.qty <= 0) return false
      // a thawed unit leaves after thawing and keeps 24 h from then (the planner's rule, solver/prepare.ts)
      const lead = l.frozen ? thawH : 0
      const expires = l.frozen ? Math.min(isoMs(l.expiresAt), nowMs + (thawH + THAWED_LIFE_HOURS) * HOUR_MS) : isoMs(l.expiresAt)
      if (h > maxRoad) {
        tooFar += l.qty
        return false
      }
      return (
        inTime(nowMs, lead + h, deadline) &&
        expires >= expiryThreshold(nowMs, lead + h, l.frozen ? thawedMinRemainingHours(instance) : minRem) &&
        // rare units are kept for antigen-matched needs, as the live plan keeps them apart from ordinary ones
        (need.antigens?.length ? carriesAntigens(l.antigens, need.antigens) : l.antigens.size === 0)
      )
    }
    const groups = new Map<string, { site: string; abo: Abo; rhd: Rhd; frozen: boolean; rank: number; lots: LotLeft[] }>()
    for (const l of lots.filter((x) => isCompatible(need.component, x.abo, x.rhd, need) && usable(x))) {
      // frozen units form groups of their own, after the liquid ones of the same preference
      const k = key(l.site, l.component, l.abo, l.rhd) + (l.frozen ? '|frozen' : '')
      const g = groups.get(k) ?? {
        site: l.site,
        abo: l.abo,
        rhd: l.rhd,
        frozen: l.frozen,
        rank: 2 * preferenceRank(need.component, l.abo, l.rhd, need) + Number(l.frozen),
        lots: [],
      }
      g.lots.push(l)
      groups.set(k, g)
    }
    const rare = (need.antigens?.length ?? 0) > 0
    const held = (g: { lots: LotLeft[] }) => g.lots.reduce((s, l) => s + l.qty, 0)
    // rare and frozen units are not held by floors (a reserve counts ordinary liquid stock, as in the planner)
    const spareOf = (k: string, g: { frozen: boolean; lots: LotLeft[] }) => (rare || g.frozen ? held(g) : Math.min(free.get(k) ?? 0, held(g)))
    for (const [k, g] of groups) {
      const sk = `${g.site}|${need.component}`
      if (!spareBefore.has(`${sk}|${k}`)) spareBefore.set(`${sk}|${k}`, spareOf(k, g))
    }
    for (const rank of [...new Set([...groups.values()].map((g) => g.rank))].sort((a, b) => a - b)) {
      if (left <= 0) break
      const tier = [...groups].filter(([, g]) => g.rank === rank).sort(([a], [b]) => a.localeCompare(b))
      const parts = proportional(
        left,
        tier.map(([k, g]) => spareOf(k, g)),
        tier.map(([, g]) => given.get(`${g.site}|${need.component}`) ?? 0),
      )
      tier.forEach(([k, g], i) => {
        let take = parts[i]
        if (take <= 0) return
        if (!rare && !g.frozen) free.set(k, (free.get(k) ?? 0) - take)
        given.set(`${g.site}|${need.component}`, (given.get(`${g.site}|${need.component}`) ?? 0) + take)
        left -= take
        const tk = `${g.site}|${need.site}|${need.component}|${g.abo}${g.rhd}|${g.frozen}`
        const lead = g.frozen ? thawH : 0
        const t = out.get(tk) ?? {
          from: g.site,
          to: need.site,
          component: need.component,
          abo: g.abo,
          rhd: g.rhd,
          qty: 0,
          etaHours: Math.round((lead + hours(g.site, need.site)) * 100) / 100,
          ...(g.frozen ? { thawHours: thawH } : {}),
          lots: [],
          requests: [],
        }
        t.qty += take
        t.requests.push({ requestId: need.id, qty: take })
        for (const l of g.lots) {
          if (take <= 0) break
          const q = Math.min(l.qty, take)
          if (q <= 0) continue
          l.qty -= q
          take -= q
          const line = t.lots.find((x) => x.lotId === l.id)
          if (line) line.qty += q
          else t.lots.push({ lotId: l.id, qty: q })
        }
        out.set(tk, t)
      })
    }
    if (left > 0) {
      const byFloor = !rare && [...groups.keys()].some((k) => (reserve.get(k) ?? 0) > 0)
      unmet.push(
        byFloor
          ? {
              need: need.id,
              qty: left,
              reason: 'held_by_reserves',
              message: `Quota to ${need.site}: every station's spare ${need.component} above its red-level floor is already shared out; a quota never takes a station below its floor`,
            }
          : !groups.size && tooFar > 0
            ? {
                need: need.id,
                qty: left,
                reason: 'route_too_long',
                message: `Quota to ${need.site}: the compatible ${need.component} in the region is more than ${maxRoad} h of road away, longer than it may travel`,
              }
            : {
                need: need.id,
                qty: left,
                reason: groups.size ? 'insufficient_stock' : 'no_compatible_stock',
                message: `Quota to ${need.site}: no more compatible ${need.component} in the region that arrives in time`,
              },
      )
    }
  }
  const transfers = [...out.values()].sort(
    (a, b) => a.to.localeCompare(b.to) || a.from.localeCompare(b.from) || `${a.abo}${a.rhd}`.localeCompare(`${b.abo}${b.rhd}`),
  )
  const spare = new Map<string, { site: string; component: Component; before: number; sends: number }>()
  for (const [k, v] of spareBefore) {
    const [site, component] = k.split('|') as [string, Component]
    const s = spare.get(`${site}|${component}`) ?? { site, component, before: 0, sends: 0 }
    s.before += v
    spare.set(`${site}|${component}`, s)
  }
  for (const t of transfers) {
    const s = spare.get(`${t.from}|${t.component}`)
    if (s) s.sends += t.qty
  }
  return { transfers, unmet, spare: [...spare.values()].sort((a, b) => a.site.localeCompare(b.site)) }
}

/** The plan with the quota in it: its needs in the instance, its transfers and unmet units in the result (and the split, for the record). */
export function withQuotas<I extends Instance>(
  instance: I,
  result: PlanResult,
  quota: QuotaNeed[],
  q: QuotaPlan,
): { instance: I & { quotaSplit: QuotaPlan['spare'] }; result: PlanResult } {
  const unmetQty = q.unmet.reduce((s, u) => s + u.qty, 0)
  const sent = q.transfers.reduce((s, t) => s + t.qty, 0)
  const summary = result.summary && {
    ...result.summary,
    demandUnits: { ...result.summary.demandUnits, urgent: result.summary.demandUnits.urgent + quota.reduce((s, n) => s + n.qty, 0) },
    unmetUnits: { ...result.summary.unmetUnits, urgent: result.summary.unmetUnits.urgent + unmetQty },
    unmetByReason: q.unmet.reduce((m, u) => ({ ...m, [u.reason!]: (m[u.reason!] ?? 0) + u.qty }), { ...result.summary.unmetByReason }),
    allocatedUnits: result.summary.allocatedUnits + sent,
    transferredUnits: result.summary.transferredUnits + sent,
  }
  return {
    // stored in the contract's form: a need's antigens as the profile string (solver/antigens.ts)
    instance: {
      ...instance,
      needs: [...instance.needs, ...quota.map(({ antigens, ...n }) => (antigens?.length ? { ...n, antigens: antigens.join(',') } : n))],
      quotaSplit: q.spare,
    },
    result: {
      ...result,
      ...(summary ? { summary } : {}),
      transfers: [
        ...result.transfers,
        ...q.transfers.map((t) => ({
          from: t.from,
          to: t.to,
          component: t.component,
          abo: t.abo,
          rhd: t.rhd,
          qty: t.qty,
          etaHours: t.etaHours,
          ...(t.thawHours !== undefined ? { frozen: true as const, thawHours: t.thawHours } : {}),
          needs: t.requests.map((r) => r.requestId),
        })),
      ],
      unmet: [...result.unmet, ...q.unmet],
    },
  }
}
