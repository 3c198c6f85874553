// Issue 21 (bad input, round two), in the Workers runtime against real D1: planning requests bounded and
// time-limited, strict bodies, a body size limit.
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { generateInstance } from '../../../bench/generate'
import { MAX_UNITS } from '../../../solver/instance-schema'
import { THROTTLE } from '../../../worker/services/throttle'
import { app } from '../../../worker/index'
import { call, seedBase, TOKENS, uid } from '../fixtures'

beforeAll(() => seedBase())

const example = () => ({
  now: '2026-01-20T08:00:00Z',
  sites: [
    { id: 'CD', name: 'Chengdu', lat: 30.657, lng: 104.066 },
    { id: 'YB', name: 'Yibin', lat: 28.752, lng: 104.643 },
    { id: 'NC', name: 'Nanchong', lat: 30.837, lng: 106.11 },
  ],
  lots: [
    { id: 'L1', site: 'CD', component: 'RBC', abo: 'O', rhd: '+', qty: 20, expiresAt: '2026-02-15T00:00:00Z' },
    { id: 'L2', site: 'NC', component: 'RBC', abo: 'O', rhd: '+', qty: 20, expiresAt: '2026-02-15T00:00:00Z' },
  ],
  reserves: [{ site: 'CD', component: 'RBC', abo: 'O', rhd: '+', qty: 5 }],
  needs: [{ id: 'r1', site: 'YB', component: 'RBC', abo: 'O', rhd: '+', qty: 30, urgency: 'urgent' }],
})

describe('POST /api/plans/preview: bounded, time-limited', () => {
  it('answers 400 naming the field at once for 4294967296 and 1e15 units (it used to hold the isolate for minutes)', async () => {
    for (const q of [4294967296, 1e15, MAX_UNITS + 1]) {
      const body = example()
      body.lots[0]!.qty = q
      const t = Date.now()
      const res = await call('POST', '/api/plans/preview', { as: 'planner', body })
      expect(Date.now() - t).toBeLessThan(2000)
      expect(res.status).toBe(400)
      expect(res.json.error).toMatchObject({ code: 'invalid_instance', field: 'lots.0.qty' })
      expect(res.json.error.message).toContain(String(MAX_UNITS))
    }
  })

  it('plans a region with every quantity near the bound within 2 s, and /api/health answers right after', async () => {
    const inst = generateInstance({ sites: 60, lotsPerSite: 40, needsPerSite: 4, seed: 5 })
    let k = 0
    for (const l of inst.lots) l.qty = MAX_UNITS - (k++ % 97)
    for (const n of inst.needs) n.qty = MAX_UNITS - (k++ % 31)
    for (const r of inst.reserves ?? []) r.qty = Math.min(r.qty * 1000, MAX_UNITS)
    const t = Date.now()
    const [res, health] = await Promise.all([call('POST', '/api/plans/preview', { as: 'planner', body: inst }), call('GET', '/api/health', { as: null })])
    expect(Date.now() - t).toBeLessThan(2000)
    expect(res.status).toBe(200)
    expect(res.json.allocations.length).toBeGreaterThan(0)
    expect(res.json.allocations.some((a: { qty: number }) => a.qty > 50_000)).toBe(true)
    expect(health.status).toBe(200)
    expect((await call('GET', '/api/stock', { as: 'coordinator' })).status).toBe(200)
  })

  it('a solve past the work budget answers 503 plan_time_limit with a message, and the API goes on answering', async () => {
    const res = await app.request(
      '/api/plans/preview',
      {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKENS.planner}`, 'content-type': 'application/json' },
        body: JSON.stringify(example()),
      },
      { ...env, PLAN_WORK_LIMIT: '10' },
    )
    expect(res.status).toBe(503)
    const body = (await res.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('plan_time_limit')
    expect(body.error.message).toMatch(/10 arc scans/)
    // the same instance under the default budget plans
    expect((await call('POST', '/api/plans/preview', { as: 'planner', body: example() })).status).toBe(200)
    expect((await call('GET', '/api/health', { as: null })).status).toBe(200)
  })

  it('refuses unknown keys anywhere in an instance, naming the key', async () => {
    const cases: [(i: any) => void, string][] = [
      [(i) => (i.needs[0].antigenz = ['K-']), 'needs.0.antigenz'],
      [(i) => (i.lots[1].x = 1), 'lots.1.x'],
      [(i) => (i.sites[0].admin = true), 'sites.0.admin'],
      [(i) => (i.reserves[0].floor = 1), 'reserves.0.floor'],
      [(i) => (i.options = { fast: true }), 'options.fast'],
      [(i) => (i.isRoot = true), 'isRoot'],
    ]
    for (const [change, field] of cases) {
      const body = example()
      change(body)
      const res = await call('POST', '/api/plans/preview', { as: 'planner', body })
      expect(res.status).toBe(400)
      expect(res.json.error.field).toBe(field)
    }
  })
})

describe('POST /api/csv/stock-count: the same bound as JSON receipts', () => {
  it('refuses qty 999999 with 400 naming the line and the field, and applies nothing', async () => {
    const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10)
    const [okLot, bigLot] = [uid('CNT'), uid('CNT')]
    const text = `lot_id,component,abo,rhd,qty,collected_at,expires_at\n${okLot},RBC,O,+,100000,${day(-2)},${day(20)}\n${bigLot},RBC,O,+,999999,${day(-2)},${day(20)}\n`
    const res = await call('POST', '/api/csv/stock-count?site=CD', {
      as: 'director',
      raw: text,
      headers: { 'idempotency-key': uid('count-'), 'content-type': 'text/csv' },
    })
    expect(res.status, res.text).toBe(400)
    expect(res.json.error).toMatchObject({ code: 'invalid_csv', field: 'qty' })
    expect(res.json.rows).toEqual([{ row: 3, field: 'qty', message: expect.stringContaining(`at most ${MAX_UNITS}`) }])
    const stored = await env.DB.prepare('SELECT COUNT(*) AS n FROM lot WHERE id IN (?1, ?2)').bind(okLot, bigLot).first<number>('n')
    expect(stored).toBe(0)
  })
})

describe('strict bodies and a body size limit', () => {
  it('/api/users refuses unknown keys (isRoot, admin) naming the key, on create, patch and token issue', async () => {
    const base = { name: '周站长', role: 'planner' }
    for (const [extra, field] of [
      [{ isRoot: true }, 'isRoot'],
      [{ admin: true }, 'admin'],
    ] as const) {
      const res = await call('POST', '/api/users', { as: 'admin', body: { ...base, ...extra } })
      expect(res.status, res.text).toBe(400)
      expect(res.json.error.field).toBe(field)
    }
    const made = await call('POST', '/api/users', { as: 'admin', body: base })
    expect(made.status, made.text).toBe(201)
    const id = made.json.user.id
    const patch = await call('PATCH', `/api/users/${id}`, { as: 'admin', body: { name: 'x', isRoot: true } })
    expect([patch.status, patch.json.error.field]).toEqual([400, 'isRoot'])
    const token = await call('POST', `/api/users/${id}/tokens`, { as: 'admin', body: { label: 'phone', scope: 'all' } })
    expect([token.status, token.json.error.field]).toEqual([400, 'scope'])
  })

  it('a 9 MB body answers 413 too_large in the one error shape (users, and even the plan preview)', async () => {
    const pad = 'x'.repeat(9 * 1024 * 1024)
    for (const path of ['/api/users', '/api/plans/preview']) {
      const res = await call('POST', path, { as: 'admin', body: { name: 'a', role: 'planner', pad } })
      expect(res.status, path).toBe(413)
      expect(res.json.error).toMatchObject({ code: 'too_large', field: 'body' })
    }
    // an ordinary body still passes
    expect((await call('POST', '/api/plans/preview', { as: 'planner', body: example() })).status).toBe(200)
  })

  it('every JSON request body in the OpenAPI document refuses unknown keys (additionalProperties: false)', async () => {
    const doc = (await call('GET', '/api/openapi.json', { as: null })).json
    const resolve = (s: any): any => (s?.$ref ? doc.components.schemas[s.$ref.split('/').pop()] : s)
    const bodies: string[] = []
    const loose: string[] = []
    for (const [path, ops] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(ops)) {
        const s = op.requestBody?.content?.['application/json']?.schema
        if (!s) continue
        bodies.push(`${method} ${path}`)
        const r = resolve(s)
        for (const o of (r.anyOf ?? r.oneOf ?? [r]).map(resolve)) if (o.type === 'object' && o.additionalProperties !== false) loose.push(`${method} ${path}`)
      }
    }
    expect(bodies.length).toBeGreaterThan(20)
    expect(loose).toEqual([])
  })
})

describe('errors name their field', () => {
  it('a deferral for a donor not in the pool answers 404 naming donorCode, and writes nothing', async () => {
    const before = await env.DB.prepare('SELECT COUNT(*) AS n FROM donor_deferral').first<number>('n')
    const res = await call('POST', '/api/deferrals', {
      body: { donorCode: 'ZZ-NOBODY', siteId: 'CQ', reason: 'travel', from: new Date().toISOString(), until: null },
    })
    expect(res.status, res.text).toBe(404)
    expect(res.json.error).toMatchObject({ code: 'not_found', field: 'donorCode' })
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM donor_deferral').first<number>('n')).toBe(before)
  })

  it('404s name the path parameter, malformed JSON names the body, 403 for another station names siteId, a state 409 names status', async () => {
    const cases: [Promise<{ status: number; json: any }>, number, string][] = [
      [call('GET', '/api/transfers/tr_nope'), 404, 'id'],
      [call('GET', '/api/plans/plan_nope'), 404, 'id'],
      [call('GET', '/api/requests/req_nope'), 404, 'id'],
      [call('GET', '/api/incidents/inc_nope'), 404, 'id'],
      [call('GET', '/api/sites/NOPE'), 404, 'id'],
      [call('GET', '/api/donors/ZZ-NOBODY'), 404, 'code'],
      [call('PATCH', '/api/users/u_nope', { as: 'admin', body: { name: 'x' } }), 404, 'id'],
      [call('POST', '/api/requests', { raw: '{"siteId": ', headers: { 'content-type': 'application/json' } }), 400, 'body'],
      [call('POST', '/api/users', { as: 'admin', raw: '{not json', headers: { 'content-type': 'application/json' } }), 400, 'body'],
      [
        call('POST', '/api/requests', {
          as: 'directorYB',
          body: {
            siteId: 'CD',
            component: 'RBC',
            abo: 'O',
            rhd: '+',
            qty: 2,
            urgency: 'urgent',
            neededBy: new Date(Date.now() + 86_400_000).toISOString(),
            reason: 'x',
          },
        }),
        403,
        'siteId',
      ],
    ]
    for (const [p, status, field] of cases) {
      const res = await p
      expect([res.status, res.json?.error?.field]).toEqual([status, field])
    }
    // a closed incident: any change answers 409 incident_closed naming status
    const inc = await call('POST', '/api/incidents', { body: { name: '演练', lat: 30.6, lng: 104.1, casualties: { critical: 0, severe: 0, moderate: 1 } } })
    expect(inc.status, inc.text).toBe(201)
    expect((await call('POST', `/api/incidents/${inc.json.id}/close`, { body: {} })).status).toBe(200)
    const again = await call('POST', `/api/incidents/${inc.json.id}/close`, { body: {} })
    expect([again.status, again.json.error.code, again.json.error.field]).toEqual([409, 'incident_closed', 'status'])
  })
})

describe('the failure throttle and CF-Connecting-IP', () => {
  const fetchWith = (bindings: Record<string, unknown>, ip: string, token = `bd_${'z'.repeat(43)}`) =>
    app.request('/api/me', { headers: { authorization: `Bearer ${token}`, 'cf-connecting-ip': ip } }, { ...env, ...bindings })

  it('locally (no edge) a forged CF-Connecting-IP per request does not reset the count: the 11th try is 429', async () => {
    const local = { ALLOW_DEMO_TOKENS: 'true', TRUST_CF_CONNECTING_IP: undefined }
    await env.DB.prepare("DELETE FROM auth_failure WHERE client = 'local'").run()
    for (let i = 0; i < THROTTLE.limit; i++) expect((await fetchWith(local, `203.0.113.${i + 1}`)).status).toBe(401)
    const res = await fetchWith(local, '198.51.100.77')
    expect(res.status).toBe(429)
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM auth_failure WHERE client LIKE '203.0.113.%'").first<number>('n')).toBe(0)
    await env.DB.prepare("DELETE FROM auth_failure WHERE client = 'local'").run()
  }, 30_000)

  it('deployed (Cloudflare sets the header) each address keeps its own count', async () => {
    const deployed = { ALLOW_DEMO_TOKENS: undefined, TRUST_CF_CONNECTING_IP: undefined }
    expect((await fetchWith(deployed, '192.0.2.10')).status).toBe(401)
    const row = await env.DB.prepare("SELECT failures FROM auth_failure WHERE client = '192.0.2.10'").first<number>('failures')
    expect(row).toBe(1)
  })
})
