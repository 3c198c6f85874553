// Warning rules that act (issue 12): red at once, a national default for provinces without a policy,
// the routine-issue cap at yellow / orange / red, and each station's level history.
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { dayStartCst } from '../../../worker/services/issue-caps'
import { call, seedBase, uid } from '../fixtures'

beforeAll(() => seedBase())

const DAY = 86_400_000
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString()

async function newSite(province: string) {
  const id = uid('R').slice(0, 12)
  const res = await call('POST', '/api/sites', { body: { id, nameZh: '测试', nameEn: 'Test', kind: 'station', province, city: 'T', lat: 30, lng: 104 } })
  expect(res.status).toBe(201)
  return id
}

/** `qty` O+ red cells received 20 days ago, then `perDay` issued each day 1..14 days ago (before today began). */
async function history(siteId: string, qty: number, perDay: number) {
  const lot = uid('H')
  const batch = uid('hb')
  const stmts = [
    env.DB.prepare("INSERT INTO movement_batch (id, actor_id, idempotency_key, request_hash, source, at) VALUES (?1, 'u-coord', ?1, 'h', 'seed', ?2)").bind(
      batch,
      ago(20),
    ),
    env.DB.prepare(
      "INSERT INTO lot (id, site_id, component, abo, rhd, collected_at, expires_at, qty, created_at) VALUES (?1, ?2, 'RBC', 'O', '+', ?3, ?4, 0, ?3)",
    ).bind(lot, siteId, ago(21), ago(-13)),
    env.DB.prepare("INSERT INTO movement (batch_id, lot_id, site_id, kind, delta, actor_id, at) VALUES (?1, ?2, ?3, 'receipt', ?4, 'u-coord', ?5)").bind(
      batch,
      lot,
      siteId,
      qty,
      ago(20),
    ),
  ]
  for (let k = 1; k <= 14; k++)
    stmts.push(
      env.DB.prepare("INSERT INTO movement (batch_id, lot_id, site_id, kind, delta, actor_id, at) VALUES (?1, ?2, ?3, 'issue', ?4, 'u-coord', ?5)").bind(
        batch,
        lot,
        siteId,
        -perDay,
        ago(k - 0.0001),
      ),
    )
  await env.DB.batch(stmts)
  return lot
}
const level = async (site: string) => (await call('GET', `/api/warnings?site=${site}&component=RBC&abo=*`)).json.warnings[0]?.level
const move = (body: Record<string, unknown>, as: 'coordinator' | 'director' = 'coordinator') =>
  call('POST', '/api/movements', { as, headers: { 'idempotency-key': uid('k-') }, body })

describe('red at once', () => {
  it('in Chongqing (3 consecutive days for a level) a straight fall to red is red at once', async () => {
    const site = await newSite('Chongqing')
    const lot = await history(site, 300, 10) // 160 left, 10/day: 16 days, normal for days
    await call('POST', `/api/warnings/refresh?site=${site}`)
    expect(await level(site)).toBe('normal')
    const discard = await move({ siteId: site, kind: 'discard', lotId: lot, qty: 140, reason: 'refrigerator failure' }) // 20 left: 2 days
    expect(discard.status, discard.text).toBe(201)
    expect(await level(site)).toBe('red')
    const periods = await call('GET', `/api/warnings/history?site=${site}&component=RBC`, { as: 'planner' })
    expect(periods.status).toBe(200)
    const [before, red] = periods.json.periods
    expect(periods.json.periods).toHaveLength(2)
    expect(before).toEqual({ component: 'RBC', abo: '*', rhd: '*', level: 'normal', from: null, to: red.from, daysOfSupply: null })
    expect(red).toEqual({ component: 'RBC', abo: '*', rhd: '*', level: 'red', from: expect.any(String), to: null, daysOfSupply: 2 })
    expect(Date.now() - Date.parse(red.from)).toBeLessThan(60_000)
  })
})

describe('a province without a policy', () => {
  it('is judged by the national default, never silently normal', async () => {
    const site = await newSite('Yunnan')
    await history(site, 200, 10) // 60 left: 6 days, yellow by the default (7 / 5 / 3)
    const r = await call('POST', `/api/warnings/refresh?site=${site}`)
    expect(r.status).toBe(200)
    expect(await level(site)).toBe('yellow')
  })
})

describe('the routine-issue cap', () => {
  it('at yellow cuts routine issues by 30 %: the cap is shown, and an issue beyond it needs a reason', async () => {
    const site = await newSite('Sichuan')
    const lot = await history(site, 200, 10) // 60 left, 10/day: 6 days, yellow
    await call('POST', `/api/warnings/refresh?site=${site}`)
    expect(await level(site)).toBe('yellow')
    const caps = await call('GET', `/api/warnings/caps?site=${site}`, { as: 'planner' })
    expect(caps.status).toBe(200)
    expect(caps.json.caps.find((c: any) => c.component === 'RBC')).toEqual({
      component: 'RBC',
      level: 'yellow',
      cutPct: 30,
      avgDailyIssue: 10,
      warningSince: expect.any(String),
      cap: 7,
      routineIssuedToday: 0,
      remaining: 7,
    })
    expect(caps.json.caps.find((c: any) => c.component === 'PLT')).toMatchObject({ level: 'normal', cap: null })

    expect((await move({ siteId: site, kind: 'issue', lotId: lot, qty: 5, reason: '县人民医院' })).status).toBe(201)
    // 5 of 7 issued today; 3 more would be 8
    const over = await move({ siteId: site, kind: 'issue', lotId: lot, qty: 3, reason: '县人民医院' })
    expect(over.status).toBe(400)
    expect(over.json.error).toMatchObject({ code: 'cap_reason_required', field: 'movements.0.capReason' })
    // emergency issues are not capped
    expect((await move({ siteId: site, kind: 'issue', lotId: lot, qty: 3, urgency: 'emergency', reason: '急诊大出血' })).status).toBe(201)
    const allowed = await move({ siteId: site, kind: 'issue', lotId: lot, qty: 3, reason: '县人民医院', capReason: '产科手术，院长批准' })
    expect(allowed.status, allowed.text).toBe(201)
    const row = await env.DB.prepare("SELECT urgency, cap_reason AS capReason FROM movement WHERE site_id = ?1 AND kind = 'issue' ORDER BY id DESC LIMIT 1")
      .bind(site)
      .first()
    expect(row).toEqual({ urgency: 'routine', capReason: '产科手术，院长批准' })
    const after = (await call('GET', `/api/warnings/caps?site=${site}`)).json.caps.find((c: any) => c.component === 'RBC')
    expect(after.routineIssuedToday).toBe(8)
    expect(after.remaining).toBe(0)
    expect((await call('GET', '/api/warnings/caps?site=NOPE')).status).toBe(404)
    expect((await call('GET', '/api/warnings/caps')).json.error.field).toBe('site')
  })

  it('counts a routine issue of a lot received in the same batch (issue 21: the cap was dodged by a receipt)', async () => {
    const site = await newSite('Sichuan')
    await history(site, 150, 10) // 10 left, 10/day: 1 day, red; cap = floor(10 × 0.3) = 3
    await call('POST', `/api/warnings/refresh?site=${site}`)
    expect(await level(site)).toBe('red')
    const before = (await call('GET', `/api/warnings/caps?site=${site}`)).json.caps.find((c: any) => c.component === 'RBC')
    expect(before).toMatchObject({ level: 'red', cap: 3, routineIssuedToday: 0, remaining: 3 })
    const lotId = uid('NEW')
    const receipt = { kind: 'receipt', lotId, component: 'RBC', abo: 'O', rhd: '+', qty: 50, collectedAt: ago(2), expiresAt: ago(-30) }
    const dodge = await move({ siteId: site, movements: [receipt, { kind: 'issue', lotId, qty: 50, reason: '县人民医院' }] })
    expect(dodge.status, dodge.text).toBe(400)
    expect(dodge.json.error).toMatchObject({ code: 'cap_reason_required', field: 'movements.1.capReason' })
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM lot WHERE id = ?1').bind(lotId).first('n')).toBe(0) // whole or nothing
    const allowed = await move({ siteId: site, movements: [receipt, { kind: 'issue', lotId, qty: 50, reason: '县人民医院', capReason: '批量手术，站长批准' }] })
    expect(allowed.status, allowed.text).toBe(201)
    const after = (await call('GET', `/api/warnings/caps?site=${site}`)).json.caps.find((c: any) => c.component === 'RBC')
    // the 50 issued today do not raise (or, capped, lower) the cap: it is the pre-warning average's
    expect(after).toMatchObject({ level: 'red', cap: 3, routineIssuedToday: 50, remaining: 0 })
  })

  it('a station red for three weeks keeps the cap of its pre-warning demand, and its days of supply divide by that demand', async () => {
    const site = await newSite('Sichuan')
    const lot = uid('RED')
    const batch = uid('rb')
    const stmt = (sql: string, ...args: unknown[]) => env.DB.prepare(sql).bind(...args)
    const issue = (daysAgo: number, qty: number) =>
      stmt(
        "INSERT INTO movement (batch_id, lot_id, site_id, kind, delta, actor_id, at, urgency) VALUES (?1, ?2, ?3, 'issue', ?4, 'u-coord', ?5, 'routine')",
        batch,
        lot,
        site,
        -qty,
        ago(daysAgo),
      )
    // 10 U a day for the two weeks before the warning, then red from 21 days ago with routine issues capped at 3 U a day
    const stmts = [
      stmt("INSERT INTO movement_batch (id, actor_id, idempotency_key, request_hash, source, at) VALUES (?1, 'u-coord', ?1, 'h', 'seed', ?2)", batch, ago(40)),
      stmt(
        "INSERT INTO lot (id, site_id, component, abo, rhd, collected_at, expires_at, qty, created_at) VALUES (?1, ?2, 'RBC', 'O', '+', ?3, ?4, 0, ?3)",
        lot,
        site,
        ago(41),
        ago(-5),
      ),
      stmt(
        "INSERT INTO movement (batch_id, lot_id, site_id, kind, delta, actor_id, at) VALUES (?1, ?2, ?3, 'receipt', 223, 'u-coord', ?4)",
        batch,
        lot,
        site,
        ago(40),
      ),
      stmt(
        "INSERT INTO warning_event (site_id, component, abo, rhd, from_level, to_level, days_of_supply, at) VALUES (?1, 'RBC', '*', '*', 'normal', 'red', 2.5, ?2)",
        site,
        ago(21),
      ),
      stmt(
        "INSERT INTO warning_state (site_id, component, abo, rhd, level, days_of_supply, since) VALUES (?1, 'RBC', '*', '*', 'red', 2.5, ?2)",
        site,
        ago(21),
      ),
    ]
    for (let k = 22; k <= 35; k++) stmts.push(issue(k - 0.5, 10))
    for (let k = 1; k <= 20; k++) stmts.push(issue(k, 3)) // before today began (UTC+8)
    stmts.push(issue(20.5, 3))
    await env.DB.batch(stmts) // 223 − 140 − 63 = 20 U left
    const cap = async () => (await call('GET', `/api/warnings/caps?site=${site}`)).json.caps.find((c: any) => c.component === 'RBC')
    // the last 14 days average 3 U/day: a cap from them would be floor(3 × 0.3) = 0, and cut again every day
    expect(await cap()).toMatchObject({ level: 'red', avgDailyIssue: 10, cap: 3, remaining: 3 })
    expect(Math.abs(Date.parse((await cap()).warningSince) - (Date.now() - 21 * DAY))).toBeLessThan(60_000)
    // 20 U ÷ 10 U/day = 2 days (red), not 20 ÷ 3 = 6.7 days (yellow at best)
    const stock = await call('GET', `/api/stock?site=${site}&component=RBC`)
    expect(stock.json.rows).toHaveLength(1)
    expect(stock.json.rows[0]).toMatchObject({ onHand: 20, avgDailyIssue: 10, daysOfSupply: 2 })
    expect((await call('POST', `/api/warnings/refresh?site=${site}`)).status).toBe(200)
    expect(await level(site)).toBe('red')
    expect(await cap()).toMatchObject({ level: 'red', avgDailyIssue: 10, cap: 3 })
    const periods = (await call('GET', `/api/warnings/history?site=${site}&component=RBC`)).json.periods
    expect(periods).toHaveLength(2)
    expect(periods[1]).toMatchObject({ level: 'red', to: null })
  })

  it('counts the day from local midnight (UTC+8)', () => {
    expect(dayStartCst('2026-12-01T15:59:00Z')).toBe('2026-11-30T16:00:00.000Z')
    expect(dayStartCst('2026-12-01T16:00:00Z')).toBe('2026-12-01T16:00:00.000Z')
  })
})
