// Independent reference: the plain lot × need LP solved lexicographically by HiGHS (WASM).
// Three solves: min unmet emergency; fix it; min unmet urgent; fix it; min unmet routine. Then,
// per urgency with several deadlines, earliest deadline first (no deadline last): min the unmet
// units of that deadline's needs, fix it, next deadline. Then (optionally) the least cost.
// Reserves: transfers out of (site, component, group) ≤ stock − reserve; in disaster mode the row
// covers only transfers to urgent and routine needs (emergency needs are limited by stock alone).
// In disaster mode the variables are declared integer (a MIP), so the reference does not depend
// on the LP relaxation being integral.
import type { Instance, PlanResult } from '../../solver/types'
import { outboundLimits, reservable, unitCost, usable } from './rules'

export interface UnmetByUrgency {
  emergency: number
  urgent: number
  routine: number
}
type Highs = { solve: (lp: string, opts?: Record<string, unknown>) => { Status: string; ObjectiveValue: number; Columns: Record<string, { Primal: number }> } }

let highsPromise: Promise<Highs> | undefined
export function loadHighs(): Promise<Highs> {
  highsPromise ??= import('highs').then(async (m) => await (m.default as unknown as () => Promise<Highs>)())
  return highsPromise
}

/** Build the LP once: constraint lines shared by the three solves. */
export function buildReferenceLp(inst: Instance) {
  const rows: string[] = []
  const xByLot = new Map<number, string[]>()
  const xByNeed = new Map<number, string[]>()
  const outbound = new Map<string, string[]>()
  const limits = outboundLimits(inst)
  for (let i = 0; i < inst.lots.length; i++) {
    const l = inst.lots[i]!
    for (let j = 0; j < inst.needs.length; j++) {
      if (!usable(inst, i, j)) continue
      const v = `x${i}_${j}`
      ;(xByLot.get(i) ?? xByLot.set(i, []).get(i)!).push(v)
      ;(xByNeed.get(j) ?? xByNeed.set(j, []).get(j)!).push(v)
      const n = inst.needs[j]!
      const k = `${l.site}|${l.component}|${l.abo}|${l.rhd}`
      const capped = n.site !== l.site && !(inst.options?.mode === 'disaster' && n.urgency === 'emergency')
      if (capped && reservable(l) && limits.has(k)) (outbound.get(k) ?? outbound.set(k, []).get(k)!).push(v)
    }
  }
  const sum = (vs: string[]) =>
    vs
      .map((v, i) => (i > 0 && i % 8 === 0 ? `\n + ${v}` : ` + ${v}`))
      .join('')
      .slice(3)
  for (const [i, vs] of xByLot) rows.push(` lot${i}: ${sum(vs)} <= ${inst.lots[i]!.qty}`)
  inst.needs.forEach((n, j) => {
    rows.push(` need${j}: ${sum([...(xByNeed.get(j) ?? []), `u${j}`])} = ${n.qty}`)
  })
  let r = 0
  for (const [k, vs] of outbound) rows.push(` res${r++}: ${sum(vs)} <= ${limits.get(k)}`)
  return rows
}

/** LP footer: integer declarations in disaster mode (see above), then End */
function footer(inst: Instance): string {
  if (inst.options?.mode !== 'disaster') return 'End\n'
  const vs: string[] = []
  for (let i = 0; i < inst.lots.length; i++) for (let j = 0; j < inst.needs.length; j++) if (usable(inst, i, j)) vs.push(`x${i}_${j}`)
  inst.needs.forEach((_, j) => {
    vs.push(`u${j}`)
  })
  const lines: string[] = []
  for (let i = 0; i < vs.length; i += 10) lines.push(' ' + vs.slice(i, i + 10).join(' '))
  return `General\n${lines.join('\n')}\nEnd\n`
}

export async function referenceUnmet(inst: Instance): Promise<UnmetByUrgency> {
  return (await referencePlan(inst, false, false)).unmet
}

/** a plan's unmet units per (urgency, deadline) class, keyed as referencePlan's byClass */
export function unmetByClass(inst: Instance, res: PlanResult): Record<string, number> {
  const out: Record<string, number> = {}
  inst.needs.forEach((n, j) => {
    if (n.qty > 0) out[classKey(n)] = (out[classKey(n)] ?? 0) + res.unmet[j]!.qty
  })
  return out
}

/** unmet units per (urgency, deadline) class: key `urgency|deadline ms` ('' ms: no deadline) */
export const classKey = (n: { urgency: string; neededBy?: string }) => `${n.urgency}|${n.neededBy === undefined ? '' : Date.parse(n.neededBy)}`

/** Lexicographic unmet, then per deadline class, then (optionally) the least preference cost with those unmet fixed. */
export async function referencePlan(
  inst: Instance,
  withCost: boolean,
  byDeadline = true,
): Promise<{ unmet: UnmetByUrgency; cost: number; byClass: Record<string, number> }> {
  const highs = await loadHighs()
  const rows = buildReferenceLp(inst)
  const fixed: string[] = []
  const out: UnmetByUrgency = { emergency: 0, urgent: 0, routine: 0 }
  for (const urg of ['emergency', 'urgent', 'routine'] as const) {
    const us = inst.needs.map((n, j) => (n.urgency === urg ? `u${j}` : '')).filter(Boolean)
    if (us.length === 0) continue
    const obj = us.join(' + ')
    const lp = `Minimize\n obj: ${obj}\nSubject To\n${rows.join('\n')}\n${fixed.join('\n')}\n${footer(inst)}`
    let res = highs.solve(lp, { output_flag: false })
    // HiGHS presolve has been seen to call a feasible tier-fixed LP infeasible; retry without it
    if (res.Status !== 'Optimal') res = highs.solve(lp, { output_flag: false, presolve: 'off' })
    if (res.Status !== 'Optimal') throw new Error(`HiGHS: ${res.Status}`)
    const v = res.ObjectiveValue
    const k = Math.round(v) + 0 // no -0
    if (Math.abs(v - k) > 1e-6) throw new Error(`reference LP optimum not integral: ${v}`)
    out[urg] = k
    fixed.push(` fix_${urg}: ${obj} <= ${k}`) // LP optimum is integral (network structure)
  }
  const byClass: Record<string, number> = {}
  for (const urg of byDeadline ? (['emergency', 'urgent', 'routine'] as const) : []) {
    const js = inst.needs.map((n, j) => j).filter((j) => inst.needs[j]!.urgency === urg && inst.needs[j]!.qty > 0)
    const bys = [...new Set(js.map((j) => (inst.needs[j]!.neededBy === undefined ? Infinity : Date.parse(inst.needs[j]!.neededBy!))))].sort((a, b) => a - b)
    for (const by of bys) {
      const us = js.filter((j) => (inst.needs[j]!.neededBy === undefined ? Infinity : Date.parse(inst.needs[j]!.neededBy!)) === by).map((j) => `u${j}`)
      const key = classKey(inst.needs[Number(us[0]!.slice(1))]!)
      if (bys.length < 2) {
        byClass[key] = 0
        continue
      } // filled from the plan below: one class, nothing to order
      const obj = us.join(' + ')
      const lp = `Minimize\n obj: ${obj}\nSubject To\n${rows.join('\n')}\n${fixed.join('\n')}\n${footer(inst)}`
      let res = highs.solve(lp, { output_flag: false })
      if (res.Status !== 'Optimal') res = highs.solve(lp, { output_flag: false, presolve: 'off' })
      if (res.Status !== 'Optimal') throw new Error(`HiGHS: ${res.Status}`)
      const k = Math.round(res.ObjectiveValue) + 0
      if (Math.abs(res.ObjectiveValue - k) > 1e-6) throw new Error(`reference LP optimum not integral: ${res.ObjectiveValue}`)
      byClass[key] = k
      fixed.push(` fixc${Object.keys(byClass).length}: ${obj} <= ${k}`)
    }
    // a tier with one deadline class: its unmet units are the tier's
    for (const j of js) if (bys.length < 2) byClass[classKey(inst.needs[j]!)] = out[urg]
  }
  if (!withCost) return { unmet: out, cost: 0, byClass }
  const terms: string[] = []
  for (let i = 0; i < inst.lots.length; i++)
    for (let j = 0; j < inst.needs.length; j++) {
      if (usable(inst, i, j)) terms.push(`${unitCost(inst, i, j)} x${i}_${j}`)
    }
  if (terms.length === 0) return { unmet: out, cost: 0, byClass }
  const obj = terms
    .map((t, i) => (i > 0 && i % 8 === 0 ? `\n + ${t}` : ` + ${t}`))
    .join('')
    .slice(3)
  const lp = `Minimize\n obj: ${obj}\nSubject To\n${rows.join('\n')}\n${fixed.join('\n')}\n${footer(inst)}`
  let res = highs.solve(lp, { output_flag: false })
  if (res.Status !== 'Optimal') res = highs.solve(lp, { output_flag: false, presolve: 'off' })
  if (res.Status !== 'Optimal') throw new Error(`HiGHS: ${res.Status}`)
  return { unmet: out, cost: Math.round(res.ObjectiveValue) + 0, byClass }
}

/** The least largest share of a station's stock sent to other sites, as a MIP on the lot × need
 *  model: the plan's unmet units per urgency and its preference cost held (so: among the cheapest
 *  lexicographically optimal plans), each need's units from its own station held at the plan's,
 *  integer units. One component per instance; stock = all its lots at the station. */
export async function referenceFairShare(inst: Instance, plan: PlanResult): Promise<number> {
  const highs = await loadHighs()
  const rows = buildReferenceLp(inst)
  const lots = inst.lots,
    needs = inst.needs
  const vars: string[] = []
  const cost: string[] = []
  const sentBy = new Map<string, string[]>()
  const ownBy = new Map<number, string[]>()
  for (let i = 0; i < lots.length; i++)
    for (let j = 0; j < needs.length; j++) {
      if (!usable(inst, i, j)) continue
      const v = `x${i}_${j}`
      vars.push(v)
      cost.push(`${unitCost(inst, i, j)} ${v}`)
      if (lots[i]!.site === needs[j]!.site) (ownBy.get(j) ?? ownBy.set(j, []).get(j)!).push(v)
      else (sentBy.get(lots[i]!.site) ?? sentBy.set(lots[i]!.site, []).get(lots[i]!.site)!).push(v)
    }
  const unmetOf = new Map(plan.unmet.map((u) => [u.need, u.qty]))
  for (const urg of ['emergency', 'urgent', 'routine'] as const) {
    const us = needs.map((n, j) => (n.urgency === urg ? `u${j}` : '')).filter(Boolean)
    if (us.length) rows.push(` tier_${urg}: ${us.join(' + ')} = ${needs.filter((n) => n.urgency === urg).reduce((a, n) => a + unmetOf.get(n.id)!, 0)}`)
  }
  const sum = (ts: string[]) =>
    ts
      .map((t, i) => (i > 0 && i % 8 === 0 ? `\n + ${t}` : ` + ${t}`))
      .join('')
      .slice(3)
  if (cost.length) rows.push(` cost: ${sum(cost)} <= ${plan.objective}`)
  needs.forEach((n, j) => {
    const own = plan.allocations.filter((a) => a.need === n.id && a.fromSite === n.site).reduce((a, x) => a + x.qty, 0)
    const vs = ownBy.get(j)
    if (vs) rows.push(` own${j}: ${sum(vs)} = ${own}`)
  })
  const stock = new Map<string, number>()
  for (const l of lots) stock.set(l.site, (stock.get(l.site) ?? 0) + l.qty)
  let k = 0
  for (const [s, vs] of sentBy) if (stock.get(s)! > 0) rows.push(` share${k++}: ${sum(vs)} - ${stock.get(s)} z <= 0`)
  const general = [...vars, ...needs.map((_, j) => `u${j}`)]
  const lines: string[] = []
  for (let i = 0; i < general.length; i += 10) lines.push(' ' + general.slice(i, i + 10).join(' '))
  const lp = `Minimize\n obj: z\nSubject To\n${rows.join('\n')}\nGeneral\n${lines.join('\n')}\nEnd\n`
  let res = highs.solve(lp, { output_flag: false })
  if (res.Status !== 'Optimal') res = highs.solve(lp, { output_flag: false, presolve: 'off' })
  if (res.Status !== 'Optimal') throw new Error(`HiGHS: ${res.Status}`)
  return res.Columns.z?.Primal ?? 0
}
