// The transportation network of one component (see README.md for why it is exact).
//
//   S ──lot arcs──▶ C_K ─▶ … ─▶ C_1 ─▶ Loc ──▶ local needs
//                    │          │
//                    └─▶ remote needs whose shelf-life threshold class is k
//   need ──qty──▶ t_emergency | t_urgent | t_routine ──(phase 2: fixed totals)──▶ T
//
// One block per (site, group) that holds the component. Its usable lots are sorted by expiry;
// a remote need can use a suffix of them (expiry >= now + travel + minRemaining). A lot's class k
// is the number of distinct suffix starts at or below its position, so a class-k unit can serve
// every need a class-(k-1) unit can: the chain C_k → C_{k-1} carries that, and each
// need gets a single arc from its block instead of one per lot. Reserves: remote use of a block
// is capped at stock − reserve by sending its nearest-expiry usable units (beyond the cap) only to
// Loc — any feasible plan can swap units so that this holds, so no unmet unit is lost.
import { isCompatible, preferenceRank } from './compat'
import { FlowGraph, INF_CAP } from './network'
import { groupKey, type PLot, type PNeed, type Prepared } from './prepare'
import { expiryThreshold, HOUR_MS, inTime } from './timing'
import type { Abo, Component, Rhd } from './types'

/** Preference-tier costs (integers so the network solve is exact). */
export const RANK_COST = 1000 // one step in the clinical order outweighs 100 h of road
export const HOUR_COST = 10 // per unit per whole road hour
const SHELF_LIFE_H: Record<Component, number> = { WB: 35 * 24, RBC: 35 * 24, PLT: 5 * 24, FFP: 365 * 24, CRYO: 365 * 24 }
/** 0..9, lower for nearer expiry, so near-expiry units are used first (a tie-break below travel) */
export function expiryCost(p: Prepared, l: PLot, c: Component): number {
  const rem = (l.expMs - p.nowMs) / HOUR_MS
  return Math.max(0, Math.min(9, Math.floor((10 * rem) / SHELF_LIFE_H[c])))
}
export const arcCost = (rank: number, travelH: number) => rank * RANK_COST + Math.round(travelH) * HOUR_COST

/** locked: reserve-locked units (or class-0 ones), to Loc (cls 0) or, in disaster mode, to L_cls */
export interface LotArc { lot: PLot; edge: number; locked: boolean; cls: number }
export interface NeedArc {
  need: PNeed; edge: number; cls: number; local: boolean
  /** drawn from the chain of reserve-locked units (disaster mode, remote emergency needs only) */
  locked: boolean
  rank: number; travelH: number
}
export interface Block {
  site: number
  abo: Abo
  rhd: Rhd
  key: string
  lots: PLot[]
  lotArcs: LotArc[]
  needArcs: NeedArc[]
  /** number of units each lot can give at all (usable locally) */
  stockAll: number
  /** usable units beyond the outbound cap, locked away from (urgent and routine) transfers */
  toLock: number
  /** lot idx → units locked by the reserve (absent = 0) */
  lock: Map<number, number>
  /** disaster mode: first position in `lots` that some remote emergency need can use (-1: none) */
  emergencyFirstPos: number
  /** C-chain class of each lot in `lots` (0: local use only), whatever part of it is locked */
  lotCls: number[]
}
export interface ComponentModel {
  component: Component
  g: FlowGraph
  S: number
  T: number
  tier: number[] // sink node per urgency tier
  tierToT: number[] // edge tier sink → T
  needEdge: Map<number, number> // need idx → edge need → tier sink
  blocks: Block[]
  needs: PNeed[]
}

/** Which units a binding reserve locks, per block key: lot idx → locked units (summing to the
 *  block's usable stock − outbound cap). Absent for a block: its nearest-expiry usable units. */
export type LockSets = Map<string, Map<number, number>>

export function buildComponentModel(p: Prepared, c: Component, lots: PLot[], needs: PNeed[], locks?: LockSets): ComponentModel {
  const g = new FlowGraph()
  const S = g.addNode(), T = g.addNode()
  const tier = [g.addNode(), g.addNode(), g.addNode()]
  const tierToT = tier.map((t) => g.addEdge(t, T, 0, 0))
  const needNode = new Map<number, number>()
  const needEdge = new Map<number, number>()
  for (const n of needs) {
    const v = g.addNode()
    needNode.set(n.idx, v)
    needEdge.set(n.idx, g.addEdge(v, tier[n.tier]!, n.need.qty, 0))
  }
  const minRem = p.minRemH[c]
  const localTh = expiryThreshold(p.nowMs, 0, minRem)
  // group lots into blocks by (site, group), in deterministic order
  const byKey = new Map<string, PLot[]>()
  for (const l of lots) {
    const k = groupKey(l.site, c, l.lot.abo, l.lot.rhd)
    let arr = byKey.get(k)
    if (!arr) byKey.set(k, (arr = []))
    arr.push(l)
  }
  const blocks: Block[] = []
  for (const [key, blotsAll] of byKey) {
    const { site, lot: { abo, rhd } } = blotsAll[0]!
    const stockAll = blotsAll.reduce((a, l) => a + l.lot.qty, 0)
    // only units that still have minRemaining life now can serve anyone (local travel is 0)
    const blots = blotsAll.filter((l) => l.expMs >= localTh && l.lot.qty > 0)
      .sort((a, b) => a.expMs - b.expMs || a.idx - b.idx)
    const block: Block = { site, abo, rhd, key, lots: blots, lotArcs: [], needArcs: [], stockAll, toLock: 0, lock: new Map(), emergencyFirstPos: -1, lotCls: [] }
    blocks.push(block)
    if (blots.length === 0) continue
    const local: { n: PNeed; rank: number }[] = []
    const remote: { n: PNeed; rank: number; travelH: number; th: number }[] = []
    for (const n of needs) {
      if (n.need.qty === 0 || !isCompatible(c, abo, rhd, n.need)) continue
      const travelH = p.travel[site]![n.site]!
      if (!inTime(p.nowMs, travelH, n.byMs)) continue
      const rank = preferenceRank(c, abo, rhd, n.need)
      if (n.site === site) local.push({ n, rank })
      else {
        const th = expiryThreshold(p.nowMs, travelH, minRem)
        if (th <= blots[blots.length - 1]!.expMs) remote.push({ n, rank, travelH, th })
      }
    }
    if (local.length === 0 && remote.length === 0) continue
    // A remote need can use the lots from the first one whose expiry meets its threshold:
    // needs sharing that first lot are equivalent, so classes are the distinct first positions.
    const firstPos = (th: number) => { // first index in blots with expMs >= th
      let lo = 0, hi = blots.length
      while (lo < hi) { const mid = (lo + hi) >> 1; if (blots[mid]!.expMs >= th) hi = mid; else lo = mid + 1 }
      return lo
    }
    const ths = [...new Set(remote.map((r) => firstPos(r.th)))].sort((a, b) => a - b) // attach positions
    const classOfPos = (pos: number) => { // number of attach positions <= pos
      let lo = 0, hi = ths.length
      while (lo < hi) { const mid = (lo + hi) >> 1; if (ths[mid]! <= pos) lo = mid + 1; else hi = mid }
      return lo
    }
    const chain = ths.map(() => g.addNode()) // chain[k-1] = C_k
    for (let k = chain.length - 1; k >= 1; k--) g.addEdge(chain[k]!, chain[k - 1]!, INF_CAP, 0)
    const loc = local.length > 0 ? g.addNode() : -1
    if (loc >= 0 && chain.length > 0) g.addEdge(chain[0]!, loc, INF_CAP, 0)
    // reserve: lock the nearest-expiry units beyond the outbound cap to local use (and, in
    // disaster mode, to remote emergency needs through a chain of their own, L_k, that no
    // urgent or routine need draws from)
    const cap = p.outboundCap.get(key)
    let toLock = cap === undefined ? 0 : Math.max(0, blots.reduce((a, l) => a + l.lot.qty, 0) - cap)
    block.toLock = toLock
    const lockOf = locks?.get(key)
    const emergencyRemote = p.disaster && toLock > 0 ? remote.filter((r) => r.n.tier === 0) : []
    const lths = [...new Set(emergencyRemote.map((r) => firstPos(r.th)))].sort((a, b) => a - b)
    const lclassOfPos = (pos: number) => { // number of emergency attach positions <= pos
      let lo = 0, hi = lths.length
      while (lo < hi) { const mid = (lo + hi) >> 1; if (lths[mid]! <= pos) lo = mid + 1; else hi = mid }
      return lo
    }
    block.emergencyFirstPos = lths.length > 0 ? lths[0]! : -1
    const lchain = lths.map(() => g.addNode()) // lchain[k-1] = L_k
    for (let k = lchain.length - 1; k >= 1; k--) g.addEdge(lchain[k]!, lchain[k - 1]!, INF_CAP, 0)
    if (loc >= 0 && lchain.length > 0) g.addEdge(lchain[0]!, loc, INF_CAP, 0)
    blots.forEach((l, pos) => {
      const cls = classOfPos(pos)
      block.lotCls[pos] = cls
      const cost = expiryCost(p, l, c)
      const locked = lockOf ? Math.min(lockOf.get(l.idx) ?? 0, l.lot.qty) : Math.min(toLock, l.lot.qty)
      toLock -= locked
      if (locked > 0) block.lock.set(l.idx, locked)
      const free = l.lot.qty - locked
      // locked units that some remote emergency need can use enter L_k; the rest, and free
      // units of class 0 (no remote need can use them), can only be used locally
      const lcls = locked > 0 && lchain.length > 0 ? lclassOfPos(pos) : 0
      const toLoc = (lcls === 0 ? locked : 0) + (cls === 0 ? free : 0)
      if (toLoc > 0 && loc >= 0) block.lotArcs.push({ lot: l, edge: g.addEdge(S, loc, toLoc, cost), locked: true, cls: 0 })
      if (lcls > 0) block.lotArcs.push({ lot: l, edge: g.addEdge(S, lchain[lcls - 1]!, locked, cost), locked: true, cls: lcls })
      if (cls > 0 && free > 0) block.lotArcs.push({ lot: l, edge: g.addEdge(S, chain[cls - 1]!, free, cost), locked: false, cls })
    })
    for (const { n, rank } of local) {
      block.needArcs.push({ need: n, edge: g.addEdge(loc, needNode.get(n.idx)!, INF_CAP, arcCost(rank, 0)), cls: 0, local: true, locked: false, rank, travelH: 0 })
    }
    for (const { n, rank, travelH, th } of remote) {
      const pos = firstPos(th)
      const cls = classOfPos(pos) // its attach position's index + 1
      block.needArcs.push({ need: n, edge: g.addEdge(chain[cls - 1]!, needNode.get(n.idx)!, INF_CAP, arcCost(rank, travelH)), cls, local: false, locked: false, rank, travelH })
      if (n.tier === 0 && lchain.length > 0) {
        const lcls = lclassOfPos(pos)
        block.needArcs.push({ need: n, edge: g.addEdge(lchain[lcls - 1]!, needNode.get(n.idx)!, INF_CAP, arcCost(rank, travelH)), cls: lcls, local: false, locked: true, rank, travelH })
      }
    }
  }
  return { component: c, g, S, T, tier, tierToT, needEdge, blocks, needs }
}
