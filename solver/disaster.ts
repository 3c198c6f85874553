// Disaster mode, made exact (see README.md, "Disaster mode: exactness").
//
// The side constraint — per block, transfers to remote urgent and routine needs ≤ outbound cap,
// while remote emergency needs may use every unit — is not a network constraint. The network
// model expresses it by *locking* a set of units away from remote urgent/routine needs. Here:
//  1. `classifyBlocks` proves, block by block, when a fixed lock set is exact (no MIP needed);
//  2. otherwise `exactLocks` solves the component's pooled allocation as an integer program with
//     javascript-lp-solver (tiers lexicographically, then the preference cost) and turns the
//     optimal plan into lock sets under which the network contains that plan. Every network flow
//     is feasible for the true problem, so the network solve with those locks is optimal too.
import solver, { type SolveResult } from 'javascript-lp-solver'
import { arcCost, lotCost, type Block, type ComponentModel, type LockSets } from './model'
import type { PNeed, Prepared } from './prepare'

/** Bounds of the integer-program stage: largest pooled program handed to javascript-lp-solver
 *  (variables, and rows × variables of its dense tableau), and the wall-clock budget of one
 *  component's solves. Beyond them the lock search's plan is kept with `summary.exact: false`.
 *  (An object so tests can shrink the bounds to exercise the fallback.) */
export const EXACT_LIMITS = { maxVars: 2500, maxCells: 400_000, budgetMs: 2000 }

export interface BlockClasses {
  /** blocks whose reserve can bind against remote urgent/routine needs while remote emergency
   *  needs compete for units those needs cannot use: no fixed lock set is known to be right */
  contested: Block[]
  /** blocks whose remote urgent/routine needs can never take more than the cap: lock nothing */
  unlock: Block[]
}

/** Disaster mode: which blocks with a binding reserve need more than the nearest-expiry lock.
 *  A block is *not* contested (the network with its lock is exact) when
 *  (a) it has no remote emergency need arc: the cap covers all its remote use, as in routine mode,
 *      where swapping a transferred locked unit with an untransferred free (later-expiring) one
 *      always works;
 *  (b) it has no remote urgent/routine need arc: the cap constrains nothing, and locked units
 *      still reach local needs (Loc) and every remote emergency that can use them (chain L);
 *  (c) every remote emergency need accepts every unit its remote urgent/routine needs accept
 *      (emergency class ≤ every urgent/routine class): the swap of (a) is still allowed, since
 *      the locked unit, usable by the urgent/routine need, can take over the free unit's
 *      emergency;
 *  (d) remote urgent/routine needs can take at most `cap` units from it in any plan (their total
 *      quantity, or the units of a class they can use, is ≤ cap): the cap is redundant, so the
 *      block is built with nothing locked (`unlock`), and every network flow is feasible. */
export function classifyBlocks(p: Prepared, m: ComponentModel): BlockClasses {
  const out: BlockClasses = { contested: [], unlock: [] }
  // every remote arc of the C chains is a candidate, in the graph or not (a sparse model holds
  // only some), so the classification reads the candidates: the same in dense and sparse models
  const remote = new Map<Block, { need: PNeed; cls: number }[]>()
  const { cand } = m
  for (let i = 0; i < cand.n; i++) {
    const b = m.blocks[m.chainBlock[cand.from[i]!]!]!
    if (b.toLock === 0) continue
    let list = remote.get(b)
    if (!list) remote.set(b, (list = []))
    list.push({ need: m.needs[cand.need[i]!]!, cls: m.chainCls[cand.from[i]!]! })
  }
  for (const b of m.blocks) {
    if (b.toLock === 0) continue
    const arcs = remote.get(b) ?? []
    const remoteE = arcs.filter((a) => a.need.tier === 0)
    const remoteUR = arcs.filter((a) => a.need.tier > 0)
    if (remoteE.length === 0 || remoteUR.length === 0) continue // (a), (b)
    const minUR = Math.min(...remoteUR.map((a) => a.cls))
    if (Math.max(...remoteE.map((a) => a.cls)) <= minUR) continue // (c)
    const demand = [...new Set(remoteUR.map((a) => a.need))].reduce((s, n) => s + n.need.qty, 0)
    const units = b.lots.reduce((s, l, i) => s + (b.lotCls[i]! >= minUR ? l.lot.qty : 0), 0)
    if (Math.min(demand, units) <= p.outboundCap.get(b.key)!) {
      out.unlock.push(b)
      continue
    } // (d)
    out.contested.push(b)
  }
  return out
}

/** lock sets that lock nothing in the given blocks (others: the default nearest-expiry lock) */
export const unlockSets = (blocks: Block[]): LockSets => new Map(blocks.map((b) => [b.key, new Map<number, number>()]))

export type ExactOutcome = { ok: true; locks: LockSets; totals: number[]; vars: number; ms: number } | { ok: false; why: string }

interface Pool {
  block: number
  cls: number
  supply: number
  lotPos: number[]
}

/** Disaster mode, exact: lexicographic tier totals and least preference cost by integer
 *  programming on the pooled allocation of one component, returned as lock sets for the network.
 *
 *  Pooling: within a block, lots of the same C-class and expiry-cost step serve exactly the same
 *  needs (same site and group → compatibility, rank and travel; same class → same remote needs,
 *  all usable locally) at the same cost, and the cap counts the block's units: any lot-level plan
 *  sums to a pooled one and any pooled plan splits over its lots. So the pooled program (supplies,
 *  need quantities, the disaster cap per capped block, integer variables) is the exact problem.
 *  `incumbent` = the network totals with the default locks (a feasible plan): the emergency total
 *  is exact already (no cap binds emergencies), and the urgent total is a lower bound. */
export function exactLocks(p: Prepared, m: ComponentModel, incumbent: number[]): ExactOutcome {
  const t0 = Date.now()
  const c = m.component
  const pools: Pool[] = []
  const poolOfLot: number[][] = [] // block index → pool index per lot position
  m.blocks.forEach((b, bi) => {
    poolOfLot[bi] = []
    if (b.needArcs.length === 0) return
    const byKey = new Map<string, number>()
    b.lots.forEach((l, pos) => {
      const k = `${b.lotCls[pos]}|${lotCost(p, l, c)}`
      let pi = byKey.get(k)
      if (pi === undefined) {
        byKey.set(k, (pi = pools.length))
        pools.push({ block: bi, cls: b.lotCls[pos]!, supply: 0, lotPos: [] })
      }
      pools[pi]!.supply += l.lot.qty
      pools[pi]!.lotPos.push(pos)
      poolOfLot[bi]![pos] = pi
    })
  })
  // variables: pool × need arc it can use (the C-chain arcs; the L arcs only model locking)
  type V = { pool: number; block: number; need: number; tier: number; capped: boolean }
  const vs: V[] = []
  const costOf: number[] = []
  for (let pi = 0; pi < pools.length; pi++) {
    const pool = pools[pi]!,
      b = m.blocks[pool.block]!
    const lot = b.lots[pool.lotPos[0]!]!
    for (const a of b.needArcs) {
      if (a.locked || (!a.local && a.cls > pool.cls)) continue
      vs.push({ pool: pi, block: pool.block, need: a.need.idx, tier: a.need.tier, capped: !a.local && a.need.tier > 0 && b.toLock > 0 })
      costOf.push(arcCost(a.rank, a.travelH) + lotCost(p, lot, c))
    }
  }
  const capRows = m.blocks.filter((b) => b.toLock > 0).length
  const rows = pools.length + m.needs.length + capRows + 3
  if (vs.length > EXACT_LIMITS.maxVars || vs.length * rows > EXACT_LIMITS.maxCells) {
    return {
      ok: false,
      why: `integer program too large (${vs.length} variables × ${rows} rows; limits ${EXACT_LIMITS.maxVars} variables, ${EXACT_LIMITS.maxCells} cells)`,
    }
  }
  const constraints: Record<string, { max?: number; min?: number; equal?: number }> = {}
  pools.forEach((pl, pi) => {
    constraints[`p${pi}`] = { max: pl.supply }
  })
  for (const n of m.needs) constraints[`n${n.idx}`] = { max: n.need.qty }
  m.blocks.forEach((b, bi) => {
    if (b.toLock > 0) constraints[`c${bi}`] = { max: p.outboundCap.get(b.key)! }
  })
  const variables: Record<string, Record<string, number>> = {}
  const ints: Record<string, 1> = {}
  const tierHasVars = [false, false, false]
  vs.forEach((v, k) => {
    // objectives get attributes of their own: javascript-lp-solver cannot also bound the
    // attribute it optimises (a row on it makes the model infeasible)
    const coef: Record<string, number> = { [`p${v.pool}`]: 1, [`n${v.need}`]: 1, [`t${v.tier}`]: 1, [`z${v.tier}`]: 1, cost: costOf[k]! }
    if (v.capped) coef[`c${v.block}`] = 1
    variables[`v${k}`] = coef
    ints[`v${k}`] = 1
    tierHasVars[v.tier] = true
  })
  const deadline = t0 + EXACT_LIMITS.budgetMs
  const timedOut = () => Date.now() >= deadline
  const integral = (r: SolveResult) => vs.every((_, k) => Math.abs(Number(r[`v${k}`] ?? 0) - Math.round(Number(r[`v${k}`] ?? 0))) < 1e-9)
  /** optimum of one stage: the LP relaxation when its optimum is integral (then it is the
   *  integer optimum too), else branch and bound over all variables */
  const stage = (optimize: string, opType: 'max' | 'min', fixed: Record<string, { equal?: number; min?: number }>) => {
    const model = { optimize, opType, constraints: { ...constraints, ...fixed }, variables, options: { timeout: Math.max(1, deadline - Date.now()) } }
    let r = solver.Solve(model) as SolveResult
    if (r.feasible && !integral(r)) r = solver.Solve({ ...model, ints }) as SolveResult
    return r.feasible && !timedOut() ? r : undefined
  }
  const totals = [incumbent[0]!, 0, 0]
  const fixed: Record<string, { equal?: number; min?: number }> = {}
  if (tierHasVars[0]) fixed.t0 = { equal: totals[0]! }
  for (const t of [1, 2]) {
    if (!tierHasVars[t]) continue
    // the incumbent's total is a lower bound only while the earlier tiers equal its own
    const lb = totals.slice(0, t).every((x, i) => x === incumbent[i]) ? incumbent[t]! : 0
    const r = stage(`z${t}`, 'max', { ...fixed, [`t${t}`]: { min: lb } })
    if (!r) return { ok: false, why: timedOut() ? `integer program over the ${EXACT_LIMITS.budgetMs} ms budget` : 'integer program infeasible (internal)' }
    const v = Math.round(Number(r.result)) + 0 // no -0
    if (Math.abs(Number(r.result) - v) > 1e-6 || v < lb) return { ok: false, why: `integer program returned ${r.result} (internal)` }
    totals[t] = v
    fixed[`t${t}`] = { equal: v }
  }
  const r = stage('cost', 'min', fixed)
  if (!r) return { ok: false, why: timedOut() ? `integer program over the ${EXACT_LIMITS.budgetMs} ms budget` : 'integer program infeasible (internal)' }
  // the plan, in integers, checked against every row before it is trusted
  const y = vs.map((_, k) => Math.round(Number(r[`v${k}`] ?? 0)))
  const used = new Map<string, number>()
  const add = (k: string, q: number) => used.set(k, (used.get(k) ?? 0) + q)
  vs.forEach((v, k) => {
    if (y[k]! < 0) used.set('neg', 1)
    add(`p${v.pool}`, y[k]!)
    add(`n${v.need}`, y[k]!)
    add(`t${v.tier}`, y[k]!)
    if (v.capped) add(`c${v.block}`, y[k]!)
  })
  if (used.has('neg')) return { ok: false, why: 'integer program returned a negative amount (internal)' }
  for (const [k, row] of Object.entries(constraints)) if ((used.get(k) ?? 0) > row.max!) return { ok: false, why: `integer plan violates ${k} (internal)` }
  for (const t of [0, 1, 2]) if ((used.get(`t${t}`) ?? 0) !== totals[t]) return { ok: false, why: `integer plan misses tier ${t} total (internal)` }
  // locks: per block with a binding reserve, toLock units among those the plan does not send
  // to remote urgent/routine needs (there are enough: those transfers respect the cap), nearest
  // expiry first. Lots of one pool are interchangeable, so the plan splits over the lots with
  // its remote urgent/routine units on the free ones; its other units may use locked or free
  // units alike (locked units reach local needs and, through L, every remote emergency).
  const sentUR = new Array<number>(pools.length).fill(0)
  vs.forEach((v, k) => {
    if (v.capped) sentUR[v.pool]! += y[k]!
  })
  const lockable = pools.map((pl, pi) => pl.supply - sentUR[pi]!)
  const locks: LockSets = new Map()
  m.blocks.forEach((b, bi) => {
    if (b.toLock === 0 || b.needArcs.length === 0) return
    const lock = new Map<number, number>()
    let left = b.toLock
    b.lots.forEach((l, pos) => {
      const pi = poolOfLot[bi]![pos]!
      const q = Math.min(left, l.lot.qty, lockable[pi]!)
      if (q > 0) {
        lock.set(l.idx, q)
        lockable[pi]! -= q
        left -= q
      }
    })
    if (left !== 0) throw new Error('internal: exact disaster locks exceed the cap')
    locks.set(b.key, lock)
  })
  return { ok: true, locks, totals, vars: vs.length, ms: Date.now() - t0 }
}
