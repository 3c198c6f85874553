// The donor side of the link across two real provincial systems (issue 24's "Done when"): two `wrangler dev --env …`
// over their own local D1, seeded each with its own province, the courier delivering. A donor deferred in Chongqing
// is refused a call-up in Sichuan within a minute; a Fy(a-) search from Sichuan finds Chongqing's donors; a call-up
// of a Chongqing donor asked from Sichuan is seen in Chongqing, issued there, and the answer comes back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PROVINCE_USERS } from '../../seed/provinces'
import { startProvinces, type ProvinceServer } from '../web/server'

let sichuan: ProvinceServer
let chongqing: ProvinceServer
let stop: () => Promise<void> = async () => {}

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
afterAll(() => stop())

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
      async () => (await api(sichuan, `/api/deferrals?donor=${encodeURIComponent(donor!.code)}`)).json.deferrals as { fromProvince: string | null; sourceSite: string | null }[],
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
    const cursor = 0
    await until(
      "the request in Chongqing's pending list",
      async () => (await api(chongqing, '/api/callup-links?direction=in&status=pending')).json.requests as { id: string }[],
      (l) => l.some((r) => r.id === id),
      15_000,
    )
    const events = (await api(chongqing, `/api/events?since=${cursor}&limit=500`)).json.events as { entity: string; entityId: string; action: string }[]
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
