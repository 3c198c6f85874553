// Not a test: `npx tsx test/solver/hunt-disaster.ts [N] [SEED] [MAX_LOTS] [MAX_NEEDS]` compares the solver with HiGHS
// (MIP) on N instances of the rich disaster-mode generator and prints any mismatch as JSON.
import fc from 'fast-check'
import { parseInstance, solve } from '../../solver/index'
import { disasterArb } from './arbitraries'
import { loadHighs, referenceUnmet } from './reference-highs'

const N = Number(process.argv[2] ?? 1000),
  SEED = Number(process.argv[3] ?? 1)
const maxLots = Number(process.argv[4] ?? 12),
  maxNeeds = Number(process.argv[5] ?? 12)
await loadHighs()
let bad = 0,
  inexact = 0,
  maxMs = 0
const samples = fc.sample(disasterArb({ maxLots, maxNeeds }), { numRuns: N, seed: SEED })
for (const raw of samples) {
  const inst = parseInstance(raw)
  const t0 = performance.now()
  const res = solve(inst)
  maxMs = Math.max(maxMs, performance.now() - t0)
  if (!res.summary.exact) inexact++
  const ref = await referenceUnmet(inst)
  const got = res.summary.unmetUnits
  if (got.emergency !== ref.emergency || got.urgent !== ref.urgent || got.routine !== ref.routine) {
    bad++
    console.log(JSON.stringify({ got, ref, inst: raw }))
  }
}
console.log(`${N} instances, ${bad} mismatches, ${inexact} not exact, slowest solve ${maxMs.toFixed(1)} ms`)
