import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { stockRows } from '../../../worker/services/stock'
import { call, receiveLot, seedBase, uid } from '../fixtures'

beforeAll(() => seedBase())

const DAY = 86_400_000
const HOUR = 3_600_000
// One time base per file, so a lot collected 35 d before its expiry is exactly 35 d, not 1 ms over.
const NOW = Date.now()
const iso = (ms: number) => new Date(NOW + ms).toISOString()

async function newSite(province = 'Sichuan') {
  const id = uid('S').slice(0, 12)
  const res = await call('POST', '/api/sites', { body: { id, nameZh: '测试血站', nameEn: 'Test', kind: 'station', province, city: 'T', lat: 30, lng: 104 } })
  expect(res.status).toBe(201)
  return id
}
const issue = (siteId: string, lotId: string, qty: number) =>
  call('POST', '/api/movements', { headers: { 'idempotency-key': uid('k-') }, body: { siteId, kind: 'issue', lotId, qty } })

/** A transfer already committed towards a site (the plans workflow's job; written directly here). */
const transferTo = (to: string, qty: number, status: string, abo = 'O') =>
  env.DB.prepare(
    "INSERT INTO transfer (id, from_site, to_site, component, abo, rhd, proposed_qty, qty, eta_hours, status, created_at, updated_at) VALUES (?1, 'CD', ?2, 'RBC', ?3, '+', ?4, ?4, 5, ?5, ?6, ?6)",
  )
    .bind(uid('T'), to, abo, qty, status, iso(0))
    .run()

describe('GET /api/stock', () => {
  it('reports usable, expiring, in-transit units, average daily issue, days of supply, level and units', async () => {
    const site = await newSite()
    const good = await receiveLot(site, { qty: 10 })
    await receiveLot(site, { qty: 5, collectedAt: iso(-33 * DAY), expiresAt: iso(48 * HOUR) })
    await receiveLot(site, { qty: 3, collectedAt: iso(-40 * DAY), expiresAt: iso(-5 * DAY) }) // expired: not usable
    await receiveLot(site, { qty: 4, component: 'PLT', abo: 'A', collectedAt: iso(-1 * DAY), expiresAt: iso(3 * DAY) })
    expect((await issue(site, good, 7)).status).toBe(201)
    await transferTo(site, 6, 'committed')
    await transferTo(site, 2, 'dispatched')
    await transferTo(site, 50, 'approved') // not yet in transit
    await transferTo(site, 9, 'received') // already arrived

    const res = await call('GET', `/api/stock?site=${site}`, { as: 'planner' })
    expect(res.status).toBe(200)
    expect(res.json.rows).toEqual([
      {
        siteId: site,
        siteNameZh: '测试血站',
        siteNameEn: 'Test',
        province: 'Sichuan',
        component: 'RBC',
        abo: 'O',
        rhd: '+',
        onHand: 8,
        frozenOnHand: 0,
        inTransit: 8,
        expiring72h: 5,
        avgDailyIssue: 0.5,
        daysOfSupply: 16,
        level: 'normal',
        unitZh: 'U',
        unitEn: 'U',
        componentNameZh: '悬浮红细胞',
        componentNameEn: 'Red blood cells',
      },
      {
        siteId: site,
        siteNameZh: '测试血站',
        siteNameEn: 'Test',
        province: 'Sichuan',
        component: 'PLT',
        abo: 'A',
        rhd: '+',
        onHand: 4,
        frozenOnHand: 0,
        inTransit: 0,
        expiring72h: 4,
        avgDailyIssue: 0,
        daysOfSupply: null,
        level: 'normal',
        unitZh: '治疗量',
        unitEn: 'therapeutic dose',
        componentNameZh: '单采血小板',
        componentNameEn: 'Apheresis platelets',
      },
    ])
  })

  it('shows the warning level of the group', async () => {
    const site = await newSite()
    const lot = await receiveLot(site, { qty: 10, abo: 'B', rhd: '-' })
    expect((await issue(site, lot, 9)).status).toBe(201) // 1 left, 9/14 per day → 1.56 days: red
    const res = await call('GET', `/api/stock?site=${site}&level=red`)
    expect(res.json.rows).toHaveLength(1)
    expect(res.json.rows[0]).toMatchObject({ abo: 'B', rhd: '-', onHand: 1, avgDailyIssue: 0.64, daysOfSupply: 1.56, level: 'red' })
    expect((await call('GET', `/api/stock?site=${site}&level=normal`)).json.rows).toEqual([])
  })

  it('filters by component, group and province; 400 for a bad filter; 401 without a token', async () => {
    const site = await newSite('Chongqing')
    await receiveLot(site, { qty: 2, abo: 'AB', rhd: '-', component: 'FFP', collectedAt: iso(-DAY), expiresAt: iso(300 * DAY) })
    await receiveLot(site, { qty: 3, abo: 'O' })
    const ffp = await call('GET', `/api/stock?site=${site}&component=FFP`)
    expect(ffp.json.rows.map((r: any) => [r.component, r.abo, r.rhd, r.onHand])).toEqual([['FFP', 'AB', '-', 2]])
    expect((await call('GET', `/api/stock?site=${site}&abo=O&rhd=%2B`)).json.rows.map((r: any) => r.onHand)).toEqual([3])
    const cq = await call('GET', '/api/stock?province=Chongqing')
    expect(cq.json.rows.every((r: any) => r.province === 'Chongqing')).toBe(true)
    expect(cq.json.rows.some((r: any) => r.siteId === site)).toBe(true)
    expect((await call('GET', '/api/stock?abo=C')).json.error.field).toBe('abo')
    expect((await call('GET', '/api/stock?component=blood')).json.error.field).toBe('component')
    expect((await call('GET', '/api/stock', { as: null })).status).toBe(401)
  })

  it('stockRows() is reusable with a fixed clock: lots expired by then are not on hand', async () => {
    const site = await newSite()
    await receiveLot(site, { qty: 5, collectedAt: iso(-30 * DAY), expiresAt: iso(2 * DAY) })
    expect((await stockRows(env.DB, { site }))[0].onHand).toBe(5)
    expect((await stockRows(env.DB, { site }, iso(3 * DAY)))[0].onHand).toBe(0)
  })
})

describe('GET /api/stock/summary', () => {
  it('totals per component × group region-wide and counts sites per level', async () => {
    const site = await newSite('Chongqing')
    const before = await call('GET', '/api/stock/summary?province=Chongqing')
    const cryoBefore = before.json.groups.find((g: any) => g.component === 'CRYO' && g.abo === 'A' && g.rhd === '-')?.onHand ?? 0
    await receiveLot(site, { qty: 4, component: 'CRYO', abo: 'A', rhd: '-', collectedAt: iso(-DAY), expiresAt: iso(200 * DAY) })
    const res = await call('GET', '/api/stock/summary?province=Chongqing', { as: 'director' })
    expect(res.status).toBe(200)
    expect(res.json.groups.find((g: any) => g.component === 'CRYO' && g.abo === 'A' && g.rhd === '-')).toMatchObject({ onHand: cryoBefore + 4, unitEn: 'U' })
    expect(res.json.levels.map((l: any) => l.component)).toEqual(['WB', 'RBC', 'PLT', 'FFP', 'CRYO'])
    const sites = (await call('GET', '/api/sites?province=Chongqing')).json.sites.length
    for (const l of res.json.levels) expect(l.normal + l.yellow + l.orange + l.red).toBe(sites)
    expect((await call('GET', '/api/stock/summary', { as: null })).status).toBe(401)
  })

  it('totals each component over its groups, with days of supply from the summed issue rate', async () => {
    const site = await newSite('Chongqing')
    await receiveLot(site, { qty: 3, component: 'PLT', abo: 'B', rhd: '-', collectedAt: iso(-DAY), expiresAt: iso(4 * DAY) })
    const res = await call('GET', '/api/stock/summary?province=Chongqing')
    expect(res.status).toBe(200)
    expect(res.json.components.map((c: any) => c.component)).toEqual(['WB', 'RBC', 'PLT', 'FFP', 'CRYO'])
    for (const c of res.json.components) {
      const mine = res.json.groups.filter((g: any) => g.component === c.component)
      expect(c.onHand, c.component).toBe(mine.reduce((s: number, g: any) => s + g.onHand, 0))
      expect(c.inTransit, c.component).toBe(mine.reduce((s: number, g: any) => s + g.inTransit, 0))
      expect(c.avgDailyIssue, c.component).toBeCloseTo(
        mine.reduce((s: number, g: any) => s + g.avgDailyIssue, 0),
        2,
      )
      if (c.avgDailyIssue > 0) expect(c.daysOfSupply, c.component).toBeCloseTo(c.onHand / c.avgDailyIssue, 1)
      else expect(c.daysOfSupply, c.component).toBeNull()
    }
    expect(res.json.components.find((c: any) => c.component === 'PLT')).toMatchObject({ unitEn: expect.any(String) })
    expect(res.json.components.find((c: any) => c.component === 'PLT').onHand).toBeGreaterThanOrEqual(3)
  })
})

describe('GET /api/stock/lots', () => {
  it('lists in-date lots with stock, soonest expiry first; filters by expiry window, and can include empty or expired lots', async () => {
    const site = await newSite()
    const soon = await receiveLot(site, { qty: 2, collectedAt: iso(-33 * DAY), expiresAt: iso(30 * HOUR) })
    const later = await receiveLot(site, { qty: 3, antigens: ['Fy(a-)'] })
    const expired = await receiveLot(site, { qty: 1, collectedAt: iso(-36 * DAY), expiresAt: iso(-DAY) })
    const empty = await receiveLot(site, { qty: 1 })
    expect((await issue(site, empty, 1)).status).toBe(201)
    const all = await call('GET', `/api/stock/lots?site=${site}`)
    expect(all.status).toBe(200)
    expect(all.json.lots.map((l: any) => l.id)).toEqual([soon, later])
    expect(all.json.lots[1]).toMatchObject({ siteId: site, component: 'RBC', abo: 'O', rhd: '+', qty: 3, antigens: ['Fy(a-)'], province: 'Sichuan' })
    expect(all.json.lots[0].hoursToExpiry).toBeCloseTo(30, 0)
    expect((await call('GET', `/api/stock/lots?site=${site}&expiringWithinHours=72`)).json.lots.map((l: any) => l.id)).toEqual([soon])
    expect((await call('GET', `/api/stock/lots?site=${site}&includeExpired=true`)).json.lots.map((l: any) => l.id)).toEqual([expired, soon, later])
    expect((await call('GET', `/api/stock/lots?site=${site}&includeEmpty=true`)).json.lots.map((l: any) => l.id).sort()).toEqual([soon, later, empty].sort())
    expect((await call('GET', `/api/stock/lots?site=${site}&abo=A`)).json.lots).toEqual([])
    expect((await call('GET', '/api/stock/lots?expiringWithinHours=-1')).json.error.field).toBe('expiringWithinHours')
    expect((await call('GET', '/api/stock/lots?includeEmpty=yes')).json.error.field).toBe('includeEmpty')
  })
})

describe('GET /api/stock/rare', () => {
  it('finds in-date units with stock by antigen region-wide, and RhD-negative units', async () => {
    const antigen = `Kp${uid('').slice(-5)}`.replace(/[^A-Za-z0-9]/g, '')
    const cd = await receiveLot('CD', { qty: 2, abo: 'O', rhd: '-', antigens: ['Fy(a-)', antigen] })
    const yb = await receiveLot('YB', { qty: 1, abo: 'B', rhd: '+', antigens: [antigen] })
    await receiveLot('CQ', { qty: 1, antigens: [antigen], collectedAt: iso(-36 * DAY), expiresAt: iso(-DAY) }) // expired
    const used = await receiveLot('NC', { qty: 1, antigens: [antigen] })
    expect((await issue('NC', used, 1)).status).toBe(201)
    const res = await call('GET', `/api/stock/rare?antigen=${antigen}`, { as: 'planner' })
    expect(res.status).toBe(200)
    expect(res.json.lots.map((l: any) => [l.id, l.siteId, l.qty]).sort()).toEqual(
      [
        [cd, 'CD', 2],
        [yb, 'YB', 1],
      ].sort(),
    )
    const neg = await call('GET', `/api/stock/rare?antigen=${antigen}&rhd=-`)
    expect(neg.json.lots.map((l: any) => l.id)).toEqual([cd])
    const fy = await call('GET', `/api/stock/rare?antigen=${encodeURIComponent('Fy(a-)')}`)
    expect(fy.json.lots.map((l: any) => l.id)).toContain(cd)
    expect(fy.json.lots.every((l: any) => l.antigens.includes('Fy(a-)') && l.qty > 0)).toBe(true)
    const rhNeg = await call('GET', '/api/stock/rare?rhd=-')
    expect(rhNeg.json.lots.every((l: any) => l.rhd === '-')).toBe(true)
    expect(rhNeg.json.lots.map((l: any) => l.id)).toContain(cd)
    const none = await call('GET', '/api/stock/rare')
    expect(none.status).toBe(400)
    expect(none.json.error.field).toBe('antigen')
    expect((await call('GET', '/api/stock/rare?antigen=a%20b')).json.error.field).toBe('antigen')
    expect((await call('GET', '/api/stock/rare?rhd=-', { as: null })).status).toBe(401)
  })
})

describe('OpenAPI', () => {
  it('documents the stock, movement, CSV and warning routes', async () => {
    const res = await call('GET', '/api/openapi.json', { as: null })
    expect(res.status).toBe(200)
    const paths = res.json.paths
    for (const p of [
      '/api/stock',
      '/api/stock/summary',
      '/api/stock/lots',
      '/api/stock/rare',
      '/api/movements',
      '/api/movements/reconcile',
      '/api/csv/stock-count',
      '/api/csv/stock',
      '/api/csv/movements',
      '/api/warnings',
      '/api/warnings/events',
      '/api/warnings/policies',
      '/api/warnings/refresh',
    ])
      expect(Object.keys(paths), p).toContain(p)
    expect(Object.keys(paths['/api/movements'].post.responses).sort()).toEqual(['201', '400', '401', '403', '404', '409', '413', '429']) // 413: the body limit, 429: failed sign-ins are throttled, on every route
    expect(paths['/api/movements'].post.parameters.map((p: any) => p.name)).toContain('idempotency-key')
    expect(Object.keys(paths['/api/csv/stock-count'].post.requestBody.content)).toEqual(['text/csv'])
    expect(Object.keys(paths['/api/warnings/policies'])).toEqual(['get', 'put'])
    for (const s of ['MovementIn', 'MovementBatchResult', 'StockRow', 'WarningState', 'WarningPolicy', 'CsvInvalid'])
      expect(res.json.components.schemas[s], s).toBeDefined()
  })
})
