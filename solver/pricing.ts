// Column generation on the remote (block, need) arcs: the network stages on a sparse graph that
// give exactly the answers of the full graph (README.md, "Pricing").
//
// A sparse model (model.ts) holds every lot, chain and local arc, but only a few cheapest remote
// arcs per need; the others are candidates (zero flow, unbounded capacity, cost c). Two
// certificates bring in the candidates that matter, and only those:
//  - maximum flow: when Dinic stops, the nodes reachable from S in the residual graph are the
//    source side of a minimum cut. A candidate from a reachable node to an unreachable one would
//    cross that cut; when none does, the cut is a cut of the full graph too, so the flow is
//    maximum there (max-flow min-cut). Otherwise such candidates are added and Dinic goes on
//    from the flow it has.
//  - minimum cost: the potentials pi left by the min-cost flow make every residual arc of the
//    sparse graph non-negative in reduced cost. A candidate with c + pi[u] − pi[v] ≥ 0 keeps that
//    true on the full graph, which proves the flow optimal there (no negative residual cycle).
//    Otherwise the most negative ones are added and the min-cost flow runs again.
// Finally every candidate of reduced cost 0 is added: the cheapest plans are exactly the flows on
// zero-reduced-cost arcs, and the fair-shares stage chooses among them.
import type { ComponentModel } from './model'

/** per need and round, how many crossing / negative candidates to bring in */
const ADD_PER_NEED = 10

/** Lexicographic maximum flow: emergency, then urgent, then routine, each exact on the full graph. */
export function lexMaxFlow(m: ComponentModel): number[] {
  return m.tier.map((t) => maxFlowPriced(m, t))
}

function maxFlowPriced(m: ComponentModel, t: number): number {
  const { g, cand } = m
  let total = 0
  for (;;) {
    total += g.maxFlow(m.S, t)
    let added = 0
    for (let j = 0; j < m.needs.length; j++) {
      if (cand.needStart[j] === cand.needStart[j + 1] || g.reachedAfterMaxFlow(m.needNode[j]!)) continue
      added += addBest(m, j, (i) => (g.reachedAfterMaxFlow(cand.from[i]!) ? cand.cost[i]! : Infinity))
    }
    if (added === 0) return total
  }
}

/** Min-cost flow S → T (capacities as set by the caller), exact on the full graph; returns
 *  [flow, cost] and leaves the potentials in g.pi, with every zero-reduced-cost candidate added. */
export function minCostFlowPriced(m: ComponentModel): [number, number] {
  const { g, cand } = m
  for (;;) {
    const res = g.minCostFlow(m.S, m.T)
    const pi = g.pi
    let added = 0
    for (let j = 0; j < m.needs.length; j++) {
      added += addBest(m, j, (i) => { const rc = cand.cost[i]! + pi[cand.from[i]!]! - pi[cand.to[i]!]!; return rc < 0 ? rc : Infinity })
    }
    if (added === 0) {
      for (let i = 0; i < cand.n; i++) {
        if (!cand.active[i] && cand.cost[i]! + pi[cand.from[i]!]! - pi[cand.to[i]!]! === 0) m.activate(i)
      }
      return res
    }
    g.resetFlows()
  }
}

/** activate up to ADD_PER_NEED inactive candidates of need j with the lowest finite score */
function addBest(m: ComponentModel, j: number, score: (i: number) => number): number {
  const { cand } = m
  const best: number[] = [], bestScore: number[] = []
  for (let q = cand.needStart[j]!; q < cand.needStart[j + 1]!; q++) {
    const i = cand.order[q]!
    if (cand.active[i]) continue
    const s = score(i)
    if (s === Infinity) continue
    if (best.length === ADD_PER_NEED && s >= bestScore[best.length - 1]!) continue
    let k = best.length < ADD_PER_NEED ? best.length : best.length - 1
    best[k] = i; bestScore[k] = s
    while (k > 0 && bestScore[k - 1]! > s) { best[k] = best[k - 1]!; bestScore[k] = bestScore[k - 1]!; best[k - 1] = i; bestScore[k - 1] = s; k-- }
  }
  for (const i of best) m.activate(i)
  return best.length
}
