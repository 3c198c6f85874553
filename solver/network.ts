// Exact integer network algorithms on one residual graph:
//  - Dinic max flow (used for the lexicographic unmet stage, one sink tier at a time);
//  - primal-dual min-cost flow (Dijkstra with potentials, then a Dinic blocking flow on the
//    zero-reduced-cost arcs), exact for integer capacities and integer costs.
// Edge e and e^1 are a forward arc and its residual reverse.
import { charge } from './budget'
import { grow } from './grow'
import { RadixHeap } from './radix-heap'

export const INF_CAP = 1e15

export class FlowGraph {
  n = 0
  m = 0 // number of arc slots used (2 per edge)
  // typed arrays grown by doubling: the hot loops below read them millions of times
  head = new Int32Array(64)
  to = new Int32Array(128)
  next = new Int32Array(128)
  cap = new Float64Array(128)
  cost = new Float64Array(128)
  origCap = new Float64Array(128)
  /** node potentials after minCostFlow: every residual arc has cost + pi[u] - pi[v] >= 0 */
  pi: Float64Array = new Float64Array(0)

  addNode(): number {
    if (this.n === this.head.length) this.head = grow(this.head, this.n * 2)
    this.head[this.n] = -1
    return this.n++
  }
  addEdge(u: number, v: number, cap: number, cost: number): number {
    const e = this.m
    if (e + 2 > this.to.length) {
      const size = this.to.length * 2
      this.to = grow(this.to, size)
      this.next = grow(this.next, size)
      this.cap = grow(this.cap, size)
      this.cost = grow(this.cost, size)
      this.origCap = grow(this.origCap, size)
    }
    this.to[e] = v
    this.to[e + 1] = u
    this.cap[e] = cap
    this.cap[e + 1] = 0
    this.origCap[e] = cap
    this.origCap[e + 1] = 0
    this.cost[e] = cost
    this.cost[e + 1] = -cost
    this.next[e] = this.head[u]!
    this.next[e + 1] = this.head[v]!
    this.head[u] = e
    this.head[v] = e + 1
    this.m += 2
    return e
  }
  from(e: number): number {
    return this.to[e ^ 1]!
  }
  flow(e: number): number {
    return this.origCap[e]! - this.cap[e]!
  }
  /** raise the capacity of a flowless arc */
  addCap(e: number, c: number): void {
    this.origCap[e] = this.origCap[e]! + c
    this.cap[e] = this.cap[e]! + c
  }
  setCap(e: number, c: number): void {
    this.origCap[e] = c
    this.cap[e] = c
    this.cap[e ^ 1] = 0
  }
  resetFlows(): void {
    this.cap.set(this.origCap)
  }

  // --- Dinic on the residual arcs, or (with `pi`) only on the zero-reduced-cost ones ---
  private level: Int32Array = new Int32Array(0)
  private it: Int32Array = new Int32Array(0)
  private queue: Int32Array = new Int32Array(0)

  /** is residual arc e usable: capacity left and, when pi is given, zero reduced cost */
  private bfs(s: number, t: number, pi: Float64Array | null): boolean {
    const { level, queue, head, next, to, cap, cost } = this
    level.fill(-1)
    let qh = 0,
      qt = 0
    queue[qt++] = s
    level[s] = 0
    while (qh < qt) {
      const u = queue[qh++]!
      // nodes at t's level or beyond are on no shortest path to t (the queue is in level order)
      if (level[t] !== -1 && level[u]! >= level[t]!) break
      const lu = level[u]! + 1
      const pu = pi === null ? 0 : pi[u]!
      for (let e = head[u]!; e !== -1; e = next[e]!) {
        const v = to[e]!
        if (level[v] !== -1 || cap[e]! <= 0) continue
        if (pi !== null && cost[e]! + pu - pi[v]! !== 0) continue
        level[v] = lu
        queue[qt++] = v
      }
    }
    return level[t] !== -1
  }

  /** The min-cost phases' layers: distance *to* t over residual zero-reduced-cost arcs, searched
   *  backwards from t (its pair e^1 in v's list is the arc into v). After a Dijkstra nearly every
   *  node is reachable from s at zero reduced cost, but only the nodes on shortest s–t paths reach
   *  t, so this labels far fewer nodes than a search from s; it stops at s's level. */
  private bfsBack(s: number, t: number, pi: Float64Array): boolean {
    const { level, queue, head, next, to, cap, cost } = this
    level.fill(-1)
    let qh = 0,
      qt = 0
    queue[qt++] = t
    level[t] = 0
    while (qh < qt) {
      const v = queue[qh++]!
      if (level[s] !== -1 && level[v]! >= level[s]!) break
      const lv = level[v]! + 1
      const pv = pi[v]!
      for (let e = head[v]!; e !== -1; e = next[e]!) {
        const u = to[e]!
        const r = e ^ 1 // the arc u → v
        if (level[u] !== -1 || cap[r]! <= 0 || cost[r]! + pi[u]! - pv !== 0) continue
        level[u] = lv
        queue[qt++] = u
      }
    }
    return level[s] !== -1
  }

  // Iterative DFS (deep chains would overflow recursion on large instances).
  private blocking(s: number, t: number, pi: Float64Array | null, step = 1): number {
    const { level, it, next, to, cap, cost } = this
    const stackE: number[] = []
    let total = 0
    for (;;) {
      const u = stackE.length === 0 ? s : to[stackE[stackE.length - 1]!]!
      if (u === t) {
        let f = INF_CAP
        for (const e of stackE) f = Math.min(f, cap[e]!)
        for (const e of stackE) {
          cap[e] = cap[e]! - f
          cap[e ^ 1] = cap[e ^ 1]! + f
        }
        total += f
        // restart from the first saturated arc
        let k = 0
        while (k < stackE.length && cap[stackE[k]!]! > 0) k++
        stackE.length = k
        continue
      }
      let advanced = false
      const want = level[u]! + step
      const pu = pi === null ? 0 : pi[u]!
      for (let e = it[u]!; e !== -1; e = next[e]!) {
        const v = to[e]!
        if (cap[e]! > 0 && level[v] === want && (pi === null || cost[e]! + pu - pi[v]! === 0)) {
          it[u] = e
          stackE.push(e)
          advanced = true
          break
        }
      }
      if (!advanced) {
        it[u] = -1
        level[u] = -1 // dead end
        if (stackE.length === 0) return total
        const back = stackE.pop()!
        const pu2 = to[back ^ 1]!
        it[pu2] = next[it[pu2]!]!
      }
    }
  }

  private ensureScratch(): void {
    if (this.level.length !== this.n) {
      this.level = new Int32Array(this.n)
      this.it = new Int32Array(this.n)
      this.queue = new Int32Array(this.n)
    }
  }

  private dinic(s: number, t: number, pi: Float64Array | null): number {
    this.ensureScratch()
    let total = 0
    if (pi !== null) {
      // layers by distance to t (bfsBack); blocking walks them downwards
      while (this.bfsBack(s, t, pi)) {
        charge(this.m + this.n) // one phase scans each arc a bounded number of times
        this.it.set(this.head.subarray(0, this.n))
        total += this.blocking(s, t, pi, -1)
      }
      return total
    }
    while (this.bfs(s, t, pi)) {
      charge(this.m + this.n)
      this.it.set(this.head.subarray(0, this.n))
      total += this.blocking(s, t, pi)
    }
    return total
  }

  /** Augment a maximum flow from s to t on the current residual graph. */
  maxFlow(s: number, t: number): number {
    return this.dinic(s, t, null)
  }

  /** after maxFlow: is v reachable from s in the residual graph (the source side of a minimum
   *  cut; the last breadth-first search of Dinic saw no path to t and labels exactly these) */
  reachedAfterMaxFlow(v: number): boolean {
    return this.level[v] !== -1
  }

  /**
   * Min-cost maximum flow from s to t, added to the current flow. Without `pi0` the current flow
   * must be zero and all costs >= 0; with it, every residual arc must have non-negative reduced
   * cost under `pi0` (then the current flow is cheapest for its value, and stays so).
   * Returns [flow added, cost of the whole flow]. Leaves valid potentials in `pi`.
   */
  minCostFlow(s: number, t: number, pi0?: Float64Array): [number, number] {
    this.ensureScratch()
    const n = this.n
    const pi = new Float64Array(n)
    if (pi0) pi.set(pi0.subarray(0, n))
    const dist = new Float64Array(n)
    const done = new Uint8Array(n)
    const heap = new RadixHeap()
    const { head, next, to, cap, cost } = this
    let flow = 0
    for (;;) {
      charge(this.m + this.n) // one Dijkstra
      dist.fill(Infinity)
      done.fill(0)
      dist[s] = 0
      heap.reset()
      heap.push(s, 0)
      let D = Infinity
      while (heap.size > 0) {
        const u = heap.pop()
        if (done[u]) continue
        done[u] = 1
        if (u === t) {
          D = dist[u]!
          break
        }
        const du = dist[u]! + pi[u]!
        for (let e = head[u]!; e !== -1; e = next[e]!) {
          if (cap[e]! <= 0) continue
          const v = to[e]!
          const nd = du + cost[e]! - pi[v]!
          if (nd < dist[v]!) {
            dist[v] = nd
            heap.push(v, nd)
          }
        }
      }
      if (D === Infinity) break
      for (let v = 0; v < n; v++) pi[v] = pi[v]! + Math.min(dist[v]!, D)
      // all shortest paths now have zero reduced cost: push a maximum flow along them
      const f = this.dinic(s, t, pi)
      if (f === 0) break // cannot happen with exact integer costs; guards against a loop
      flow += f
    }
    this.pi = pi
    let total = 0
    for (let e = 0; e < this.m; e += 2) total += this.flow(e) * cost[e]!
    return [flow, total]
  }

  reducedCost(e: number): number {
    return this.cost[e]! + this.pi[this.from(e)]! - this.pi[this.to[e]!]!
  }
}
