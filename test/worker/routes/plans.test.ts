import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { call, seedBase } from '../fixtures'
import { addLot, addRequest, auditOf, issue, key, ledgerRows, ledgerSum, lotQty, planOne, request, resetWorld, takeStock } from '../services/plan-fixtures'

beforeAll(() => seedBase())

const example = () => ({
  now: '2026-01-20T08:00:00Z',
  sites: [
    { id: 'CD', name: 'Chengdu', lat: 30.657, lng: 104.066 },
    { id: 'YB', name: 'Yibin', lat: 28.752, lng: 104.643 },
  ],
  lots: [{ id: 'L1', site: 'CD', component: 'RBC', abo: 'O', rhd: '+', qty: 20, expiresAt: '2026-02-15T00:00:00Z' }],
  reserves: [{ site: 'CD', component: 'RBC', abo: 'O', rhd: '+', qty: 5 }],
  needs: [{ id: 'r1', site: 'YB', component: 'RBC', abo: 'O', rhd: '+', qty: 30, urgency: 'urgent' }],
})

describe('POST /api/plans/preview', () => {
  it('returns the solver result for a valid instance, for any role, writing nothing', async () => {
    const before = await env.DB.prepare('SELECT COUNT(*) AS n FROM plan').first<number>('n')
    const res = await call('POST', '/api/plans/preview', { as: 'planner', body: example() })
    expect(res.status, JSON.stringify(res.json)).toBe(200)
    expect(res.json.status).toBe('optimal')
    expect(res.json.transfers).toEqual([expect.objectContaining({ from: 'CD', to: 'YB', component: 'RBC', abo: 'O', rhd: '+', qty: 15 })])
    expect(res.json.allocations).toEqual([expect.objectContaining({ need: 'r1', fromSite: 'CD', qty: 15, lots: [{ id: 'L1', qty: 15 }] })])
    expect(res.json.unmet).toEqual([expect.objectContaining({ need: 'r1', qty: 15, reason: 'held_by_reserves' })])
    expect((await call('POST', '/api/plans/preview', { as: 'director', body: example() })).status).toBe(200)
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM plan').first<number>('n')).toBe(before)
  })

  it('answers 400 invalid_instance naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ ...example(), lots: [{ ...example().lots[0], qty: -1 }] }, 'lots.0.qty'],
      [{ ...example(), lots: [{ ...example().lots[0], qty: 1.5 }] }, 'lots.0.qty'],
      [{ ...example(), needs: [{ ...example().needs[0], site: 'ZZ' }] }, 'needs.0.site'],
      [{ ...example(), lots: [{ ...example().lots[0], component: 'XYZ' }] }, 'lots.0.component'],
      [{ ...example(), now: 'yesterday' }, 'now'],
      // as for aid requests: RhD+ units for an RhD− patient only in an emergency
      [{ ...example(), needs: [{ ...example().needs[0], rhd: '-', urgency: 'routine', allowRhPositive: true }] }, 'needs.0.allowRhPositive'],
      // only red cells are banked frozen
      [{ ...example(), lots: [{ ...example().lots[0], component: 'FFP', frozen: true }] }, 'lots.0.frozen'],
    ]
    for (const [body, field] of cases) {
      const res = await call('POST', '/api/plans/preview', { as: 'planner', body })
      expect(res.status, field).toBe(400)
      expect(res.json.error.code).toBe('invalid_instance')
      expect(res.json.error.field).toBe(field)
      expect(res.json.error.message).toMatch(new RegExp(field.replaceAll('.', '\\.')))
    }
    const { now: _now, ...noNow } = example()
    const missing = await call('POST', '/api/plans/preview', { body: noNow })
    expect(missing.status).toBe(400)
    expect(missing.json.error).toMatchObject({ code: 'invalid_instance', field: 'now' })
  })

  it('honours antigens, the 24 h red-cell transit limit and frozen units (issue 20)', async () => {
    // a need asking for Fy(a-) is not served with ordinary O+ units (it was, before antigens were in the contract)
    const rare = await call('POST', '/api/plans/preview', {
      as: 'planner',
      body: { ...example(), reserves: [], needs: [{ ...example().needs[0], qty: 2, antigens: 'Fy(a-)' }] },
    })
    expect(rare.status).toBe(200)
    expect(rare.json.allocations).toEqual([])
    expect(rare.json.unmet).toEqual([expect.objectContaining({ need: 'r1', qty: 2, reason: 'no_compatible_stock' })])
    // a frozen Fy(a-) lot serves it after thawing; a 30 h road is never planned for red cells
    const body = {
      ...example(),
      reserves: [],
      travelHours: { CD: { YB: 3 } },
      lots: [
        ...example().lots,
        { id: 'F1', site: 'CD', component: 'RBC', abo: 'O', rhd: '+', qty: 2, expiresAt: '2031-01-01T00:00:00Z', antigens: 'Fy(a-)', frozen: true },
      ],
      needs: [{ ...example().needs[0], qty: 2, antigens: 'Fy(a-)' }],
    }
    const frozen = await call('POST', '/api/plans/preview', { as: 'planner', body })
    expect(frozen.json.transfers).toEqual([expect.objectContaining({ from: 'CD', to: 'YB', qty: 2, frozen: true, thawHours: 2, etaHours: 5 })])
    const far = await call('POST', '/api/plans/preview', { as: 'planner', body: { ...example(), reserves: [], travelHours: { CD: { YB: 30 } } } })
    expect(far.json.transfers).toEqual([])
    expect(far.json.unmet).toEqual([expect.objectContaining({ need: 'r1', qty: 30, reason: 'route_too_long' })])
  })

  it('401 without a token', async () => {
    expect((await call('POST', '/api/plans/preview', { as: null, body: example() })).status).toBe(401)
  })
})

describe('POST /api/plans', () => {
  it('plans from live data: proposed transfers with lots and requests, audited; requests stay open until a commit covers them', async () => {
    await resetWorld()
    const near = await addLot({ site: 'CD', qty: 4, expiresInDays: 8 })
    const far = await addLot({ site: 'CD', qty: 10, expiresInDays: 30 })
    const expired = await addLot({ site: 'CD', qty: 50, expiresInDays: -1 })
    const r1 = await addRequest({ site: 'YB', qty: 6, urgency: 'emergency' })
    const r2 = await addRequest({ site: 'YB', qty: 3, urgency: 'routine' })
    const res = await call('POST', '/api/plans', { body: { mode: 'disaster' } })
    expect(res.status, JSON.stringify(res.json)).toBe(201)
    const plan = res.json
    expect(plan).toMatchObject({
      id: expect.stringMatching(/^plan_/),
      createdBy: 'u-coord',
      mode: 'disaster',
      status: 'review',
      transferCount: 1,
      unmetUnits: 0,
    })
    expect(plan.instance.options).toEqual({ mode: 'disaster' })
    expect(plan.instance.lots.map((l: any) => l.id).sort()).toEqual([near, far].sort())
    expect(plan.instance.lots.map((l: any) => l.id)).not.toContain(expired)
    expect(plan.instance.needs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: r1, site: 'YB', qty: 6, urgency: 'emergency' }),
        expect.objectContaining({ id: r2, site: 'YB', qty: 3, urgency: 'routine' }),
      ]),
    )
    expect(plan.instance.reserves).toEqual([])
    expect(plan.transfers).toHaveLength(1)
    const t = plan.transfers[0]
    expect(t).toMatchObject({
      planId: plan.id,
      fromSite: 'CD',
      toSite: 'YB',
      component: 'RBC',
      abo: 'O',
      rhd: '+',
      proposedQty: 9,
      qty: 9,
      status: 'proposed',
      receivedQty: null,
    })
    expect(t.etaHours).toBeGreaterThan(0)
    expect(t.lots.reduce((s: number, l: any) => s + l.qty, 0)).toBe(9)
    expect(t.lots.find((l: any) => l.lotId === near)?.qty).toBe(4) // near-expiry units go first
    // whom it serves: most urgent first, with the request's station, urgency, deadline, antigens and reason
    expect(t.requests).toEqual([
      {
        requestId: r1,
        qty: 6,
        siteId: 'YB',
        urgency: 'emergency',
        neededBy: null,
        antigens: '',
        reason: 'test',
        requestQty: 6,
        requestStatus: 'open',
        rhPositiveConsent: null,
      },
      {
        requestId: r2,
        qty: 3,
        siteId: 'YB',
        urgency: 'routine',
        neededBy: null,
        antigens: '',
        reason: 'test',
        requestQty: 3,
        requestStatus: 'open',
        rhPositiveConsent: null,
      },
    ])
    expect(plan.unmet).toEqual([])
    expect(plan.result.unmet).toEqual(expect.arrayContaining([expect.objectContaining({ need: r1, qty: 0 })]))
    expect((await request(r1))!.status).toBe('open')
    expect((await request(r2))!.status).toBe('open')
    const audit = await auditOf('plan', plan.id)
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ action: 'plan.create', actorId: 'u-coord' })
    expect(JSON.parse(audit[0].detail).transfers).toEqual([t.id])
    // a proposal under review covers nothing: a second plan sees the same needs, and supersedes the first
    const again = await call('POST', '/api/plans', { body: {} })
    expect(again.status).toBe(201)
    expect(again.json.instance.needs.map((n: any) => n.id).sort()).toEqual([r1, r2].sort())
    expect((await call('GET', `/api/plans/${plan.id}`)).json).toMatchObject({ status: 'superseded', supersededBy: again.json.id })
    // once the second plan's transfer is committed, the requests are covered and planned; a third plan has nothing to do
    const t2 = again.json.transfers[0]
    expect((await call('POST', `/api/transfers/${t2.id}/approve`)).status).toBe(200)
    expect((await call('POST', `/api/plans/${again.json.id}/commit`, { headers: { 'idempotency-key': `k-${crypto.randomUUID()}` } })).status).toBe(200)
    expect((await request(r1))!.status).toBe('planned')
    expect((await call('GET', `/api/requests/${r2}`)).json).toMatchObject({ status: 'planned', coverage: 'covered', onTheWayQty: 3 })
    const third = await call('POST', '/api/plans', { body: {} })
    expect(third.json.instance.needs).toEqual([])
    expect(third.json.transfers).toEqual([])
  })

  it("treats a request as the shortfall beyond the station's own stock: its own lots of that component are not used", async () => {
    await resetWorld()
    const own = await addLot({ site: 'YB', qty: 5 })
    const ownPlt = await addLot({ site: 'YB', component: 'PLT', qty: 2, expiresInDays: 3 })
    const cd = await addLot({ site: 'CD', qty: 10 })
    const req = await addRequest({ site: 'YB', qty: 8 })
    const pltReq = await addRequest({ site: 'NC', component: 'PLT', qty: 1, urgency: 'emergency' })
    const res = await call('POST', '/api/plans', { body: { requestIds: [req, pltReq] } })
    expect(res.status).toBe(201)
    expect(res.json.instance.lots.map((l: any) => l.id).sort()).toEqual([cd, ownPlt].sort())
    expect(res.json.instance.lots.map((l: any) => l.id)).not.toContain(own)
    expect(res.json.result.allocations.filter((a: any) => a.need === req)).toEqual([expect.objectContaining({ fromSite: 'CD', qty: 8 })])
    expect(res.json.transfers.map((t: any) => [t.fromSite, t.toSite, t.component, t.qty]).sort()).toEqual([
      ['CD', 'YB', 'RBC', 8],
      ['YB', 'NC', 'PLT', 1],
    ])
  })

  it('keeps each station above its red-level floor: reserves from 14-day issue × red_days', async () => {
    await resetWorld()
    // CQ (Chongqing, WB red_days 3) issued 28 WB A+ in the last 14 days: 2/day → reserve 6
    const used = await addLot({ site: 'CQ', component: 'WB', abo: 'A', qty: 33 })
    await issue(used, 'CQ', 20, 3)
    await issue(used, 'CQ', 8, 10)
    await issue(used, 'CQ', 5, 20) // outside the window
    const stock = await addLot({ site: 'CQ', component: 'WB', abo: 'A', qty: 10 })
    const need = await addRequest({ site: 'NC', component: 'WB', abo: 'A', qty: 9, urgency: 'emergency' })
    const res = await call('POST', '/api/plans', { as: 'admin', body: { requestIds: [need] } })
    expect(res.status, JSON.stringify(res.json)).toBe(201)
    expect(res.json.instance.reserves).toEqual([{ site: 'CQ', component: 'WB', abo: 'A', rhd: '+', qty: 6 }])
    expect(res.json.transfers).toHaveLength(1)
    expect(res.json.transfers[0]).toMatchObject({ fromSite: 'CQ', toSite: 'NC', qty: 4, lots: [{ lotId: stock, qty: 4 }] })
    expect(res.json.unmet).toEqual([expect.objectContaining({ need, qty: 5, reason: 'held_by_reserves', message: expect.any(String) })])
    expect(res.json.unmetUnits).toBe(5)
  })

  it('serves a rare antigen request only from lots carrying the profile, and keeps those lots from ordinary needs', async () => {
    await resetWorld()
    const ordinary = await addLot({ site: 'CD', qty: 10 })
    const rareLot = await addLot({ site: 'CQ', qty: 3, antigens: 'Jk(a-b-),Fy(a-)' })
    const rareNeed = await addRequest({ site: 'YB', qty: 2, urgency: 'emergency', antigens: 'Fy(a-)' })
    const plain = await addRequest({ site: 'NC', qty: 4, urgency: 'urgent' })
    const plainCQ = await addRequest({ site: 'YB', qty: 12, urgency: 'routine' })
    const res = await call('POST', '/api/plans', { body: { requestIds: [rareNeed, plain, plainCQ] } })
    expect(res.status, JSON.stringify(res.json)).toBe(201)
    const byReq = (id: string) => res.json.transfers.filter((t: any) => t.requests.some((r: any) => r.requestId === id))
    expect(byReq(rareNeed)).toEqual([
      expect.objectContaining({
        fromSite: 'CQ',
        toSite: 'YB',
        qty: 2,
        lots: [expect.objectContaining({ lotId: rareLot, qty: 2 })],
        requests: [expect.objectContaining({ requestId: rareNeed, qty: 2, antigens: expect.stringContaining('(') })],
      }),
    ])
    expect(byReq(plain)[0].lots.map((l: any) => l.lotId)).toEqual([ordinary])
    // one instance, one solve: the rare lot and the rare request carry their antigens
    expect(res.json.instance.lots).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: ordinary }), expect.objectContaining({ id: rareLot, antigens: 'Jk(a-b-),Fy(a-)' })]),
    )
    expect(res.json.instance.lots).toHaveLength(2)
    expect(res.json.instance.needs.map((n: any) => n.id).sort()).toEqual([rareNeed, plain, plainCQ].sort())
    expect(res.json.instance.needs.find((n: any) => n.id === rareNeed)).toMatchObject({ qty: 2, antigens: 'Fy(a-)' })
    expect(res.json.instance.antigenRounds).toBeUndefined()
    // 10 ordinary units: 4 urgent to NC, 6 of 12 routine to YB; the spare rare unit is not used for them
    expect(res.json.unmet).toEqual([expect.objectContaining({ need: plainCQ, qty: 6 })])
    // receipt copies the profile into the new lot
    const t = byReq(rareNeed)[0]
    await call('POST', `/api/transfers/${t.id}/approve`)
    expect((await call('POST', `/api/transfers/${t.id}/commit`, { headers: { 'idempotency-key': key() } })).status).toBe(200)
    await call('POST', `/api/transfers/${t.id}/dispatch`, { body: { temperatureC: 4 } })
    expect(
      (
        await call('POST', `/api/transfers/${t.id}/receive`, {
          as: 'directorYB',
          headers: { 'idempotency-key': key() },
          body: { receivedQty: 2, temperatureC: 4 },
        })
      ).status,
    ).toBe(200)
    const got = await env.DB.prepare(
      `SELECT l.site_id AS siteId, l.antigens, l.qty FROM movement m JOIN lot l ON l.id = m.lot_id WHERE m.transfer_id = ?1 AND m.kind = 'transfer_in'`,
    )
      .bind(t.id)
      .all()
    expect(got.results).toEqual([{ siteId: 'YB', antigens: 'Jk(a-b-),Fy(a-)', qty: 2 }])
    expect((await request(rareNeed))!.status).toBe('fulfilled')
  })

  it('reports unmet needs with reasons when nothing fits, and marks nothing planned', async () => {
    await resetWorld()
    const req = await addRequest({ site: 'YB', component: 'PLT', abo: 'B', qty: 2, urgency: 'emergency' })
    const res = await call('POST', '/api/plans', { body: { requestIds: [req] } })
    expect(res.status).toBe(201)
    expect(res.json.transfers).toEqual([])
    expect(res.json.unmet).toEqual([expect.objectContaining({ need: req, qty: 2, reason: 'no_compatible_stock' })])
    expect((await request(req))!.status).toBe('open')
  })

  it('an optional Idempotency-Key makes a retry answer the same plan', async () => {
    await resetWorld()
    await addLot({ site: 'CD', qty: 10 })
    const req = await addRequest({ site: 'YB', qty: 3 })
    const k = key()
    const first = await call('POST', '/api/plans', { body: { requestIds: [req] }, headers: { 'idempotency-key': k } })
    expect(first.status).toBe(201)
    const retry = await call('POST', '/api/plans', { body: { requestIds: [req] }, headers: { 'idempotency-key': k } })
    expect(retry.status).toBe(201)
    expect(retry.json).toEqual(first.json)
    expect(first.headers.get('idempotent-replayed')).toBeNull()
    expect(retry.headers.get('idempotent-replayed')).toBe('true')
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM transfer_request WHERE request_id = ?1').bind(req).first<number>('n')).toBe(1)
    const other = await call('POST', '/api/plans', { body: { mode: 'disaster' }, headers: { 'idempotency-key': k } })
    expect(other.status).toBe(409)
    expect(other.json.error).toMatchObject({ code: 'idempotency_key_reused', field: 'idempotency-key' })
  })

  it('eight concurrent calls with one Idempotency-Key make one plan and one audit row, and all answer it', async () => {
    await resetWorld()
    await addLot({ site: 'CD', qty: 10 })
    await addRequest({ site: 'YB', qty: 3 })
    const k = key()
    const plansBefore = await env.DB.prepare('SELECT COUNT(*) AS n FROM plan').first<number>('n')
    const all = await Promise.all(Array.from({ length: 8 }, () => call('POST', '/api/plans', { body: {}, headers: { 'idempotency-key': k } })))
    expect(all.map((r) => r.status)).toEqual(Array(8).fill(201))
    expect(new Set(all.map((r) => r.json.id)).size).toBe(1)
    expect(all.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(7)
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM plan').first<number>('n')).toBe(plansBefore! + 1)
    expect((await auditOf('plan', all[0].json.id)).map((a) => a.action)).toEqual(['plan.create'])
    expect(
      await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'plan.create' AND json_extract(detail, '$.idempotencyKey') = ?1")
        .bind(k)
        .first<number>('n'),
    ).toBe(1)
  })

  it('400 for an unknown request id or bad mode; 403 for planner and director', async () => {
    const unknown = await call('POST', '/api/plans', { body: { requestIds: ['NOPE'] } })
    expect(unknown.status).toBe(400)
    expect(unknown.json.error.field).toBe('requestIds.0')
    const badMode = await call('POST', '/api/plans', { body: { mode: 'panic' } })
    expect(badMode.status).toBe(400)
    expect(badMode.json.error.field).toBe('mode')
    expect((await call('POST', '/api/plans', { as: 'planner', body: {} })).status).toBe(403)
    expect((await call('POST', '/api/plans', { as: 'director', body: {} })).status).toBe(403)
    expect((await call('POST', '/api/plans', { as: null, body: {} })).status).toBe(401)
  })
})

describe('GET /api/plans', () => {
  it('lists plans and returns one with transfers, lots, requests and unmet explanations', async () => {
    const { plan, transfer, lot, req } = await planOne()
    const list = await call('GET', '/api/plans', { as: 'planner' })
    expect(list.status).toBe(200)
    expect(list.json.plans.find((p: any) => p.id === plan.id)).toEqual({
      id: plan.id,
      createdBy: 'u-coord',
      createdAt: plan.createdAt,
      mode: 'routine',
      status: 'review',
      transferCount: 1,
      approvedCount: 0,
      unmetUnits: 0,
    })
    const one = await call('GET', `/api/plans/${plan.id}`, { as: 'director' })
    expect(one.status).toBe(200)
    expect(one.json.transfers).toEqual([
      expect.objectContaining({
        id: transfer.id,
        lots: [expect.objectContaining({ lotId: lot, qty: 6 })],
        requests: [expect.objectContaining({ requestId: req, qty: 6, siteId: 'YB' })],
      }),
    ])
    expect(one.json.instance.needs[0]).toMatchObject({ id: req, qty: 6 })
    expect((await call('GET', '/api/plans/plan_nope')).status).toBe(404)
  })
})

describe('POST /api/plans/{id}/commit', () => {
  it('commits approved transfers in one batch: ledger transfer_out, lot reduced, committed, audited; retry applies once', async () => {
    const { plan, transfer, lot } = await planOne({ lotQty: 10, need: 6 })
    const noneApproved = await call('POST', `/api/plans/${plan.id}/commit`, { headers: { 'idempotency-key': key() } })
    expect(noneApproved.status).toBe(409)
    expect(noneApproved.json.error.code).toBe('nothing_approved')
    expect((await call('POST', `/api/transfers/${transfer.id}/approve`)).status).toBe(200)
    const k = key()
    const res = await call('POST', `/api/plans/${plan.id}/commit`, { headers: { 'idempotency-key': k } })
    expect(res.status, JSON.stringify(res.json)).toBe(200)
    expect(res.json).toEqual({ planId: plan.id, batchId: expect.any(String), committed: [transfer.id], closed: [], at: expect.any(String) })
    expect(await lotQty(lot)).toBe(4)
    expect(await ledgerRows(lot, 'transfer_out')).toEqual([
      { lotId: lot, siteId: 'CD', kind: 'transfer_out', delta: -6, transferId: transfer.id, actorId: 'u-coord' },
    ])
    const t = await call('GET', `/api/transfers/${transfer.id}`)
    expect(t.json).toMatchObject({ status: 'committed', committedAt: res.json.at })
    expect((await call('GET', `/api/plans/${plan.id}`)).json.status).toBe('committed')
    expect((await auditOf('transfer', transfer.id)).map((a) => a.action)).toEqual(['transfer.approve', 'transfer.commit'])
    expect((await auditOf('plan', plan.id)).map((a) => [a.action, a.actorId])).toEqual([
      ['plan.create', 'u-coord'],
      ['plan.commit', 'u-coord'],
    ])

    const retry = await call('POST', `/api/plans/${plan.id}/commit`, { headers: { 'idempotency-key': k } })
    expect(retry.status).toBe(200)
    expect(retry.json).toEqual(res.json)
    expect(res.headers.get('idempotent-replayed')).toBeNull()
    expect(retry.headers.get('idempotent-replayed')).toBe('true')
    expect(await lotQty(lot)).toBe(4)
    expect(await ledgerRows(lot, 'transfer_out')).toHaveLength(1)
    // a new key finds nothing left to commit
    const other = await call('POST', `/api/plans/${plan.id}/commit`, { headers: { 'idempotency-key': key() } })
    expect(other.status).toBe(409)
    expect(other.json.error.code).toBe('nothing_approved')
    // the same key for another plan is refused
    const { plan: plan2, transfer: t2 } = await planOne()
    await call('POST', `/api/transfers/${t2.id}/approve`)
    const reused = await call('POST', `/api/plans/${plan2.id}/commit`, { headers: { 'idempotency-key': k } })
    expect(reused.status).toBe(409)
    expect(reused.json.error.code).toBe('idempotency_key_reused')
  })

  it('409 insufficient_stock naming the transfer and lot when stock changed since planning; nothing reserved', async () => {
    const { plan, transfer, lot } = await planOne({ lotQty: 10, need: 8 })
    await call('POST', `/api/transfers/${transfer.id}/approve`)
    await takeStock(lot, 'CD', 5)
    const before = await ledgerRows(lot, 'transfer_out')
    const res = await call('POST', `/api/plans/${plan.id}/commit`, { headers: { 'idempotency-key': key() } })
    expect(res.status).toBe(409)
    expect(res.json.error.code).toBe('insufficient_stock')
    expect(res.json.error.message).toContain(transfer.id)
    expect(res.json.error.message).toContain(lot)
    // the detail names the transfer, its stations and the lot, for the UI to say it in the coordinator's language
    expect(res.json.error.detail).toMatchObject({
      transferId: transfer.id,
      fromSite: 'CD',
      toSite: 'YB',
      lotId: lot,
      lotSite: 'CD',
      problem: 'lot_short',
      holds: 5,
      needed: 8,
    })
    expect(await lotQty(lot)).toBe(5)
    expect(await ledgerRows(lot, 'transfer_out')).toEqual(before)
    expect((await call('GET', `/api/transfers/${transfer.id}`)).json.status).toBe('approved')
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM transfer_commit WHERE transfer_id = ?1').bind(transfer.id).first<number>('n')).toBe(0)
  })

  it('409 insufficient_stock when a planned lot expired before commit', async () => {
    const { plan, transfer, lot } = await planOne()
    await call('POST', `/api/transfers/${transfer.id}/approve`)
    await env.DB.prepare('UPDATE lot SET expires_at = ?2 WHERE id = ?1')
      .bind(lot, new Date(Date.now() - 60_000).toISOString())
      .run()
    const res = await call('POST', `/api/plans/${plan.id}/commit`, { headers: { 'idempotency-key': key() } })
    expect(res.status).toBe(409)
    expect(res.json.error).toEqual({
      code: 'insufficient_stock',
      message: expect.stringMatching(new RegExp(`${transfer.id}.*${lot}.*expired`)),
      detail: expect.objectContaining({ transferId: transfer.id, lotId: lot, problem: 'lot_expired', fromSite: transfer.fromSite, toSite: transfer.toSite }),
    })
    expect(await lotQty(lot)).toBe(10)
  })

  it('concurrent retries with the same key commit once and answer the same', async () => {
    const { plan, transfer, lot } = await planOne({ lotQty: 10, need: 6 })
    await call('POST', `/api/transfers/${transfer.id}/approve`)
    const k = key()
    const all = await Promise.all([1, 2, 3].map(() => call('POST', `/api/plans/${plan.id}/commit`, { headers: { 'idempotency-key': k } })))
    expect(all.map((r) => r.status)).toEqual([200, 200, 200])
    expect(all[1].json).toEqual(all[0].json)
    expect(all[2].json).toEqual(all[0].json)
    expect(await lotQty(lot)).toBe(4)
    expect(await ledgerRows(lot, 'transfer_out')).toHaveLength(1)
  })

  it('an all-or-nothing batch: one transfer short means none of the plan commits', async () => {
    await resetWorld()
    const a = await addLot({ site: 'CD', qty: 5 })
    const b = await addLot({ site: 'NC', qty: 5 })
    const r1 = await addRequest({ site: 'YB', qty: 5 })
    const r2 = await addRequest({ site: 'CQ', qty: 5 })
    const plan = (await call('POST', '/api/plans', { body: { requestIds: [r1, r2] } })).json
    expect(plan.transfers).toHaveLength(2)
    for (const t of plan.transfers) expect((await call('POST', `/api/transfers/${t.id}/approve`)).status).toBe(200)
    await takeStock(b, 'NC', 1)
    const res = await call('POST', `/api/plans/${plan.id}/commit`, { headers: { 'idempotency-key': key() } })
    expect(res.status).toBe(409)
    const short = plan.transfers.find((t: any) => t.fromSite === 'NC')
    expect(res.json.error.message).toContain(short.id)
    expect(await lotQty(a)).toBe(5)
    expect(await lotQty(b)).toBe(4)
    expect(await ledgerRows(a, 'transfer_out')).toEqual([])
  })

  it('concurrent commits of two plans drawing on the same lot: one 200, one 409, stock never negative', async () => {
    await resetWorld()
    const lot = await addLot({ site: 'CD', qty: 10 })
    const r1 = await addRequest({ site: 'YB', qty: 8 })
    const r2 = await addRequest({ site: 'NC', qty: 8 })
    const p1 = (await call('POST', '/api/plans', { body: { requestIds: [r1] } })).json
    const p2 = (await call('POST', '/api/plans', { body: { requestIds: [r2] } })).json
    expect(p1.transfers[0].lots).toEqual([expect.objectContaining({ lotId: lot, qty: 8 })])
    expect(p2.transfers[0].lots).toEqual([expect.objectContaining({ lotId: lot, qty: 8 })])
    await call('POST', `/api/transfers/${p1.transfers[0].id}/approve`)
    await call('POST', `/api/transfers/${p2.transfers[0].id}/approve`, { as: 'admin' })
    const [c1, c2] = await Promise.all([
      call('POST', `/api/plans/${p1.id}/commit`, { headers: { 'idempotency-key': key() } }),
      call('POST', `/api/plans/${p2.id}/commit`, { as: 'admin', headers: { 'idempotency-key': key() } }),
    ])
    expect([c1.status, c2.status].sort()).toEqual([200, 409])
    const loser = c1.status === 409 ? c1 : c2
    const loserPlan = c1.status === 409 ? p1 : p2
    expect(loser.json.error.code).toBe('insufficient_stock')
    expect(loser.json.error.message).toContain(loserPlan.transfers[0].id)
    expect(await lotQty(lot)).toBe(2)
    expect(await ledgerSum(lot)).toBe(2)
    expect(await ledgerRows(lot, 'transfer_out')).toHaveLength(1)
    const statuses = await env.DB.prepare(`SELECT status FROM transfer WHERE id IN (?1, ?2) ORDER BY status`)
      .bind(p1.transfers[0].id, p2.transfers[0].id)
      .all<{ status: string }>()
    expect(statuses.results.map((s) => s.status)).toEqual(['approved', 'committed'])
  })

  it('requires the Idempotency-Key header and the coordinator or admin role', async () => {
    const { plan, transfer } = await planOne()
    await call('POST', `/api/transfers/${transfer.id}/approve`)
    const noKey = await call('POST', `/api/plans/${plan.id}/commit`)
    expect(noKey.status).toBe(400)
    expect(noKey.json.error.field).toBe('idempotency-key')
    expect((await call('POST', `/api/plans/${plan.id}/commit`, { as: 'planner', headers: { 'idempotency-key': key() } })).status).toBe(403)
    expect((await call('POST', `/api/plans/${plan.id}/commit`, { as: 'director', headers: { 'idempotency-key': key() } })).status).toBe(403)
    expect((await call('POST', '/api/plans/plan_nope/commit', { headers: { 'idempotency-key': key() } })).status).toBe(404)
  })
})

describe('a new plan supersedes the open plans over the same requests', () => {
  it('marks the older plan superseded (audited), closes its proposed and approved transfers, and its commit is 409 naming the newer plan', async () => {
    const { plan: old, transfer, req, lot } = await planOne({ lotQty: 10, need: 4 })
    const other = await addRequest({ site: 'NC', qty: 2 })
    const unrelated = (await call('POST', '/api/plans', { body: { requestIds: [other] } })).json
    expect((await call('POST', `/api/transfers/${transfer.id}/approve`)).status).toBe(200)
    // the plans under review say how many approvals a new plan would close (the UI asks first when there are any)
    const open = (await call('GET', '/api/plans?status=review')).json.plans
    expect(open.find((p: any) => p.id === old.id)).toMatchObject({ approvedCount: 1 })
    expect(open.find((p: any) => p.id === unrelated.id)).toMatchObject({ approvedCount: 0 })
    const res = await call('POST', '/api/plans', { body: {} })
    expect(res.status).toBe(201)
    const newer = res.json
    const before = (await call('GET', `/api/plans/${old.id}`)).json
    expect(before).toMatchObject({ status: 'superseded', supersededBy: newer.id, supersededAt: expect.any(String) })
    expect(before.transfers).toEqual([
      expect.objectContaining({ id: transfer.id, status: 'rejected', closeReason: 'superseded', rejectReason: `Superseded by plan ${newer.id}` }),
    ])
    // the newer plan covers NC's request too, so the plan made for it alone is superseded as well
    expect((await call('GET', `/api/plans/${unrelated.id}`)).json.status).toBe('superseded')
    const audit = await auditOf('plan', old.id)
    expect(audit.map((a: any) => a.action)).toEqual(expect.arrayContaining(['plan.create', 'plan.supersede']))
    expect(JSON.parse(audit.find((a: any) => a.action === 'plan.supersede')!.detail)).toMatchObject({ supersededBy: newer.id, requests: [req] })
    expect((await auditOf('transfer', transfer.id)).map((a: any) => a.action)).toContain('transfer.close')
    const commit = await call('POST', `/api/plans/${old.id}/commit`, { headers: { 'idempotency-key': key() } })
    expect(commit.status).toBe(409)
    expect(commit.json.error).toMatchObject({ code: 'plan_superseded', detail: { planId: old.id, supersededBy: newer.id } })
    expect(commit.json.error.message).toContain(newer.id)
    expect(await lotQty(lot)).toBe(10)
    // its transfers cannot come back to life
    expect((await call('POST', `/api/transfers/${transfer.id}/approve`)).status).toBe(409)
    // the newer plan commits
    for (const t of newer.transfers) expect((await call('POST', `/api/transfers/${t.id}/approve`)).status).toBe(200)
    expect((await call('POST', `/api/plans/${newer.id}/commit`, { headers: { 'idempotency-key': key() } })).status).toBe(200)
  })

  it('the database keeps a superseded plan superseded: it can never be set committed (trigger), and always names its successor', async () => {
    const { plan: old } = await planOne()
    const newer = (await call('POST', '/api/plans', { body: {} })).json
    await expect(env.DB.prepare("UPDATE plan SET status = 'committed' WHERE id = ?1").bind(old.id).run()).rejects.toThrow(/plan superseded/)
    await expect(env.DB.prepare("UPDATE plan SET status = 'superseded' WHERE id = ?1").bind(newer.id).run()).rejects.toThrow(/names the plan/)
    await expect(env.DB.prepare("UPDATE transfer SET close_reason = 'whatever' WHERE plan_id = ?1").bind(old.id).run()).rejects.toThrow(/CHECK/)
  })

  it('a plan for other requests leaves an open plan alone', async () => {
    const { plan: first } = await planOne({ to: 'YB' })
    const other = await addRequest({ site: 'NC', qty: 2 })
    expect((await call('POST', '/api/plans', { body: { requestIds: [other] } })).status).toBe(201)
    expect((await call('GET', `/api/plans/${first.id}`)).json.status).toBe('review')
  })
})

describe('the API surface', () => {
  it('documents the plan and transfer routes in OpenAPI', async () => {
    const res = await call('GET', '/api/openapi.json', { as: null })
    expect(res.status).toBe(200)
    const paths = Object.keys(res.json.paths)
    for (const p of [
      '/api/plans',
      '/api/plans/preview',
      '/api/plans/{id}',
      '/api/plans/{id}/commit',
      '/api/transfers',
      '/api/transfers/{id}',
      '/api/transfers/{id}/approve',
      '/api/transfers/{id}/reject',
      '/api/transfers/{id}/commit',
      '/api/transfers/{id}/dispatch',
      '/api/transfers/{id}/cancel',
      '/api/transfers/{id}/receive',
    ])
      expect(paths).toContain(p)
    const preview = res.json.paths['/api/plans/preview'].post
    expect(JSON.stringify(preview.requestBody)).toContain('needs')
    expect(res.json.components.schemas.Transfer).toBeDefined()
  })
})
