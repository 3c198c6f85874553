// The whole hand-off in the UI, each step by the role that does it: a director files a request; the coordinator
// sees it appear without reloading, plans, reviews whom each transfer serves, approves part and commits; the donor
// director dispatches with the box temperature; the receiving directors receive (in full, short, and a box too
// warm); stock, request statuses and the audit log are right afterwards. In Chinese and English, desktop and phone.
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
const DIR = { CD: DEMO_TOKENS['director-cd'], YB: DEMO_TOKENS['director-yb'], PZH: DEMO_TOKENS['director-pzh'], GZ: DEMO_TOKENS['director-gz'] }
type Line = { requestId: string; qty: number; siteId: string; urgency: string; reason: string; antigens: string }
type Transfer = {
  id: string
  status: string
  qty: number
  proposedQty: number
  fromSite: string
  toSite: string
  component: string
  abo: string
  rhd: string
  requests: Line[]
  closeReason: string | null
  receivedQty: number | null
  lostQty: number | null
  transport: {
    dispatch: { temperatureC: number; carrier: string | null } | null
    receipt: { acceptedQty: number; rejectedQty: number; inRange: boolean } | null
  }
}
type Plan = { id: string; status: string; transfers: Transfer[]; unmet: { need: string; qty: number; reason?: string; message?: string }[] }
type Req = { id: string; status: string; coverage: string; fulfilledQty: number; onTheWayQty: number; qty: number }

/** Whole blood B− exists nowhere in the demo region; CD receives 20, so only CD can serve the three requests below. */
const WB = { component: 'WB', abo: 'B', rhd: '-' }
const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString()
const pad = (n: number) => String(n).padStart(2, '0')
const localText = (iso: string) => {
  const d = new Date(iso)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

const ids: { yb?: string; pzh?: string; gz?: string; plan?: string } = {}
let plan: Plan

describe('the hand-off, role by role', () => {
  it('a director files an emergency request on a phone; the coordinator sees it appear, with an alert, without reloading', async () => {
    const receipt = await apiCall<{ createdLots: string[] }>(server.url, DIR.CD, '/api/movements', {
      method: 'POST',
      headers: { 'idempotency-key': 'ui-cd-wb-b-neg' },
      body: { siteId: 'CD', kind: 'receipt', lotId: 'CD-WB-BNEG-1', ...WB, antigens: [], qty: 20, collectedAt: inHours(-48), expiresAt: inHours(24 * 30) },
    })
    expect(receipt.status).toBe(201)
    const coord = await openApp(browser, server.url, { token: COORD, path: '/requests' })
    const coordErrors = pageErrors(coord)
    await coord.locator('.request-list tbody tr').first().waitFor()

    const phone = await openApp(browser, server.url, { token: DIR.YB, path: '/requests', phone: true })
    const errors = pageErrors(phone)
    const form = phone.locator('form.request-form')
    await form.locator('select[name=component]').selectOption('WB')
    await form.locator('select[name=abo]').selectOption('B')
    await form.locator('select[name=rhd]').selectOption('-')
    await form.locator('select[name=urgency]').selectOption('emergency')
    await form.locator('input[name=qty]').fill('4')
    // the deadline reads 2026-12-01 14:30, whatever the browser's locale; a bad one is named beside the field, in Chinese
    await form.locator('input[name=neededBy]').fill('2026-13-45 99:00')
    await form.locator('input[name=reason]').fill('车祸多发伤 急需全血')
    await form.locator('button[type=submit]').click()
    await form.locator('[data-field-error="neededBy"]').waitFor()
    expect(await form.locator('[data-field-error="neededBy"]').textContent()).toBe('需求时间须为将来的时间，格式 2026-12-01 14:30')
    await form.locator('input[name=neededBy]').fill(localText(inHours(48)))
    await form.locator('button[type=submit]').click()
    await form.locator('[role=status]').waitFor()
    const { requests } = await apiGet<{ requests: (Req & { reason: string; siteId: string })[] }>(server.url, COORD, '/api/requests?site=YB')
    ids.yb = requests.find((r) => r.reason === '车祸多发伤 急需全血')!.id
    expect(await overflow(phone)).toBeLessThanOrEqual(0)
    await phone.screenshot({ path: screenshotPath('ui-handoff-director-phone.png'), fullPage: true })

    // within 15 s, without a reload: the row and an emergency alert on the coordinator's open page
    await coord.locator(`tr[data-request="${ids.yb}"]`).waitFor({ timeout: 15_000 })
    await coord.locator('.alert-emergency').waitFor({ timeout: 15_000 })
    expect(await coord.locator('.alert-emergency').textContent()).toContain('宜宾市中心血站')
    expect(await coord.locator(`tr[data-request="${ids.yb}"] [data-coverage]`).first().getAttribute('data-coverage')).toBe('open')

    for (const [site, token, urgency] of [
      ['PZH', DIR.PZH, 'urgent'],
      ['GZ', DIR.GZ, 'urgent'],
    ] as const) {
      const r = await apiCall<{ id: string }>(server.url, token, '/api/requests', {
        method: 'POST',
        headers: { 'idempotency-key': `ui-wb-${site}` },
        body: { siteId: site, ...WB, qty: 3, urgency, neededBy: inHours(48), reason: `${site} 手术备血 WB B-` },
      })
      expect(r.status).toBe(201)
      if (site === 'PZH') ids.pzh = r.body.id
      else ids.gz = r.body.id
    }
    expect(errors).toEqual([])
    expect(coordErrors).toEqual([])
    await phone.context().close()
    await coord.context().close()
  })

  it('the coordinator plans and reviews whom each transfer serves; the traps are closed; approves part and commits', async () => {
    const page = await openApp(browser, server.url, { token: COORD, path: '/plan', lang: 'en' })
    const errors = pageErrors(page)
    await page.locator('button.run-planner').click()
    await page.waitForURL(/\/plan\?id=/)
    ids.plan = new URL(page.url()).searchParams.get('id')!
    plan = await apiGet<Plan>(server.url, COORD, `/api/plans/${ids.plan}`)
    const wb = (id: string) => plan.transfers.filter((t) => t.requests.some((r) => r.requestId === id))
    for (const id of [ids.yb!, ids.pzh!, ids.gz!]) expect(wb(id).map((t) => [t.fromSite, t.component, t.abo + t.rhd])).toEqual([['CD', 'WB', 'B-']])
    await eventually(() => page.locator('tr[data-transfer]').count()).toBe(plan.transfers.length)

    // whom it serves: the group of YB's request names the station, urgency, reason and the plan's cover of it
    const yb = page.locator(`.review-group[data-request="${ids.yb}"]`)
    expect(await yb.locator('.badge[data-urgency="emergency"]').count()).toBe(1)
    expect(await yb.locator('[data-reason]').textContent()).toBe('车祸多发伤 急需全血')
    // readable: an emergency group's text is not white on white
    expect(await yb.locator('.review-head strong').evaluate((e) => (globalThis as any).getComputedStyle(e).color as string)).not.toBe('rgb(255, 255, 255)')
    expect(await yb.locator('[data-coverage]').getAttribute('data-proposed')).toBe('4')
    // most urgent first: every emergency group comes before any other
    const urgencies = await page.locator('.review-group').evaluateAll((els) => els.map((e) => e.getAttribute('data-group-urgency')))
    expect(urgencies.indexOf('emergency')).toBe(0)
    expect(urgencies.lastIndexOf('emergency')).toBeLessThan(urgencies.findIndex((u) => u !== 'emergency'))
    // a rare-antigen request shows its antigens
    const rare = plan.transfers.find((t) => t.requests[0]?.antigens)
    if (rare)
      expect(await page.locator(`.review-group[data-request="${rare.requests[0].requestId}"] [data-antigens]`).textContent()).toBe(rare.requests[0].antigens)
    // the demo's substitution (O− for PZH's A− patient) is marked on its row
    for (const t of wb('req_demo_09')) expect(await page.locator(`tr[data-transfer="${t.id}"]`).getAttribute('data-substitution')).toBe('A-')
    // the one unmet need, with its reason in words
    await page.locator('.unmet-list tr[data-need="req_demo_10"] td.reason').waitFor()
    expect(await page.locator('.unmet-list tr[data-need="req_demo_10"] td.reason').textContent()).toBe('Nothing can arrive in time')

    // trap: rejecting the only transfer of an emergency request asks first, naming the request; "back" leaves it
    const only = wb(ids.yb!)[0]
    const row = page.locator(`tr[data-transfer="${only.id}"]`)
    await row.locator('button.reject').click()
    await row.locator('input[name=rejectReason]').fill('保护成都库存')
    await row.locator('button.confirm-reject').click()
    const ask = row.locator('.confirm')
    await ask.waitFor()
    expect(await ask.textContent()).toContain('Yibin')
    expect(await ask.textContent()).toContain('车祸多发伤 急需全血')
    await ask.locator('button.confirm-no').click()
    expect((await apiGet<Transfer>(server.url, COORD, `/api/transfers/${only.id}`)).status).toBe('proposed')

    // trap: the quantity in the box is what gets approved (3 of 4 typed, approve pressed without saving; it asks first)
    await row.locator('input[name=qty]').fill('3')
    expect(await row.locator('button.approve').textContent()).toBe('Approve 3')
    await row.locator('button.approve').click()
    await row.locator('.confirm button.confirm-yes').click()
    await page.locator(`tr[data-transfer="${only.id}"][data-status="approved"]`).waitFor()
    expect(await apiGet<Transfer>(server.url, COORD, `/api/transfers/${only.id}`)).toMatchObject({ status: 'approved', qty: 3, proposedQty: 4 })
    expect(await row.locator('input[name=qty]').inputValue()).toBe('3')

    // bulk approve the other two requests' transfers
    for (const id of [ids.pzh!, ids.gz!]) {
      await page.locator(`.review-group[data-request="${id}"] button.approve-request`).click()
      await page.locator(`tr[data-transfer="${wb(id)[0].id}"][data-status="approved"]`).waitFor()
    }
    await page.screenshot({ path: screenshotPath('ui-handoff-review.png'), fullPage: true })

    // commit asks first and says the rest will be closed; afterwards nothing unreviewed stays live
    const rest = plan.transfers.length - 3
    await page.locator('button.commit').click()
    expect(await page.locator('.plan-page > .confirm').textContent()).toContain(`The ${rest} proposals not approved will be closed`)
    await page.locator('.plan-page > .confirm button.confirm-yes').click()
    await page.locator(`tr[data-transfer="${only.id}"][data-status="committed"]`).waitFor()
    const after = await apiGet<Plan>(server.url, COORD, `/api/plans/${ids.plan}`)
    expect(after.status).toBe('committed')
    const closed = after.transfers.filter((t) => t.status === 'rejected')
    expect(closed).toHaveLength(rest)
    for (const t of closed) expect(t.closeReason).toBe('not_approved_at_commit')
    await eventually(() => page.locator('tr[data-status="proposed"]').count()).toBe(0)
    expect(await page.locator('tr[data-status="rejected"] .close-reason').count()).toBe(rest)
    expect(await page.locator('tr[data-status="rejected"] button').count()).toBe(0)
    expect(await apiGet<Req>(server.url, COORD, `/api/requests/${ids.yb}`)).toMatchObject({ coverage: 'partly_covered', onTheWayQty: 3 })
    expect(errors).toEqual([])

    // the same review in Chinese at phone width: cards, nothing off screen
    const zh = await openApp(browser, server.url, { token: COORD, path: `/plan?id=${ids.plan}`, phone: true })
    const zhErrors = pageErrors(zh)
    await zh.locator(`tr[data-transfer="${only.id}"]`).waitFor()
    expect(await zh.locator(`.review-group[data-request="${ids.yb}"] .badge[data-urgency]`).textContent()).toBe('紧急')
    // dates read 2026-12-01 14:30 (no AM/PM, no month/day order to guess)
    expect(await zh.locator(`.review-group[data-request="${ids.yb}"] .review-head .meta`).first().textContent()).toMatch(
      /^需于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 前$/,
    )
    expect(await zh.locator('tr[data-status="rejected"] .close-reason').first().textContent()).toBe(' 计划确认时未批准，已关闭')
    expect(await overflow(zh)).toBeLessThanOrEqual(0)
    await zh.screenshot({ path: screenshotPath('ui-handoff-review-phone.png'), fullPage: true })
    expect(zhErrors).toEqual([])
    await zh.context().close()
    await page.context().close()
  })

  it('the donor director dispatches each box from their phone with its temperature; a warm box is refused beside the field', async () => {
    const page = await openApp(browser, server.url, { token: DIR.CD, path: '/station', phone: true })
    const errors = pageErrors(page)
    const out = (await apiGet<Plan>(server.url, COORD, `/api/plans/${ids.plan}`)).transfers.filter((t) => t.status === 'committed' && t.component === 'WB')
    expect(out).toHaveLength(3)
    await page.locator('.transfer-cards.out .transfer-card').first().waitFor()
    // the incoming list says whom it serves; a box above 10 °C is refused, in Chinese, beside the field
    const first = page.locator(`.transfer-cards.out [data-transfer="${out[0].id}"]`)
    expect(await first.locator('.serves').textContent()).toContain(out[0].requests[0].reason)
    expect(await first.locator(`.serves [data-request="${out[0].requests[0].requestId}"] .badge[data-urgency]`).count()).toBe(1)
    await first.locator('input[name=temperatureC]').fill('15')
    await first.locator('button.dispatch').click()
    await first.locator('[data-field-error="temperatureC"]').waitFor()
    expect(await first.locator('[data-field-error="temperatureC"]').textContent()).toBe('箱温超出该成分的运输温度范围，请重新装箱后再发运')
    for (const t of out) {
      const card = page.locator(`.transfer-cards.out li[data-transfer="${t.id}"]`)
      await card.locator('input[name=temperatureC]').fill('4.5')
      await card.locator('input[name=carrier]').fill('川A·12345 王师傅')
      await card.locator('button.dispatch').click()
      await page.locator(`.transfer-cards.out li[data-transfer="${t.id}"][data-status="dispatched"]`).waitFor()
    }
    for (const t of out)
      expect(await apiGet<Transfer>(server.url, COORD, `/api/transfers/${t.id}`)).toMatchObject({
        status: 'dispatched',
        transport: { dispatch: { temperatureC: 4.5, carrier: '川A·12345 王师傅' } },
      })
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    await page.screenshot({ path: screenshotPath('ui-handoff-dispatch-phone.png'), fullPage: true })
    expect(errors).toEqual([])
    await page.context().close()
  })

  it('the receiving directors receive: YB in full (English, desktop), PZH short (phone), GZ a box at 14 °C (rejected)', async () => {
    const byTo = new Map(
      (await apiGet<Plan>(server.url, COORD, `/api/plans/${ids.plan}`)).transfers.filter((t) => t.component === 'WB').map((t) => [t.toSite, t]),
    )
    const receive = async (
      site: 'YB' | 'PZH' | 'GZ',
      opts: { phone?: boolean; lang?: 'en' },
      fill: (card: ReturnType<Page['locator']>, page: Page) => Promise<void>,
      confirm: boolean,
    ) => {
      const page = await openApp(browser, server.url, { token: DIR[site], path: '/station', ...opts })
      const errors = pageErrors(page)
      const t = byTo.get(site)!
      const card = page.locator(`.transfer-cards.in li[data-transfer="${t.id}"]`)
      await card.locator('form.receive-form').waitFor()
      await fill(card, page)
      await card.locator('button.receive').click()
      if (confirm) await card.locator('.confirm button.confirm-yes').click()
      await page.locator(`.transfer-cards.in li[data-transfer="${t.id}"][data-status="received"]`).waitFor()
      if (opts.phone) expect(await overflow(page)).toBeLessThanOrEqual(0)
      await page.screenshot({ path: screenshotPath(`ui-handoff-receive-${site}.png`), fullPage: true })
      expect(errors).toEqual([])
      await page.context().close()
      return apiGet<Transfer>(server.url, COORD, `/api/transfers/${t.id}`)
    }
    // The arrival time left blank is when the form is sent, not when the page loaded: the page's clock moves on 40
    // minutes between opening the form and receiving.
    let sentAt = 0
    const full = await receive(
      'YB',
      { lang: 'en' },
      async (c, page) => {
        expect(await c.locator('input[name=arrivedAt]').inputValue()).toBe('')
        sentAt = Date.now() + 40 * 60_000
        await page.clock.setFixedTime(new Date(sentAt))
        await c.locator('input[name=temperatureC]').fill('5')
      },
      false,
    )
    expect(full).toMatchObject({ receivedQty: 3, lostQty: 0, transport: { receipt: { acceptedQty: 3, rejectedQty: 0, inRange: true } } })
    const arrived = Date.parse((full as unknown as { transport: { receipt: { arrivedAt: string } } }).transport.receipt.arrivedAt)
    expect(Math.abs(arrived - sentAt), 'arrival recorded at the time the form was sent').toBeLessThan(2 * 60_000)
    const short = await receive(
      'PZH',
      { phone: true },
      async (c) => {
        await c.locator('input[name=receivedQty]').fill('2')
        await c.locator('input[name=temperatureC]').fill('6')
      },
      true,
    )
    expect(short).toMatchObject({ receivedQty: 2, lostQty: 1, transport: { receipt: { acceptedQty: 2, rejectedQty: 0 } } })
    // a box outside its range asks first, saying every unit will be discarded
    const warm = await receive('GZ', {}, (c) => c.locator('input[name=temperatureC]').fill('14'), true)
    expect(warm).toMatchObject({ receivedQty: 3, transport: { receipt: { acceptedQty: 0, rejectedQty: 3, inRange: false } } })

    // stock: CD sent 9 of its 20 (3 + 3 + 3); YB holds 3 usable, PZH 2, GZ none (3 discarded there)
    const onHand = async (site: string) =>
      (
        await apiGet<{ rows: { component: string; abo: string; rhd: string; onHand: number }[] }>(server.url, COORD, `/api/stock?site=${site}&component=WB`)
      ).rows
        .filter((r) => r.abo === 'B' && r.rhd === '-')
        .reduce((s, r) => s + r.onHand, 0)
    expect([await onHand('CD'), await onHand('YB'), await onHand('PZH'), await onHand('GZ')]).toEqual([11, 3, 2, 0])
    const { movements } = await apiGet<{ movements: { kind: string; delta: number; transferId: string | null }[] }>(
      server.url,
      COORD,
      '/api/movements?site=GZ&kind=discard',
    )
    expect(movements.filter((m) => m.transferId === warm.id).reduce((s, m) => s + m.delta, 0)).toBe(-3)
    // request statuses tell the truth: YB got 3 of 4 (1 open for the next plan), PZH 2 of 3, GZ nothing yet
    expect(await apiGet<Req>(server.url, COORD, `/api/requests/${ids.yb}`)).toMatchObject({
      status: 'partly_fulfilled',
      fulfilledQty: 3,
      coverage: 'partly_covered',
    })
    expect(await apiGet<Req>(server.url, COORD, `/api/requests/${ids.pzh}`)).toMatchObject({ status: 'partly_fulfilled', fulfilledQty: 2 })
    expect(await apiGet<Req>(server.url, COORD, `/api/requests/${ids.gz}`)).toMatchObject({ status: 'open', fulfilledQty: 0, coverage: 'open' })
    // the audit log: who did each step
    const { entries } = await apiGet<{ entries: { action: string; actorId: string }[] }>(server.url, COORD, `/api/audit?entity=transfer&entityId=${warm.id}`)
    expect(entries.map((e) => [e.action, e.actorId]).reverse()).toEqual([
      ['transfer.approve', 'u-coordinator'],
      ['transfer.commit', 'u-coordinator'],
      ['transfer.dispatch', 'u-director-cd'],
      ['transfer.receive', 'u-director-gz'],
    ])

    // the coordinator sees every transport record with the transfer
    const page = await openApp(browser, server.url, { token: COORD, path: `/plan?id=${ids.plan}`, lang: 'en' })
    const rec = page.locator(`[data-transport="${warm.id}"]`)
    await rec.waitFor()
    expect(await rec.locator('[data-receipt-temp]').getAttribute('data-rejected')).toBe('3')
    expect(await rec.textContent()).toContain('out of transport range')
    // the dispatch sheet for the plan lists the three boxes with a place to sign
    await page.goto(`${server.url}/sheet?plan=${ids.plan}`)
    await page.locator('.sheet-table tbody tr').first().waitFor()
    expect(await page.locator('.sheet-table tbody tr').count()).toBe(3)
    expect(await page.locator('.sheet-table thead').textContent()).toContain('Dispatch signature')
    await page.context().close()
  })

  it('moving quickly between the hand-off pages (a plan with its map, requests, station, sheet) logs no error', async () => {
    const page = await openApp(browser, server.url, { token: COORD, path: `/plan?id=${ids.plan}` })
    const errors = pageErrors(page)
    for (let round = 0; round < 2; round++) {
      for (const href of ['/requests', '/station', '/plan', '/']) {
        await page.locator('.region-map, .requests-page, .station-page, .plan-page, .sheet-page').first().waitFor()
        await page.locator(`.app-header nav a[href="${href}"]`).click()
      }
      await page.goto(`${server.url}/plan?id=${ids.plan}`)
      await page.locator('.region-map[data-ready="true"]').waitFor()
      // leave while the map may still be settling
      await page.locator('.app-header nav a[href="/requests"]').click()
      await page.locator('.requests-page').waitFor()
      await page.goto(`${server.url}/sheet?plan=${ids.plan}`)
      await page.locator('.sheet-table').waitFor()
    }
    await new Promise((r) => setTimeout(r, 600))
    expect(errors).toEqual([])
    await page.context().close()
  })

  it('an unknown address gets a page with a way back', async () => {
    const page = await openApp(browser, server.url, { token: COORD, path: '/no/such/page' })
    const errors = pageErrors(page)
    await page.locator('.not-found').waitFor()
    expect(await page.locator('.not-found h2').textContent()).toBe('页面不存在')
    await page.locator('.not-found a[href="/"]').click()
    await page.waitForURL(`${server.url}/`)
    expect(errors).toEqual([])
    await page.context().close()
  })
})
