import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { refreshAllWarnings } from '../../../worker/services/warnings'
import { call, seedBase, uid } from '../fixtures'

beforeAll(() => seedBase())

const DAY = 86_400_000
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString()

/** A fresh site in a province, so each test owns its levels. */
async function newSite(province: string) {
  const id = uid('W').slice(0, 12)
  const res = await call('POST', '/api/sites', { body: { id, nameZh: '测试', nameEn: 'Test', kind: 'station', province, city: 'T', lat: 30, lng: 104 } })
  expect(res.status).toBe(201)
  return id
}

/**
 * History written straight into the ledger with past times (the API records "now"): a lot received
 * `receivedDaysAgo` days ago, then `issuePerDay` units issued every day for `issueDays` days, half a day
 * before each day boundary. Returns the lot id.
 */
async function history(
  siteId: string,
  o: { qty: number; receivedDaysAgo: number; issuePerDay: number; issueDays: number; component?: string; abo?: string; rhd?: string },
) {
  const lot = uid('H')
  const batch = uid('hb')
  const stmts = [
    env.DB.prepare("INSERT INTO movement_batch (id, actor_id, idempotency_key, request_hash, source, at) VALUES (?1, 'u-coord', ?1, 'h', 'seed', ?2)").bind(
      batch,
      ago(o.receivedDaysAgo),
    ),
    env.DB.prepare(
      'INSERT INTO lot (id, site_id, component, abo, rhd, collected_at, expires_at, qty, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?6)',
    ).bind(lot, siteId, o.component ?? 'RBC', o.abo ?? 'O', o.rhd ?? '+', ago(o.receivedDaysAgo + 1), ago(o.receivedDaysAgo + 1 - 34)),
    env.DB.prepare("INSERT INTO movement (batch_id, lot_id, site_id, kind, delta, actor_id, at) VALUES (?1, ?2, ?3, 'receipt', ?4, 'u-coord', ?5)").bind(
      batch,
      lot,
      siteId,
      o.qty,
      ago(o.receivedDaysAgo),
    ),
  ]
  for (let k = 1; k <= o.issueDays; k++)
    stmts.push(
      env.DB.prepare("INSERT INTO movement (batch_id, lot_id, site_id, kind, delta, actor_id, at) VALUES (?1, ?2, ?3, 'issue', ?4, 'u-coord', ?5)").bind(
        batch,
        lot,
        siteId,
        -o.issuePerDay,
        ago(k - 0.5),
      ),
    )
  await env.DB.batch(stmts)
  return lot
}

const levels = async (site: string) => {
  const res = await call('GET', `/api/warnings?site=${site}`, { as: 'planner' })
  expect(res.status).toBe(200)
  return Object.fromEntries(res.json.warnings.map((w: any) => [`${w.component}|${w.abo}|${w.rhd}`, [w.level, w.daysOfSupply]]))
}
const events = async (site: string) => (await call('GET', `/api/warnings/events?site=${site}`)).json.events

describe('warning levels from the ledger', () => {
  it('declares yellow from days of supply, records the change, and follows a movement write to red and back', async () => {
    const site = await newSite('Sichuan')
    const lot = await history(site, { qty: 200, receivedDaysAgo: 20, issuePerDay: 10, issueDays: 14 }) // 60 left, 10/day: 6 days
    const refresh = await call('POST', `/api/warnings/refresh?site=${site}`)
    expect(refresh.status).toBe(200)
    expect(refresh.json).toMatchObject({ evaluated: 2, changes: 2 })
    expect(await levels(site)).toEqual({ 'RBC|*|*': ['yellow', 6], 'RBC|O|+': ['yellow', 6] })
    const first = await events(site)
    expect(first.map((e: any) => [e.abo, e.rhd, e.fromLevel, e.toLevel, e.daysOfSupply]).sort()).toEqual([
      ['*', '*', null, 'yellow', 6],
      ['O', '+', null, 'yellow', 6],
    ])
    expect(first.every((e: any) => e.siteId === site && e.component === 'RBC' && Math.abs(Date.parse(e.at) - Date.now()) < 60_000)).toBe(true)

    // A refresh that changes nothing records nothing.
    expect((await call('POST', `/api/warnings/refresh?site=${site}`)).json.changes).toBe(0)
    expect(await events(site)).toHaveLength(2)

    // Issuing 35 (60 → 25 left, 175 issued in 14 days = 12.5/day → 2 days) drops it to red at once. At yellow the
    // day's routine cap is 7 (10/day cut by 30 %), so so large a routine issue needs a reason.
    const issue = await call('POST', '/api/movements', {
      headers: { 'idempotency-key': uid('k-') },
      body: { siteId: site, kind: 'issue', lotId: lot, qty: 35, capReason: 'mass casualty' },
    })
    expect(issue.status).toBe(201)
    expect(await levels(site)).toEqual({ 'RBC|*|*': ['red', 2], 'RBC|O|+': ['red', 2] })
    const second = await events(site)
    expect(second).toHaveLength(4)
    expect(second.slice(0, 2).map((e: any) => [e.fromLevel, e.toLevel])).toEqual([
      ['yellow', 'red'],
      ['yellow', 'red'],
    ])
    expect(second[0].id).toBeGreaterThan(second[2].id)

    // A receipt of another group raises the component as a whole but not O+.
    const receipt = await call('POST', '/api/movements', {
      headers: { 'idempotency-key': uid('k-') },
      body: { siteId: site, kind: 'receipt', component: 'RBC', abo: 'A', rhd: '+', qty: 200, collectedAt: ago(1), expiresAt: ago(-30) },
    })
    expect(receipt.status).toBe(201)
    const after = await levels(site)
    expect(after['RBC|*|*']).toEqual(['normal', 18])
    expect(after['RBC|O|+']).toEqual(['red', 2])
    expect(after['RBC|A|+']).toEqual(['normal', null])
    expect((await events(site))[0]).toMatchObject({ abo: '*', fromLevel: 'red', toLevel: 'normal' })
  })

  it('in Chongqing a level needs 3 consecutive daily readings below it', async () => {
    // 10/day for 20 days. Stock now, a day ago, two days ago: 40, 50, 60 → 4, 5, 6 days: three days under
    // yellow (7), only one under orange (5) → yellow, though today alone would read orange.
    const three = await newSite('Chongqing')
    await history(three, { qty: 240, receivedDaysAgo: 25, issuePerDay: 10, issueDays: 20 })
    // 65, 75, 85 → 6.5, 7.5, 8.5: under yellow only today → normal in Chongqing, yellow in Sichuan.
    const one = await newSite('Chongqing')
    await history(one, { qty: 265, receivedDaysAgo: 25, issuePerDay: 10, issueDays: 20 })
    const sichuan = await newSite('Sichuan')
    await history(sichuan, { qty: 265, receivedDaysAgo: 25, issuePerDay: 10, issueDays: 20 })
    await refreshAllWarnings(env.DB)
    expect((await levels(three))['RBC|*|*']).toEqual(['yellow', 4])
    expect((await levels(one))['RBC|*|*']).toEqual(['normal', 6.5])
    expect((await levels(sichuan))['RBC|*|*']).toEqual(['yellow', 6.5])
    expect(await events(one)).toEqual([])
  })

  it('no use means no warning, even with no stock', async () => {
    const site = await newSite('Sichuan')
    await history(site, { qty: 5, receivedDaysAgo: 3, issuePerDay: 0, issueDays: 0, component: 'PLT' })
    await call('POST', `/api/warnings/refresh?site=${site}`)
    expect(await levels(site)).toEqual({ 'PLT|*|*': ['normal', null], 'PLT|O|+': ['normal', null] })
  })
})

describe('GET /api/warnings', () => {
  it('filters by level, minimum level, component and group; 400 for a bad filter; 401 without a token', async () => {
    const site = await newSite('Sichuan')
    await history(site, { qty: 200, receivedDaysAgo: 20, issuePerDay: 10, issueDays: 14, component: 'WB', abo: 'B' })
    await call('POST', `/api/warnings/refresh?site=${site}`)
    const yellow = await call('GET', `/api/warnings?site=${site}&level=yellow&abo=*`)
    expect(yellow.json.warnings).toEqual([
      { siteId: site, province: 'Sichuan', component: 'WB', abo: '*', rhd: '*', level: 'yellow', daysOfSupply: 6, since: expect.any(String) },
    ])
    expect((await call('GET', `/api/warnings?site=${site}&minLevel=orange`)).json.warnings).toEqual([])
    expect((await call('GET', `/api/warnings?site=${site}&minLevel=yellow&component=WB&abo=B&rhd=%2B`)).json.warnings).toHaveLength(1)
    expect((await call('GET', '/api/warnings?level=purple')).json.error.field).toBe('level')
    expect((await call('GET', '/api/warnings/events?limit=0')).json.error.field).toBe('limit')
    expect((await call('GET', '/api/warnings', { as: null })).status).toBe(401)
  })
})

describe('POST /api/warnings/refresh', () => {
  it('coordinators and admins only', async () => {
    expect((await call('POST', '/api/warnings/refresh', { as: 'planner' })).status).toBe(403)
    expect((await call('POST', '/api/warnings/refresh', { as: 'director' })).status).toBe(403)
    expect((await call('POST', '/api/warnings/refresh', { as: null })).status).toBe(401)
    const all = await call('POST', '/api/warnings/refresh', { as: 'admin' })
    expect(all.status).toBe(200)
    expect(all.json.evaluated).toBeGreaterThan(0)
  })

  it('404 for a site that does not exist (not 200 with nothing evaluated)', async () => {
    const res = await call('POST', '/api/warnings/refresh?site=NOPE')
    expect(res.status).toBe(404)
    expect(res.json.error).toMatchObject({ code: 'not_found', message: 'No site NOPE' })
  })
})

describe('/api/warnings/policies', () => {
  const policy = (province: string, extra: Record<string, unknown> = {}) => ({
    province,
    component: 'RBC',
    yellowDays: 10,
    orangeDays: 8,
    redDays: 4,
    consecutiveDays: 1,
    ...extra,
  })

  it('lists the seeded policies', async () => {
    const res = await call('GET', '/api/warnings/policies?province=Chongqing&component=RBC', { as: 'planner' })
    expect(res.status).toBe(200)
    expect(res.json.policies).toEqual([
      {
        province: 'Chongqing',
        component: 'RBC',
        yellowDays: 7,
        orangeDays: 5,
        redDays: 3,
        consecutiveDays: 3,
        cutYellowPct: 30,
        cutOrangePct: 50,
        cutRedPct: 70,
        updatedAt: expect.any(String),
      },
    ])
    // Sichuan and Chongqing × 5 components, and the national default ('*', migration 0040) × 5
    const all = (await call('GET', '/api/warnings/policies')).json.policies
    expect(all).toHaveLength(15)
    expect(
      all
        .filter((p: any) => p.province === '*')
        .map((p: any) => p.component)
        .sort(),
    ).toEqual(['CRYO', 'FFP', 'PLT', 'RBC', 'WB'])
  })

  it('a coordinator sets a policy: stored, audited, and levels in the province recomputed', async () => {
    const province = uid('Prov')
    const site = await newSite(province)
    await history(site, { qty: 200, receivedDaysAgo: 20, issuePerDay: 10, issueDays: 14 }) // 6 days
    await call('POST', `/api/warnings/refresh?site=${site}`)
    // no policy for this province yet: the national default judges it (7 / 5 / 3 days), never silently normal
    expect((await levels(site))['RBC|*|*']).toEqual(['yellow', 6])
    const res = await call('PUT', '/api/warnings/policies', { body: policy(province) })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ province, component: 'RBC', yellowDays: 10, orangeDays: 8, redDays: 4, consecutiveDays: 1, cutYellowPct: 30 })
    expect((await levels(site))['RBC|*|*']).toEqual(['orange', 6])
    const audit = await call('GET', `/api/audit?entity=warning_policy&entityId=${encodeURIComponent(`${province}/RBC`)}`, { as: 'admin' })
    expect(audit.json.entries).toHaveLength(1)
    expect(audit.json.entries[0]).toMatchObject({ action: 'warning_policy.update', actorId: 'u-coord' })
    const again = await call('PUT', '/api/warnings/policies', { as: 'admin', body: policy(province, { yellowDays: 5, orangeDays: 3, redDays: 1 }) })
    expect(again.status).toBe(200)
    expect((await levels(site))['RBC|*|*']).toEqual(['normal', 6])
  })

  it('400 unless yellow > orange > red > 0; 403 for a director or planner; 401 without a token', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [policy('Sichuan', { yellowDays: 8 }), 'yellowDays'],
      [policy('Sichuan', { orangeDays: 3 }), 'orangeDays'],
      [policy('Sichuan', { redDays: 0 }), 'redDays'],
      [policy('Sichuan', { component: 'XX' }), 'component'],
      [policy('Sichuan', { consecutiveDays: 0 }), 'consecutiveDays'],
      [policy(''), 'province'],
      [policy('Atlantis'), 'province'], // no site is there
      [policy('Sichuan', { redDays: 0.00001 }), 'redDays'], // thresholds are in half days, at least 0.5
      [policy('Sichuan', { redDays: 0.25 }), 'redDays'],
      [policy('Sichuan', { orangeDays: 4.2 }), 'orangeDays'],
      [policy('Sichuan', { yellowDays: 400 }), 'yellowDays'],
      [policy('Sichuan', { colour: 'red' }), 'colour'], // an unknown key is named
    ]
    for (const [body, field] of cases) {
      const res = await call('PUT', '/api/warnings/policies', { body })
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.json.error.field).toBe(field)
    }
    expect((await call('PUT', '/api/warnings/policies', { as: 'director', body: policy('Sichuan') })).status).toBe(403)
    expect((await call('PUT', '/api/warnings/policies', { as: 'planner', body: policy('Sichuan') })).status).toBe(403)
    expect((await call('PUT', '/api/warnings/policies', { as: null, body: policy('Sichuan') })).status).toBe(401)
    const half = uid('Half')
    await newSite(half)
    expect((await call('PUT', '/api/warnings/policies', { body: policy(half, { yellowDays: 9.5, orangeDays: 6.5, redDays: 0.5 }) })).status).toBe(200)
    expect((await call('GET', '/api/warnings/policies?province=Atlantis')).json.policies).toEqual([])
    const unchanged = await call('GET', '/api/warnings/policies?province=Sichuan&component=RBC')
    expect(unchanged.json.policies[0]).toMatchObject({ yellowDays: 7, orangeDays: 5, redDays: 3 })
  })
})
