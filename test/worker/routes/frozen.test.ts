// Frozen rare red cells (issue 20 §2): received with their 10-year expiry, counted apart from liquid stock, and
// thawed as a step of the transfer (who, when) before dispatch; thawed units keep 24 h and are never refrozen.
import { env } from 'cloudflare:workers'
import Papa from 'papaparse'
import { beforeAll, describe, expect, it } from 'vitest'
import { call, seedBase, uid } from '../fixtures'
import { addRequest, auditOf, key, lotQty, request, resetWorld } from '../services/plan-fixtures'

beforeAll(() => seedBase())

const DAY = 86_400_000
const HOUR = 3_600_000
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString()
const move = (body: Record<string, unknown>, as: 'coordinator' | 'director' | 'directorYB' = 'coordinator') =>
  call('POST', '/api/movements', { as, headers: { 'idempotency-key': uid('k-') }, body })

/** A frozen Fy(a-) red-cell lot received at `site` through the API: collected 2 years ago, kept 10 years. */
async function frozenLot(site: string, qty: number, antigens = ['Fy(a-)']) {
  const lotId = uid('FZ')
  const res = await move({
    siteId: site,
    kind: 'receipt',
    lotId,
    component: 'RBC',
    abo: 'O',
    rhd: '+',
    antigens,
    qty,
    frozen: true,
    collectedAt: ago(730),
    expiresAt: ago(730 - 3650),
  })
  expect(res.status, res.text).toBe(201)
  return lotId
}

describe('receiving frozen red cells', () => {
  it('takes a frozen red-cell lot with its 10-year expiry, and refuses what is not one', async () => {
    const liquid = await move({
      siteId: 'CD',
      kind: 'receipt',
      component: 'RBC',
      abo: 'O',
      rhd: '+',
      qty: 2,
      collectedAt: ago(730),
      expiresAt: ago(730 - 3650),
    })
    expect(liquid.status).toBe(400)
    expect(liquid.json.error).toMatchObject({ code: 'invalid_input', field: 'movements.0.expiresAt' })
    expect(liquid.json.error.message).toContain('"frozen": true')
    const plt = await move({
      siteId: 'CD',
      kind: 'receipt',
      component: 'PLT',
      abo: 'O',
      rhd: '+',
      qty: 2,
      frozen: true,
      collectedAt: ago(1),
      expiresAt: ago(-2),
    })
    expect(plt.json.error).toMatchObject({ code: 'invalid_input', field: 'movements.0.frozen' })
    const tooLong = await move({
      siteId: 'CD',
      kind: 'receipt',
      component: 'RBC',
      abo: 'O',
      rhd: '+',
      qty: 2,
      frozen: true,
      collectedAt: ago(10),
      expiresAt: ago(-3660),
    })
    expect(tooLong.json.error).toMatchObject({ field: 'movements.0.expiresAt' })
    expect(tooLong.json.error.message).toContain('10 years')

    const lotId = await frozenLot('CD', 3)
    const row = await env.DB.prepare('SELECT frozen, thawed_at AS thawedAt, qty FROM lot WHERE id = ?1').bind(lotId).first()
    expect(row).toEqual({ frozen: 1, thawedAt: null, qty: 3 })
    // the database holds the rule too: no frozen platelets, and a lot never changes between frozen and liquid
    await expect(
      env.DB.prepare(
        "INSERT INTO lot (id, site_id, component, abo, rhd, collected_at, expires_at, qty, created_at, frozen) VALUES (?1, 'CD', 'PLT', 'O', '+', ?2, ?3, 0, ?2, 1)",
      )
        .bind(uid('X'), ago(1), ago(-2))
        .run(),
    ).rejects.toThrow(/lot_frozen/)
    await expect(env.DB.prepare('UPDATE lot SET frozen = 0 WHERE id = ?1').bind(lotId).run()).rejects.toThrow(/lot_frozen/)
  })

  it('counts frozen units apart from liquid stock: stock, days of supply, totals, lots, rare search and CSV', async () => {
    const site = uid('F').slice(0, 12)
    expect(
      (
        await call('POST', '/api/sites', {
          body: { id: site, nameZh: '冻存', nameEn: 'Frozen', kind: 'center', province: 'Sichuan', city: 'T', lat: 30, lng: 104 },
        })
      ).status,
    ).toBe(201)
    const liquid = await move({
      siteId: site,
      kind: 'receipt',
      lotId: uid('LQ'),
      component: 'RBC',
      abo: 'O',
      rhd: '+',
      qty: 10,
      collectedAt: ago(2),
      expiresAt: ago(-30),
    })
    expect(liquid.status).toBe(201)
    const issued = await move({ siteId: site, kind: 'issue', lotId: liquid.json.createdLots[0], qty: 4, urgency: 'emergency' })
    expect(issued.status).toBe(201)
    const frozen = await frozenLot(site, 5)

    const stock = await call('GET', `/api/stock?site=${site}&component=RBC`)
    expect(stock.json.rows).toHaveLength(1)
    // 6 liquid U ÷ (4 U ÷ 14 days): frozen units are not days of supply
    expect(stock.json.rows[0]).toMatchObject({ onHand: 6, frozenOnHand: 5, daysOfSupply: 21 })
    // nor do they lift the warning level: 1 liquid U at 4 U a fortnight is 3.5 days, orange (with the 5 frozen it would be 21)
    expect((await move({ siteId: site, kind: 'discard', lotId: liquid.json.createdLots[0], qty: 5, reason: 'broken bags' })).status).toBe(201)
    const level = (await call('GET', `/api/warnings?site=${site}&component=RBC&abo=*`)).json.warnings[0]
    expect(level).toMatchObject({ level: 'orange', daysOfSupply: 3.5 })
    const summary = await call('GET', '/api/stock/summary')
    const rbc = summary.json.components.find((c: any) => c.component === 'RBC')
    expect(rbc.frozenOnHand).toBeGreaterThanOrEqual(5)
    expect(summary.json.groups.find((g: any) => g.component === 'RBC' && g.abo === 'O' && g.rhd === '+').frozenOnHand).toBeGreaterThanOrEqual(5)

    const lots = await call('GET', `/api/stock/lots?site=${site}`)
    expect(lots.json.lots.map((l: any) => [l.qty, l.frozen])).toEqual([
      [1, false],
      [5, true],
    ])
    expect((await call('GET', `/api/stock/lots?site=${site}&frozen=true`)).json.lots.map((l: any) => l.id)).toEqual([frozen])
    const rare = await call('GET', '/api/stock/rare?antigen=Fy(a-)&frozen=true')
    expect(rare.status).toBe(200)
    expect(rare.json.lots.length).toBeGreaterThan(0)
    expect(rare.json.lots.every((l: any) => l.frozen)).toBe(true)
    expect(rare.json.lots.find((l: any) => l.id === frozen)).toMatchObject({ siteId: site, qty: 5, frozen: true, antigens: ['Fy(a-)'] })

    // CSV out says which lots are frozen; the same file reads back as an unchanged count
    const csv = await call('GET', `/api/csv/stock?site=${site}`)
    const parsed = Papa.parse<Record<string, string>>(csv.text.trim(), { header: true })
    expect(parsed.data.map((r) => [r.lot_id === frozen, r.frozen]).sort()).toEqual([
      [false, ''],
      [true, 'yes'],
    ])
    const back = await call('POST', `/api/csv/stock-count?site=${site}`, {
      headers: { 'idempotency-key': uid('k-'), 'content-type': 'text/csv' },
      raw: csv.text,
    })
    expect(back.status, back.text).toBe(201)
    expect(back.json).toMatchObject({ received: 0, adjusted: 0 })
    // CSV in: a new frozen lot with its long expiry; a known lot counted as the other kind is a row error
    const newId = uid('CSVF')
    const header = 'lot_id,component,abo,rhd,qty,collected_at,expires_at,antigens,frozen'
    const add = await call('POST', `/api/csv/stock-count?site=${site}`, {
      headers: { 'idempotency-key': uid('k-'), 'content-type': 'text/csv' },
      raw: `${header}\n${newId},RBC,O,+,2,2025-01-10,2034-01-10,Fy(a-),yes\n`,
    })
    expect(add.status, add.text).toBe(201)
    expect(await env.DB.prepare('SELECT frozen FROM lot WHERE id = ?1').bind(newId).first('frozen')).toBe(1)
    const wrong = await call('POST', `/api/csv/stock-count?site=${site}`, {
      headers: { 'idempotency-key': uid('k-'), 'content-type': 'text/csv' },
      raw: `${header}\n${frozen},RBC,O,+,5,2024-12-01,2034-11-29,Fy(a-),no\n`,
    })
    expect(wrong.status).toBe(400)
    expect(wrong.json.rows).toEqual([expect.objectContaining({ row: 2, field: 'frozen' })])
  })
})

/** A Fy(a-) emergency at YB and a frozen Fy(a-) unit at CD, planned, approved and committed: the transfer. */
async function committedFrozenTransfer() {
  await resetWorld()
  const lot = await frozenLot('CD', 2)
  const req = await addRequest({ site: 'YB', qty: 1, urgency: 'emergency', antigens: 'Fy(a-)', neededInHours: 30 })
  const plan = await call('POST', '/api/plans', { body: { requestIds: [req] } })
  expect(plan.status, plan.text).toBe(201)
  expect(plan.json.transfers).toHaveLength(1)
  const t = plan.json.transfers[0]
  expect(t).toMatchObject({
    fromSite: 'CD',
    toSite: 'YB',
    frozen: true,
    thawedAt: null,
    lots: [{ lotId: lot, qty: 1, frozen: true, expiresAt: expect.any(String) }],
  })
  // the planner counts the thaw in the ETA and says how long; the transfer keeps it
  expect(t.thawHours).toBeGreaterThan(0)
  expect(t.etaHours).toBeGreaterThan(t.thawHours)
  // the live instance tells the planner which lots are frozen (rare lots: in the instance, or its antigen rounds)
  const planned = [...plan.json.instance.lots, ...(plan.json.instance.antigenRounds ?? []).flatMap((r: any) => r.instance.lots)]
  expect(planned.filter((l: any) => l.id === lot)).toEqual([expect.objectContaining({ id: lot, frozen: true })])
  expect((await call('POST', `/api/transfers/${t.id}/approve`)).status).toBe(200)
  expect((await call('POST', `/api/transfers/${t.id}/commit`, { headers: { 'idempotency-key': key() } })).status).toBe(200)
  expect(await lotQty(lot)).toBe(1)
  return { lot, req, id: t.id as string }
}

describe('the thaw step', () => {
  it('plan, commit, thaw, dispatch and receipt: dispatch waits for the thaw; the units arrive thawed with 24 h', async () => {
    const { lot, req, id } = await committedFrozenTransfer()
    const early = await call('POST', `/api/transfers/${id}/dispatch`, { body: { temperatureC: 4 } })
    expect(early.status).toBe(409)
    expect(early.json.error.code).toBe('not_thawed')
    expect(early.json.error.message).toContain(`/api/transfers/${id}/thaw`)
    // the guard is in the database: a status change past it fails
    await expect(env.DB.prepare("UPDATE transfer SET status = 'dispatched' WHERE id = ?1").bind(id).run()).rejects.toThrow(/transfer_not_thawed/)

    expect((await call('POST', `/api/transfers/${id}/thaw`, { as: 'directorYB' })).status).toBe(403) // the receiver does not thaw
    expect((await call('POST', `/api/transfers/${id}/thaw`, { as: 'planner' })).status).toBe(403)
    expect((await call('POST', `/api/transfers/${id}/thaw`, { as: null })).status).toBe(401)
    expect((await call('POST', '/api/transfers/NOPE/thaw')).status).toBe(404)
    const thawed = await call('POST', `/api/transfers/${id}/thaw`, { as: 'director' }) // CD's director
    expect(thawed.status, thawed.text).toBe(200)
    expect(thawed.json).toMatchObject({ status: 'committed', frozen: true, thawedBy: 'u-dir-cd', thawedAt: expect.any(String) })
    const thawedAt = thawed.json.thawedAt as string
    expect(Date.now() - Date.parse(thawedAt)).toBeLessThan(60_000)
    const again = await call('POST', `/api/transfers/${id}/thaw`)
    expect(again.status).toBe(409)
    expect(again.json.error.code).toBe('already_thawed')
    const audit = (await auditOf('transfer', id)).filter((a) => a.action === 'transfer.thaw')
    expect(audit).toHaveLength(1)
    expect(audit[0].actorId).toBe('u-dir-cd')
    expect(JSON.parse(audit[0].detail)).toMatchObject({
      thawedAt,
      lots: [{ lotId: lot, qty: 1, expiresAt: new Date(Date.parse(thawedAt) + 24 * HOUR).toISOString() }],
    })

    expect((await call('POST', `/api/transfers/${id}/dispatch`, { as: 'director', body: { temperatureC: 4 } })).status).toBe(200)
    const got = await call('POST', `/api/transfers/${id}/receive`, {
      as: 'directorYB',
      headers: { 'idempotency-key': key() },
      body: { receivedQty: 1, temperatureC: 4 },
    })
    expect(got.status, got.text).toBe(200)
    const arrived = await env.DB.prepare(
      `SELECT l.site_id AS siteId, l.frozen, l.thawed_at AS thawedAt, l.expires_at AS expiresAt, l.antigens, l.qty
       FROM movement m JOIN lot l ON l.id = m.lot_id WHERE m.transfer_id = ?1 AND m.kind = 'transfer_in'`,
    )
      .bind(id)
      .all()
    expect(arrived.results).toEqual([
      { siteId: 'YB', frozen: 0, thawedAt, expiresAt: new Date(Date.parse(thawedAt) + 24 * HOUR).toISOString(), antigens: 'Fy(a-)', qty: 1 },
    ])
    expect((await request(req))!.status).toBe('fulfilled')
    expect(await lotQty(lot)).toBe(1) // the other frozen unit stays frozen at CD
  })

  it('a transfer cancelled after the thaw discards the thawed units ("thawed, unused"), never back to frozen', async () => {
    const { lot, id } = await committedFrozenTransfer()
    expect((await call('POST', `/api/transfers/${id}/thaw`)).status).toBe(200)
    const cancel = await call('POST', `/api/transfers/${id}/cancel`, { body: { reason: 'patient died' } })
    expect(cancel.status, cancel.text).toBe(200)
    expect(await lotQty(lot)).toBe(1) // not returned to the frozen lot
    const ledger = await env.DB.prepare(
      `SELECT m.kind, m.delta, m.reason, l.site_id AS siteId, l.frozen, l.qty FROM movement m JOIN lot l ON l.id = m.lot_id
       WHERE m.transfer_id = ?1 AND m.kind IN ('transfer_in', 'discard') ORDER BY m.id`,
    )
      .bind(id)
      .all()
    expect(ledger.results).toEqual([
      { kind: 'transfer_in', delta: 1, reason: expect.stringContaining('after thawing'), siteId: 'CD', frozen: 0, qty: 0 },
      { kind: 'discard', delta: -1, reason: 'thawed, unused', siteId: 'CD', frozen: 0, qty: 0 },
    ])
    // a thaw after the transfer left commit is refused
    expect((await call('POST', `/api/transfers/${id}/thaw`)).status).toBe(409)
  })

  it('cancelled before the thaw, frozen units go back to their frozen lot; a liquid transfer has nothing to thaw', async () => {
    const { lot, id } = await committedFrozenTransfer()
    expect((await call('POST', `/api/transfers/${id}/cancel`, { body: { reason: 'found locally' } })).status).toBe(200)
    expect(await lotQty(lot)).toBe(2)
    expect(await env.DB.prepare('SELECT frozen FROM lot WHERE id = ?1').bind(lot).first('frozen')).toBe(1)

    await resetWorld()
    const liquid = await move({ siteId: 'CD', kind: 'receipt', component: 'RBC', abo: 'O', rhd: '+', qty: 5, collectedAt: ago(2), expiresAt: ago(-30) })
    expect(liquid.status).toBe(201)
    const r = await addRequest({ site: 'YB', qty: 2, urgency: 'urgent' })
    const plan = await call('POST', '/api/plans', { body: { requestIds: [r] } })
    const t = plan.json.transfers[0]
    expect(t.frozen).toBe(false)
    const none = await call('POST', `/api/transfers/${t.id}/thaw`)
    expect(none.status).toBe(409)
    expect(none.json.error.code).toBe('not_frozen')
  })
})
