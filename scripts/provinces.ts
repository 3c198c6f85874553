// Running the demo's two provincial systems on one machine (issue 24), shared by `npm start` and the tests'
// two-province harness (test/link/provinces.ts): each province is `wrangler dev --env <province>` with its own
// persisted state (its D1 database and its courier's Durable Object storage), migrated and seeded with its own
// province only, and told where its peer listens and the demo link secret.
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import path from 'node:path'
import type { Province } from '../seed/provinces'

/** The local demo's link secret. A deployment never uses it: `wrangler secret put LINK_SECRET --env <province>`. */
export const DEV_LINK_SECRET = 'dev-link-secret-sichuan-chongqing'

export const ROOT = path.resolve(import.meta.dirname, '..')
export const envName = (p: Province) => p.toLowerCase()

type Run = (cmd: string, args: string[]) => string

/** The wrangler command line for one province (migrations, d1 execute and dev all take the same env and state). */
const where = (p: Province, persistTo: string) => ['--env', envName(p), '--persist-to', persistTo]

/**
 * Migrates a province's local database and loads its part of the demo region if it is empty (never over data).
 * Returns whether it loaded the demo.
 */
export function prepareProvince(run: Run, wrangler: string, tsx: string, p: Province, persistTo: string): boolean {
  mkdirSync(persistTo, { recursive: true })
  run(wrangler, ['d1', 'migrations', 'apply', 'DB', '--local', ...where(p, persistTo)])
  const out = run(wrangler, ['d1', 'execute', 'DB', '--local', ...where(p, persistTo), '--json', '--command', 'SELECT COUNT(*) AS n FROM site'])
  if (JSON.parse(out)[0].results[0].n > 0) return false
  const file = path.join(persistTo, 'demo-seed.sql')
  writeFileSync(file, run(tsx, [path.join(ROOT, 'scripts/seed-sql.ts'), '--province', p]))
  run(wrangler, ['d1', 'execute', 'DB', '--local', ...where(p, persistTo), '--file', file, '--yes'])
  return true
}

/** A port free on this machine now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}

/**
 * `wrangler dev` arguments for one province on `port`, its peers at `peers` ({Chongqing: url}). Each wrangler dev
 * also listens for a debugger (9229 by default): two started at once would race for it and one fail with "Address
 * already in use (socket direct:…)", so each is given a free inspector port of its own.
 */
export function devArgs(p: Province, port: number, inspectorPort: number, persistTo: string, peers: Record<string, string>, extra: string[] = []): string[] {
  return [
    'dev',
    ...where(p, persistTo),
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--inspector-port',
    String(inspectorPort),
    // ALLOW_DEMO_TOKENS: the demo's well-known tokens work locally only (worker/lib/token.ts)
    '--var',
    'ALLOW_DEMO_TOKENS:true',
    '--var',
    `LINK_PEERS:${JSON.stringify(peers)}`,
    '--var',
    `LINK_SECRET:${DEV_LINK_SECRET}`,
    ...extra,
  ]
}

export const syncRun =
  (env: NodeJS.ProcessEnv): Run =>
  (cmd, args) => {
    const r = spawnSync(cmd, args, { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 256 << 20 })
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`)
    return r.stdout
  }
