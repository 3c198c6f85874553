// Independent feasibility checker for a plan result (throws with a reason on any violation).
import type { Instance, PlanResult } from '../../solver/types'
import { compatible, hours, outboundLimits, reservable, routeOk, unitCost, usable, antigensOk } from './rules'

export function checkFeasible(inst: Instance, res: PlanResult): void {
  const fail = (m: string): never => {
    throw new Error(`infeasible plan: ${m}`)
  }
  if (res.status !== 'optimal') fail('status')
  const lotIndex = new Map(inst.lots.map((l, i) => [l.id ?? `#${i}`, i]))
  const needIndex = new Map(inst.needs.map((n, j) => [n.id, j]))
  const usedByLot = new Map<number, number>()
  const servedByNeed = new Map<number, number>()
  const outbound = new Map<string, number>()
  const transfers = new Map<string, number>()
  for (const a of res.allocations) {
    const j = needIndex.get(a.need) ?? fail(`unknown need ${a.need}`)
    const n = inst.needs[j]!
    if (!Number.isInteger(a.qty) || a.qty <= 0) fail(`allocation qty ${a.qty}`)
    let sum = 0
    for (const lr of a.lots) {
      const i = lotIndex.get(lr.id) ?? fail(`unknown lot ${lr.id}`)
      const l = inst.lots[i]!
      if (!Number.isInteger(lr.qty) || lr.qty <= 0) fail(`lot qty ${lr.qty}`)
      if (l.site !== a.fromSite || l.abo !== a.abo || l.rhd !== a.rhd || !!l.frozen !== !!a.frozen)
        fail(`lot ${lr.id} does not match allocation ${a.fromSite} ${a.abo}${a.rhd}${a.frozen ? ' frozen' : ''}`)
      if (!usable(inst, i, j)) fail(`lot ${lr.id} cannot serve need ${a.need} (compatibility, time or date)`)
      usedByLot.set(i, (usedByLot.get(i) ?? 0) + lr.qty)
      sum += lr.qty
      if (l.site !== n.site) {
        const k = `${l.site}|${l.component}|${l.abo}|${l.rhd}`
        // disaster mode: reserves do not hold against remote emergency needs
        if (!(inst.options?.mode === 'disaster' && n.urgency === 'emergency') && reservable(l)) outbound.set(k, (outbound.get(k) ?? 0) + lr.qty)
        const tk = `${l.site}|${n.site}|${l.component}|${l.abo}|${l.rhd}|${l.frozen ? 'F' : ''}`
        transfers.set(tk, (transfers.get(tk) ?? 0) + lr.qty)
      }
    }
    if (sum !== a.qty) fail(`allocation lots sum ${sum} != ${a.qty}`)
    servedByNeed.set(j, (servedByNeed.get(j) ?? 0) + a.qty)
  }
  for (const [i, u] of usedByLot) if (u > inst.lots[i]!.qty) fail(`lot ${i} gives ${u} > ${inst.lots[i]!.qty}`)
  for (const [k, lim] of outboundLimits(inst)) if ((outbound.get(k) ?? 0) > lim) fail(`outbound ${k} ${outbound.get(k)} > ${lim}`)
  if (res.unmet.length !== inst.needs.length) fail('unmet must have one row per need')
  inst.needs.forEach((n, j) => {
    const row = res.unmet[j]!
    if (row.need !== n.id) fail(`unmet row ${j} is ${row.need}, expected ${n.id}`)
    const served = servedByNeed.get(j) ?? 0
    if (served > n.qty) fail(`need ${n.id} over-served`)
    if (row.qty !== n.qty - served) fail(`unmet ${n.id} ${row.qty} != ${n.qty - served}`)
    if (row.qty > 0 && !row.reason) fail(`unmet ${n.id} has no reason`)
  })
  // transfers = allocations between sites, summed per from, to, component, group
  const seen = new Set<string>()
  for (const t of res.transfers) {
    const tk = `${t.from}|${t.to}|${t.component}|${t.abo}|${t.rhd}|${t.frozen ? 'F' : ''}`
    if (seen.has(tk)) fail(`duplicate transfer ${tk}`)
    seen.add(tk)
    if (transfers.get(tk) !== t.qty) fail(`transfer ${tk} qty ${t.qty} != ${transfers.get(tk)}`)
    const thaw = t.frozen ? (inst.options?.thawHours ?? 2) : 0
    if (t.frozen && t.thawHours !== thaw) fail(`transfer ${tk} thawHours ${t.thawHours}`)
    if (Math.abs(t.etaHours - hours(inst, t.from, t.to) - thaw) > 0.011) fail(`transfer ${tk} eta ${t.etaHours}`)
  }
  if (seen.size !== transfers.size) fail('transfers missing')
}

export function unmetByUrgency(inst: Instance, res: PlanResult) {
  const out = { emergency: 0, urgent: 0, routine: 0 }
  inst.needs.forEach((n, j) => {
    out[n.urgency] += res.unmet[j]!.qty
  })
  return out
}

const RANK: Record<string, number> = { emergency: 0, urgent: 1, routine: 2 }

/** Reason codes must agree with an independent look at the stock. */
export function checkReasons(inst: Instance, res: PlanResult): void {
  const fail = (m: string): never => {
    throw new Error(`wrong reason: ${m}`)
  }
  const lotIndex = new Map(inst.lots.map((l, i) => [l.id ?? `#${i}`, i]))
  const used = new Map<number, number>()
  const takers = new Map<number, string[]>()
  for (const a of res.allocations)
    for (const lr of a.lots) {
      const i = lotIndex.get(lr.id)!
      used.set(i, (used.get(i) ?? 0) + lr.qty)
      ;(takers.get(i) ?? takers.set(i, []).get(i)!).push(a.need)
    }
  inst.needs.forEach((n, j) => {
    const row = res.unmet[j]!
    if (row.qty === 0) {
      if (row.reason) fail(`${n.id} met but has reason`)
      return
    }
    const compat = inst.lots.some(
      (l) => l.qty > 0 && l.component === n.component && compatible(l.component, l.abo, l.rhd, n) && antigensOk(l.antigens, n.antigens),
    )
    const usableLots = inst.lots.map((_, i) => i).filter((i) => inst.lots[i]!.qty > 0 && usable(inst, i, j))
    if ((row.reason === 'no_compatible_stock') !== !compat) fail(`${n.id}: ${row.reason} but compatible stock ${compat}`)
    if (compat && usableLots.length === 0 && row.reason !== 'none_in_time' && row.reason !== 'insufficient_shelf_life' && row.reason !== 'route_too_long')
      fail(`${n.id}: nothing usable but ${row.reason}`)
    // route_too_long exactly when compatible units exist and every one of them is beyond the transit limit
    const compatLots = inst.lots
      .map((_, i) => i)
      .filter((i) => {
        const l = inst.lots[i]!
        return l.qty > 0 && l.component === n.component && compatible(l.component, l.abo, l.rhd, n) && antigensOk(l.antigens, n.antigens)
      })
    const allTooFar = compatLots.length > 0 && compatLots.every((i) => !routeOk(inst, i, j))
    if ((row.reason === 'route_too_long' && !compatLots.some((i) => !routeOk(inst, i, j))) || (allTooFar && row.reason !== 'route_too_long'))
      fail(
        `${n.id}: ${row.reason} but compatible lots beyond the transit limit: ${compatLots.filter((i) => !routeOk(inst, i, j)).length} of ${compatLots.length}`,
      )
    if (row.reason === 'held_by_reserves') {
      if (inst.options?.mode === 'disaster' && n.urgency === 'emergency') fail(`${n.id}: held_by_reserves for an emergency need in disaster mode`)
      const left = usableLots.some(
        (i) =>
          inst.lots[i]!.site !== n.site &&
          (used.get(i) ?? 0) < inst.lots[i]!.qty &&
          reservable(inst.lots[i]!) &&
          (inst.reserves ?? []).some(
            (r) => r.site === inst.lots[i]!.site && r.component === n.component && r.abo === inst.lots[i]!.abo && r.rhd === inst.lots[i]!.rhd,
          ),
      )
      if (!left) fail(`${n.id}: held_by_reserves without reserved leftover stock`)
    }
    if (row.reason === 'used_by_higher_priority') {
      const byHigher = usableLots.some((i) => (takers.get(i) ?? []).some((id) => RANK[inst.needs.find((m) => m.id === id)!.urgency]! < RANK[n.urgency]!))
      if (!byHigher) fail(`${n.id}: used_by_higher_priority but no higher-urgency need took its stock`)
    }
    // with an optimal plan, a usable unit left at the need's own site is impossible
    if (usableLots.some((i) => inst.lots[i]!.site === n.site && (used.get(i) ?? 0) < inst.lots[i]!.qty)) fail(`${n.id}: local usable stock left unused`)
  })
}

/** preference cost of a result, from its allocations (independent of result.objective) */
export function planCost(inst: Instance, res: PlanResult): number {
  const lotIndex = new Map(inst.lots.map((l, i) => [l.id ?? `#${i}`, i]))
  const needIndex = new Map(inst.needs.map((n, j) => [n.id, j]))
  let cost = 0
  for (const a of res.allocations) for (const lr of a.lots) cost += lr.qty * unitCost(inst, lotIndex.get(lr.id)!, needIndex.get(a.need)!)
  return cost
}
