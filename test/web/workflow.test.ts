import type { Browser } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { apiCall, apiGet, eventually } from './api'
import { openApp, screenshotPath } from './browser'
import { DEMO_TOKENS } from '../../seed/demo'
import { useApp } from './harness'
import type { Server } from './server'

let server: Server
let browser: Browser
const COORD = DEMO_TOKENS.coordinator
const DIRECTOR = DEMO_TOKENS['director-yb']

useApp((s, b) => {
  server = s
  browser = b
})

type Req = { id: string; siteId: string; urgency: string; status: string; coverage: string; qty: number }
/** What the requests page lists: not yet received in full, nor cancelled. */
const OPEN = ['open', 'partly_covered', 'covered']

describe('aid requests', () => {
  it('lists the open requests with urgency badges', async () => {
    const { requests } = await apiGet<{ requests: Req[] }>(server.url, COORD, '/api/requests')
    const open = requests.filter((r) => OPEN.includes(r.coverage))
    expect(open.length).toBeGreaterThan(0)
    const page = await openApp(browser, server.url, { token: COORD, path: '/requests' })
    await eventually(() => page.locator('.request-list tbody tr').count()).toBe(open.length)
    for (const r of open) expect(await page.locator(`tr[data-request="${r.id}"] .badge[data-urgency="${r.urgency}"]`).count()).toBe(1)
    const emergencies = open.filter((r) => r.urgency === 'emergency').length
    expect(await page.locator('.request-list .badge[data-urgency="emergency"]').count()).toBe(emergencies)
    if (emergencies > 0) expect(await page.locator('.request-list tbody tr').first().locator('.badge').first().textContent()).toBe('紧急')
    await page.context().close()
  })

  it("a director's form shows the API's field error beside the field, then files a valid request", async () => {
    // What the API says about a zero quantity.
    const probe = await apiCall<{ error: { field: string; message: string } }>(server.url, DIRECTOR, '/api/requests', {
      method: 'POST',
      body: {
        siteId: 'YB',
        component: 'RBC',
        abo: 'A',
        rhd: '+',
        qty: 0,
        urgency: 'urgent',
        neededBy: new Date(Date.now() + 86400_000).toISOString(),
        reason: 'probe',
      },
    })
    expect(probe.status).toBe(400)
    expect(probe.body.error.field).toBe('qty')

    const page = await openApp(browser, server.url, { token: DIRECTOR, path: '/requests', lang: 'en' })
    const form = page.locator('form.request-form')
    await form.waitFor()
    await eventually(() => form.locator('input[name=siteId]').inputValue()).toBe('Yibin Central Blood Station')
    await form.locator('select[name=abo]').selectOption('A')
    await form.locator('input[name=qty]').fill('0')
    await form.locator('input[name=reason]').fill('术中大出血')
    await form.locator('button[type=submit]').click()
    const err = form.locator('[data-field-error="qty"]')
    await err.waitFor()
    // the API's error, worded by its code and field in the page's language (the server's words in the title)
    expect(await err.textContent()).toBe('Quantity must be a whole number above 0')
    expect(await err.getAttribute('title')).toBe(probe.body.error.message)
    // The error sits inside the qty field's label.
    expect(await form.locator('label:has(input[name=qty]) [data-field-error="qty"]').count()).toBe(1)

    await form.locator('input[name=qty]').fill('12')
    await form.locator('button[type=submit]').click()
    await form.locator('[role=status]').waitFor()
    expect(await form.locator('[data-field-error]').count()).toBe(0)
    const { requests } = await apiGet<{ requests: (Req & { reason: string; abo: string })[] }>(server.url, COORD, '/api/requests?site=YB')
    const filed = requests.find((r) => r.reason === '术中大出血')
    expect(filed).toMatchObject({ qty: 12, abo: 'A', status: 'open', urgency: 'urgent' })
    await page.locator(`tr[data-request="${filed!.id}"]`).waitFor()
    await page.screenshot({ path: screenshotPath('ui-requests.png'), fullPage: true })

    // The director cancels it, which asks first: it leaves the open list and the API records it cancelled.
    await page.locator(`tr[data-request="${filed!.id}"] button.cancel-request`).click()
    await page.locator(`tr[data-request="${filed!.id}"] .confirm`).waitFor()
    expect((await apiGet<Req>(server.url, COORD, `/api/requests/${filed!.id}`)).status).toBe('open')
    await page.locator(`tr[data-request="${filed!.id}"] button.confirm-yes`).click()
    await page.locator(`tr[data-request="${filed!.id}"]`).waitFor({ state: 'detached' })
    expect((await apiGet<Req>(server.url, COORD, `/api/requests/${filed!.id}`)).status).toBe('cancelled')
    await page.context().close()
  })
})
