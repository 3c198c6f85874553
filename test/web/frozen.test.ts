// Frozen rare red cells in the UI (issue 20 §2): Garze's Fy(a-) emergency is served from a frozen unit banked in
// Chengdu, walked through plan, commit, thaw, dispatch and receipt, each step by the role that does it; the plan
// review and the dispatch sheet show the RhD-positive consent record of the demo's RhD-negative patient (§6).
import type { Browser } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { DEMO_TOKENS } from '../../seed/demo'
import { apiGet } from './api'
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
const FY = 'req_demo_06' // Garze: 2 U O+ Fy(a-) red cells, emergency
const RH = 'req_demo_03' // Yibin: O− patient accepting RhD-positive units, with the consent record
type Transfer = {
  id: string
  status: string
  qty: number
  fromSite: string
  toSite: string
  frozen: boolean
  thawedAt: string | null
  thawedBy: string | null
  lots: { lotId: string; qty: number; frozen: boolean }[]
  requests: { requestId: string; rhPositiveConsent: unknown }[]
}
type Plan = { id: string; status: string; transfers: Transfer[] }
const ids: { plan?: string; fy?: string } = {}

describe('a frozen rare unit, role by role', () => {
  it("frozen red cells are shown apart: a column on Chengdu's stock page and a line in the map's totals", async () => {
    const rows = (
      await apiGet<{ rows: { abo: string; rhd: string; onHand: number; frozenOnHand: number }[] }>(server.url, COORD, '/api/stock?site=CD&component=RBC')
    ).rows
    const op = rows.find((r) => r.abo === 'O' && r.rhd === '+')!
    expect(op.frozenOnHand).toBe(5) // 2 Fy(a-) + 3 Jk(a-b-), banked frozen
    const page = await openApp(browser, server.url, { token: COORD, path: '/sites/CD' })
    const errors = pageErrors(page)
    const cell = page.locator('table.stock-table[data-component="RBC"] tr[data-group="O+"] td.frozen')
    await cell.waitFor()
    expect(await cell.getAttribute('data-frozen')).toBe('5')
    expect(await page.locator('table.stock-table[data-component="RBC"] th[title]').textContent()).toBe('冰冻')
    // the liquid column does not count them
    expect(await page.locator('table.stock-table[data-component="RBC"] tr[data-group="O+"] td').nth(1).textContent()).toBe(op.onHand.toLocaleString('zh-CN'))
    // platelets have no frozen column
    expect(await page.locator('table.stock-table[data-component="PLT"] td.frozen').count()).toBe(0)
    await page.goto(`${server.url}/`)
    const total = page.locator('.region-totals .total[data-component="RBC"] .total-frozen')
    await total.waitFor()
    expect(Number(await total.getAttribute('data-frozen'))).toBeGreaterThanOrEqual(5)
    expect(errors).toEqual([])
    await page.context().close()
  })

  it('the coordinator plans: the Fy(a-) emergency is served from a frozen unit in Chengdu; the review shows the RhD consent record; commits', async () => {
    const page = await openApp(browser, server.url, { token: COORD, path: '/plan' })
    const errors = pageErrors(page)
    await page.locator('button.run-planner').click()
    await page.waitForURL(/\/plan\?id=/)
    ids.plan = new URL(page.url()).searchParams.get('id')!
    const plan = await apiGet<Plan>(server.url, COORD, `/api/plans/${ids.plan}`)
    const fy = plan.transfers.filter((t) => t.requests.some((r) => r.requestId === FY))
    expect(fy.map((t) => [t.fromSite, t.toSite, t.frozen, t.lots.every((l) => l.frozen)])).toEqual([['CD', 'GZ', true, true]])
    ids.fy = fy[0].id

    // the RhD-negative patient's group names the consent record: who, and the patient
    const rh = page.locator(`.review-group[data-request="${RH}"]`)
    await rh.waitFor()
    const consent = await rh.locator('[data-rh-consent]').textContent()
    expect(consent).toContain('患者之子')
    expect(consent).toContain('无抗-D')
    expect(consent).toContain('72岁')
    for (const id of [FY, RH]) {
      await page.locator(`.review-group[data-request="${id}"] button.approve-request`).click()
      await page.locator(`.review-group[data-request="${id}"] tr[data-status="approved"]`).first().waitFor()
    }
    await page.locator('button.commit').click()
    await page.locator('.plan-page > .confirm button.confirm-yes').click()
    await page.locator(`tr[data-transfer="${ids.fy}"][data-status="committed"]`).waitFor()
    expect(errors).toEqual([])
    await page.context().close()
  })

  it('the dispatch sheet shows the consent record beside the RhD-negative patient', async () => {
    const page = await openApp(browser, server.url, { token: COORD, path: `/sheet?plan=${ids.plan}`, lang: 'en' })
    const errors = pageErrors(page)
    await page.locator('[data-rh-consent]').first().waitFor()
    const text = await page.locator('[data-rh-consent]').first().textContent()
    expect(text).toContain('no anti-D')
    expect(text).toContain('patient')
    expect(errors).toEqual([])
    await page.context().close()
  })

  it("Chengdu's director thaws the frozen unit (asked first) before dispatch, then dispatches; on a phone", async () => {
    const page = await openApp(browser, server.url, { token: DEMO_TOKENS['director-cd'], path: '/station', phone: true })
    const errors = pageErrors(page)
    const card = page.locator(`.transfer-cards.out li[data-transfer="${ids.fy}"]`)
    await card.waitFor()
    // not thawed: the card says so and offers 解冻, and no dispatch form yet
    expect(await card.locator('.thaw-step .meta').textContent()).toContain('冰冻红细胞')
    // the thaw time is in the ETA, and the card says so
    const planned = await apiGet<Transfer & { thawHours: number | null; etaHours: number }>(server.url, COORD, `/api/transfers/${ids.fy}`)
    expect(planned.thawHours).toBeGreaterThan(0)
    expect(await card.locator('.thaw-step .meta').textContent()).toContain(`预计到达时间已含解冻 ${planned.thawHours} 小时`)
    expect(await card.locator('button.thaw').textContent()).toBe('解冻')
    expect(await card.locator('button.dispatch').count()).toBe(0)
    await card.locator('button.thaw').click()
    const ask = card.locator('.confirm')
    await ask.waitFor()
    expect(await ask.textContent()).toContain(ids.fy!)
    expect(await ask.textContent()).toContain('24 小时')
    // "back" thaws nothing
    await ask.locator('button.confirm-no').click()
    expect((await apiGet<Transfer>(server.url, COORD, `/api/transfers/${ids.fy}`)).thawedAt).toBeNull()
    await card.locator('button.thaw').click()
    await card.locator('.confirm button.confirm-yes').click()
    await card.locator('.thaw-step.thawed').waitFor()
    const thawed = await apiGet<Transfer>(server.url, COORD, `/api/transfers/${ids.fy}`)
    expect(thawed).toMatchObject({ status: 'committed', thawedBy: 'u-director-cd' })
    expect(Date.now() - Date.parse(thawed.thawedAt!)).toBeLessThan(120_000)
    expect(await card.locator('.thaw-step.thawed').textContent()).toMatch(
      /^已于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 由 u-director-cd 解冻，\d{4}-\d{2}-\d{2} \d{2}:\d{2} 前有效$/,
    )
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    await page.screenshot({ path: screenshotPath('ui-frozen-thawed-phone.png'), fullPage: true })

    await card.locator('input[name=temperatureC]').fill('4')
    await card.locator('button.dispatch').click()
    await page.locator(`.transfer-cards.out li[data-transfer="${ids.fy}"][data-status="dispatched"]`).waitFor()
    expect(errors).toEqual([])
    await page.context().close()
  })

  it("Garze's director receives the thawed unit: a liquid lot that keeps 24 h from the thaw; the emergency is fulfilled", async () => {
    const page = await openApp(browser, server.url, { token: DEMO_TOKENS['director-gz'], path: '/station', lang: 'en' })
    const errors = pageErrors(page)
    const card = page.locator(`.transfer-cards.in li[data-transfer="${ids.fy}"]`)
    await card.waitFor()
    expect(await card.locator('.thaw-step.thawed').textContent()).toContain('Thawed at')
    await card.locator('input[name=temperatureC]').fill('4')
    await card.locator('button.receive').click()
    await page.locator(`.transfer-cards.in li[data-transfer="${ids.fy}"][data-status="received"]`).waitFor()
    const t = await apiGet<Transfer>(server.url, COORD, `/api/transfers/${ids.fy}`)
    const { lots } = await apiGet<{ lots: { id: string; frozen: boolean; thawedAt: string | null; expiresAt: string; antigens: string[]; qty: number }[] }>(
      server.url,
      COORD,
      '/api/stock/lots?site=GZ&component=RBC&abo=O',
    )
    const arrived = lots.filter((l) => l.thawedAt)
    expect(arrived.map((l) => [l.frozen, l.thawedAt, l.expiresAt, l.antigens, l.qty])).toEqual([
      [false, t.thawedAt, new Date(Date.parse(t.thawedAt!) + 24 * 3_600_000).toISOString(), ['Fy(a-)'], t.qty],
    ])
    const req = await apiGet<{ fulfilledQty: number; qty: number }>(server.url, COORD, `/api/requests/${FY}`)
    expect(req.fulfilledQty).toBe(t.qty)
    expect(errors).toEqual([])
    await page.context().close()
  })
})
