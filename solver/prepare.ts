// Index an instance once: numeric times, site indices, travel matrix, lot names, reserve caps.
import { HOUR_MS, isoMs, maxTransitHours, minRemainingHours, thawedMinRemainingHours, thawHours, travelMatrix } from './timing'
import { profileKey } from './antigens'
import { THAWED_LIFE_HOURS } from './domain'
import type { Abo, Component, Instance, Lot, Need, Rhd, Urgency } from './types'
import { COMPONENTS } from './types'
import { URGENCY_RANK } from './domain'

/** A lot as the planner sees it. A frozen unit is ready to leave at now + thaw hours and then
 *  lives THAWED_LIFE_HOURS: `expMs` is that thawed expiry (or −∞ when its frozen expiry falls
 *  before thawing ends), `minRemH` the thawed minimum; a liquid unit is ready now, with its own
 *  expiry and the component's minimum. */
export interface PLot {
  idx: number
  name: string
  site: number
  lot: Lot
  expMs: number
  /** antigen profile in profileKey form ('' for none) */
  profile: string
  frozen: boolean
  /** when the unit can leave: now, or now + thaw hours for a frozen unit */
  readyMs: number
  /** hours of life it must have on arrival */
  minRemH: number
}
export interface PNeed {
  idx: number
  site: number
  need: Need
  byMs: number | undefined
  tier: number
  profile: string
}
export const TIER: Record<Urgency, number> = URGENCY_RANK

export interface Prepared {
  inst: Instance
  nowMs: number
  siteIndex: Map<string, number>
  travel: number[][]
  lots: PLot[]
  needs: PNeed[]
  minRemH: Record<Component, number>
  /** longest road hours per component (Infinity: no limit) */
  maxTransitH: Record<Component, number>
  /** thaw-and-deglycerolise hours of a frozen unit */
  thawH: number
  /** max units a site may send out of (component, group): stock − reserve, absent = unlimited.
   *  Routine mode: caps every remote use; disaster mode: only remote urgent and routine use. */
  outboundCap: Map<string, number>
  /** options.mode === 'disaster': reserves do not hold against remote emergency needs */
  disaster: boolean
}

export const groupKey = (site: number, c: Component, abo: Abo, rhd: Rhd) => `${site}|${c}|${abo}${rhd}`
/** A block of the network: one site's lots of one group, antigen profile and state (liquid or frozen).
 *  Reserves hold only the ordinary block (no profile, liquid): `blockKey(…, '', false)`. */
export const blockKey = (site: number, c: Component, abo: Abo, rhd: Rhd, profile: string, frozen: boolean) =>
  `${groupKey(site, c, abo, rhd)}|${profile}|${frozen ? 'F' : 'L'}`
const ordinaryKey = (site: number, c: Component, abo: Abo, rhd: Rhd) => blockKey(site, c, abo, rhd, '', false)

export function prepare(inst: Instance): Prepared {
  const siteIndex = new Map(inst.sites.map((s, i) => [s.id, i]))
  const nowMs = isoMs(inst.now)
  const minRemH = Object.fromEntries(COMPONENTS.map((c) => [c, minRemainingHours(inst, c)])) as Record<Component, number>
  const thawH = thawHours(inst)
  const thawedMinH = thawedMinRemainingHours(inst)
  const lots: PLot[] = inst.lots.map((lot, idx) => {
    const name = lot.id ?? `#${idx}`,
      site = siteIndex.get(lot.site)!,
      profile = profileKey(lot.antigens)
    const expMs = isoMs(lot.expiresAt)
    if (!lot.frozen) return { idx, name, site, lot, expMs, profile, frozen: false, readyMs: nowMs, minRemH: minRemH[lot.component] }
    const readyMs = nowMs + thawH * HOUR_MS
    // thawed once thawing ends; a unit whose frozen expiry comes first cannot be used at all
    return {
      idx,
      name,
      site,
      lot,
      expMs: expMs >= readyMs ? readyMs + THAWED_LIFE_HOURS * HOUR_MS : -Infinity,
      profile,
      frozen: true,
      readyMs,
      minRemH: thawedMinH,
    }
  })
  const needs = inst.needs.map((need, idx) => ({
    idx,
    site: siteIndex.get(need.site)!,
    need,
    byMs: need.neededBy === undefined ? undefined : isoMs(need.neededBy),
    tier: TIER[need.urgency],
    profile: profileKey(need.antigens),
  }))
  // Reserve = floor on the site's whole stock of that component and group (all its lots,
  // as held); several rows for one key add up.
  const reserve = new Map<string, number>()
  for (const r of inst.reserves ?? []) {
    const k = ordinaryKey(siteIndex.get(r.site)!, r.component, r.abo, r.rhd)
    reserve.set(k, (reserve.get(k) ?? 0) + r.qty)
  }
  const stock = new Map<string, number>()
  for (const l of lots) {
    // rare (antigen-typed) and frozen units are the region's, meant to travel: no reserve counts or holds them
    const k = blockKey(l.site, l.lot.component, l.lot.abo, l.lot.rhd, l.profile, l.frozen)
    stock.set(k, (stock.get(k) ?? 0) + l.lot.qty)
  }
  const outboundCap = new Map<string, number>()
  for (const [k, r] of reserve) outboundCap.set(k, Math.max(0, (stock.get(k) ?? 0) - r))
  const maxTransitH = Object.fromEntries(COMPONENTS.map((c) => [c, maxTransitHours(inst, c)])) as Record<Component, number>
  return {
    inst,
    nowMs,
    siteIndex,
    travel: travelMatrix(inst),
    lots,
    needs,
    minRemH,
    maxTransitH,
    thawH,
    outboundCap,
    disaster: inst.options?.mode === 'disaster',
  }
}

/** hours a lot has left at `now` */
export const remainingHours = (p: Prepared, l: PLot) => (l.expMs - p.nowMs) / HOUR_MS
