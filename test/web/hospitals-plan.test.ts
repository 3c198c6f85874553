// Hospitals in the plan (issue 23), walked in Chromium: the coordinator ticks "draw on hospitals", runs the planner,
// and the review names the hospital a transfer draws on, with the floor it keeps — in Chinese and in English, the
// figures the API holds.
import type { Browser } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { DEMO_TOKENS } from '../../seed/demo'
import { apiCall, apiGet, eventually } from './api'
import { openApp, overflow, pageErrors } from './browser'
import { useApp } from './harness'
import type { Server } from './server'

let server: Server
let browser: Browser
const COORD = DEMO_TOKENS.coordinator

useApp((s, b) => {
  server = s
  browser = b
})

const days = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString()

async function receive(siteId: string, qty: number): Promise<string> {
  const r = await apiCall<{ createdLots: string[] }>(server.url, COORD, '/api/movements', {
    method: 'POST',
    headers: { 'idempotency-key': `hp-${siteId}-${qty}-${Date.now()}` },
    body: {
      siteId,
      kind: 'receipt',
      lotId: `HP${siteId}${qty}`,
      component: 'WB',
      abo: 'AB',
      rhd: '-',
      antigens: [],
      qty,
      collectedAt: days(-1),
      expiresAt: days(30),
    },
  })
  expect(r.status, JSON.stringify(r.body)).toBe(201)
  return r.body.createdLots[0]!
}

type Transfer = {
  id: string
  fromSite: string
  qty: number
  component: string
  fromHospital?: { hospitalId: string; nameZh: string; nameEn: string; floor: number }
}

describe('the plan review with drawOnHospitals', () => {
  it('says which hospital a transfer draws on and the floor it keeps, in zh and en, at desktop and phone width', async () => {
    // YB supplied its hospital YB1 with 14 U of AB− whole blood in the last days (its use); YB1 now holds 40 U of it,
    // and YB asks for far more than the region holds in an emergency
    const lot = await receive('YB', 14)
    const issued = await apiCall(server.url, COORD, '/api/movements', {
      method: 'POST',
      headers: { 'idempotency-key': `hp-issue-${Date.now()}` },
      body: { siteId: 'YB', kind: 'issue', lotId: lot, qty: 14, urgency: 'emergency', hospitalId: 'YB1', reason: 'test' },
    })
    expect(issued.status, JSON.stringify(issued.body)).toBe(201)
    await receive('YB1', 40)
    const req = await apiCall<{ id: string }>(server.url, COORD, '/api/requests', {
      method: 'POST',
      body: { siteId: 'YB', component: 'WB', abo: 'AB', rhd: '-', qty: 5000, urgency: 'emergency', neededBy: days(1), reason: '术中大出血' },
    })
    expect(req.status, JSON.stringify(req.body)).toBe(201)

    const page = await openApp(browser, server.url, { token: COORD, path: '/plan' })
    const errors = pageErrors(page)
    await page.locator('input[name=drawOnHospitals]').check()
    await page.locator('button.run-planner').click()
    // a plan under review with approvals would be superseded: the page asks first
    const yes = page.locator('.confirm-yes')
    await Promise.race([page.waitForURL(/\/plan\?id=/, { timeout: 30_000 }), yes.waitFor({ timeout: 30_000 })])
    if (await yes.isVisible()) await yes.click()
    await page.waitForURL(/\/plan\?id=/, { timeout: 30_000 })
    const planId = new URL(page.url()).searchParams.get('id')!
    const plan = await apiGet<{ transfers: Transfer[]; instance: { drawOnHospitals?: boolean } }>(server.url, COORD, `/api/plans/${planId}`)
    expect(plan.instance.drawOnHospitals).toBe(true)
    const drawn = plan.transfers.filter((t) => t.fromHospital)
    expect(drawn.map((t) => t.fromSite)).toEqual(['YB1'])
    const t = drawn[0]!
    const h = t.fromHospital!
    expect(h.floor).toBeGreaterThanOrEqual(3) // at least 14 U over 14 days × 3 days
    expect(t.qty).toBe(40 - h.floor)

    const line = page.locator(`tr[data-transfer="${t.id}"] .from-hospital`)
    await eventually(() => line.textContent()).toBe(`从医院 ${h.nameZh} 调出 ${t.qty} U（该院库存高于其底线 ${h.floor} U）`)
    expect(await page.locator('.hospital-draw').getAttribute('data-hospital-transfers')).toBe('1')
    expect(errors).toEqual([])
    await page.context().close()

    const en = await openApp(browser, server.url, { token: COORD, path: `/plan?id=${planId}`, lang: 'en' })
    await eventually(() => en.locator(`tr[data-transfer="${t.id}"] .from-hospital`).textContent()).toBe(
      `Drawn from hospital ${h.nameEn}: ${t.qty} U (its stock is above its floor of ${h.floor} U)`,
    )
    await en.context().close()

    const phone = await openApp(browser, server.url, { token: COORD, path: `/plan?id=${planId}`, phone: true })
    await phone.locator(`tr[data-transfer="${t.id}"] .from-hospital`).waitFor()
    expect(await overflow(phone)).toBeLessThanOrEqual(0)
    await phone.context().close()
  })
})
