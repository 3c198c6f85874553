// Aid across the border (issue 24, the first "Done when"), walked in the UI on the two provincial systems as
// `npm start` runs them (each its own wrangler dev and D1, linked by the courier): Chongqing's coordinator asks
// Sichuan for 20 U of O-negative red cells for an emergency in Wanzhou; Sichuan's coordinator sees it arrive
// within 15 s, plans it with Sichuan's planner and offers it; Chongqing accepts; Sichuan commits; Chengdu's director
// dispatches and Wanzhou's director receives, each in their own system; both ledgers reconcile.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROVINCE_USERS } from '../../seed/provinces'
import { apiCall, apiGet } from './api'
import { launchBrowser, openApp, overflow, pageErrors, screenshotPath } from './browser'
import { startProvinces, type ProvinceServer } from './server'

let sichuan: ProvinceServer
let chongqing: ProvinceServer
let browser: Browser
let stop: () => Promise<void> = async () => {}

const tokenOf = (p: ProvinceServer, role: string, siteId: string | null = null) =>
  PROVINCE_USERS[p.province].find((u) => u.role === role && (siteId === null || u.siteId === siteId))!.token
let SC_COORD = ''
let CQ_COORD = ''
let CD_DIR = ''
let WZ_DIR = ''

type Aid = {
  requestId: string | null
  id: string
  side: string
  status: string
  destSite: string | null
  planId: string | null
  offer: { qty: number; lines: { transferId: string; fromSite: string; qty: number }[] } | null
  shipments: { transferId: string; localTransfer: string; status: string; receipt: { receivedQty: number; acceptedQty: number } | null }[]
}
const aids = async (p: ProvinceServer, token: string) => (await apiGet<{ aids: Aid[] }>(p.url, token, '/api/province-aid')).aids

beforeAll(async () => {
  ;({ sichuan, chongqing, stop } = await startProvinces())
  browser = await launchBrowser()
  SC_COORD = tokenOf(sichuan, 'coordinator')
  CQ_COORD = tokenOf(chongqing, 'coordinator')
  CD_DIR = tokenOf(sichuan, 'director', 'CD')
  // Wanzhou's station (WZ) and its director are in Chongqing's demo seed (seed/sites.ts, seed/provinces.ts)
  WZ_DIR = tokenOf(chongqing, 'director', 'WZ')
  // Chengdu holds 30 U of O-negative red cells to spare
  const receipt = await apiCall(sichuan.url, CD_DIR, '/api/movements', {
    method: 'POST',
    headers: { 'idempotency-key': 'ui-cd-rbc-o-neg-aid' },
    body: {
      siteId: 'CD',
      kind: 'receipt',
      lotId: 'CD-RBC-ONEG-AID',
      component: 'RBC',
      abo: 'O',
      rhd: '-',
      antigens: [],
      qty: 30,
      collectedAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    },
  })
  expect(receipt.status, JSON.stringify(receipt.body)).toBe(201)
}, 300_000)
afterAll(async () => {
  await browser?.close()
  await stop()
})

const pad = (n: number) => String(n).padStart(2, '0')
const localText = (iso: string) => {
  const d = new Date(iso)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}
const confirmYes = (page: Page) => page.locator('.confirm button.confirm-yes').click()

describe('aid across the border, walked by both coordinators and both directors', () => {
  let aidId = ''

  it("Chongqing asks (Chinese, phone); Sichuan sees it arrive with an alert within 15 s (English, desktop), plans with Sichuan's planner and offers its 20 U (Chengdu the largest share)", async () => {
    const sc = await openApp(browser, sichuan.url, { token: SC_COORD, path: '/province-aid', lang: 'en' })
    const scErrors = pageErrors(sc)
    await sc.locator('.province-aid-page h3').first().waitFor()

    const cq = await openApp(browser, chongqing.url, { token: CQ_COORD, path: '/province-aid', phone: true })
    const cqErrors = pageErrors(cq)
    const form = cq.locator('form.province-aid-ask')
    await form.waitFor()
    expect(await form.locator('select[name=giver]').inputValue()).toBe('Sichuan')
    await form.locator('select[name=siteId]').selectOption('WZ')
    await form.locator('select[name=component]').selectOption('RBC')
    await form.locator('select[name=abo]').selectOption('O')
    await form.locator('select[name=rhd]').selectOption('-')
    await form.locator('input[name=qty]').fill('20')
    await form.locator('select[name=urgency]').selectOption('emergency')
    // Chengdu is some 7 h from Wanzhou by road (seed/roads.ts): needed within the day
    await form.locator('input[name=neededBy]').fill(localText(new Date(Date.now() + 24 * 3_600_000).toISOString()))
    await form.locator('input[name=reason]').fill('万州山体滑坡 多名伤员大出血')
    await form.locator('button[type=submit]').click()
    // the confirmation names what is asked, of whom, for where
    const ask = await cq.locator('.confirm p').textContent()
    expect(ask).toContain('四川省')
    expect(ask).toContain('悬浮红细胞 O- 20 U')
    expect(ask).toContain('重庆三峡中心血站')
    await confirmYes(cq)
    await form.locator('p.ok').waitFor()
    const sentAt = Date.now()
    expect(await overflow(cq)).toBeLessThanOrEqual(0)
    await cq.screenshot({ path: screenshotPath('ui-province-aid-ask-phone.png'), fullPage: true })

    // Sichuan: the alert names the province, the units and the station, within 15 s, without a reload
    const alert = sc.locator('.alert[data-event="province_aid.request"]')
    await alert.waitFor({ timeout: 15_000 })
    expect(Date.now() - sentAt).toBeLessThan(15_000)
    expect(await alert.textContent()).toContain('Chongqing asks for aid: Red blood cells O- 20 U, to Chongqing Three Gorges Central Blood Station')
    const card = sc.locator('.aid-card[data-side="giver"]').first()
    await card.waitFor()
    aidId = (await card.getAttribute('data-aid'))!
    expect((await aids(chongqing, CQ_COORD)).map((a) => [a.id, a.side, a.status])).toEqual([[aidId, 'asker', 'requested']])

    // plans with Sichuan's own planner: the quota is shared by Sichuan's stations in proportion to their spare stock
    // (Chengdu's the largest); the coordinator offers the plan's lines as proposed
    await card.locator('button.plan-aid').click()
    await card.locator('.aid-plan label[data-transfer]').first().waitFor()
    const planned = (await aids(sichuan, SC_COORD)).find((a) => a.id === aidId)!
    expect(planned.planId).not.toBeNull()
    const plan = await apiGet<{ transfers: { id: string; fromSite: string; toSite: string; qty: number; status: string }[] }>(
      sichuan.url,
      SC_COORD,
      `/api/plans/${planned.planId}`,
    )
    const lines = plan.transfers.filter((t) => t.toSite === planned.destSite && t.status === 'proposed')
    expect(
      lines.reduce((n, l) => n + l.qty, 0),
      JSON.stringify(lines),
    ).toBe(20)
    const cd = lines.find((t) => t.fromSite === 'CD')
    expect(cd, JSON.stringify(lines)).toBeDefined()
    expect(await card.locator('.aid-plan label[data-transfer]').count()).toBe(lines.length)
    await card.locator('button.offer-aid').click()
    const offerText = await sc.locator('.confirm p').textContent()
    expect(offerText).toContain('Offer Chongqing 20 U (')
    expect(offerText).toContain(`Chengdu Blood Center ${cd!.qty} U`)
    await confirmYes(sc)
    await sc.locator(`.aid-card[data-aid="${aidId}"][data-status="offered"]`).waitFor()
    const offerQty = 20
    await sc.screenshot({ path: screenshotPath('ui-province-aid-offer-desktop.png'), fullPage: true })

    // Chongqing sees the offer arrive and accepts it (asked first, naming the units and the station)
    const offered = cq.locator(`.aid-card[data-aid="${aidId}"][data-status="offered"]`)
    await offered.waitFor({ timeout: 20_000 })
    expect(await offered.locator('.aid-offer').textContent()).toContain('成都市血液中心')
    await offered.locator('button.accept-aid').click()
    expect(await cq.locator('.confirm p').textContent()).toContain(`${offerQty} U`)
    await confirmYes(cq)
    await cq.locator(`.aid-card[data-aid="${aidId}"][data-status="accepted"]`).waitFor()
    expect(await overflow(cq)).toBeLessThanOrEqual(0)

    // Sichuan sees the acceptance and commits what it offered
    const accepted = sc.locator(`.aid-card[data-aid="${aidId}"][data-status="accepted"]`)
    await accepted.waitFor({ timeout: 20_000 })
    await accepted.locator('button.commit-aid').click()
    await confirmYes(sc)
    await accepted.locator('p.ok').waitFor()
    for (const l of lines)
      expect(await apiGet<{ status: string; qty: number }>(sichuan.url, SC_COORD, `/api/transfers/${l.id}`)).toMatchObject({ status: 'committed', qty: l.qty })
    expect(scErrors).toEqual([])
    expect(cqErrors).toEqual([])
    await sc.context().close()
    await cq.context().close()
  })

  it("Chengdu's director dispatches (phone); Wanzhou's director receives it in Chongqing's own system; both ledgers reconcile", async () => {
    const giver = (await aids(sichuan, SC_COORD)).find((a) => a.id === aidId)!
    const lines = giver.offer!.lines
    const line = lines.find((l) => l.fromSite === 'CD')!
    const cd = await openApp(browser, sichuan.url, { token: CD_DIR, path: '/station', phone: true })
    const cdErrors = pageErrors(cd)
    const out = cd.locator(`.transfer-cards.out li[data-transfer="${line.transferId}"]`)
    await out.waitFor()
    await out.locator('input[name=temperatureC]').fill('4.5')
    await out.locator('input[name=carrier]').fill('川A·12345 王师傅')
    await out.locator('button.dispatch').click()
    await cd.locator(`.transfer-cards.out li[data-transfer="${line.transferId}"][data-status="dispatched"]`).waitFor()
    expect(await overflow(cd)).toBeLessThanOrEqual(0)
    expect(cdErrors).toEqual([])
    await cd.context().close()
    // the other stations' boxes (the coordinator dispatches for them here; their directors' pages are the same)
    for (const l of lines.filter((x) => x !== line)) {
      const r = await apiCall(sichuan.url, SC_COORD, `/api/transfers/${l.transferId}/dispatch`, {
        method: 'POST',
        body: { temperatureC: 5, carrier: `${l.fromSite} 冷链车` },
      })
      expect(r.status, JSON.stringify(r.body)).toBe(200)
    }

    // each dispatch reaches Chongqing as an incoming transfer to Wanzhou, with the box's record
    let incoming = new Map<string, string>()
    await expect
      .poll(
        async () => {
          const a = (await aids(chongqing, CQ_COORD)).find((x) => x.id === aidId)!
          incoming = new Map(a.shipments.map((s) => [s.transferId, s.localTransfer]))
          return a.shipments.filter((s) => s.status === 'dispatched').length
        },
        { timeout: 20_000, interval: 300 },
      )
      .toBe(lines.length)
    const wz = await openApp(browser, chongqing.url, { token: WZ_DIR, path: '/station', phone: true })
    const wzErrors = pageErrors(wz)
    const local = incoming.get(line.transferId)!
    const card = wz.locator(`.transfer-cards.in li[data-transfer="${local}"]`)
    await card.locator('form.receive-form').waitFor()
    // named by station, not by the id of the site that stands for it in Chongqing's system
    await expect.poll(() => card.textContent(), { timeout: 10_000 }).toContain('来自 成都市血液中心')
    await card.locator('input[name=receivedQty]').fill(String(line.qty))
    await card.locator('input[name=temperatureC]').fill('5')
    await card.locator('button.receive').click()
    await wz.locator(`.transfer-cards.in li[data-transfer="${local}"][data-status="received"]`).waitFor()
    expect(await overflow(wz)).toBeLessThanOrEqual(0)
    await wz.screenshot({ path: screenshotPath('ui-province-aid-receive-phone.png'), fullPage: true })
    expect(wzErrors).toEqual([])
    await wz.context().close()
    for (const l of lines.filter((x) => x !== line)) {
      const id = incoming.get(l.transferId)!
      const r = await apiCall(chongqing.url, WZ_DIR, `/api/transfers/${id}/receive`, {
        method: 'POST',
        headers: { 'idempotency-key': `receive-${id}` },
        body: { receivedQty: l.qty, temperatureC: 5 },
      })
      expect(r.status, JSON.stringify(r.body)).toBe(200)
    }

    // each receipt goes back: Sichuan's transfers are closed as received at Wanzhou
    for (const l of lines)
      await expect
        .poll(async () => (await apiGet<{ status: string }>(sichuan.url, SC_COORD, `/api/transfers/${l.transferId}`)).status, {
          timeout: 20_000,
          interval: 300,
        })
        .toBe('received')
    // ledgers: Sichuan's transfer_out for the aid = Wanzhou's transfer_in for it (20 U each way)
    type Mv = { kind: string; delta: number; transferId: string | null }
    const ours = new Set(lines.map((l) => l.transferId))
    const theirs = new Set(incoming.values())
    const scOut = (await apiGet<{ movements: Mv[] }>(sichuan.url, SC_COORD, '/api/movements?kind=transfer_out&limit=1000')).movements
      .filter((m) => m.transferId && ours.has(m.transferId))
      .reduce((n, m) => n + m.delta, 0)
    const wzIn = (await apiGet<{ movements: Mv[] }>(chongqing.url, CQ_COORD, '/api/movements?site=WZ&kind=transfer_in&limit=1000')).movements
      .filter((m) => m.transferId && theirs.has(m.transferId))
      .reduce((n, m) => n + m.delta, 0)
    expect([scOut, wzIn]).toEqual([-20, 20])
    const both = [(await aids(sichuan, SC_COORD)).find((a) => a.id === aidId)!, (await aids(chongqing, CQ_COORD)).find((a) => a.id === aidId)!]
    for (const a of both) {
      expect(a.shipments.map((s) => s.status)).toEqual(lines.map(() => 'received'))
      expect(a.shipments.reduce((n, s) => n + (s.receipt?.acceptedQty ?? 0), 0)).toBe(20)
    }
    // Chongqing's coordinator reads it as all received, each box with its station, temperature and receipt
    const cq = await openApp(browser, chongqing.url, { token: CQ_COORD, path: '/province-aid' })
    const done = cq.locator(`.aid-card[data-aid="${aidId}"] .aid-status[data-progress="received"]`)
    await done.waitFor()
    expect(await done.textContent()).toContain('已全部接收')
    expect(await cq.locator(`.aid-card[data-aid="${aidId}"] .aid-shipments li[data-status="received"]`).count()).toBe(lines.length)
    await cq.context().close()
  })
  it("an unmet need of Chongqing's plan offers 'ask Sichuan', which fills the form; Sichuan declines on a phone with a reason; Chongqing sees why", async () => {
    const filed = await apiCall<{ id: string }>(chongqing.url, CQ_COORD, '/api/requests', {
      method: 'POST',
      body: {
        siteId: 'WZ',
        component: 'RBC',
        abo: 'O',
        rhd: '-',
        qty: 30,
        urgency: 'emergency',
        neededBy: new Date(Date.now() + 24 * 3_600_000).toISOString(),
        reason: '万州第二批伤员',
      },
    })
    expect(filed.status, JSON.stringify(filed.body)).toBe(201)
    const cq = await openApp(browser, chongqing.url, { token: CQ_COORD, path: '/plan' })
    const cqErrors = pageErrors(cq)
    await cq.locator('button.run-planner').click()
    await cq.waitForURL(/\/plan\?id=/)
    const plan = await apiGet<{ unmet: { need: string; qty: number }[] }>(chongqing.url, CQ_COORD, `/api/plans/${new URL(cq.url()).searchParams.get('id')}`)
    const unmet = plan.unmet.find((u) => u.need === filed.body.id)!
    expect(unmet.qty).toBeGreaterThan(0)
    const link = cq.locator(`.unmet-list tr[data-need="${filed.body.id}"] a.ask-province-link`)
    expect((await link.textContent())?.trim()).toBe('请求四川省支援')
    await link.click()
    const form = cq.locator('form.province-aid-ask')
    await form.waitFor()
    // the form is the need: station, component, group, the unmet quantity, urgency; nothing sent before its confirm
    expect(await form.locator('select[name=siteId]').inputValue()).toBe('WZ')
    expect(await form.locator('select[name=rhd]').inputValue()).toBe('-')
    expect(await form.locator('input[name=qty]').inputValue()).toBe(String(unmet.qty))
    expect(await form.locator('select[name=urgency]').inputValue()).toBe('emergency')
    await form.locator('input[name=reason]').fill('本省 O 型 RhD 阴性红细胞不足')
    await form.locator('button[type=submit]').click()
    await confirmYes(cq)
    await form.locator('p.ok').waitFor()
    const asked = (await aids(chongqing, CQ_COORD)).find((a) => a.side === 'asker' && a.status === 'requested')!
    expect(asked).toMatchObject({ requestId: filed.body.id })

    const sc = await openApp(browser, sichuan.url, { token: SC_COORD, path: '/province-aid', phone: true })
    const scErrors = pageErrors(sc)
    const card = sc.locator(`.aid-card[data-aid="${asked.id}"][data-status="requested"]`)
    await card.waitFor({ timeout: 20_000 })
    await card.locator('input[name=reason]').fill('四川 O 型 RhD 阴性库存已低于红色预警')
    await card.locator('button.decline-aid').click()
    expect(await sc.locator('.confirm p').textContent()).toContain('重庆市')
    await confirmYes(sc)
    await sc.locator(`.aid-card[data-aid="${asked.id}"][data-status="declined"]`).waitFor()
    expect(await overflow(sc)).toBeLessThanOrEqual(0)
    await sc.screenshot({ path: screenshotPath('ui-province-aid-decline-phone.png'), fullPage: true })

    await cq.goto(`${chongqing.url}/province-aid`)
    const declined = cq.locator(`.aid-card[data-aid="${asked.id}"][data-status="declined"]`)
    await declined.waitFor({ timeout: 20_000 })
    expect(await declined.textContent()).toContain('四川 O 型 RhD 阴性库存已低于红色预警')
    expect(scErrors).toEqual([])
    expect(cqErrors).toEqual([])
    await sc.context().close()
    await cq.context().close()
  })
})
