// Hospitals as a role (issue 23): a hospital's blood bank reads and writes only its own hospital; a director reads
// their station's hospitals but writes only the station; coordinators read all. The hospital keeps a ledger like a
// station's, returns units to its station, and the station sees its hospitals sorted by risk.
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { call, receiveLot, uid, type Who } from '../fixtures'
import { callAs, seedHospitals, type HospitalWho } from '../hospital-fixtures'
import { issue } from '../services/plan-fixtures'

beforeAll(() => seedHospitals())

const key = () => ({ 'idempotency-key': uid('k-') })

describe('the hospital role', () => {
  it('signs in bound to its hospital; an admin creates one for a hospital site only', async () => {
    const me = await callAs('HYB1', 'GET', '/api/me')
    expect(me.status).toBe(200)
    expect(me.json).toMatchObject({ role: 'hospital', siteId: 'HYB1' })

    const made = await call('POST', '/api/users', { as: 'admin', body: { name: '输血科 二院', role: 'hospital', siteId: 'HYB2' } })
    expect(made.status, made.text).toBe(201)
    expect(made.json.user).toMatchObject({ role: 'hospital', siteId: 'HYB2' })
    const mine = await call('GET', '/api/me', { as: null, headers: { authorization: `Bearer ${made.json.token.token}` } })
    expect(mine.json).toMatchObject({ role: 'hospital', siteId: 'HYB2' })

    const atStation = await call('POST', '/api/users', { as: 'admin', body: { name: 'x', role: 'hospital', siteId: 'YB' } })
    expect(atStation.status).toBe(400)
    expect(atStation.json.error.field).toBe('siteId')
    const noSite = await call('POST', '/api/users', { as: 'admin', body: { name: 'x', role: 'hospital' } })
    expect(noSite.status).toBe(400)
    expect(noSite.json.error.field).toBe('siteId')
    const directorAtHospital = await call('POST', '/api/users', { as: 'admin', body: { name: 'x', role: 'director', siteId: 'HYB1' } })
    expect(directorAtHospital.status).toBe(400)
    // only an admin makes users
    expect((await callAs('HYB1', 'POST', '/api/users', { body: { name: 'x', role: 'hospital', siteId: 'HYB1' } })).status).toBe(403)
  })

  it('reads and writes its own hospital; another hospital, a station, or anything else: 403', async () => {
    const lot = await receiveLot('HYB1', { qty: 5 })
    const own: [string, string, unknown?][] = [
      ['GET', '/api/stock?site=HYB1'],
      ['GET', '/api/stock/lots?site=HYB1'],
      ['GET', '/api/movements?site=HYB1'],
      ['GET', '/api/sites/HYB1'],
      ['GET', '/api/orders'],
      ['GET', '/api/transfers?site=HYB1'],
      ['GET', '/api/events'],
    ]
    for (const [m, p] of own) expect((await callAs('HYB1', m, p)).status, `${m} ${p}`).toBe(200)
    const write = await callAs('HYB1', 'POST', '/api/movements', {
      headers: key(),
      body: { siteId: 'HYB1', kind: 'issue', lotId: lot, qty: 1, reason: 'transfusion' },
    })
    expect(write.status, write.text).toBe(201)

    const other = await receiveLot('HYB2', { qty: 5 })
    const refused: [string, string, unknown?][] = [
      // another hospital
      ['GET', '/api/stock?site=HYB2'],
      ['GET', '/api/stock/lots?site=HNC1'],
      ['GET', '/api/movements?site=HYB2'],
      ['GET', '/api/sites/HYB2'],
      ['GET', '/api/orders?hospital=HYB2'],
      ['POST', '/api/movements', { siteId: 'HYB2', kind: 'issue', lotId: other, qty: 1, reason: 'transfusion' }],
      ['POST', '/api/hospitals/HYB2/returns', { lotId: other, qty: 1 }],
      // its station
      ['GET', '/api/stock?site=YB'],
      ['GET', '/api/stock'],
      ['GET', '/api/orders?station=YB'],
      [
        'POST',
        '/api/movements',
        { siteId: 'YB', kind: 'receipt', component: 'RBC', abo: 'O', rhd: '-', qty: 1, collectedAt: '2026-01-01T00:00:00Z', expiresAt: '2026-01-20T00:00:00Z' },
      ],
      ['GET', '/api/sites?kind=hospital'],
      ['GET', '/api/sites?parent=YB'],
      ['GET', '/api/sites/NC'],
      ['GET', '/api/hospitals?station=YB'],
      ['GET', '/api/network/YB'],
      ['POST', '/api/network/transfers', { fromSite: 'HYB1', toSite: 'YB', lotId: lot, qty: 1 }],
      // the region's routes
      ['GET', '/api/warnings'],
      ['GET', '/api/stock/summary'],
      ['GET', '/api/requests'],
      ['GET', '/api/plans'],
      ['GET', '/api/users'],
      ['GET', '/api/audit'],
      ['GET', '/api/site-contact'],
    ]
    for (const [m, p, body] of refused) {
      const r = await callAs('HYB1', m, p, { body, headers: m === 'POST' ? key() : undefined })
      expect(r.status, `${m} ${p}: ${r.text}`).toBe(403)
      expect(r.json.error.code).toBe('forbidden')
    }
    // its station's record and the stations' list name the sender of its deliveries (never the other hospitals)
    expect((await callAs('HYB1', 'GET', '/api/sites/YB')).json.nameZh).toBeTruthy()
    const listed = await callAs('HYB1', 'GET', '/api/sites')
    expect(listed.status).toBe(200)
    expect(listed.json.sites.some((s: { kind: string }) => s.kind === 'hospital')).toBe(false)
    // nothing was written by the refused writes
    expect(await env.DB.prepare('SELECT qty FROM lot WHERE id = ?1').bind(other).first('qty')).toBe(5)
  })

  it("a director reads their own station's hospitals, writes none of them; another station's director: 403; a coordinator reads all", async () => {
    const lot = await receiveLot('HYB1', { qty: 3 })
    const as = (who: Who | HospitalWho, m: string, p: string, body?: unknown) =>
      who === 'directorNC' || who.startsWith('H')
        ? callAs(who as HospitalWho, m, p, { body, headers: m === 'POST' ? key() : undefined })
        : call(m, p, { as: who as Who, body, headers: m === 'POST' ? key() : undefined })
    for (const p of ['/api/stock?site=HYB1', '/api/stock/lots?site=HYB1', '/api/movements?site=HYB1', '/api/hospitals', '/api/orders'])
      expect((await as('directorYB', 'GET', p)).status, p).toBe(200)
    expect((await as('directorYB', 'POST', '/api/movements', { siteId: 'HYB1', kind: 'issue', lotId: lot, qty: 1 })).status).toBe(403)
    expect((await as('directorYB', 'POST', '/api/hospitals/HYB1/returns', { lotId: lot, qty: 1 })).status).toBe(403)
    for (const p of [
      '/api/stock?site=HYB1',
      '/api/stock/lots?site=HYB1',
      '/api/movements?site=HYB1',
      '/api/transfers?site=HYB1',
      '/api/hospitals?station=YB',
      '/api/orders?station=YB',
      '/api/orders?hospital=HYB1',
    ])
      expect((await as('directorNC', 'GET', p)).status, p).toBe(403)
    for (const p of ['/api/stock?site=HYB1', '/api/hospitals?station=YB', '/api/hospitals?station=NC', '/api/orders?hospital=HYB1', '/api/movements?site=HYB1'])
      expect((await as('coordinator', 'GET', p)).status, p).toBe(200)
    expect((await as('coordinator', 'GET', '/api/hospitals')).json.error.field).toBe('station')
  })
})

describe('site lists keep hospitals out unless asked', () => {
  it('GET /api/sites, stock rows, site contact and the network leave hospital sites out; kind=hospital lists them', async () => {
    await Promise.all([receiveLot('HYB1', { qty: 2 }), receiveLot('YB', { qty: 2 })])
    const sites = await call('GET', '/api/sites')
    expect(sites.json.sites.length).toBeGreaterThan(0)
    expect(sites.json.sites.filter((s: { kind: string }) => s.kind === 'hospital')).toEqual([])
    const hospitals = await call('GET', '/api/sites?kind=hospital&parent=YB')
    expect(hospitals.json.sites.map((s: { id: string }) => s.id).sort()).toEqual(['HYB1', 'HYB2'])
    expect(hospitals.json.sites[0]).toMatchObject({ kind: 'hospital', parentId: 'YB' })

    const stock = await call('GET', '/api/stock')
    expect(stock.json.rows.length).toBeGreaterThan(0)
    expect(stock.json.rows.filter((r: { siteId: string }) => r.siteId.startsWith('HYB'))).toEqual([])
    const own = await call('GET', '/api/stock?site=HYB1')
    expect(own.json.rows.length).toBeGreaterThan(0)

    const contact = await call('GET', '/api/site-contact')
    expect(JSON.stringify(contact.json)).not.toContain('HYB1')
    const network = await call('GET', '/api/network/YB', { as: 'directorYB' })
    expect(network.json.storagePoints.map((s: { id: string }) => s.id)).not.toContain('HYB1')
    // a hospital's level is its own figures', never one of the region's warnings, even after the hourly refresh
    expect((await call('POST', '/api/warnings/refresh', { as: 'admin' })).status).toBe(200)
    const warnings = await call('GET', '/api/warnings')
    expect(JSON.stringify(warnings.json)).not.toContain('HYB')
    const states = await env.DB.prepare("SELECT COUNT(*) AS n FROM warning_state WHERE site_id IN (SELECT id FROM site WHERE kind = 'hospital')").first('n')
    expect(states).toBe(0)
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM warning_state WHERE site_id = 'YB'").first('n')).toBeGreaterThan(0)
  })
})

describe("the hospital's ledger", () => {
  it('records transfusions and discards like a station: never negative, a retried key applied once, audited', async () => {
    const lot = await receiveLot('HYB1', { component: 'RBC', abo: 'A', rhd: '+', qty: 4 })
    const k = uid('tx-')
    const body = { siteId: 'HYB1', kind: 'issue', lotId: lot, qty: 2, reason: 'transfusion', urgency: 'urgent' }
    const first = await callAs('HYB1', 'POST', '/api/movements', { headers: { 'idempotency-key': k }, body })
    expect(first.status, first.text).toBe(201)
    const again = await callAs('HYB1', 'POST', '/api/movements', { headers: { 'idempotency-key': k }, body })
    expect(again.status).toBe(201)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(again.json.batchId).toBe(first.json.batchId)
    expect(await env.DB.prepare('SELECT qty FROM lot WHERE id = ?1').bind(lot).first('qty')).toBe(2)

    const made = await callAs('HYB1', 'POST', '/api/movements', {
      headers: key(),
      body: {
        siteId: 'HYB1',
        kind: 'receipt',
        component: 'RBC',
        abo: 'A',
        rhd: '+',
        qty: 9,
        collectedAt: new Date(Date.now() - 86_400_000).toISOString(),
        expiresAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
      },
    })
    expect(made.status).toBe(400)
    expect(made.json.error).toMatchObject({ field: 'movements.0.kind', code: 'use_order' })
    const tooMany = await callAs('HYB1', 'POST', '/api/movements', { headers: key(), body: { ...body, qty: 3 } })
    expect(tooMany.status).toBe(409)
    expect(tooMany.json.error).toMatchObject({ code: 'insufficient_stock', field: 'movements.0.lotId' })
    const discard = await callAs('HYB1', 'POST', '/api/movements', {
      headers: key(),
      body: { siteId: 'HYB1', kind: 'discard', lotId: lot, qty: 1, reason: 'bag damaged' },
    })
    expect(discard.status).toBe(201)
    expect(await env.DB.prepare('SELECT qty FROM lot WHERE id = ?1').bind(lot).first('qty')).toBe(1)

    const audit = await env.DB.prepare("SELECT actor_id AS actorId, action FROM audit_log WHERE entity = 'movement_batch' AND entity_id = ?1")
      .bind(first.json.batchId)
      .first()
    expect(audit).toEqual({ actorId: 'u-hosp-hyb1', action: 'movement.batch' })
    const rows = await callAs('HYB1', 'GET', '/api/stock?site=HYB1&component=RBC&abo=A')
    expect(rows.json.rows).toHaveLength(1)
    expect(rows.json.rows[0]).toMatchObject({ siteId: 'HYB1', onHand: 1 })
    expect(rows.json.rows[0].avgDailyIssue).toBeCloseTo(2 / 14, 2)
    const lots = await callAs('HYB1', 'GET', '/api/stock/lots?site=HYB1&abo=A')
    expect(lots.json.lots.map((l: { id: string; expiresAt: string }) => l.id)).toEqual([lot])
  })

  it('returns units to its station as a local transfer: both ledgers, once per key, never below zero', async () => {
    const lot = await receiveLot('HYB1', { component: 'PLT', abo: 'B', rhd: '+', qty: 3, expiresAt: new Date(Date.now() + 2 * 86_400_000).toISOString() })
    const k = uid('ret-')
    const res = await callAs('HYB1', 'POST', '/api/hospitals/HYB1/returns', {
      headers: { 'idempotency-key': k },
      body: { lotId: lot, qty: 2, note: 'surgery cancelled' },
    })
    expect(res.status, res.text).toBe(201)
    expect(res.json).toMatchObject({ fromSite: 'HYB1', toSite: 'YB', qty: 2, lotId: lot })
    const again = await callAs('HYB1', 'POST', '/api/hospitals/HYB1/returns', {
      headers: { 'idempotency-key': k },
      body: { lotId: lot, qty: 2, note: 'surgery cancelled' },
    })
    expect(again.json.id).toBe(res.json.id)
    const ledger = await env.DB.prepare('SELECT site_id AS siteId, kind, delta FROM movement WHERE transfer_id = ?1 ORDER BY id').bind(res.json.id).all()
    expect(ledger.results).toEqual([
      { siteId: 'HYB1', kind: 'transfer_out', delta: -2 },
      { siteId: 'YB', kind: 'transfer_in', delta: 2 },
    ])
    const over = await callAs('HYB1', 'POST', '/api/hospitals/HYB1/returns', { headers: key(), body: { lotId: lot, qty: 2 } })
    expect(over.status).toBe(409)
    expect(over.json.error.code).toBe('insufficient_stock')
    // units reach a hospital only through an order
    const ybLot = await receiveLot('YB', { qty: 2 })
    const push = await call('POST', '/api/network/transfers', {
      as: 'directorYB',
      headers: key(),
      body: { fromSite: 'YB', toSite: 'HYB1', lotId: ybLot, qty: 1 },
    })
    expect(push.status).toBe(400)
    expect(push.json.error).toMatchObject({ field: 'toSite', code: 'use_order' })
    const audit = await env.DB.prepare("SELECT actor_id AS actorId FROM audit_log WHERE action = 'transfer.local' AND entity_id = ?1").bind(res.json.id).first()
    expect(audit).toEqual({ actorId: 'u-hosp-hyb1' })
  })
})

describe("the station's view of its hospitals", () => {
  it('gives stock, days of supply and level per component for the station, storage points and hospitals, riskiest first', async () => {
    // HYB2 uses 1 red-cell unit a day and holds 2 (2 days: red); HYB1 holds more, NC's hospital is not in YB's view
    const [a, b] = await Promise.all([receiveLot('HYB2', { component: 'RBC', abo: 'O', rhd: '-', qty: 16 }), receiveLot('HNC1', { qty: 4 })])
    for (let d = 1; d <= 14; d++) await issue(a, 'HYB2', 1, d - 0.5)
    await issue(b, 'HNC1', 1, 1)
    const view = await call('GET', '/api/hospitals', { as: 'directorYB' })
    expect(view.status, view.text).toBe(200)
    expect(view.json.stationId).toBe('YB')
    expect(view.json.station).toMatchObject({ siteId: 'YB', kind: 'station' })
    const ids = view.json.hospitals.map((h: { siteId: string }) => h.siteId)
    expect(ids.sort()).toEqual(['HYB1', 'HYB2'])
    const first = view.json.hospitals[0]
    expect(first.siteId).toBe('HYB2')
    const rbc = first.components.find((c: { component: string }) => c.component === 'RBC')
    const held = (await call('GET', '/api/stock?site=HYB2&component=RBC')).json.rows.reduce((s: number, r: { onHand: number }) => s + r.onHand, 0)
    expect(rbc.onHand).toBe(held)
    expect(rbc.avgDailyIssue).toBe(1)
    expect(rbc.daysOfSupply).toBe(held)
    expect(first.rbcDays).toBe(held)
    expect(rbc.level).toBe(held < 3 ? 'red' : held < 5 ? 'orange' : held < 7 ? 'yellow' : 'normal')
    expect(first.openOrders).toBe(0)
    expect(first.lastReportAt).not.toBeNull()
    // the hospital's own stock rows carry the same reading: O- at HYB2 is 2 units at 1 a day, red (Sichuan: below 3 days)
    const oNeg = (await callAs('HYB2', 'GET', '/api/stock?site=HYB2&component=RBC&abo=O&rhd=-')).json.rows
    expect(oNeg).toHaveLength(1)
    expect(oNeg[0]).toMatchObject({ onHand: 2, avgDailyIssue: 1, daysOfSupply: 2, level: 'red' })
    // sorted by risk: each hospital's red-cell days no lower than the one before (no use: last)
    const days = view.json.hospitals.map((h: { rbcDays: number | null }) => h.rbcDays ?? Infinity)
    expect(days).toEqual([...days].sort((x: number, y: number) => x - y))
  })
})
