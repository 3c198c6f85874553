// An earthquake near Luding, in the UI alone: the coordinator declares it with casualties and plans the response in
// under two minutes, opens the green channel, the donor director (Chengdu) dispatches from their phone, and the
// incident screen shows the transfer on the way without a reload. Then in English, and closing it shows the report.
import type { Browser, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { DEMO_TOKENS } from '../../seed/demo'
import { apiCall, apiGet, eventually } from './api'
import { openApp, overflow, pageErrors, screenshotPath } from './browser'
import { useApp } from './harness'
import type { Server } from './server'

let server: Server
let browser: Browser
useApp((s, b) => { server = s; browser = b })

const COORD = DEMO_TOKENS.coordinator
type Transfer = { id: string; status: string; fromSite: string; toSite: string; component: string; qty: number; requests: { urgency: string }[] }
type Incident = { id: string; status: string; greenChannel: boolean; points: { siteId: string }[]; transfers: Transfer[]; estimate: { totals: { component: string; urgency: string; qty: number }[] }; response: { stations: unknown[] } | null }
/** A box temperature inside each component's transport range (docs/domain-facts.md). */
const BOX: Record<string, string> = { RBC: '4', WB: '4', PLT: '22', FFP: '-20', CRYO: '-20' }


let incidentId = ''
let coordPage: Page
let coordErrors: string[]

describe('an earthquake near Luding', () => {
  it('the coordinator declares it with casualties and plans the response, in the UI alone, in under two minutes', async () => {
    const started = Date.now()
    coordPage = await openApp(browser, server.url, { token: COORD, path: '/incidents' })
    coordErrors = pageErrors(coordPage)
    const form = coordPage.locator('form.declare-form')
    await form.locator('input[name=name]').fill('泸定 6.8 级地震')
    // a click on the map puts the point there; then the exact epicentre is typed in
    await form.locator('.pick-map[data-ready=true]').click({ position: { x: 120, y: 150 } })
    await eventually(() => form.locator('input[name=lat]').inputValue()).not.toBe('')
    await form.locator('input[name=lat]').fill('29.59')
    await form.locator('input[name=lng]').fill('102.08')
    await form.locator('input[name=critical]').fill('8')
    await form.locator('input[name=severe]').fill('20')
    await form.locator('input[name=moderate]').fill('40')
    await form.locator('button.declare').click()
    await coordPage.waitForURL(/\/incidents\/inc_/)
    incidentId = new URL(coordPage.url()).pathname.split('/').pop()!
    await coordPage.locator('.estimate-table tbody tr').first().waitFor()
    const inc = await apiGet<Incident>(server.url, COORD, `/api/incidents/${incidentId}`)
    // Kangding (Garze) receives first, then Ya'an; 8 critical × 75 % × 20 U = 120 U of red cells in an emergency
    expect(inc.points.map((p) => p.siteId)).toEqual(['GZ', 'YA'])
    expect(inc.estimate.totals.find((t) => t.component === 'RBC' && t.urgency === 'emergency')?.qty).toBe(120)
    expect(await coordPage.locator('.estimate-table tbody tr').count()).toBeGreaterThan(8)
    expect(await coordPage.locator('.incident-map .leaflet-interactive').count()).toBeGreaterThanOrEqual(3)

    await coordPage.locator('button.plan-incident').click()
    await coordPage.locator('table.incident-transfers tbody tr').first().waitFor({ timeout: 30_000 })
    const elapsed = Date.now() - started
    expect(elapsed).toBeLessThan(120_000)
    const planned = await apiGet<Incident>(server.url, COORD, `/api/incidents/${incidentId}`)
    expect(planned.transfers.length).toBeGreaterThan(0)
    expect(await coordPage.locator('table.incident-transfers tbody tr').count()).toBe(planned.transfers.filter((t) => t.status !== 'rejected').length)
    expect(await coordPage.locator('table.incident-transfers tr[data-state="planned"]').count()).toBe(planned.transfers.length)
    // the donor stations before and after, with their levels
    await coordPage.locator('table.incident-stations tbody tr').first().waitFor()
    expect(await coordPage.locator('table.incident-stations [data-level-after]').count()).toBe(planned.response!.stations.length)
    await coordPage.screenshot({ path: screenshotPath('ui-incident-planned.png'), fullPage: true })
  })

  it('opens the green channel: the emergency transfers are approved and committed at once', async () => {
    await coordPage.locator('button.open-green').click()
    await coordPage.locator('.badge.green-channel[data-green=open]').waitFor()
    const inc = await apiGet<Incident>(server.url, COORD, `/api/incidents/${incidentId}`)
    expect(inc.greenChannel).toBe(true)
    const committed = inc.transfers.filter((t) => t.status === 'committed')
    expect(committed.length).toBeGreaterThan(0)
    expect(committed.every((t) => t.requests.some((r) => r.urgency === 'emergency'))).toBe(true)
    await eventually(() => coordPage.locator('table.incident-transfers tr[data-status="committed"]').count()).toBe(committed.length)
    // the timeline says so
    await coordPage.locator('.incident-timeline li[data-action="incident.green_channel"]').waitFor()
    // the coordinator can still recall a box until it is dispatched (one from elsewhere than Chengdu)
    const other = committed.find((t) => t.fromSite !== 'CD')!
    const row = coordPage.locator(`table.incident-transfers tr[data-transfer="${other.id}"]`)
    await row.locator('button.recall').click()
    await row.locator('.confirm button.confirm-yes').click()
    await coordPage.locator(`table.incident-transfers tr[data-transfer="${other.id}"][data-state="stopped"]`).waitFor()
    expect((await apiGet<Transfer>(server.url, COORD, `/api/transfers/${other.id}`)).status).toBe('cancelled')
  })

  it('the director of a donor station sees the transfers concerning their station and dispatches from a phone; the coordinator sees it on the way', async () => {
    const inc = await apiGet<Incident>(server.url, COORD, `/api/incidents/${incidentId}`)
    // which station sends is the plan's choice among equally good ones: take the first committed box
    // (Chengdu's when it sends one) and sign in as that station's director, added by the admin
    const committed = inc.transfers.filter((t) => t.status === 'committed')
    const tr = committed.find((t) => t.fromSite === 'CD') ?? committed[0]
    expect(tr, 'some station sends an emergency box').toBeTruthy()
    const donor = tr!.fromSite
    const made = await apiCall<{ token: { token: string } }>(server.url, DEMO_TOKENS.admin, '/api/users', { method: 'POST', body: { name: `Director ${donor}`, role: 'director', siteId: donor } })
    expect(made.status).toBe(201)
    const mine = inc.transfers.filter((t) => t.fromSite === donor || t.toSite === donor)
    const phone = await openApp(browser, server.url, { token: made.body.token.token, path: `/incidents/${incidentId}`, phone: true })
    const errors = pageErrors(phone)
    await phone.locator('table.incident-transfers tbody tr').first().waitFor()
    expect(await phone.locator('table.incident-transfers tbody tr').count()).toBe(mine.filter((t) => t.status !== 'rejected').length)
    expect(await phone.locator('button.plan-incident').count()).toBe(0)
    const row = phone.locator(`table.incident-transfers tr[data-transfer="${tr!.id}"]`)
    await row.locator('input[name=temperatureC]').fill(BOX[tr!.component])
    await row.locator('input[name=carrier]').fill('川A·12345 王师傅')
    await row.locator('button.dispatch').click()
    await phone.locator(`table.incident-transfers tr[data-transfer="${tr!.id}"][data-state="on_the_way"]`).waitFor()
    expect(await overflow(phone)).toBeLessThanOrEqual(0)
    await phone.screenshot({ path: screenshotPath('ui-incident-director-phone.png'), fullPage: true })
    expect(errors).toEqual([])
    await phone.context().close()

    // the coordinator's open screen shows it on the way, without a reload (the events feed)
    await coordPage.locator(`table.incident-transfers tr[data-transfer="${tr!.id}"][data-state="on_the_way"]`).waitFor({ timeout: 20_000 })
    expect(await coordPage.locator(`table.incident-transfers tr[data-transfer="${tr!.id}"] .state-on_the_way`).textContent()).toBe('在途')
    expect(coordErrors).toEqual([])
  })

  it('in English; closing it shows what was sent, received and left unmet, with a CSV export', async () => {
    const page = await openApp(browser, server.url, { token: COORD, path: `/incidents/${incidentId}`, lang: 'en' })
    const errors = pageErrors(page)
    await page.locator('table.incident-transfers tr[data-state="on_the_way"]').first().waitFor()
    expect(await page.locator('table.incident-transfers .state-on_the_way').first().textContent()).toBe('on the way')
    expect(await page.locator('h3', { hasText: 'Donor stations before and after' }).count()).toBe(1)
    await page.locator('button.close-incident').click()
    await page.locator('.confirm button.confirm-yes').click()
    await page.locator('.incident-report table.report-totals tbody tr').first().waitFor()
    const rbc = page.locator('.incident-report tr[data-component="RBC"]')
    expect(await rbc.locator('td').nth(1).textContent()).toBe('176')   // 120 + 48 + 8 U of red cells requested
    expect(await page.locator('.incident-page[data-status="closed"]').count()).toBe(1)
    expect(await page.locator('button.plan-incident').count()).toBe(0)
    const download = page.waitForEvent('download')
    await page.locator('button.report-csv').click()
    expect((await download).suggestedFilename()).toContain(incidentId)
    expect(errors).toEqual([])
    await page.context().close()
    await coordPage.context().close()
  })
})
