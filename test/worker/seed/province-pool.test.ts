// Each province's own system, as the demo seeds it (issue 24): its own donors only, and the joint deferral list
// spanning the link — the deferrals recorded here, and the other province's as received over it.
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { demoRegion } from '../../../seed/demo'
import { demoRegionSql } from '../../../seed/demo-sql'
import { provinceRegion } from '../../../seed/provinces'
import { call, seedBase } from '../fixtures'

let region: Awaited<ReturnType<typeof demoRegion>>
beforeAll(async () => {
  region = await demoRegion({ now: new Date() })
  const statements = demoRegionSql(await provinceRegion(region, 'Sichuan'))
  await env.DB.batch(statements.map((s) => env.DB.prepare(s)))
  await seedBase() // the test users (their token for `call`); its Chongqing site CQ is no donor's home here
}, 60_000)

describe("Sichuan's seeded system", () => {
  it('holds only Sichuan donors', async () => {
    const rows = await env.DB.prepare('SELECT DISTINCT s.province FROM donor d JOIN site s ON s.id = d.site_id').all<{ province: string }>()
    expect(rows.results.map((r) => r.province)).toEqual(['Sichuan'])
    const sichuan = region.pool.donors.filter((d) => region.sites.find((s) => s.id === d.siteId)!.province === 'Sichuan')
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM donor').first('n')).toBe(sichuan.length)
  })

  it('refuses a call-up of the Chengdu donor Chongqing deferred: the deferral came with the seed as received over the link', async () => {
    const cq = region.pool.deferrals.filter((d) => region.sites.find((s) => s.id === d.siteId)!.province === 'Chongqing')
    expect(cq.length).toBeGreaterThan(0)
    const list = (await call('GET', '/api/deferrals')).json.deferrals as {
      donorCode: string
      siteId: string | null
      fromProvince: string | null
      sourceSite: string | null
    }[]
    for (const d of cq)
      expect(list).toContainEqual(expect.objectContaining({ donorCode: d.donorCode, siteId: null, fromProvince: 'Chongqing', sourceSite: d.siteId }))
    const chengdu = cq.find((d) => d.donorCode.startsWith('CD-'))!
    const req = region.requests.find((r) => r.siteId !== 'CQ' && region.sites.find((s) => s.id === r.siteId)!.province === 'Sichuan')!
    const refused = await call('POST', '/api/callups', { body: { requestId: req.id, donorCodes: [chengdu.donorCode] } })
    expect(refused.status).toBe(409)
    expect(['donor_deferred', 'donor_not_matching']).toContain(refused.json.error.code)
    // whatever the request's group, the joint list's trigger refuses the donor
    const now = new Date().toISOString()
    await expect(
      env.DB.prepare(
        "INSERT INTO callup (id, donor_code, request_id, site_id, component, created_by, created_at, updated_at) VALUES ('cu_seedtest', ?1, ?2, 'CD', 'RBC', 'u-coord', ?3, ?3)",
      )
        .bind(chengdu.donorCode, req.id, now)
        .run(),
    ).rejects.toThrow(/donor_deferred/)
  })
})
