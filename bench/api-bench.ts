// POST /api/plans on the demo region against a local D1: a real `wrangler dev` over a throwaway
// database with the demo region loaded (test/web/server.ts, as the UI tests start it), then the
// coordinator's "plan from live data" N times; prints one line with the median answer time.
// `npm run bench` runs it in a child process (BENCH_API=0 leaves it out; it needs `npm run build`).
import { DEMO_TOKENS } from '../seed/demo'
import { startServer } from '../test/web/server'

const runs = Number(process.env.BENCH_API_RUNS ?? 7)
const server = await startServer()
try {
  const post = async () => {
    const t0 = performance.now()
    const r = await fetch(`${server.url}/api/plans`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEMO_TOKENS.coordinator}`, 'content-type': 'application/json' },
      body: '{}',
    })
    const body = (await r.json()) as { id?: string; transfers?: unknown[] }
    if (!r.ok) throw new Error(`POST /api/plans answered ${r.status}: ${JSON.stringify(body)}`)
    return { ms: performance.now() - t0, transfers: body.transfers?.length ?? 0 }
  }
  await post() // warm up the isolate
  const ts: number[] = []
  let transfers = 0
  for (let i = 0; i < runs; i++) {
    const r = await post()
    ts.push(r.ms)
    transfers = r.transfers
  }
  ts.sort((a, b) => a - b)
  const med = ts[Math.floor(ts.length / 2)]!
  console.log(
    `POST /api/plans, demo region, local D1: ${med.toFixed(0)} ms median of ${runs} (best ${ts[0]!.toFixed(0)} ms, ${transfers} transfers; target < 300 ms ${med < 300 ? 'met' : 'MISSED'})`,
  )
} finally {
  await server.stop()
}
