// npm run bench: this solver vs HiGHS (plain lot × need LP, lexicographic) on generated regions.
// Exits non-zero if the unmet units per urgency differ. BENCH_MODES=routine,disaster (default both)
// runs the same generated regions with options.mode set; in disaster mode HiGHS solves a MIP
// (see test/solver/reference-highs.ts), so its times are not comparable with the LP rows.
import { parseInstance, solve } from '../solver/index'
import { loadHighs, referenceUnmet } from '../test/solver/reference-highs'
import { generateInstance } from './generate'

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const fmt = (u: { emergency: number; urgent: number; routine: number }) => `${u.emergency}/${u.urgent}/${u.routine}`

async function main() {
  await loadHighs()
  const sizes = (process.env.BENCH_SITES ?? '10,22,40,80').split(',').map(Number)
  const runs = Number(process.env.BENCH_RUNS ?? 5)
  const modes = (process.env.BENCH_MODES ?? 'routine,disaster').split(',') as ('routine' | 'disaster')[]
  const rows: string[][] = [['mode', 'sites', 'lots', 'needs', 'solver ms', 'solver best', 'HiGHS ms', 'HiGHS/solver', 'unmet E/U/R solver', 'unmet E/U/R HiGHS', 'same']]
  let mismatch = false
  for (const mode of modes) for (const sites of sizes) {
    const inst = parseInstance({ ...generateInstance({ sites, seed: 1000 + sites }), options: { mode } })
    solve(inst) // warm up the JIT
    const ts: number[] = []
    let res = solve(inst)
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now()
      res = solve(inst)
      ts.push(performance.now() - t0)
    }
    const hs: number[] = []
    let ref = { emergency: 0, urgent: 0, routine: 0 }
    const hRuns = sites >= 40 ? 1 : Math.min(3, runs)
    for (let i = 0; i < hRuns; i++) {
      const t0 = performance.now()
      ref = await referenceUnmet(inst)
      hs.push(performance.now() - t0)
    }
    const ours = res.summary.unmetUnits
    const same = ours.emergency === ref.emergency && ours.urgent === ref.urgent && ours.routine === ref.routine
    mismatch ||= !same
    const a = median(ts), b = median(hs)
    rows.push([mode, String(sites), String(inst.lots.length), String(inst.needs.length), a.toFixed(1), Math.min(...ts).toFixed(1), b.toFixed(1), (b / a).toFixed(1) + '×', fmt(ours), fmt(ref), same ? 'yes' : 'NO'])
  }
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  for (const r of rows) console.log(r.map((c, i) => c.padStart(w[i]!)).join('  '))
  if (mismatch) {
    console.error('unmet units differ between the solver and HiGHS')
    process.exit(1)
  }
}
await main()
