// The hand-off between the coordinator and the stations: whom a transfer serves, the floor held at commit,
// proposals closed by a partial commit, the transport record, and the events feed.
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { call, seedBase } from '../fixtures'
import { addLot, addRequest, auditOf, issue, key, lotQty, request, resetWorld } from '../services/plan-fixtures'

beforeAll(() => seedBase())

const post = (path: string, opts: Parameters<typeof call>[2] = {}) => call('POST', path, opts)
const plan = async (requestIds: string[]) => {
  const res = await post('/api/plans', { body: { requestIds } })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  return res.json
}
const approveAll = async (p: any) => {
  for (const t of p.transfers) expect((await post(`/api/transfers/${t.id}/approve`)).status).toBe(200)
}
const commitPlan = (id: string) => post(`/api/plans/${id}/commit`, { headers: { 'idempotency-key': key() } })

/**
 * CQ holds 2 units of RBC `abo`− and issued 4 in the last 14 days (Chongqing red_days 3 → reserve ceil(4/14 × 3) = 1);
 * YB and NC each ask for 2 in an emergency. Each plan, made on its own, sends CQ's one spare unit. (A fresh group
 * per test: issues stay in the 14-day window, so reusing one would raise its reserve.)
 */
async function twoPlansOverOneSpareUnit(abo: 'AB' | 'B' | 'A') {
  await resetWorld()
  const used = await addLot({ site: 'CQ', abo, rhd: '-', qty: 4 })
  await issue(used, 'CQ', 4, 3)
  const lot = await addLot({ site: 'CQ', abo, rhd: '-', qty: 2 })
  const yb = await addRequest({ site: 'YB', abo, rhd: '-', qty: 2, urgency: 'emergency' })
  const a = await plan([yb])
  const nc = await addRequest({ site: 'NC', abo, rhd: '-', qty: 2, urgency: 'emergency' })
  const b = await plan([nc])
  for (const p of [a, b]) {
    expect(p.instance.reserves.filter((r: any) => r.abo === abo)).toEqual([{ site: 'CQ', component: 'RBC', abo, rhd: '-', qty: 1 }])
    expect(p.transfers.map((t: any) => [t.fromSite, t.qty])).toEqual([['CQ', 1]])
  }
  await approveAll(a)
  await approveAll(b)
  return { lot, a, b, yb, nc }
}

describe('the floor holds at commit', () => {
  it('two plans over the same spare unit, committed in sequence: the second is 409 naming the transfer and station; nothing reserved', async () => {
    const { lot, a, b, nc } = await twoPlansOverOneSpareUnit('AB')
    expect((await commitPlan(a.id)).status).toBe(200)
    expect(await lotQty(lot)).toBe(1)
    const second = await commitPlan(b.id)
    expect(second.status).toBe(409)
    expect(second.json.error.code).toBe('below_floor')
    expect(second.json.error.message).toContain(b.transfers[0].id)
    expect(second.json.error.message).toContain('CQ')
    expect(await lotQty(lot)).toBe(1)
    expect((await call('GET', `/api/transfers/${b.transfers[0].id}`)).json.status).toBe('approved')
    expect((await request(nc))!.status).toBe('open')
  })

  it('the same two plans committed in parallel: one 200, one 409 below_floor, the floor unit stays', async () => {
    const { lot, a, b } = await twoPlansOverOneSpareUnit('B')
    const [x, y] = await Promise.all([commitPlan(a.id), commitPlan(b.id)])
    expect([x.status, y.status].sort()).toEqual([200, 409])
    expect((x.status === 409 ? x : y).json.error.code).toBe('below_floor')
    expect(await lotQty(lot)).toBe(1)
    const checks = await env.DB.prepare(`SELECT kind, have, floor FROM commit_check WHERE subject = 'CQ|RBC|B|-' ORDER BY id DESC LIMIT 1`).first()
    expect(checks).toEqual({ kind: 'floor', have: 1, floor: 1 })
  })

  it('the guard fails inside the batch: a floor check row that does not hold aborts everything written with it', async () => {
    const { lot, b } = await twoPlansOverOneSpareUnit('A')
    const t = b.transfers[0]
    await expect(
      env.DB.batch([
        env.DB.prepare(
          `INSERT INTO movement_batch (id, actor_id, idempotency_key, request_hash, source, at) VALUES ('mb_raw', 'u-coord', 'raw', 'x', 'transfer', ?1)`,
        ).bind(new Date().toISOString()),
        env.DB.prepare(
          `INSERT INTO movement (batch_id, lot_id, site_id, kind, delta, reason, actor_id, at) VALUES ('mb_raw', ?1, 'CQ', 'transfer_out', -2, 'raw', 'u-coord', ?2)`,
        ).bind(lot, new Date().toISOString()),
        env.DB.prepare(`INSERT INTO commit_check (batch_id, transfer_id, kind, subject, have, floor) VALUES ('mb_raw', ?1, 'floor', 'CQ|RBC|A|-', 0, 1)`).bind(
          t.id,
        ),
      ]),
    ).rejects.toThrow(/commit_check_holds/)
    expect(await lotQty(lot)).toBe(2)
  })

  it('two plans made at once over one request: whatever each saw, committing both covers it once', async () => {
    await resetWorld()
    await addLot({ site: 'CD', qty: 10 })
    const req = await addRequest({ site: 'YB', qty: 3 })
    // made concurrently, neither may see the other (both live), or the later supersedes the earlier
    const [a, b] = await Promise.all([plan([req]), plan([req])])
    for (const p of [a, b]) for (const t of p.transfers) await post(`/api/transfers/${t.id}/approve`)
    const results = [await commitPlan(a.id), await commitPlan(b.id)]
    expect(results.map((r) => r.status).sort()).toEqual([200, 409])
    expect(['request_covered', 'plan_superseded', 'nothing_approved']).toContain(results.find((r) => r.status === 409)!.json.error.code)
    expect((await call('GET', `/api/requests/${req}`)).json).toMatchObject({ coverage: 'covered', onTheWayQty: 3 })
  })
})

describe('a partial commit closes what was not approved', () => {
  it('closes the unapproved proposals with a reason, in the API and the audit; their requests stay open and are planned again', async () => {
    await resetWorld()
    await addLot({ site: 'CD', qty: 20 })
    const yb = await addRequest({ site: 'YB', qty: 4, urgency: 'emergency' })
    const nc = await addRequest({ site: 'NC', qty: 5, urgency: 'routine' })
    const p = await plan([yb, nc])
    const toYb = p.transfers.find((t: any) => t.toSite === 'YB')
    const toNc = p.transfers.find((t: any) => t.toSite === 'NC')
    expect((await post(`/api/transfers/${toYb.id}/approve`)).status).toBe(200)
    const c = await commitPlan(p.id)
    expect(c.status, JSON.stringify(c.json)).toBe(200)
    expect(c.json).toMatchObject({ committed: [toYb.id], closed: [toNc.id] })
    const closed = (await call('GET', `/api/transfers/${toNc.id}`)).json
    expect(closed).toMatchObject({ status: 'rejected', closeReason: 'not_approved_at_commit', reviewedBy: 'u-coord' })
    expect(closed.rejectReason).toContain(p.id)
    expect((await auditOf('transfer', toNc.id)).map((a) => [a.action, JSON.parse(a.detail).reason])).toEqual([['transfer.close', 'not_approved_at_commit']])
    expect(JSON.parse((await auditOf('plan', p.id)).at(-1)!.detail)).toMatchObject({ closed: [toNc.id], closeReason: 'not_approved_at_commit' })
    // nothing of the plan stays live; a closed proposal can never be approved
    expect((await post(`/api/transfers/${toNc.id}/approve`)).status).toBe(409)
    expect((await call('GET', `/api/requests/${yb}`)).json).toMatchObject({ status: 'planned', coverage: 'covered', onTheWayQty: 4 })
    expect((await call('GET', `/api/requests/${nc}`)).json).toMatchObject({ status: 'open', coverage: 'open', onTheWayQty: 0, inReviewQty: 0 })
    const next = (await post('/api/plans', { body: {} })).json
    expect(next.instance.needs.map((n: any) => [n.id, n.qty])).toEqual([[nc, 5]])
  })

  it('bulk approve: every proposed transfer serving a request, or going to a station', async () => {
    await resetWorld()
    await addLot({ site: 'CD', qty: 3 })
    await addLot({ site: 'NC', qty: 3 })
    const yb = await addRequest({ site: 'YB', qty: 6, urgency: 'emergency' })
    const p = await plan([yb])
    expect(p.transfers).toHaveLength(2)
    const res = await post(`/api/plans/${p.id}/approve`, { body: { requestId: yb } })
    expect(res.status, JSON.stringify(res.json)).toBe(200)
    expect(res.json.transfers.map((t: any) => t.status)).toEqual(['approved', 'approved'])
    expect((await post(`/api/plans/${p.id}/approve`, { body: { toSite: 'YB' } })).json.error.code).toBe('nothing_to_approve')
    const bad = await post(`/api/plans/${p.id}/approve`, { body: {} })
    expect(bad.status).toBe(400)
    expect(bad.json.error.field).toBe('requestId')
    expect((await post(`/api/plans/${p.id}/approve`, { as: 'directorYB', body: { toSite: 'YB' } })).status).toBe(403)
  })
})

describe('the transport record', () => {
  async function dispatched(need = 6) {
    await resetWorld()
    await addLot({ site: 'CD', qty: 10 })
    const req = await addRequest({ site: 'YB', qty: need, urgency: 'urgent' })
    const p = await plan([req])
    const t = p.transfers[0]
    await approveAll(p)
    expect((await commitPlan(p.id)).status).toBe(200)
    const out = await post(`/api/transfers/${t.id}/dispatch`, {
      as: 'director',
      body: { temperatureC: 4.5, carrier: '川A·12345', packedAt: '2026-12-01T06:00:00Z', sealedAt: '2026-12-01T06:05:00Z' },
    })
    expect(out.status, JSON.stringify(out.json)).toBe(200)
    return { t, req, dispatch: out.json }
  }
  const receive = (id: string, body: unknown, as: 'directorYB' | 'coordinator' = 'directorYB') =>
    post(`/api/transfers/${id}/receive`, { as, headers: { 'idempotency-key': key() }, body })
  const usable = (transferId: string) =>
    env.DB.prepare(
      `SELECT COALESCE(SUM(l.qty), 0) AS n FROM lot l WHERE l.id IN (SELECT lot_id FROM movement WHERE transfer_id = ?1 AND kind = 'transfer_in' AND site_id = 'YB')`,
    )
      .bind(transferId)
      .first<number>('n')
  const discards = (transferId: string) =>
    env.DB.prepare(`SELECT site_id AS siteId, SUM(delta) AS delta FROM movement WHERE transfer_id = ?1 AND kind = 'discard' GROUP BY site_id`)
      .bind(transferId)
      .all()
      .then((r) => r.results)

  it('dispatch records the box: temperature, packing, seal, carrier; a box out of range is refused with the field', async () => {
    const { dispatch } = await dispatched()
    expect(dispatch.transport.dispatch).toMatchObject({
      temperatureC: 4.5,
      carrier: '川A·12345',
      packedAt: '2026-12-01T06:00:00Z',
      inRange: true,
      by: 'u-dir-cd',
    })
    expect(dispatch.transport.receipt).toBeNull()
    await resetWorld()
    await addLot({ site: 'CD', qty: 10 })
    const p = await plan([await addRequest({ site: 'YB', qty: 2 })])
    await approveAll(p)
    await commitPlan(p.id)
    const warm = await post(`/api/transfers/${p.transfers[0].id}/dispatch`, { as: 'director', body: { temperatureC: 15 } })
    expect(warm.status).toBe(400)
    expect(warm.json.error).toMatchObject({ code: 'temperature_out_of_range', field: 'temperatureC' })
    const none = await post(`/api/transfers/${p.transfers[0].id}/dispatch`, { as: 'director', body: {} })
    expect(none.json.error.field).toBe('temperatureC')
  })

  it('a box received out of range: every unit is discarded at the receiving station with the reason, none usable; the request is open again', async () => {
    const { t, req } = await dispatched()
    const r = await receive(t.id, { receivedQty: 6, temperatureC: 14, sealIntact: true })
    expect(r.status, JSON.stringify(r.json)).toBe(200)
    expect(r.json).toMatchObject({ status: 'received', receivedQty: 6, lostQty: 0 })
    expect(r.json.transport.receipt).toMatchObject({ temperatureC: 14, inRange: false, acceptedQty: 0, rejectedQty: 6, sealIntact: true, by: 'u-dir-yb' })
    expect(r.json.transport.receipt.rejectReason).toMatch(/^temperature_out_of_range/)
    expect(await usable(t.id)).toBe(0)
    expect(await discards(t.id)).toEqual([{ siteId: 'YB', delta: -6 }])
    expect(await request(req)).toEqual({ status: 'open', fulfilledQty: 0, qty: 6 })
    const audit = (await auditOf('transfer', t.id)).at(-1)!
    expect(JSON.parse(audit.detail)).toMatchObject({ rejectedQty: 6, acceptedQty: 0, inRange: false, temperatureC: 14 })
  })

  it('units rejected with a reason are discarded; the accepted ones fulfil the request; a quick receipt is one field and a temperature', async () => {
    const { t, req } = await dispatched()
    const noReason = await receive(t.id, { receivedQty: 6, temperatureC: 4, rejectedQty: 2 })
    expect(noReason.status).toBe(400)
    expect(noReason.json.error.field).toBe('rejectReason')
    const tooMany = await receive(t.id, { receivedQty: 3, temperatureC: 4, rejectedQty: 4, rejectReason: 'x' })
    expect(tooMany.json.error.field).toBe('rejectedQty')
    const r = await receive(t.id, { receivedQty: 5, temperatureC: 5, rejectedQty: 2, rejectReason: '溶血 hemolysis', sealIntact: false })
    expect(r.status, JSON.stringify(r.json)).toBe(200)
    expect(r.json).toMatchObject({ receivedQty: 5, lostQty: 1 })
    expect(r.json.transport.receipt).toMatchObject({ acceptedQty: 3, rejectedQty: 2, rejectReason: '溶血 hemolysis', sealIntact: false, inRange: true })
    expect(await usable(t.id)).toBe(3)
    expect(await discards(t.id)).toEqual([{ siteId: 'YB', delta: -2 }])
    expect(await request(req)).toEqual({ status: 'partly_fulfilled', fulfilledQty: 3, qty: 6 })
    const quick = await dispatched(2)
    const q = await receive(quick.t.id, { receivedQty: 2, temperatureC: 6 })
    expect(q.json.transport.receipt).toMatchObject({ acceptedQty: 2, rejectedQty: 0, rejectReason: null, arrivedAt: null, sealIntact: null })
    expect(await request(quick.req)).toEqual({ status: 'fulfilled', fulfilledQty: 2, qty: 2 })
  })
})

describe('GET /api/csv/transfers', () => {
  it('the dispatch sheet as CSV for a plan and for a station: lots, requests served, transport, signature columns', async () => {
    await resetWorld()
    await addLot({ site: 'CD', qty: 10 })
    const req = await addRequest({ site: 'YB', qty: 2, urgency: 'emergency' })
    const p = await plan([req])
    await approveAll(p)
    expect((await commitPlan(p.id)).status).toBe(200)
    await post(`/api/transfers/${p.transfers[0].id}/dispatch`, { as: 'director', body: { temperatureC: 4, carrier: '川A·1' } })
    const byPlan = await call('GET', `/api/csv/transfers?plan=${p.id}`)
    expect(byPlan.status).toBe(200)
    expect(byPlan.headers.get('content-type')).toContain('text/csv')
    const [head, row, ...rest] = byPlan.text.trim().split('\r\n')
    expect(head.split(',')).toEqual(
      expect.arrayContaining(['transfer_id', 'lots', 'requests', 'dispatch_temperature_c', 'dispatch_signature', 'receipt_signature']),
    )
    expect(rest).toEqual([])
    expect(row).toContain(p.transfers[0].id)
    expect(row).toContain(`${req}:emergency:YB`)
    expect(row).toContain('川A·1')
    const bySite = await call('GET', '/api/csv/transfers?site=YB', { as: 'directorYB' })
    expect(bySite.text).toContain(p.transfers[0].id)
    const neither = await call('GET', '/api/csv/transfers')
    expect(neither.status).toBe(400)
    expect(neither.json.error.field).toBe('plan')
  })
})

describe('GET /api/events', () => {
  it('a cursor over changes: new requests and transfers after it, a director only their own station, the cursor moves on', async () => {
    const start = await call('GET', '/api/events')
    expect(start.status).toBe(200)
    expect(start.json.events).toEqual([])
    const c0 = start.json.cursor
    const filed = await post('/api/requests', {
      as: 'directorYB',
      headers: { 'idempotency-key': key() },
      body: {
        siteId: 'YB',
        component: 'RBC',
        abo: 'O',
        rhd: '+',
        qty: 2,
        urgency: 'emergency',
        neededBy: new Date(Date.now() + 3_600_000).toISOString(),
        reason: '车祸',
      },
    })
    expect(filed.status).toBe(201)
    const seen = await call('GET', `/api/events?since=${c0}`)
    expect(seen.json.events).toEqual([
      expect.objectContaining({
        action: 'request.create',
        entity: 'aid_request',
        entityId: filed.json.id,
        sites: ['YB'],
        urgency: 'emergency',
        actorId: 'u-dir-yb',
      }),
    ])
    expect(seen.json.cursor).toBeGreaterThan(c0)
    expect((await call('GET', `/api/events?since=${c0}`, { as: 'directorYB' })).json.events).toHaveLength(1)
    const cd = await call('GET', `/api/events?since=${c0}`, { as: 'director' })
    expect(cd.json.events).toEqual([])
    expect((await call('GET', `/api/events?since=${seen.json.cursor}`)).json).toEqual({ events: [], cursor: seen.json.cursor })
    const bad = await call('GET', '/api/events?since=abc')
    expect(bad.status).toBe(400)
    expect(bad.json.error.field).toBe('since')
    expect((await call('GET', '/api/events', { as: null })).status).toBe(401)
  })
})
