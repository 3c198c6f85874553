// The API contract: every route is in /api/openapi.json with its errors, and the check every other test runs on
// every response (test/worker/contract.ts) does fail when a response drifts from it.
import { beforeAll, describe, expect, it } from 'vitest'
import { app } from '../../../worker/index'
import { checkResponse } from '../contract'
import { call, seedBase } from '../fixtures'

let doc: any
beforeAll(async () => {
  await seedBase()
  doc = (await call('GET', '/api/openapi.json', { as: null })).json
})

/** Hono's routes the app answers (its middleware is registered as ALL), as OpenAPI paths. */
const served = () => {
  const routes = app.routes
    .filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/') && !['/api/openapi.json', '/api/health'].includes(r.path))
    .map((r) => ({ method: r.method.toLowerCase(), path: r.path.replace(/:([A-Za-z]+)/g, '{$1}') }))
  return [...new Map(routes.map((r) => [`${r.method} ${r.path}`, r])).values()]
}

describe('/api/openapi.json', () => {
  it('documents every route the app serves, and nothing it does not', async () => {
    const routes = served()
    expect(routes.length).toBeGreaterThan(60)
    const undocumented = routes.filter((r) => !doc.paths[r.path]?.[r.method]).map((r) => `${r.method} ${r.path}`)
    expect(undocumented).toEqual([])
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m} ${path}`),
    )
    const servedKeys = new Set(routes.map((r) => `${r.method} ${r.path}`))
    expect(documented.filter((k) => !servedKeys.has(k))).toEqual([])
  })

  it('gives every operation the bearer scheme, its 401, and the one error shape for every 4xx', () => {
    const ops = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, o]) =>
      Object.entries(o).map(([m, op]) => ({ where: `${m} ${path}`, op })),
    )
    expect(ops.length).toBeGreaterThan(60)
    for (const { where, op } of ops) {
      // the link's peer-to-peer routes are signed by the peer province instead (worker/link/signature.ts)
      const signed = ['post /api/link/inbox', 'get /api/link/summary', 'get /api/link/donors'].includes(where)
      expect(op.security, where).toEqual(signed ? [{ link: [] }] : [{ bearer: [] }])
      expect(Object.keys(op.responses), where).toContain('401')
      const errors = Object.entries(op.responses as Record<string, any>).filter(([s]) => s.startsWith('4'))
      // the one shape, or a CSV import's 400 that adds its rows to it (CsvInvalid)
      for (const [status, r] of errors) {
        const schema = r.content?.['application/json']?.schema ?? {}
        const refs = schema.anyOf ? schema.anyOf.map((a: any) => a.$ref) : [schema.$ref]
        expect([where, status, refs]).toEqual([
          where,
          status,
          refs.length > 1 ? ['#/components/schemas/CsvInvalid', '#/components/schemas/Error'] : ['#/components/schemas/Error'],
        ])
      }
      const ok = Object.keys(op.responses).filter((s) => s.startsWith('2'))
      expect(ok.length, where).toBeGreaterThan(0)
    }
  })

  it("keeps the CSV imports' 400 in the one error shape, with its rows", () => {
    const csv = doc.components.schemas.CsvInvalid
    expect(csv.required).toEqual(expect.arrayContaining(['error', 'rows']))
    expect(csv.properties.error.required).toEqual(expect.arrayContaining(['code', 'message']))
  })

  it('publishes the solver result in full: allocations with substitution, preferenceRank and travelHours, and the summary', () => {
    const result = doc.components.schemas.PlanResult
    expect(Object.keys(result.properties.allocations.items.properties)).toEqual(expect.arrayContaining(['substitution', 'preferenceRank', 'travelHours']))
    expect(result.required).toContain('summary')
    expect(Object.keys(result.properties.summary.properties)).toEqual(
      expect.arrayContaining(['demandUnits', 'unmetUnits', 'unmetByReason', 'fairness', 'exact']),
    )
  })
})

describe('the response check every Workers test runs', () => {
  const me = { id: 'u-coord', name: 'Test Coordinator', role: 'coordinator', siteId: null, province: null }
  const check = (status: number, body: unknown, method = 'GET', path = '/api/me') => checkResponse(method, path, status, 'application/json', body)

  it('passes an answer that is what the document says', async () => {
    const res = await call('GET', '/api/me')
    expect(res.json).toEqual(me)
    await expect(check(200, me)).resolves.toBeUndefined()
    await expect(check(401, { error: { code: 'unauthorized', message: 'no token' } })).resolves.toBeUndefined()
  })

  it('fails on a field the document does not describe, a missing or mistyped one, an undocumented status or route', async () => {
    await expect(check(200, { ...me, extra: 1 })).rejects.toThrow(/GET \/api\/me 200[\s\S]*#\/extra: a field \/api\/openapi.json does not describe/)
    const { name: _, ...noName } = me
    await expect(check(200, noName)).rejects.toThrow(/GET \/api\/me 200 body does not match[\s\S]*name/)
    await expect(check(200, { ...me, role: 'nurse' })).rejects.toThrow(/#\/role/)
    await expect(check(200, { ...me, siteId: 7 })).rejects.toThrow(/#\/siteId/)
    await expect(check(404, { error: { code: 'not_found', message: 'x' } })).rejects.toThrow(/GET \/api\/me 404 is not a documented response/)
    await expect(check(200, { ok: true }, 'GET', '/api/nowhere')).rejects.toThrow(/no such operation/)
    await expect(check(400, { error: { code: 'invalid_input' } })).rejects.toThrow(/#\/error/)
  })
})
