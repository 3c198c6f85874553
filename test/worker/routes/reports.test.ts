// The quarterly supply analysis (issue 23): who may read it, how a range is checked, and that its CSV's figures are
// the ledger's own sums (each compared with a SUM(movement.delta) query written here, independently of the report).
import { env } from 'cloudflare:workers'
import Papa from 'papaparse'
import { beforeAll, describe, expect, it } from 'vitest'
import { sha256Hex } from '../../../worker/lib/crypto'
import { lastFullQuarter } from '../../../worker/services/reports'
import { call, receiveLot, seedBase, uid, type Who } from '../fixtures'

const DAY = 86_400_000
/** Today in China time, the report's days. */
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10)
const H1 = 'YBRPT1'
const H2 = 'YBRPT2'
const HOSPITAL_TOKEN = 'test-hospital-yb-report-token'

beforeAll(async () => {
  await seedBase()
  const at = '2026-01-01T00:00:00Z'
  // two hospitals in Yibin's register: each becomes a site of kind 'hospital' under YB (migration 0057)
  await env.DB.batch([
    env.DB.prepare(
      "INSERT OR IGNORE INTO hospital (id, site_id, name_zh, name_en, created_at) VALUES (?1, 'YB', '宜宾市第一人民医院', 'Yibin First People''s Hospital', ?2)",
    ).bind(H1, at),
    env.DB.prepare(
      "INSERT OR IGNORE INTO hospital (id, site_id, name_zh, name_en, created_at) VALUES (?1, 'YB', '宜宾市第二人民医院', 'Yibin Second People''s Hospital', ?2)",
    ).bind(H2, at),
  ])
  await env.DB.prepare("INSERT OR IGNORE INTO user (id, name, role, site_id, token_hash, created_at) VALUES ('u-hosp-yb', '输血科', 'hospital', ?1, ?2, ?3)")
    .bind(H1, await sha256Hex(HOSPITAL_TOKEN), at)
    .run()
})

const report = (query: string, as: Who = 'coordinator') => call('GET', `/api/reports/supply?${query}`, { as })

describe('GET /api/reports/supply: who may read it', () => {
  it("the station's director, coordinators and admins; 403 for another station's director, a planner or a hospital", async () => {
    const q = `site=YB&from=${today()}&to=${today()}`
    for (const who of ['directorYB', 'coordinator', 'admin'] as const) expect((await report(q, who)).status, who).toBe(200)
    for (const who of ['director', 'planner'] as const) {
      const r = await report(q, who)
      expect(r.status, who).toBe(403)
      expect(r.json.error.code).toBe('forbidden')
    }
    const hospital = await call('GET', `/api/reports/supply?${q}`, { as: null, headers: { authorization: `Bearer ${HOSPITAL_TOKEN}` } })
    expect(hospital.status).toBe(403)
    expect((await call('GET', `/api/reports/supply?${q}`, { as: null })).status).toBe(401)
  })
})

describe('GET /api/reports/supply: the range and the site', () => {
  it('400 naming the field: from after to, more than 366 days, a day that does not exist, a malformed date', async () => {
    const cases: [string, string, string][] = [
      ['site=YB&from=2026-09-30&to=2026-07-01', 'to', 'range_reversed'],
      ['site=YB&from=2025-01-01&to=2026-01-02', 'to', 'range_too_long'],
      ['site=YB&from=2026-02-30&to=2026-03-31', 'from', 'invalid_date'],
      ['site=YB&from=2026-7-1&to=2026-09-30', 'from', 'invalid_input'],
      ['site=YB&format=pdf', 'format', 'invalid_input'],
    ]
    for (const [q, field, code] of cases) {
      const r = await report(q)
      expect(r.status, q).toBe(400)
      expect(r.json.error, q).toMatchObject({ field, code })
    }
    // one end given: the other is today, or the first day of the end's quarter
    expect((await report('site=YB&from=2026-11-01')).json.period).toMatchObject({ from: '2026-11-01', to: today() })
    expect((await report('site=YB&to=2026-08-15')).json.period).toMatchObject({ from: '2026-07-01', to: '2026-08-15' })
    // a whole leap year is allowed
    expect((await report('site=YB&from=2024-01-01&to=2024-12-31')).json.period.days).toBe(366)
  })

  it('404 for an unknown site, 400 for a hospital (its figures are in its station’s report)', async () => {
    const unknown = await report('site=NOPE')
    expect(unknown.status).toBe(404)
    expect(unknown.json.error.field).toBe('site')
    const hospital = await report(`site=${H1}`)
    expect(hospital.status).toBe(400)
    expect(hospital.json.error).toMatchObject({ field: 'site', code: 'not_a_station' })
  })

  it('the last full quarter: across a new year, and by China’s calendar at midnight', () => {
    expect(lastFullQuarter(new Date('2026-01-15T00:00:00Z'))).toEqual({ from: '2025-10-01', to: '2025-12-31' })
    expect(lastFullQuarter(new Date('2026-12-06T13:00:00Z'))).toEqual({ from: '2026-07-01', to: '2026-09-30' })
    // 00:30 on 1 April in China is still 31 March in UTC: the first quarter is over
    expect(lastFullQuarter(new Date('2026-03-31T16:30:00Z'))).toEqual({ from: '2026-01-01', to: '2026-03-31' })
    expect(lastFullQuarter(new Date('2026-03-31T15:30:00Z'))).toEqual({ from: '2025-10-01', to: '2025-12-31' })
    expect(lastFullQuarter(new Date('2024-05-01T00:00:00Z'))).toEqual({ from: '2024-01-01', to: '2024-03-31' })
  })

  it('defaults to the last full quarter, in China time', async () => {
    const r = await report('site=YB')
    expect(r.status).toBe(200)
    const { from, to, days, fromAt, toAt } = r.json.period
    expect(from).toMatch(/^\d{4}-(01|04|07|10)-01$/)
    expect(days).toBeGreaterThanOrEqual(90)
    expect(days).toBeLessThanOrEqual(92)
    expect(Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)).toBe((days - 1) * DAY)
    // the quarter is over, and the one after it has begun: today is within 92 days after its end
    expect(to < today()).toBe(true)
    expect(Date.parse(`${today()}T00:00:00Z`) - Date.parse(`${to}T00:00:00Z`)).toBeLessThanOrEqual(92 * DAY)
    // China's midnight is 16:00 UTC the day before
    expect(fromAt).toBe(new Date(Date.parse(`${from}T00:00:00Z`) - 8 * 3_600_000).toISOString())
    expect(Date.parse(toAt) - Date.parse(fromAt)).toBe(days * DAY)
  })
})

/** Independent sums over today's range (China time) of the ledger, per component. */
async function ledger(sql: string, fromAt: string, toAt: string) {
  const rows = await env.DB.prepare(sql).bind(fromAt, toAt).all<{ component: string; qty: number }>()
  return Object.fromEntries(rows.results.map((r) => [r.component, r.qty]))
}

describe('GET /api/reports/supply: the figures are the ledger’s', () => {
  it('CSV sums agree with SUM(movement.delta) for receipts, supply, returns, discards and expiries', async () => {
    const key = () => ({ 'idempotency-key': uid('rep-') })
    // collections at the station
    const rbc = await receiveLot('YB', { component: 'RBC', abo: 'O', qty: 40 })
    await receiveLot('YB', { component: 'PLT', abo: 'A', qty: 6, expiresAt: new Date(Date.now() + 3 * DAY).toISOString() })
    // an issue to hospital 1; a transfer to hospital 2's own blood bank; a return from it; a discard there
    const issue = await call('POST', '/api/movements', {
      headers: key(),
      body: { siteId: 'YB', kind: 'issue', lotId: rbc, qty: 8, urgency: 'emergency', hospitalId: H1 },
    })
    expect(issue.status, issue.text).toBe(201)
    // hospital 2's order, filled by the station from this lot and received in full (issue 23: a station supplies a
    // hospital's blood bank through orders only)
    const ordered = await call('POST', '/api/orders', {
      headers: key(),
      body: { hospitalId: H2, kind: 'routine', component: 'RBC', abo: 'O', rhd: '+', qty: 10, neededBy: new Date(Date.now() + 12 * 3_600_000).toISOString() },
    })
    expect(ordered.status, ordered.text).toBe(201)
    const filled = await call('POST', `/api/orders/${ordered.json.id}/fill`, {
      as: 'directorYB',
      headers: key(),
      body: { temperatureC: 4, carrier: '川Q·12345', lots: [{ lotId: rbc, qty: 10 }] },
    })
    expect(filled.status, filled.text).toBe(200)
    const got = await call('POST', `/api/orders/${ordered.json.id}/receive`, { headers: key(), body: { temperatureC: 5, receivedQty: 10 } })
    expect(got.status, got.text).toBe(200)
    const h2Lot = await env.DB.prepare('SELECT id FROM lot WHERE site_id = ?1 AND qty = 10').bind(H2).first<string>('id')
    expect(h2Lot).toBeTruthy()
    const sent = { json: { newLotId: h2Lot! } }
    const back = await call('POST', `/api/hospitals/${H2}/returns`, { headers: key(), body: { lotId: sent.json.newLotId, qty: 3 } })
    expect(back.status, back.text).toBe(201)
    const discard = await call('POST', '/api/movements', {
      headers: key(),
      body: { siteId: H2, kind: 'discard', lotId: sent.json.newLotId, qty: 2, reason: 'expired' },
    })
    expect(discard.status, discard.text).toBe(201)
    const broken = await call('POST', '/api/movements', {
      headers: key(),
      body: { siteId: H2, kind: 'discard', lotId: sent.json.newLotId, qty: 1, reason: 'bag broken' },
    })
    expect(broken.status, broken.text).toBe(201)

    const json = await report(`site=YB&from=${today()}&to=${today()}`, 'directorYB')
    expect(json.status).toBe(200)
    const { fromAt, toAt } = json.json.period
    const csv = await report(`site=YB&from=${today()}&to=${today()}&format=csv`, 'directorYB')
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toContain('text/csv')
    const rows = Papa.parse<Record<string, string>>(csv.text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data
    expect(rows.length).toBeGreaterThan(0)
    const csvSum = (section: string, measure?: string) => {
      const out: Record<string, number> = {}
      for (const r of rows) if (r.section === section && (!measure || r.measure === measure)) out[r.component] = (out[r.component] ?? 0) + Number(r.value)
      return out
    }

    const receipts = await ledger(
      `SELECT l.component, SUM(m.delta) AS qty FROM movement m JOIN lot l ON l.id = m.lot_id
       WHERE m.site_id = 'YB' AND m.kind = 'receipt' AND m.at >= ?1 AND m.at < ?2 GROUP BY l.component`,
      fromAt,
      toAt,
    )
    expect(receipts.RBC).toBeGreaterThanOrEqual(40)
    expect(receipts.PLT).toBeGreaterThanOrEqual(6)
    const received = csvSum('donations', 'received')
    for (const c of ['WB', 'RBC', 'PLT', 'FFP', 'CRYO']) expect(received[c] ?? 0, c).toBe(receipts[c] ?? 0)

    const issued = await ledger(
      `SELECT l.component, -SUM(m.delta) AS qty FROM movement m JOIN lot l ON l.id = m.lot_id JOIN hospital h ON h.id = m.hospital_id
       WHERE m.kind = 'issue' AND h.site_id = 'YB' AND m.at >= ?1 AND m.at < ?2 GROUP BY l.component`,
      fromAt,
      toAt,
    )
    const sentOut = await ledger(
      `SELECT l.component, -SUM(m.delta) AS qty FROM movement m JOIN lot l ON l.id = m.lot_id JOIN transfer t ON t.id = m.transfer_id
       JOIN site s ON s.id = t.to_site
       WHERE m.kind = 'transfer_out' AND s.kind = 'hospital' AND s.parent_id = 'YB' AND m.at >= ?1 AND m.at < ?2 GROUP BY l.component`,
      fromAt,
      toAt,
    )
    expect(issued.RBC).toBeGreaterThanOrEqual(8)
    expect(sentOut.RBC).toBeGreaterThanOrEqual(10)
    expect(csvSum('supplied').RBC).toBe(issued.RBC + sentOut.RBC)

    const returned = await ledger(
      `SELECT l.component, SUM(m.delta) AS qty FROM movement m JOIN lot l ON l.id = m.lot_id JOIN transfer t ON t.id = m.transfer_id
       JOIN site s ON s.id = t.from_site
       WHERE m.kind = 'transfer_in' AND m.site_id = 'YB' AND s.kind = 'hospital' AND m.at >= ?1 AND m.at < ?2 GROUP BY l.component`,
      fromAt,
      toAt,
    )
    expect(returned.RBC).toBeGreaterThanOrEqual(3)
    expect(csvSum('returned').RBC).toBe(returned.RBC)

    const discarded = await ledger(
      `SELECT l.component, -SUM(m.delta) AS qty FROM movement m JOIN lot l ON l.id = m.lot_id JOIN site s ON s.id = m.site_id
       WHERE m.kind = 'discard' AND s.kind = 'hospital' AND s.parent_id = 'YB' AND m.at >= ?1 AND m.at < ?2 GROUP BY l.component`,
      fromAt,
      toAt,
    )
    const expired = await ledger(
      `SELECT l.component, -SUM(m.delta) AS qty FROM movement m JOIN lot l ON l.id = m.lot_id JOIN site s ON s.id = m.site_id
       WHERE m.kind = 'discard' AND m.reason = 'expired' AND s.kind = 'hospital' AND s.parent_id = 'YB' AND m.at >= ?1 AND m.at < ?2 GROUP BY l.component`,
      fromAt,
      toAt,
    )
    expect(discarded.RBC).toBeGreaterThanOrEqual(3)
    expect(csvSum('discarded').RBC).toBe(discarded.RBC)
    expect(csvSum('expired').RBC).toBe(expired.RBC)
    expect(expired.RBC).toBeLessThan(discarded.RBC) // the broken bag is discarded, not expired

    // the JSON says the same, per hospital, every figure with its unit in the CSV
    const h2 = json.json.hospitals.find((h: any) => h.id === H2)
    expect(h2.supplied.RBC).toBe(
      await env.DB.prepare(
        `SELECT -SUM(m.delta) AS n FROM movement m JOIN transfer t ON t.id = m.transfer_id WHERE m.kind = 'transfer_out' AND t.to_site = ?1 AND m.at >= ?2 AND m.at < ?3`,
      )
        .bind(H2, fromAt, toAt)
        .first('n'),
    )
    expect(json.json.totals.supplied.RBC).toBe(csvSum('supplied').RBC)
    for (const r of rows) expect(r.unit, JSON.stringify(r)).not.toBe('')

    // the donation rate: estimated donations per 1,000 of the census population (migration 0059)
    const pop = await env.DB.prepare("SELECT people FROM site_population WHERE site_id = 'YB'").first<number>('people')
    expect(json.json.rate.population).toBe(pop)
    expect(json.json.rate.populationSource).toContain('census')
    const d = json.json.donations
    expect(d.wholeBloodUnits).toBe((receipts.RBC ?? 0) + (receipts.WB ?? 0))
    expect(json.json.rate.per1000).toBeCloseTo(((d.wholeBloodDonations + d.plateletDonations) / pop!) * 1000, 2)
  })

  it('counts the days at each warning level within the range from the level history', async () => {
    // YB red from 10 days ago until 4 days ago, then yellow: within the last 6 days, 2 red and 4 yellow (to now)
    const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString()
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO warning_event (site_id, component, abo, rhd, from_level, to_level, days_of_supply, at) VALUES ('NC', 'CRYO', '*', '*', 'normal', 'red', 1, ?1)",
      ).bind(ago(10)),
      env.DB.prepare(
        "INSERT INTO warning_event (site_id, component, abo, rhd, from_level, to_level, days_of_supply, at) VALUES ('NC', 'CRYO', '*', '*', 'red', 'yellow', 5, ?1)",
      ).bind(ago(4)),
    ])
    const from = new Date(Date.now() + 8 * 3_600_000 - 6 * DAY).toISOString().slice(0, 10)
    const r = await report(`site=NC&from=${from}&to=${today()}`)
    expect(r.status).toBe(200)
    const cryo = r.json.warningDays.find((w: any) => w.component === 'CRYO')
    const fromMs = Date.parse(r.json.period.fromAt)
    const expectRed = (Date.now() - 4 * DAY - fromMs) / DAY
    expect(cryo.red).toBeCloseTo(expectRed, 0)
    expect(cryo.yellow).toBeCloseTo(4, 0)
    expect(cryo.normal).toBe(0)
    expect(cryo.red + cryo.yellow + cryo.unrecorded).toBeCloseTo(r.json.period.days, 0)
  })
})
