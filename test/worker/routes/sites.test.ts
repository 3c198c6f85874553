import { beforeAll, describe, expect, it } from 'vitest'
import { call, seedBase } from '../fixtures'

beforeAll(() => seedBase())

const newSite = (id: string) => ({ id, nameZh: '测试血站', nameEn: 'Test Station', kind: 'station', province: 'Sichuan', city: 'Test', lat: 30.1, lng: 104.2 })

describe('GET /api/sites', () => {
  it('lists sites, filtered by province', async () => {
    const all = await call('GET', '/api/sites', { as: 'planner' })
    expect(all.status).toBe(200)
    expect(all.json.sites.map((s: any) => s.id)).toEqual(expect.arrayContaining(['CD', 'CQ', 'NC', 'YB']))
    const cq = await call('GET', '/api/sites?province=Chongqing', { as: 'director' })
    expect(cq.json.sites.map((s: any) => s.id)).toEqual(['CQ'])
  })

  it('answers 401 without a token and with a bad one', async () => {
    const none = await call('GET', '/api/sites', { as: null })
    expect(none.status).toBe(401)
    expect(none.json).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } })
    const bad = await call('GET', '/api/sites', { as: null, headers: { authorization: 'Bearer nope' } })
    expect(bad.status).toBe(401)
  })

  it('rejects a bad filter naming the field', async () => {
    const res = await call('GET', '/api/sites?kind=clinic')
    expect(res.status).toBe(400)
    expect(res.json.error.field).toBe('kind')
  })
})

describe('GET /api/sites/{id}', () => {
  it('returns one site with coordinates, 404 for an unknown id', async () => {
    const cd = await call('GET', '/api/sites/CD')
    expect(cd.status).toBe(200)
    expect(cd.json).toMatchObject({ id: 'CD', nameZh: '成都市血液中心', lat: 30.657, lng: 104.066 })
    const missing = await call('GET', '/api/sites/ZZ')
    expect(missing.status).toBe(404)
    expect(missing.json.error.code).toBe('not_found')
  })
})

describe('POST /api/sites', () => {
  it('creates a site as coordinator and audits it', async () => {
    const res = await call('POST', '/api/sites', { body: newSite('T1') })
    expect(res.status).toBe(201)
    expect(res.json).toMatchObject({ id: 'T1', kind: 'station' })
    const audit = await call('GET', '/api/audit?entity=site&entityId=T1', { as: 'admin' })
    expect(audit.status).toBe(200)
    expect(audit.json.entries[0]).toMatchObject({ action: 'site.create', actorId: 'u-coord' })
  })

  it('409 on a duplicate id', async () => {
    await call('POST', '/api/sites', { body: newSite('T2') })
    const again = await call('POST', '/api/sites', { body: newSite('T2') })
    expect(again.status).toBe(409)
    expect(again.json.error).toMatchObject({ code: 'site_exists', field: 'id' })
  })

  it('400 naming the field for bad input', async () => {
    const cases: [unknown, string][] = [
      [{ ...newSite('T3'), lat: 120 }, 'lat'],
      [{ ...newSite('T3'), kind: 'hospital' }, 'kind'],
      [{ ...newSite('t3') }, 'id'],
      [{ ...newSite('T3'), nameZh: '' }, 'nameZh'],
    ]
    for (const [body, field] of cases) {
      const res = await call('POST', '/api/sites', { body })
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.json.error.field).toBe(field)
    }
    const malformed = await call('POST', '/api/sites', { raw: '{"id":', headers: { 'content-type': 'application/json' } })
    expect(malformed.status).toBe(400)
    const noBody = await call('POST', '/api/sites')
    expect(noBody.status).toBe(400)
  })

  it('403 for a director or planner', async () => {
    expect((await call('POST', '/api/sites', { as: 'director', body: newSite('T4') })).status).toBe(403)
    expect((await call('POST', '/api/sites', { as: 'planner', body: newSite('T4') })).status).toBe(403)
  })
})

describe('PATCH /api/sites/{id}', () => {
  it('edits named fields as admin', async () => {
    await call('POST', '/api/sites', { body: newSite('T5') })
    const res = await call('PATCH', '/api/sites/T5', { as: 'admin', body: { city: 'Renamed', lat: 31 } })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ id: 'T5', city: 'Renamed', lat: 31, nameEn: 'Test Station' })
  })

  it('404 unknown, 400 empty or unknown field, 403 director', async () => {
    expect((await call('PATCH', '/api/sites/ZZ9', { body: { city: 'X' } })).status).toBe(404)
    expect((await call('PATCH', '/api/sites/CD', { body: {} })).status).toBe(400)
    const unknown = await call('PATCH', '/api/sites/CD', { body: { colour: 'red' } })
    expect(unknown.status).toBe(400)
    expect((await call('PATCH', '/api/sites/CD', { as: 'director', body: { city: 'X' } })).status).toBe(403)
  })
})

describe('the API surface', () => {
  it('publishes OpenAPI 3.1 without a token', async () => {
    const res = await call('GET', '/api/openapi.json', { as: null })
    expect(res.status).toBe(200)
    expect(res.json.openapi).toBe('3.1.0')
    expect(Object.keys(res.json.paths)).toContain('/api/sites/{id}')
    expect(res.json.components.schemas.Error).toBeDefined()
  })

  it('answers unknown routes with the error shape', async () => {
    const res = await call('GET', '/api/nothing-here')
    expect(res.status).toBe(404)
    expect(res.json.error.code).toBe('not_found')
  })
})
