// npm start: build the UI, migrate the local D1, load the demo region into an empty database
// (never over real data), then run `wrangler dev` and print the URL and the demo sign-in tokens.
import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'

// npm start -- --national (or NATIONAL=1): the 31-province national region and its national view instead (scripts/national.ts)
if (process.argv.includes('--national') || process.env.NATIONAL === '1') {
  const { runNational } = await import('./national')
  process.exit(await runNational(['--serve', ...process.argv.slice(2).filter((a) => a !== '--national')]))
}

const root = path.resolve(import.meta.dirname, '..')
const port = Number(process.env.PORT ?? 8787)
const url = `http://127.0.0.1:${port}`
// CI=true keeps wrangler from prompting; no metrics from a local demo.
// No request.cf download (the app uses none of it, and offline it only prints an error).
const env = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' }

function run(cmd: string, args: string[], capture = false): string {
  const r = spawnSync(cmd, args, { cwd: root, env, encoding: 'utf8', maxBuffer: 256 << 20, stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit' })
  if (r.status !== 0) {
    console.error(`\n✗ ${cmd} ${args.join(' ')} failed (exit ${r.status})`)
    process.exit(r.status ?? 1)
  }
  return r.stdout ?? ''
}

function count(sql: string): number {
  const out = run('npx', ['wrangler', 'd1', 'execute', 'DB', '--local', '--json', '--command', sql], true)
  return JSON.parse(out)[0].results[0].n
}

console.log('▸ building the UI')
run('npm', ['run', '--silent', 'build'])
console.log('▸ applying D1 migrations to the local database')
run('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local'])

const existing = count('SELECT COUNT(*) AS n FROM site')
if (existing === 0) {
  console.log('▸ empty database: loading the Sichuan–Chongqing demo region')
  const sql = run('npx', ['tsx', 'scripts/seed-sql.ts'], true)
  mkdirSync(path.join(root, '.wrangler'), { recursive: true })
  const file = path.join(root, '.wrangler', 'demo-seed.sql')
  writeFileSync(file, sql)
  run('npx', ['wrangler', 'd1', 'execute', 'DB', '--local', '--file', file])
} else {
  console.log(`▸ the local database already holds ${existing} sites: leaving it as it is`)
}

const { DEMO_USERS, DEMO_TOKENS } = await import('../seed/demo')
const demoUsers = count(`SELECT COUNT(*) AS n FROM user WHERE id IN (${DEMO_USERS.map((u) => `'${u.id}'`).join(',')})`)
// ALLOW_DEMO_TOKENS: this local run accepts the demo's well-known tokens; a deployed worker never does (worker/lib/token.ts).
const dev = spawn('npx', ['wrangler', 'dev', '--ip', '127.0.0.1', '--port', String(port), '--var', 'ALLOW_DEMO_TOKENS:true'], {
  cwd: root,
  env,
  stdio: 'inherit',
})
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => dev.kill(sig))
dev.on('exit', (code) => process.exit(code ?? 0))

// Print the banner once the API answers, so the URL printed is one that works.
for (let i = 0; i < 120; i++) {
  try {
    if ((await fetch(`${url}/api/health`)).ok) break
  } catch {
    /* not up yet */
  }
  await new Promise((r) => setTimeout(r, 500))
}
if (existing === 0) {
  // Levels come from the ledger; compute them now rather than waiting for the hourly cron.
  const res = await fetch(`${url}/api/warnings/refresh`, { method: 'POST', headers: { authorization: `Bearer ${DEMO_TOKENS.admin}` } })
  if (!res.ok) console.error(`warning levels were not computed: ${res.status} ${await res.text()}`)
}
console.log(`\n  Blood dispatch planner is running at ${url}\n  API docs: ${url}/api/openapi.json\n`)
if (demoUsers > 0) {
  console.log('  Demo sign-in tokens (paste one into the sign-in box, or use as "Authorization: Bearer <token>"):')
  for (const u of DEMO_USERS) console.log(`    ${u.role.padEnd(12)} ${(u.siteId ?? '').padEnd(4)} ${u.token}`)
} else {
  console.log('  Sign in with your own tokens (npm run user -- add --role admin --name "…" prints one).')
}
console.log('\n  Stop with Ctrl-C.\n')
