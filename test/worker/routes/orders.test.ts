// Hospital orders (issue 23): a hospital orders from its station (routine or an emergency call, which alerts the
// station's director); the director fills it with the station's issue (a transfer written dispatched, FEFO or chosen
// lots); the hospital receives it in full, short or rejected with the box temperature; both ledgers reconcile.
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { call, receiveLot, uid } from '../fixtures'
import { callAs, seedHospitals } from '../hospital-fixtures'

beforeAll(() => seedHospitals())

const key = () => ({ 'idempotency-key': uid('k-') })
const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString()
const order = (body: Record<string, unknown>, k = key()) =>
  callAs('HYB1', 'POST', '/api/orders', { headers: k, body: { kind: 'routine', component: 'RBC', abo: 'O', rhd: '+', qty: 2, neededBy: inHours(12), ...body } })
const fill = (id: string, body: Record<string, unknown> = {}, k = key()) =>
  call('POST', `/api/orders/${id}/fill`, { as: 'directorYB', headers: k, body: { temperatureC: 4, carrier: '川Q·12345', ...body } })
const receive = (id: string, body: Record<string, unknown>) =>
  callAs('HYB1', 'POST', `/api/orders/${id}/receive`, { headers: key(), body: { temperatureC: 5, ...body } })
const lotQty = (id: string) => env.DB.prepare('SELECT qty FROM lot WHERE id = ?1').bind(id).first<number>('qty')
const ledgerOf = (transferId: string) =>
  env.DB.prepare('SELECT site_id AS siteId, kind, SUM(delta) AS units FROM movement WHERE transfer_id = ?1 GROUP BY site_id, kind ORDER BY site_id, kind')
    .bind(transferId)
    .all<{ siteId: string; kind: string; units: number }>()
    .then((r) => r.results)

describe('the order lifecycle', () => {
  it('an emergency call alerts the station’s director, is filled FEFO from the station, received in full: both ledgers reconcile', async () => {
    const cursor = (await call('GET', '/api/events', { as: 'directorYB' })).json.cursor
    const k = key()
    const call1 = { kind: 'emergency', rhd: '-', qty: 4, note: '产后大出血', neededBy: inHours(2) }
    const made = await order(call1, k)
    expect(made.status, made.text).toBe(201)
    const o = made.json
    expect(o).toMatchObject({ hospitalId: 'HYB1', stationId: 'YB', kind: 'emergency', status: 'open', qty: 4, transferId: null, createdBy: 'u-hosp-hyb1' })
    const again = await order(call1, k)
    expect(again.json.id, again.text).toBe(o.id)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(
      await env.DB.prepare('SELECT COUNT(*) AS n FROM hospital_order WHERE created_by = ?1 AND note = ?2').bind('u-hosp-hyb1', '产后大出血').first('n'),
    ).toBe(1)

    // the alert: an event of urgency emergency for YB's director, not NC's, nor another hospital's
    const feed = await call('GET', `/api/events?since=${cursor}`, { as: 'directorYB' })
    const ev = feed.json.events.find((e: { entityId: string }) => e.entityId === o.id)
    expect(ev).toMatchObject({ entity: 'hospital_order', action: 'order.create', urgency: 'emergency', actorId: 'u-hosp-hyb1' })
    expect(ev.sites).toEqual(['HYB1', 'YB'])
    expect((await callAs('directorNC', 'GET', `/api/events?since=${cursor}`)).json.events.some((e: { entityId: string }) => e.entityId === o.id)).toBe(false)
    expect((await callAs('HYB2', 'GET', `/api/events?since=${cursor}`)).json.events.some((e: { entityId: string }) => e.entityId === o.id)).toBe(false)
    expect((await callAs('HYB1', 'GET', `/api/events?since=${cursor}`)).json.events.some((e: { entityId: string }) => e.entityId === o.id)).toBe(true)
    const list = await call('GET', '/api/orders?status=open', { as: 'directorYB' })
    expect(list.json.orders.map((x: { id: string }) => x.id)).toContain(o.id)

    // more than the station holds: 400 naming qty, nothing written
    const short = await fill(o.id)
    expect(short.status).toBe(400)
    expect(short.json.error).toMatchObject({ field: 'qty', code: 'insufficient_stock' })
    expect(short.json.error.message).toContain('holds 0')

    const late = await receiveLot('YB', { rhd: '-', qty: 5, expiresAt: inHours(20 * 24) })
    const soon = await receiveLot('YB', { rhd: '-', qty: 3, expiresAt: inHours(5 * 24) })
    expect((await call('GET', `/api/orders/${o.id}`, { as: 'directorYB' })).json.stationOnHand).toBe(8)
    const fk = key()
    const filled = await fill(o.id, {}, fk)
    expect(filled.status, filled.text).toBe(200)
    expect(filled.json).toMatchObject({ status: 'filled', transferStatus: 'dispatched', decidedBy: 'u-dir-yb' })
    const tid = filled.json.transferId
    // first-expiring first: all 3 of the soon lot, 1 of the late one
    expect([await lotQty(soon), await lotQty(late)]).toEqual([0, 4])
    const replay = await fill(o.id, {}, fk)
    expect(replay.json.transferId, replay.text).toBe(tid)
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
    expect([await lotQty(soon), await lotQty(late)]).toEqual([0, 4])
    const twice = await fill(o.id)
    expect(twice.status).toBe(409)
    expect(twice.json.error.code).toBe('invalid_transition')

    const t = await callAs('HYB1', 'GET', `/api/transfers/${tid}`)
    expect(t.json).toMatchObject({ fromSite: 'YB', toSite: 'HYB1', status: 'dispatched', qty: 4, component: 'RBC', abo: 'O', rhd: '-' })
    expect(t.json.transport.dispatch).toMatchObject({ temperatureC: 4, carrier: '川Q·12345' })

    const got = await receive(o.id, { receivedQty: 4, sealIntact: true })
    expect(got.status, got.text).toBe(200)
    expect(got.json).toMatchObject({ status: 'received', transferStatus: 'received', receivedQty: 4 })
    expect(await ledgerOf(tid)).toEqual([
      { siteId: 'HYB1', kind: 'transfer_in', units: 4 },
      { siteId: 'YB', kind: 'transfer_out', units: -4 },
    ])
    const stock = await callAs('HYB1', 'GET', '/api/stock?site=HYB1&component=RBC&abo=O&rhd=-')
    expect(stock.json.rows[0].onHand).toBe(4)
    const actions = await env.DB.prepare('SELECT action, actor_id AS actorId FROM audit_log WHERE entity_id IN (?1, ?2) ORDER BY id').bind(o.id, tid).all()
    expect(actions.results).toEqual([
      { action: 'order.create', actorId: 'u-hosp-hyb1' },
      { action: 'order.fill', actorId: 'u-dir-yb' },
      { action: 'transfer.dispatch', actorId: 'u-dir-yb' },
      { action: 'transfer.receive', actorId: 'u-hosp-hyb1' },
    ])
  })

  it('a short receipt records the lost units; a box out of range is rejected whole and discarded at the hospital', async () => {
    const src = await receiveLot('YB', { abo: 'B', qty: 10 })
    const a = (await order({ abo: 'B', qty: 3 })).json
    // the director picks the lots
    const fa = await fill(a.id, { lots: [{ lotId: src, qty: 3 }] })
    expect(fa.status, fa.text).toBe(200)
    const shortGot = await receive(a.id, { receivedQty: 2, note: 'one bag missing' })
    expect(shortGot.json).toMatchObject({ status: 'received', receivedQty: 2 })
    expect(await ledgerOf(fa.json.transferId)).toEqual([
      { siteId: 'HYB1', kind: 'transfer_in', units: 2 },
      { siteId: 'YB', kind: 'transfer_out', units: -3 },
    ])
    expect(await env.DB.prepare('SELECT lost_qty FROM transfer WHERE id = ?1').bind(fa.json.transferId).first('lost_qty')).toBe(1)

    const b = (await order({ abo: 'B', qty: 2 })).json
    const fb = await fill(b.id)
    // received through the transfer endpoint: the hospital may receive transfers to its hospital
    const warm = await callAs('HYB1', 'POST', `/api/transfers/${fb.json.transferId}/receive`, { headers: key(), body: { receivedQty: 2, temperatureC: 15 } })
    expect(warm.status, warm.text).toBe(200)
    expect(warm.json.transport.receipt).toMatchObject({ inRange: false, acceptedQty: 0, rejectedQty: 2 })
    expect(await ledgerOf(fb.json.transferId)).toEqual([
      { siteId: 'HYB1', kind: 'discard', units: -2 },
      { siteId: 'HYB1', kind: 'transfer_in', units: 2 },
      { siteId: 'YB', kind: 'transfer_out', units: -2 },
    ])
    expect((await callAs('HYB1', 'GET', `/api/orders/${b.id}`)).json.status).toBe('received')
    // another hospital cannot receive it, nor see it
    expect((await callAs('HYB2', 'GET', `/api/transfers/${fb.json.transferId}`)).status).toBe(403)
    expect((await callAs('HYB2', 'GET', `/api/orders/${b.id}`)).status).toBe(403)
  })

  it('cancel (the hospital, while open) and decline (the station, with a reason); a receipt for an order never filled: 409', async () => {
    const a = (await order({ qty: 1 })).json
    const early = await receive(a.id, { receivedQty: 1 })
    expect(early.status).toBe(409)
    expect(early.json.error.code).toBe('order_not_filled')
    expect((await call('POST', `/api/orders/${a.id}/cancel`, { as: 'directorYB', body: {} })).status).toBe(403)
    const cancelled = await callAs('HYB1', 'POST', `/api/orders/${a.id}/cancel`, { body: { reason: 'patient stable' } })
    expect(cancelled.json).toMatchObject({ status: 'cancelled', reason: 'patient stable', decidedBy: 'u-hosp-hyb1' })
    expect((await callAs('HYB1', 'POST', `/api/orders/${a.id}/cancel`, { body: {} })).status).toBe(409)
    expect((await fill(a.id)).status).toBe(409)

    const b = (await order({ qty: 1 })).json
    const noReason = await call('POST', `/api/orders/${b.id}/decline`, { as: 'directorYB', body: { reason: ' ' } })
    expect(noReason.status).toBe(400)
    expect(noReason.json.error.field).toBe('reason')
    expect((await callAs('HYB1', 'POST', `/api/orders/${b.id}/decline`, { body: { reason: 'x' } })).status).toBe(403)
    expect((await callAs('directorNC', 'POST', `/api/orders/${b.id}/decline`, { body: { reason: 'x' } })).status).toBe(403)
    const declined = await call('POST', `/api/orders/${b.id}/decline`, { as: 'directorYB', body: { reason: '请向南充调拨' } })
    expect(declined.json).toMatchObject({ status: 'declined', reason: '请向南充调拨', decidedBy: 'u-dir-yb' })
    expect((await callAs('HYB1', 'POST', `/api/orders/${b.id}/cancel`, { body: {} })).status).toBe(409)
    const audit = await env.DB.prepare("SELECT action FROM audit_log WHERE entity = 'hospital_order' AND entity_id IN (?1, ?2) ORDER BY id")
      .bind(a.id, b.id)
      .all()
    expect(audit.results.map((r) => r.action)).toEqual(['order.create', 'order.cancel', 'order.create', 'order.decline'])
  })
})

describe('two at once', () => {
  it('two fills of one order: one wins, the other fails whole; the stock is taken once', async () => {
    const src = await receiveLot('YB', { component: 'FFP', abo: 'A', qty: 6 })
    const o = (await order({ component: 'FFP', abo: 'A', qty: 4 })).json
    const [a, b] = await Promise.all([
      fill(o.id, { temperatureC: -25, lots: [{ lotId: src, qty: 4 }] }),
      fill(o.id, { temperatureC: -25, lots: [{ lotId: src, qty: 4 }] }),
    ])
    expect([a.status, b.status].sort()).toEqual([200, 409])
    expect(await lotQty(src)).toBe(2)
    expect(
      await env.DB.prepare('SELECT COUNT(*) AS n FROM transfer WHERE from_site = ?1 AND to_site = ?2 AND component = ?3 AND abo = ?4')
        .bind('YB', 'HYB1', 'FFP', 'A')
        .first('n'),
    ).toBe(1)
  })
})

describe('bad input and access', () => {
  it('answers 400 naming the field, 403 for what is not the caller’s', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ qty: 0 }, 'qty'],
      [{ abo: 'X' }, 'abo'],
      [{ component: 'BLOOD' }, 'component'],
      [{ neededBy: '2020-01-01T00:00:00Z' }, 'neededBy'],
      [{ kind: 'whenever' }, 'kind'],
      [{ surprise: 1 }, ''],
    ]
    for (const [body, field] of cases) {
      const r = await order(body)
      expect(r.status, JSON.stringify(body)).toBe(400)
      if (field) expect(r.json.error.field).toBe(field)
    }
    expect((await order({ hospitalId: 'HYB2' })).status).toBe(403)
    expect(
      (
        await call('POST', '/api/orders', {
          as: 'directorYB',
          headers: key(),
          body: { hospitalId: 'HYB1', component: 'RBC', abo: 'O', rhd: '+', qty: 1, neededBy: inHours(2) },
        })
      ).status,
    ).toBe(403)
    const noHospital = await call('POST', '/api/orders', {
      as: 'coordinator',
      headers: key(),
      body: { component: 'RBC', abo: 'O', rhd: '+', qty: 1, neededBy: inHours(2) },
    })
    expect(noHospital.json.error.field).toBe('hospitalId')
    const notHospital = await call('POST', '/api/orders', {
      as: 'coordinator',
      headers: key(),
      body: { hospitalId: 'YB', component: 'RBC', abo: 'O', rhd: '+', qty: 1, neededBy: inHours(2) },
    })
    expect(notHospital.json.error.field).toBe('hospitalId')
    // a coordinator may order for a hospital
    expect(
      (
        await call('POST', '/api/orders', {
          as: 'coordinator',
          headers: key(),
          body: { hospitalId: 'HNC1', component: 'RBC', abo: 'A', rhd: '+', qty: 1, neededBy: inHours(2) },
        })
      ).status,
    ).toBe(201)

    const src = await receiveLot('YB', { abo: 'AB', qty: 6 })
    const other = await receiveLot('YB', { abo: 'A', qty: 6 })
    const o = (await order({ abo: 'AB', qty: 2 })).json
    expect((await fill(o.id, { lots: [{ lotId: src, qty: 1 }] })).json.error.field).toBe('lots')
    expect((await fill(o.id, { lots: [{ lotId: other, qty: 2 }] })).json.error.field).toBe('lots.0.lotId')
    const hot = await fill(o.id, { temperatureC: 30 })
    expect(hot.json.error).toMatchObject({ field: 'temperatureC', code: 'temperature_out_of_range' })
    expect((await callAs('directorNC', 'POST', `/api/orders/${o.id}/fill`, { headers: key(), body: { temperatureC: 4 } })).status).toBe(403)
    expect((await callAs('HYB1', 'POST', `/api/orders/${o.id}/fill`, { headers: key(), body: { temperatureC: 4 } })).status).toBe(403)
    expect(await lotQty(src)).toBe(6)
    expect((await callAs('HYB1', 'GET', `/api/orders/${o.id}`)).json.status).toBe('open')
    const filled = await fill(o.id)
    expect((await callAs('HYB2', 'POST', `/api/orders/${o.id}/receive`, { headers: key(), body: { receivedQty: 2, temperatureC: 4 } })).status).toBe(403)
    // nor through the transfer: only the receiving hospital (or a coordinator/admin) receives; the station's director neither
    const viaTransfer = { headers: key(), body: { receivedQty: 2, temperatureC: 4 } }
    expect((await callAs('HYB2', 'POST', `/api/transfers/${filled.json.transferId}/receive`, viaTransfer)).status).toBe(403)
    expect((await callAs('HNC1', 'POST', `/api/transfers/${filled.json.transferId}/receive`, { ...viaTransfer, headers: key() })).status).toBe(403)
    expect((await call('POST', `/api/transfers/${filled.json.transferId}/receive`, { as: 'directorYB', ...viaTransfer, headers: key() })).status).toBe(403)
    const tooMany = await receive(o.id, { receivedQty: 3 })
    expect(tooMany.status).toBe(400)
    expect(tooMany.json.error.field).toBe('receivedQty')
    expect((await callAs('HYB1', 'GET', `/api/transfers/${filled.json.transferId}`)).json.status).toBe('dispatched')
    expect((await call('GET', '/api/orders/nope', { as: 'coordinator' })).status).toBe(404)
  })
})
