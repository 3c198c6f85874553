// Disaster mode fallback: a search over which units a binding reserve locks, keeping only what
// raises the lexicographic totals. Feasible, not proven optimal; solve.ts uses it as the
// starting point and the fallback of the exact stage in disaster.ts.
import { decomposeBlock, type Draw } from './decompose'
import { buildComponentModel, type ComponentModel, type LockSets } from './model'
import type { PLot, PNeed, Prepared } from './prepare'
import { lexMaxFlow } from './pricing'
import type { Component } from './types'

/** Disaster mode fallback when the exact stage is too large or too slow: a search over lock
 *  sets, keeping only what raises the lexicographic totals (feasible, not proven optimal). */
export function searchLocks(
  p: Prepared,
  c: Component,
  lots: PLot[],
  needs: PNeed[],
  m: ComponentModel,
  totals: number[],
): { m: ComponentModel; totals: number[] } {
  // try locking the units remote emergencies can use first
  const alt = emergencyFirstLocks(m)
  if (alt) {
    const m2 = buildComponentModel(p, c, lots, needs, alt, true)
    const t2 = lexMaxFlow(m2)
    if (lexBetter(t2, totals)) {
      m = m2
      totals = t2
    }
  }
  // re-choose which units a reserve locks while that helps
  for (let round = 0; round < MAX_RELOCK_ROUNDS; round++) {
    const locks = relock(m)
    if (!locks) break
    const m2 = buildComponentModel(p, c, lots, needs, locks, true)
    const t2 = lexMaxFlow(m2)
    if (!lexBetter(t2, totals)) break
    m = m2
    totals = t2
  }
  return { m, totals }
}

/** rounds of re-locking in disaster mode; each is one more (sparse, priced) network build and three max flows */
const MAX_RELOCK_ROUNDS = 8
export const lexBetter = (a: number[], b: number[]) => {
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
    if (b.emergencyFirstPos < 0) {
      out.set(b.key, b.lock)
      continue
    }
    const lock = new Map<number, number>()
    let left = b.toLock
    const order = [...b.lots.slice(b.emergencyFirstPos), ...b.lots.slice(0, b.emergencyFirstPos)]
    for (const l of order) {
      const q = Math.min(left, l.lot.qty)
      if (q > 0) {
        lock.set(l.idx, q)
        left -= q
      }
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
    if (!b.needArcs.some((a) => !a.local && a.need.tier === 0 && m.g.flow(a.edge) > 0)) {
      out.set(b.key, b.lock)
      continue
    }
    draws.length = 0
    decomposeBlock(m, b, draws)
    const emerg = new Map<number, number>(),
      capped = new Map<number, number>()
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
        if (q > 0) {
          lock.set(l.idx, (lock.get(l.idx) ?? 0) + q)
          left -= q
        }
      }
    }
    if (left !== 0) throw new Error('internal: reserve cap exceeded')
    for (const [k, v] of lock) if ((b.lock.get(k) ?? 0) !== v) changed = true
    for (const [k, v] of b.lock) if ((lock.get(k) ?? 0) !== v) changed = true
    out.set(b.key, lock)
  }
  return changed ? out : undefined
}
