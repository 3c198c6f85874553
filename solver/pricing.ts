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
import { PRICING, type ComponentModel } from './model'
import { INF_CAP } from './network'

/** Lexicographic maximum flow: emergency, then urgent, then routine, each exact on the full graph;
 *  then, within each tier, the earlier deadline first (refineByDeadline). Returns the tier totals
 *  and leaves each deadline class's units in m.classTotals. */
export function lexMaxFlow(m: ComponentModel): number[] {
  const totals = m.tier.map((t) => maxFlowPriced(m, m.S, t))
  refineByDeadline(m, totals)
  return totals
}

/**
 * Earlier deadline first, exactly: with every tier total fixed, maximise the units of each tier's
 * earliest deadline class, then the next, … (README.md, "Earlier deadline first"). A tier that is
 * fully served has nothing to order. For a short tier its class arcs are cut, so its classes become
 * terminals holding their units; then for class k in order a super source X lends each later class
 * its units (X → c_j, j > k) and a max flow X → c_k moves as many as it can: a path takes a unit
 * from a later-deadline need and gives it to one of class k, re-routing stock on the way (through S,
 * blocks, and the classes and sinks of later tiers, whose totals it cannot change). Earlier
 * classes, and earlier tiers' classes, are terminals a path can only cross inside one class, so
 * their units never fall. Each step is priced like the tier flows, so it is exact on the full graph.
 */
function refineByDeadline(m: ComponentModel, totals: number[]): void {
  const { g, classes } = m
  if (classes.length === 0) return
  for (let t = 0; t < 3; t++) {
    const ks = classes.map((k, i) => ({ k, i })).filter(({ k }) => k.tier === t)
    if (ks.length === 0) continue
    const demand = ks.reduce((a, { k }) => a + k.needs.reduce((b, j) => b + m.needs[j]!.need.qty, 0), 0)
    for (const { k, i } of ks) m.classTotals[i] = g.flow(k.edge)
    if (totals[t]! >= demand) continue // every need of the tier is served: nothing to order
    for (const { k } of ks) g.setCap(k.edge, 0) // the classes keep their units as terminals
    const X = g.addNode()
    const lend = ks.map(({ k }) => g.addEdge(X, k.node, 0, 0))
    for (let a = 0; a < ks.length - 1; a++) {
      const { k, i } = ks[a]!
      if (k.needs.every((j) => g.cap[m.needEdge.get(m.needs[j]!.idx)!]! === 0)) continue // all served
      let later = 0
      for (let b = a + 1; b < ks.length; b++) later += m.classTotals[ks[b]!.i]!
      if (later === 0) break
      for (let b = 0; b < ks.length; b++) g.setCap(lend[b]!, b > a ? m.classTotals[ks[b]!.i]! : 0)
      const moved = maxFlowPriced(m, X, k.node, true)
      if (moved === 0) continue
      m.classTotals[i] += moved
      for (let b = a + 1; b < ks.length; b++) m.classTotals[ks[b]!.i]! -= g.flow(lend[b]!)
    }
    for (const e of lend) g.setCap(e, 0)
  }
}

/** `byTail`: find crossing candidates from the reached chain nodes (deadline steps, where the source
 *  reaches a small part of the graph) instead of from every unreached need's candidates */
function maxFlowPriced(m: ComponentModel, s: number, t: number, byTail = false): number {
  const { g, cand } = m
  let total = 0
  for (;;) {
    total += g.maxFlow(s, t)
    if (byTail) {
      if (addCrossingByTail(m) === 0) return total
      continue
    }
    let added = 0
    for (let j = 0; j < m.needs.length; j++) {
      if (cand.needStart[j] === cand.needStart[j + 1] || g.reachedAfterMaxFlow(m.needNode[j]!)) continue
      added += addBest(m, j, (i) => (g.reachedAfterMaxFlow(cand.from[i]!) ? cand.cost[i]! : Infinity))
    }
    if (added === 0) return total
  }
}

/** Candidates grouped by tail (chain node), built once per model for addCrossingByTail. */
const tailIndex = new WeakMap<ComponentModel, { start: Int32Array; list: Int32Array }>()

/** The max-flow cut test of maxFlowPriced, read from the tails: every inactive candidate from a node
 *  the last search reached to a need it did not reach crosses the cut; up to PRICING.addPerNeed of
 *  them per need, cheapest first (ties: the earlier candidate), join the graph. Same rule, same
 *  certificate; it costs the reached tails' candidates instead of every unreached need's. */
function addCrossingByTail(m: ComponentModel): number {
  const { g, cand } = m
  let idx = tailIndex.get(m)
  if (!idx) {
    let maxFrom = -1
    for (let i = 0; i < cand.n; i++) if (cand.from[i]! > maxFrom) maxFrom = cand.from[i]!
    const start = new Int32Array(maxFrom + 2)
    for (let i = 0; i < cand.n; i++) start[cand.from[i]! + 1]!++
    for (let v = 0; v <= maxFrom; v++) start[v + 1]! += start[v]!
    const fill = start.slice(0, maxFrom + 1)
    const list = new Int32Array(cand.n)
    for (let i = 0; i < cand.n; i++) list[fill[cand.from[i]!]!++] = i
    tailIndex.set(m, (idx = { start, list }))
  }
  const limit = Math.max(1, PRICING.addPerNeed)
  const best = new Map<number, { best: number[]; score: number[] }>()
  const { start, list } = idx
  for (let v = 0; v + 1 < start.length; v++) {
    if (start[v] === start[v + 1] || !g.reachedAfterMaxFlow(v)) continue
    for (let q = start[v]!; q < start[v + 1]!; q++) {
      const i = list[q]!
      if (cand.active[i]) continue
      const j = cand.need[i]!
      if (g.reachedAfterMaxFlow(m.needNode[j]!)) continue
      let b = best.get(j)
      if (!b) best.set(j, (b = { best: [], score: [] }))
      keepBest(b.best, b.score, limit, i, cand.cost[i]!)
    }
  }
  let added = 0
  for (const { best: is } of best.values())
    for (const i of is) {
      m.activate(i)
      added++
    }
  return added
}

/** Min-cost flow S → T (capacities as set by the caller), exact on the full graph; returns
 *  [flow, cost] and leaves the potentials in g.pi, with every zero-reduced-cost candidate added.
 *
 *  Warm start: after a round, the flow is cheapest on the sparse graph and the potentials prove
 *  it. The candidates added have negative reduced cost; each is saturated at its need's quantity
 *  (no flow into a need can exceed it, so this bound loses nothing), which makes every residual
 *  arc non-negative again but leaves an excess at the need and a deficit at the chain node. A
 *  min-cost flow from a super source on the excesses to a super sink on the deficits (potentials
 *  kept; it always succeeds, if need be by undoing a saturation) restores conservation at least
 *  cost, so the flow is cheapest for its value on the larger graph: the next pricing round starts
 *  from there instead of from zero. */
export function minCostFlowPriced(m: ComponentModel): [number, number] {
  const { g, cand } = m
  const [flow] = g.minCostFlow(m.S, m.T)
  for (;;) {
    const pi = g.pi
    const added = { cand: [] as number[], edge: [] as number[] }
    for (let j = 0; j < m.needs.length; j++) addNegative(m, j, pi, added)
    if (added.cand.length === 0) break
    const excess = new Map<number, number>()
    const edges = added.edge
    for (let k = 0; k < edges.length; k++) {
      const i = added.cand[k]!,
        e = edges[k]!
      const q = m.needs[cand.need[i]!]!.need.qty
      g.setCap(e, q)
      g.cap[e] = 0
      g.cap[e ^ 1] = q
      excess.set(m.needNode[cand.need[i]!]!, (excess.get(m.needNode[cand.need[i]!]!) ?? 0) + q)
      excess.set(cand.from[i]!, (excess.get(cand.from[i]!) ?? 0) - q)
    }
    const s2 = g.addNode(),
      t2 = g.addNode()
    const pi0 = new Float64Array(g.n)
    pi0.set(pi.subarray(0, Math.min(pi.length, g.n)))
    let hi = -Infinity,
      lo = Infinity,
      total = 0
    const superArcs: number[] = []
    for (const [v, x] of excess) {
      if (x > 0) {
        superArcs.push(g.addEdge(s2, v, x, 0))
        hi = Math.max(hi, pi0[v]!)
        total += x
      } else if (x < 0) {
        superArcs.push(g.addEdge(v, t2, -x, 0))
        lo = Math.min(lo, pi0[v]!)
      }
    }
    pi0[s2] = hi
    pi0[t2] = lo
    const [f] = g.minCostFlow(s2, t2, pi0)
    if (f !== total) throw new Error(`internal: warm start moved ${f} of ${total} units`)
    for (const e of superArcs) {
      g.origCap[e] = 0
      g.cap[e] = 0
      g.cap[e ^ 1] = 0
    }
    for (const e of edges) {
      const fe = g.flow(e)
      g.origCap[e] = INF_CAP
      g.cap[e] = INF_CAP - fe
      g.cap[e ^ 1] = fe
    }
  }
  const pi = g.pi
  const { order, active, from } = cand
  for (let j = 0; j < m.needs.length; j++) {
    const piNeed = pi[m.needNode[j]!]!
    for (let q = cand.needStart[j]!, end = cand.needStart[j + 1]!; q < end; q++) {
      const i = order[q]!
      if (!active[i] && cand.cost[i]! + pi[from[i]!]! - piNeed === 0) m.activate(i)
    }
  }
  let cost = 0
  for (let e = 0; e < g.m; e += 2) cost += g.flow(e) * g.cost[e]!
  return [flow, cost]
}

/** activate up to PRICING.addPerNeed inactive candidates of need j with the most negative reduced
 *  cost (addBest's rule with the score written out: this scan runs over every candidate each
 *  pricing round, so it reads the need's potential once and calls nothing per candidate) */
function addNegative(m: ComponentModel, j: number, pi: Float64Array, out: { cand: number[]; edge: number[] }): void {
  const { cand } = m
  const { order, active, cost, from } = cand
  const limit = Math.max(1, PRICING.addPerNeed)
  const piNeed = pi[m.needNode[j]!]!
  const best: number[] = [],
    bestRc: number[] = []
  for (let q = cand.needStart[j]!, end = cand.needStart[j + 1]!; q < end; q++) {
    const i = order[q]!
    if (active[i]) continue
    const rc = cost[i]! + pi[from[i]!]! - piNeed
    if (rc < 0) keepBest(best, bestRc, limit, i, rc)
  }
  for (const i of best) {
    out.cand.push(i)
    out.edge.push(m.activate(i))
  }
}

/** activate up to PRICING.addPerNeed inactive candidates of need j with the lowest finite score */
function addBest(m: ComponentModel, j: number, score: (i: number) => number, out?: { cand: number[]; edge: number[] }): number {
  const { cand } = m
  const limit = Math.max(1, PRICING.addPerNeed)
  const best: number[] = [],
    bestScore: number[] = []
  for (let q = cand.needStart[j]!; q < cand.needStart[j + 1]!; q++) {
    const i = cand.order[q]!
    if (cand.active[i]) continue
    const s = score(i)
    if (s !== Infinity) keepBest(best, bestScore, limit, i, s)
  }
  for (const i of best) {
    const e = m.activate(i)
    out?.cand.push(i)
    out?.edge.push(e)
  }
  return best.length
}

/** keep the `limit` lowest scores seen so far in `best` (ties: the earlier candidate first) */
function keepBest(best: number[], score: number[], limit: number, i: number, s: number): void {
  if (best.length === limit && s >= score[limit - 1]!) return
  let k = best.length < limit ? best.length : limit - 1
  while (k > 0 && score[k - 1]! > s) {
    best[k] = best[k - 1]!
    score[k] = score[k - 1]!
    k--
  }
  best[k] = i
  score[k] = s
}
