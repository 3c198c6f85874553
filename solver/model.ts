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
import { antigensServe } from './antigens'
import { isCompatible, preferenceRank } from './compat'
import { FlowGraph, INF_CAP } from './network'
import { type Candidates, finishCandidates, newCandidates, pushCandidate } from './candidates'
import { blockKey, type PLot, type PNeed, type Prepared } from './prepare'
import { HOUR_MS } from './timing'
import { SHELF_DAYS } from './domain'
import type { Abo, Component, Rhd } from './types'

/** Preference-tier costs (integers so the network solve is exact). */
export const RANK_COST = 1000 // one step in the clinical order outweighs 100 h of road
export const HOUR_COST = 10 // per unit per whole road hour
/** per frozen unit used: liquid units first. More than any red-cell route costs (24 h × 10), less than
 *  a step in the clinical order: a preference, never a reason to leave a need unmet. */
export const FROZEN_COST = 500
const SHELF_LIFE_H = Object.fromEntries(Object.entries(SHELF_DAYS).map(([c, d]) => [c, d * 24])) as Record<Component, number>
/** 0..9, lower for nearer expiry, so near-expiry units are used first (a tie-break below travel) */
export function expiryCost(p: Prepared, l: PLot, c: Component): number {
  const rem = (l.expMs - p.nowMs) / HOUR_MS
  return Math.max(0, Math.min(9, Math.floor((10 * rem) / SHELF_LIFE_H[c])))
}
export const arcCost = (rank: number, travelH: number) => rank * RANK_COST + Math.round(travelH) * HOUR_COST
/** cost of drawing one unit of a lot: its expiry step, plus FROZEN_COST for a frozen unit */
export const lotCost = (p: Prepared, l: PLot, c: Component) => expiryCost(p, l, c) + (l.frozen ? FROZEN_COST : 0)

/** locked: reserve-locked units (or class-0 ones), to Loc (cls 0) or, in disaster mode, to L_cls */
/** `qty` units of `lot` on arc `edge` from S; lots of one (kind, class, expiry step) share the arc */
export interface LotArc {
  lot: PLot
  edge: number
  locked: boolean
  cls: number
  qty: number
}
export interface NeedArc {
  need: PNeed
  edge: number
  cls: number
  local: boolean
  /** drawn from the chain of reserve-locked units (disaster mode, remote emergency needs only) */
  locked: boolean
  rank: number
  travelH: number
}
export interface Block {
  site: number
  abo: Abo
  rhd: Rhd
  key: string
  /** antigen profile ('' for none) and state of the block's lots */
  profile: string
  frozen: boolean
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
  needEdge: Map<number, number> // need idx → edge need → its deadline class node, or its tier sink
  /** deadline classes of the tiers whose needs have two or more distinct deadlines, in priority
   *  order (tier, then earliest deadline first, no deadline last); a tier with one class has none */
  classes: DeadlineClass[]
  /** units into each class, set by lexMaxFlow (pricing.ts) and held by the min-cost stage */
  classTotals: number[]
  needNode: Int32Array // node of needs[j]
  blocks: Block[]
  needs: PNeed[]
  /** every remote (block, need) arc the rules allow, in or out of the graph (pricing.ts) */
  cand: Candidates
  /** block index and C-class of chain node v (a candidate's tail): chainBlock[v], chainCls[v] */
  chainBlock: readonly number[]
  chainCls: readonly number[]
  /** put candidate i into the graph (no-op when it is already there); returns its edge, or -1 */
  activate(i: number): number
}

/** Needs of one urgency tier with the same deadline: need → class node → tier sink. */
export interface DeadlineClass {
  tier: number
  byMs: number
  node: number
  edge: number
  needs: number[]
}

/** Sparse models: how many of each need's cheapest remote arcs start in the graph, and how many
 *  a pricing round may add per need (pricing.ts). Any values give the same, exact answers; these
 *  take the 450-site bench region to two rounds. (An object so tests can set them to 1, where the
 *  pricing rounds do all the work.) */
export const PRICING = { initialArcsPerNeed: 8, addPerNeed: 10 }

/** Which units a binding reserve locks, per block key: lot idx → locked units (summing to the
 *  block's usable stock − outbound cap). Absent for a block: its nearest-expiry usable units. */
export type LockSets = Map<string, Map<number, number>>

/** `sparse` (default: routine mode) puts only a few cheapest remote arcs per need into the graph;
 *  solve.ts then prices the others in (pricing.ts), which is exact for the full network. */
export function buildComponentModel(p: Prepared, c: Component, lots: PLot[], needs: PNeed[], locks?: LockSets, sparse = !p.disaster): ComponentModel {
  const g = new FlowGraph()
  const S = g.addNode(),
    T = g.addNode()
  const tier = [g.addNode(), g.addNode(), g.addNode()]
  const tierToT = tier.map((t) => g.addEdge(t, T, 0, 0))
  const needNode = new Map<number, number>()
  const needEdge = new Map<number, number>()
  const nNode = new Int32Array(needs.length)
  const nSite = new Int32Array(needs.length)
  const nGroup = new Int32Array(needs.length) // (abo, rhd, allowRhPositive) of the need, for the rank cache
  // Earlier deadline first (docs/plan-instance.md): a tier whose needs have several deadlines gets a
  // node per deadline between its needs and its sink, so lexMaxFlow can order them.
  const classes: DeadlineClass[] = []
  const classOf = new Map<string, DeadlineClass>()
  for (let t = 0; t < 3; t++) {
    const bys = [...new Set(needs.filter((n) => n.tier === t && n.need.qty > 0).map((n) => n.byMs ?? Infinity))].sort((a, b) => a - b)
    if (bys.length < 2) continue
    for (const byMs of bys) {
      const node = g.addNode()
      const k: DeadlineClass = { tier: t, byMs, node, edge: g.addEdge(node, tier[t]!, INF_CAP, 0), needs: [] }
      classes.push(k)
      classOf.set(`${t}|${byMs}`, k)
    }
  }
  needs.forEach((n, j) => {
    const v = g.addNode()
    nNode[j] = v
    nSite[j] = n.site
    nGroup[j] = ABO_INDEX[n.need.abo] * 4 + (n.need.rhd === '-' ? 2 : 0) + (n.need.allowRhPositive ? 1 : 0)
    needNode.set(n.idx, v)
    const k = n.need.qty > 0 ? classOf.get(`${n.tier}|${n.byMs ?? Infinity}`) : undefined
    k?.needs.push(j)
    needEdge.set(n.idx, g.addEdge(v, k ? k.node : tier[n.tier]!, n.need.qty, 0))
  })
  // preference rank by (donor group, need group), -1 when incompatible; computed once per pair
  const rankCache = new Int8Array(8 * 16).fill(-2)
  const rankOf = (dg: number, abo: Abo, rhd: Rhd, j: number) => {
    const k = dg * 16 + nGroup[j]!
    let r = rankCache[k]!
    if (r === -2) {
      const n = needs[j]!.need
      r = rankCache[k] = isCompatible(c, abo, rhd, n) ? preferenceRank(c, abo, rhd, n) : -1
    }
    return r
  }
  // per donor group, the needs (in order) it is compatible with and that ask for something
  const nBy = new Float64Array(needs.length)
  needs.forEach((n, j) => {
    nBy[j] = n.byMs ?? Infinity
  })
  // per (donor group, antigen profile): the needs it may serve
  const compatCache = new Map<string, Int32Array>()
  const compatibleNeeds = (dg: number, abo: Abo, rhd: Rhd, profile: string): Int32Array => {
    const ck = `${dg}|${profile}`
    let list = compatCache.get(ck)
    if (!list) {
      const js: number[] = []
      for (let j = 0; j < needs.length; j++) if (needs[j]!.need.qty > 0 && rankOf(dg, abo, rhd, j) >= 0 && antigensServe(profile, needs[j]!.profile)) js.push(j)
      compatCache.set(ck, (list = Int32Array.from(js)))
    }
    return list
  }
  const cand = newCandidates()
  // block and class of each chain node C_k (a candidate's tail says both)
  const chainOf: number[] = [],
    clsOf: number[] = []
  const maxTransit = p.maxTransitH[c]
  // group lots into blocks by (site, group, antigen profile, liquid or frozen), in deterministic order
  const byKey = new Map<string, PLot[]>()
  for (const l of lots) {
    const k = blockKey(l.site, c, l.lot.abo, l.lot.rhd, l.profile, l.frozen)
    let arr = byKey.get(k)
    if (!arr) byKey.set(k, (arr = []))
    arr.push(l)
  }
  const blocks: Block[] = []
  // one block's remote needs (scratch reused across blocks: there are thousands of blocks)
  const remJ = new Int32Array(needs.length),
    remPos = new Int32Array(needs.length)
  const remRank = new Int32Array(needs.length),
    remTravel = new Float64Array(needs.length)
  let nRem = 0
  for (const [key, blotsAll] of byKey) {
    const {
      site,
      lot: { abo, rhd },
      profile,
      frozen,
      readyMs,
      minRemH: minRem,
    } = blotsAll[0]!
    const dg = ABO_INDEX[abo] * 2 + (rhd === '-' ? 1 : 0)
    const stockAll = blotsAll.reduce((a, l) => a + l.lot.qty, 0)
    // only units that still have minRemaining life when ready can serve anyone (local travel is 0);
    // a frozen block is ready after thawing, with the thawed life and minimum (prepare.ts)
    const localTh = readyMs + minRem * HOUR_MS
    const blots = blotsAll.filter((l) => l.expMs >= localTh && l.lot.qty > 0).sort((a, b) => a.expMs - b.expMs || a.idx - b.idx)
    const bi = blocks.length
    const block: Block = {
      site,
      abo,
      rhd,
      key,
      profile,
      frozen,
      lots: blots,
      lotArcs: [],
      needArcs: [],
      stockAll,
      toLock: 0,
      lock: new Map(),
      emergencyFirstPos: -1,
      lotCls: [],
    }
    blocks.push(block)
    if (blots.length === 0) continue
    const lastExp = blots[blots.length - 1]!.expMs
    const firstPos = (th: number) => {
      // first index in blots with expMs >= th
      let lo = 0,
        hi = blots.length
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        if (blots[mid]!.expMs >= th) hi = mid
        else lo = mid + 1
      }
      return lo
    }
    const local: { n: PNeed; rank: number }[] = []
    nRem = 0
    const travelRow = p.travel[site]!
    const compat = compatibleNeeds(dg, abo, rhd, profile)
    for (let q = 0; q < compat.length; q++) {
      const j = compat[q]!
      const travelH = travelRow[nSite[j]!]!
      if (!(readyMs + travelH * HOUR_MS <= nBy[j]!)) continue // inTime (after thawing, for frozen units)
      const rank = rankCache[dg * 16 + nGroup[j]!]!
      if (nSite[j] === site) {
        local.push({ n: needs[j]!, rank })
        continue
      }
      if (travelH > maxTransit) continue // a route longer than the component may travel
      const th = readyMs + (travelH + minRem) * HOUR_MS
      if (th > lastExp) continue
      remJ[nRem] = j
      remPos[nRem] = firstPos(th)
      remRank[nRem] = rank
      remTravel[nRem] = travelH
      nRem++
    }
    if (local.length === 0 && nRem === 0) continue
    // A remote need can use the lots from the first one whose expiry meets its threshold:
    // needs sharing that first lot are equivalent, so classes are the distinct first positions.
    // classAt[pos] = number of attach positions <= pos
    const classAt = new Int32Array(blots.length)
    for (let r = 0; r < nRem; r++) classAt[remPos[r]!] = 1
    let nCls = 0
    for (let pos = 0; pos < blots.length; pos++) {
      nCls += classAt[pos]!
      classAt[pos] = nCls
    }
    const chain: number[] = [] // chain[k-1] = C_k
    for (let k = 0; k < nCls; k++) {
      const v = g.addNode()
      chain.push(v)
      chainOf[v] = bi
      clsOf[v] = k + 1
    }
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
    const emergencyPos: number[] = []
    if (p.disaster && toLock > 0) for (let r = 0; r < nRem; r++) if (needs[remJ[r]!]!.tier === 0) emergencyPos.push(remPos[r]!)
    const lths = emergencyPos.length === 0 ? NONE : [...new Set(emergencyPos)].sort((a, b) => a - b)
    const lclassOfPos = (pos: number) => {
      // number of emergency attach positions <= pos
      let lo = 0,
        hi = lths.length
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        if (lths[mid]! <= pos) lo = mid + 1
        else hi = mid
      }
      return lo
    }
    block.emergencyFirstPos = lths.length > 0 ? lths[0]! : -1
    const lchain = lths.length === 0 ? NONE : lths.map(() => g.addNode()) // lchain[k-1] = L_k
    for (let k = lchain.length - 1; k >= 1; k--) g.addEdge(lchain[k]!, lchain[k - 1]!, INF_CAP, 0)
    if (loc >= 0 && lchain.length > 0) g.addEdge(lchain[0]!, loc, INF_CAP, 0)
    // Lots of one block, kind (locked or free), class and expiry step serve the same needs at the
    // same cost: they share one arc from S (decompose.ts draws its units nearest expiry first).
    const pooled = new Map<number, number>() // (kind, class, step) → edge
    const lotArc = (l: PLot, node: number, qty: number, cost: number, locked: boolean, cls: number) => {
      const k = node * 1024 + cost // cost < 1024: expiry step + FROZEN_COST
      let edge = pooled.get(k)
      if (edge === undefined) pooled.set(k, (edge = g.addEdge(S, node, qty, cost)))
      else g.addCap(edge, qty)
      block.lotArcs.push({ lot: l, edge, locked, cls, qty })
    }
    blots.forEach((l, pos) => {
      const cls = classAt[pos]!
      block.lotCls[pos] = cls
      const cost = lotCost(p, l, c)
      const locked = lockOf ? Math.min(lockOf.get(l.idx) ?? 0, l.lot.qty) : Math.min(toLock, l.lot.qty)
      toLock -= locked
      if (locked > 0) block.lock.set(l.idx, locked)
      const free = l.lot.qty - locked
      // locked units that some remote emergency need can use enter L_k; the rest, and free
      // units of class 0 (no remote need can use them), can only be used locally
      const lcls = locked > 0 && lchain.length > 0 ? lclassOfPos(pos) : 0
      const toLoc = (lcls === 0 ? locked : 0) + (cls === 0 ? free : 0)
      if (toLoc > 0 && loc >= 0) lotArc(l, loc, toLoc, cost, true, 0)
      if (lcls > 0) lotArc(l, lchain[lcls - 1]!, locked, cost, true, lcls)
      if (cls > 0 && free > 0) lotArc(l, chain[cls - 1]!, free, cost, false, cls)
    })
    for (const { n, rank } of local) {
      block.needArcs.push({
        need: n,
        edge: g.addEdge(loc, needNode.get(n.idx)!, INF_CAP, arcCost(rank, 0)),
        cls: 0,
        local: true,
        locked: false,
        rank,
        travelH: 0,
      })
    }
    for (let r = 0; r < nRem; r++) {
      const j = remJ[r]!,
        n = needs[j]!,
        pos = remPos[r]!,
        rank = remRank[r]!,
        travelH = remTravel[r]!
      const cls = classAt[pos]! // its attach position's index + 1
      const i = pushCandidate(cand, chain[cls - 1]!, arcCost(rank, travelH), j, rank)
      if (!sparse) cand.active[i] = 1
      if (!sparse)
        block.needArcs.push({
          need: n,
          edge: g.addEdge(chain[cls - 1]!, nNode[j]!, INF_CAP, arcCost(rank, travelH)),
          cls,
          local: false,
          locked: false,
          rank,
          travelH,
        })
      if (n.tier === 0 && lchain.length > 0) {
        const lcls = lclassOfPos(pos)
        block.needArcs.push({
          need: n,
          edge: g.addEdge(lchain[lcls - 1]!, nNode[j]!, INF_CAP, arcCost(rank, travelH)),
          cls: lcls,
          local: false,
          locked: true,
          rank,
          travelH,
        })
      }
    }
  }
  finishCandidates(cand, needs.length)
  const activate = (i: number) => {
    if (cand.active[i]) return -1
    cand.active[i] = 1
    const from = cand.from[i]!,
      b = blocks[chainOf[from]!]!
    const j = cand.need[i]!
    const edge = g.addEdge(from, nNode[j]!, INF_CAP, cand.cost[i]!)
    b.needArcs.push({ need: needs[j]!, edge, cls: clsOf[from]!, local: false, locked: false, rank: cand.rank[i]!, travelH: p.travel[b.site]![nSite[j]!]! })
    return edge
  }
  if (sparse) {
    // start with the few cheapest remote arcs of each need
    const best = new Int32Array(Math.max(1, PRICING.initialArcsPerNeed))
    for (let j = 0; j < needs.length; j++) {
      let nb = 0
      for (let q = cand.needStart[j]!; q < cand.needStart[j + 1]!; q++) {
        const i = cand.order[q]!,
          ci = cand.cost[i]!
        if (nb === best.length && ci >= cand.cost[best[nb - 1]!]!) continue
        let k = nb < best.length ? nb++ : nb - 1
        while (k > 0 && cand.cost[best[k - 1]!]! > ci) {
          best[k] = best[k - 1]!
          k--
        }
        best[k] = i
      }
      for (let k = 0; k < nb; k++) activate(best[k]!)
    }
  }
  return {
    component: c,
    g,
    S,
    T,
    tier,
    tierToT,
    needEdge,
    classes,
    classTotals: classes.map(() => 0),
    needNode: nNode,
    blocks,
    needs,
    cand,
    chainBlock: chainOf,
    chainCls: clsOf,
    activate,
  }
}

const ABO_INDEX: Record<Abo, number> = { O: 0, A: 1, B: 2, AB: 3 }
const NONE: readonly number[] = []
