// Issue 23's first "Done when", walked in the UI: a Yibin hospital's blood bank, on a phone, records a transfusion
// and sends an emergency call for O-negative red cells; the Yibin director, on the hospitals tab, sees the order
// arrive within 15 s with an alert and fills it (the confirmation names quantity, group and hospital); the hospital
// receives the box; both ledgers reconcile (checked through the API afterwards). Once in Chinese (no English word
// on the pages), once in English. The director's hospital view shows every hospital's days of supply.
import type { Browser, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { DEMO_TOKENS } from '../../seed/demo'
import { apiCall, apiGet, eventually } from './api'
import { openApp, overflow, pageErrors, screenshotPath } from './browser'
import { useApp } from './harness'
import type { Server } from './server'
import { englishWords, rawKeys } from './visible-text'

let server: Server
let browser: Browser
useApp((s, b) => {
  server = s
  browser = b
})

const COORD = DEMO_TOKENS.coordinator
const DIRECTOR = DEMO_TOKENS['director-yb']
/** The demo's Yibin hospital user (seed/demo.ts): the first `hospital-yb…` login. */
const HOSPITAL = Object.entries(DEMO_TOKENS as Record<string, string>).find(([k]) => k.startsWith('hospital-yb'))?.[1] ?? ''

type Lot = { id: string; siteId: string; component: string; abo: string; rhd: string; qty: number; expiresAt: string }
type Order = {
  id: string
  status: string
  kind: string
  qty: number
  component: string
  abo: string
  rhd: string
  note: string
  transferId: string | null
  hospitalNameZh: string
  hospitalNameEn: string
  neededBy: string
  createdAt: string
}
type Movement = { lotId: string; siteId: string; kind: string; delta: number; reason: string; transferId: string | null }
type Figures = {
  siteId: string
  kind: string
  nameZh: string
  nameEn: string
  components: { component: string; onHand: number; daysOfSupply: number | null; level: string }[]
}
type View = { stationId: string; station: Figures; storagePoints: Figures[]; hospitals: Figures[] }
type StockRow = { siteId: string; component: string; abo: string; rhd: string; onHand: number }

const pad = (n: number) => String(n).padStart(2, '0')
const localText = (ms: number) => {
  const d = new Date(ms)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}
/** What a reader sees in the page's main part, once its data has loaded. */
const shown = async (page: Page) => {
  await page.waitForLoadState('networkidle')
  // the rendered text (as polish.test.ts reads it): what is shown, not the hidden options of a closed select
  return page.evaluate(() => (globalThis as any).document.body.innerText as string)
}
const rbcOneg = (rows: StockRow[], site: string) =>
  rows.filter((r) => r.siteId === site && r.component === 'RBC' && r.abo === 'O' && r.rhd === '-').reduce((s, r) => s + r.onHand, 0)

describe.each(['zh', 'en'] as const)('hospitals join, walked in the UI (%s)', (lang) => {
  it('a Yibin hospital records a transfusion and calls for O− red cells; the director fills it; the hospital receives it; the ledgers reconcile', async () => {
    expect(HOSPITAL, 'seed/demo.ts has a hospital-yb… demo login').not.toBe('')
    const me = await apiGet<{ id: string; role: string; siteId: string }>(server.url, HOSPITAL, '/api/me')
    expect(me.role).toBe('hospital')
    const H = me.siteId
    const site = await apiGet<{ parentId: string; nameZh: string; nameEn: string }>(server.url, COORD, `/api/sites/${H}`)
    expect(site.parentId).toBe('YB')
    const hospitalName = lang === 'zh' ? site.nameZh : site.nameEn || site.nameZh
    const lotsBefore = (await apiGet<{ lots: Lot[] }>(server.url, COORD, `/api/stock/lots?site=${H}`)).lots.filter((l) => l.qty > 0)
    expect(lotsBefore.length, 'the demo gives the Yibin hospital some stock').toBeGreaterThan(0)
    // the demo's Yibin is short of O− red cells (1 U, its own aid request is open): the provincial centre's O− units
    // arrive first, recorded by the director, so there is something to fill the call with
    if (rbcOneg((await apiGet<{ rows: StockRow[] }>(server.url, COORD, '/api/stock?site=YB&component=RBC')).rows, 'YB') < 2) {
      const receipt = await apiCall(server.url, DIRECTOR, '/api/movements', {
        method: 'POST',
        headers: { 'idempotency-key': `ui-yb-oneg-${lang}` },
        body: {
          siteId: 'YB',
          kind: 'receipt',
          component: 'RBC',
          abo: 'O',
          rhd: '-',
          antigens: [],
          qty: 4,
          collectedAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
          expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        },
      })
      expect(receipt.status).toBe(201)
    }
    const stockBefore = await apiGet<{ rows: StockRow[] }>(server.url, COORD, '/api/stock?site=YB&component=RBC')
    const hStockBefore = await apiGet<{ rows: StockRow[] }>(server.url, COORD, `/api/stock?site=${H}&component=RBC`)

    // the director has the hospitals tab open before the call comes in (desktop)
    const director = await openApp(browser, server.url, { token: DIRECTOR, lang, path: '/station?tab=hospitals' })
    await director.setViewportSize({ width: 1400, height: 900 })
    const directorErrors = pageErrors(director)
    await director.locator('.hospitals-view table.figures tbody tr[data-kind="hospital"]').first().waitFor()

    // the hospital's blood bank, on a phone: its home is its own page, and the nav offers nothing else
    const phone = await openApp(browser, server.url, { token: HOSPITAL, lang, phone: true })
    const errors = pageErrors(phone)
    await phone.locator(`.hospital-page[data-site="${H}"] table.hospital-lots tbody tr`).first().waitFor()
    const nav = await phone.locator('.app-header nav a').evaluateAll((els) => els.map((e) => e.getAttribute('href')))
    expect(nav).toEqual(['/hospital'])
    // soonest expiry first
    const expiries = await phone.locator('table.hospital-lots tbody tr').evaluateAll((els) => els.map((e) => e.getAttribute('data-lot')))
    expect(expiries).toEqual([...lotsBefore].sort((a, b) => a.expiresAt.localeCompare(b.expiresAt)).map((l) => l.id))

    // 1. a transfusion of 1 unit from the soonest-expiring lot: it asks first, naming the lot
    await phone.locator('button.open-transfusion').click()
    const ledger = phone.locator('form.hospital-ledger[data-kind="transfusion"]')
    const lotId = await ledger.locator('select[name=lotId]').inputValue()
    const lot = lotsBefore.find((l) => l.id === lotId)!
    expect(lot, 'the form proposes a lot of the hospital').toBeTruthy()
    const transfusionsOf = async () =>
      (await apiGet<{ movements: Movement[] }>(server.url, COORD, `/api/movements?site=${H}&lot=${encodeURIComponent(lotId)}&kind=issue&limit=1000`)).movements
        .filter((m) => m.reason === 'transfusion')
        .map((m) => m.delta)
    const before = await transfusionsOf()
    await ledger.locator('input[name=qty]').fill('1')
    await ledger.locator('button[type=submit]').click()
    const ask = ledger.locator('.confirm')
    await ask.waitFor()
    expect(await ask.textContent()).toContain(lotId)
    expect(await ask.textContent()).toContain(lang === 'zh' ? '输血' : 'transfusion')
    await ask.locator('.confirm-yes').click()
    await ledger.locator('[role=status]').waitFor()
    const afterLot = (await apiGet<{ lots: Lot[] }>(server.url, COORD, `/api/stock/lots?site=${H}&includeEmpty=true`)).lots.find((l) => l.id === lotId)!
    expect(afterLot.qty).toBe(lot.qty - 1)
    expect(await transfusionsOf()).toEqual([-1, ...before]) // newest first: one more transfusion of 1 unit

    // 2. an emergency call for O− red cells: the needed-by is proposed 2 h ahead
    const form = phone.locator('form.order-form')
    await form.locator('select[name=urgency]').selectOption('emergency')
    const proposed = await form.locator('input[name=neededBy]').inputValue()
    const twoHours = Date.now() + 2 * 3_600_000
    expect([localText(twoHours - 60_000), localText(twoHours), localText(twoHours + 60_000)]).toContain(proposed)
    await form.locator('select[name=component]').selectOption('RBC')
    await form.locator('select[name=abo]').selectOption('O')
    await form.locator('select[name=rhd]').selectOption('-')
    await form.locator('input[name=qty]').fill('2')
    const note = `产后大出血 ${lang === 'zh' ? 1 : 2} 号床`
    await form.locator('input[name=note]').fill(note)
    await form.locator('button[type=submit]').click()
    await form.locator('.confirm').waitFor()
    expect(await form.locator('.confirm').textContent()).toContain('O- 2 U')
    await form.locator('.confirm .confirm-yes').click()
    await form.locator('[role=status]').waitFor()
    const orders = await apiGet<{ orders: Order[] }>(server.url, COORD, `/api/orders?hospital=${H}`)
    const order = orders.orders.find((o) => o.note === note)!
    expect(order).toMatchObject({ kind: 'emergency', status: 'open', component: 'RBC', abo: 'O', rhd: '-', qty: 2 })
    await phone.locator(`.order-card[data-order="${order.id}"][data-status="open"]`).waitFor()
    expect(await overflow(phone)).toBeLessThanOrEqual(0)
    await phone.screenshot({ path: screenshotPath(`ui-hospital-phone-${lang}.png`), fullPage: true })

    // 3. the director sees it arrive within 15 s, without reloading, with an alert naming the hospital
    const card = director.locator(`.order-card[data-order="${order.id}"]`)
    await card.waitFor({ timeout: 15_000 })
    const alert = director.locator('.alert-emergency[data-entity="hospital_order"]')
    await alert.waitFor({ timeout: 15_000 })
    expect(await alert.textContent()).toContain(hospitalName)
    // the tab says so too, in red: an emergency call is waiting
    expect(await director.locator('.station-tabs [data-open-orders]').getAttribute('class')).toContain('urgency-emergency')
    // what the click applies: quantity, group and hospital, in the confirmation
    await card.locator('button.fill').click()
    await card.locator('input[name=temperatureC]').fill('4')
    const fillAsk = card.locator('.confirm')
    await fillAsk.waitFor()
    const fillText = (await fillAsk.textContent())!
    expect(fillText).toContain('O- 2 U')
    expect(fillText).toContain(hospitalName)
    await fillAsk.locator('.confirm-yes').click()
    await eventually(async () => (await apiGet<Order>(server.url, COORD, `/api/orders/${order.id}`)).status).toBe('filled')
    await director.locator(`.order-card[data-order="${order.id}"][data-status="filled"]`).waitFor()
    const filled = await apiGet<Order>(server.url, COORD, `/api/orders/${order.id}`)
    expect(filled.transferId).toBeTruthy()
    await director.screenshot({ path: screenshotPath(`ui-director-hospitals-${lang}.png`), fullPage: true })

    // 4. the hospital receives the box in full, at 4.5 °C (its delivery shows up without a reload)
    const delivery = phone.locator(`.delivery[data-transfer="${filled.transferId}"]`)
    await delivery.waitFor({ timeout: 15_000 })
    // and an alert says the station sent it
    await phone.locator('.alert[data-event="order.fill"]').waitFor({ timeout: 15_000 })
    await delivery.locator('input[name=temperatureC]').fill('4.5')
    await delivery.locator('button.receive').click()
    await eventually(async () => (await apiGet<Order>(server.url, COORD, `/api/orders/${order.id}`)).status).toBe('received')
    await phone.locator(`.order-card[data-order="${order.id}"][data-status="received"]`).waitFor({ timeout: 15_000 })

    // 5. both ledgers reconcile: what left the station is what came into the hospital, and the stock moved by it
    const out = await apiGet<{ movements: Movement[] }>(server.url, COORD, `/api/movements?site=YB&kind=transfer_out&limit=1000`)
    const inn = await apiGet<{ movements: Movement[] }>(server.url, COORD, `/api/movements?site=${H}&kind=transfer_in&limit=1000`)
    const sent = out.movements.filter((m) => m.transferId === filled.transferId)
    const came = inn.movements.filter((m) => m.transferId === filled.transferId)
    expect(sent.length).toBeGreaterThan(0)
    expect(sent.reduce((s, m) => s + m.delta, 0)).toBe(-2)
    expect(came.reduce((s, m) => s + m.delta, 0)).toBe(2)
    const stockAfter = await apiGet<{ rows: StockRow[] }>(server.url, COORD, '/api/stock?site=YB&component=RBC')
    const hStockAfter = await apiGet<{ rows: StockRow[] }>(server.url, COORD, `/api/stock?site=${H}&component=RBC`)
    expect(rbcOneg(stockAfter.rows, 'YB')).toBe(rbcOneg(stockBefore.rows, 'YB') - 2)
    // the hospital's O− red cells: +2 received (the transfusion above may have been of another group)
    const transfusedOneg = lot.component === 'RBC' && lot.abo === 'O' && lot.rhd === '-' ? 1 : 0
    expect(rbcOneg(hStockAfter.rows, H)).toBe(rbcOneg(hStockBefore.rows, H) + 2 - transfusedOneg)
    const reconcile = await apiGet<{ mismatches: unknown[] }>(server.url, COORD, `/api/movements/reconcile?site=${H}`)
    expect(reconcile.mismatches).toEqual([])

    // 6. the director's view: every hospital of the station, with its days of supply, in the API's risk order
    const view = await apiGet<View>(server.url, DIRECTOR, '/api/hospitals?station=YB')
    expect(view.hospitals.length).toBeGreaterThan(0)
    await director.reload()
    const rows = director.locator('table.figures tbody tr[data-kind="hospital"]')
    await eventually(() => rows.count()).toBe(view.hospitals.length)
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-site')))).toEqual(view.hospitals.map((h) => h.siteId))
    for (const h of view.hospitals) {
      const rbc = h.components.find((c) => c.component === 'RBC')
      const cell = director.locator(`tr[data-site="${h.siteId}"] td[data-component="RBC"]`)
      expect(await cell.getAttribute('data-days'), h.siteId).toBe(rbc ? String(rbc.daysOfSupply ?? 'none') : '')
      if (rbc) expect(await cell.locator('.badge.days').getAttribute('data-level')).toBe(rbc.level)
    }
    // the station's own row and its storage points' beside them
    expect(await director.locator(`table.figures tr[data-site="YB"][data-kind="station"]`).count()).toBe(1)
    expect(await director.locator('table.figures tr[data-kind="storage"]').count()).toBe(view.storagePoints.length)

    // the pages speak the reader's language: no English word in Chinese, no raw key in either
    for (const page of [phone, director]) {
      const text = await shown(page)
      if (lang === 'zh') expect(englishWords(text)).toEqual([])
      expect(rawKeys(text)).toEqual([])
    }
    expect(errors).toEqual([])
    expect(directorErrors).toEqual([])
    await phone.context().close()
    await director.context().close()
  }, 180_000)
})

describe('the rest of the hospital ledger, on a phone', () => {
  it('a discard asks for its reason first; a return moves units back into the station; each asks first, naming the lot', async () => {
    const H = (await apiGet<{ siteId: string }>(server.url, HOSPITAL, '/api/me')).siteId
    const page = await openApp(browser, server.url, { token: HOSPITAL, phone: true })
    const errors = pageErrors(page)
    await page.locator('table.hospital-lots tbody tr').first().waitFor()
    const lots = async () => (await apiGet<{ lots: Lot[] }>(server.url, COORD, `/api/stock/lots?site=${H}&includeEmpty=true`)).lots

    // a discard without a reason: said beside the field, in Chinese, and nothing written
    await page.locator('button.open-discard').click()
    const discard = page.locator('form.hospital-ledger[data-kind="discard"]')
    const discardLot = await discard.locator('select[name=lotId]').inputValue()
    const qtyBefore = (await lots()).find((l) => l.id === discardLot)!.qty
    await discard.locator('input[name=qty]').fill('1')
    await discard.locator('button[type=submit]').click()
    expect(await discard.locator('[data-field-error="reason"]').textContent()).toBe('请填写原因')
    expect(await discard.locator('.confirm').count()).toBe(0)
    await discard.locator('input[name=reason]').fill('血袋破损')
    await discard.locator('button[type=submit]').click()
    expect(await discard.locator('.confirm').textContent()).toContain(discardLot)
    await discard.locator('.confirm-yes').click()
    await discard.locator('[role=status]').waitFor()
    expect((await lots()).find((l) => l.id === discardLot)!.qty).toBe(qtyBefore - 1)
    const discards = await apiGet<{ movements: Movement[] }>(server.url, COORD, `/api/movements?site=${H}&lot=${encodeURIComponent(discardLot)}&kind=discard`)
    expect(discards.movements[0]).toMatchObject({ delta: -1, reason: '血袋破损' })

    // a return of 1 unit: off the hospital's lot, into a new lot at the station (a local transfer, received at once)
    await page.locator('button.open-return').click()
    const ret = page.locator('form.hospital-ledger[data-kind="return"]')
    const returnLot = await ret.locator('select[name=lotId]').inputValue()
    const before = (await lots()).find((l) => l.id === returnLot)!.qty
    await ret.locator('input[name=qty]').fill(String(before + 1))
    await ret.locator('button[type=submit]').click()
    // more than the lot holds: refused before asking, the limit named
    expect(await ret.locator('[data-field-error="qty"]').textContent()).toBe(`数量不能大于 ${before}`)
    await ret.locator('input[name=qty]').fill('1')
    await ret.locator('button[type=submit]').click()
    expect(await ret.locator('.confirm').textContent()).toContain(returnLot)
    await ret.locator('.confirm-yes').click()
    await ret.locator('[role=status]').waitFor()
    expect((await lots()).find((l) => l.id === returnLot)!.qty).toBe(before - 1)
    const out = await apiGet<{ movements: Movement[] }>(server.url, COORD, `/api/movements?site=${H}&lot=${encodeURIComponent(returnLot)}&kind=transfer_out`)
    expect(out.movements[0]?.delta).toBe(-1)
    const back = await apiGet<{ movements: Movement[] }>(server.url, COORD, '/api/movements?site=YB&kind=transfer_in&limit=1000')
    expect(back.movements.filter((m) => m.transferId === out.movements[0].transferId).map((m) => m.delta)).toEqual([1])
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    expect(errors).toEqual([])
    await page.context().close()
  })
})

describe('a fill the station cannot cover', () => {
  it('is refused, saying why in Chinese, and the order stays open', async () => {
    const call = await apiCall<Order>(server.url, HOSPITAL, '/api/orders', {
      method: 'POST',
      headers: { 'idempotency-key': 'ui-too-many-ab-neg' },
      body: { kind: 'routine', component: 'RBC', abo: 'AB', rhd: '-', qty: 500, neededBy: new Date(Date.now() + 24 * 3_600_000).toISOString() },
    })
    expect(call.status).toBe(201)
    const page = await openApp(browser, server.url, { token: DIRECTOR, path: '/station?tab=hospitals' })
    const errors = pageErrors(page)
    const card = page.locator(`.order-card[data-order="${call.body.id}"]`)
    await card.waitFor()
    // the card says the station holds too little before anyone clicks
    expect(Number(await card.locator('[data-station-on-hand]').getAttribute('data-station-on-hand'))).toBeLessThan(500)
    await card.locator('button.fill').click()
    await card.locator('input[name=temperatureC]').fill('4')
    await card.locator('.confirm-yes').click()
    await card.locator('.error[data-code="insufficient_stock"]').waitFor()
    expect(await card.locator('.error').textContent()).toBe('本站此成分与血型的库存不足以配送此订单：可拒绝，或到货后再配送')
    expect((await apiGet<Order>(server.url, COORD, `/api/orders/${call.body.id}`)).status).toBe('open')
    expect(errors).toEqual([])
    await page.context().close()
  })
})

describe('the hospitals tab for a coordinator', () => {
  it('opens read-only: the figures and the orders, and no fill button', async () => {
    const call = await apiCall<Order>(server.url, HOSPITAL, '/api/orders', {
      method: 'POST',
      headers: { 'idempotency-key': 'ui-coord-readonly' },
      body: {
        kind: 'routine',
        component: 'PLT',
        abo: 'A',
        rhd: '+',
        qty: 1,
        neededBy: new Date(Date.now() + 24 * 3_600_000).toISOString(),
        note: 'ui-readonly',
      },
    })
    expect(call.status).toBe(201)
    const page = await openApp(browser, server.url, { token: COORD, path: '/station?site=YB&tab=hospitals' })
    const errors = pageErrors(page)
    await page.locator('.hospitals-view table.figures tbody tr[data-kind="hospital"]').first().waitFor()
    const view = await apiGet<View>(server.url, COORD, '/api/hospitals?station=YB')
    expect(await page.locator('table.figures tbody tr[data-kind="hospital"]').count()).toBe(view.hospitals.length)
    await page.waitForLoadState('networkidle')
    await page.locator(`.order-card[data-order="${call.body.id}"]`).waitFor()
    expect(await page.locator('button.fill').count()).toBe(0)
    expect(await page.locator('button.decline-open').count()).toBe(0)
    expect(errors).toEqual([])
    await page.context().close()
  })
})
