import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, openApp } from './browser'
import { FIXTURE_TOKENS } from './fixture'
import { startServer, type Server } from './server'

let server: Server
let browser: Browser

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const get = async <T>(path: string, token: string = FIXTURE_TOKENS.coordinator): Promise<T> => {
  const r = await fetch(server.url + path, { headers: { authorization: `Bearer ${token}` } })
  expect(r.status, `${path} answers 200`).toBe(200)
  return (await r.json()) as T
}

describe('region map', () => {
  it('draws one marker per site, coloured by the worst RBC level the API reports', async () => {
    const { sites } = await get<{ sites: { id: string }[] }>('/api/sites')
    expect(sites.length).toBeGreaterThan(0)
    const page = await openApp(browser, server.url, { token: FIXTURE_TOKENS.coordinator })
    await page.locator('.region-map[data-ready="true"]').waitFor()
    await expect.poll(() => page.locator('path.site-marker[data-site]').count()).toBe(sites.length)
    expect(await page.locator('.leaflet-interactive').count()).toBe(sites.length)
    await page.screenshot({ path: '/tmp/ui-map.png' })
  })
})
