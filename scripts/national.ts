// The national region (31 provinces, 452 stations; seed/national.ts): writes wrangler.national.toml, migrates every
// province's own local D1 database and loads its province into it (only into an empty database, never over data),
// then, with --serve, runs the national view (worker/national.ts) under `wrangler dev`.
//   npm start -- --national                  the same as: npx tsx scripts/national.ts --serve
//   --persist-to DIR   local state (default .wrangler/state, as wrangler dev's default)
//   --only GD,SC       load only these provinces (the others stay empty)
//   --bench30          also load the bench's 30-station province (env bench30)
//   --days N           days of ledger per station (default 21)
// Loading goes through one local platform proxy (wrangler's getPlatformProxy, the same database files that
// `wrangler dev` then serves) rather than 31 `wrangler d1 execute` processes: about a minute for the 31 provinces.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { readD1Migrations } from '@cloudflare/vitest-plugin'
import { getPlatformProxy } from 'wrangler'
import { type NationalProvince, PROVINCES, provinceRegion, provinceSql } from '../seed/national'
import { refreshAllWarnings } from '../worker/services/warnings'
import { BENCH30, writeNationalConfig } from './national-config'

const root = path.resolve(import.meta.dirname, '..')
const env = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' }

/** Users of the national view's own database: a planner to read it, an admin to give access. */
export const NATIONAL_TOKENS = { planner: 'demo-national-planner', admin: 'demo-national-admin' }

const arg = (argv: string[], name: string) => {
  const i = argv.indexOf(name)
  return i >= 0 ? argv[i + 1] : undefined
}

/** Applies the migrations not yet applied, recording them in d1_migrations as `wrangler d1 migrations apply` does. */
async function migrate(db: D1Database, migrations: { name: string; queries: string[] }[]) {
  await db
    .prepare(
      'CREATE TABLE IF NOT EXISTS d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)',
    )
    .run()
  const done = new Set((await db.prepare('SELECT name FROM d1_migrations').all<{ name: string }>()).results.map((r) => r.name))
  for (const m of migrations) {
    if (done.has(m.name)) continue
    await db.batch([...m.queries.map((q) => db.prepare(q)), db.prepare('INSERT INTO d1_migrations (name) VALUES (?)').bind(m.name)])
  }
}

async function count(db: D1Database, sql: string): Promise<number> {
  return (await db.prepare(sql).first<{ n: number }>())?.n ?? 0
}
const isEmpty = async (db: D1Database) => (await count(db, 'SELECT COUNT(*) AS n FROM site')) === 0

/** Runs statements in batches (each batch one transaction; a batch is kept well under D1's limits). */
async function runAll(db: D1Database, statements: string[]) {
  for (let i = 0; i < statements.length; i += 40) await db.batch(statements.slice(i, i + 40).map((s) => db.prepare(s)))
}

type Loaded = { stations: number; lots: number; movements: number } | 'already loaded'

/**
 * Loads a province into its empty database, then computes its warning levels from the ledger (rather than at the
 * hourly cron; the slow part: about 10 s for a 20-station province). A database holding the province's data
 * (its seed.load audit row, written last) only gets the levels if it has none yet; anything else is refused.
 */
async function loadProvince(db: D1Database, p: NationalProvince, opts: { now: Date; days: number; maxStations?: number }): Promise<Loaded> {
  let loaded: Loaded = 'already loaded'
  if (await isEmpty(db)) {
    const r = await provinceRegion(p, opts)
    await runAll(db, provinceSql(r))
    loaded = { stations: r.sites.length, lots: r.lots.length, movements: r.movements.length }
  } else if ((await count(db, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'seed.load'")) === 0)
    throw new Error(`${p.code}: the database holds data but no complete load; delete the local state to start again`)
  if ((await count(db, 'SELECT COUNT(*) AS n FROM warning_state')) === 0) await refreshAllWarnings(db)
  return loaded
}

async function loadNationalUsers(db: D1Database) {
  const { sha256HexWebCrypto } = await import('../seed/demo')
  const at = new Date().toISOString()
  const rows = [
    ['u-national-planner', '国家血液调配 规划员', 'planner', NATIONAL_TOKENS.planner],
    ['u-national-admin', '国家血液调配 管理员', 'admin', NATIONAL_TOKENS.admin],
  ]
  for (const [id, name, role, token] of rows)
    await db
      .prepare('INSERT INTO user (id, name, role, site_id, token_hash, created_at) VALUES (?, ?, ?, NULL, ?, ?)')
      .bind(id, name, role, await sha256HexWebCrypto(token!), at)
      .run()
}

export type LoadOptions = { persistTo?: string; only?: string[]; bench30?: boolean; days?: number; log?: (s: string) => void }

/** Writes the config, migrates and loads every (chosen) province's database; returns the config's path. */
export async function loadNational(o: LoadOptions = {}): Promise<string> {
  const log = o.log ?? console.log
  const courier = readFileSync(path.join(root, 'wrangler.toml'), 'utf8').includes('LinkCourier')
  const configPath = writeNationalConfig(root, { courier })
  const persistTo = path.resolve(root, o.persistTo ?? '.wrangler/state')
  const migrations = await readD1Migrations(path.join(root, 'migrations'))
  const now = new Date()
  const days = o.days ?? 21
  const t0 = performance.now()
  const proxy = await getPlatformProxy<Record<string, D1Database>>({ configPath, persist: { path: path.join(persistTo, 'v3') }, remoteBindings: false })
  try {
    await migrate(proxy.env.DB!, migrations)
    if ((await count(proxy.env.DB!, 'SELECT COUNT(*) AS n FROM user')) === 0) await loadNationalUsers(proxy.env.DB!)
    // two provinces at a time: the generator and the levels' arithmetic run here, the SQL in workerd
    const queue = PROVINCES.filter((p) => !o.only || o.only.includes(p.code))
    const worker = async () => {
      for (let p = queue.shift(); p; p = queue.shift()) {
        const db = proxy.env[`DB_${p.code}`]!
        await migrate(db, migrations)
        const r = await loadProvince(db, p, { now, days })
        log(
          `  ${p.code} ${p.nameEn}: ${r === 'already loaded' ? r : `${r.stations} stations, ${r.lots.toLocaleString('en')} lots, ${r.movements.toLocaleString('en')} ledger rows`}`,
        )
      }
    }
    await Promise.all([worker(), worker()])
    if (o.bench30) {
      // the same database as the province worker's `--env bench30` (its own config), bound here to load it
      const db = proxy.env[`DB_${BENCH30.env.toUpperCase()}`]!
      await migrate(db, migrations)
      const r = await loadProvince(db, PROVINCES.find((p) => p.code === BENCH30.code)!, { now, days, maxStations: BENCH30.stations })
      log(`  ${BENCH30.env}: ${r === 'already loaded' ? r : `${r.stations} stations, ${r.lots.toLocaleString('en')} lots`}`)
    }
  } finally {
    await proxy.dispose()
  }
  log(`  loaded in ${((performance.now() - t0) / 1000).toFixed(0)} s`)
  return configPath
}

/** `npm start -- --national`: load, then serve the national view until stopped; resolves with wrangler's exit code. */
export async function runNational(argv: string[]): Promise<number> {
  const persistTo = arg(argv, '--persist-to')
  const only = arg(argv, '--only')?.split(',')
  const days = arg(argv, '--days')
  console.log('▸ the national region: 31 provinces, each its own local D1 database')
  const configPath = await loadNational({ persistTo, only, bench30: argv.includes('--bench30'), days: days ? Number(days) : undefined })
  if (!argv.includes('--serve')) return 0
  const port = Number(arg(argv, '--port') ?? process.env.PORT ?? 8787)
  const dev = spawn(
    'npx',
    [
      'wrangler',
      'dev',
      '-c',
      configPath,
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--var',
      'ALLOW_DEMO_TOKENS:true',
      ...(persistTo ? ['--persist-to', persistTo] : []),
    ],
    { cwd: root, env, stdio: 'inherit' },
  )
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => dev.kill(sig))
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) break
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 500))
  }
  console.log(`\n  The national view is running at ${url}`)
  console.log(`  curl -s ${url}/api/national/summary -H "Authorization: Bearer ${NATIONAL_TOKENS.planner}"`)
  console.log(
    `  A province's own worker: npx wrangler dev -c ${path.basename(configPath)} --env gd --var ALLOW_DEMO_TOKENS:true (coordinator token demo-coordinator-gd)\n`,
  )
  return new Promise((resolve) => dev.on('exit', (code) => resolve(code ?? 0)))
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exit(await runNational(process.argv.slice(2)))
