// The demo region's rare-donor pool: tens of typed donors in both provinces, a few deferrals, screening records,
// and the walkthrough's eligible O Fy(a-) donor in Chengdu.
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { demoSql } from '../../../seed/demo-sql'
import { call, seedBase } from '../fixtures'

beforeAll(async () => {
  const statements = await demoSql({ now: new Date() })
  await env.DB.batch(statements.map((s) => env.DB.prepare(s)))
  await seedBase()
}, 60_000)

describe('the demo pool', () => {
  it('has tens of donors across both provinces, RhD-negative most, Jk(a-b-) fewest, and a few deferrals', async () => {
    const pool = await call('GET', '/api/donors/pool') // the demo's own planner holds u-planner here
    expect(pool.status).toBe(200)
    expect(pool.json.total).toBeGreaterThanOrEqual(30)
    expect(pool.json.total).toBeLessThan(100)
    const n = (a: string) => pool.json.byAntigen.find((r: { antigen: string }) => r.antigen === a)
    expect(n('RhD-').donors).toBeGreaterThan(n('Fy(a-)').donors)
    expect(n('Fy(a-)').donors).toBeGreaterThan(n('Jk(a-b-)').donors)
    for (const a of ['RhD-', 'Fy(a-)', 'Jk(a-b-)']) expect([a, n(a).Sichuan > 0 && n(a).Chongqing > 0]).toEqual([a, true])
    expect(pool.json.byAntigen.some((r: { antigen: string }) => r.antigen.startsWith('HLA-'))).toBe(true)
    expect(pool.json.deferralsActive).toBeGreaterThanOrEqual(3)
    expect(pool.json.screening.length).toBeGreaterThan(3)
  })

  it('offers an eligible O Fy(a-) donor in Chengdu for the Garze patient, and never the deferred one', async () => {
    const res = await call('GET', '/api/donors?request=req_demo_06&all=true')
    const cd = res.json.donors.filter((d: { siteId: string }) => d.siteId === 'CD')
    expect(cd.some((d: { abo: string; eligibleNow: boolean }) => d.abo === 'O' && d.eligibleNow)).toBe(true)
    const offered = await call('GET', '/api/donors?request=req_demo_06')
    expect(offered.json.donors.length).toBeGreaterThan(0)
    expect(offered.json.donors.every((d: { deferred: boolean }) => !d.deferred)).toBe(true)
    // the second Chengdu Fy(a-) donor (group B) is deferred on the joint list, recorded in Chongqing: the station's list shows them, a search never offers them
    const fy = `antigens=${encodeURIComponent('Fy(a-)')}&site=CD`
    const listed = await call('GET', `/api/donors?${fy}&all=true`)
    const deferred = listed.json.donors.filter((d: { deferred: boolean }) => d.deferred).map((d: { code: string }) => d.code)
    expect(deferred.length).toBeGreaterThan(0)
    const searched = await call('GET', `/api/donors?${fy}`)
    expect(searched.json.donors.length).toBeGreaterThan(0)
    for (const code of deferred) expect(searched.json.donors.map((d: { code: string }) => d.code)).not.toContain(code)
  })
})
