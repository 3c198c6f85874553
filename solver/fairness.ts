// Fair-shares stage, solved with javascript-lp-solver on the small contested sub-problem.
//
// After the min-cost flow, an arc with reduced cost 0 (w.r.t. the final potentials) may carry
// any flow in [0, cap] without changing the cost; arcs with positive reduced cost must stay
// empty and negative ones full (complementary slackness). So the cheapest plans are exactly the
// flows with the same node balances that move only zero-reduced-cost arcs: the unmet totals and
// the preference cost are both fixed. Among them we minimise the largest share of a donor
// station's stock of the component that is sent to other sites.
//
// Only arcs on a cycle of the zero-reduced-cost subgraph can change (a bridge's flow is forced by
// the balances), and only cycles that touch a remote arc matter, which keeps the integer
// program small. It is not a network problem any more (the min-max couples arcs of different
// blocks through one variable z), which is why it goes to the LP library.
import solver, { type SolveResult } from 'javascript-lp-solver'
import type { ComponentModel } from './model'
import type { PlanSummary } from './types'

/** jsLPSolver keeps a dense tableau: bound its size (rows × columns) to keep this stage cheap */
export const MAX_FAIRNESS_TABLEAU = 50_000

type Fairness = PlanSummary['fairness'][number]

export function balanceBurden(m: ComponentModel): Fairness {
  const g = m.g
  // remote arcs and the donor site of each; stock per donor site
  const remoteSite = new Map<number, number>()
  const stock = new Map<number, number>()
  for (const b of m.blocks) {
    stock.set(b.site, (stock.get(b.site) ?? 0) + b.stockAll)
    for (const a of b.needArcs) if (!a.local) remoteSite.set(a.edge, b.site)
  }
  const share = () => {
    const out = new Map<number, number>()
    for (const [e, s] of remoteSite) out.set(s, (out.get(s) ?? 0) + g.flow(e))
    let max = 0
    for (const [s, q] of out) if (stock.get(s)! > 0) max = Math.max(max, q / stock.get(s)!)
    return Math.round(max * 1e4) / 1e4
  }
  const free: number[] = []
  for (let e = 0; e < g.m; e += 2) if (g.origCap[e]! > 0 && g.reducedCost(e) === 0) free.push(e)
  const cyclic = nonBridges(g.n, free.map((e) => [g.from(e), g.to[e]!] as [number, number]))
  let vars = free.filter((_, i) => cyclic[i])
  // keep the connected parts that contain a remote arc
  const parts = components(g.n, vars.map((e) => [g.from(e), g.to[e]!] as [number, number]))
  const wanted = new Set<number>()
  vars.forEach((e, i) => { if (remoteSite.has(e)) wanted.add(parts[i]!) })
  vars = vars.filter((_, i) => wanted.has(parts[i]!))
  if (!vars.some((e) => remoteSite.has(e))) return { component: m.component, maxShare: share(), method: 'not-needed' }
  if (vars.length * vars.length > 4 * MAX_FAIRNESS_TABLEAU) return { component: m.component, maxShare: share(), method: 'skipped-too-large' }

  const inVars = new Set(vars)
  const constraints: Record<string, { equal?: number; max?: number }> = {}
  const variables: Record<string, Record<string, number>> = {}
  const balance = new Map<number, number>() // net inflow over the free arcs, to be preserved
  const fixedRemote = new Map<number, number>()
  for (const [e, s] of remoteSite) if (!inVars.has(e)) fixedRemote.set(s, (fixedRemote.get(s) ?? 0) + g.flow(e))
  const sitesInvolved = new Set<number>()
  for (const e of vars) {
    const u = g.from(e), v = g.to[e]!, f = g.flow(e)
    balance.set(u, (balance.get(u) ?? 0) - f)
    balance.set(v, (balance.get(v) ?? 0) + f)
    const coef: Record<string, number> = { [`b${u}`]: -1, [`b${v}`]: 1 }
    if (g.origCap[e]! < 1e14) { coef[`c${e}`] = 1; constraints[`c${e}`] = { max: g.origCap[e]! } }
    const s = remoteSite.get(e)
    if (s !== undefined) { coef[`s${s}`] = 1; sitesInvolved.add(s) }
    variables[`x${e}`] = coef
  }
  for (const [v, b] of balance) constraints[`b${v}`] = { equal: b }
  const z: Record<string, number> = { z: 1 }
  for (const s of sitesInvolved) {
    z[`s${s}`] = -stock.get(s)!
    constraints[`s${s}`] = { max: -(fixedRemote.get(s) ?? 0) }
  }
  variables.z = z
  if (Object.keys(constraints).length * (vars.length + 1) > MAX_FAIRNESS_TABLEAU) return { component: m.component, maxShare: share(), method: 'skipped-too-large' }
  const before = share()
  // The LP relaxation is usually integral already (network rows plus one coupling variable). When it
  // is not, we keep the min-cost plan rather than branch and bound: jsLPSolver's B&B can run for minutes
  // on ties across a region (seen on 23-site instances), and a time limit would make the plan depend on
  // the machine's speed. Fairness is the last tie-break, so nothing before it changes.
  const res = solver.Solve({ optimize: 'z', opType: 'min', constraints, variables }) as SolveResult
  if (!res.feasible) return { component: m.component, maxShare: before, method: 'javascript-lp-solver' }
  if (!vars.every((e) => Number.isInteger(Number(res[`x${e}`] ?? 0)))) return { component: m.component, maxShare: before, method: 'fractional-kept-min-cost' }
  // apply, after checking the integer solution keeps every balance (guards float round-off)
  const x = vars.map((e) => Math.round(Number(res[`x${e}`] ?? 0)))
  const check = new Map<number, number>()
  let ok = true
  vars.forEach((e, i) => {
    if (x[i]! < 0 || x[i]! > g.origCap[e]!) ok = false
    check.set(g.from(e), (check.get(g.from(e)) ?? 0) - x[i]!)
    check.set(g.to[e]!, (check.get(g.to[e]!) ?? 0) + x[i]!)
  })
  for (const [v, b] of balance) if (check.get(v) !== b) ok = false
  if (ok) {
    const old = vars.map((e) => g.flow(e))
    vars.forEach((e, i) => { g.cap[e] = g.origCap[e]! - x[i]!; g.cap[e ^ 1] = x[i]! })
    // the LP optimum is never worse; keep the original if rounding somehow made it so
    if (share() > before) vars.forEach((e, i) => { g.cap[e] = g.origCap[e]! - old[i]!; g.cap[e ^ 1] = old[i]! })
  }
  return { component: m.component, maxShare: share(), method: 'javascript-lp-solver' }
}

/** For each edge of an undirected multigraph: is it on a cycle (not a bridge)? */
function nonBridges(n: number, edges: [number, number][]): boolean[] {
  const adj: number[][] = []
  edges.forEach(([u, v], i) => { (adj[u] ??= []).push(i); (adj[v] ??= []).push(i) })
  const disc = new Int32Array(n).fill(-1), low = new Int32Array(n)
  const onCycle = new Array<boolean>(edges.length).fill(true)
  let time = 0
  for (let root = 0; root < n; root++) {
    if (disc[root] !== -1 || !adj[root]) continue
    // iterative DFS: stack of [node, parent edge, next adjacency index]
    const stack: [number, number, number][] = [[root, -1, 0]]
    disc[root] = low[root] = time++
    while (stack.length) {
      const top = stack[stack.length - 1]!
      const [u, pe] = top
      const list = adj[u] ?? []
      if (top[2] < list.length) {
        const ei = list[top[2]++]!
        if (ei === pe) continue
        const [a, b] = edges[ei]!
        const w = a === u ? b : a
        if (disc[w] === -1) { disc[w] = low[w] = time++; stack.push([w, ei, 0]) }
        else low[u] = Math.min(low[u]!, disc[w]!)
      } else {
        stack.pop()
        if (stack.length) {
          const p = stack[stack.length - 1]![0]
          low[p] = Math.min(low[p]!, low[u]!)
          if (low[u]! > disc[p]!) onCycle[pe] = false
        }
      }
    }
  }
  return onCycle
}

/** connected-component label of each edge */
function components(n: number, edges: [number, number][]): number[] {
  const parent = Array.from({ length: n }, (_, i) => i)
  const find = (x: number): number => { while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!; return x }
  for (const [u, v] of edges) parent[find(u)] = find(v)
  return edges.map(([u]) => find(u))
}
