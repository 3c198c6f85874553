// Days of supply of a prefecture (issue 23): the station with its storage points, its hospitals, and both, over
// the same demand (the station's issues); the warning level stays the station's own.
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { call, seedBase, uid } from '../fixtures'
import { addLot, issue, resetWorld } from '../services/plan-fixtures'

beforeAll(() => seedBase())

async function addHospital(station: string): Promise<string> {
  const id = uid('H')
  await env.DB.prepare(`INSERT INTO hospital (id, site_id, name_zh, name_en, county, created_at) VALUES (?1, ?2, ?3, ?4, '', ?5)`)
    .bind(id, station, `测试医院${id}`, `Test Hospital ${id}`, new Date().toISOString())
    .run()
  return id
}

async function addStoragePoint(station: string): Promise<string> {
  const id = uid('S')
  const at = new Date().toISOString()
  await env.DB.prepare(
    `INSERT INTO site (id, name_zh, name_en, kind, province, city, lat, lng, created_at, updated_at, parent_id)
     VALUES (?1, ?1, ?1, 'storage', 'Sichuan', 'Yibin', 28.5, 104.5, ?2, ?2, ?3)`,
  )
    .bind(id, at, station)
    .run()
  return id
}

describe('GET /api/network/{id}: supply', () => {
  it("counts the hospitals' stock with the station's over the station's demand, and shows each apart", async () => {
    await resetWorld()
    // YB issued 28 RBC O+ in the window: 2 units a day; it holds 10, its storage point 4
    const yb = await addLot({ site: 'YB', qty: 38 })
    await issue(yb, 'YB', 28, 3)
    const sp = await addStoragePoint('YB')
    await addLot({ site: sp, qty: 4 })
    // its hospital holds 6 O+ (after transfusing 5: the same demand seen from the ward, not added) and 3 A+
    const h = await addHospital('YB')
    const hl = await addLot({ site: h, qty: 11 })
    await issue(hl, h, 5, 2)
    await addLot({ site: h, abo: 'A', qty: 3 })
    // another station's hospital is not Yibin's
    const other = await addHospital('NC')
    await addLot({ site: other, qty: 100 })

    const res = await call('GET', '/api/network/YB', { as: 'directorYB' })
    expect(res.status).toBe(200)
    const { supply } = res.json
    expect(supply.hospitalIds).toEqual([h])
    expect(supply.groups).toEqual([
      {
        component: 'RBC',
        abo: 'A',
        rhd: '+',
        avgDailyIssue: 0,
        units: { station: 0, hospitals: 3, prefecture: 3 },
        daysOfSupply: { station: null, hospitals: null, prefecture: null },
      },
      {
        component: 'RBC',
        abo: 'O',
        rhd: '+',
        avgDailyIssue: 2,
        units: { station: 14, hospitals: 6, prefecture: 20 },
        daysOfSupply: { station: 7, hospitals: 3, prefecture: 10 },
      },
    ])
    expect(supply.components).toEqual([
      {
        component: 'RBC',
        avgDailyIssue: 2,
        units: { station: 14, hospitals: 9, prefecture: 23 },
        daysOfSupply: { station: 7, hospitals: 4.5, prefecture: 11.5 },
      },
    ])
    // asked through its storage point, the same station's figure
    expect((await call('GET', `/api/network/${sp}`, { as: 'directorYB' })).json.supply).toEqual(supply)

    // GET /api/stock: daysOfSupply and the level stay the station's own (10 U ÷ 2 a day); its hospitals' units and
    // the days with them stand beside (the storage point has a row of its own)
    const stock = await call('GET', '/api/stock?site=YB&component=RBC&abo=O', { as: 'directorYB' })
    expect(stock.json.rows).toEqual([
      expect.objectContaining({
        siteId: 'YB',
        component: 'RBC',
        abo: 'O',
        rhd: '+',
        onHand: 10,
        daysOfSupply: 5,
        hospitalsOnHand: 6,
        daysOfSupplyWithHospitals: 8,
      }),
    ])
    // a site without hospitals has neither field
    await addLot({ site: 'CD', qty: 5 })
    const cd = await call('GET', '/api/stock?site=CD&component=RBC&abo=O', { as: 'planner' })
    expect(cd.json.rows).toHaveLength(1)
    expect(cd.json.rows[0]).not.toHaveProperty('hospitalsOnHand')
    expect(cd.json.rows[0]).not.toHaveProperty('daysOfSupplyWithHospitals')
  })
})
