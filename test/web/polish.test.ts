// Issue 19 in Chromium: the dispatch sheet on A4 and its CSV, a director's home, Chinese everywhere in the Chinese
// UI (and no raw keys in the English one), and the simulation's comparison.
import { readFileSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import Papa from 'papaparse'
import { describe, expect, it } from 'vitest'
import { DEMO_TOKENS } from '../../seed/demo'
import { apiCall, apiGet, eventually } from './api'
import { openApp, pageErrors, screenshotPath } from './browser'
import { useApp } from './harness'
import { pdfLinks } from './pdf-links'
import { englishWords, rawKeys } from './visible-text'
import type { Server } from './server'

let server: Server
let browser: Browser
const COORD = DEMO_TOKENS.coordinator
useApp((s, b) => {
  server = s
  browser = b
})

type Site = { id: string; nameZh: string; nameEn: string }
type Transfer = { id: string; fromSite: string; toSite: string; status: string; requests: { urgency: string; reason: string; neededBy: string | null }[] }
const URGENCY_RANK: Record<string, number> = { emergency: 0, urgent: 1, routine: 2 }

/** A demo plan with every proposal approved and committed: a sheet of a dozen transfers. */
async function committedPlan(): Promise<{ id: string; transfers: Transfer[] }> {
  const plan = await apiCall<{ id: string; transfers: Transfer[] }>(server.url, COORD, '/api/plans', { method: 'POST', body: {} })
  expect(plan.status).toBe(201)
  for (const t of plan.body.transfers) expect((await apiCall(server.url, COORD, `/api/transfers/${t.id}/approve`, { method: 'POST' })).status).toBe(200)
  const commit = await apiCall(server.url, COORD, `/api/plans/${plan.body.id}/commit`, {
    method: 'POST',
    headers: { 'idempotency-key': `polish-${plan.body.id}` },
  })
  expect(commit.status).toBe(200)
  return { id: plan.body.id, transfers: (await apiGet<{ transfers: Transfer[] }>(server.url, COORD, `/api/transfers?planId=${plan.body.id}`)).transfers }
}

/** yyyy-mm-dd hh:mm in the browser's zone, as the page writes it (the test and the browser share the machine's zone). */
const local = (iso: string) => {
  const d = new Date(iso)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`
}

describe('the dispatch sheet', () => {
  it('prints on A4 with every station name whole on one line, no row split across pages, most urgent first; its CSV has names, local times and reasons', async () => {
    const plan = await committedPlan()
    expect(plan.transfers.length, 'enough transfers for two pages').toBeGreaterThanOrEqual(10)
    const sites = new Map((await apiGet<{ sites: Site[] }>(server.url, COORD, '/api/sites')).sites.map((s) => [s.id, s]))
    const page = await openApp(browser, server.url, { token: COORD, lang: 'zh', path: `/sheet?plan=${plan.id}` })
    const errors = pageErrors(page)
    const rows = page.locator('.sheet-table tbody tr')
    await eventually(() => rows.count()).toBe(plan.transfers.length)
    // the names arrive with /api/sites: wait until none reads as a bare code
    await eventually(() => page.locator('.sheet-table .site-name').evaluateAll((els) => els.filter((e) => /^[A-Z]+$/.test(e.textContent ?? '')).length)).toBe(0)

    // most urgent first (the urgency of the most urgent request each transfer serves)
    const urgencies = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-urgency') ?? ''))
    const ranks = urgencies.map((u) => URGENCY_RANK[u])
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b))
    expect(new Set(urgencies).size, 'the demo plan serves more than one urgency').toBeGreaterThan(1)

    // A4 landscape less 10 mm margins, in CSS px: what the print layout has to work with
    const printWidth = Math.floor(((297 - 20) / 25.4) * 96)
    await page.emulateMedia({ media: 'print' })
    await page.setViewportSize({ width: printWidth, height: 700 })
    const layout = await rows.evaluateAll((els) =>
      els.map((tr) => {
        const id = tr.querySelector('a.transfer-id')!
        const names = [...tr.querySelectorAll('a.site-name')].map((a) => ({
          text: a.textContent,
          lines: a.getClientRects().length,
          clipped: a.scrollWidth > a.clientWidth + 1,
        }))
        return { id: id.textContent!, belowIdTop: tr.getBoundingClientRect().bottom - id.getBoundingClientRect().top, names }
      }),
    )
    for (const [i, row] of layout.entries()) {
      const tr = plan.transfers.find((t) => t.id === row.id)!
      expect(
        row.names.map((n) => n.text),
        row.id,
      ).toEqual([sites.get(tr.fromSite)!.nameZh, sites.get(tr.toSite)!.nameZh])
      for (const n of row.names) expect({ lines: n.lines, clipped: n.clipped }, `${row.id} row ${i}: ${n.text}`).toEqual({ lines: 1, clipped: false })
    }

    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true })
    const { pages, links } = pdfLinks(pdf)
    expect(pages, 'the sheet runs over more than one page').toBeGreaterThanOrEqual(2)
    const pageHeightPt = (210 / 25.4) * 72
    const marginPt = (10 / 25.4) * 72
    for (const row of layout) {
      const idLinks = links.filter((l) => l.uri.endsWith(`#${row.id}`))
      expect(idLinks.length, `${row.id} printed once`).toBe(1)
      const [{ page: p, rect }] = idLinks
      // the row's bottom, measured down from its first line: still inside this page's printable area
      const bottom = rect[3] - row.belowIdTop * 0.75
      expect(bottom, `${row.id} on page ${p} ends above the bottom margin`).toBeGreaterThanOrEqual(marginPt - 1.5)
      expect(rect[3]).toBeLessThanOrEqual(pageHeightPt - marginPt + 1.5)
      // both names are on the row's page, each one piece on one line
      const tr = plan.transfers.find((t) => t.id === row.id)!
      const onRow = links.filter((l) => l.page === p && Math.abs(l.rect[3] - rect[3]) < 12 && /\/sites\/[A-Z]+$/.test(l.uri))
      expect(onRow.map((l) => l.uri.split('/sites/')[1]).sort(), row.id).toEqual([tr.fromSite, tr.toSite].sort())
    }
    // Some row starts on the second page: the test did cross a page break.
    expect(new Set(links.filter((l) => l.uri.includes('/station?')).map((l) => l.page)).size).toBeGreaterThanOrEqual(2)
    await page.emulateMedia({ media: 'screen' })

    // The CSV the button downloads: names, reasons, local times, in the sheet's order.
    await page.setViewportSize({ width: 1400, height: 900 })
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button.csv')])
    const csv = Papa.parse<Record<string, string>>(readFileSync((await download.path())!, 'utf8').trim(), { header: true }).data
    expect(csv.map((r) => r.transfer_id)).toEqual(layout.map((r) => r.id))
    for (const r of csv) {
      const tr = plan.transfers.find((t) => t.id === r.transfer_id)!
      expect([r.from_name, r.to_name]).toEqual([sites.get(tr.fromSite)!.nameZh, sites.get(tr.toSite)!.nameZh])
      expect(r.reason).toBe([...new Set(tr.requests.map((q) => q.reason))].join('; '))
      expect(r.reason.length).toBeGreaterThan(0)
      const due = tr.requests
        .map((q) => q.neededBy)
        .filter((x): x is string => !!x)
        .sort()[0]
      if (due) expect(r.needed_by).toBe(local(due))
    }
    expect(csv.filter((r) => r.needed_by).length, 'some transfer has a deadline').toBeGreaterThan(0)
    expect(errors).toEqual([])
    await page.context().close()

    // On a phone the sheet is a list of cards: each name still whole on one line, nothing wider than the screen.
    const phone = await openApp(browser, server.url, { token: COORD, lang: 'zh', path: `/sheet?plan=${plan.id}`, phone: true })
    await eventually(() =>
      phone.locator('.sheet-table .site-name').evaluateAll((els) => els.length > 0 && els.every((e) => !/^[A-Z]+$/.test(e.textContent ?? ''))),
    ).toBe(true)
    const lines = await phone
      .locator('.sheet-table .site-name')
      .evaluateAll((els) => els.map((e) => ({ text: e.textContent, lines: e.getClientRects().length, right: e.getBoundingClientRect().right })))
    expect(lines.length).toBe(2 * plan.transfers.length)
    for (const l of lines) expect({ lines: l.lines, inside: l.right <= 390 }, l.text!).toEqual({ lines: 1, inside: true })
    expect(await phone.evaluate(() => (globalThis as any).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await phone.screenshot({ path: screenshotPath('ui-sheet-phone.png'), fullPage: true })
    await phone.context().close()
  })
})

describe("a director's home", () => {
  it('is their station: stock, incoming, outgoing and the hospitals the API lists; the map is one link away (desktop and phone)', async () => {
    const token = DEMO_TOKENS['director-yb']
    const net = await apiGet<{ hospitals: { id: string; nameZh: string }[]; storagePoints: { id: string }[] }>(server.url, token, '/api/network/YB')
    expect(net.hospitals.length).toBeGreaterThan(0)
    const stock = await apiGet<{ rows: { siteId: string; component: string }[] }>(server.url, token, '/api/stock?site=YB')
    const components = [...new Set(stock.rows.map((r) => r.component))].sort()
    expect(components.length).toBeGreaterThan(0)
    for (const size of [
      { width: 1400, height: 900 },
      { width: 390, height: 844 },
    ]) {
      const page = await openApp(browser, server.url, { token, lang: 'zh', phone: size.width < 700 })
      await page.setViewportSize(size)
      const errors = pageErrors(page)
      await page.locator('.station-page').waitFor()
      expect(await page.locator('.region-map').count(), 'no region map at home').toBe(0)
      await eventually(() => page.locator('.station-page h2').textContent()).toContain('宜宾市中心血站')
      await eventually(async () =>
        (await page.locator('.station-page .stock-table').evaluateAll((els) => els.map((e) => e.getAttribute('data-component')))).sort(),
      ).toEqual(components)
      // the network (hospitals) arrives by its own request, after the stock tables or not
      await eventually(() => page.locator('.station-page h3').allTextContents()).toEqual(
        expect.arrayContaining(['本站库存', '调入（已确认 / 在途 / 已接收）', '调出（待发运 / 在途 / 已接收）', `所供医院（${net.hospitals.length} 家）`]),
      )
      const shown = await page.locator('.hospital-list li').evaluateAll((els) => els.map((e) => e.getAttribute('data-hospital')))
      expect(shown).toEqual(net.hospitals.map((h) => h.id))
      expect(await page.locator('.hospital-list li').first().textContent()).toContain(net.hospitals[0].nameZh)
      expect(await page.locator('.storage-list li').count()).toBe(net.storagePoints.length)
      expect(await page.locator('.app-header nav a.active').textContent()).toBe('本站')
      expect(await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width)
      await page.screenshot({ path: screenshotPath(`ui-director-home-${size.width}.png`), fullPage: true })
      await page.locator('.app-header nav a[href="/map"]').click()
      await page.locator('path.site-marker').first().waitFor()
      expect(errors).toEqual([])
      await page.context().close()
    }
  })

  it('a token rotated by an admin while a form is half-typed: the sign-in box returns, the text stays, and signing in again carries on', async () => {
    const old = DEMO_TOKENS['director-pzh']
    const page = await openApp(browser, server.url, { token: old, lang: 'zh', path: '/requests' })
    const reason = page.locator('form input[name=reason]')
    await reason.waitFor()
    await reason.fill('术中大出血，需 O 型红细胞')
    await page.locator('form input[name=qty]').fill('7')
    // the admin rotates the director's token (the old one is revoked)
    const rotated = await apiCall<{ token: { token: string } }>(server.url, DEMO_TOKENS.admin, '/api/users/u-director-pzh/tokens', {
      method: 'POST',
      body: { revokeOthers: true },
    })
    expect(rotated.status).toBe(201)
    // the page's next call (the events feed polls) finds the token revoked
    await page.locator('form.sign-in .signed-out').waitFor({ timeout: 20_000 })
    expect(await reason.inputValue()).toBe('术中大出血，需 O 型红细胞')
    await page.locator('form.sign-in input[name=token]').fill(rotated.body.token.token)
    await page.locator('form.sign-in button[type=submit]').click()
    await page.locator('.app-header .sign-out').waitFor()
    expect(await reason.inputValue()).toBe('术中大出血，需 O 型红细胞')
    expect(await page.locator('form input[name=qty]').inputValue()).toBe('7')
    // and the form is live again
    await reason.fill('术中大出血，需 O 型红细胞（已复核）')
    expect(await reason.inputValue()).toBe('术中大出血，需 O 型红细胞（已复核）')
    await page.context().close()
  })
})

describe('a token signed in from another tab', () => {
  it("the same user's rotated token keeps this tab's half-typed form; someone else's gives fresh pages", async () => {
    const old = DEMO_TOKENS['director-gz']
    const page = await openApp(browser, server.url, { token: old, lang: 'zh', path: '/requests' })
    const reason = page.locator('form input[name=reason]')
    await reason.waitFor()
    await reason.fill('高原车祸，需 O 型红细胞')
    // a new token for the same director (the old one stays valid: this is about the other tab, not a 401)
    const rotated = await apiCall<{ token: { token: string } }>(server.url, DEMO_TOKENS.admin, '/api/users/u-director-gz/tokens', { method: 'POST', body: {} })
    expect(rotated.status).toBe(201)
    const fresh = rotated.body.token.token
    const other = await page.context().newPage()
    await other.goto(server.url + '/')
    await other.evaluate((tok) => (globalThis as any).localStorage.setItem('bd.token', tok), fresh)
    await eventually(() => page.evaluate(() => (globalThis as any).localStorage.getItem('bd.token'))).toBe(fresh)
    await page.waitForTimeout(1500)
    expect(await page.locator('.app-header .who').textContent()).toBe('扎西站长')
    expect(await reason.inputValue()).toBe('高原车祸，需 O 型红细胞')
    await reason.fill('高原车祸，需 O 型红细胞（复核）')
    expect(await reason.inputValue()).toBe('高原车祸，需 O 型红细胞（复核）')
    // someone else signs in there: this tab follows with its own pages, nothing of the other user's draft
    await other.evaluate((tok) => (globalThis as any).localStorage.setItem('bd.token', tok), DEMO_TOKENS['director-cd'])
    await eventually(() => page.locator('.app-header .who').textContent()).toBe('张站长')
    await eventually(() => page.locator('form input[name=reason]').inputValue()).toBe('')
    await page.context().close()
  })
})

describe('one language at a time', () => {
  /** Each role's nav pages and a few more (a station, the sheet, the map for a director). */
  const ROLES = [
    { role: 'coordinator', token: COORD, extra: ['/sites/YB', '/station?site=YB', '/sheet?site=YB'] },
    { role: 'director', token: DEMO_TOKENS['director-yb'], extra: ['/sites/YB', '/sheet?site=YB'] },
    { role: 'planner', token: DEMO_TOKENS.planner, extra: ['/sites/GZ'] },
    { role: 'admin', token: DEMO_TOKENS.admin, extra: ['/station?site=GZ'] },
  ] as const
  /** Text a page shows once its data has arrived: what a reader sees (hidden elements are not in innerText). */
  const shown = async (page: Page) => {
    await page.waitForLoadState('networkidle')
    await page.waitForTimeout(300)
    return page.evaluate(() => (globalThis as any).document.body.innerText as string)
  }
  // A token's label is what whoever issued it typed; the first one is labelled by migration 0010 ('initial').
  const dataWords = (path: string) => (path === '/admin' ? ['initial'] : [])

  it('Chinese pages show no English word and no raw key, as each role, and the English pages no raw key', async () => {
    // something on every page: a committed plan (the sheet, transfers on the map and at the stations)
    const committed = await apiGet<{ transfers: Transfer[] }>(server.url, COORD, '/api/transfers?status=committed')
    if (committed.transfers.length === 0) await committedPlan()
    const found: string[] = []
    let pages = 0
    for (const { role, token, extra } of ROLES)
      for (const lang of ['zh', 'en'] as const) {
        const page = await openApp(browser, server.url, { token, lang })
        await page.locator('.app-header .sign-out').waitFor()
        const nav = await page.locator('.app-header nav a').evaluateAll((els) => els.map((e) => e.getAttribute('href')!))
        expect(nav.length).toBeGreaterThanOrEqual(5)
        for (const path of [...nav, ...extra]) {
          await page.goto(server.url + path)
          const text = await shown(page)
          pages++
          expect(text.length, `${role} ${path}`).toBeGreaterThan(50)
          const bad = [...(lang === 'zh' ? englishWords(text).filter((w) => !dataWords(path).includes(w)) : []), ...rawKeys(text)]
          if (bad.length) found.push(`${role} ${lang} ${path}: ${[...new Set(bad)].join(' ')}`)
        }
        await page.context().close()
      }
    expect(pages).toBeGreaterThanOrEqual(60)
    expect(found).toEqual([])
  }, 400_000)

  it("the API's errors in the page's language: too big, a field's name, never a raw key ('纬度不能大于 90', not 'field.lat输入有误')", async () => {
    for (const lang of ['zh', 'en'] as const) {
      const page = await openApp(browser, server.url, { token: COORD, lang, path: '/incidents' })
      const form = page.locator('form.declare-form')
      await form.waitFor()
      await form.locator('input[name=name]').fill('测试')
      await form.locator('input[name=lat]').fill('200')
      await form.locator('input[name=lng]').fill('102.2')
      await form.locator('input[name=critical]').fill('1')
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/incidents') && r.request().method() === 'POST')
      await form.locator('button.declare').click()
      const body = (await (await answered).json()) as { error: { field: string; message: string } }
      expect(body.error.field).toBe('lat')
      expect(body.error.message, 'the API speaks zod').toMatch(/^Too big/)
      const err = form.locator('[data-field-error="lat"]')
      await err.waitFor()
      expect(await err.textContent()).toBe(lang === 'zh' ? '纬度不能大于 90' : 'The latitude must be at most 90')
      await page.context().close()
    }
    // a field the UI has no label for still reads as words, and a policy's field names the policy
    const page = await openApp(browser, server.url, { token: DEMO_TOKENS.planner, lang: 'en', path: '/simulate' })
    const form = page.locator('form.sim-form')
    await form.waitFor()
    await form.locator('input[name="policies.1.reserveDays"]').fill('99')
    await form.locator('button.run-sim').click()
    const err = form.locator('[data-field-error="policies.1.reserveDays"]')
    await err.waitFor()
    expect(await err.textContent()).toBe('Policy 2: the reserve floor (days) must be at most 60')
    await page.locator('button.lang-toggle').click()
    await eventually(() => err.textContent()).toBe('策略 2 的保留下限（天）不能大于 60')
    await page.context().close()
  })

  it("hours carry their unit in the page's language (2.2 小时, not 2.2 h), on the sheet and at the station", async () => {
    const committed = (await apiGet<{ transfers: (Transfer & { etaHours: number; planId: string })[] }>(server.url, COORD, '/api/transfers?status=committed'))
      .transfers
    expect(committed.length).toBeGreaterThan(0)
    const tr = committed[0]
    const page = await openApp(browser, server.url, { token: COORD, lang: 'zh', path: `/sheet?plan=${tr.planId}` })
    const eta = page.locator(`.sheet-table tr[data-transfer="${tr.id}"] td`).nth(5)
    await eventually(() => eta.textContent()).toBe(`${tr.etaHours.toLocaleString('zh-CN', { maximumFractionDigits: 1 })} 小时`)
    await page.goto(`${server.url}/station?site=${tr.toSite}`)
    await eventually(() => page.locator(`.transfer-card[data-transfer="${tr.id}"] .card-head .meta`).textContent()).toMatch(/ 小时$/)
    await page.context().close()
  })
})

describe("an incident's requests", () => {
  // After the walk above: the request list and plan review (not this file's) still show the category as stored.
  it("read their casualty category in the page's language on the sheet and at the receiving station", async () => {
    const inc = await apiCall<{ id: string }>(server.url, COORD, '/api/incidents', {
      method: 'POST',
      body: { name: '泸定地震', lat: 29.914, lng: 102.235, casualties: { critical: 8, severe: 20, moderate: 40 } },
    })
    expect(inc.status).toBe(201)
    const plan = await apiCall<{ id: string; transfers: Transfer[] }>(server.url, COORD, '/api/plans', {
      method: 'POST',
      body: { mode: 'disaster', incidentId: inc.body.id },
    })
    expect(plan.status).toBe(201)
    const tr = plan.body.transfers.find((t) => t.requests.some((r) => /^泸定地震 · (critical|severe|moderate)$/.test(r.reason)))
    expect(tr, 'the disaster plan sends something for a casualty category').toBeDefined()
    expect((await apiCall(server.url, COORD, `/api/transfers/${tr!.id}/approve`, { method: 'POST' })).status).toBe(200)
    expect(
      (await apiCall(server.url, COORD, `/api/plans/${plan.body.id}/commit`, { method: 'POST', headers: { 'idempotency-key': `polish-inc-${plan.body.id}` } }))
        .status,
    ).toBe(200)
    const category = tr!.requests.find((r) => r.reason.startsWith('泸定地震 · '))!.reason.split(' · ')[1]
    const words = {
      zh: { critical: '危重伤员', severe: '重伤伤员', moderate: '轻伤伤员' },
      en: { critical: 'critical casualties', severe: 'severe casualties', moderate: 'moderate casualties' },
    } as const
    for (const lang of ['zh', 'en'] as const) {
      const want = `泸定地震 · ${words[lang][category as 'critical']}`
      const page = await openApp(browser, server.url, { token: COORD, lang, path: `/sheet?plan=${plan.body.id}` })
      await eventually(() => page.locator(`.sheet-table tr[data-transfer="${tr!.id}"] .serves-line`).first().textContent()).toContain(want)
      await page.goto(`${server.url}/station?site=${tr!.toSite}`)
      await eventually(() => page.locator(`.transfer-card[data-transfer="${tr!.id}"] .serves`).textContent()).toContain(want)
      if (lang === 'zh') expect(englishWords((await page.locator(`.transfer-card[data-transfer="${tr!.id}"]`).textContent())!)).toEqual([])
      await page.context().close()
    }
  })
})
