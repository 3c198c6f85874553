// Orchestrates the solve: per component, (1) lexicographic maximum coverage by tier with Dinic,
// (2) min-cost flow with those tier totals fixed, (3) fair-shares stage on the optimal face,
// then decomposes the flow into lot-level allocations and transfers.
import { withBudget, type Budget } from './budget'
import { decompose, type Draw } from './decompose'
import { disasterModel } from './disaster-model'
import { balanceBurden } from './fairness'
import { buildComponentModel } from './model'
import { prepare } from './prepare'
import { lexMaxFlow, minCostFlowPriced } from './pricing'
import { buildResult } from './result'
import type { Instance, PlanResult, ResultSummary } from './types'
import { COMPONENTS } from './types'

export type { Draw } from './decompose'

/** Solves an instance; with a budget, throws PlanTimeLimitError once its work passes the budget (budget.ts). */
export function solve(inst: Instance, budget?: Budget): PlanResult {
  return withBudget(budget, () => solveWithin(inst))
}

function solveWithin(inst: Instance): PlanResult {
  const p = prepare(inst)
  const draws: Draw[] = []
  const fairness: ResultSummary['fairness'] = []
  let objective = 0
  let exact = true
  const notes: string[] = []
  for (const c of COMPONENTS) {
    const lots = p.lots.filter((l) => l.lot.component === c)
    const needs = p.needs.filter((n) => n.need.component === c)
    if (needs.length === 0) continue
    // (1) fewest unmet emergency units, then urgent, then routine: successive maximum flows
    // to each tier's sink; later augmenting paths may pass through an earlier tier's sink
    // (re-routing which need of that tier is served) but never lower its total.
    // sparse in both modes: disaster mode falls back to the dense network only where a reserve
    // is contested (disaster-model.ts)
    let m = buildComponentModel(p, c, lots, needs, undefined, true)
    let totals = lexMaxFlow(m)
    if (p.disaster) {
      const d = disasterModel(p, c, lots, needs, m, totals)
      ;({ m, totals } = d)
      if (d.note) {
        exact = false
        notes.push(d.note)
      }
    }
    // (2) cheapest plan among those with exactly these totals.
    m.g.resetFlows()
    for (let i = 0; i < m.tier.length; i++) m.g.setCap(m.tierToT[i]!, totals[i]!)
    m.classes.forEach((k, i) => {
      m.g.setCap(k.edge, m.classTotals[i]!) // and each deadline class's units
    })
    const [flow, cost] = minCostFlowPriced(m)
    if (flow !== totals[0]! + totals[1]! + totals[2]!) throw new Error(`internal: ${c} flow ${flow} != ${totals.join('+')}`)
    objective += cost
    // (3) among cheapest plans, spread the burden over donor stations
    fairness.push(balanceBurden(m))
    draws.push(...decompose(m))
  }
  return buildResult(p, draws, objective, fairness, exact, notes)
}
