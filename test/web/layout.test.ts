import type { Browser, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { apiCall, apiGet, eventually } from './api'
import { openApp, pageErrors, screenshotPath } from './browser'
import { DEMO_TOKENS } from '../../seed/demo'
import { useApp } from './harness'
import type { Server } from './server'

// These run inside the page (page.evaluate); the root tsconfig has no DOM library, so declare what they use.
declare const document: {
  documentElement: { scrollWidth: number }
  querySelectorAll: (s: string) => Iterable<{ getBoundingClientRect: () => { right: number } }>
}
declare const getComputedStyle: (e: unknown, pseudo?: string) => { visibility: string; content: string }
type SvgPath = {
  getTotalLength: () => number
  getPointAtLength: (n: number) => { x: number; y: number }
  getScreenCTM: () => { a: number; d: number; e: number; f: number } | null
}

let server: Server
let browser: Browser
const COORD = DEMO_TOKENS.coordinator
const PHONE = { width: 390, height: 844 }

useApp((s, b) => {
  server = s
  browser = b
})

type Summary = {
  components: { component: string; onHand: number; daysOfSupply: number | null }[]
  groups: { component: string; abo: string; rhd: string; onHand: number }[]
}
type Box = { x: number; y: number; width: number; height: number }

/** Opens the app with every request off this machine refused, as on a machine with no network. */
async function openOffline(opts: Parameters<typeof openApp>[2]): Promise<{ page: Page; outside: string[] }> {
  const page = await openApp(browser, server.url, opts)
  const outside: string[] = []
  await page.context().route(
    (url) => !url.href.startsWith(server.url),
    (r) => (outside.push(r.request().url()), r.abort()),
  )
  await page.reload()
  return { page, outside }
}

/** Pairs of shown labels whose boxes overlap by more than a sliver (antialiasing). */
async function labelCollisions(page: Page): Promise<string[]> {
  const boxes = await page.locator('.leaflet-tooltip.site-label').evaluateAll((els) =>
    els
      .filter((e) => getComputedStyle(e).visibility !== 'hidden')
      .map((e) => {
        const r = e.getBoundingClientRect()
        return { id: e.getAttribute('data-site') ?? e.textContent!, x: r.x, y: r.y, width: r.width, height: r.height }
      }),
  )
  const hits: string[] = []
  const over = (a: Box, b: Box) =>
    Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y))
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++)
      if (over(boxes[i], boxes[j]) > 4) hits.push(`${boxes[i].id}/${boxes[j].id} ${JSON.stringify([boxes[i], boxes[j]])}`)
  return hits
}

const markerCentre = (page: Page, id: string) =>
  page.locator(`path.site-marker[data-site="${id}"]`).evaluate((e) => {
    const r = e.getBoundingClientRect()
    return { x: r.x + r.width / 2, y: r.y + r.height / 2, r: r.width / 2 }
  })

describe('phones (390 × 844)', () => {
  it('tables become cards: nothing wider than the screen, action buttons on screen', async () => {
    const page = await openApp(browser, server.url, { token: COORD, lang: 'en' })
    await page.setViewportSize(PHONE)
    const noOverflow = async (what: string) => {
      const widths = await page.evaluate(() => ({
        doc: document.documentElement.scrollWidth,
        tables: [...document.querySelectorAll('table')].map((t) => Math.ceil(t.getBoundingClientRect().right)),
      }))
      expect(widths.doc, `${what}: page width`).toBeLessThanOrEqual(PHONE.width)
      for (const right of widths.tables) expect(right, `${what}: a table's right edge`).toBeLessThanOrEqual(PHONE.width)
    }
    await page.locator('.region-totals .total').first().waitFor()
    await noOverflow('map')
    await page.screenshot({ path: screenshotPath('ui-phone-map.png'), fullPage: true })

    await page.goto(`${server.url}/sites/YB`)
    await page.locator('.stock-table tbody tr').first().waitFor()
    await noOverflow('site stock')
    // A station's name and figures read on one line each, label on the left.
    const cell = page.locator('.stock-table[data-component="RBC"] tbody tr').first().locator('td').nth(1)
    expect(await cell.evaluate((e) => getComputedStyle(e, '::before').content)).toBe('"On hand"')
    await page.screenshot({ path: screenshotPath('ui-phone-stock.png'), fullPage: true })

    await page.goto(`${server.url}/requests`)
    const cancel = page.locator('.request-list td.actions button').first()
    await cancel.waitFor()
    await noOverflow('requests')
    const box = (await cancel.boundingBox())!
    expect(box.x).toBeGreaterThanOrEqual(0)
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width)
    expect(box.height, 'a finger-sized button').toBeGreaterThanOrEqual(32)
    await cancel.scrollIntoViewIfNeeded()
    expect(await cancel.isVisible()).toBe(true)
    // The site's name never wraps a character per line: its cell is one or two lines high.
    const site = page.locator('.request-list tbody tr').first().locator('td').nth(1)
    expect((await site.boundingBox())!.height).toBeLessThan(60)
    await page.screenshot({ path: screenshotPath('ui-phone-requests.png'), fullPage: true })

    await page.goto(`${server.url}/simulate`)
    await page.locator('.sim-policies tbody tr').first().waitFor()
    await noOverflow('simulation')
    await page.context().close()
  })
})

describe('the map offline', () => {
  it('draws the bundled province and prefecture outlines with no network and no error', async () => {
    for (const lang of ['zh', 'en'] as const) {
      const { page, outside } = await openOffline({ token: COORD, lang })
      const errors = pageErrors(page, { strict: true })
      await page.locator('path.site-marker').first().waitFor()
      // Sichuan's 21 prefectures and Chongqing's 40 districts and counties, and the two provinces' outlines.
      expect(await page.locator('.region-map path.outline-prefecture.outline-sichuan').count()).toBe(21)
      expect(await page.locator('.region-map path.outline-prefecture.outline-chongqing').count()).toBe(40)
      expect(await page.locator('.region-map path.outline-province').count()).toBe(2)
      expect(await page.locator('.leaflet-tile').count(), 'no tiles by default').toBe(0)
      expect(outside, 'nothing fetched from outside').toEqual([])
      expect(errors).toEqual([])
      await page.context().close()
    }
  })

  it("the totals strip shows the API's region totals, days of supply and RhD-negative stock", async () => {
    const summary = await apiGet<Summary>(server.url, COORD, '/api/stock/summary')
    const page = await openApp(browser, server.url, { token: COORD, lang: 'en' })
    await page.locator('.region-totals .total').first().waitFor()
    for (const c of summary.components) {
      const card = page.locator(`.region-totals .total[data-component="${c.component}"]`)
      expect(await card.locator('.total-value').getAttribute('data-on-hand'), c.component).toBe(String(c.onHand))
      expect(await card.locator('.total-value').textContent()).toContain(c.onHand.toLocaleString('en-GB'))
      const days = c.daysOfSupply === null ? '∞' : c.daysOfSupply.toLocaleString('en-GB', { maximumFractionDigits: 1 })
      expect(await card.locator('.total-days').textContent()).toBe(`${days} days of supply`)
    }
    const rhneg = async (component: string) => {
      await page.locator(`.totals-rhneg[data-component="${component}"]`).waitFor()
      for (const abo of ['O', 'A', 'B', 'AB']) {
        const want = summary.groups.find((g) => g.component === component && g.abo === abo && g.rhd === '-')?.onHand ?? 0
        expect(await page.locator(`.totals-rhneg .rhneg[data-abo="${abo}"]`).getAttribute('data-on-hand'), `${component} ${abo}-`).toBe(String(want))
      }
    }
    await rhneg('RBC')
    // A component's card picks it for the map and the RhD-negative line.
    await page.click('.region-totals .total[data-component="PLT"]')
    await rhneg('PLT')
    expect(await page.locator('select[name=component]').inputValue()).toBe('PLT')
    await page.context().close()
  })

  it('labels do not collide and co-located sites are apart, at desktop and phone widths', async () => {
    for (const lang of ['zh', 'en'] as const)
      for (const size of [{ width: 1280, height: 860 }, PHONE]) {
        const page = await openApp(browser, server.url, { token: COORD, lang })
        await page.setViewportSize(size)
        await page.locator('path.site-marker').first().waitFor()
        await page.locator('.leaflet-tooltip.site-label').first().waitFor()
        await page.waitForTimeout(400)
        await eventually(() => labelCollisions(page)).toEqual([])
        // Where a label finds no free place it is left out, but most are shown, and the ones that matter most.
        const hidden = await page.locator('.leaflet-tooltip.site-label.label-hidden').count()
        expect(hidden, `labels left out (${lang}, ${size.width} px)`).toBeLessThanOrEqual(size.width < 700 ? 6 : 0)
        expect(await page.locator('.leaflet-tooltip.site-label[data-site="CD"]').getAttribute('class')).not.toContain('label-hidden')
        expect(await page.locator('.leaflet-tooltip.site-label[data-site="SC"]').getAttribute('class')).not.toContain('label-hidden')
        // The provincial centre and the Chengdu center are 2.4 km apart: spread, both visible.
        const [cd, sc] = await Promise.all([markerCentre(page, 'CD'), markerCentre(page, 'SC')])
        expect(Math.hypot(cd.x - sc.x, cd.y - sc.y)).toBeGreaterThanOrEqual(cd.r + sc.r)
        await page.screenshot({ path: screenshotPath(`ui-map-${lang}-${size.width}.png`) })
        // After zooming in and out, still no collisions.
        await page.locator('.leaflet-control-zoom-in').click()
        await page.waitForTimeout(500)
        await page.screenshot({ path: screenshotPath(`ui-map-${lang}-${size.width}-zoom.png`) })
        await eventually(() => labelCollisions(page)).toEqual([])
        await page.context().close()
      }
  })
})

describe('transfers on the map', () => {
  it('draws committed and dispatched transfers with arrowheads at the receiver and a legend', async () => {
    const plan = await apiCall<{ id: string; transfers: { id: string; component: string; fromSite: string; toSite: string; frozen: boolean }[] }>(
      server.url,
      COORD,
      '/api/plans',
      { method: 'POST', body: {} },
    )
    expect(plan.status).toBe(201)
    // Two transfers of one component (the map shows one component at a time), red cells if it can; liquid units,
    // which dispatch at once (frozen ones are thawed first: test/web/frozen.test.ts).
    const of = (c: string) => plan.body.transfers.filter((t) => t.component === c && !t.frozen)
    const component = ['RBC', 'WB', 'PLT', 'FFP', 'CRYO'].find((c) => of(c).length >= 2)
    expect(component, 'the demo plan proposes two transfers of one component').toBeDefined()
    const [a, b] = of(component!)
    for (const t of [a, b]) expect((await apiCall(server.url, COORD, `/api/transfers/${t.id}/approve`, { method: 'POST' })).status).toBe(200)
    const commit = await apiCall(server.url, COORD, `/api/plans/${plan.body.id}/commit`, {
      method: 'POST',
      headers: { 'idempotency-key': `layout-${plan.body.id}` },
    })
    expect(commit.status).toBe(200)
    // The box must read within the component's transport range (migrations/0005_handoff.sql).
    const temperatureC = { RBC: 4.5, WB: 4.5, PLT: 22, FFP: -25, CRYO: -25 }[component!]
    expect((await apiCall(server.url, COORD, `/api/transfers/${b.id}/dispatch`, { method: 'POST', body: { temperatureC } })).status).toBe(200)

    for (const lang of ['zh', 'en'] as const) {
      const page = await openApp(browser, server.url, { token: COORD, lang })
      const errors = pageErrors(page, { strict: true })
      if (a.component !== 'RBC') await page.selectOption('select[name=component]', a.component)
      const line = page.locator(`path.transfer-line[data-transfer="${a.id}"]`)
      await line.waitFor()
      expect(await line.getAttribute('class')).toContain('status-committed')
      expect(await page.locator(`path.transfer-line[data-transfer="${b.id}"]`).getAttribute('class')).toContain('status-dispatched')
      for (const [t, status] of [
        [a, 'committed'],
        [b, 'dispatched'],
      ] as const) {
        const path = page.locator(`path.transfer-line[data-transfer="${t.id}"]`)
        expect(await path.getAttribute('marker-end')).toBe(`url(#bd-arrow-${status})`)
        // The arrow's tip (the line's end) is at the receiver, not at the donor. Measured once the map has
        // settled (its first view and the label placement may still move it just after loading).
        const tip = async () => {
          const end = await path.evaluate((e) => {
            const p = e as unknown as SvgPath
            const q = p.getPointAtLength(p.getTotalLength())
            const m = p.getScreenCTM()!
            return { x: q.x * m.a + m.e, y: q.y * m.d + m.f }
          })
          const [from, to] = await Promise.all([markerCentre(page, t.fromSite), markerCentre(page, t.toSite)])
          const toD = Math.hypot(end.x - to.x, end.y - to.y)
          return { atReceiver: toD < Math.hypot(end.x - from.x, end.y - from.y), withinMarker: toD < to.r + 10 }
        }
        await eventually(tip).toEqual({ atReceiver: true, withinMarker: true })
      }
      expect(await page.locator('marker#bd-arrow-committed path').count()).toBe(1)
      const legend = page.locator('.transfer-legend')
      expect(await legend.locator('[data-status]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).toEqual(['committed', 'dispatched'])
      expect(await legend.textContent()).toContain(lang === 'zh' ? '在途' : 'On the way')
      await page.screenshot({ path: screenshotPath(`ui-transfers-${lang}.png`) })
      expect(errors).toEqual([])
      await page.context().close()
    }
  })
})

describe('moving between pages', () => {
  it('map → site → requests → plan → simulation → map, quickly, logs no error', async () => {
    for (const lang of ['zh', 'en'] as const) {
      const page = await openApp(browser, server.url, { token: COORD, lang })
      const errors = pageErrors(page, { strict: true })
      const nav = (href: string) => page.locator(`.app-header nav a[href="${href}"]`).click()
      for (let round = 0; round < 2; round++) {
        await page.locator('path.site-marker').first().waitFor()
        // Leave while the map may still be animating a zoom (the old '_leaflet_pos' error).
        await page.locator('.leaflet-control-zoom-in').click()
        await page.locator('.site-list li a').first().click()
        await page.locator('.stock-table').first().waitFor()
        await nav('/requests')
        await page.locator('.requests-page').waitFor()
        await nav('/plan')
        await page.waitForTimeout(300)
        await nav('/simulate')
        await page.locator('.sim-form').waitFor()
        await nav('/')
        await page.locator('.region-map').waitFor()
        await page.goBack()
        await page.goForward()
      }
      await page.locator('path.site-marker').first().waitFor()
      await page.waitForTimeout(600)
      expect(errors, lang).toEqual([])
      await page.context().close()
    }
  })
})
