// From an unmet rare need to a donor's unit in the next plan, in the UI, each step by the role that does it: the
// coordinator finds a Fy(a-) donor for the Garze patient and calls them up; the Chengdu director (on a phone) schedules,
// records the donation and releases the unit; it is in Chengdu's stock and the next plan sends it to Garze.
import type { Browser, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { DEMO_TOKENS } from '../../seed/demo'
import { apiCall, apiGet, eventually } from './api'
import { openApp, overflow, pageErrors, screenshotPath } from './browser'
import { useApp } from './harness'
import type { Server } from './server'

let server: Server
let browser: Browser
useApp((s, b) => {
  server = s
  browser = b
})

const COORD = DEMO_TOKENS.coordinator
const DIR_CD = DEMO_TOKENS['director-cd']
const REQ = 'req_demo_06' // Garze: 2 U O+ Fy(a-) red cells, urgent
type Lot = { id: string; siteId: string; component: string; abo: string; rhd: string; qty: number; antigens: unknown }
type Callup = { id: string; donorCode: string; status: string; siteId: string; requestId: string; lotId: string | null; createdBy: string }
type Plan = {
  id: string
  transfers: { id: string; fromSite: string; toSite: string; qty: number; lots: { lotId: string; qty: number }[]; requests: { requestId: string }[] }[]
  unmet: { need: string; reason?: string; donors?: { siteId: string; roadHours: number; meetsDeadline: boolean }[] }[]
}
const ids: { callup?: string; code?: string; lot?: string } = {}

/** Elements reaching past the right edge of the screen (tag.class and their right edge). */
const tooWide = (page: Page) =>
  page.evaluate<string[]>(`[...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).slice(0, 8)
  .map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))`)

describe('the rare-donor pool, role by role', () => {
  it('a coordinator finds a Fy(a-) donor for an unmet request and calls them up', async () => {
    // the region's O Fy(a-) red cells go to local patients first: Garze's Fy(a-) patient has no compatible stock left
    const { lots } = await apiGet<{ lots: Lot[] }>(server.url, COORD, `/api/stock/rare?antigen=${encodeURIComponent('Fy(a-)')}&component=RBC`)
    for (const l of lots.filter((x) => x.abo === 'O')) {
      const r = await apiCall(server.url, COORD, '/api/movements', {
        method: 'POST',
        headers: { 'idempotency-key': `ui-issue-${l.id}` },
        body: { siteId: l.siteId, kind: 'issue', lotId: l.id, qty: l.qty, reason: '本院 Fy(a-) 患者 (local patient)' },
      })
      expect(r.status).toBe(201)
    }
    const page = await openApp(browser, server.url, { token: COORD, path: '/plan' })
    const errors = pageErrors(page)
    await page.locator('button.run-planner').click()
    await page.waitForURL(/\/plan\?id=/)
    const plan = await apiGet<Plan>(server.url, COORD, `/api/plans/${new URL(page.url()).searchParams.get('id')}`)
    const unmet = plan.unmet.find((u) => u.need === REQ)!
    expect(unmet.reason).toBe('no_compatible_stock')
    expect(unmet.donors!.length).toBeGreaterThan(0)
    // the unmet row lists the donors' stations nearest first, with whether a called donor's unit arrives in time
    const row = page.locator(`.unmet-list tr[data-need="${REQ}"]`)
    await row.locator('[data-donor-site]').first().waitFor()
    expect(await row.locator('[data-donor-site]').evaluateAll((els) => els.map((e) => e.getAttribute('data-donor-site')))).toEqual(
      unmet.donors!.slice(0, 3).map((d) => d.siteId),
    )
    expect(await row.locator('td.reason').textContent()).toBe('区域内无相容库存')
    // (a full load: leaving the plan page while its map still animates throws inside Leaflet, a map-page matter)
    const href = await row.locator('a.find-donors').getAttribute('href')
    expect(href).toBe(`/donors?request=${REQ}`)
    await page.goto(server.url + href)
    await page.locator('.donor-results tr[data-donor]').first().waitFor()
    // nearest by road to Kangding first, as the API answers
    const api = await apiGet<{ donors: { code: string; roadHours: number }[] }>(server.url, COORD, `/api/donors?request=${REQ}`)
    expect(await page.locator('.donor-results tr[data-donor]').evaluateAll((els) => els.map((e) => e.getAttribute('data-donor')))).toEqual(
      api.donors.map((d) => d.code),
    )
    const pick = page.locator('.donor-results tr[data-site="CD"][data-eligible="true"]').first()
    ids.code = (await pick.getAttribute('data-donor'))!
    expect(await pick.locator('button.call-up').textContent()).toBe('招募献血')
    await pick.locator('button.call-up').click()
    await page.locator(`.callup-table tr[data-status="asked"]:has(code:text-is("${ids.code}"))`).waitFor()
    const { callups } = await apiGet<{ callups: Callup[] }>(server.url, COORD, `/api/callups?request=${REQ}`)
    expect(callups).toEqual([expect.objectContaining({ donorCode: ids.code, status: 'asked', siteId: 'CD', createdBy: 'u-coordinator' })])
    ids.callup = callups[0]!.id
    // the donor is no longer offered for another call
    expect(await page.locator(`.donor-results tr[data-donor="${ids.code}"] button.call-up`).count()).toBe(0)
    await page.screenshot({ path: screenshotPath('ui-donors-coordinator.png'), fullPage: true })
    expect(errors).toEqual([])
    await page.context().close()
  })

  it("the donor's station director, on a phone, schedules, records the donation and releases the unit into stock", async () => {
    const page = await openApp(browser, server.url, { token: DIR_CD, path: '/donors', phone: true, lang: 'en' })
    const errors = pageErrors(page)
    const row = page.locator(`.callup-table tr[data-callup="${ids.callup}"]`)
    await row.waitFor()
    await row.locator('button.move-scheduled').click()
    await page.locator(`.callup-table tr[data-callup="${ids.callup}"][data-status="scheduled"]`).waitFor()
    await row.locator('button.move-donated').click()
    await page.locator(`.callup-table tr[data-callup="${ids.callup}"][data-status="donated"]`).waitFor()
    expect(await row.locator('button.move-released').textContent()).toBe('Tested: release to stock')
    await row.locator('button.move-released').click()
    await page.locator(`.callup-table tr[data-callup="${ids.callup}"][data-status="released"]`).waitFor()
    ids.lot = (await row.locator('[data-lot]').getAttribute('data-lot'))!
    await page.screenshot({ path: screenshotPath('ui-donors-director-phone.png'), fullPage: true })
    expect(await tooWide(page)).toEqual([])
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    // the unit is in Chengdu's stock: 2 U O+ red cells carrying Fy(a-)
    const { lots } = await apiGet<{ lots: Lot[] }>(server.url, DIR_CD, '/api/stock/lots?site=CD&component=RBC&abo=O')
    const lot = lots.find((l) => l.id === ids.lot)!
    expect(lot).toMatchObject({ siteId: 'CD', rhd: '+', qty: 2 })
    expect(JSON.stringify(lot.antigens)).toContain('Fy(a-)')
    // the station's own register: its donors out as CSV, a screening recorded
    const reg = page.locator('.station-register')
    await reg.locator('button.export-csv').click()
    await reg.locator('[role=status]').waitFor()
    expect(await reg.locator('textarea[name=csv]').inputValue()).toContain(`${ids.code},O,+,Fy(a-),yes,`)
    const form = reg.locator('form.screening-form')
    await form.locator('input[name=antigen]').fill('Jk(a-b-)')
    await form.locator('input[name=screened]').fill('4200')
    await form.locator('input[name=found]').fill('0')
    await form.locator('button[type=submit]').click()
    await eventually(() => reg.locator('[role=status]').textContent()).toBe('Screening recorded')
    const pool = await apiGet<{ screening: { siteId: string; antigen: string; screened: number }[] }>(server.url, COORD, '/api/donors/pool')
    expect(pool.screening.find((x) => x.siteId === 'CD' && x.antigen === 'Jk(a-b-)')!.screened).toBeGreaterThanOrEqual(4200)
    expect(await tooWide(page)).toEqual([])
    const done = await apiGet<Callup>(server.url, COORD, `/api/callups/${ids.callup}`)
    expect(done).toMatchObject({ status: 'released', lotId: ids.lot })
    expect(errors).toEqual([])
    await page.context().close()
  })

  it('the next plan sends the released unit to Garze', async () => {
    const page = await openApp(browser, server.url, { token: COORD, path: '/plan', lang: 'en' })
    const errors = pageErrors(page)
    await page.locator('button.run-planner').click()
    await page.waitForURL(/\/plan\?id=/)
    const plan = await apiGet<Plan>(server.url, COORD, `/api/plans/${new URL(page.url()).searchParams.get('id')}`)
    const sent = plan.transfers.find((t) => t.lots.some((l) => l.lotId === ids.lot))!
    expect(sent).toMatchObject({ fromSite: 'CD', toSite: 'GZ', qty: 2 })
    expect(sent.requests.map((r) => r.requestId)).toEqual([REQ])
    await eventually(() => page.locator(`tr[data-transfer="${sent.id}"]`).count()).toBe(1)
    expect(await page.locator(`.unmet-list tr[data-need="${REQ}"]`).count()).toBe(0)
    expect(plan.unmet.find((u) => u.need === REQ)).toBeUndefined()
    expect(errors).toEqual([])
    await page.context().close()
  })
})
