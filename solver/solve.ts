// Orchestrates the solve: per component, (1) lexicographic maximum coverage by tier with Dinic,
// (2) min-cost flow with those tier totals fixed, (3) fair-shares stage on the optimal face,
// then decomposes the flow into lot-level allocations and transfers.
import { explainUnmet } from './explain'
import { balanceBurden } from './fairness'
import { buildComponentModel, type Block, type ComponentModel, type LockSets } from './model'
import { prepare, type PLot, type PNeed, type Prepared } from './prepare'
import { classifyBlocks, exactLocks, unlockSets } from './disaster'
import type { Allocation, Component, Instance, PlanResult, PlanSummary, Transfer, Unmet } from './types'
import { COMPONENTS } from './types'

/** units of lot `lot` given to need `need` */
export interface Draw { lot: PLot; need: PNeed; qty: number; rank: number; travelH: number }

export function solve(inst: Instance): PlanResult {
  const p = prepare(inst)
  const draws: Draw[] = []
  const fairness: PlanSummary['fairness'] = []
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
    let m = buildComponentModel(p, c, lots, needs)
    let totals = m.tier.map((t) => m.g.maxFlow(m.S, t))
    if (p.disaster) {
      // disaster mode (README.md, "Disaster mode: exactness"): the network with the default
      // locks is exact unless a block is contested; then an integer program finds the locks.
      const cls = classifyBlocks(p, m)
      let locks: LockSets | undefined
      if (cls.contested.length === 0) {
        if (cls.unlock.length > 0) locks = unlockSets(cls.unlock)
      } else {
        // (i) the lock search gives a feasible plan; dropping the cap of the contested blocks
        // (and keeping the others' exact locks) gives a network relaxation of the true problem.
        // When the two totals agree, the search's plan is optimal: no integer program needed.
        const searched = searchLocks(p, c, lots, needs, m, totals)
        const relaxed = buildComponentModel(p, c, lots, needs, unlockSets([...cls.contested, ...cls.unlock]))
        const upper = relaxed.tier.map((t) => relaxed.g.maxFlow(relaxed.S, t))
        let why = ''
        if (upper.every((x, i) => x === searched.totals[i])) ({ m, totals } = searched)
        else {
          // (ii) otherwise the integer program on the pooled component decides
          const ex = exactLocks(p, m, searched.totals)
          why = ex.ok ? '' : ex.why
          if (ex.ok) {
            // the network with these locks contains the integer plan, and every network flow is
            // feasible: its totals are the integer program's
            const m2 = buildComponentModel(p, c, lots, needs, ex.locks)
            const t2 = m2.tier.map((t) => m2.g.maxFlow(m2.S, t))
            if (t2.some((x, i) => x !== ex.totals[i])) why = `internal: network totals ${t2.join('/')} differ from the integer program's ${ex.totals.join('/')}`
            if (!why || lexBetter(t2, searched.totals)) { m = m2; totals = t2 } else ({ m, totals } = searched)
          } else ({ m, totals } = searched)
        }
        if (why) {
          exact = false
          notes.push(`${c}: disaster-mode reserve cap contested at ${cls.contested.length} block(s); ${why}, so the lock search's plan was kept: it serves ${totals.join('/')} units (emergency/urgent/routine), a relaxation bounds the optimum by ${upper.join('/')}`)
        }
      }
      if (locks) {
        m = buildComponentModel(p, c, lots, needs, locks)
        totals = m.tier.map((t) => m.g.maxFlow(m.S, t))
      }
    }
    // (2) cheapest plan among those with exactly these totals.
    m.g.resetFlows()
    m.tier.forEach((_, i) => m.g.setCap(m.tierToT[i]!, totals[i]!))
    const [flow, cost] = m.g.minCostFlow(m.S, m.T)
    if (flow !== totals[0]! + totals[1]! + totals[2]!) throw new Error(`internal: ${c} flow ${flow} != ${totals.join('+')}`)
    objective += cost
    // (3) among cheapest plans, spread the burden over donor stations
    fairness.push(balanceBurden(m))
    draws.push(...decompose(m))
  }
  return buildResult(p, draws, objective, fairness, exact, notes)
}

/** Disaster mode fallback when the exact stage is too large or too slow: a search over lock
 *  sets, keeping only what raises the lexicographic totals (feasible, not proven optimal). */
function searchLocks(p: Prepared, c: Component, lots: PLot[], needs: PNeed[], m: ComponentModel, totals: number[]): { m: ComponentModel; totals: number[] } {
  // try locking the units remote emergencies can use first
  const alt = emergencyFirstLocks(m)
  if (alt) {
    const m2 = buildComponentModel(p, c, lots, needs, alt)
    const t2 = m2.tier.map((t) => m2.g.maxFlow(m2.S, t))
    if (lexBetter(t2, totals)) { m = m2; totals = t2 }
  }
  // re-choose which units a reserve locks while that helps
  for (let round = 0; round < MAX_RELOCK_ROUNDS; round++) {
    const locks = relock(m)
    if (!locks) break
    const m2 = buildComponentModel(p, c, lots, needs, locks)
    const t2 = m2.tier.map((t) => m2.g.maxFlow(m2.S, t))
    if (!lexBetter(t2, totals)) break
    m = m2
    totals = t2
  }
  return { m, totals }
}

/** rounds of re-locking in disaster mode; each is one more network build and three max flows */
const MAX_RELOCK_ROUNDS = 8
const lexBetter = (a: number[], b: number[]) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! > b[i]!
  return false
}

/** Disaster mode, the other starting point: per block whose locked units can reach a remote
 *  emergency, lock the units some remote emergency can use first (nearest expiry first), then
 *  the older ones. The locked units then still serve emergencies, and the older units, which
 *  only closer needs can use, stay free for urgent and routine transfers. */
function emergencyFirstLocks(m: ComponentModel): LockSets | undefined {
  const out: LockSets = new Map()
  let changed = false
  for (const b of m.blocks) {
    if (b.toLock === 0) continue
    if (b.emergencyFirstPos < 0) { out.set(b.key, b.lock); continue }
    const lock = new Map<number, number>()
    let left = b.toLock
    const order = [...b.lots.slice(b.emergencyFirstPos), ...b.lots.slice(0, b.emergencyFirstPos)]
    for (const l of order) {
      const q = Math.min(left, l.lot.qty)
      if (q > 0) { lock.set(l.idx, q); left -= q }
      if ((b.lock.get(l.idx) ?? 0) !== q) changed = true
    }
    out.set(b.key, lock)
  }
  return changed ? out : undefined
}

/** Disaster mode: new lock sets from the current flow, or undefined when nothing would change.
 *  Per block with a binding reserve, lock units that the flow does not send to remote urgent or
 *  routine needs (there are at least toLock of them, as those transfers respect the cap):
 *  first those serving remote emergency needs, then local or unused ones, nearest expiry
 *  first. The current flow stays feasible, so the totals of the next round are never worse,
 *  and units that a remote emergency takes from the free chain stop blocking the release of
 *  older units to remote urgent and routine needs. */
function relock(m: ComponentModel): LockSets | undefined {
  const out: LockSets = new Map()
  let changed = false
  const draws: Draw[] = []
  for (const b of m.blocks) {
    if (b.toLock === 0) continue
    if (!b.needArcs.some((a) => !a.local && a.need.tier === 0 && m.g.flow(a.edge) > 0)) { out.set(b.key, b.lock); continue }
    draws.length = 0
    decomposeBlock(m, b, draws)
    const emerg = new Map<number, number>(), capped = new Map<number, number>()
    for (const d of draws) {
      if (d.need.site === d.lot.site) continue
      const map = d.need.tier === 0 ? emerg : capped
      map.set(d.lot.idx, (map.get(d.lot.idx) ?? 0) + d.qty)
    }
    const lock = new Map<number, number>()
    let left = b.toLock
    for (const pass of [0, 1]) {
      for (const l of b.lots) {
        if (left === 0) break
        const e = emerg.get(l.idx) ?? 0
        const q = Math.min(left, pass === 0 ? e : l.lot.qty - e - (capped.get(l.idx) ?? 0))
        if (q > 0) { lock.set(l.idx, (lock.get(l.idx) ?? 0) + q); left -= q }
      }
    }
    if (left !== 0) throw new Error('internal: reserve cap exceeded')
    for (const [k, v] of lock) if ((b.lock.get(k) ?? 0) !== v) changed = true
    for (const [k, v] of b.lock) if ((lock.get(k) ?? 0) !== v) changed = true
    out.set(b.key, lock)
  }
  return changed ? out : undefined
}

/** Turn block flows into lot → need draws: remote needs (most demanding class first) take the
 *  nearest-expiry free units that qualify, local needs take the rest of the units used. */
function decompose(m: ComponentModel): Draw[] {
  const out: Draw[] = []
  for (const b of m.blocks) decomposeBlock(m, b, out)
  return out
}

function decomposeBlock(m: ComponentModel, b: Block, out: Draw[]): void {
  const g = m.g
  // Lot arcs of one kind (locked or free), class and expiry-cost step are interchangeable for
  // the network: within such a group, draw the used units from the nearest-expiry lots first.
  const groups = new Map<string, { arcs: typeof b.lotArcs; used: number }>()
  for (const a of b.lotArcs) { // lotArcs follow b.lots, sorted by expiry
    const k = `${a.locked}|${a.cls}|${g.cost[a.edge]}`
    let grp = groups.get(k)
    if (!grp) groups.set(k, (grp = { arcs: [], used: 0 }))
    grp.arcs.push(a)
    grp.used += g.flow(a.edge)
  }
  const free = new Map<number, number>() // lot idx → free units used
  const locked = new Map<number, number>()
  for (const grp of groups.values()) {
    let left = grp.used
    for (const a of grp.arcs) {
      const q = Math.min(left, g.origCap[a.edge]!)
      left -= q
      if (q > 0) (a.locked ? locked : free).set(a.lot.idx, q)
    }
  }
  // class of each lot's free units (chain C) and of its locked units (chain L, disaster mode)
  const clsOfLot = new Map<number, number>()
  const lclsOfLot = new Map<number, number>()
  for (const a of b.lotArcs) (a.locked ? lclsOfLot : clsOfLot).set(a.lot.idx, a.cls)
  // per pool, the most demanding class first, each from the nearest-expiry units that qualify
  const remote = b.needArcs.filter((a) => !a.local && g.flow(a.edge) > 0)
    .sort((x, y) => Number(x.locked) - Number(y.locked) || y.cls - x.cls || x.need.idx - y.need.idx)
  for (const a of remote) {
    let want = g.flow(a.edge)
    const pool = a.locked ? locked : free
    const clsOf = a.locked ? lclsOfLot : clsOfLot
    for (const l of b.lots) { // b.lots is sorted by expiry
      if (want === 0) break
      const have = pool.get(l.idx) ?? 0
      if (have === 0 || (clsOf.get(l.idx) ?? 0) < a.cls) continue
      const q = Math.min(have, want)
      pool.set(l.idx, have - q)
      want -= q
      out.push({ lot: l, need: a.need, qty: q, rank: a.rank, travelH: a.travelH })
    }
    if (want !== 0) throw new Error('internal: remote decomposition failed')
  }
  const local = b.needArcs.filter((a) => a.local && g.flow(a.edge) > 0).sort((x, y) => x.need.idx - y.need.idx)
  for (const a of local) {
    let want = g.flow(a.edge)
    for (const l of b.lots) {
      if (want === 0) break
      for (const pool of [locked, free]) {
        const have = pool.get(l.idx) ?? 0
        const q = Math.min(have, want)
        if (q === 0) continue
        pool.set(l.idx, have - q)
        want -= q
        out.push({ lot: l, need: a.need, qty: q, rank: a.rank, travelH: 0 })
      }
    }
    if (want !== 0) throw new Error('internal: local decomposition failed')
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100

function buildResult(p: Prepared, draws: Draw[], objective: number, fairness: PlanSummary['fairness'], exact: boolean, notes: string[]): PlanResult {
  const siteId = (i: number) => p.inst.sites[i]!.id
  // allocations: one per (need, fromSite, group), lots merged, in need order then site order
  const allocMap = new Map<string, Allocation & { _n: number; _s: number }>()
  const served = new Map<number, number>()
  for (const d of draws) {
    const l = d.lot.lot
    served.set(d.need.idx, (served.get(d.need.idx) ?? 0) + d.qty)
    const k = `${d.need.idx}|${d.lot.site}|${l.abo}${l.rhd}`
    let a = allocMap.get(k)
    if (!a) {
      a = { need: d.need.need.id, fromSite: siteId(d.lot.site), abo: l.abo, rhd: l.rhd, qty: 0, lots: [],
        substitution: l.abo !== d.need.need.abo || l.rhd !== d.need.need.rhd, preferenceRank: d.rank,
        travelHours: round2(d.travelH), _n: d.need.idx, _s: d.lot.site }
      allocMap.set(k, a)
    }
    a.qty += d.qty
    const existing = a.lots.find((x) => x.id === d.lot.name)
    if (existing) existing.qty += d.qty
    else a.lots.push({ id: d.lot.name, qty: d.qty })
  }
  const allocations = [...allocMap.values()]
    .sort((x, y) => x._n - y._n || x._s - y._s || x.preferenceRank - y.preferenceRank || (x.abo + x.rhd).localeCompare(y.abo + y.rhd))
    .map(({ _n, _s, ...a }) => a)
  // transfers: allocations between different sites, summed per from, to, component and group
  const trMap = new Map<string, Transfer & { _f: number; _t: number }>()
  for (const d of draws) {
    if (d.lot.site === d.need.site) continue
    const l = d.lot.lot
    const k = `${d.lot.site}|${d.need.site}|${l.component}|${l.abo}${l.rhd}`
    let t = trMap.get(k)
    if (!t) {
      t = { from: siteId(d.lot.site), to: siteId(d.need.site), component: l.component, abo: l.abo, rhd: l.rhd, qty: 0,
        etaHours: round2(d.travelH), needs: [], _f: d.lot.site, _t: d.need.site }
      trMap.set(k, t)
    }
    t.qty += d.qty
    if (!t.needs.includes(d.need.need.id)) t.needs.push(d.need.need.id)
  }
  const transfers = [...trMap.values()]
    .sort((x, y) => x._f - y._f || x._t - y._t || x.component.localeCompare(y.component) || (x.abo + x.rhd).localeCompare(y.abo + y.rhd))
    .map(({ _f, _t, ...t }) => t)
  const unmet: Unmet[] = p.needs.map((n) => ({ need: n.need.id, qty: n.need.qty - (served.get(n.idx) ?? 0) }))
  explainUnmet(p, draws, unmet)
  const zero = () => ({ emergency: 0, urgent: 0, routine: 0 })
  const summary: PlanSummary = {
    demandUnits: zero(), unmetUnits: zero(), unmetByReason: {},
    allocatedUnits: draws.reduce((a, d) => a + d.qty, 0),
    transferredUnits: transfers.reduce((a, t) => a + t.qty, 0),
    substitutedUnits: allocations.reduce((a, x) => a + (x.substitution ? x.qty : 0), 0),
    fairness,
    exact,
    ...(notes.length > 0 ? { notes } : {}),
  }
  p.needs.forEach((n, i) => {
    summary.demandUnits[n.need.urgency] += n.need.qty
    summary.unmetUnits[n.need.urgency] += unmet[i]!.qty
    const reason = unmet[i]!.reason
    if (reason) summary.unmetByReason[reason] = (summary.unmetByReason[reason] ?? 0) + unmet[i]!.qty
  })
  return { status: 'optimal', allocations, transfers, unmet, objective, summary }
}
