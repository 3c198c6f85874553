// Storage points and hospitals (issue 12): a storage point belongs to a station, units move between them without a
// coordinator (atomically, audited), its stock counts in the station's totals; issues name a registered hospital.
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { call, seedBase, uid } from '../fixtures'
import { addLot } from '../services/plan-fixtures'

beforeAll(() => seedBase())

const storagePoint = async (parentId: string) => {
  const id = uid('SP').slice(0, 12)
  const res = await call('POST', '/api/sites', {
    body: { id, nameZh: '县医院储血点', nameEn: 'County storage point', kind: 'storage', province: 'Sichuan', city: 'Yibin', lat: 28.4, lng: 104.5, parentId },
  })
  expect(res.status, res.text).toBe(201)
  expect(res.json.parentId).toBe(parentId)
  return id
}
const move = (body: Record<string, unknown>, as: 'directorYB' | 'director' | 'coordinator' = 'directorYB', key = uid('lt-')) =>
  call('POST', '/api/network/transfers', { as, headers: { 'idempotency-key': key }, body })

describe('storage points', () => {
  it('belong to a station or centre; other sites have no parent (400 naming parentId)', async () => {
    const base = { nameZh: '储血点', nameEn: 'SP', province: 'Sichuan', city: 'Yibin', lat: 28.4, lng: 104.5 }
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, id: uid('SP').slice(0, 12), kind: 'storage' }, 'A storage point belongs to a station: give parentId'],
      [{ ...base, id: uid('SP').slice(0, 12), kind: 'station', parentId: 'YB' }, 'Only a storage point has a parent station'],
      [{ ...base, id: uid('SP').slice(0, 12), kind: 'storage', parentId: 'ZZZ' }, 'No site ZZZ'],
    ]
    for (const [body, message] of cases) {
      const r = await call('POST', '/api/sites', { body })
      expect(r.status).toBe(400)
      expect(r.json.error).toMatchObject({ field: 'parentId', message })
    }
    const sp = await storagePoint('YB')
    const nested = await call('POST', '/api/sites', { body: { ...base, id: uid('SP').slice(0, 12), kind: 'storage', parentId: sp } })
    expect(nested.json.error.field).toBe('parentId')
  })

  it("move units to and from their station without a coordinator: one batch, audited, in the station's totals", async () => {
    const sp = await storagePoint('YB')
    const lot = await addLot({ site: 'YB', qty: 20 })
    const key = uid('lt-')
    const res = await move({ fromSite: 'YB', toSite: sp, lotId: lot, qty: 6 }, 'directorYB', key)
    expect(res.status, res.text).toBe(201)
    const t = res.json
    expect(t).toMatchObject({ fromSite: 'YB', toSite: sp, component: 'RBC', abo: 'O', rhd: '+', qty: 6, lotId: lot })
    // the transfer is an ordinary one, received at once, with no plan
    const row = await env.DB.prepare('SELECT status, local, plan_id AS planId, received_qty AS receivedQty FROM transfer WHERE id = ?1').bind(t.id).first()
    expect(row).toEqual({ status: 'received', local: 1, planId: null, receivedQty: 6 })
    const ledger = await env.DB.prepare(
      'SELECT lot_id AS lotId, site_id AS siteId, kind, delta, actor_id AS actorId FROM movement WHERE transfer_id = ?1 ORDER BY id',
    )
      .bind(t.id)
      .all()
    expect(ledger.results).toEqual([
      { lotId: lot, siteId: 'YB', kind: 'transfer_out', delta: -6, actorId: 'u-dir-yb' },
      { lotId: t.newLotId, siteId: sp, kind: 'transfer_in', delta: 6, actorId: 'u-dir-yb' },
    ])
    const audit = await call('GET', `/api/audit?entity=transfer&entityId=${t.id}`, { as: 'admin' })
    expect(audit.json.entries.map((e: any) => [e.action, e.actorId])).toEqual([['transfer.local', 'u-dir-yb']])
    // a retry with the same key answers the same transfer, applied once
    const again = await move({ fromSite: 'YB', toSite: sp, lotId: lot, qty: 6 }, 'directorYB', key)
    expect(again.status).toBe(201)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(again.json.id).toBe(t.id)
    expect(await env.DB.prepare('SELECT qty FROM lot WHERE id = ?1').bind(lot).first('qty')).toBe(14)

    // the station's totals: its own stock, its storage points', both (a storage point answers its station's)
    const net = await call('GET', `/api/network/${sp}`, { as: 'planner' })
    expect(net.status).toBe(200)
    expect(net.json.stationId).toBe('YB')
    expect(net.json.storagePoints.map((s: any) => s.id)).toContain(sp)
    const o = net.json.totals.find((x: any) => x.component === 'RBC' && x.abo === 'O' && x.rhd === '+')
    expect(o.storagePoints).toBeGreaterThanOrEqual(6)
    expect(o.total).toBe(o.station + o.storagePoints)

    // back to the station, by a coordinator
    expect((await move({ fromSite: sp, toSite: 'YB', lotId: t.newLotId, qty: 2 }, 'coordinator')).status).toBe(201)
  })

  it('refuse what is not a local move: another station (400 not_local), too few units (409), a stranger (403)', async () => {
    const sp = await storagePoint('YB')
    const lot = await addLot({ site: 'YB', qty: 5 })
    const far = await move({ fromSite: 'YB', toSite: 'CD', lotId: lot, qty: 1 })
    expect(far.status).toBe(400)
    expect(far.json.error).toMatchObject({ code: 'not_local', field: 'toSite' })
    const many = await move({ fromSite: 'YB', toSite: sp, lotId: lot, qty: 6 })
    expect(many.status).toBe(409)
    expect(many.json.error).toMatchObject({ code: 'insufficient_stock', field: 'lotId' })
    expect((await move({ fromSite: 'YB', toSite: sp, lotId: lot, qty: 1 }, 'director')).status).toBe(403)
    expect((await move({ fromSite: 'YB', toSite: sp, lotId: 'NOPE', qty: 1 })).status).toBe(404)
    expect((await move({ fromSite: 'YB', toSite: sp, lotId: lot, qty: 0 })).json.error.field).toBe('qty')
    expect(await env.DB.prepare('SELECT qty FROM lot WHERE id = ?1').bind(lot).first('qty')).toBe(5)
  })
})

describe('hospitals', () => {
  it('are a register per station; an issue names one; demand by hospital is served', async () => {
    const name = `宜宾市第${uid('')}人民医院`
    const add = await call('POST', '/api/network/YB/hospitals', { as: 'directorYB', body: { nameZh: name, county: '翠屏区' } })
    expect(add.status, add.text).toBe(201)
    expect((await call('POST', '/api/network/YB/hospitals', { as: 'directorYB', body: { nameZh: name } })).status).toBe(409)
    expect((await call('POST', '/api/network/YB/hospitals', { as: 'director', body: { nameZh: '别的医院' } })).status).toBe(403)
    expect((await call('POST', '/api/network/YB/hospitals', { as: 'directorYB', body: {} })).json.error.field).toBe('nameZh')
    expect((await call('GET', '/api/network/NOPE/hospitals')).status).toBe(404)
    const list = await call('GET', '/api/network/YB/hospitals', { as: 'planner' })
    expect(list.json.hospitals.map((h: any) => h.id)).toContain(add.json.id)

    const lot = await addLot({ site: 'YB', qty: 10 })
    const issue = (hospitalId: string) =>
      call('POST', '/api/movements', {
        as: 'directorYB',
        headers: { 'idempotency-key': uid('i-') },
        body: { siteId: 'YB', kind: 'issue', lotId: lot, qty: 2, urgency: 'emergency', hospitalId },
      })
    const bad = await issue('hosp_unknown')
    expect(bad.status).toBe(400)
    expect(bad.json.error.field).toBe('movements.0.hospitalId')
    expect((await issue(add.json.id)).status).toBe(201)
    const demand = await call('GET', '/api/network/YB/demand', { as: 'planner' })
    expect(demand.status).toBe(200)
    expect(demand.json.demand).toContainEqual({
      hospitalId: add.json.id,
      hospitalName: name,
      component: 'RBC',
      units: 2,
      avgDailyIssue: 0.14,
      share: expect.any(Number),
    })
  })
})
