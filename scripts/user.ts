// npm run user -- <command>: accounts and tokens from the command line, for the first admin of a new
// deployment and for scripts. Builds SQL and runs it with `wrangler d1 execute DB` against the local D1
// (default) or the deployed one (--remote). Tokens are made and hashed as the worker does
// (worker/lib/token.ts: `bd_` + 32 random bytes in base64url, stored only as hex SHA-256) and printed once.
//
//   add --role admin|coordinator|planner|director|hospital|feed --name "…" [--site CD] [--label …] [--days 90]
//   list
//   rotate <userId> [--label …] [--days 90] [--revoke-others]   new token; others stay valid unless --revoke-others
//   revoke <userId>                                             revoke every token of the user
//   disable <userId> | enable <userId>
//   options: --remote (the deployed D1) | --local (default), --persist-to <dir> (a local state directory),
//   --env <province> (a province's own database, wrangler.toml [env.<province>]; npm start's are under .wrangler/provinces/<province>)
import { spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { userInfo } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'

import { ROLES, SITE_ROLES } from '../solver/domain'

const DAY = 86_400_000
const root = path.resolve(import.meta.dirname, '..')

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    role: { type: 'string' },
    name: { type: 'string' },
    site: { type: 'string' },
    label: { type: 'string', default: '' },
    days: { type: 'string', default: '90' },
    'revoke-others': { type: 'boolean', default: false },
    remote: { type: 'boolean', default: false },
    local: { type: 'boolean', default: false },
    'persist-to': { type: 'string' },
    env: { type: 'string' },
  },
})
const [command, userId] = positionals

function fail(message: string): never {
  console.error(`✗ ${message}`)
  process.exit(2)
}

/** A SQL string literal (the only quoting SQLite needs is doubling single quotes). */
const lit = (v: string | number | null) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replaceAll("'", "''")}'`)
const now = new Date()
const at = now.toISOString()
const actor = `cli:${userInfo().username}`
const newId = (prefix: string) => `${prefix}_${randomBytes(8).toString('hex')}`

function d1(sql: string): { results: Record<string, unknown>[] }[] {
  const target = [
    ...(opt.env ? ['--env', opt.env] : []),
    ...(opt.remote ? ['--remote'] : ['--local', ...(opt['persist-to'] ? ['--persist-to', opt['persist-to']] : [])]),
  ]
  const r = spawnSync(path.join(root, 'node_modules/.bin/wrangler'), ['d1', 'execute', 'DB', ...target, '--json', '--yes', '--command', sql], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, PATH: `${path.join(root, 'node_modules/.bin')}:${process.env.PATH}`, CI: 'true', WRANGLER_SEND_METRICS: 'false' },
  })
  if (r.status !== 0) {
    const text = `${r.stdout}\n${r.stderr}`
    if (text.includes('last_admin')) fail('That is the last enabled admin: nobody could manage access any more.')
    if (text.includes('FOREIGN KEY constraint failed')) fail(`No site ${opt.site}.`)
    if (text.includes('no such table: user_token')) fail('The database lacks migration 0010: run `npx wrangler d1 migrations apply DB` first.')
    fail(`wrangler d1 execute failed:\n${text.trim()}`)
  }
  return JSON.parse(r.stdout)
}

function days(): number {
  const n = Number(opt.days)
  if (!Number.isInteger(n) || n < 1 || n > 730) fail('--days must be a whole number from 1 to 730')
  return n
}

/** A token and the statement that stores its hash. */
function tokenFor(uid: string) {
  const token = `bd_${randomBytes(32).toString('base64url')}`
  const id = newId('tok')
  const expiresAt = new Date(now.getTime() + days() * DAY).toISOString()
  const hash = createHash('sha256').update(token).digest('hex')
  const sql = `INSERT INTO user_token (id, user_id, token_hash, label, created_at, created_by, expires_at) VALUES (${[id, uid, hash, opt.label!, at, actor, expiresAt].map(lit).join(', ')})`
  return { token, id, expiresAt, sql }
}

const audit = (action: string, uid: string, detail: object) =>
  `INSERT INTO audit_log (actor_id, action, entity, entity_id, detail, at) VALUES (${[actor, action, 'user', uid, JSON.stringify(detail), at].map(lit).join(', ')})`

/** Fails with a clear message if the user does not exist. */
function requireUser(): string {
  if (!userId) fail(`Usage: npm run user -- ${command} <userId>   (ids: npm run user -- list)`)
  const rows = d1(`SELECT id FROM user WHERE id = ${lit(userId)}`)[0].results
  if (rows.length === 0) fail(`No user ${userId}`)
  return userId
}

function printToken(t: { token: string; expiresAt: string }) {
  console.log(`\n  token (shown once, store it now): ${t.token}\n  expires: ${t.expiresAt}\n`)
}

switch (command) {
  case 'add': {
    const role = opt.role as (typeof ROLES)[number]
    if (!ROLES.includes(role)) fail(`--role must be one of ${ROLES.join(', ')}`)
    const name = opt.name?.trim()
    if (!name || name.length > 80) fail('--name "…" is required (at most 80 characters)')
    const site = opt.site ?? null
    // a director, a hospital's blood bank and a feed act for one site (the database's trigger checks its kind)
    const needsSite = (SITE_ROLES as readonly string[]).includes(role)
    if (needsSite && !site) fail(`A ${role} needs --site <site id>`)
    if (!needsSite && site) fail('Only a director, a hospital user or a feed has a site')
    if (site && !/^[A-Z0-9]{2,12}$/.test(site)) fail('--site is a site id: 2–12 capital letters or digits')
    const uid = newId('u')
    const t = tokenFor(uid)
    // user.token_hash is legacy: a placeholder that is never a hash (migrations/0010_accounts.sql).
    d1(
      [
        `INSERT INTO user (id, name, role, site_id, token_hash, created_at) VALUES (${[uid, name, role, site, `none:${uid}`, at].map(lit).join(', ')})`,
        t.sql,
        audit('user.create', uid, { name, role, siteId: site, tokenId: t.id, label: opt.label, expiresAt: t.expiresAt }),
      ].join(';\n'),
    )
    console.log(`✓ ${role} ${name}${site ? ` (${site})` : ''} created: ${uid}`)
    printToken(t)
    break
  }
  case 'list': {
    const [users, tokens] = d1(`SELECT id, name, role, site_id AS siteId, disabled_at AS disabledAt FROM user ORDER BY role, name, id;
      SELECT user_id AS userId, label, expires_at AS expiresAt, revoked_at AS revokedAt, last_used_at AS lastUsedAt FROM user_token`)
    const rows = users.results.map((u) => {
      const mine = tokens.results.filter((t) => t.userId === u.id)
      const live = mine.filter((t) => !t.revokedAt && String(t.expiresAt) > at)
      const last =
        mine
          .map((t) => t.lastUsedAt as string | null)
          .filter(Boolean)
          .sort()
          .at(-1) ?? '-'
      const next = live.map((t) => String(t.expiresAt)).sort()[0] ?? '-'
      return [
        u.id,
        u.name,
        u.role,
        u.siteId ?? '-',
        u.disabledAt ? 'disabled' : 'enabled',
        `${live.length} live`,
        next.slice(0, 10),
        String(last).slice(0, 16),
      ].map(String)
    })
    const head = ['id', 'name', 'role', 'site', 'state', 'tokens', 'expires', 'last use']
    const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
    for (const r of [head, ...rows]) console.log(r.map((c, i) => c.padEnd(width[i])).join('  '))
    break
  }
  case 'rotate': {
    const uid = requireUser()
    const t = tokenFor(uid)
    const others = opt['revoke-others']
    d1(
      [
        t.sql,
        ...(others ? [`UPDATE user_token SET revoked_at = ${lit(at)} WHERE user_id = ${lit(uid)} AND revoked_at IS NULL AND id <> ${lit(t.id)}`] : []),
        audit('token.issue', uid, { tokenId: t.id, label: opt.label, expiresAt: t.expiresAt, revokeOthers: others }),
      ].join(';\n'),
    )
    console.log(
      `✓ new token for ${uid}; ${others ? 'its other tokens are revoked' : 'its other tokens stay valid until revoked (npm run user -- revoke) or expired'}`,
    )
    printToken(t)
    break
  }
  case 'revoke': {
    const uid = requireUser()
    d1(`UPDATE user_token SET revoked_at = ${lit(at)} WHERE user_id = ${lit(uid)} AND revoked_at IS NULL;\n${audit('token.revoke_all', uid, {})}`)
    console.log(`✓ every token of ${uid} is revoked`)
    break
  }
  case 'disable':
  case 'enable': {
    const uid = requireUser()
    const value = command === 'disable' ? `COALESCE(disabled_at, ${lit(at)})` : 'NULL'
    d1(`UPDATE user SET disabled_at = ${value} WHERE id = ${lit(uid)};\n${audit('user.edit', uid, { patch: { disabled: command === 'disable' } })}`)
    console.log(`✓ ${uid} ${command}d`)
    break
  }
  default:
    fail('Usage: npm run user -- add|list|rotate|revoke|disable|enable … [--remote]   (see scripts/user.ts)')
}
