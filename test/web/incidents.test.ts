// An earthquake near Luding, in the UI alone: the coordinator declares it with casualties (a place at latitude 45 is
// questioned first), sees the estimate as a range and picks a figure, plans the response in under two minutes, opens
// the green channel after a confirmation naming what it commits, the donor director dispatches from their phone, and
// the incident screen shows the transfer on the way without a reload. Then in English, and closing it shows the report.
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
type Transfer = {
  id: string
  status: string
  fromSite: string
  toSite: string
  component: string
  qty: number
  planId: string | null
  requests: { urgency: string }[]
}
type Incident = {
  id: string
  status: string
  kind: string
  greenChannel: boolean
  points: { siteId: string }[]
  transfers: Transfer[]
  response: { stations: unknown[] } | null
  estimate: {
    basis: string
    totals: { component: string; urgency: string; qty: number }[]
    components: { component: string; low: number; mid: number; high: number; qty: number }[]
    lines: { component: string; qty: number }[]
  }
}
const URGENCY = ['emergency', 'urgent', 'routine']
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
    expect(await form.locator('select[name=kind]').inputValue()).toBe('earthquake')
    // a click on the map puts the point there; a mistyped latitude of 45 is questioned and nothing is declared
    await form.locator('.pick-map[data-ready=true]').click({ position: { x: 120, y: 150 } })
    await eventually(() => form.locator('input[name=lat]').inputValue()).not.toBe('')
    await form.locator('input[name=lat]').fill('45')
    await form.locator('input[name=lng]').fill('102.08')
    await form.locator('input[name=critical]').fill('8')
    await form.locator('input[name=severe]').fill('20')
    await form.locator('input[name=moderate]').fill('40')
    await form.locator('button.declare').click()
    const asked = form.locator('.outside-region[data-field=lat] .confirm')
    await asked.waitFor()
    expect(await asked.textContent()).toContain('不在川渝地区内')
    await asked.locator('button.confirm-no').click()
    const before = await apiGet<{ incidents: { name: string }[] }>(server.url, COORD, '/api/incidents')
    expect(before.incidents.filter((i) => i.name === '泸定 6.8 级地震')).toHaveLength(0)
    // then the exact epicentre is typed in
    await form.locator('input[name=lat]').fill('29.59')
    await form.locator('button.declare').click()
    await coordPage.waitForURL(/\/incidents\/inc_/)
    incidentId = new URL(coordPage.url()).pathname.split('/').pop()!
    await coordPage.locator('.estimate-range tbody tr').first().waitFor()
    const inc = await apiGet<Incident>(server.url, COORD, `/api/incidents/${incidentId}`)
    // Kangding (Garze) receives first, then Ya'an; as an earthquake, 8 critical, 20 severe, 40 moderate ask 32–62 U of
    // red cells, 47 in the middle (test/solver/incident-demand.test.ts shows the arithmetic)
    expect(inc.points.map((p) => p.siteId)).toEqual(['GZ', 'YA'])
    expect([inc.kind, inc.estimate.basis]).toEqual(['earthquake', 'triaged'])
    expect(inc.estimate.components.find((c) => c.component === 'RBC')).toMatchObject({ low: 32, mid: 47, high: 62, qty: 47 })
    // the screen shows the range with its unit, and what the plan uses
    const rbcRow = coordPage.locator('.estimate-range tr[data-component="RBC"]')
    expect(await rbcRow.locator('td.range').textContent()).toBe('32 U – 62 U（中值 47 U）')
    expect(await rbcRow.locator('input.pick').inputValue()).toBe('47')
    // the coordinator picks 55 U: the estimate's red-cell lines add up to 55
    await rbcRow.locator('input.pick').fill('55')
    await coordPage.locator('button.save-picks').click()
    await coordPage.locator('.estimate-range tr[data-component="RBC"][data-qty="55"] .badge.picked').waitFor()
    const picked = await apiGet<Incident>(server.url, COORD, `/api/incidents/${incidentId}`)
    expect(picked.estimate.lines.filter((l) => l.component === 'RBC').reduce((s, l) => s + l.qty, 0)).toBe(55)
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
    // transfers sort by urgency, emergencies first; quantities carry their unit
    const urgencies = await coordPage.locator('table.incident-transfers tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-urgency')))
    const ranks = urgencies.map((u) => URGENCY.indexOf(u ?? ''))
    expect(ranks[0]).toBe(0)
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b))
    const firstId = await coordPage.locator('table.incident-transfers tbody tr').first().getAttribute('data-transfer')
    const first = planned.transfers.find((t) => t.id === firstId)!
    const unit: Record<string, string> = { RBC: 'U', WB: 'U', CRYO: 'U', FFP: '×100 mL', PLT: '治疗量' }
    expect(await coordPage.locator('table.incident-transfers tbody tr').first().locator('td').nth(3).textContent()).toBe(
      `${first.qty} ${unit[first.component]}`,
    )
    // the map fits the donor stations and the receiving points, with an arrow per transfer and both legends
    const map = coordPage.locator('.incident-map')
    const donors = new Set(planned.transfers.map((t) => t.fromSite).filter((s) => s !== 'GZ' && s !== 'YA'))
    await eventually(() => map.locator('path.incident-donor').count()).toBe(donors.size)
    // one arrow per route and state, whatever the number of boxes on it
    const routes = new Set(planned.transfers.map((t) => `${t.fromSite}>${t.toSite}|${t.status}`))
    expect(await map.locator('path.transfer-line').count()).toBe(routes.size)
    expect(await map.locator('path.transfer-line[marker-end]').count()).toBe(routes.size)
    expect(await map.locator('.transfer-legend').count()).toBe(1)
    expect(await map.locator('.incident-legend [data-marker]').count()).toBe(3)
    const box = (await map.boundingBox())!
    for (const el of await map.locator('path.incident-donor, path.incident-point').all()) {
      const b = (await el.boundingBox())!
      expect(b.x >= box.x && b.x + b.width <= box.x + box.width && b.y >= box.y && b.y + b.height <= box.y + box.height).toBe(true)
    }
    // the donor stations before and after, with their levels
    await coordPage.locator('table.incident-stations tbody tr').first().waitFor()
    expect(await coordPage.locator('table.incident-stations [data-level-after]').count()).toBe(planned.response!.stations.length)
    await coordPage.screenshot({ path: screenshotPath('ui-incident-planned.png'), fullPage: true })
  })

  it('on a phone the estimate folds, so the transfers are near the top', async () => {
    const phone = await openApp(browser, server.url, { token: COORD, path: `/incidents/${incidentId}`, phone: true })
    const errors = pageErrors(phone)
    await phone.locator('table.incident-transfers tbody tr').first().waitFor()
    expect(await phone.locator('details.estimate-lines').evaluate((d) => d.hasAttribute('open'))).toBe(false)
    // the range stays in sight, folded lines below it
    expect(await phone.locator('.estimate-range tr[data-component="RBC"]').count()).toBe(1)
    const top = await phone.locator('table.incident-transfers').evaluate((el) => el.getBoundingClientRect().top + el.ownerDocument.documentElement.scrollTop)
    expect(top).toBeLessThan(2600)
    expect(await overflow(phone)).toBeLessThanOrEqual(0)
    await phone.screenshot({ path: screenshotPath('ui-incident-coordinator-phone.png'), fullPage: true })
    expect(errors).toEqual([])
    await phone.context().close()
  })

  it('opens the green channel only after a confirmation naming the count, the stations and the units it commits', async () => {
    const before = await apiGet<Incident>(server.url, COORD, `/api/incidents/${incidentId}`)
    const expected = before.transfers.filter((t) => t.status === 'proposed' && t.requests.some((r) => r.urgency === 'emergency'))
    expect(expected.length).toBeGreaterThan(0)
    await coordPage.locator('button.open-green').click()
    // one click commits nothing: it asks first
    const ask = coordPage.locator(`.green-confirm[data-count="${expected.length}"]`)
    await ask.waitFor()
    const after1 = await apiGet<Incident>(server.url, COORD, `/api/incidents/${incidentId}`)
    expect(after1.greenChannel).toBe(false)
    expect(after1.transfers.filter((t) => t.status === 'committed')).toHaveLength(0)
    const text = (await ask.locator('.confirm p').textContent())!
    expect(text).toContain(`${expected.length} 笔紧急调拨`)
    const names = new Map((await apiGet<{ sites: { id: string; nameZh: string }[] }>(server.url, COORD, '/api/sites')).sites.map((s) => [s.id, s.nameZh]))
    for (const site of new Set(expected.map((t) => t.fromSite))) expect(text).toContain(names.get(site)!)
    const rbc = expected.filter((t) => t.component === 'RBC').reduce((s, t) => s + t.qty, 0)
    if (rbc > 0) expect(text).toContain(`红细胞 ${rbc} U`)
    expect((await ask.locator('.green-list li').evaluateAll((li) => li.map((x) => x.getAttribute('data-transfer')))).sort()).toEqual(
      expected.map((t) => t.id).sort(),
    )
    await ask.locator('button.confirm-yes').click()
    await coordPage.locator('.badge.green-channel[data-green=open]').waitFor()
    const inc = await apiGet<Incident>(server.url, COORD, `/api/incidents/${incidentId}`)
    expect(inc.greenChannel).toBe(true)
    const committed = inc.transfers.filter((t) => t.status === 'committed')
    // exactly what the confirmation named
    expect(committed.map((t) => t.id).sort()).toEqual(expected.map((t) => t.id).sort())
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
    const made = await apiCall<{ token: { token: string } }>(server.url, DEMO_TOKENS.admin, '/api/users', {
      method: 'POST',
      body: { name: `Director ${donor}`, role: 'director', siteId: donor },
    })
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
    expect(await rbc.locator('td').nth(1).textContent()).toBe('55 U') // the figure the coordinator picked
    expect(await page.locator('.estimate-range tr[data-component="RBC"] td.range').textContent()).toBe('32 U – 62 U (middle 47 U)')
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
