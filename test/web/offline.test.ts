// Issue 25: the station client works without a network. On a phone-sized Chromium the Garze director goes offline,
// reloads, still sees the station's stock with its age, records a receipt and a dispatch that wait on the device,
// and the server holds each exactly once when the network returns. A write the server then refuses is shown with
// its reason while the others are applied; a count against a lot that changed meanwhile shows both figures and the
// director chooses. The app is installable and opens offline; the coordinator's map marks silent stations.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { DEMO_TOKENS } from '../../seed/demo'
import { apiCall, apiGet, eventually } from './api'
import { overflow, pageErrors } from './browser'
import { useApp } from './harness'
import type { Server } from './server'

let server: Server
let browser: Browser
useApp((s, b) => {
  server = s
  browser = b
})

const COORD = DEMO_TOKENS.coordinator
const GZ = DEMO_TOKENS['director-gz']
const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString()
type Lot = { id: string; component: string; abo: string; rhd: string; qty: number; collectedAt: string; expiresAt: string }
type Transfer = { id: string; status: string; fromSite: string; toSite: string; qty: number }

/** A phone-sized context signed in as `token`, with the service worker allowed (Playwright's default). */
async function phone(token: string): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
  await context.addInitScript((tk) => localStorage.setItem('bd.token', tk), token)
  const page = await context.newPage()
  // offline, every failed API read is logged by Chromium as a failed resource: not an error of the app's own
  const errors = pageErrors(page)
  return { context, page, errors }
}

/** Opens `path` once the service worker controls the page, so the API answers the page reads are cached. */
async function openControlled(page: Page, path: string): Promise<void> {
  await page.goto(server.url + path)
  await page.evaluate(async () => {
    await (navigator as any).serviceWorker.ready
  })
  await page.waitForFunction(() => (navigator as any).serviceWorker.controller !== null)
  await page.reload()
}

/**
 * The network goes away: context.setOffline(true) for the pages, and the same for the service worker's own fetches
 * (Chromium's emulation does not always reach a service worker started after it), which fail as a lost link does.
 */
async function goOffline(context: BrowserContext): Promise<void> {
  await context.setOffline(true)
  await context.route(`${server.url}/**`, (r) => r.abort('internetdisconnected'))
}
async function goOnline(context: BrowserContext): Promise<void> {
  await context.unrouteAll()
  await context.setOffline(false)
}

const lotsOf = (site: string, q = '') => apiGet<{ lots: Lot[] }>(server.url, COORD, `/api/stock/lots?site=${site}${q}`).then((r) => r.lots)

/** What is in the device's outbox (IndexedDB), read in the page. */
const outbox = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<any[]>((resolve, reject) => {
        const req = (globalThis as any).indexedDB.open('bd-offline')
        req.onerror = () => reject(req.error)
        req.onsuccess = () => {
          const all = req.result.transaction('outbox').objectStore('outbox').getAll()
          all.onsuccess = () => resolve(all.result)
        }
      }),
  )

describe('a station without a network', () => {
  it('Garze offline: reload shows the stock and its age; a receipt and a dispatch wait and are applied once when back online', async () => {
    // A committed transfer out of Garze to dispatch: whole blood B− exists nowhere else, Yibin asks for 4.
    const lotId = `GZ-WB-BNEG-${Date.now().toString(36).toUpperCase()}`
    const rec = await apiCall(server.url, GZ, '/api/movements', {
      method: 'POST',
      headers: { 'idempotency-key': `gz-wb-${lotId}` },
      body: {
        siteId: 'GZ',
        kind: 'receipt',
        lotId,
        component: 'WB',
        abo: 'B',
        rhd: '-',
        antigens: [],
        qty: 12,
        collectedAt: inHours(-24),
        expiresAt: inHours(24 * 30),
      },
    })
    expect(rec.status).toBe(201)
    const req = await apiCall<{ id: string }>(server.url, DEMO_TOKENS['director-yb'], '/api/requests', {
      method: 'POST',
      headers: { 'idempotency-key': `yb-wb-${lotId}` },
      body: { siteId: 'YB', component: 'WB', abo: 'B', rhd: '-', qty: 4, urgency: 'emergency', neededBy: inHours(48), reason: '车祸 急需全血' },
    })
    expect(req.status).toBe(201)
    const plan = await apiCall<{ id: string; transfers: Transfer[] }>(server.url, COORD, '/api/plans', { method: 'POST', body: { requestIds: [req.body.id] } })
    expect(plan.status).toBe(201)
    const tr = plan.body.transfers.find((t) => t.fromSite === 'GZ' && t.toSite === 'YB')!
    expect(tr).toBeDefined()
    expect((await apiCall(server.url, COORD, `/api/transfers/${tr.id}/approve`, { method: 'POST' })).status).toBe(200)
    const commit = await apiCall(server.url, COORD, `/api/plans/${plan.body.id}/commit`, {
      method: 'POST',
      body: {},
      headers: { 'idempotency-key': `commit-${plan.body.id}` },
    })
    expect(commit.status).toBe(200)

    const { context, page } = await phone(GZ)
    await openControlled(page, '/sites/GZ')
    await page.locator('.stock-table[data-component=RBC] tbody tr').first().waitFor()
    await page.goto(`${server.url}/station`)
    await page.locator(`form.dispatch-form[data-transfer="${tr.id}"]`).waitFor()
    await eventually(() => page.locator('form.stock-entry select[name=kind] option').count()).toBe(4)
    expect(await overflow(page)).toBeLessThanOrEqual(0) // the entry form fits a phone

    await goOffline(context)
    await page.goto(`${server.url}/sites/GZ`) // a reload, offline: the app and the data it last saw
    await page.locator('.stock-table[data-component=RBC] tbody tr').first().waitFor()
    // offline, or the server unreachable: Chromium's emulation may leave navigator.onLine true
    const bar = page.locator('.offline-bar')
    await expect.poll(() => bar.locator('.data-age').textContent()).toMatch(/本页数据截至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}（\d+ 分钟前）/)
    const fetchedAt = await bar.locator('.data-age').getAttribute('data-fetched-at')
    expect(Date.now() - Date.parse(fetchedAt!)).toBeGreaterThanOrEqual(0)
    expect(Date.now() - Date.parse(fetchedAt!)).toBeLessThan(10 * 60_000)

    await page.reload() // the station page, offline
    await page.goto(`${server.url}/station`)
    const entry = page.locator('form.stock-entry')
    await entry.locator('select[name=kind]').selectOption('receipt')
    await entry.locator('select[name=component]').selectOption('RBC')
    await entry.locator('select[name=abo]').selectOption('B')
    await entry.locator('select[name=rhd]').selectOption('+')
    await entry.locator('input[name=qty]').fill('6')
    await entry.locator('input[name=reason]').fill('离线入库 offline receipt')
    await entry.locator('button.record').click()
    await entry.locator('.entry-done.queued').waitFor()
    const dispatch = page.locator(`form.dispatch-form[data-transfer="${tr.id}"]`)
    await dispatch.locator('input[name=temperatureC]').fill('4.5')
    await dispatch.locator('input[name=carrier]').fill('川V·G0001')
    await dispatch.locator('button.dispatch').click()
    await dispatch.locator('.entry-done.queued').waitFor()
    await expect.poll(() => page.locator('.outbox-item[data-state=waiting]').count()).toBe(2)
    expect(await page.locator('.outbox-count').getAttribute('data-waiting')).toBe('2')
    const kept = await outbox(page)
    expect(kept.map((o) => o.kind)).toEqual(['receipt', 'dispatch'])
    expect(kept.every((o) => typeof o.idempotencyKey === 'string' && o.idempotencyKey.length > 8)).toBe(true)

    // nothing reached the server yet
    const received = async () =>
      (await lotsOf('GZ', '&component=RBC&abo=B&rhd=%2B')).filter((l) => l.qty === 6 && Date.parse(l.collectedAt) > Date.now() - 10 * 60_000)
    expect(await received()).toHaveLength(0)
    expect((await apiGet<Transfer>(server.url, COORD, `/api/transfers/${tr.id}`)).status).toBe('committed')

    await goOnline(context)
    await expect.poll(() => page.locator('.outbox-item').count(), { timeout: 30_000 }).toBe(0)
    expect(await received()).toHaveLength(1)
    expect((await apiGet<Transfer>(server.url, COORD, `/api/transfers/${tr.id}`)).status).toBe('dispatched')
    const audit = await apiGet<{ entries: { action: string }[] }>(server.url, COORD, `/api/audit?entity=transfer&entityId=${tr.id}`)
    expect(audit.entries.filter((e) => e.action === 'transfer.dispatch')).toHaveLength(1)
    // the receipt's key is the one it was given offline: sent again, the server answers what it did, once
    const again = await fetch(`${server.url}/api/movements`, {
      method: 'POST',
      body: JSON.stringify(kept[0].body),
      headers: { authorization: `Bearer ${GZ}`, 'content-type': 'application/json', 'idempotency-key': kept[0].idempotencyKey },
    })
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(await received()).toHaveLength(1)
    // the dispatch's answer lost on the way: the device sends it again, the server says 409 (dispatched once), and
    // the outbox recognises its own dispatch instead of reporting a refusal
    const { id: _id, ...resend } = kept[1]
    await page.evaluate((o) => {
      const g = globalThis as any
      return new Promise<void>((resolve, reject) => {
        g.__req = g.indexedDB.open('bd-offline')
        g.__req.onerror = () => reject(g.__req.error)
        g.__req.onsuccess = () => {
          const tx = g.__req.result.transaction('outbox', 'readwrite')
          tx.objectStore('outbox').add({ ...o, state: 'waiting' })
          tx.oncomplete = () => {
            g.__req.result.close()
            resolve()
          }
          tx.onerror = () => reject(tx.error)
        }
      })
    }, resend)
    await page.reload()
    await expect.poll(() => outbox(page), { timeout: 30_000 }).toEqual([]) // sent, and recognised (never marked refused)
    await expect.poll(() => page.locator('.outbox-item').count()).toBe(0)
    expect(
      (await apiGet<{ entries: { action: string }[] }>(server.url, COORD, `/api/audit?entity=transfer&entityId=${tr.id}`)).entries.filter(
        (e) => e.action === 'transfer.dispatch',
      ),
    ).toHaveLength(1)
    await context.close()
  })

  it("a write the server refuses is shown with its reason, the others are applied, and a changed count is the director's choice", async () => {
    const lots = (await lotsOf('GZ', '&component=RBC')).filter((l) => l.qty >= 6 && Date.parse(l.expiresAt) > Date.now() + 7 * 86_400_000)
    expect(lots.length).toBeGreaterThanOrEqual(3)
    const [toIssue, toDiscard, toCount] = lots
    const { context, page } = await phone(GZ)
    await openControlled(page, '/station')
    const entry = page.locator('form.stock-entry')
    await entry.locator('select[name=kind]').selectOption('count')
    await eventually(() => entry.locator(`select[name=lotId] option[value="${toCount.id}"]`).count()).toBe(1)
    await goOffline(context)
    await page.reload()
    const record = async (kind: string, lot: Lot, qty: number, reason: string) => {
      await entry.locator('select[name=kind]').selectOption(kind)
      await entry.locator('select[name=lotId]').selectOption(lot.id)
      await entry.locator('input[name=qty]').fill(String(qty))
      if (kind === 'issue') await entry.locator('select[name=urgency]').selectOption('emergency')
      await entry.locator('input[name=reason]').fill(reason)
      await entry.locator('button.record').click()
      await entry.locator('.entry-done.queued').waitFor()
    }
    await record('issue', toIssue, toIssue.qty, '急诊输血') // the whole lot, which someone else takes meanwhile
    await record('discard', toDiscard, 1, '袋体破损 bag damaged')
    await record('count', toCount, toCount.qty - 1, '月末盘点') // one fewer than it held when typed
    await expect.poll(() => page.locator('.outbox-item[data-state=waiting]').count()).toBe(3)

    // meanwhile, online elsewhere: the coordinator issues from the first lot and from the counted one
    for (const [lot, qty, key] of [
      [toIssue, 2, 'a'],
      [toCount, 2, 'b'],
    ] as const) {
      const r = await apiCall(server.url, COORD, '/api/movements', {
        method: 'POST',
        headers: { 'idempotency-key': `coord-meanwhile-${key}-${lot.id}` },
        body: { siteId: 'GZ', kind: 'issue', lotId: lot.id, qty, urgency: 'emergency', reason: 'meanwhile' },
      })
      expect(r.status).toBe(201)
    }

    await goOnline(context)
    const refused = page.locator('.outbox-item[data-state=refused]')
    await refused.waitFor({ timeout: 30_000 })
    expect(await refused.getAttribute('data-kind')).toBe('issue')
    expect(await refused.locator('.refusal').getAttribute('data-code')).toBe('insufficient_stock')
    expect(await refused.locator('.refusal').textContent()).toContain('409')
    expect(await refused.locator('.server-reason').textContent()).toContain(toIssue.id) // the server's own reason
    const conflict = page.locator('.outbox-item[data-state=conflict]')
    await conflict.waitFor()
    expect(await conflict.textContent()).toContain(`您录入时该批次为 ${toCount.qty}，现在系统为 ${toCount.qty - 2}`)
    await expect.poll(() => page.locator('.outbox-item').count()).toBe(2) // the discard was applied and left the outbox

    const byId = async () => new Map((await lotsOf('GZ', '&component=RBC&includeEmpty=true')).map((l) => [l.id, l.qty]))
    let now = await byId()
    expect(now.get(toIssue.id)).toBe(toIssue.qty - 2) // the refused issue took nothing
    expect(now.get(toDiscard.id)).toBe(toDiscard.qty - 1) // the discard after it was applied
    expect(now.get(toCount.id)).toBe(toCount.qty - 2) // the count waits for the director

    await conflict.locator('button.keep-mine').click()
    await expect.poll(() => page.locator('.outbox-item[data-kind=count]').count(), { timeout: 20_000 }).toBe(0)
    now = await byId()
    expect(now.get(toCount.id)).toBe(toCount.qty - 1) // what the director counted

    // the refusal stays until read; removing it asks first, naming it
    await refused.locator('button.dismiss').click()
    expect(await page.locator('.confirm').textContent()).toContain(toIssue.id)
    await page.locator('.confirm-yes').click()
    await expect.poll(() => page.locator('.outbox-item').count()).toBe(0)
    expect((await byId()).get(toIssue.id)).toBe(toIssue.qty - 2)
    await context.close()
  })

  it('is installable, and on a phone it opens offline', async () => {
    const { context, page } = await phone(GZ)
    await openControlled(page, '/') // a director's home: their station
    await page.locator('.station-stock .stock-table').first().waitFor()
    const manifest = (await (await fetch(`${server.url}/manifest.webmanifest`)).json()) as { display: string; start_url: string; icons: { sizes: string }[] }
    expect(manifest.display).toBe('standalone')
    expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']))
    const cdp = await context.newCDPSession(page)
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: unknown[] }
    expect(installabilityErrors).toEqual([])
    await goOffline(context)
    await page.goto(server.url + manifest.start_url)
    await page.locator('.station-stock .stock-table').first().waitFor() // the stock as last seen, and how old it is
    await page.locator('form.stock-entry').waitFor()
    await page.locator('.offline-bar .data-age').waitFor()
    await page.goto(`${server.url}/?lang=en`) // and in English
    await page.locator('.station-stock .stock-table').first().waitFor()
    await expect
      .poll(() => page.locator('.offline-bar .offline-status').textContent())
      .toMatch(/^(Offline|Server unreachable) this page shows data from \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(\d+ min ago\)$/)
    await context.close()
  })

  it("the coordinator's map marks the stations silent for longer than the limit", async () => {
    type C = { siteId: string; kind: string; silent: boolean; silentHours: number | null }
    const read = () => apiGet<{ sites: C[] }>(server.url, COORD, '/api/site-contact').then((r) => r.sites)
    // Garze and the other demo stations have just been heard from; a limit below Garze's silence marks it
    const gz = (await read()).find((s) => s.siteId === 'GZ')!
    expect(gz.silent).toBe(false)
    let sites = await read()
    const stations = sites
      .filter((s) => s.kind === 'station' && s.silentHours !== null)
      .map((s) => s.silentHours!)
      .sort((a, b) => a - b)
    expect(stations.length).toBeGreaterThan(2)
    const limit = Math.max(0.05, stations[Math.floor(stations.length / 2)])
    expect((await apiCall(server.url, COORD, '/api/site-contact/limits/station', { method: 'PUT', body: { hours: limit } })).status).toBe(200)
    sites = await read()
    const silent = sites
      .filter((s) => s.silent)
      .map((s) => s.siteId)
      .sort()
    const heard = sites
      .filter((s) => !s.silent)
      .map((s) => s.siteId)
      .sort()
    expect(silent.length).toBeGreaterThan(0)
    expect(heard.length).toBeGreaterThan(0)

    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } })
    await context.addInitScript((tk) => localStorage.setItem('bd.token', tk), COORD)
    const page = await context.newPage()
    const errors = pageErrors(page)
    await page.goto(server.url + '/')
    await eventually(() => page.locator('path.site-marker[data-silent]').count()).toBe(sites.length)
    const marked = async (v: string) =>
      (await page.locator(`path.site-marker[data-silent=${v}]`).evaluateAll((els) => els.map((e) => e.getAttribute('data-site')!))).sort()
    expect(await marked('yes')).toEqual(silent)
    expect(await marked('no')).toEqual(heard)
    expect(await page.locator('path.site-marker.silent').count()).toBe(silent.length)
    // the station list says it too, with the limit
    const item = page.locator(`.site-list li[data-site="${silent[0]}"] .contact-meta[data-silent=yes]`)
    expect(await item.textContent()).toMatch(/失联 .*(无联系（上限 [\d.]+ 小时）|从未联系)/)
    // and the planner says how old the stock it planned on was
    const plan = await apiCall<{ id: string; oldestStockReport: { siteId: string; hours: number } }>(server.url, COORD, '/api/plans', {
      method: 'POST',
      body: {},
    })
    expect(plan.status).toBe(201)
    await page.goto(`${server.url}/plan?id=${plan.body.id}`)
    const age = page.locator('.plan-stock-age')
    await age.waitFor()
    expect(await age.getAttribute('data-hours')).toBe(String(plan.body.oldestStockReport.hours))
    expect(await age.textContent()).toContain(`${plan.body.oldestStockReport.hours} 小时前`)
    expect(errors).toEqual([])
    await context.close()
    await apiCall(server.url, COORD, '/api/site-contact/limits/station', { method: 'PUT', body: { hours: 24 } })
  })
})
