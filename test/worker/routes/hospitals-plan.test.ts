// Hospitals in the plan (issue 23): hospitals are left out of the planner's instance unless the coordinator lets a
// plan draw on them; then, after the stations, the emergency and urgent units still unmet are planned on each
// hospital's stock above its floor (N days of its own use), and no plan or commit takes a hospital below it.
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { call, seedBase, uid } from '../fixtures'
import { addLot, addRequest, auditOf, issue, key, lotQty, resetWorld, takeStock } from '../services/plan-fixtures'

beforeAll(() => seedBase())

const post = (path: string, opts: Parameters<typeof call>[2] = {}) => call('POST', path, opts)
const commitPlan = (id: string) => post(`/api/plans/${id}/commit`, { headers: { 'idempotency-key': key() } })

/** A hospital in a station's register (a trigger makes it a site of kind 'hospital' under the station). */
async function addHospital(station = 'YB'): Promise<string> {
  const id = uid('H')
  await env.DB.prepare(`INSERT INTO hospital (id, site_id, name_zh, name_en, county, created_at) VALUES (?1, ?2, ?3, ?4, '', ?5)`)
    .bind(id, station, `测试医院${id}`, `Test Hospital ${id}`, new Date().toISOString())
    .run()
  return id
}

/**
 * A hospital holding `onHand` RBC O+ that used 14 units in the last 14 days (1 a day): its floor is ceil(1 × 3) = 3
 * units (Sichuan's red-level days for red cells), so it can spare onHand − 3.
 */
async function hospitalWith(onHand: number, station = 'YB') {
  const h = await addHospital(station)
  const lot = await addLot({ site: h, qty: onHand + 14 })
  await issue(lot, h, 14, 3)
  return { h, lot }
}

const plan = async (body: Record<string, unknown>, as: 'coordinator' | 'admin' = 'coordinator') => {
  const res = await post('/api/plans', { as, body })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  return res.json
}

describe('POST /api/plans with drawOnHospitals', () => {
  it('without the option a hospital is not in the instance and its stock is never planned', async () => {
    await resetWorld()
    const { h } = await hospitalWith(10)
    const req = await addRequest({ site: 'YB', qty: 5, urgency: 'emergency' })
    const p = await plan({ requestIds: [req] })
    expect(p.transfers).toEqual([])
    expect(p.unmet).toEqual([expect.objectContaining({ need: req, qty: 5, reason: 'no_compatible_stock' })])
    expect(p.instance.sites.map((s: any) => s.id)).not.toContain(h)
    expect(p.instance.lots.filter((l: any) => l.site === h)).toEqual([])
    expect(p.instance.drawOnHospitals).toBeUndefined()
  })

  it('with it, the stations first, then a hospital’s stock above its floor, marked fromHospital; the floor holds at commit', async () => {
    await resetWorld()
    const { h, lot } = await hospitalWith(10)
    const station = await addLot({ site: 'CD', qty: 4 })
    const req = await addRequest({ site: 'YB', qty: 9, urgency: 'emergency' })
    const p = await plan({ requestIds: [req], drawOnHospitals: true })
    expect(p.instance.drawOnHospitals).toBe(true)
    expect(p.instance.hospitalRound.floors).toEqual([
      expect.objectContaining({ site: h, component: 'RBC', abo: 'O', rhd: '+', onHand: 10, floor: 3, offered: 7, avgDailyUse: 1, days: 3 }),
    ])
    const byFrom = Object.fromEntries(p.transfers.map((t: any) => [t.fromSite, t]))
    // every unit the stations can give first (4 from CD), the rest (5) from the hospital: 10 − 5 = 5 ≥ its floor of 3
    expect(byFrom.CD).toMatchObject({ toSite: 'YB', qty: 4, lots: [expect.objectContaining({ lotId: station, qty: 4 })] })
    expect(byFrom.CD.fromHospital).toBeUndefined()
    expect(byFrom[h]).toMatchObject({
      toSite: 'YB',
      qty: 5,
      lots: [expect.objectContaining({ lotId: lot, qty: 5 })],
      fromHospital: { hospitalId: h, nameZh: `测试医院${h}`, nameEn: `Test Hospital ${h}`, onHand: 10, floor: 3 },
    })
    expect(p.unmet).toEqual([])
    expect(p.result.summary.unmetUnits).toEqual({ emergency: 0, urgent: 0, routine: 0 })
    const audit = (await auditOf('plan', p.id)).find((a) => a.action === 'plan.create')!
    expect(JSON.parse(audit.detail)).toMatchObject({ drawOnHospitals: true, fromHospitals: { [h]: 5 } })

    for (const t of p.transfers) expect((await post(`/api/transfers/${t.id}/approve`)).status).toBe(200)
    // the hospital used 3 more units since the plan: taking 5 would leave it 2, below its floor of 3
    await takeStock(lot, h, 3)
    const refused = await commitPlan(p.id)
    expect(refused.status).toBe(409)
    expect(refused.json.error.code).toBe('below_floor')
    expect(refused.json.error.message).toContain(h)
    expect(refused.json.error.message).toContain("the hospital's floor")
    expect(await lotQty(lot)).toBe(7)
    expect(await lotQty(station)).toBe(4)
  })

  it('a commit within the floor takes the hospital exactly to what the plan left it', async () => {
    await resetWorld()
    const { h, lot } = await hospitalWith(8)
    const req = await addRequest({ site: 'YB', qty: 2, urgency: 'urgent' })
    const p = await plan({ requestIds: [req], drawOnHospitals: true })
    expect(p.transfers).toEqual([expect.objectContaining({ fromSite: h, qty: 2, fromHospital: expect.objectContaining({ floor: 3, onHand: 8 }) })])
    expect((await post(`/api/transfers/${p.transfers[0].id}/approve`)).status).toBe(200)
    expect((await commitPlan(p.id)).status).toBe(200)
    expect(await lotQty(lot)).toBe(6)
  })

  it('never below the floor, even for an emergency in disaster mode; a routine need never takes a hospital’s units', async () => {
    await resetWorld()
    const { h, lot } = await hospitalWith(10)
    const emergency = await addRequest({ site: 'YB', qty: 20, urgency: 'emergency' })
    const routine = await addRequest({ site: 'NC', qty: 2, urgency: 'routine' })
    const p = await plan({ mode: 'disaster', requestIds: [emergency, routine], drawOnHospitals: true })
    expect(p.transfers.map((t: any) => [t.fromSite, t.toSite, t.qty])).toEqual([[h, 'YB', 7]])
    // what is left of the emergency: the hospital's surplus ran out; the routine need keeps the stations' explanation
    expect(p.unmet).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ need: emergency, qty: 13, reason: 'insufficient_stock' }),
        expect.objectContaining({ need: routine, qty: 2, reason: 'no_compatible_stock' }),
      ]),
    )
    expect(p.result.summary.unmetUnits).toEqual({ emergency: 13, urgent: 0, routine: 2 })
    expect(p.transfers[0].lots).toEqual([expect.objectContaining({ lotId: lot, qty: 7 })])
  })

  it('with nothing left unmet by the stations, no hospital is drawn on', async () => {
    await resetWorld()
    await hospitalWith(10)
    await addLot({ site: 'CD', qty: 6 })
    const req = await addRequest({ site: 'YB', qty: 5, urgency: 'emergency' })
    const p = await plan({ requestIds: [req], drawOnHospitals: true })
    expect(p.transfers.map((t: any) => [t.fromSite, t.qty])).toEqual([['CD', 5]])
    expect(p.instance.drawOnHospitals).toBe(true)
    expect(p.instance.hospitalRound).toBeUndefined()
  })

  it('a hospital whose use is unknown is not drawn on (all of its stock is its floor)', async () => {
    await resetWorld()
    const h = await addHospital()
    await addLot({ site: h, qty: 10 })
    const req = await addRequest({ site: 'YB', qty: 2, urgency: 'emergency' })
    const p = await plan({ requestIds: [req], drawOnHospitals: true })
    expect(p.transfers).toEqual([])
    expect(p.unmet).toEqual([expect.objectContaining({ need: req, qty: 2 })])
  })

  it('only a coordinator or admin may set it; bad input names the field', async () => {
    await resetWorld()
    const req = await addRequest({ site: 'YB', qty: 1, urgency: 'emergency' })
    for (const as of ['planner', 'director', 'directorYB'] as const) {
      const res = await post('/api/plans', { as, body: { requestIds: [req], drawOnHospitals: true } })
      expect(res.status, as).toBe(403)
    }
    expect((await plan({ requestIds: [req], drawOnHospitals: true }, 'admin')).instance.drawOnHospitals).toBe(true)
    const bad = await post('/api/plans', { body: { requestIds: [req], drawOnHospitals: 'yes' } })
    expect(bad.status).toBe(400)
    expect(bad.json.error.field).toBe('drawOnHospitals')
    const incident = await post('/api/plans', { body: { incidentId: 'inc_x', drawOnHospitals: true } })
    expect(incident.status).toBe(400)
    expect(incident.json.error.field).toBe('drawOnHospitals')
  })

  it('a retry with the same Idempotency-Key answers the same plan; the option is part of the request', async () => {
    await resetWorld()
    await hospitalWith(10)
    const req = await addRequest({ site: 'YB', qty: 2, urgency: 'emergency' })
    const k = key()
    const a = await post('/api/plans', { body: { requestIds: [req], drawOnHospitals: true }, headers: { 'idempotency-key': k } })
    const b = await post('/api/plans', { body: { requestIds: [req], drawOnHospitals: true }, headers: { 'idempotency-key': k } })
    expect(a.status).toBe(201)
    expect(b.json.id).toBe(a.json.id)
    expect(b.headers.get('idempotent-replayed')).toBe('true')
    const other = await post('/api/plans', { body: { requestIds: [req] }, headers: { 'idempotency-key': k } })
    expect(other.status).toBe(409)
  })
})
