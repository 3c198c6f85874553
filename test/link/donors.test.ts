// The donor side of the link across two real provincial systems (issue 24's "Done when"): two `wrangler dev --env …`
// over their own local D1, seeded each with its own province, the courier delivering. A donor deferred in Chongqing
// is refused a call-up in Sichuan within a minute; a Fy(a-) search from Sichuan finds Chongqing's donors; a call-up
// of a Chongqing donor asked from Sichuan is seen in Chongqing, issued there, and the answer comes back.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROVINCE_USERS } from '../../seed/provinces'
import { launchBrowser, openApp, overflow, pageErrors } from '../web/browser'
import { startProvinces, type ProvinceServer } from '../web/server'

let sichuan: ProvinceServer
let chongqing: ProvinceServer
let stop: () => Promise<void> = async () => {}
let browser: Browser | undefined

const token = (p: ProvinceServer) => PROVINCE_USERS[p.province].find((u) => u.role === 'coordinator')!.token
async function api(p: ProvinceServer, path: string, body?: unknown) {
  const res = await fetch(`${p.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token(p)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, json: (await res.json()) as any }
}

async function until<T>(what: string, f: () => Promise<T>, ok: (v: T) => boolean, ms: number): Promise<T> {
  const end = Date.now() + ms
  let v = await f()
  while (!ok(v)) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}: ${JSON.stringify(v).slice(0, 1500)}`)
    await new Promise((r) => setTimeout(r, 500))
    v = await f()
  }
  return v
}

type Donor = { code: string; siteId: string; eligibleNow: boolean }
type PeerDonor = { code: string; station: { id: string; nameZh: string; city: string }; abo: string; antigens: string; eligibleNow: boolean }
const FY = encodeURIComponent('Fy(a-)')

/** An open Sichuan request for a Fy(a-) patient (the demo's Garze patient). */
async function fyRequest(): Promise<{ id: string; siteId: string }> {
  const open = (await api(sichuan, '/api/requests?status=open')).json.requests as { id: string; siteId: string; antigens: string }[]
  const req = open.find((r) => r.antigens.includes('Fy(a-)'))
  expect(req, 'the demo has an open Fy(a-) request in Sichuan').toBeTruthy()
  return req!
}

beforeAll(async () => {
  ;({ sichuan, chongqing, stop } = await startProvinces())
})
afterAll(async () => {
  await browser?.close()
  await stop()
})

describe('the donor pool across two provincial systems', () => {
  it("a Fy(a-) search from Sichuan finds Chongqing's donors, from Chongqing's own system, naming the province", async () => {
    const res = await api(sichuan, `/api/donors?antigens=${FY}`)
    expect(res.status).toBe(200)
    // Sichuan's own database holds Sichuan's donors only
    expect(new Set((res.json.donors as { province: string }[]).map((d) => d.province))).toEqual(new Set(['Sichuan']))
    expect(res.json.peers).toHaveLength(1)
    const peer = res.json.peers[0]
    expect(peer).toMatchObject({ province: 'Chongqing', reachable: true, error: null })
    const theirs = (await api(chongqing, `/api/donors?antigens=${FY}`)).json.donors as Donor[]
    expect(theirs.length).toBeGreaterThan(0)
    expect((peer.donors as PeerDonor[]).map((d) => d.code).sort()).toEqual(theirs.map((d) => d.code).sort())
    for (const d of peer.donors as PeerDonor[]) {
      expect(d.station.id).toBe('CQ')
      expect(d.station.nameZh).toBe('重庆市血液中心')
      expect(d.antigens).toContain('Fy(a-)')
      expect(Object.keys(d).sort()).toEqual(['abo', 'antigens', 'code', 'consent', 'eligibleFrom', 'eligibleNow', 'rhd', 'station'])
    }
  })

  it('a donor deferred in Chongqing is refused a call-up in Sichuan within a minute: 409 donor_deferred', async () => {
    const req = await fyRequest()
    const offered = (await api(sichuan, `/api/donors?request=${req.id}`)).json.donors as Donor[]
    const donor = offered.find((d) => d.eligibleNow)
    expect(donor, 'an eligible Sichuan donor for the Fy(a-) request').toBeTruthy()
    const at = Date.now()
    // the donor came to give at Chongqing's centre and failed a test there: Chongqing records it on its joint list
    const rec = await api(chongqing, '/api/deferrals', {
      donorCode: donor!.code,
      siteId: 'CQ',
      reason: 'lab_result',
      from: new Date(at - 60_000).toISOString(),
      until: null,
      note: 'HBsAg reactive',
    })
    expect(rec.status, JSON.stringify(rec.json)).toBe(201)
    // the courier delivers it: Sichuan's joint list has it, saying where it came from (polled, never calling meanwhile)
    const listed = await until(
      "the deferral on Sichuan's joint list",
      async () =>
        (await api(sichuan, `/api/deferrals?donor=${encodeURIComponent(donor!.code)}`)).json.deferrals as {
          fromProvince: string | null
          sourceSite: string | null
        }[],
      (l) => l.length > 0,
      60_000,
    )
    const elapsed = Date.now() - at
    expect(elapsed).toBeLessThan(60_000)
    expect(listed).toEqual([expect.objectContaining({ fromProvince: 'Chongqing', sourceSite: 'CQ', active: true })])
    const refused = await api(sichuan, '/api/callups', { requestId: req.id, donorCodes: [donor!.code] })
    expect(refused.status).toBe(409)
    expect(refused.json.error).toMatchObject({ code: 'donor_deferred', field: 'donorCodes.0' })
    expect((await api(sichuan, `/api/donors?request=${req.id}`)).json.donors.map((d: Donor) => d.code)).not.toContain(donor!.code)
    console.log(`deferral recorded in Chongqing → on Sichuan's list after ${elapsed} ms`)
  })

  it("a call-up of a Chongqing donor asked from Sichuan reaches Chongqing's coordinator, is issued there, and the answer comes back", async () => {
    const req = await fyRequest()
    const peer = (await api(sichuan, `/api/donors?request=${req.id}`)).json.peers[0]
    const donor = (peer.donors as PeerDonor[]).find((d) => d.eligibleNow)
    expect(donor, 'an eligible Chongqing donor matching the request').toBeTruthy()
    const asked = await api(sichuan, '/api/callup-links', { requestId: req.id, province: 'Chongqing', donorCodes: [donor!.code], note: '抗-Fya' })
    expect(asked.status, JSON.stringify(asked.json)).toBe(201)
    const id = asked.json.id as string
    const t0 = Date.now()
    await until(
      "the request in Chongqing's pending list",
      async () => (await api(chongqing, '/api/callup-links?direction=in&status=pending')).json.requests as { id: string }[],
      (l) => l.some((r) => r.id === id),
      15_000,
    )
    const events = (await api(chongqing, '/api/events?since=0&limit=500')).json.events as { entity: string; entityId: string; action: string }[]
    expect(events).toContainEqual(expect.objectContaining({ entity: 'callup_link', entityId: id, action: 'callup_link.receive' }))
    const issued = await api(chongqing, `/api/callup-links/${id}/issue`, { note: '已电话联系' })
    expect(issued.status, JSON.stringify(issued.json)).toBe(200)
    expect(issued.json.callups).toHaveLength(1)
    const cu = await api(chongqing, `/api/callups/${issued.json.callups[0].callupId}`)
    expect(cu.json).toMatchObject({ donorCode: donor!.code, siteId: 'CQ', status: 'asked' })
    const back = await until(
      'the outcome in Sichuan',
      async () => (await api(sichuan, `/api/callup-links/${id}`)).json as { status: string; callups: unknown[]; decisionNote: string },
      (r) => r.status !== 'pending',
      30_000,
    )
    expect(back).toMatchObject({ status: 'issued', callups: issued.json.callups, decisionNote: '已电话联系' })
    console.log(`call-up asked in Sichuan → issued in Chongqing → answer in Sichuan after ${Date.now() - t0} ms`)
  })
})

describe('the same in the UI, each coordinator in their own system', () => {
  it("Sichuan's coordinator asks for a Chongqing donor from the request's search; Chongqing's is alerted on a phone, issues it, and Sichuan sees the answer", async () => {
    browser = await launchBrowser()
    const req = await fyRequest()
    // Chongqing's coordinator has the donors page open on a phone
    const cq = await openApp(browser, chongqing.url, { token: token(chongqing), path: '/donors', phone: true })
    const cqErrors = pageErrors(cq)
    await cq.locator('.donors-page h2').waitFor()
    // its events feed has its cursor (a poll from it follows 5 s later): what happens from now on alerts
    await cq.waitForResponse((r) => r.url().includes('/api/events?since='), { timeout: 15_000 })
    // Sichuan's coordinator searches for the Fy(a-) patient's request: Chongqing's donors follow Sichuan's own
    const sc = await openApp(browser, sichuan.url, { token: token(sichuan), path: `/donors?request=${req.id}` })
    const scErrors = pageErrors(sc)
    const peer = sc.locator('.peer-results[data-province="Chongqing"]')
    await peer.waitFor()
    expect(await peer.locator('h4').textContent()).toMatch(/^重庆献血者库：\d+ 人，现可献血 \d+ 人$/)
    const row = peer.locator('tr[data-eligible="true"]').first()
    const code = await row.getAttribute('data-donor')
    expect(code).toMatch(/^CQ-/)
    expect(await row.textContent()).toContain('重庆市血液中心')
    await row.locator('button.ask-callup').click()
    // it asks first, naming the province, the donor, the station and the request
    const confirm = sc.locator('.peer-results .confirm')
    const message = (await confirm.locator('p').textContent())!
    for (const part of ['重庆协调员', code!, '重庆市血液中心', req.id]) expect(message).toContain(part)
    await confirm.locator('button.confirm-yes').click()
    await row.locator('[role="status"]').waitFor()
    expect(await row.locator('[role="status"]').textContent()).toBe('已发往重庆协调员，等待处理')

    // Chongqing: an alert within 15 s names the province and what is asked; the request waits in the panel
    const alert = cq.locator('.alert[data-event="callup_link.receive"]')
    await alert.waitFor({ timeout: 15_000 })
    expect(await alert.locator('span').first().textContent()).toMatch(/^四川请求招募本省献血者：悬浮红细胞 O.*Fy\(a-\)，1 人$/)
    const item = cq.locator(`.callup-links li[data-status="pending"]`).filter({ hasText: code! })
    await item.waitFor({ timeout: 15_000 })
    await item.locator('button.issue-callup').click()
    const ask = item.locator('.confirm')
    expect(await ask.locator('p').textContent()).toContain(code!)
    await ask.locator('button.confirm-yes').click()
    await cq.locator('.callup-links li[data-status="issued"]').filter({ hasText: code! }).waitFor()
    // the call-up is in Chongqing's own list, at its centre
    await cq.locator('.callup-table tr[data-status="asked"]').filter({ hasText: code! }).waitFor()
    expect(await overflow(cq)).toBeLessThanOrEqual(0)

    // Sichuan: the answer comes back into the list of its own requests
    await sc.locator('.callup-links li[data-status="issued"]').filter({ hasText: code! }).waitFor({ timeout: 30_000 })
    expect(scErrors).toEqual([])
    expect(cqErrors).toEqual([])
  })

  it('a linked province that does not answer is shown as unreachable, not silently missing', async () => {
    const req = await fyRequest()
    chongqing.kill()
    const sc = await openApp(browser!, sichuan.url, { token: token(sichuan), path: `/donors?request=${req.id}`, lang: 'en' })
    const down = sc.locator('.peer-unreachable[data-province="Chongqing"]')
    await down.waitFor({ timeout: 20_000 })
    expect(await down.textContent()).toMatch(/^Chongqing's donor pool did not answer, so it is not in this search: .+/)
    // Sichuan's own donors are still listed
    expect(await sc.locator('table.donor-results:not(.peer-donors) tr[data-donor]').count()).toBeGreaterThan(0)
  })
})
