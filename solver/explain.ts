// Reason codes for unmet units. The checks follow the order in which a unit could fail to
// reach the need: no compatible group (or antigen profile) anywhere, only on routes longer than
// the component may travel, not in time, not in date, held by a reserve,
// taken by competing needs. With a lexicographically optimal plan a usable unit that is left
// over can only be blocked by a reserve cap, and a usable unit serving a lower-urgency need
// cannot exist (moving it would be strictly better), so the codes are exact. In disaster mode
// reserves do not hold against remote emergency needs, so an emergency need is never told
// held_by_reserves (with an optimal plan it cannot see usable units left over at all).
import { antigensServe } from './antigens'
import { isCompatible } from './compat'
import type { Draw } from './decompose'
import { HOUR_MS } from './timing'
import type { Prepared } from './prepare'
import { URGENCIES, type Unmet, type Urgency } from './types'
import { THAWED_MIN_REMAINING_HOURS } from './domain'

const URG: readonly Urgency[] = URGENCIES

export function explainUnmet(p: Prepared, draws: Draw[], unmet: Unmet[]): void {
  const usedByLot = new Map<number, number>()
  const drawsByLot = new Map<number, Draw[]>()
  for (const d of draws) {
    usedByLot.set(d.lot.idx, (usedByLot.get(d.lot.idx) ?? 0) + d.qty)
    let a = drawsByLot.get(d.lot.idx)
    if (!a) drawsByLot.set(d.lot.idx, (a = []))
    a.push(d)
  }
  for (const n of p.needs) {
    const row = unmet[n.idx]!
    if (row.qty <= 0) continue
    const need = n.need
    const c = need.component
    let compatible = 0,
      reachable = 0,
      inTimeUnits = 0,
      usable = 0,
      leftover = 0,
      higher = 0,
      sameOrLower = 0,
      earlier = 0
    const leftoverSites = new Set<string>()
    for (const l of p.lots) {
      if (l.lot.component !== c || l.lot.qty === 0 || !isCompatible(c, l.lot.abo, l.lot.rhd, need) || !antigensServe(l.profile, n.profile)) continue
      compatible += l.lot.qty
      const t = p.travel[l.site]![n.site]!
      if (l.site !== n.site && t > p.maxTransitH[c]) continue
      reachable += l.lot.qty
      // a frozen unit leaves after thawing (readyMs) with its thawed life and minimum (prepare.ts)
      if (n.byMs !== undefined && l.readyMs + t * HOUR_MS > n.byMs) continue
      inTimeUnits += l.lot.qty
      if (l.expMs < l.readyMs + (t + l.minRemH) * HOUR_MS) continue
      usable += l.lot.qty
      const left = l.lot.qty - (usedByLot.get(l.idx) ?? 0)
      if (left > 0) {
        leftover += left
        leftoverSites.add(p.inst.sites[l.site]!.id)
      }
      for (const d of drawsByLot.get(l.idx) ?? []) {
        if (d.need.idx === n.idx) continue
        if (d.need.tier < n.tier) higher += d.qty
        else {
          sameOrLower += d.qty
          // same urgency, due earlier: earlier deadline first (docs/plan-instance.md)
          if (d.need.tier === n.tier && (d.need.byMs ?? Infinity) < (n.byMs ?? Infinity)) earlier += d.qty
        }
      }
    }
    const what = `${need.component} ${need.abo}${need.rhd}${n.profile ? ` ${n.profile}` : ''}`
    const maxH = p.maxTransitH[c]
    if (compatible === 0)
      set(row, 'no_compatible_stock', `no ${c} stock compatible with ${need.abo}${need.rhd}${n.profile ? ` carrying ${n.profile}` : ''} anywhere in the region`)
    else if (reachable === 0)
      set(row, 'route_too_long', `${compatible} compatible ${c} units exist but every route to ${need.site} is longer than the ${maxH} h ${c} may travel`)
    else if (inTimeUnits === 0) set(row, 'none_in_time', `${compatible} compatible ${c} units exist but none can arrive by ${need.neededBy}`)
    else if (usable === 0)
      set(
        row,
        'insufficient_shelf_life',
        `${inTimeUnits} compatible ${c} units could arrive in time but would have less than the required life left on arrival (${p.minRemH[c]} h; a thawed frozen unit ${p.inst.options?.thawedMinRemainingHours ?? THAWED_MIN_REMAINING_HOURS} h)`,
      )
    else if (leftover > 0 && !(p.disaster && n.tier === 0))
      set(row, 'held_by_reserves', `${leftover} usable units at ${[...leftoverSites].join(', ')} are held back by reserves on outbound transfers`)
    else if (higher > 0) set(row, 'used_by_higher_priority', `${higher} of the ${usable} usable units serve needs of higher urgency than ${need.urgency}`)
    else if (sameOrLower > 0)
      set(
        row,
        'insufficient_stock',
        `${usable} usable units for ${what}, shared with other ${URG[n.tier]} needs; not enough for all${earlier > 0 ? ` (${earlier} went to ${URG[n.tier]} needs due earlier)` : ''}`,
      )
    else if (inTimeUnits > usable)
      set(row, 'insufficient_shelf_life', `only ${usable} usable units; ${inTimeUnits - usable} more could arrive in time but with too little life left`)
    else if (reachable > inTimeUnits)
      set(row, 'none_in_time', `only ${usable} units can arrive by ${need.neededBy}; ${reachable - inTimeUnits} more compatible units are too far`)
    else if (compatible > reachable)
      set(
        row,
        'route_too_long',
        `only ${usable} usable units; ${compatible - reachable} more compatible units are on routes longer than the ${maxH} h ${c} may travel`,
      )
    else set(row, 'insufficient_stock', `only ${usable} compatible units in the region`)
  }
}

function set(row: Unmet, reason: NonNullable<Unmet['reason']>, message: string) {
  row.reason = reason
  row.message = message
}
