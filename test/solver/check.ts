// Independent feasibility checker for a plan result (throws with a reason on any violation).
import type { Instance, PlanResult } from '../../solver/types'
import { hours, outboundLimits, usable } from './rules'

export function checkFeasible(inst: Instance, res: PlanResult): void {
  const fail = (m: string): never => { throw new Error(`infeasible plan: ${m}`) }
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
      if (l.site !== a.fromSite || l.abo !== a.abo || l.rhd !== a.rhd) fail(`lot ${lr.id} does not match allocation ${a.fromSite} ${a.abo}${a.rhd}`)
      if (!usable(inst, i, j)) fail(`lot ${lr.id} cannot serve need ${a.need} (compatibility, time or date)`)
      usedByLot.set(i, (usedByLot.get(i) ?? 0) + lr.qty)
      sum += lr.qty
      if (l.site !== n.site) {
        const k = `${l.site}|${l.component}|${l.abo}|${l.rhd}`
        outbound.set(k, (outbound.get(k) ?? 0) + lr.qty)
        const tk = `${l.site}|${n.site}|${l.component}|${l.abo}|${l.rhd}`
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
    const tk = `${t.from}|${t.to}|${t.component}|${t.abo}|${t.rhd}`
    if (seen.has(tk)) fail(`duplicate transfer ${tk}`)
    seen.add(tk)
    if (transfers.get(tk) !== t.qty) fail(`transfer ${tk} qty ${t.qty} != ${transfers.get(tk)}`)
    if (Math.abs(t.etaHours - hours(inst, t.from, t.to)) > 0.01) fail(`transfer ${tk} eta ${t.etaHours}`)
  }
  if (seen.size !== transfers.size) fail('transfers missing')
}

export function unmetByUrgency(inst: Instance, res: PlanResult) {
  const out = { emergency: 0, urgent: 0, routine: 0 }
  inst.needs.forEach((n, j) => (out[n.urgency] += res.unmet[j]!.qty))
  return out
}
