// Issue 25: each site's last stock report and last contact, silence beyond its kind's limit (data, editable by a
// coordinator), and the age of the oldest stock report in a live plan's answer.
import { beforeAll, describe, expect, it } from 'vitest'
import { call, receiveLot, seedBase } from '../fixtures'

beforeAll(() => seedBase())

type Contact = {
  siteId: string
  kind: string
  lastStockReportAt: string | null
  lastContactAt: string | null
  silentHours: number | null
  limitHours: number
  silent: boolean
}
const contact = async () => {
  const res = await call('GET', '/api/site-contact', { as: 'coordinator' })
  expect(res.status).toBe(200)
  return { ...res.json, byId: new Map((res.json.sites as Contact[]).map((s) => [s.siteId, s])) } as {
    limits: { kind: string; hours: number }[]
    byId: Map<string, Contact>
  }
}

describe('GET /api/site-contact', () => {
  it('gives the default limits and marks a site never heard from as silent', async () => {
    const c = await contact()
    expect(c.limits).toEqual([
      { kind: 'center', hours: 24 },
      { kind: 'station', hours: 24 },
      { kind: 'storage', hours: 48 },
    ])
    expect(c.byId.size).toBe(4)
    expect(c.byId.get('NC')).toMatchObject({ kind: 'station', lastStockReportAt: null, silentHours: null, limitHours: 24, silent: true })
  })

  it('a receipt is a stock report: the site is heard from now and not silent', async () => {
    const before = Date.now()
    await receiveLot('YB', { qty: 4 })
    const yb = (await contact()).byId.get('YB')!
    expect(Date.parse(yb.lastStockReportAt!)).toBeGreaterThanOrEqual(before - 1000)
    expect(yb.lastContactAt! >= yb.lastStockReportAt!).toBe(true)
    expect(yb.silentHours).toBeLessThan(0.1)
    expect(yb.silent).toBe(false)
  })

  it('a coordinator sets the limit per kind (audited); past it the site is silent; a director may not', async () => {
    const refused = await call('PUT', '/api/site-contact/limits/station', { as: 'director', body: { hours: 1 } })
    expect(refused.status).toBe(403)
    const bad = await call('PUT', '/api/site-contact/limits/station', { body: { hours: 0 } })
    expect(bad.status).toBe(400)
    expect(bad.json.error.field).toBe('hours')
    const unknown = await call('PUT', '/api/site-contact/limits/hospital', { body: { hours: 2 } })
    expect(unknown.status).toBe(400)
    await receiveLot('YB', { qty: 2 })
    const set = await call('PUT', '/api/site-contact/limits/station', { body: { hours: 0.0001 } }) // 0.36 s
    expect(set.status).toBe(200)
    expect(set.json).toEqual({ kind: 'station', hours: 0.0001 })
    await new Promise((r) => setTimeout(r, 600))
    const c = await contact()
    expect(c.byId.get('YB')).toMatchObject({ limitHours: 0.0001, silent: true })
    const audit = await call('GET', '/api/audit?entity=silence_limit&entityId=station')
    expect(audit.status).toBe(200)
    expect(JSON.stringify(audit.json)).toContain('silence_limit.set')
    await call('PUT', '/api/site-contact/limits/station', { body: { hours: 24 } })
    expect((await contact()).byId.get('YB')!.silent).toBe(false)
  })
})

describe('a plan says how old the stock it planned on was', () => {
  it('names the site with the oldest stock report at planning time and its age in hours, in POST and GET', async () => {
    await receiveLot('CD', { qty: 3 })
    const res = await call('POST', '/api/plans', { body: {} })
    expect(res.status).toBe(201)
    const c = await contact()
    const reported = [...c.byId.values()].filter((s) => s.lastStockReportAt)
    expect(reported.length).toBeGreaterThan(1)
    const oldest = reported.reduce((a, b) => (a.lastStockReportAt! < b.lastStockReportAt! ? a : b))
    expect(res.json.oldestStockReport).toMatchObject({ siteId: oldest.siteId, at: oldest.lastStockReportAt })
    const hours = (Date.parse(res.json.createdAt) - Date.parse(oldest.lastStockReportAt!)) / 3_600_000
    expect(res.json.oldestStockReport.hours).toBeCloseTo(hours, 1)
    const again = await call('GET', `/api/plans/${res.json.id}`)
    expect(again.json.oldestStockReport).toEqual(res.json.oldestStockReport)
  })
})
