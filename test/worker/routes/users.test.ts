import { createExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { DEMO_TOKENS } from '../../../seed/demo'
import { app } from '../../../worker/index'
import { THROTTLE } from '../../../worker/services/throttle'
import { checkResponse } from '../contract'
import { call, seedBase, uid } from '../fixtures'

beforeAll(() => seedBase())

/** Calls with a raw bearer token (and a client address, for throttling). */
const as = (token: string, ip = '10.0.0.1') => ({ as: null, headers: { authorization: `Bearer ${token}`, 'cf-connecting-ip': ip } })
let ipCounter = 0
const freshIp = () => `10.1.${Math.floor(ipCounter / 250)}.${(ipCounter++ % 250) + 1}`

async function addUser(body: Record<string, unknown>) {
  const res = await call('POST', '/api/users', { as: 'admin', body })
  expect(res.status, res.text).toBe(201)
  return res.json as { user: { id: string; role: string; siteId: string | null }; token: { id: string; token: string; expiresAt: string; status: string } }
}

describe('users and tokens', () => {
  it('create → use → rotate → revoke → 401, with a hashed token shown once and the audit trail', async () => {
    const made = await addUser({ name: '新站长', role: 'director', siteId: 'YB', tokenLabel: 'laptop' })
    expect(made.user).toMatchObject({ name: '新站长', role: 'director', siteId: 'YB', disabled: false })
    expect(made.token.token).toMatch(/^bd_[A-Za-z0-9_-]{43}$/)
    expect(made.token).toMatchObject({ label: 'laptop', status: 'active', revokedAt: null })
    const days = (Date.parse(made.token.expiresAt) - Date.now()) / 86_400_000
    expect(days).toBeGreaterThan(89.9)
    expect(days).toBeLessThanOrEqual(90)
    // stored only as a hash
    const stored = await env.DB.prepare('SELECT token_hash AS h FROM user_token WHERE id = ?1').bind(made.token.id).first<{ h: string }>()
    expect(stored!.h).toMatch(/^[0-9a-f]{64}$/)
    expect(JSON.stringify(await env.DB.prepare('SELECT * FROM user_token').all())).not.toContain(made.token.token)

    const first = made.token.token
    const me = await call('GET', '/api/me', as(first))
    expect(me.json).toEqual({ id: made.user.id, name: '新站长', role: 'director', siteId: 'YB', province: null })

    // the list shows last use and the token's expiry, never the token
    const list = await call('GET', '/api/users', { as: 'admin' })
    expect(list.status).toBe(200)
    const listed = list.json.users.find((u: { id: string }) => u.id === made.user.id)
    expect(listed.lastUsedAt).not.toBeNull()
    expect(listed.tokens).toEqual([expect.objectContaining({ id: made.token.id, expiresAt: made.token.expiresAt, status: 'active' })])
    expect(list.text).not.toContain(first)

    // rotation: the old token stays valid until revoked
    const rotated = await call('POST', `/api/users/${made.user.id}/tokens`, { as: 'admin', body: { label: 'phone', expiresInDays: 30 } })
    expect(rotated.status).toBe(201)
    expect(rotated.json.revokedOthers).toBe(0)
    const second = rotated.json.token.token as string
    expect(second).not.toBe(first)
    expect((await call('GET', '/api/me', as(first))).status).toBe(200)
    expect((await call('GET', '/api/me', as(second))).status).toBe(200)

    // rotation with revokeOthers: only the new one works
    const third = (await call('POST', `/api/users/${made.user.id}/tokens`, { as: 'admin', body: { revokeOthers: true } })).json
    expect(third.revokedOthers).toBe(2)
    const r1 = await call('GET', '/api/me', as(first))
    expect(r1.status).toBe(401)
    expect(r1.json.error.code).toBe('token_revoked')
    expect((await call('GET', '/api/me', as(third.token.token))).status).toBe(200)

    // revoke all: 401 at once
    const revoked = await call('DELETE', `/api/users/${made.user.id}/tokens`, { as: 'admin' })
    expect(revoked.json).toEqual({ revoked: 1 })
    const after = await call('GET', '/api/stock?site=YB', as(third.token.token))
    expect(after.status).toBe(401)
    expect(after.json).toEqual({ error: { code: 'token_revoked', message: expect.stringContaining('revoked') } })

    const audit = await call('GET', `/api/audit?entity=user&entityId=${made.user.id}`, { as: 'admin' })
    expect(audit.json.entries.map((e: { action: string }) => e.action).reverse()).toEqual(['user.create', 'token.issue', 'token.issue', 'token.revoke_all'])
    expect(audit.json.entries.every((e: { actorId: string; at: string }) => e.actorId === 'u-admin' && e.at)).toBe(true)
    expect(audit.text).not.toContain(first)
  })

  it('a disabled user answers 401 at once, and again 200 when enabled', async () => {
    const made = await addUser({ name: 'Planner Two', role: 'planner' })
    expect((await call('GET', '/api/sites', as(made.token.token))).status).toBe(200)
    const off = await call('PATCH', `/api/users/${made.user.id}`, { as: 'admin', body: { disabled: true } })
    expect(off.json.disabled).toBe(true)
    const res = await call('GET', '/api/sites', as(made.token.token))
    expect(res.status).toBe(401)
    expect(res.json.error.code).toBe('user_disabled')
    await call('PATCH', `/api/users/${made.user.id}`, { as: 'admin', body: { disabled: false } })
    expect((await call('GET', '/api/sites', as(made.token.token))).status).toBe(200)
  })

  it('an expired token answers 401', async () => {
    const made = await addUser({ name: 'Short-lived', role: 'coordinator', expiresInDays: 1 })
    expect((await call('GET', '/api/me', as(made.token.token))).status).toBe(200)
    await env.DB.prepare("UPDATE user_token SET expires_at = '2026-01-02T00:00:00.000Z', created_at = '2026-01-01T00:00:00.000Z' WHERE id = ?1")
      .bind(made.token.id)
      .run()
    const res = await call('GET', '/api/me', as(made.token.token))
    expect(res.status).toBe(401)
    expect(res.json.error.code).toBe('token_expired')
    const list = await call('GET', '/api/users', { as: 'admin' })
    expect(list.json.users.find((u: { id: string }) => u.id === made.user.id).tokens[0].status).toBe('expired')
  })

  it('a director moved to another site loses the old site on the next request', async () => {
    const made = await addUser({ name: 'Mover', role: 'director', siteId: 'CD' })
    const tok = made.token.token
    const request = () =>
      call('POST', '/api/requests', {
        ...as(tok),
        body: {
          siteId: 'CD',
          component: 'RBC',
          abo: 'O',
          rhd: '+',
          qty: 1,
          urgency: 'urgent',
          neededBy: new Date(Date.now() + 86_400_000).toISOString(),
          reason: '测试',
        },
      })
    expect((await request()).status).toBe(201)
    const moved = await call('PATCH', `/api/users/${made.user.id}`, { as: 'admin', body: { siteId: 'NC' } })
    expect(moved.json).toMatchObject({ role: 'director', siteId: 'NC' })
    const res = await request()
    expect(res.status).toBe(403)
    expect((await call('GET', '/api/me', as(tok))).json.siteId).toBe('NC')
    // and leaving the director role leaves the site
    const coord = await call('PATCH', `/api/users/${made.user.id}`, { as: 'admin', body: { role: 'coordinator' } })
    expect(coord.json).toMatchObject({ role: 'coordinator', siteId: null })
  })

  it('answers 400 naming the field, 404 for an unknown user, 409 for the last admin', async () => {
    const cases: [unknown, string][] = [
      [{ name: 'x', role: 'director' }, 'siteId'],
      [{ name: 'x', role: 'planner', siteId: 'CD' }, 'siteId'],
      [{ name: 'x', role: 'director', siteId: 'ZZZ' }, 'siteId'],
      [{ name: '', role: 'planner' }, 'name'],
      [{ name: 'x', role: 'king' }, 'role'],
      [{ name: 'x', role: 'planner', expiresInDays: 0 }, 'expiresInDays'],
      [{ name: 'x', role: 'planner', expiresInDays: 10_000 }, 'expiresInDays'],
    ]
    for (const [body, field] of cases) {
      const res = await call('POST', '/api/users', { as: 'admin', body })
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.json.error.field, JSON.stringify(body)).toBe(field)
    }
    expect((await call('PATCH', '/api/users/u-planner', { as: 'admin', body: { role: 'director' } })).json.error.field).toBe('siteId')
    expect((await call('PATCH', '/api/users/u-planner', { as: 'admin', body: {} })).status).toBe(400)
    expect((await call('PATCH', '/api/users/nobody', { as: 'admin', body: { disabled: true } })).status).toBe(404)
    expect((await call('POST', '/api/users/nobody/tokens', { as: 'admin', body: {} })).status).toBe(404)
    expect((await call('DELETE', '/api/users/nobody/tokens', { as: 'admin' })).status).toBe(404)
    // the seeded admin is the only one: it can be neither disabled nor demoted
    const users = (await call('GET', '/api/users', { as: 'admin' })).json.users as { role: string; disabled: boolean }[]
    expect(users.filter((u) => u.role === 'admin' && !u.disabled)).toHaveLength(1)
    const last = await call('PATCH', '/api/users/u-admin', { as: 'admin', body: { disabled: true } })
    expect(last.status).toBe(409)
    expect(last.json.error.code).toBe('last_admin')
    expect((await call('PATCH', '/api/users/u-admin', { as: 'admin', body: { role: 'planner' } })).status).toBe(409)
    expect((await call('GET', '/api/me', { as: 'admin' })).json.role).toBe('admin')
  })

  it('every user route answers 403 to anyone but an admin', async () => {
    for (const who of ['coordinator', 'planner', 'director'] as const) {
      const routes: [string, string, unknown?][] = [
        ['GET', '/api/users'],
        ['POST', '/api/users', { name: 'x', role: 'planner' }],
        ['PATCH', '/api/users/u-planner', { disabled: true }],
        ['POST', '/api/users/u-planner/tokens', {}],
        ['DELETE', '/api/users/u-planner/tokens'],
      ]
      for (const [method, path, body] of routes) {
        const res = await call(method, path, { as: who, body })
        expect(res.status, `${who} ${method} ${path}`).toBe(403)
        expect(res.json.error.code).toBe('forbidden')
      }
    }
    expect((await call('GET', '/api/me', { as: 'planner' })).status).toBe(200)
  })

  it('is described in OpenAPI', async () => {
    const doc = (await call('GET', '/api/openapi.json', { as: null })).json
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/users', '/api/users/{id}', '/api/users/{id}/tokens']))
    expect(doc.paths['/api/users/{id}/tokens'].post.responses).toHaveProperty('201')
  })
})

describe('throttling of failed sign-ins', () => {
  it('slows, then answers 429 with Retry-After, to a client that keeps failing; others and good tokens are not throttled', async () => {
    const bad = freshIp()
    const statuses: number[] = []
    const times: number[] = []
    for (let i = 0; i < THROTTLE.limit; i++) {
      const t0 = Date.now()
      statuses.push((await call('GET', '/api/me', as(`bd_${'x'.repeat(43)}`, bad))).status)
      times.push(Date.now() - t0)
    }
    expect(statuses).toEqual(Array(THROTTLE.limit).fill(401))
    // after slowAfter failures each answer is held back a little longer
    expect(times[0]).toBeLessThan(THROTTLE.stepMs)
    const held = Math.min(THROTTLE.maxDelayMs, (THROTTLE.limit - THROTTLE.slowAfter) * THROTTLE.stepMs)
    expect(times[THROTTLE.limit - 1]).toBeGreaterThanOrEqual(held - 20)
    const blocked = await call('GET', '/api/me', as(`bd_${'y'.repeat(43)}`, bad))
    expect(blocked.status).toBe(429)
    expect(blocked.json).toEqual({ error: { code: 'too_many_failures', message: expect.any(String) } })
    const retry = Number(blocked.headers.get('retry-after'))
    expect(retry).toBeGreaterThan(0)
    expect(retry).toBeLessThanOrEqual(THROTTLE.windowMs / 1000)
    // a blocked client learns nothing, even with a good token
    expect((await call('GET', '/api/me', as('test-admin-token', bad))).status).toBe(429)
    // a legitimate user elsewhere is not throttled, however many requests
    const good = freshIp()
    for (let i = 0; i < THROTTLE.limit + 5; i++) expect((await call('GET', '/api/me', as('test-admin-token', good))).status).toBe(200)
    // the window ends: the client may try again
    await env.DB.prepare("UPDATE auth_failure SET first_at = '2026-01-01T00:00:00.000Z' WHERE client = ?1").bind(bad).run()
    expect((await call('GET', '/api/me', as('test-admin-token', bad))).status).toBe(200)
  }, 30_000)
})

describe('the deployed configuration (no ALLOW_DEMO_TOKENS)', () => {
  /** The worker with wrangler.toml's vars only, as `wrangler deploy` runs it. */
  const deployed = async (token: string) => {
    const bindings = { ...env, ALLOW_DEMO_TOKENS: undefined } as unknown as Env
    const res = await app.fetch(
      new Request('http://t/api/me', { headers: { authorization: `Bearer ${token}`, 'cf-connecting-ip': freshIp() } }),
      bindings,
      createExecutionContext(),
    )
    const json = (await res.json()) as { error?: { code: string } }
    await checkResponse('GET', '/api/me', res.status, res.headers.get('content-type'), json)
    return { status: res.status, json }
  }

  it('refuses every demo token and every token it did not issue, even when the user exists', async () => {
    // the demo users, as the demo seed would store them
    for (const token of Object.values(DEMO_TOKENS)) {
      const res = await deployed(token)
      expect(res.status, token).toBe(401)
      expect(res.json.error!.code).toBe('token_refused')
    }
    // test-admin-token is a real user in this database, accepted locally, refused deployed
    expect((await call('GET', '/api/me', { as: 'admin' })).status).toBe(200)
    expect((await deployed('test-admin-token')).json.error!.code).toBe('token_refused')
  })

  it('accepts a token it issued', async () => {
    const made = await addUser({ name: 'Real Admin ' + uid(), role: 'admin' })
    expect(await deployed(made.token.token)).toMatchObject({ status: 200, json: { id: made.user.id, role: 'admin' } })
  })
})
