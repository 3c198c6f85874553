import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { call, receiveLot, seedBase, uid } from '../fixtures'

const POLICIES = [
  { name: 'none', dispatch: 'none', reserveDays: 3, triggerDays: 5 },
  { name: 'planner', dispatch: 'planner', reserveDays: 3, triggerDays: 5 },
]
const BODY = { scenario: 'spring-festival', days: 10, seed: 3, policies: POLICIES, sites: ['CD', 'YB'] }

const counts = async () => {
  const one = async (sql: string) => (await env.DB.prepare(sql).first<{ n: number }>())!.n
  return {
    units: await one('SELECT COALESCE(SUM(qty), 0) AS n FROM lot'),
    movements: await one('SELECT COUNT(*) AS n FROM movement'),
    plans: await one('SELECT COUNT(*) AS n FROM plan'),
    transfers: await one('SELECT COUNT(*) AS n FROM transfer'),
    audit: await one('SELECT COUNT(*) AS n FROM audit_log'),
  }
}

beforeAll(async () => {
  await seedBase()
  // Chengdu holds plenty of red cells; Yibin a few, and it issues 28 in the window (2 a day on average)
  await receiveLot('CD', { component: 'RBC', abo: 'O', qty: 400 })
  await receiveLot('CD', { component: 'RBC', abo: 'A', qty: 300 })
  const yb = await receiveLot('YB', { component: 'RBC', abo: 'O', qty: 40 })
  const res = await call('POST', '/api/movements', { headers: { 'idempotency-key': uid('k-') }, body: { siteId: 'YB', kind: 'issue', lotId: yb, qty: 28 } })
  if (res.status !== 201) throw new Error(res.text)
})

describe('POST /api/simulations', () => {
  it('simulates the live region for a planner: metrics per policy, balanced, nothing written', async () => {
    const before = await counts()
    const res = await call('POST', '/api/simulations', { as: 'planner', body: BODY })
    expect(res.status, res.text).toBe(200)
    const r = res.json
    expect(r).toMatchObject({ scenario: 'spring-festival', days: 10, seed: 3, sites: 2, components: ['RBC'] })
    // baseline: 400 + 300 + (40 − 28) units; YB issues 2/day of O+, every other site × group is raised to the floor
    expect(r.baseline).toEqual([{ component: 'RBC', stockUnits: 712, dailyIssue: expect.any(Number), floored: 7 }])
    expect(r.baseline[0].dailyIssue).toBeCloseTo(2 + 1 + (1 - 0.342), 2)
    expect(r.policies.map((p: any) => p.policy.name)).toEqual(['none', 'planner'])
    for (const p of r.policies) {
      expect(p.series).toHaveLength(10)
      expect(p.series[0].date).toBe(r.start.slice(0, 10))
      for (const b of p.balance) expect(b.start + b.collected).toBe(b.issued + b.expired + b.end + b.inTransit)
      expect(p.balance.reduce((a: number, b: any) => a + b.issued, 0)).toBe(p.demandUnits - p.shortageUnits)
      expect(p.balance[0].start).toBe(712)
    }
    expect(r.policies[0]).toMatchObject({ transferredUnits: 0, transferCount: 0, unitHours: 0, plans: 0 })
    // same draws for both policies
    expect(r.policies[1].demandUnits).toBe(r.policies[0].demandUnits)
    expect(r.policies[1].shortageUnits).toBeLessThanOrEqual(r.policies[0].shortageUnits)
    expect(r.assumptions.length).toBeGreaterThan(3)
    expect(await counts()).toEqual(before)
  })

  it('is repeatable for a seed, and open to coordinators and admins', async () => {
    const strip = (j: any) => ({
      ...j,
      at: undefined,
      start: undefined,
      elapsedMs: undefined,
      policies: j.policies.map((p: any) => ({ ...p, solveMs: undefined, series: p.series.map((d: any) => ({ ...d, date: undefined })) })),
    })
    const a = await call('POST', '/api/simulations', { as: 'coordinator', body: BODY })
    const b = await call('POST', '/api/simulations', { as: 'admin', body: BODY })
    expect(a.status).toBe(200)
    expect(b.status).toBe(200)
    expect(strip(b.json)).toEqual(strip(a.json))
  })

  it('simulates every site by default', async () => {
    const res = await call('POST', '/api/simulations', { as: 'planner', body: { scenario: 'custom', days: 3, policies: [POLICIES[0]] } })
    expect(res.status, res.text).toBe(200)
    expect(res.json.sites).toBe(4)
    expect(res.json.seed).toBe(1)
    expect(res.json.policies[0].series.map((d: any) => d.collectionFactor)).toEqual([1, 1, 1])
  })

  it('simulates a whole year: the year scenario over 366 days', async () => {
    const res = await call('POST', '/api/simulations', { as: 'planner', body: { ...BODY, scenario: 'year', days: 366 } })
    expect(res.status, res.text).toBe(200)
    expect(res.json.scenario).toBe('year')
    expect(res.json.days).toBe(366)
    for (const p of res.json.policies) expect(p.series).toHaveLength(366)
  })

  it('400 naming the field for bad input', async () => {
    const five = ['a', 'b', 'c', 'd', 'e'].map((name) => ({ ...POLICIES[0], name }))
    const cases: [unknown, string][] = [
      [{ ...BODY, days: 0 }, 'days'],
      [{ ...BODY, days: 367 }, 'days'],
      [{ ...BODY, days: 2.5 }, 'days'],
      [{ ...BODY, scenario: 'winter' }, 'scenario'],
      [{ ...BODY, policies: [] }, 'policies'],
      [{ ...BODY, policies: five }, 'policies'],
      [{ ...BODY, policies: [{ ...POLICIES[0], dispatch: 'teleport' }] }, 'policies.0.dispatch'],
      [{ ...BODY, policies: [POLICIES[0], { ...POLICIES[1], triggerDays: 0 }] }, 'policies.1.triggerDays'],
      [{ ...BODY, policies: [POLICIES[0], { ...POLICIES[1], name: 'none' }] }, 'policies.1.name'],
      [{ ...BODY, sites: ['CD', 'ZZ'] }, 'sites.1'],
      [{ ...BODY, custom: { collectionFactor: 0.5 } }, 'custom'],
      [{ ...BODY, colour: 'red' }, ''],
    ]
    for (const [body, field] of cases) {
      const res = await call('POST', '/api/simulations', { as: 'planner', body })
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.json.error.code).toBe('invalid_input')
      if (field) expect(res.json.error.field, JSON.stringify(body)).toBe(field)
    }
    expect((await call('POST', '/api/simulations', { as: 'planner' })).status).toBe(400)
  })

  it('401 without a token, 403 for a director', async () => {
    const none = await call('POST', '/api/simulations', { as: null, body: BODY })
    expect(none.status).toBe(401)
    expect(none.json.error.code).toBe('unauthenticated')
    const director = await call('POST', '/api/simulations', { as: 'director', body: BODY })
    expect(director.status).toBe(403)
    expect(director.json.error.code).toBe('forbidden')
  })

  it('is listed in the OpenAPI document', async () => {
    const res = await call('GET', '/api/openapi.json', { as: null })
    expect(res.json.paths['/api/simulations'].post.requestBody).toBeDefined()
    expect(res.json.components.schemas.SimulationResult).toBeDefined()
  })
})
