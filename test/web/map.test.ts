import type { Browser } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { apiCall, apiGet, eventually, SEVERITY, worstBySite, type Level } from './api'
import { openApp, screenshotPath } from './browser'
import { DEMO_TOKENS } from '../../seed/demo'
import { useApp } from './harness'
import type { Server } from './server'

let server: Server
let browser: Browser
const COORD = DEMO_TOKENS.coordinator

useApp((s, b) => {
  server = s
  browser = b
})

type Site = { id: string; nameZh: string; nameEn: string }
const RED_FILL = '#c62828'

describe('region map', () => {
  it('draws one marker per site, each coloured by the worst RBC level in /api/warnings', async () => {
    const { sites } = await apiGet<{ sites: Site[] }>(server.url, COORD, '/api/sites')
    const { warnings } = await apiGet<{ warnings: { siteId: string; component: string; level: Level }[] }>(server.url, COORD, '/api/warnings?component=RBC')
    const worst = worstBySite(warnings, 'RBC')
    const red = [...worst].filter(([, l]) => l === 'red').map(([id]) => id)
    expect(red.length, 'the demo data has at least one red site').toBeGreaterThan(0)

    const page = await openApp(browser, server.url, { token: COORD })
    await page.locator('.region-map[data-ready="true"]').waitFor()
    await eventually(() => page.locator('path.site-marker[data-site]').count()).toBe(sites.length)
    expect(await page.locator('.region-map path.site-marker.leaflet-interactive').count()).toBe(sites.length)
    expect(await page.locator('path.transfer-line').count(), 'nothing committed yet').toBe(0)
    // Wait for the levels to arrive, then compare every marker with the API.
    await page.locator(`path.site-marker[data-site="${red[0]}"][data-level="red"]`).waitFor()
    const shown = await page
      .locator('path.site-marker')
      .evaluateAll((els) => els.map((e) => [e.getAttribute('data-site'), e.getAttribute('data-level'), e.getAttribute('fill')]))
    for (const [id, level, fill] of shown) {
      expect(level, `marker ${id}`).toBe(worst.get(id!) ?? 'none')
      if (level === 'red') expect(fill).toBe(RED_FILL)
      else expect(fill).not.toBe(RED_FILL)
    }
    await page.screenshot({ path: screenshotPath('ui-map.png') })

    // The side panel lists every site, most severe first, with the level in words.
    const items = await page.locator('.site-list li').evaluateAll((els) => els.map((e) => e.getAttribute('data-level')))
    expect(items).toHaveLength(sites.length)
    const sev = items.map((l) => (l === 'none' ? -1 : SEVERITY[l as Level]))
    expect(sev).toEqual([...sev].sort((a, b) => b - a))
    await eventually(() => page.locator('.site-list li').first().locator('.badge').textContent()).toBe('红色预警')

    // A red marker's popup names the site and gives its figures.
    await page.locator(`path.site-marker[data-site="${red[0]}"]`).click()
    const popup = page.locator('.leaflet-popup-content')
    await popup.waitFor()
    const site = sites.find((s) => s.id === red[0])!
    expect(await popup.textContent()).toContain(site.nameZh)
    expect(await popup.textContent()).toContain('红色预警')
    await page.context().close()
  })

  it("switching the component recolours markers from that component's warnings", async () => {
    const { warnings } = await apiGet<{ warnings: { siteId: string; component: string; level: Level }[] }>(server.url, COORD, '/api/warnings?component=PLT')
    const worst = worstBySite(warnings, 'PLT')
    const page = await openApp(browser, server.url, { token: COORD })
    await page.locator('path.site-marker').first().waitFor()
    await page.selectOption('select[name=component]', 'PLT')
    await eventually(async () => {
      const shown = await page
        .locator('path.site-marker')
        .evaluateAll((els) => els.map((e) => [e.getAttribute('data-site')!, e.getAttribute('data-level')!] as const))
      return shown.every(([id, level]) => level === (worst.get(id) ?? 'none'))
    }).toBe(true)
    await page.context().close()
  })

  it('clicking a site in the list opens its stock table, matching /api/stock', async () => {
    const { sites } = await apiGet<{ sites: Site[] }>(server.url, COORD, '/api/sites')
    const page = await openApp(browser, server.url, { token: COORD, lang: 'en' })
    const first = page.locator('.site-list li').first()
    await first.locator('.badge[data-level="red"]').waitFor()
    const id = (await first.getAttribute('data-site'))!
    await first.locator('a').click()
    await page.waitForURL(`**/sites/${id}`)
    const { rows: stock } = await apiGet<{ rows: { component: string; abo: string; rhd: string; level: Level; onHand: number }[] }>(
      server.url,
      COORD,
      `/api/stock?site=${id}`,
    )
    expect(stock.length).toBeGreaterThan(0)
    await eventually(() => page.locator('.stock-table tbody tr').count()).toBe(stock.length)
    expect(await page.locator('h2').textContent()).toBe(`Stock at ${sites.find((s) => s.id === id)!.nameEn}`)
    const row = stock.find((r) => r.component === 'RBC' && r.abo === 'O' && r.rhd === '+')!
    const tr = page.locator('.stock-table[data-component="RBC"] tr[data-group="O+"]')
    expect(await tr.getAttribute('data-level')).toBe(row.level)
    expect(await tr.locator('td').nth(1).textContent()).toBe(row.onHand.toLocaleString('en-GB'))
    expect(await page.locator('.stock-table[data-component="PLT"] caption').textContent()).toContain('therapeutic doses')
    // Each component's caption carries its declared level as a whole.
    const { warnings } = await apiGet<{ warnings: { component: string; abo: string; level: Level }[] }>(server.url, COORD, `/api/warnings?site=${id}`)
    const whole = warnings.find((w) => w.component === 'RBC' && w.abo === '*')!
    expect(whole.level).toBe('red')
    await eventually(() => page.locator('.stock-table[data-component="RBC"] caption .badge').getAttribute('data-level')).toBe('red')
    await page.screenshot({ path: screenshotPath('ui-stock.png'), fullPage: true })
    await page.context().close()
  })
})

describe('language and sign-in', () => {
  it('speaks Chinese by default, switches to English and back, and remembers the choice', async () => {
    const page = await openApp(browser, server.url, { token: COORD })
    const nav = page.locator('.app-header nav a').first()
    await eventually(() => nav.textContent()).toBe('区域地图')
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN')
    await page.click('button.lang-toggle')
    await eventually(() => nav.textContent()).toBe('Region map')
    expect(await page.getAttribute('html', 'lang')).toBe('en')
    await page.reload()
    await eventually(() => nav.textContent()).toBe('Region map')
    await page.click('button.lang-toggle')
    await eventually(() => nav.textContent()).toBe('区域地图')
    await page.context().close()

    const en = await openApp(browser, server.url, { token: COORD, path: '/?lang=en' })
    await eventually(() => en.locator('.app-header nav a').first().textContent()).toBe('Region map')
    await en.context().close()
  })

  it("a bad token shows the API's error; a good one shows the role; sign-out returns to the form", async () => {
    const bad = await apiCall<{ error: { message: string } }>(server.url, 'not-a-real-token', '/api/me')
    expect(bad.status).toBe(401)
    const page = await openApp(browser, server.url, { lang: 'en' })
    await page.fill('input[name=token]', 'not-a-real-token')
    await page.click('form.sign-in button[type=submit]')
    const alert = page.locator('form.sign-in [role=alert]')
    await alert.waitFor()
    // the API's refusal in the page's language, its own words in the title
    expect(await alert.textContent()).toBe('That token is not valid: check it, or ask an administrator for one')
    expect(await alert.getAttribute('title')).toBe(bad.body.error.message)
    expect(await page.locator('.region-map').count()).toBe(0)

    await page.fill('input[name=token]', COORD)
    await page.click('form.sign-in button[type=submit]')
    await page.locator('.badge.role[data-role="coordinator"]').waitFor()
    expect(await page.locator('.badge.role').textContent()).toBe('Provincial coordinator')
    await page.locator('.region-map').waitFor()
    expect(await page.evaluate(() => localStorage.getItem('bd.token'))).toBe(COORD)

    await page.click('button.sign-out')
    await page.locator('input[name=token]').waitFor()
    expect(await page.evaluate(() => localStorage.getItem('bd.token'))).toBeNull()
    expect(await page.locator('.region-map').count()).toBe(0)
    await page.context().close()
  })
})
