// npm start: build the UI, then run the demo's two provincial systems (issue 24), Sichuan on PORT (8787) and
// Chongqing on PORT+1, each `wrangler dev --env <province>` with its own local D1 database and courier state
// under .wrangler/provinces/<province>, migrated and loaded with its own part of the demo region when empty
// (never over real data), linked to each other; prints each URL and the demo sign-in tokens per province.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { devArgs, envName, freePort, prepareProvince, ROOT } from './provinces'
import { PROVINCE_USERS, PROVINCES, type Province } from '../seed/provinces'

// npm start -- --national (or NATIONAL=1): the 31-province national region and its national view instead (scripts/national.ts)
if (process.argv.includes('--national') || process.env.NATIONAL === '1') {
  const { runNational } = await import('./national')
  process.exit(await runNational(['--serve', ...process.argv.slice(2).filter((a) => a !== '--national')]))
}

const port = Number(process.env.PORT ?? 8787)
const ports: Record<Province, number> = { Sichuan: port, Chongqing: port + 1 }
const url = (p: Province) => `http://127.0.0.1:${ports[p]}`
const bin = (name: string) => path.join(ROOT, 'node_modules/.bin', name)
// CI=true keeps wrangler from prompting; no metrics from a local demo.
// No request.cf download (the app uses none of it, and offline it only prints an error).
const env = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' }

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'inherit'] })
  if (r.status !== 0) {
    console.error(`\n✗ ${cmd} ${args.join(' ')} failed (exit ${r.status})`)
    process.exit(r.status ?? 1)
  }
  return r.stdout ?? ''
}

console.log('▸ building the UI')
if (spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, env, stdio: 'inherit' }).status !== 0) process.exit(1)

const seeded = new Set<Province>()
for (const p of PROVINCES) {
  console.log(`▸ ${p}: applying D1 migrations to its local database (.wrangler/provinces/${envName(p)})`)
  if (prepareProvince(run, bin('wrangler'), bin('tsx'), p, path.join(ROOT, '.wrangler/provinces', envName(p)))) {
    console.log(`▸ ${p}: empty database: loaded its part of the demo region`)
    seeded.add(p)
  } else console.log(`▸ ${p}: the local database already holds sites: leaving it as it is`)
}

const children: ChildProcess[] = []
for (const p of PROVINCES) {
  const peers = Object.fromEntries(PROVINCES.filter((q) => q !== p).map((q) => [q, url(q)]))
  const child = spawn(
    bin('wrangler'),
    devArgs(p, ports[p], await freePort(), path.join(ROOT, '.wrangler/provinces', envName(p)), peers, ['--show-interactive-dev-session=false']),
    {
      cwd: ROOT,
      env,
      stdio: 'inherit',
    },
  )
  // one province stopping ends the demo: the other alone would only queue messages
  child.on('exit', (code) => {
    for (const c of children) if (c !== child && c.exitCode === null) c.kill('SIGTERM')
    process.exit(code ?? 0)
  })
  children.push(child)
}
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.on(sig, () => {
    for (const c of children) c.kill(sig)
  })

// Print the banner once both APIs answer, so the URLs printed are ones that work.
for (const p of PROVINCES) {
  for (let i = 0; i < 180; i++) {
    try {
      if ((await fetch(`${url(p)}/api/health`)).ok) break
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 500))
  }
  if (seeded.has(p)) {
    // Levels come from the ledger; compute them now rather than waiting for the hourly cron.
    const admin = PROVINCE_USERS[p].find((u) => u.role === 'admin')!.token
    const res = await fetch(`${url(p)}/api/warnings/refresh`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } })
    if (!res.ok) console.error(`${p}: warning levels were not computed: ${res.status} ${await res.text()}`)
  }
}

console.log('\n  Blood dispatch planner: two provincial systems, linked')
for (const p of PROVINCES) console.log(`    ${p.padEnd(10)} ${url(p)}   (API docs: ${url(p)}/api/openapi.json)`)
console.log('\n  Demo sign-in tokens (paste one into the sign-in box of its province, or use as "Authorization: Bearer <token>"):')
for (const p of PROVINCES) {
  const users = PROVINCE_USERS[p]
  console.log(`    coordinator ${p} ${users.find((u) => u.role === 'coordinator')!.token}`)
  for (const u of users.filter((u) => u.role !== 'coordinator')) console.log(`      ${u.role.padEnd(11)} ${(u.siteId ?? '').padEnd(4)} ${u.token}`)
}
console.log('\n  They work only on a database loaded with the demo (delete .wrangler/provinces to start again). Stop with Ctrl-C.\n')
