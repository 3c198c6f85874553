// npm run bench, national scale (issue 24): the national region (31 provinces, 452 stations, three weeks of ledger;
// seed/national.ts) loaded into a throwaway local state, then two lines, both against local D1 under wrangler dev:
//   - a province's live plan: POST /api/plans on the generated 30-station province (its own worker, env bench30),
//     target < 300 ms;
//   - the national summary across all 31 provinces: GET /api/national/summary on the national view
//     (worker/national.ts, one D1 binding per province), target < 1 s.
// Each prints its median over the runs after one warm-up request (a cold isolate), the runs, the target, met or MISSED.
//   BENCH_NATIONAL_RUNS=7    timed requests per line
//   BENCH_NATIONAL_DAYS=21   days of ledger per station
//   BENCH_NATIONAL=0         leave both lines out (the load takes minutes)
//   BENCH_NATIONAL_STATE=DIR load into DIR and keep it (a second run loads nothing), instead of a throwaway state
// Exits non-zero when a request fails (not when a target is missed: the line says so).
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { provinceTokens } from '../seed/national'
import { BENCH30 } from '../scripts/national-config'
import { freePort } from '../scripts/provinces'
import { loadNational, NATIONAL_TOKENS } from '../scripts/national'

const root = path.resolve(import.meta.dirname, '..')
const runs = Number(process.env.BENCH_NATIONAL_RUNS ?? 7)
const env = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' }

/** `wrangler dev` on the national config (an env for a province's own worker), over the bench's state. */
async function dev(configPath: string, persistTo: string, envName?: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort()
  const args = [
    'dev',
    '-c',
    configPath,
    ...(envName ? ['--env', envName] : []),
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--inspector-port',
    String(await freePort()),
    '--persist-to',
    persistTo,
  ]
  const child: ChildProcess = spawn(path.join(root, 'node_modules/.bin/wrangler'), [...args, '--var', 'ALLOW_DEMO_TOKENS:true'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let stderr = ''
  let ready = false
  child.stderr?.on('data', (d) => {
    stderr = (stderr + d).slice(-4000)
  })
  // wrangler says "Ready on <url>" once it holds the port: until then a health answer could be another server's
  child.stdout?.on('data', (d) => {
    ready ||= String(d).includes('Ready on')
  })
  const url = `http://127.0.0.1:${port}`
  const stop = async () => {
    if (child.exitCode !== null) return
    const exited = new Promise((r) => child.once('exit', r))
    process.kill(-child.pid!, 'SIGTERM') // wrangler and the workerd it started
    await exited
  }
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}): ${stderr}`)
    try {
      if (ready && (await fetch(`${url}/api/health`)).ok) return { url, stop }
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 500))
  }
  await stop()
  throw new Error(`wrangler dev did not answer: ${stderr}`)
}

/** One warm-up request, then `runs` timed ones; the last answer's body for the line. */
async function time(request: () => Promise<Response>): Promise<{ ts: number[]; body: unknown }> {
  let body: unknown
  const once = async () => {
    const t0 = performance.now()
    const r = await request()
    body = await r.json()
    if (!r.ok) throw new Error(`answered ${r.status}: ${JSON.stringify(body)}`)
    return performance.now() - t0
  }
  await once()
  const ts: number[] = []
  for (let i = 0; i < runs; i++) ts.push(await once())
  return { ts: ts.sort((a, b) => a - b), body }
}

const line = (what: string, ts: number[], target: number, extra: string) => {
  const med = ts[Math.floor(ts.length / 2)]!
  return `${what}: ${med.toFixed(0)} ms median of ${ts.length} runs (best ${ts[0]!.toFixed(0)} ms; ${extra}); target < ${target} ms ${med < target ? 'met' : 'MISSED'}`
}

if (process.env.BENCH_NATIONAL === '0') {
  console.log('national lines: left out (BENCH_NATIONAL=0)')
  process.exit(0)
}
const keep = process.env.BENCH_NATIONAL_STATE
const persistTo = keep ? path.resolve(keep) : mkdtempSync(path.join(tmpdir(), 'bench-national-'))
try {
  const t0 = performance.now()
  const configPath = await loadNational({
    persistTo,
    bench30: true,
    days: Number(process.env.BENCH_NATIONAL_DAYS ?? 21),
    log: (s) => process.stderr.write(`${s}\n`),
  })
  console.log(`national region (31 provinces and the 30-station one) ready in local D1 in ${((performance.now() - t0) / 1000).toFixed(0)} s`)

  const province = await dev(configPath, persistTo, BENCH30.env)
  try {
    const { ts, body } = await time(() =>
      fetch(`${province.url}/api/plans`, {
        method: 'POST',
        headers: { authorization: `Bearer ${provinceTokens({ code: BENCH30.code }).coordinator}`, 'content-type': 'application/json' },
        body: '{}',
      }),
    )
    const plan = body as { transfers?: unknown[] }
    console.log(line(`POST /api/plans, a ${BENCH30.stations}-station province, local D1`, ts, 300, `${plan.transfers?.length ?? 0} transfers`))
  } finally {
    await province.stop()
  }

  const national = await dev(configPath, persistTo)
  try {
    const { ts, body } = await time(() => fetch(`${national.url}/api/national/summary`, { headers: { authorization: `Bearer ${NATIONAL_TOKENS.planner}` } }))
    const s = body as { national: { provinces: number; unreadable: number; stations: number } }
    if (s.national.unreadable > 0) throw new Error(`${s.national.unreadable} provinces could not be read`)
    console.log(line('GET /api/national/summary, 31 provinces, local D1', ts, 1000, `${s.national.provinces} provinces, ${s.national.stations} stations`))
  } finally {
    await national.stop()
  }
} finally {
  if (!keep) rmSync(persistTo, { recursive: true, force: true })
}
