// The quarterly supply analysis in Chromium (issue 23): the Yibin director's report for the last full quarter renders
// in Chinese with the API's figures, prints on A4 portrait with no hospital's row split across pages, and its CSV
// download carries the same totals. The demo's ledger reaches back 60 days only, so this file loads a quarter of
// Yibin's history of its own (test data: 30 more county hospitals, daily collections, issues and discards).
import { readFileSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import Papa from 'papaparse'
import { describe, expect, it } from 'vitest'
import { DEMO_TOKENS } from '../../seed/demo'
import { apiGet, eventually } from './api'
import { openApp, overflow, pageErrors } from './browser'
import { useApp } from './harness'
import { pdfLinks } from './pdf-links'
import type { Server } from './server'
import { englishWords, rawKeys } from './visible-text'

const DAY = 86_400_000
const CHINA = 8 * 3_600_000

/** The last full quarter before now, China time: its first day and its number of days. */
function lastQuarter(now = Date.now()) {
  const local = new Date(now + CHINA)
  const q = Math.floor(local.getUTCMonth() / 3)
  const start = Date.UTC(local.getUTCFullYear(), (q - 1) * 3, 1)
  const end = Date.UTC(local.getUTCFullYear(), q * 3, 1)
  return {
    from: new Date(start).toISOString().slice(0, 10),
    to: new Date(end - DAY).toISOString().slice(0, 10),
    days: (end - start) / DAY,
    startMs: start - CHINA,
  }
}

const COUNTIES = ['翠屏区', '叙州区', '南溪区', '江安县', '长宁县', '高县', '珙县', '筠连县', '兴文县', '屏山县']
const KINDS = ['人民医院', '中医医院', '妇幼保健院']
const HOSPITALS = COUNTIES.flatMap((c, i) => KINDS.map((k, j) => ({ id: `YBQ${String(i * 3 + j + 1).padStart(2, '0')}`, nameZh: `宜宾市${c}${k}`, county: c })))

/** Test data: every day of the quarter, a red-cell and a platelet lot collected at YB and issued to each hospital. */
function quarterHistory(q: ReturnType<typeof lastQuarter>) {
  const iso = (ms: number) => new Date(ms).toISOString()
  const lit = (v: string | number) => (typeof v === 'number' ? String(v) : `'${v}'`)
  const values = (rows: (string | number)[][]) => rows.map((r) => `(${r.map(lit).join(',')})`).join(',\n')
  // D1 caps a statement's length: 200 rows a statement
  const chunks = (rows: (string | number)[][], sql: (v: string) => string) =>
    Array.from({ length: Math.ceil(rows.length / 200) }, (_, i) => sql(values(rows.slice(i * 200, i * 200 + 200))))
  const admin = "(SELECT id FROM user WHERE role = 'admin' ORDER BY id LIMIT 1)"
  const lots: (string | number)[][] = []
  const batches: (string | number)[][] = []
  const receipts: (string | number)[][] = []
  const issues: (string | number)[][] = []
  const discards: (string | number)[][] = []
  let suppliedRbc = 0
  let suppliedPlt = 0
  let expiredPlt = 0
  for (let k = 0; k < q.days; k++) {
    const day = q.startMs + k * DAY
    const batch = `rq-${k}`
    batches.push([batch, batch, iso(day + 9 * 3_600_000)])
    const rbc = HOSPITALS.map((_, i) => 1 + ((k + i) % 3))
    const plt: number[] = HOSPITALS.map((_, i) => ((k + i) % 10 === 0 ? 1 : 0))
    const pltDiscard = k + 6 < q.days ? 1 : 0 // one dose a day outdates, discarded the day after its expiry (5 days)
    const rbcLot = `RQ-RBC-${k}`
    const pltLot = `RQ-PLT-${k}`
    lots.push([rbcLot, 'RBC', iso(day + 3_600_000), iso(day + 3_600_000 + 35 * DAY), iso(day + 9 * 3_600_000)])
    lots.push([pltLot, 'PLT', iso(day + 3_600_000), iso(day + 3_600_000 + 5 * DAY), iso(day + 9 * 3_600_000)])
    const rbcIn = rbc.reduce((a, b) => a + b, 0)
    const pltIn = plt.reduce((a, b) => a + b, 0) + pltDiscard
    receipts.push([batch, rbcLot, rbcIn, iso(day + 9 * 3_600_000)])
    if (pltIn) receipts.push([batch, pltLot, pltIn, iso(day + 9 * 3_600_000)])
    HOSPITALS.forEach((h, i) => {
      issues.push([batch, rbcLot, -rbc[i], h.id, iso(day + 10 * 3_600_000 + i * 60_000)])
      if (plt[i]) issues.push([batch, pltLot, -plt[i], h.id, iso(day + 11 * 3_600_000 + i * 60_000)])
    })
    if (pltDiscard) discards.push([batch, pltLot, -1, iso(day + 6 * DAY)])
    suppliedRbc += rbcIn
    suppliedPlt += pltIn - pltDiscard
    expiredPlt += pltDiscard
  }
  const sql = [
    `INSERT INTO hospital (id, site_id, name_zh, name_en, county, created_at) VALUES\n${values(HOSPITALS.map((h) => [h.id, 'YB', h.nameZh, '', h.county, iso(q.startMs - 400 * DAY)]))}`,
    ...chunks(
      batches,
      (v) =>
        `INSERT INTO movement_batch (id, actor_id, idempotency_key, request_hash, source, at) SELECT column1, ${admin}, column2, 'test', 'seed', column3 FROM (VALUES\n${v})`,
    ),
    ...chunks(
      lots,
      (v) =>
        `INSERT INTO lot (id, site_id, component, abo, rhd, antigens, collected_at, expires_at, qty, created_at) SELECT column1, 'YB', column2, 'O', '+', '', column3, column4, 0, column5 FROM (VALUES\n${v})`,
    ),
    ...chunks(
      receipts,
      (v) =>
        `INSERT INTO movement (batch_id, lot_id, site_id, kind, delta, reason, actor_id, at) SELECT column1, column2, 'YB', 'receipt', column3, 'collection', ${admin}, column4 FROM (VALUES\n${v})`,
    ),
    ...chunks(
      issues,
      (v) =>
        `INSERT INTO movement (batch_id, lot_id, site_id, kind, delta, reason, actor_id, at, hospital_id, urgency) SELECT column1, column2, 'YB', 'issue', column3, 'hospital issue', ${admin}, column5, column4, 'routine' FROM (VALUES\n${v})`,
    ),
    ...chunks(
      discards,
      (v) =>
        `INSERT INTO movement (batch_id, lot_id, site_id, kind, delta, reason, actor_id, at) SELECT column1, column2, 'YB', 'discard', column3, 'expired', ${admin}, column4 FROM (VALUES\n${v})`,
    ),
    // red cells: yellow from day 20, orange from day 26, back to normal on day 40
    `INSERT INTO warning_event (site_id, component, abo, rhd, from_level, to_level, days_of_supply, at) VALUES
      ('YB', 'RBC', '*', '*', 'normal', 'yellow', 6.2, '${iso(q.startMs + 20 * DAY)}'),
      ('YB', 'RBC', '*', '*', 'yellow', 'orange', 4.1, '${iso(q.startMs + 26 * DAY)}'),
      ('YB', 'RBC', '*', '*', 'orange', 'normal', 7.5, '${iso(q.startMs + 40 * DAY)}')`,
  ]
  return { sql: `${sql.join(';\n')};\n`, suppliedRbc, suppliedPlt, expiredPlt }
}

const quarter = lastQuarter()
const history = quarterHistory(quarter)
let server: Server
let browser: Browser
useApp(
  (s, b) => {
    server = s
    browser = b
  },
  { extraSql: history.sql },
)

type Report = {
  period: { from: string; to: string; days: number }
  hospitals: { id: string; nameZh: string; supplied: Record<string, number> }[]
  totals: { supplied: Record<string, number>; expired: Record<string, number> }
  station: { expired: Record<string, number> }
  warningDays: { component: string; normal: number; yellow: number; orange: number; red: number }[]
}

describe('the supply analysis page', () => {
  it("renders Yibin's last quarter for its director in Chinese, with the API's figures, prints on A4 with no row split, and downloads its CSV", async () => {
    const token = DEMO_TOKENS['director-yb']
    const rep = await apiGet<Report>(server.url, token, '/api/reports/supply?site=YB')
    // the default range is the last full quarter; every figure there is this file's history
    expect(rep.period).toMatchObject({ from: quarter.from, to: quarter.to, days: quarter.days })
    expect(rep.totals.supplied.RBC).toBe(history.suppliedRbc)
    expect(rep.totals.supplied.PLT).toBe(history.suppliedPlt)
    expect(rep.station.expired.PLT).toBe(history.expiredPlt)
    expect(rep.hospitals.length).toBe(HOSPITALS.length)
    const rbcDays = rep.warningDays.find((w) => w.component === 'RBC')!
    expect([rbcDays.yellow, rbcDays.orange]).toEqual([6, 14])

    const page = await openApp(browser, server.url, { token, lang: 'zh', path: '/report' })
    const errors = pageErrors(page)
    const rows = page.locator('.report-table.supplied tbody tr:not(.total)')
    await eventually(() => rows.count()).toBe(HOSPITALS.length)
    await eventually(() => page.locator('.report-page h2').textContent()).toContain('宜宾')
    expect(await page.locator('.period').textContent()).toContain(`${quarter.from} 至 ${quarter.to}（${quarter.days} 天）`)
    // the total row's red cells read the API's total; each hospital's row its own figure
    const digits = (s: string | null) => Number((s ?? '').replace(/[^\d.]/g, ''))
    const rbcCol = 1 + ['RBC', 'WB', 'PLT', 'FFP', 'CRYO'].indexOf('RBC') + 1
    expect(digits(await page.locator(`.report-table.supplied tr.total td:nth-child(${rbcCol})`).textContent())).toBe(history.suppliedRbc)
    for (const h of rep.hospitals.slice(0, 5))
      expect(digits(await page.locator(`.report-table.supplied tr[data-row="${h.id}"] td:nth-child(${rbcCol})`).textContent()), h.id).toBe(h.supplied.RBC)
    // Chinese throughout: no English words, no raw keys; units in every header
    const text = (await page.locator('.report-page').innerText()) ?? ''
    expect(englishWords(text)).toEqual([])
    expect(rawKeys(text)).toEqual([])
    const headers = await page.locator('.report-table.supplied thead th').allTextContents()
    expect(headers.slice(1).every((h) => /（.+）$/.test(h)) && headers.length === 6).toBe(true)
    expect(await page.locator('.report-table.levels').textContent()).toContain('天')

    // A4 portrait less 12 mm margins, in CSS px: the print layout's width
    const printWidth = Math.floor(((210 - 24) / 25.4) * 96)
    await page.emulateMedia({ media: 'print' })
    await page.setViewportSize({ width: printWidth, height: 900 })
    const layout = await page.locator('.report-table tbody tr[data-row]').evaluateAll((els) =>
      els.flatMap((tr) => {
        const a = tr.querySelector('a.hospital-name')
        return a ? [{ href: a.getAttribute('href')!, belowLinkTop: tr.getBoundingClientRect().bottom - a.getBoundingClientRect().top }] : []
      }),
    )
    expect(layout.length).toBeGreaterThan(HOSPITALS.length)
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true })
    const { pages, links } = pdfLinks(pdf)
    expect(pages, 'the report runs over more than one page').toBeGreaterThanOrEqual(2)
    const pageHeightPt = (297 / 25.4) * 72
    const marginPt = (12 / 25.4) * 72
    // the page is portrait: a link's right edge is never beyond the A4 width
    expect(Math.max(...links.map((l) => l.rect[2]))).toBeLessThanOrEqual((210 / 25.4) * 72)
    for (const href of new Set(layout.map((l) => l.href))) {
      const mine = layout.filter((l) => l.href === href)
      const printed = links.filter((l) => l.uri === server.url + href)
      expect(printed.length, `${href} printed once per row, on one line`).toBe(mine.length)
      printed.forEach(({ page: p, rect }, i) => {
        // the row's bottom, measured down from its link's top: inside the same page's printable area
        expect(rect[3] - mine[i].belowLinkTop * 0.75, `${href} row ${i} on page ${p}`).toBeGreaterThanOrEqual(marginPt - 1.5)
        expect(rect[3]).toBeLessThanOrEqual(pageHeightPt - marginPt + 1.5)
      })
    }
    expect(new Set(links.filter((l) => l.uri.includes('/sites/YBQ')).map((l) => l.page)).size, 'rows on more than one page').toBeGreaterThanOrEqual(2)
    await page.emulateMedia({ media: 'screen' })

    // the CSV download: the same totals, every figure with its unit
    await page.setViewportSize({ width: 1400, height: 900 })
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button.csv')])
    const csv = Papa.parse<Record<string, string>>(readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, ''), {
      header: true,
      skipEmptyLines: true,
    }).data
    const sum = (section: string, component: string) =>
      csv.filter((r) => r.section === section && r.component === component).reduce((a, r) => a + Number(r.value), 0)
    expect(sum('supplied', 'RBC')).toBe(history.suppliedRbc)
    expect(sum('supplied', 'PLT')).toBe(history.suppliedPlt)
    expect(sum('station_expired', 'PLT')).toBe(history.expiredPlt)
    expect(csv.filter((r) => r.unit === '').length).toBe(0)
    expect(errors).toEqual([])
  })

  it('a coordinator picks the station and the dates; a bad range is refused with its reason', async () => {
    const page = await openApp(browser, server.url, { token: DEMO_TOKENS.coordinator, lang: 'en', path: '/report' })
    await page.selectOption('select[name=site]', 'YB')
    await page.fill('input[name=from]', quarter.to)
    await page.fill('input[name=to]', quarter.from)
    await page.click('button.show')
    await eventually(() => page.locator('.report-page .error').textContent()).toContain('before the start')
    await page.fill('input[name=from]', quarter.from)
    await page.fill('input[name=to]', quarter.to)
    await page.click('button.show')
    await eventually(() => page.locator('.report-table.supplied tbody tr:not(.total)').count()).toBe(HOSPITALS.length)
    const text = await page.locator('.report-page').innerText()
    expect(rawKeys(text)).toEqual([])
    expect(text).toContain('donations per 1,000 people')
  })
})

describe('machine tokens on the accounts page', () => {
  it("an admin makes a hospital system's feed token: the site is asked for, the token shown once, the list names the role", async () => {
    const page = await openApp(browser, server.url, { token: DEMO_TOKENS.admin, lang: 'zh', path: '/admin' })
    await page.locator('table.user-table').waitFor()
    const form = page.locator('form.user-form')
    await form.locator('input[name=name]').fill('宜宾市第一人民医院 HIS')
    await form.locator('select[name=role]').selectOption('feed')
    await form.locator('select[name=siteId] option[value="YB1"]').waitFor({ state: 'attached' })
    await form.locator('select[name=siteId]').selectOption('YB1')
    await form.locator('input[name=label]').fill('HIS 接口')
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/users') && r.request().method() === 'POST')
    await form.locator('button.add-user').click()
    const res = await answered
    expect(res.status()).toBe(201)
    const made = (await res.json()) as { user: { id: string; role: string; siteId: string }; token: { token: string } }
    expect(made.user).toMatchObject({ role: 'feed', siteId: 'YB1' })
    await page.locator('.new-token code').waitFor()
    expect(await page.locator('.new-token code').textContent()).toBe(made.token.token)
    await eventually(() => page.locator('table.user-table').textContent()).toContain('机器接口')
    // the token feeds its hospital, and nothing else
    const snap = await fetch(`${server.url}/api/feed/snapshot?site=YB1`, {
      method: 'POST',
      headers: { authorization: `Bearer ${made.token.token}`, 'idempotency-key': 'ui-feed-0001', 'content-type': 'text/csv' },
      body: `lot_id,component,abo,rhd,qty,expires_at\nUI-HIS-1,RBC,O,+,4,${new Date(Date.now() + 20 * DAY).toISOString().slice(0, 10)}\n`,
    })
    expect(snap.status).toBe(201)
    expect((await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${made.token.token}` } })).status).toBe(403)
  })
})

describe('the supply analysis on a phone', () => {
  it('fits a 390 px screen: the page never runs past the right edge (its tables scroll inside it)', async () => {
    const page = await openApp(browser, server.url, { token: DEMO_TOKENS['director-yb'], lang: 'zh', path: '/report', phone: true })
    await eventually(() => page.locator('.report-table.supplied tbody tr').count()).toBeGreaterThan(HOSPITALS.length)
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    expect(await page.locator('button.print').isVisible()).toBe(true)
  })
})
