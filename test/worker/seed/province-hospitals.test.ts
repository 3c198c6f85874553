// The demo hospitals' blood banks in the province split (issues 23 and 24): each goes with its station's province —
// the Wanzhou hospital's lots and user into Chongqing's system, none of them into Sichuan's.
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { DEMO_TOKENS, demoRegion } from '../../../seed/demo'
import { demoRegionSql } from '../../../seed/demo-sql'
import { PROVINCE_USERS, provinceRegion } from '../../../seed/provinces'
import { call } from '../fixtures'

let sichuan: Awaited<ReturnType<typeof provinceRegion>>

beforeAll(async () => {
  const region = await demoRegion({ now: new Date() })
  sichuan = await provinceRegion(region, 'Sichuan')
  const statements = demoRegionSql(await provinceRegion(region, 'Chongqing'))
  await env.DB.batch(statements.map((s) => env.DB.prepare(s)))
}, 60_000)

describe('the province split of the demo hospitals', () => {
  it("puts the Wanzhou hospital's blood bank in Chongqing's system and the Sichuan hospitals in Sichuan's", async () => {
    expect(PROVINCE_USERS.Chongqing.map((u) => u.siteId)).toContain('CQWZ1')
    expect(PROVINCE_USERS.Sichuan.map((u) => u.siteId)).not.toContain('CQWZ1')
    // and Wanzhou's director (its station is Chongqing's), with the one-region demo's token
    expect(PROVINCE_USERS.Chongqing.find((u) => u.siteId === 'WZ')).toMatchObject({ role: 'director', token: 'demo-director-wz' })
    expect(PROVINCE_USERS.Sichuan.map((u) => u.siteId)).not.toContain('WZ')
    expect(sichuan.sites.map((s) => s.id)).not.toContain('WZ')
    expect(PROVINCE_USERS.Sichuan.map((u) => u.siteId)).toEqual(expect.arrayContaining(['YB1', 'YB2', 'GZ1']))
    expect(sichuan.lots.some((l) => l.siteId === 'YB1')).toBe(true)
    expect(sichuan.lots.some((l) => l.siteId === 'CQWZ1')).toBe(false)

    const me = await call('GET', '/api/me', { as: null, headers: { authorization: `Bearer ${DEMO_TOKENS['hospital-cqwz1']}` } })
    expect(me.json).toMatchObject({ role: 'hospital', siteId: 'CQWZ1' })
    const stock = await call('GET', '/api/stock?site=CQWZ1&component=RBC', { as: null, headers: { authorization: `Bearer ${DEMO_TOKENS['hospital-cqwz1']}` } })
    expect(stock.status).toBe(200)
    expect(stock.json.rows.reduce((a: number, r: { onHand: number }) => a + r.onHand, 0)).toBeGreaterThan(10)
    const wz = await call('GET', '/api/me', { as: null, headers: { authorization: `Bearer ${DEMO_TOKENS['director-wz']}` } })
    expect(wz.json).toMatchObject({ role: 'director', siteId: 'WZ' })
    const hospitals = await call('GET', '/api/hospitals?station=WZ', { as: null, headers: { authorization: `Bearer ${DEMO_TOKENS['director-wz']}` } })
    expect(hospitals.status).toBe(200)
    expect(hospitals.json.hospitals.map((h: { siteId: string }) => h.siteId)).toContain('CQWZ1')
  })
})
