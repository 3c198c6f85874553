// Index an instance once: numeric times, site indices, travel matrix, lot names, reserve caps.
import { HOUR_MS, isoMs, minRemainingHours, travelMatrix } from './timing'
import type { Abo, Component, Instance, Lot, Need, Rhd, Urgency } from './types'
import { COMPONENTS } from './types'
import { URGENCY_RANK } from './domain'

export interface PLot { idx: number; name: string; site: number; lot: Lot; expMs: number }
export interface PNeed { idx: number; site: number; need: Need; byMs: number | undefined; tier: number }
export const TIER: Record<Urgency, number> = URGENCY_RANK

export interface Prepared {
  inst: Instance
  nowMs: number
  siteIndex: Map<string, number>
  travel: number[][]
  lots: PLot[]
  needs: PNeed[]
  minRemH: Record<Component, number>
  /** max units a site may send out of (component, group): stock − reserve, absent = unlimited.
   *  Routine mode: caps every remote use; disaster mode: only remote urgent and routine use. */
  outboundCap: Map<string, number>
  /** options.mode === 'disaster': reserves do not hold against remote emergency needs */
  disaster: boolean
}

export const groupKey = (site: number, c: Component, abo: Abo, rhd: Rhd) => `${site}|${c}|${abo}${rhd}`

export function prepare(inst: Instance): Prepared {
  const siteIndex = new Map(inst.sites.map((s, i) => [s.id, i]))
  const lots = inst.lots.map((lot, idx) => ({ idx, name: lot.id ?? `#${idx}`, site: siteIndex.get(lot.site)!, lot, expMs: isoMs(lot.expiresAt) }))
  const needs = inst.needs.map((need, idx) => ({
    idx, site: siteIndex.get(need.site)!, need,
    byMs: need.neededBy === undefined ? undefined : isoMs(need.neededBy),
    tier: TIER[need.urgency],
  }))
  const minRemH = Object.fromEntries(COMPONENTS.map((c) => [c, minRemainingHours(inst, c)])) as Record<Component, number>
  // Reserve = floor on the site's whole stock of that component and group (all its lots,
  // as held); several rows for one key add up.
  const reserve = new Map<string, number>()
  for (const r of inst.reserves ?? []) {
    const k = groupKey(siteIndex.get(r.site)!, r.component, r.abo, r.rhd)
    reserve.set(k, (reserve.get(k) ?? 0) + r.qty)
  }
  const stock = new Map<string, number>()
  for (const l of lots) {
    const k = groupKey(l.site, l.lot.component, l.lot.abo, l.lot.rhd)
    stock.set(k, (stock.get(k) ?? 0) + l.lot.qty)
  }
  const outboundCap = new Map<string, number>()
  for (const [k, r] of reserve) outboundCap.set(k, Math.max(0, (stock.get(k) ?? 0) - r))
  return { inst, nowMs: isoMs(inst.now), siteIndex, travel: travelMatrix(inst), lots, needs, minRemH, outboundCap,
    disaster: inst.options?.mode === 'disaster' }
}

/** hours a lot has left at `now` */
export const remainingHours = (p: Prepared, l: PLot) => (l.expMs - p.nowMs) / HOUR_MS
