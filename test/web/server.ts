import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { devArgs, envName, freePort, prepareProvince } from '../../scripts/provinces'

export { freePort }
import { DEMO_TOKENS } from '../../seed/demo'
import { PROVINCE_USERS, type Province } from '../../seed/provinces'

/**
 * A real `wrangler dev` on a free port over a throwaway persisted local D1: migrations applied,
 * the demo region loaded (scripts/seed-sql.ts), warning levels computed, stopped by stop().
 */
const ROOT = path.resolve(import.meta.dirname, '../..')
const WRANGLER = path.join(ROOT, 'node_modules/.bin/wrangler')
// node_modules/.bin first: wrangler needs the project's Node 22, not the system's.
const ENV = {
  ...process.env,
  PATH: `${path.join(ROOT, 'node_modules/.bin')}:${process.env.PATH}`,
  CI: 'true',
  WRANGLER_SEND_METRICS: 'false',
  NO_COLOR: '1',
  FORCE_COLOR: '0',
}

export type Server = { url: string; stop: () => Promise<void> }

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { cwd: ROOT, env: ENV, encoding: 'utf8', maxBuffer: 64 << 20 })
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`)
  return r.stdout
}

export async function waitForHealth(url: string, child: ChildProcess, log: () => string, ms = 90_000): Promise<void> {
  const until = Date.now() + ms
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${log()}`)
    try {
      const r = await fetch(`${url}/api/health`)
      if (r.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300))
  }
  throw new Error(`wrangler dev did not answer /api/health within ${ms} ms:\n${log()}`)
}

/** `extraSql`: a test's own data, loaded after the demo region (e.g. a past quarter's ledger the demo does not reach). */
export async function startServer(opts: { extraSql?: string } = {}): Promise<Server> {
  if (!existsSync(path.join(ROOT, 'web/dist/index.html'))) throw new Error('web/dist is missing: run `npm run build` first')
  const state = mkdtempSync(path.join(tmpdir(), 'bd-ui-'))
  run(WRANGLER, ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state])
  const sqlFile = path.join(state, 'seed.sql')
  writeFileSync(sqlFile, run(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'scripts/seed-sql.ts')]))
  run(WRANGLER, ['d1', 'execute', 'DB', '--local', '--persist-to', state, '--file', sqlFile, '--yes'])
  if (opts.extraSql) {
    const extraFile = path.join(state, 'extra.sql')
    writeFileSync(extraFile, opts.extraSql)
    run(WRANGLER, ['d1', 'execute', 'DB', '--local', '--persist-to', state, '--file', extraFile, '--yes'])
  }

  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  let output = ''
  // Detached: its own process group, so stop() ends wrangler and workerd together.
  const child = spawn(
    WRANGLER,
    [
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      // its own debugger port: another wrangler dev starting at the same time (the link tests) would race for 9229
      '--inspector-port',
      String(await freePort()),
      '--persist-to',
      state,
      '--var',
      'ALLOW_DEMO_TOKENS:true',
      '--show-interactive-dev-session=false',
      '--log-level',
      'warn',
    ],
    {
      cwd: ROOT,
      env: ENV,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  let stopping = false
  // An early exit would otherwise show up only as refused connections in the next test.
  child.once('exit', (code, signal) => {
    if (!stopping) console.error(`wrangler dev exited early (${code ?? signal}):\n${output.slice(-6000)}`)
  })
  const stop = async () => {
    stopping = true
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((r) => child.once('exit', r))
      try {
        process.kill(-child.pid, 'SIGTERM')
      } catch {
        // already gone
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))])
      if (child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL')
        } catch {
          // already gone
        }
      }
    }
    rmSync(state, { recursive: true, force: true })
  }
  try {
    await waitForHealth(url, child, () => output)
    // What the hourly cron does: compute the warning levels of the freshly loaded stock.
    const r = await fetch(`${url}/api/warnings/refresh`, { method: 'POST', headers: { authorization: `Bearer ${DEMO_TOKENS.admin}` } })
    if (!r.ok) throw new Error(`POST /api/warnings/refresh answered ${r.status}: ${await r.text()}`)
  } catch (e) {
    await stop()
    throw e
  }
  return { url, stop }
}

export type ProvinceServer = {
  province: Province
  url: string
  /** the admin's demo token in this province's system */
  adminToken: string
  /** ends wrangler and workerd at once (SIGKILL: no goodbye), keeping the persisted state */
  kill: () => void
  /** starts it again on the same port and the same persisted state */
  restart: () => Promise<void>
  /** runs SQL on its local database, beside the running worker (as an operator would with wrangler d1 execute) */
  sql: (command: string) => unknown[]
}

/**
 * The two provincial systems (issue 24) as `npm start` runs them, on free ports over throwaway persisted
 * state (each its own D1 database and courier storage, migrated and seeded with its own province only).
 * kill() and restart() play a crash: the state on disk stays, the next wrangler dev resumes from it.
 */
export async function startProvinces(): Promise<{ sichuan: ProvinceServer; chongqing: ProvinceServer; stop: () => Promise<void> }> {
  if (!existsSync(path.join(ROOT, 'web/dist/index.html'))) throw new Error('web/dist is missing: run `npm run build` first')
  const root = mkdtempSync(path.join(tmpdir(), 'bd-link-'))
  const ports = { Sichuan: await freePort(), Chongqing: await freePort() }
  const url = (p: Province) => `http://127.0.0.1:${ports[p]}`
  const all: { stop: () => Promise<void> }[] = []
  const make = async (p: Province, peer: Province): Promise<ProvinceServer> => {
    const persistTo = path.join(root, envName(p))
    prepareProvince(run, WRANGLER, path.join(ROOT, 'node_modules/.bin/tsx'), p, persistTo)
    let child: ChildProcess | null = null
    let output = ''
    const start = async () => {
      output = ''
      // Detached: its own process group, so kill() ends wrangler and workerd together.
      const c = spawn(
        WRANGLER,
        devArgs(p, ports[p], await freePort(), persistTo, { [peer]: url(peer) }, ['--show-interactive-dev-session=false', '--log-level', 'warn']),
        {
          cwd: ROOT,
          env: ENV,
          detached: true,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      )
      c.stdout!.on('data', (d) => (output += d))
      c.stderr!.on('data', (d) => (output += d))
      child = c
      await waitForHealth(url(p), c, () => output)
    }
    const kill = () => {
      if (child?.pid && child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL')
        } catch {
          // already gone
        }
      }
    }
    const adminToken = PROVINCE_USERS[p].find((u) => u.role === 'admin')!.token
    await start()
    const r = await fetch(`${url(p)}/api/warnings/refresh`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` } })
    if (!r.ok) throw new Error(`${p}: POST /api/warnings/refresh answered ${r.status}: ${await r.text()}`)
    const exited = () => new Promise((res) => (child && child.exitCode === null && child.signalCode === null ? child.once('exit', res) : res(null)))
    all.push({
      stop: async () => {
        kill()
        await Promise.race([exited(), new Promise((res) => setTimeout(res, 5000))])
      },
    })
    return {
      province: p,
      url: url(p),
      adminToken,
      sql: (command) =>
        JSON.parse(run(WRANGLER, ['d1', 'execute', 'DB', '--local', '--env', envName(p), '--persist-to', persistTo, '--json', '--command', command]))[0]
          .results,
      kill,
      restart: async () => {
        kill()
        await Promise.race([exited(), new Promise((res) => setTimeout(res, 5000))])
        await start()
      },
    }
  }
  const stop = async () => {
    await Promise.all(all.map((s) => s.stop()))
    rmSync(root, { recursive: true, force: true })
  }
  try {
    const [sichuan, chongqing] = [await make('Sichuan', 'Chongqing'), await make('Chongqing', 'Sichuan')]
    return { sichuan, chongqing, stop }
  } catch (e) {
    await stop()
    throw e
  }
}
