// Fair-shares stage: among the cheapest plans, the smallest largest share of a donor station's
// stock of the component sent to other sites — exactly, in whole units, on the network.
//
// The cheapest plans. After the min-cost flow the potentials give every arc a reduced cost; an
// arc of reduced cost 0 may carry any flow in [0, cap] without changing the cost, positive ones
// stay empty and negative ones full (complementary slackness, which every optimal flow meets with
// these potentials). So the cheapest plans are exactly the flows with the same node balances that
// move only zero-reduced-cost arcs: the unmet totals and the preference cost are both fixed.
//
// Why a network. Units a station sends away = units it draws (its lot arcs, all leaving S) −
// units it uses at home (its local arcs). This stage keeps each need's units from its own
// station's stock as the min-cost plan has them (which blocks give them may change): then "used
// at home" is a constant per station, and "sent away ≤ k" is a capacity on one arc S → U_s through
// which all the station's lot arcs pass. For a share z every station gets the cap
// floor(z · stock), and the question "is there a cheapest plan within these caps?" is one maximum
// flow (supplies and demands of the fixed arcs on a super source and sink). Feasibility only
// grows with z and only changes where z · stock crosses a whole number, so a bisection over those
// values ends at the least feasible one: the exact optimum, and the max flow's plan is integral.
//
// Shares are exact fractions (BigInt numerator and denominator): two shares k / a and k' / b differ
// by at least 1 / (a·b), which floating point cannot tell apart once stocks reach millions of units
// (a stock of 2^32 once made this bisection run for minutes). With exact values the bisection takes
// about 2·log2(stock) steps, whatever the size of the numbers.
import { FlowGraph } from './network'
import type { ComponentModel } from './model'
import type { ResultSummary } from './types'

type Fairness = ResultSummary['fairness'][number]

const LOT = 1,
  REMOTE = 2,
  LOCAL = 3

/** an exact non-negative share n / d (d > 0), or the sentinel −1 / 1 for "below every share" */
interface Share {
  n: bigint
  d: bigint
}
const share = (k: number, st: number): Share => ({ n: BigInt(k), d: BigInt(st) })
const NONE: Share = { n: -1n, d: 1n }
const cmp = (a: Share, b: Share) => {
  const x = a.n * b.d,
    y = b.n * a.d
  return x < y ? -1 : x > y ? 1 : 0
}
const maxOf = (a: Share, b: Share) => (cmp(a, b) >= 0 ? a : b)
/** floor(z · st) for z ≥ 0 */
const floorTimes = (z: Share, st: number) => Number((z.n * BigInt(st)) / z.d)
/** ceil(z · st) for z ≥ 0 */
const ceilTimes = (z: Share, st: number) => Number((z.n * BigInt(st) + z.d - 1n) / z.d)
const mean = (a: Share, b: Share): Share => ({ n: a.n * b.d + b.n * a.d, d: 2n * a.d * b.d })
const toNumber = (z: Share) => Number(z.n) / Number(z.d)

export function balanceBurden(m: ComponentModel): Fairness {
  const g = m.g
  // stock per donor site; the site and kind of every lot arc (from S), remote arc and local arc
  const stock = new Map<number, number>()
  const home = new Map<number, number>() // site → units its own needs take from its stock
  const arcSite = new Int32Array(g.m >> 1).fill(-1),
    arcKind = new Uint8Array(g.m >> 1)
  const remote: number[] = [] // remote arcs (edge, site, edge, site, …)
  for (const b of m.blocks) {
    stock.set(b.site, (stock.get(b.site) ?? 0) + b.stockAll)
    for (const a of b.lotArcs) {
      arcSite[a.edge >> 1] = b.site
      arcKind[a.edge >> 1] = LOT
    }
    for (const a of b.needArcs) {
      arcSite[a.edge >> 1] = b.site
      if (a.local) {
        arcKind[a.edge >> 1] = LOCAL
        home.set(b.site, (home.get(b.site) ?? 0) + g.flow(a.edge))
      } else {
        arcKind[a.edge >> 1] = REMOTE
        remote.push(a.edge, b.site)
      }
    }
  }
  const sent = (flowOf: (e: number) => number) => {
    const out = new Map<number, number>()
    for (let k = 0; k < remote.length; k += 2) out.set(remote[k + 1]!, (out.get(remote[k + 1]!) ?? 0) + flowOf(remote[k]!))
    return out
  }
  const maxShare = (out: Map<number, number>) => {
    let z = share(0, 1)
    for (const [s, q] of out) if (stock.get(s)! > 0) z = maxOf(z, share(q, stock.get(s)!))
    return z
  }
  const rounded = (z: Share) => Math.round(toNumber(z) * 1e4) / 1e4
  const free: number[] = [] // arcs of reduced cost 0: the ones a cheapest plan may move
  const usedFixed = new Map<number, number>() // site → units on its other lot arcs
  for (let e = 0; e < g.m; e += 2) {
    if (g.origCap[e]! > 0 && g.reducedCost(e) === 0) free.push(e)
    else if (arcKind[e >> 1] === LOT) usedFixed.set(arcSite[e >> 1]!, (usedFixed.get(arcSite[e >> 1]!) ?? 0) + g.flow(e))
  }
  const before = sent((e) => g.flow(e))
  if (!free.some((e) => arcKind[e >> 1] === REMOTE)) return { component: m.component, maxShare: rounded(maxShare(before)), method: 'not-needed' }
  const done = (): Fairness => ({ component: m.component, maxShare: rounded(maxShare(sent((e) => g.flow(e)))), method: 'parametric-max-flow' })
  const below = (z: Share) => {
    // the largest k / stock < z over the stations
    let c = NONE
    for (const st of stock.values()) if (st > 0 && ceilTimes(z, st) > 0) c = maxOf(c, share(ceilTimes(z, st) - 1, st))
    return c
  }
  const atMost = (z: Share) => {
    // the largest k / stock <= z over the stations
    let c = NONE
    for (const st of stock.values()) if (st > 0) c = maxOf(c, share(floorTimes(z, st), st))
    return c
  }
  // A station without a free lot arc keeps its share (it draws and uses at home as it does), so
  // below the largest such share nothing is feasible; often that share is the largest of all.
  const movable = new Set<number>()
  for (const e of free) if (arcKind[e >> 1] === LOT) movable.add(arcSite[e >> 1]!)
  let fixedMax = NONE
  for (const [s, q] of before) if (!movable.has(s) && stock.get(s)! > 0) fixedMax = maxOf(fixedMax, share(q, stock.get(s)!))
  // lo: every share ≤ lo is infeasible (NONE: none known)
  let hi = maxShare(before),
    lo = fixedMax === NONE ? NONE : below(fixedMax)
  if (cmp(below(hi), lo) <= 0) return done()

  // The feasibility network H over the free arcs: lot arcs leave U_s (one per site), local arcs
  // end in Lin_n, whose total into its need stays as it is (a fixed arc, so not in H).
  const h = new FlowGraph()
  const node = new Int32Array(g.n).fill(-1)
  const at = (v: number) => (node[v] === -1 ? (node[v] = h.addNode()) : node[v]!)
  const src = h.addNode(),
    sink = h.addNode(),
    hS = at(m.S)
  const U = new Map<number, number>(),
    lin = new Map<number, number>()
  const balance: number[] = [] // H node → required net outflow over H's arcs
  const move = (u: number, v: number, f: number) => {
    balance[u] = (balance[u] ?? 0) + f
    balance[v] = (balance[v] ?? 0) - f
  }
  const usedFree = new Map<number, number>() // site → units on its free lot arcs now
  const hEdge = new Map<number, number>()
  for (const e of free) {
    const f = g.flow(e)
    let u = at(g.from(e)),
      v = at(g.to[e]!)
    const kind = arcKind[e >> 1]
    if (kind === LOT) {
      const s = arcSite[e >> 1]!
      if (!U.has(s)) U.set(s, h.addNode())
      u = U.get(s)!
      usedFree.set(s, (usedFree.get(s) ?? 0) + f)
    } else if (kind === LOCAL) {
      const n = g.to[e]!
      if (!lin.has(n)) lin.set(n, h.addNode())
      v = lin.get(n)!
    }
    hEdge.set(e, h.addEdge(u, v, g.origCap[e]!, 0))
    move(u, v, f)
  }
  const capArc = new Map<number, number>() // site → arc S → U_s
  for (const [s, u] of U) {
    capArc.set(s, h.addEdge(hS, u, 0, 0))
    move(hS, u, usedFree.get(s)!)
  }
  let need = 0
  for (let v = 0; v < h.n; v++) {
    const b = balance[v] ?? 0
    if (b > 0) {
      h.addEdge(src, v, b, 0)
      need += b
    } else if (b < 0) h.addEdge(v, sink, -b, 0)
  }
  // sent away by s = used(s) − home(s) = usedFixed + flow(S → U_s) − home
  const fixedPart = (s: number) => (usedFixed.get(s) ?? 0) - (home.get(s) ?? 0)
  const sentInH = () => {
    const out = new Map(before)
    for (const [s, e] of capArc) out.set(s, fixedPart(s) + h.flow(e))
    return out
  }
  /** a cheapest plan with every station's share ≤ z? (leaves that plan's flow in H) */
  const feasible = (z: Share) => {
    for (const [s, q] of before) if (!capArc.has(s) && q > floorTimes(z, stock.get(s)!)) return false
    h.resetFlows()
    for (const [s, e] of capArc) {
      const c = floorTimes(z, stock.get(s)!) - fixedPart(s)
      if (c < 0) return false
      h.setCap(e, c)
    }
    return h.maxFlow(src, sink) === need
  }
  // Bisection on z, keeping hi feasible (a share some cheapest plan has) and lo infeasible.
  // Feasibility at z is that of the largest k / stock ≤ z, so only those values are tried; the
  // first is the next one below hi (when the largest share is forced, one max flow proves it).
  let first = true
  for (;;) {
    const top = below(hi)
    if (cmp(top, lo) <= 0) break // no share strictly between lo and hi: hi is the least feasible one
    const mid = lo.n < 0n ? { n: top.n, d: 2n * top.d } : mean(lo, top)
    // mid only if some value in (lo, mid] is new
    const z = first || cmp(atMost(mid), lo) <= 0 ? top : mid
    first = false
    if (feasible(z)) hi = maxShare(sentInH())
    else lo = atMost(z) // the same feasibility as z, and a share k / stock: fractions stay small
  }
  if (cmp(hi, maxShare(before)) < 0) {
    if (!feasible(hi)) throw new Error('internal: fair shares lost their plan')
    for (const [e, he] of hEdge) {
      const f = h.flow(he)
      g.cap[e] = g.origCap[e]! - f
      g.cap[e ^ 1] = f
    }
  }
  return done()
}
