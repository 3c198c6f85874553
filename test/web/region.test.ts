// The region as it is, in the UI (issue 12): a station's page shows its storage points' stock, today's routine-issue
// caps and its level history; a plan says where its road times came from.
import type { Browser } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { DEMO_TOKENS } from '../../seed/demo'
import { apiCall, apiGet, eventually } from './api'
import { openApp, screenshotPath } from './browser'
import { useApp } from './harness'
import type { Server } from './server'

let server: Server
let browser: Browser
const COORD = DEMO_TOKENS.coordinator

useApp((s, b) => {
  server = s
  browser = b
})

describe('a station and its rules', () => {
  it("Yibin's page: its storage point's stock in the totals, the red-level cap on routine issues, its level history", async () => {
    const caps = await apiGet<{ caps: { component: string; level: string; cap: number | null }[] }>(server.url, COORD, '/api/warnings/caps?site=YB')
    const rbc = caps.caps.find((c) => c.component === 'RBC')!
    expect(rbc.level).toBe('red')
    const page = await openApp(browser, server.url, { token: DEMO_TOKENS['director-yb'], lang: 'en', path: '/sites/YB' })
    await page.locator('table.network-totals').waitFor()
    expect(await page.locator('p.storage-points').textContent()).toContain('YBXW')
    const row = page.locator('table.network-totals tr[data-component="RBC"] td')
    await eventually(async () => Number((await row.nth(2).textContent())?.replace(/,/g, ''))).toBeGreaterThan(0)
    const capRow = page.locator('table.caps tr[data-component="RBC"]')
    await capRow.waitFor()
    expect(await capRow.getAttribute('data-level')).toBe('red')
    expect(await capRow.locator('td.cap').textContent()).toBe(String(rbc.cap))
    await page.locator('table.level-history tr[data-component="RBC"][data-level="red"]').first().waitFor()
    expect(await page.locator('h3', { hasText: 'Level history' }).count()).toBe(1)
    await page.screenshot({ path: screenshotPath('ui-station-rules.png'), fullPage: true })
    await page.context().close()
  })

  it('a plan says how many pairs came from the road table (all of them in the demo) and estimates none', async () => {
    const plan = await apiCall<{ id: string; roadTimes: { pairs: number; fromTable: number }; estimatedRoutes: unknown[] }>(server.url, COORD, '/api/plans', {
      method: 'POST',
      body: {},
    })
    expect(plan.status).toBe(201)
    expect(plan.body.roadTimes.fromTable).toBe(plan.body.roadTimes.pairs)
    expect(plan.body.estimatedRoutes).toEqual([])
    const page = await openApp(browser, server.url, { token: COORD, lang: 'en', path: `/plan?id=${plan.body.id}` })
    await page.locator('p.road-times').waitFor()
    expect(await page.locator('p.road-times').textContent()).toBe(
      `Road times: ${plan.body.roadTimes.pairs} of ${plan.body.roadTimes.pairs} pairs from the road table`,
    )
    expect(await page.locator('p.estimated-routes').count()).toBe(0)
    await page.context().close()
  })
})
