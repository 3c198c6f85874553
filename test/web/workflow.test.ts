import type { Browser } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { apiCall, apiGet, eventually } from './api'
import { openApp } from './browser'
import { DEMO_TOKENS } from '../../seed/demo'
import { useApp } from './harness'
import type { Server } from './server'

let server: Server
let browser: Browser
const COORD = DEMO_TOKENS.coordinator
const DIRECTOR = DEMO_TOKENS['director-yb']

useApp((s, b) => { server = s; browser = b })

type Req = { id: string; siteId: string; urgency: string; status: string; qty: number }
type Transfer = { id: string; status: string; qty: number; fromSite: string; toSite: string; component: string; abo: string; rhd: string; requests: { requestId: string; qty: number }[] }
type Plan = {
  id: string; status: string; transfers: Transfer[]; unmet: { need: string; qty: number; reason?: string; message?: string }[]
  result: { allocations: { need: string; abo: string; rhd: string; qty: number; substitution: boolean }[] }
}
/** The reason codes as the UI must word them, in each language (web/src/locales). */
const REASON = {
  en: { no_compatible_stock: 'No compatible stock in the region', none_in_time: 'Nothing can arrive in time' },
  zh: { no_compatible_stock: '区域内无相容库存', none_in_time: '无法按时送达' },
} as const
const OPEN = ['open', 'planned', 'partly_fulfilled']
/** The plan the coordinator runs first; later tests review its other transfers. */
let plan: Plan

describe('aid requests', () => {
  it('lists the open requests with urgency badges', async () => {
    const { requests } = await apiGet<{ requests: Req[] }>(server.url, COORD, '/api/requests')
    const open = requests.filter((r) => OPEN.includes(r.status))
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
      body: { siteId: 'YB', component: 'RBC', abo: 'A', rhd: '+', qty: 0, urgency: 'urgent', neededBy: new Date(Date.now() + 86400_000).toISOString(), reason: 'probe' },
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
    expect(await err.textContent()).toBe(probe.body.error.message)
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
    await page.screenshot({ path: '/tmp/ui-requests.png', fullPage: true })

    // The director cancels it: it leaves the open list and the API records it cancelled.
    await page.locator(`tr[data-request="${filed!.id}"] button`).click()
    await page.locator(`tr[data-request="${filed!.id}"]`).waitFor({ state: 'detached' })
    expect((await apiGet<Req>(server.url, COORD, `/api/requests/${filed!.id}`)).status).toBe('cancelled')
    await page.context().close()
  })
})

describe('plan review (coordinator)', () => {
  it('runs the planner, approves a transfer, commits it, dispatches and receives it', async () => {
    const page = await openApp(browser, server.url, { token: COORD, path: '/plan', lang: 'en' })
    await page.locator('button.run-planner').click()
    await page.waitForURL(/\/plan\?id=/)
    const planId = new URL(page.url()).searchParams.get('id')!
    plan = await apiGet<Plan>(server.url, COORD, `/api/plans/${planId}`)
    expect(plan.transfers.length).toBeGreaterThan(2)
    await eventually(() => page.locator('.transfer-table tbody tr').count()).toBe(plan.transfers.length)
    // One line on the map per proposed transfer.
    await eventually(() => page.locator('path.transfer-line').count()).toBe(plan.transfers.length)
    // Unmet rows: exactly the API's needs with qty > 0, reasons translated. The demo leaves exactly one:
    // GZ's RhD-negative platelets needed within the hour, which nothing can reach in time.
    expect(plan.unmet).toEqual([expect.objectContaining({ need: 'req_demo_10', qty: 2, reason: 'none_in_time' })])
    await eventually(() => page.locator('.unmet-list tbody tr').count()).toBe(1)
    const unmetRow = page.locator('.unmet-list tr[data-need="req_demo_10"]')
    expect(await unmetRow.getAttribute('data-reason')).toBe('none_in_time')
    expect(await unmetRow.locator('td.reason').textContent()).toBe(REASON.en.none_in_time)
    // the solver's own message is the reason's tooltip
    expect(await unmetRow.locator('td.reason').getAttribute('title')).toBe(plan.unmet[0].message)
    expect((await unmetRow.locator('td').allTextContents()).slice(1, 5)).toEqual(['Garze Prefecture Central Blood Station (Kangding)', 'Apheresis platelets', 'O-', '2 / 2'])
    expect(await unmetRow.locator('.badge[data-urgency="emergency"]').count()).toBe(1)

    // Substitution: the region holds no A- red cells, so PZH's A- patient gets O-. The API marks those
    // allocations (and only those) as substitutions; the table marks their transfers, and no other.
    const subs = plan.result.allocations.filter((a) => a.substitution)
    expect(subs.map((a) => [a.need, `${a.abo}${a.rhd}`])).toEqual(subs.map(() => ['req_demo_09', 'O-']))
    expect(subs.reduce((n, a) => n + a.qty, 0)).toBe(2)
    const substituted = plan.transfers.filter((x) => x.requests.some((r) => r.requestId === 'req_demo_09'))
    expect(substituted.length).toBeGreaterThan(0)
    expect(await page.locator('.transfer-table tbody tr[data-substitution]').count()).toBe(substituted.length)
    for (const x of substituted) {
      expect(x).toMatchObject({ toSite: 'PZH', component: 'RBC', abo: 'O', rhd: '-' })
      const subRow = page.locator(`tr[data-transfer="${x.id}"]`)
      expect(await subRow.getAttribute('data-substitution')).toBe('A-')
      expect(await subRow.locator('td').nth(3).textContent()).toBe('O-')
      expect(await subRow.locator('td.substitution').textContent()).toBe('for A-')
    }
    for (const x of plan.transfers.filter((y) => !substituted.includes(y)))
      expect(await page.locator(`tr[data-transfer="${x.id}"] td.substitution`).textContent(), x.id).toBe('')
    await page.screenshot({ path: '/tmp/ui-plan.png', fullPage: true })

    // The same plan in Chinese (the default language): the reason and the substitution are translated.
    const zhPage = await openApp(browser, server.url, { token: COORD, path: `/plan?id=${planId}` })
    const zhUnmet = zhPage.locator('.unmet-list tr[data-need="req_demo_10"] td.reason')
    await zhUnmet.waitFor()
    expect(await zhPage.locator('.unmet-list tbody tr').count()).toBe(1)
    expect(await zhUnmet.textContent()).toBe(REASON.zh.none_in_time)
    expect(await zhPage.locator('.unmet-list tr[data-need="req_demo_10"] .badge').textContent()).toBe('紧急')
    for (const x of substituted) expect(await zhPage.locator(`tr[data-transfer="${x.id}"] td.substitution`).textContent()).toBe('替代 A-')
    expect(await zhPage.locator('.transfer-table thead th').nth(6).textContent()).toBe('替代')
    await zhPage.screenshot({ path: '/tmp/ui-plan-zh.png', fullPage: true })
    await zhPage.context().close()

    const tr = plan.transfers[0]
    const row = page.locator(`tr[data-transfer="${tr.id}"]`)
    expect(await row.getAttribute('data-status')).toBe('proposed')
    // Commit is disabled until something is approved.
    expect(await page.locator('button.commit').isDisabled()).toBe(true)
    await row.locator('button.approve').click()
    await page.locator(`tr[data-transfer="${tr.id}"][data-status="approved"]`).waitFor()
    expect((await apiGet<Transfer>(server.url, COORD, `/api/transfers/${tr.id}`)).status).toBe('approved')

    await page.locator('button.commit').click()
    await page.locator(`tr[data-transfer="${tr.id}"][data-status="committed"]`).waitFor()
    expect(await row.locator('.badge.status').textContent()).toBe('Committed')
    expect((await apiGet<Transfer>(server.url, COORD, `/api/transfers/${tr.id}`)).status).toBe('committed')
    // The other transfers were not committed.
    for (const other of plan.transfers.slice(1)) expect(await page.locator(`tr[data-transfer="${other.id}"]`).getAttribute('data-status')).toBe('proposed')

    // The region map draws the committed transfer (for its component) as a line.
    const full = plan.transfers[0] as Transfer & { component: string }
    const map = await openApp(browser, server.url, { token: COORD })
    await map.locator('path.site-marker').first().waitFor()
    await map.selectOption('select[name=component]', full.component)
    await map.locator(`path.transfer-line.status-committed[data-transfer="${tr.id}"]`).waitFor()
    expect(await map.locator('path.transfer-line').count()).toBe(1)
    await map.context().close()

    await row.locator('button.dispatch').click()
    await page.locator(`tr[data-transfer="${tr.id}"][data-status="dispatched"]`).waitFor()
    await row.locator('button.receive').click()
    await page.locator(`tr[data-transfer="${tr.id}"][data-status="received"]`).waitFor()
    const done = await apiGet<Transfer & { receivedQty: number }>(server.url, COORD, `/api/transfers/${tr.id}`)
    expect(done).toMatchObject({ status: 'received', receivedQty: tr.qty })
    await page.context().close()
  })

  it('rejects with a reason and edits a quantity; an over-large quantity shows the API error', async () => {
    const page = await openApp(browser, server.url, { token: COORD, path: `/plan?id=${plan.id}`, lang: 'en' })
    const rest = plan.transfers.slice(1)
    const big = rest.filter((x) => x.qty >= 2)
    expect(big.length, 'a transfer of 2 or more units to edit').toBeGreaterThan(0)

    const target = big[0]
    const row = page.locator(`tr[data-transfer="${target.id}"]`)
    await row.locator('input[name=qty]').fill(String(target.qty - 1))
    await row.locator('button.save-qty').click()
    await eventually(async () => (await apiGet<Transfer>(server.url, COORD, `/api/transfers/${target.id}`)).qty).toBe(target.qty - 1)

    await row.locator('input[name=qty]').fill(String(target.qty + 5))
    await row.locator('button.save-qty').click()
    const alert = page.locator('.plan-page > [role=alert]')
    await alert.waitFor()
    const probe = await apiCall<{ error: { message: string } }>(server.url, COORD, `/api/transfers/${target.id}`, { method: 'PATCH', body: { qty: target.qty + 5 } })
    expect(probe.status).toBeGreaterThanOrEqual(400)
    expect(await alert.textContent()).toContain(probe.body.error.message)

    const other = rest.find((x) => x.id !== target.id)!
    const orow = page.locator(`tr[data-transfer="${other.id}"]`)
    await orow.locator('button.reject').click()
    await orow.locator('input[name=rejectReason]').fill('路况中断')
    await orow.locator('button.confirm-reject').click()
    await page.locator(`tr[data-transfer="${other.id}"][data-status="rejected"]`).waitFor()
    expect(await apiGet<Transfer & { rejectReason: string }>(server.url, COORD, `/api/transfers/${other.id}`)).toMatchObject({ status: 'rejected', rejectReason: '路况中断' })
    await page.context().close()
  })

  it('a station director sees the plan but no review buttons', async () => {
    const page = await openApp(browser, server.url, { token: DIRECTOR, path: `/plan?id=${plan.id}` })
    await page.locator('.transfer-table tbody tr').first().waitFor()
    expect(await page.locator('button.run-planner').count()).toBe(0)
    expect(await page.locator('.transfer-table button').count()).toBe(0)
    expect(await page.locator('.plan-page .meta').first().textContent()).toBe('只有省级协调员可以运行规划和审批调拨。')
    await page.context().close()
  })
})
