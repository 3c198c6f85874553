// Aid across the border (issue 24): both provinces driven in one test database. Each side's routes run with its own
// PROVINCE; each link message the one side writes to its outbox is applied as the other side would apply it (the
// handler's schema and statements, in one batch with the inbox row), so both sides' rows coexist (`side`).
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { app } from '../../../worker/index'
import { applyLinkMessage } from '../../../worker/link/inbox'
import type { LinkMessage } from '../../../worker/link/outbox'
import { sha256Hex } from '../../../worker/lib/crypto'
import { checkResponse } from '../contract'
import { call, seedBase, TOKENS, uid } from '../fixtures'
import { addLot, resetWorld } from '../services/plan-fixtures'

type Province = 'Sichuan' | 'Chongqing'
const OTHER: Record<Province, Province> = { Sichuan: 'Chongqing', Chongqing: 'Sichuan' }
const WZ_TOKEN = 'test-director-wz-token'
const db = () => env.DB

beforeAll(async () => {
  await seedBase()
  const at = '2026-01-01T00:00:00Z'
  await db().batch([
    db()
      .prepare(
        `INSERT OR IGNORE INTO site (id, name_zh, name_en, kind, province, city, lat, lng, created_at, updated_at)
         VALUES ('WZ', '万州区中心血站', 'Wanzhou Central Blood Station', 'station', 'Chongqing', 'Wanzhou', 30.807, 108.408, ?1, ?1)`,
      )
      .bind(at),
    db()
      .prepare(`INSERT OR IGNORE INTO user (id, name, role, site_id, token_hash, created_at) VALUES ('u-dir-wz', 'Director WZ', 'director', 'WZ', ?1, ?2)`)
      .bind(await sha256Hex(WZ_TOKEN), at),
  ])
})

/** A call to the worker as one province's system (its PROVINCE and LINK_PEERS), checked against the OpenAPI document. */
async function callIn(province: Province, method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${opts.token ?? TOKENS.coordinator}`, ...opts.headers }
  if (opts.body !== undefined) headers['content-type'] = 'application/json'
  // the link's couriers are not asked to deliver here: this test delivers each message itself (deliver below)
  const courier = { getByName: () => ({ poke: async () => {} }) }
  const provEnv = { ...env, PROVINCE: province, LINK_PEERS: JSON.stringify({ [OTHER[province]]: 'http://peer.invalid' }), LINK_COURIER: courier }
  const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext
  const res = await app.fetch(
    new Request(`http://test${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) }),
    provEnv,
    ctx,
  )
  const text = await res.text()
  const json = text ? JSON.parse(text) : undefined
  await checkResponse(method, path, res.status, res.headers.get('content-type'), json)
  return { status: res.status, json }
}

/** Applies a message as the receiving province's inbox does (worker/link/inbox.ts); anything but 'applied' fails the caller. */
async function applyAs(msg: LinkMessage) {
  const res = await applyLinkMessage(db(), msg)
  if (res.outcome !== 'applied') throw new Error(res.outcome === 'rejected' ? `rejected: ${res.error}` : 'replay')
}

/** Delivers every undelivered message from `from` to the other province; returns them (for replays). */
async function deliver(from: Province): Promise<LinkMessage[]> {
  const to = OTHER[from]
  const rows = await db()
    .prepare(`SELECT id, kind, body, created_at AS at FROM link_outbox WHERE to_province = ?1 AND delivered_at IS NULL ORDER BY created_at, rowid`)
    .bind(to)
    .all<{ id: string; kind: string; body: string; at: string }>()
  const msgs = rows.results.map((r) => ({ id: r.id, from, to, kind: r.kind, body: JSON.parse(r.body), at: r.at }))
  for (const m of msgs) {
    await applyAs(m)
    await db().prepare(`UPDATE link_outbox SET delivered_at = ?2, outcome = 'applied' WHERE id = ?1`).bind(m.id, new Date().toISOString()).run()
  }
  return msgs
}

const hours = (n: number) => new Date(Date.now() + n * 3_600_000).toISOString()
const ask = (over: Record<string, unknown> = {}) => ({
  giver: 'Sichuan',
  siteId: 'WZ',
  component: 'RBC',
  abo: 'O',
  rhd: '-',
  qty: 20,
  urgency: 'emergency',
  neededBy: hours(24),
  reason: '万州山体滑坡，急诊大出血',
  ...over,
})
const sumMovements = (transferId: string, kind: string) =>
  db().prepare(`SELECT COALESCE(SUM(delta), 0) AS n FROM movement WHERE transfer_id = ?1 AND kind = ?2`).bind(transferId, kind).first<number>('n')

/** Chongqing asks, Sichuan receives it and plans: the aid id, and the plan's transfers to the destination. */
async function askedAndPlanned(qty = 20) {
  await resetWorld()
  await addLot({ site: 'CD', abo: 'O', rhd: '-', qty: 30 })
  const created = await callIn('Chongqing', 'POST', '/api/province-aid', { body: ask({ qty }) })
  expect(created.status, JSON.stringify(created.json)).toBe(201)
  const [reqMsg] = await deliver('Chongqing')
  const planned = await callIn('Sichuan', 'POST', `/api/province-aid/${created.json.id}/plan`)
  expect(planned.status, JSON.stringify(planned.json)).toBe(201)
  const toDest = planned.json.plan.transfers.filter((t: any) => t.toSite === planned.json.aid.destSite)
  expect(toDest.length).toBeGreaterThan(0)
  return { id: created.json.id as string, reqMsg, planned: planned.json, toDest }
}

describe('aid across the border: the whole walk', () => {
  it('Chongqing asks 20 U O-neg RBC for Wanzhou; Sichuan sees it, plans, offers; Chongqing accepts; Chengdu dispatches; Wanzhou receives; ledgers reconcile', async () => {
    await resetWorld()
    await addLot({ site: 'CD', abo: 'O', rhd: '-', qty: 30 })
    const cursor = (await callIn('Sichuan', 'GET', '/api/events')).json.cursor

    // Chongqing asks for Wanzhou's own request (a plan's unmet need): the row and its message in one batch
    const wzReq = await call('POST', '/api/requests', {
      body: { siteId: 'WZ', component: 'RBC', abo: 'O', rhd: '-', qty: 20, urgency: 'emergency', neededBy: hours(24), reason: '万州山体滑坡' },
    })
    expect(wzReq.status).toBe(201)
    const body = ask({ requestId: wzReq.json.id })
    const created = await callIn('Chongqing', 'POST', '/api/province-aid', { body, headers: { 'idempotency-key': 'ask-wz-0001' } })
    expect(created.status, JSON.stringify(created.json)).toBe(201)
    const id = created.json.id
    expect(created.json).toMatchObject({ side: 'asker', asker: 'Chongqing', giver: 'Sichuan', status: 'requested', qty: 20, site: { id: 'WZ' } })
    const again = await callIn('Chongqing', 'POST', '/api/province-aid', { body, headers: { 'idempotency-key': 'ask-wz-0001' } })
    expect(again.status, JSON.stringify(again.json)).toBe(200)
    expect(again.json.id).toBe(id)
    const requestMsgs = await deliver('Chongqing')
    expect(requestMsgs.map((m) => m.kind)).toEqual(['aid.request'])

    // Sichuan's coordinator sees it arrive in the events feed (the page polls it every 5 s) and in its list
    // (one database holds both sides here: Sichuan's own event is the one its link applied)
    const events = await callIn('Sichuan', 'GET', `/api/events?since=${cursor}`)
    const arrived = events.json.events.filter((e: any) => e.entity === 'province_aid' && e.action === 'province_aid.request' && e.entityId === id)
    expect(arrived.map((e: any) => e.actorId)).toEqual(['u-coord', 'link:Chongqing'])
    const list = await callIn('Sichuan', 'GET', '/api/province-aid')
    expect(list.json.aids.filter((a: any) => a.id === id).map((a: any) => [a.side, a.status, a.asker])).toEqual([['giver', 'requested', 'Chongqing']])

    // plans it with its own planner: a need at an external site standing for Wanzhou
    const planned = await callIn('Sichuan', 'POST', `/api/province-aid/${id}/plan`)
    expect(planned.status, JSON.stringify(planned.json)).toBe(201)
    const dest = planned.json.aid.destSite
    const destSite = await db().prepare('SELECT external, province FROM site WHERE id = ?1').bind(dest).first()
    expect(destSite).toEqual({ external: 1, province: 'Chongqing' })
    const toDest = planned.json.plan.transfers.filter((t: any) => t.toSite === dest)
    expect(toDest.map((t: any) => [t.fromSite, t.abo + t.rhd, t.qty])).toEqual([['CD', 'O-', 20]])

    // a plan of the whole region leaves the aid out: it is planned on its own and sent only once accepted
    const regional = await callIn('Sichuan', 'POST', '/api/plans', { body: {} })
    expect(regional.status, JSON.stringify(regional.json)).toBe(201)
    expect(regional.json.instance.needs.map((n: any) => n.id)).not.toContain(planned.json.aid.requestId)
    expect((await call('GET', `/api/plans/${planned.json.plan.id}`)).json.status).toBe('review')

    // offers the plan's line; the offer reaches Chongqing
    const offered = await callIn('Sichuan', 'POST', `/api/province-aid/${id}/offer`, { body: { lines: [{ transferId: toDest[0].id, qty: 20 }] } })
    expect(offered.status, JSON.stringify(offered.json)).toBe(200)
    expect(offered.json.offer).toMatchObject({ qty: 20, counter: false, lines: [{ fromSite: 'CD', qty: 20 }] })
    const [offerMsg] = await deliver('Sichuan')
    expect(offerMsg.kind).toBe('aid.offer')
    expect((await callIn('Chongqing', 'GET', `/api/province-aid/${id}`)).json).toMatchObject({ side: 'asker', status: 'offered', offer: { qty: 20 } })

    // Chongqing accepts, once
    const accepted = await callIn('Chongqing', 'POST', `/api/province-aid/${id}/accept`)
    expect(accepted.status, JSON.stringify(accepted.json)).toBe(200)
    const twice = await callIn('Chongqing', 'POST', `/api/province-aid/${id}/accept`)
    expect(twice.status).toBe(409)
    expect(twice.json.error.code).toBe('aid_state')
    const acceptMsgs = await deliver('Chongqing')
    expect(acceptMsgs.map((m) => m.kind)).toEqual(['aid.accept'])
    const giverNow = await callIn('Sichuan', 'GET', `/api/province-aid/${id}`)
    expect(giverNow.json.status, JSON.stringify(giverNow.json)).toBe('accepted')

    // Sichuan commits what it offered; Chengdu dispatches with the box's record
    const lot = await db().prepare(`SELECT id FROM lot WHERE site_id = 'CD' AND abo = 'O' AND rhd = '-' AND qty > 0`).first<string>('id')
    const committed = await callIn('Sichuan', 'POST', `/api/province-aid/${id}/commit`, { headers: { 'idempotency-key': `commit-${id}` } })
    expect(committed.status, JSON.stringify(committed.json)).toBe(200)
    expect(await db().prepare('SELECT qty FROM lot WHERE id = ?1').bind(lot).first<number>('qty')).toBe(10)
    const dispatched = await call('POST', `/api/transfers/${toDest[0].id}/dispatch`, {
      as: 'director',
      body: { temperatureC: 4.5, carrier: '川A·12345 王师傅' },
    })
    expect(dispatched.status, JSON.stringify(dispatched.json)).toBe(200)
    const dispatchMsgs = await deliver('Sichuan')
    expect(dispatchMsgs.map((m) => m.kind)).toEqual(['aid.dispatch'])
    expect((dispatchMsgs[0].body as any).units).toEqual([expect.objectContaining({ component: 'RBC', abo: 'O', rhd: '-', qty: 20 })])

    // Wanzhou's director sees the incoming transfer in the existing list and receives it with the existing flow
    const incoming = await call('GET', '/api/transfers?site=WZ&direction=in', { as: null, headers: { authorization: `Bearer ${WZ_TOKEN}` } })
    const mine = incoming.json.transfers.filter((t: any) => t.status === 'dispatched')
    expect(mine.map((t: any) => [t.toSite, t.qty, t.abo + t.rhd])).toEqual([['WZ', 20, 'O-']])
    const local = mine[0].id
    // the site standing for Chengdu in Chongqing's system is listed apart, to name it (not a station of the region)
    const twin = (await call('GET', '/api/sites?external=only')).json.sites.find((s: any) => s.id === mine[0].fromSite)
    expect(twin).toMatchObject({ nameZh: '成都市血液中心', nameEn: 'Chengdu Blood Center (Sichuan)', province: 'Sichuan' })
    expect((await call('GET', '/api/sites')).json.sites.map((s: any) => s.id)).not.toContain(mine[0].fromSite)
    const received = await call('POST', `/api/transfers/${local}/receive`, {
      as: null,
      headers: { authorization: `Bearer ${WZ_TOKEN}`, 'idempotency-key': `receive-${local}` },
      body: { receivedQty: 20, temperatureC: 5, rejectedQty: 2, rejectReason: '2 袋破损' },
    })
    expect(received.status, JSON.stringify(received.json)).toBe(200)
    const receiptMsgs = await deliver('Chongqing')
    expect(receiptMsgs.map((m) => m.kind)).toEqual(['aid.receipt'])

    // the sender's transfer is closed as received at the destination; both ledgers reconcile
    const sent = await call('GET', `/api/transfers/${toDest[0].id}`)
    expect(sent.json).toMatchObject({ status: 'received', receivedQty: 20 })
    const out = await sumMovements(toDest[0].id, 'transfer_out')
    const inn = await sumMovements(local, 'transfer_in')
    const discarded = await sumMovements(local, 'discard')
    expect([out, inn, discarded]).toEqual([-20, 20, -2])
    expect(-out!).toBe(inn)
    // the units arrived for Wanzhou's own request: the 18 accepted are credited to it
    expect((await call('GET', `/api/requests/${wzReq.json.id}`)).json).toMatchObject({ fulfilledQty: 18, status: 'partly_fulfilled' })
    const wzStock = await db().prepare(`SELECT SUM(qty) AS n FROM lot WHERE site_id = 'WZ' AND abo = 'O' AND rhd = '-'`).first<number>('n')
    expect(wzStock).toBe(18)

    // both sides hold the shipment with its transport record and receipt
    const giverSide = (await callIn('Sichuan', 'GET', `/api/province-aid/${id}`)).json
    const askerSide = (await callIn('Chongqing', 'GET', `/api/province-aid/${id}`)).json
    for (const side of [giverSide, askerSide]) {
      expect(side.shipments).toHaveLength(1)
      expect(side.shipments[0]).toMatchObject({
        transferId: toDest[0].id,
        qty: 20,
        status: 'received',
        dispatch: { temperatureC: 4.5, carrier: '川A·12345 王师傅' },
      })
      expect(side.shipments[0].receipt).toMatchObject({ receivedQty: 20, acceptedQty: 18, rejectedQty: 2, by: { id: 'u-dir-wz' } })
    }
    expect(askerSide.shipments[0].localTransfer).toBe(local)

    // every step audited on each side with who and when
    const audit = await db()
      .prepare(`SELECT actor_id AS actor, action FROM audit_log WHERE entity = 'province_aid' AND entity_id = ?1 ORDER BY id`)
      .bind(id)
      .all<{ actor: string; action: string }>()
    expect(audit.results.map((a) => `${a.actor} ${a.action}`)).toEqual([
      'u-coord province_aid.request',
      'link:Chongqing province_aid.request',
      'u-coord province_aid.plan',
      'u-coord province_aid.offer',
      'link:Sichuan province_aid.offer',
      'u-coord province_aid.accept',
      'link:Chongqing province_aid.accept',
      'u-dir-cd province_aid.dispatch',
      'link:Sichuan province_aid.dispatch',
      'u-dir-wz province_aid.receipt',
      'link:Chongqing province_aid.receipt',
    ])

    // a replayed message is never applied twice: the inbox id collides and nothing changes
    for (const m of [...requestMsgs, offerMsg, ...acceptMsgs, ...dispatchMsgs, ...receiptMsgs])
      expect(await applyLinkMessage(db(), m)).toEqual({ outcome: 'replay' })
    expect(await db().prepare(`SELECT COUNT(*) AS n FROM transfer WHERE to_site = 'WZ' AND from_site LIKE 'X%'`).first<number>('n')).toBe(1)
    expect(await sumMovements(local, 'transfer_in')).toBe(20)
  })
})

describe('aid across the border: what is refused', () => {
  it('403: a coordinator asking for another province’s station, offering another province’s units, or taking the other side’s step', async () => {
    const wrong = await callIn('Sichuan', 'POST', '/api/province-aid', { body: ask({ giver: 'Chongqing', siteId: 'WZ' }) })
    expect(wrong.status).toBe(403)
    expect(wrong.json.error.field).toBe('siteId')
    const director = await callIn('Chongqing', 'POST', '/api/province-aid', { body: ask(), token: WZ_TOKEN })
    expect(director.status).toBe(403)

    const { id, toDest } = await askedAndPlanned()
    // the asker may not offer, the giver may not accept
    expect((await callIn('Chongqing', 'POST', `/api/province-aid/${id}/offer`, { body: { lines: [{ transferId: toDest[0].id, qty: 20 }] } })).status).toBe(403)
    expect((await callIn('Sichuan', 'POST', `/api/province-aid/${id}/accept`)).status).toBe(403)
    // a line from a Chongqing station (the planner of one shared test database could draw on it): 403 naming the line
    const planId = (await callIn('Sichuan', 'GET', `/api/province-aid/${id}`)).json.planId
    const foreign = uid('tr_')
    await db()
      .prepare(
        `INSERT INTO transfer (id, plan_id, from_site, to_site, component, abo, rhd, proposed_qty, qty, eta_hours, status, created_at, updated_at)
         SELECT ?1, ?2, 'CQ', to_site, 'RBC', 'O', '-', 5, 5, 3, 'proposed', ?3, ?3 FROM transfer WHERE id = ?4`,
      )
      .bind(foreign, planId, new Date().toISOString(), toDest[0].id)
      .run()
    const cq = await callIn('Sichuan', 'POST', `/api/province-aid/${id}/offer`, { body: { lines: [{ transferId: foreign, qty: 5 }] } })
    expect(cq.status).toBe(403)
    expect(cq.json.error.field).toBe('lines.0.transferId')
  })

  it('400 and 409: a counter-offer needs a note; nothing twice; no step out of order', async () => {
    const { id, toDest } = await askedAndPlanned()
    // 12 of 20 is a counter: without a note 400 naming note
    const bare = await callIn('Sichuan', 'POST', `/api/province-aid/${id}/offer`, { body: { lines: [{ transferId: toDest[0].id, qty: 12 }] } })
    expect(bare.status).toBe(400)
    expect(bare.json.error.field).toBe('note')
    const over = await callIn('Sichuan', 'POST', `/api/province-aid/${id}/offer`, { body: { lines: [{ transferId: toDest[0].id, qty: 21 }] } })
    expect(over.status).toBe(400)
    // all 20 but leaving in two days, after the deadline: a counter on time, which needs a note too
    const later = await callIn('Sichuan', 'POST', `/api/province-aid/${id}/offer`, {
      body: { lines: [{ transferId: toDest[0].id, qty: 20 }], dispatchAt: hours(48) },
    })
    expect(later.status).toBe(400)
    expect(later.json.error.field).toBe('note')
    // committing before acceptance: 409, also through the plan's own commit (the trigger province_aid_commit_guard)
    expect((await callIn('Sichuan', 'POST', `/api/province-aid/${id}/commit`, { headers: { 'idempotency-key': uid('commit-') } })).status).toBe(409)
    const planId = (await callIn('Sichuan', 'GET', `/api/province-aid/${id}`)).json.planId
    expect((await call('POST', `/api/transfers/${toDest[0].id}/approve`)).status).toBe(200)
    const early = await call('POST', `/api/plans/${planId}/commit`, { headers: { 'idempotency-key': uid('commit-') } })
    expect(early.status).toBe(409)
    expect(early.json.error.code).toBe('aid_not_accepted')
    expect((await call('GET', `/api/transfers/${toDest[0].id}`)).json.status).toBe('approved')
    const counter = await callIn('Sichuan', 'POST', `/api/province-aid/${id}/offer`, {
      body: { lines: [{ transferId: toDest[0].id, qty: 12 }], note: '成都仅能调出 12 U，其余须保障本地手术' },
    })
    expect(counter.status).toBe(200)
    expect(counter.json.offer).toMatchObject({ qty: 12, counter: true })
    expect(
      (await callIn('Sichuan', 'POST', `/api/province-aid/${id}/offer`, { body: { lines: [{ transferId: toDest[0].id, qty: 12 }], note: 'x' } })).status,
    ).toBe(409)
    expect((await callIn('Sichuan', 'POST', `/api/province-aid/${id}/decline`, { body: { reason: 'late' } })).status).toBe(409)
    const [offerMsg] = await deliver('Sichuan')

    // Chongqing declines the counter, with a reason; the need Sichuan planned is cancelled when that arrives
    const refused = await callIn('Chongqing', 'POST', `/api/province-aid/${id}/refuse`, { body: { reason: '已由重庆本地调剂解决' } })
    expect(refused.status).toBe(200)
    expect(refused.json).toMatchObject({ status: 'refused', declineReason: '已由重庆本地调剂解决' })
    expect((await callIn('Chongqing', 'POST', `/api/province-aid/${id}/accept`)).status).toBe(409)
    await deliver('Chongqing')
    const giver = (await callIn('Sichuan', 'GET', `/api/province-aid/${id}`)).json
    expect(giver.status).toBe('refused')
    expect((await call('GET', `/api/requests/${giver.requestId}`)).json.status).toBe('cancelled')
    expect((await callIn('Sichuan', 'POST', `/api/province-aid/${id}/commit`, { headers: { 'idempotency-key': uid('commit-') } })).status).toBe(409)

    // an offer under a new message id after the refusal: the state guard fails its batch; the inbox keeps it as rejected
    const late = await applyLinkMessage(db(), { ...offerMsg, id: uid('lnk_') })
    expect(late).toMatchObject({ outcome: 'rejected', error: expect.stringMatching(/province_aid_status/) })
    expect((await callIn('Chongqing', 'GET', `/api/province-aid/${id}`)).json).toMatchObject({ status: 'refused', offer: { qty: 12 } })
  })

  it('the giver declines with a reason; the asker sees it; a message from a province that is not the party is refused', async () => {
    const { id, reqMsg } = await askedAndPlanned(5)
    expect((await callIn('Sichuan', 'POST', `/api/province-aid/${id}/decline`, { body: {} })).json.error.field).toBe('reason')
    const declined = await callIn('Sichuan', 'POST', `/api/province-aid/${id}/decline`, { body: { reason: '四川 O 型 RhD 阴性库存已低于红色预警' } })
    expect(declined.status).toBe(200)
    await deliver('Sichuan')
    expect((await callIn('Chongqing', 'GET', `/api/province-aid/${id}`)).json).toMatchObject({
      status: 'declined',
      declineReason: '四川 O 型 RhD 阴性库存已低于红色预警',
    })
    // a strict body: an extra field fails the schema (the inbox keeps such a message as rejected)
    // a body beyond its kind's strict schema is kept by the inbox as rejected, not applied
    const extraId = uid('lnk_')
    expect(await applyLinkMessage(db(), { ...reqMsg, id: extraId, body: { ...(reqMsg.body as object), extra: 1 } })).toMatchObject({ outcome: 'rejected' })
    expect(await db().prepare('SELECT status FROM link_inbox WHERE id = ?1').bind(extraId).first()).toEqual({ status: 'rejected' })
    // an accept claiming to come from a third province is refused before anything is written
    expect(
      await applyLinkMessage(db(), {
        id: uid('lnk_'),
        from: 'Hubei',
        to: 'Sichuan',
        kind: 'aid.accept',
        at: new Date().toISOString(),
        body: { aidId: id, by: { id: 'u', name: 'x' }, at: new Date().toISOString() },
      }),
    ).toMatchObject({ outcome: 'rejected', error: expect.stringMatching(/not from Hubei/) })
    expect((await callIn('Sichuan', 'GET', `/api/province-aid/${id}`)).json.status).toBe('declined')
  })

  it('409 outside province mode: the one-region system has no other province to ask', async () => {
    const res = await call('POST', '/api/province-aid', { body: ask() })
    expect(res.status).toBe(409)
    expect(res.json.error.code).toBe('not_province_mode')
  })
})
