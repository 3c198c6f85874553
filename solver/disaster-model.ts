// Disaster mode, per component: which network to solve (README.md, "Disaster mode: exactness").
// The network with the default locks is exact unless a block is contested; then the lock search
// and a network relaxation bound settle it, or else the integer program in disaster.ts picks the
// locks. Returns the model whose flows are the plan, its lexicographic totals, and a note when the
// exact stage had to fall back to the lock search's plan (summary.exact false).
import { classifyBlocks, EXACT_LIMITS, exactLocks, unlockSets, type ExactOutcome } from './disaster'
import { lexBetter, searchLocks } from './lock-search'
import { buildComponentModel, type ComponentModel, type LockSets } from './model'
import { lexMaxFlow } from './pricing'
import type { PLot, PNeed, Prepared } from './prepare'
import type { Component } from './types'

export function disasterModel(
  p: Prepared,
  c: Component,
  lots: PLot[],
  needs: PNeed[],
  m: ComponentModel,
  totals: number[],
): { m: ComponentModel; totals: number[]; note?: string } {
  let note: string | undefined
  const cls = classifyBlocks(p, m)
  let locks: LockSets | undefined
  if (cls.contested.length === 0) {
    if (cls.unlock.length > 0) locks = unlockSets(cls.unlock)
  } else {
    // (i) the lock search gives a feasible plan; dropping the cap of the contested blocks
    // (and keeping the others' exact locks) gives a network relaxation of the true problem.
    // When the two totals agree, the search's plan is optimal: no integer program needed.
    // Both run on sparse networks, priced to the full network's answers.
    const searched = searchLocks(p, c, lots, needs, m, totals)
    const upper = lexMaxFlow(buildComponentModel(p, c, lots, needs, unlockSets([...cls.contested, ...cls.unlock]), true))
    let why = ''
    if (upper.every((x, i) => x === searched.totals[i])) ({ m, totals } = searched)
    else {
      // (ii) otherwise the integer program on the pooled component decides
      // the integer program's variables are every (pool, need) arc: it reads the dense network,
      // which is built only when the program can fit (each remote candidate is one variable at least)
      const ex: ExactOutcome =
        m.cand.n > EXACT_LIMITS.maxVars
          ? { ok: false, why: `integer program too large (at least ${m.cand.n} variables; limit ${EXACT_LIMITS.maxVars})` }
          : exactLocks(p, buildComponentModel(p, c, lots, needs, undefined, false), searched.totals)
      why = ex.ok ? '' : ex.why
      if (ex.ok) {
        // the network with these locks contains the integer plan, and every network flow is
        // feasible: its totals are the integer program's
        const m2 = buildComponentModel(p, c, lots, needs, ex.locks, true)
        const t2 = lexMaxFlow(m2)
        if (t2.some((x, i) => x !== ex.totals[i])) why = `internal: network totals ${t2.join('/')} differ from the integer program's ${ex.totals.join('/')}`
        if (!why || lexBetter(t2, searched.totals)) {
          m = m2
          totals = t2
        } else ({ m, totals } = searched)
      } else ({ m, totals } = searched)
    }
    if (why) {
      note = `${c}: disaster-mode reserve cap contested at ${cls.contested.length} block(s); ${why}, so the lock search's plan was kept: it serves ${totals.join('/')} units (emergency/urgent/routine), a relaxation bounds the optimum by ${upper.join('/')}`
    }
  }
  if (locks) {
    // uncontested: the sparse network with these locks, priced as in routine mode
    m = buildComponentModel(p, c, lots, needs, locks, true)
    totals = lexMaxFlow(m)
  }
  return { m, totals, ...(note ? { note } : {}) }
}
