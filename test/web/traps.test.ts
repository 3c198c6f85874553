// Issue 19's traps, each driven in Chromium against a real wrangler dev: an edited box that approve-all ignored, old
// plans that stayed live, a commit failure that named nothing, the unmet list's order, a box discarded in one click,
// alerts that named ids and pinned over the review; then the emergency path walked on a phone and a desktop in Chinese.
import type { Browser, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { DEMO_TOKENS } from '../../seed/demo'
import { URGENCY_RANK } from '../../solver/domain'
import { apiCall, apiGet, eventually } from './api'
import { openApp, pageErrors, screenshotPath } from './browser'
import { useApp } from './harness'
import type { Server } from './server'

let server: Server
let browser: Browser
useApp((s, b) => {
  server = s
  browser = b
})

const COORD = DEMO_TOKENS.coordinator
const DIR: Record<string, string> = {
  CD: DEMO_TOKENS['director-cd'],
  YB: DEMO_TOKENS['director-yb'],
  PZH: DEMO_TOKENS['director-pzh'],
  GZ: DEMO_TOKENS['director-gz'],
}
type Line = { requestId: string; qty: number; siteId: string; urgency: string }
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
  lots: { lotId: string; qty: number }[]
}
type Need = { id: string; urgency: string; neededBy?: string }
type Plan = {
  id: string
  status: string
  supersededBy?: string
  transfers: Transfer[]
  unmet: { need: string; qty: number }[]
  instance: { needs: Need[]; antigenRounds?: { instance: { needs: Need[] } }[] }
}
type Site = { id: string; nameZh: string }

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString()
const pad = (n: number) => String(n).padStart(2, '0')
const localText = (iso: string) => {
  const d = new Date(iso)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}
const planOf = (id: string) => apiGet<Plan>(server.url, COORD, `/api/plans/${id}`)
const newPlan = async () => {
  const r = await apiCall<Plan>(server.url, COORD, '/api/plans', { method: 'POST', body: {} })
  expect(r.status).toBe(201)
  return r.body
}
let names: Map<string, string>
const siteZh = async (id: string) => {
  names ??= new Map((await apiGet<{ sites: Site[] }>(server.url, COORD, '/api/sites')).sites.map((s) => [s.id, s.nameZh]))
  return names.get(id)!
}

/**
 * Visible text the page shows that is not Chinese: raw ids (tr_, cu_, req_, plan_) anywhere, and any text node with a Latin
 * word but no Chinese, other than units, blood groups, dates and numbers.
 */
async function notChinese(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const doc = (globalThis as any).document
    const walker = doc.createTreeWalker(doc.body, 4 /* NodeFilter.SHOW_TEXT */)
    const bad: string[] = []
    // units, groups, antigen names (international notation), the language switch (named in its own language)
    const ok = /^(U|mL|h|°C|km|RhD|ABO|CSV|[ABO]{1,2}[+−-]?|[+−-]|×|Fy|Jk|Kell|Di|English|Leaflet)$/
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = (n.textContent ?? '').trim()
      const el = n.parentElement
      if (!text || !el || el.closest('script,style,[hidden]')) continue
      const box = el.getBoundingClientRect()
      if (box.width === 0 && box.height === 0) continue
      if (/\b(tr|cu|req|plan)_/.test(text)) {
        bad.push(text)
        continue
      }
      if (/[\u4e00-\u9fff]/.test(text)) continue
      const words = text.split(/[\s·,，:：/()（）|]+/).filter((w: string) => /[A-Za-z]{2,}/.test(w) && !ok.test(w))
      if (words.length) bad.push(text)
    }
    return bad
  })
}

let firstPlan: Plan

describe('the traps of issue 19', () => {
  it('the unmet list is most urgent first, then soonest deadline, and names no raw id', async () => {
    // whole blood B− exists nowhere in the demo region: these stay unmet, filed least urgent first
    const asks = [
      ['YB', 'routine', 40],
      ['PZH', 'emergency', 30],
      ['YB', 'urgent', 20],
      ['GZ', 'emergency', 10],
    ] as const
    for (const [i, [site, urgency, h]] of asks.entries()) {
      const r = await apiCall(server.url, DIR[site], '/api/requests', {
        method: 'POST',
        headers: { 'idempotency-key': `unmet-request-${i}` },
        body: { siteId: site, component: 'WB', abo: 'B', rhd: '-', qty: 2, urgency, neededBy: inHours(h), reason: `${site} 全血 B- 备血 ${i}` },
      })
      expect(r.status, JSON.stringify(r.body)).toBe(201)
    }
    firstPlan = await newPlan()
    const needs = new Map([...firstPlan.instance.needs, ...(firstPlan.instance.antigenRounds ?? []).flatMap((r) => r.instance.needs)].map((n) => [n.id, n]))
    expect(firstPlan.unmet.filter((u) => u.qty > 0).length).toBeGreaterThanOrEqual(5)
    const page = await openApp(browser, server.url, { token: COORD, path: `/plan?id=${firstPlan.id}` })
    const errors = pageErrors(page)
    await page.locator('.unmet-list tr[data-need]').first().waitFor()
    const order = await page.locator('.unmet-list tr[data-need]').evaluateAll((els) => els.map((e) => e.getAttribute('data-need')!))
    expect(order.length).toBe(firstPlan.unmet.filter((u) => u.qty > 0).length)
    const key = (id: string) => [URGENCY_RANK[needs.get(id)!.urgency as keyof typeof URGENCY_RANK], needs.get(id)!.neededBy ?? '~'] as const
    for (let i = 1; i < order.length; i++) {
      const [a, b] = [key(order[i - 1]), key(order[i])]
      expect(a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]), `${order[i - 1]} before ${order[i]}`).toBe(true)
    }
    expect(await page.locator('.unmet-list').textContent()).not.toMatch(/req_/)
    expect(errors).toEqual([])
    await page.context().close()
  })

  it('approve-all applies the quantity shown in an edited box; commit refuses while a box is edited and unsaved, naming it', async () => {
    const page = await openApp(browser, server.url, { token: COORD, path: `/plan?id=${firstPlan.id}` })
    const errors = pageErrors(page)
    // a request whose group has a transfer of 3 units or more, still proposed
    const tr = firstPlan.transfers.find((t) => t.status === 'proposed' && t.qty >= 3 && t.requests.length === 1)!
    expect(tr).toBeTruthy()
    const row = page.locator(`tr[data-transfer="${tr.id}"]`)
    await row.locator('input[name=qty]').fill(String(tr.qty - 1))
    await page.locator(`.review-group[data-request="${tr.requests[0].requestId}"] button.approve-request`).click()
    await page.locator(`tr[data-transfer="${tr.id}"][data-status="approved"]`).waitFor()
    const stored = await apiGet<Transfer>(server.url, COORD, `/api/transfers/${tr.id}`)
    expect(stored.qty).toBe(Number(await row.locator('input[name=qty]').inputValue()))
    expect(stored.qty).toBe(tr.qty - 1)

    // the API agrees: an approval carrying a quantity the server does not hold is refused
    const other = firstPlan.transfers.find((t) => t.status === 'proposed' && t.id !== tr.id && t.requests[0]?.requestId !== tr.requests[0].requestId)!
    const refused = await apiCall<{ error: { code: string; field: string } }>(server.url, COORD, `/api/transfers/${other.id}/approve`, {
      method: 'POST',
      body: { qty: other.qty + 1 },
    })
    expect(refused.status).toBe(409)
    expect(refused.body.error.code).toBe('qty_changed')

    // an edited, unsaved box stops the commit, naming the transfer's stations; undoing the edit lets it ask
    await row.locator('input[name=qty]').fill(String(tr.qty - 2))
    await page.locator('button.commit').click()
    const blocked = page.locator('.commit-blocked')
    await blocked.waitFor()
    expect(await blocked.textContent()).toContain(await siteZh(tr.fromSite))
    expect(await blocked.textContent()).toContain(await siteZh(tr.toSite))
    expect(await page.locator('.plan-page > .confirm').count()).toBe(0)
    expect((await planOf(firstPlan.id)).status).toBe('review')
    await row.locator('input[name=qty]').fill(String(tr.qty - 1))
    await page.locator('button.commit').click()
    await page.locator('.plan-page > .confirm').waitFor()
    await page.locator('.plan-page > .confirm button.confirm-no').click()
    expect(errors).toEqual([])
    await page.context().close()
  })

  it('a new plan supersedes the open ones; a commit that fails names the transfer, stations and lot, and offers to re-plan', async () => {
    const page = await openApp(browser, server.url, { token: COORD, path: `/plan?id=${firstPlan.id}` })
    const errors = pageErrors(page)
    await page.locator('tr[data-transfer]').first().waitFor()
    // it holds an approval (the test above): a new plan would close it, so running the planner asks first, saying so
    await page.locator('button.run-planner').click()
    const ask = page.locator('.plan-page > .confirm')
    await ask.waitFor()
    const approved = (await planOf(firstPlan.id)).transfers.filter((t) => t.status === 'approved').length
    expect(approved).toBeGreaterThan(0)
    expect(await ask.textContent()).toContain(`已批准的 ${approved} 条调拨将关闭`)
    expect((await planOf(firstPlan.id)).status).toBe('review')
    await ask.locator('button.confirm-yes').click()
    await page.waitForURL((u) => !!u.searchParams.get('id') && u.searchParams.get('id') !== firstPlan.id)
    const second = new URL(page.url()).searchParams.get('id')!
    const old = await planOf(firstPlan.id)
    expect(old).toMatchObject({ status: 'superseded', supersededBy: second })
    const live = old.transfers.filter((t) => ['proposed', 'approved'].includes(t.status))
    expect(live).toEqual([])
    expect(old.transfers.filter((t) => t.closeReason === 'superseded').length).toBeGreaterThan(0)
    const commitOld = await apiCall<{ error: { code: string; message: string } }>(server.url, COORD, `/api/plans/${firstPlan.id}/commit`, {
      method: 'POST',
      headers: { 'idempotency-key': `old-${firstPlan.id}` },
    })
    expect(commitOld.status).toBe(409)
    expect(commitOld.body.error.code).toBe('plan_superseded')
    expect(commitOld.body.error.message).toContain(second)
    const { entries } = await apiGet<{ entries: { action: string; actorId: string }[] }>(server.url, COORD, `/api/audit?entity=plan&entityId=${firstPlan.id}`)
    expect(entries.some((e) => e.action === 'plan.supersede' && e.actorId === 'u-coordinator')).toBe(true)

    // the old plan's page says so, in Chinese, with the way to the new one
    await page.goto(`${server.url}/plan?id=${firstPlan.id}`)
    const note = page.locator('.superseded-note')
    await note.waitFor()
    expect(await note.textContent()).toContain('已被新计划取代')
    expect(await page.locator('button.commit').count()).toBe(0)
    await note.locator('a').click()
    await page.waitForURL((u) => u.searchParams.get('id') === second)

    // a commit that fails: CD's lot is discarded after approval; the error names the stations and the lot, and re-plans
    const plan = await planOf(second)
    const tr = plan.transfers.find((t) => t.status === 'proposed' && t.fromSite === 'CD')!
    expect(tr).toBeTruthy()
    const row = page.locator(`tr[data-transfer="${tr.id}"]`)
    await row.locator('button.approve').click()
    await page.locator(`tr[data-transfer="${tr.id}"][data-status="approved"]`).waitFor()
    const lotId = tr.lots[0].lotId
    const { lots } = await apiGet<{ lots: { id: string; qty: number }[] }>(server.url, COORD, `/api/stock/lots?site=CD&component=${tr.component}`)
    const lot = lots.find((l) => l.id === lotId)!
    const discard = await apiCall(server.url, DIR.CD, '/api/movements', {
      method: 'POST',
      headers: { 'idempotency-key': `discard-${lotId}` },
      body: { siteId: 'CD', kind: 'discard', lotId, qty: lot.qty, reason: '冷库故障' },
    })
    expect(discard.status).toBe(201)
    await page.locator('button.commit').click()
    await page.locator('.plan-page > .confirm button.confirm-yes').click()
    const failure = page.locator('.commit-failure')
    await failure.waitFor()
    const text = (await failure.textContent())!
    expect(text).toContain(await siteZh(tr.fromSite))
    expect(text).toContain(await siteZh(tr.toSite))
    expect(text).toContain(lotId)
    expect(text).not.toMatch(/tr_|Transfer /)
    expect((await planOf(second)).status).toBe('review')
    await failure.locator('button.replan').click()
    await page.waitForURL((u) => !!u.searchParams.get('id') && u.searchParams.get('id') !== second)
    expect((await planOf(second)).status).toBe('superseded')
    await page.screenshot({ path: screenshotPath('ui-traps-replan.png'), fullPage: true })
    expect(errors).toEqual([])
    await page.context().close()
  })

  it('receiving a box at 14 °C shows the range, asks before discarding, and shows it discarded with the reason', async () => {
    const plan = await newPlan()
    const tr = plan.transfers.find((t) => t.component === 'RBC' && ['YB', 'GZ', 'PZH'].includes(t.toSite) && t.fromSite !== t.toSite)!
    expect(tr).toBeTruthy()
    // the receiving director's page is open while the coordinator commits and the donor dispatches
    const page = await openApp(browser, server.url, { token: DIR[tr.toSite], path: '/station' })
    const errors = pageErrors(page)
    await page.locator('.station-page').waitFor()
    await page.waitForTimeout(1500) // the events feed has taken its first cursor
    expect((await apiCall(server.url, COORD, `/api/transfers/${tr.id}/approve`, { method: 'POST' })).status).toBe(200)
    expect((await apiCall(server.url, COORD, `/api/plans/${plan.id}/commit`, { method: 'POST', headers: { 'idempotency-key': `c-${plan.id}` } })).status).toBe(
      200,
    )
    expect((await apiCall(server.url, COORD, `/api/transfers/${tr.id}/dispatch`, { method: 'POST', body: { temperatureC: 4.5 } })).status).toBe(200)
    // the alert names the stations, component, group and quantity, never the transfer's id
    const alert = page.locator('.alert[data-event="transfer.dispatch"]')
    await alert.waitFor({ timeout: 15_000 })
    const said = (await alert.textContent())!
    for (const part of [await siteZh(tr.fromSite), '红细胞', `${tr.abo}${tr.rhd}`, `${tr.qty} U`]) expect(said).toContain(part)
    expect(said).not.toMatch(/tr_/)

    const card = page.locator(`.transfer-cards.in li[data-transfer="${tr.id}"]`)
    await card.locator('form.receive-form').waitFor()
    expect(await card.locator('[data-range]').textContent()).toContain('2–10 °C')
    await card.locator('input[name=temperatureC]').fill('14')
    await card.locator('button.receive').click()
    const ask = card.locator('.confirm')
    await ask.waitFor()
    expect(await ask.textContent()).toContain('报废')
    expect(await ask.textContent()).toContain(`${tr.qty}`)
    expect((await apiGet<Transfer>(server.url, COORD, `/api/transfers/${tr.id}`)).status).toBe('dispatched')
    await ask.locator('button.confirm-yes').click()
    const outcome = page.locator(`.transfer-cards.in li[data-transfer="${tr.id}"] [data-outcome]`)
    await outcome.waitFor()
    expect(await outcome.getAttribute('data-outcome')).toBe('discarded')
    expect(await outcome.textContent()).toContain('已报废')
    expect(await outcome.textContent()).toContain('14 °C')
    expect(await page.locator(`.transfer-cards.in li[data-transfer="${tr.id}"]`).textContent()).not.toContain('已接收')
    // the director's own receipt raises no alert on their own page
    await page.waitForTimeout(6500)
    expect(await page.locator('.alert[data-event="transfer.receive"]').count()).toBe(0)
    await page.screenshot({ path: screenshotPath('ui-traps-discarded.png'), fullPage: true })
    expect(errors).toEqual([])
    await page.context().close()
  })

  it("an alert's 查看 asks first when the new plan would close approvals on a plan under review, saying how many", async () => {
    const open = await newPlan()
    const tr = open.transfers.find((t) => t.status === 'proposed')!
    expect((await apiCall(server.url, COORD, `/api/transfers/${tr.id}/approve`, { method: 'POST' })).status).toBe(200)
    const page = await openApp(browser, server.url, { token: COORD, path: `/plan?id=${open.id}` })
    const errors = pageErrors(page)
    await page.locator('tr[data-transfer]').first().waitFor()
    await page.waitForTimeout(1500) // the events feed has taken its first cursor
    const filed = await apiCall<{ id: string }>(server.url, DIR.GZ, '/api/requests', {
      method: 'POST',
      headers: { 'idempotency-key': 'alert-ask-gz-1' },
      body: { siteId: 'GZ', component: 'RBC', abo: 'O', rhd: '+', qty: 2, urgency: 'emergency', neededBy: inHours(5), reason: '产后大出血' },
    })
    expect(filed.status).toBe(201)
    const alert = page.locator('.alert-emergency')
    await alert.waitFor({ timeout: 15_000 })
    await alert.locator('a').click()
    const ask = alert.locator('.confirm')
    await ask.waitFor()
    expect(await ask.textContent()).toContain('已批准的 1 条调拨将关闭')
    expect((await planOf(open.id)).status).toBe('review')
    await ask.locator('button.confirm-yes').click()
    await page.waitForURL((u) => !!u.searchParams.get('id') && u.searchParams.get('id') !== open.id)
    await page.locator(`.review-group[data-request="${filed.body.id}"], .unmet-list tr[data-need="${filed.body.id}"]`).first().waitFor()
    expect((await planOf(open.id)).status).toBe('superseded')
    expect(errors).toEqual([])
    await page.context().close()
  })

  for (const phone of [false, true]) {
    it(`the emergency path, director → alert → plan → approve → commit, on a ${phone ? 'phone' : 'desktop'} in Chinese`, async () => {
      const reviewPlan = await newPlan()
      const coord = await openApp(browser, server.url, { token: COORD, path: `/plan?id=${reviewPlan.id}`, phone })
      const director = await openApp(browser, server.url, { token: DIR.YB, path: '/requests', phone })
      const errors = [...pageErrors(coord), ...pageErrors(director)]
      if (!phone) for (const p of [coord, director]) await p.setViewportSize({ width: 1400, height: 900 })
      await coord.locator('tr[data-transfer]').first().waitFor()
      await coord.waitForTimeout(1500) // the events feed has taken its first cursor
      let clicks = 0
      const click = async (l: ReturnType<Page['locator']>) => {
        await l.click()
        clicks++
      }
      const started = Date.now()

      // the director files the emergency
      const form = director.locator('form.request-form')
      await form.locator('select[name=component]').selectOption('RBC')
      clicks++
      await form.locator('select[name=abo]').selectOption('A')
      clicks++
      await form.locator('select[name=rhd]').selectOption('+')
      clicks++
      await form.locator('select[name=urgency]').selectOption('emergency')
      clicks++
      await form.locator('input[name=qty]').fill('2')
      clicks++
      await form.locator('input[name=neededBy]').fill(localText(inHours(4)))
      clicks++
      const reason = `术中大出血 ${phone ? '手机' : '桌面'}`
      await form.locator('input[name=reason]').fill(reason)
      clicks++
      await click(form.locator('button[type=submit]'))
      await form.locator('[role=status]').waitFor()
      const filedAt = Date.now()
      expect(await notChinese(director)).toEqual([])
      const { requests } = await apiGet<{ requests: { id: string; reason: string }[] }>(server.url, COORD, '/api/requests?site=YB')
      const reqId = requests.find((r) => r.reason === reason)!.id

      // the coordinator's alert: station, component, group, quantity; no id
      const alert = coord.locator('.alert-emergency')
      await alert.waitFor({ timeout: 15_000 })
      const alertedAt = Date.now()
      const said = (await alert.textContent())!
      for (const part of ['宜宾', '悬浮红细胞', 'A+', '2 U']) expect(said).toContain(part)
      expect(await notChinese(coord)).toEqual([])
      if (phone) {
        // it does not pin over the review: scrolled down, the review is not under it
        await coord.evaluate(() => (globalThis as any).window.scrollTo(0, 600))
        await coord.waitForTimeout(200)
        const a = (await alert.boundingBox())!
        expect(a.y + a.height).toBeLessThanOrEqual(0)
        await coord.evaluate(() => (globalThis as any).window.scrollTo(0, 0))
      }

      // 查看 opens a plan for that request, its group in view
      await click(alert.locator('a'))
      await coord.waitForURL((u) => !!u.searchParams.get('id') && u.searchParams.get('id') !== reviewPlan.id)
      const group = coord.locator(`.review-group[data-request="${reqId}"]`)
      await group.waitFor()
      await eventually(() =>
        group.evaluate((e) => {
          const r = e.getBoundingClientRect()
          return r.top >= 0 && r.top < (globalThis as any).window.innerHeight
        }),
      ).toBe(true)
      expect(await notChinese(coord)).toEqual([])
      await click(group.locator('button.approve-request'))
      await eventually(() => group.locator('tr[data-status="approved"]').count()).toBeGreaterThan(0)
      await click(coord.locator('button.commit'))
      await click(coord.locator('.plan-page > .confirm button.confirm-yes'))
      await group.locator('tr[data-status="committed"]').first().waitFor()
      const done = Date.now()
      const planId = new URL(coord.url()).searchParams.get('id')!
      expect((await planOf(planId)).status).toBe('committed')
      expect(await notChinese(coord)).toEqual([])
      expect(await coord.evaluate(() => (globalThis as any).performance.getEntriesByType('navigation').length)).toBe(1) // no reload
      await coord.screenshot({ path: screenshotPath(`ui-traps-emergency-${phone ? 'phone' : 'desktop'}.png`), fullPage: true })
      console.log(
        `emergency path (${phone ? 'phone 390×844' : 'desktop 1400×900'}): ${clicks} clicks/inputs, filed in ${((filedAt - started) / 1000).toFixed(1)} s, ` +
          `alert after ${((alertedAt - filedAt) / 1000).toFixed(1)} s, alert → committed ${((done - alertedAt) / 1000).toFixed(1)} s, total ${((done - started) / 1000).toFixed(1)} s`,
      )
      expect(errors).toEqual([])
      await coord.context().close()
      await director.context().close()
    })
  }
})
