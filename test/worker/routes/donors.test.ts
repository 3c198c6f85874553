// The rare-donor pool: search across both provinces nearest first, the joint deferral list, an unmet rare need listing
// donors with their ready time, a call-up through every status to a lot the next plan sends, role limits, audited reads.
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { call, seedBase, uid } from '../fixtures'
import { addLot, addRequest, resetWorld } from '../services/plan-fixtures'

beforeAll(() => seedBase())

const ago = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString()
const ahead = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString()
/** A fresh antigen per test keeps the tests of this file (one D1) apart. */
const antigen = () => `Fy(a-)X${uid('').slice(-6)}`.replace(/[^A-Za-z0-9()+-]/g, '')

async function donor(site: string, extra: Record<string, unknown> = {}) {
  const code = `${site}-${uid('D')}`
  const res = await call('POST', '/api/donors', { body: { code, siteId: site, abo: 'O', rhd: '+', antigens: 'Fy(a-)', ...extra } })
  expect(res.status, res.text).toBe(201)
  return code
}
const reads = (actor: string, code: string) =>
  env.DB.prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'donor.read' AND actor_id = ?1 AND entity_id = ?2`).bind(actor, code).first<number>('n')

describe('search', () => {
  it('finds matching donors across Sichuan and Chongqing, nearest by road to the station first, eligible now or from a date', async () => {
    const a = antigen()
    const cq = await donor('CQ', { antigens: a })
    const nc = await donor('NC', { antigens: a })
    const cd = await donor('CD', { antigens: `${a},Jk(a-b-)`, abo: 'O', rhd: '-' })
    const later = await donor('CD', { antigens: a, lastWholeBloodAt: ago(60) }) // whole blood 2 months ago: from 4 months on
    await donor('CQ', { antigens: a, abo: 'A' }) // A donor: no red cells for an O patient
    const res = await call('GET', `/api/donors?antigens=${encodeURIComponent(a)}&abo=O&rhd=%2B&near=YB`)
    expect(res.status, res.text).toBe(200)
    const codes = res.json.donors.map((d: { code: string }) => d.code)
    expect(new Set(codes)).toEqual(new Set([cq, nc, cd, later]))
    const hours = res.json.donors.map((d: { roadHours: number }) => d.roadHours)
    expect(hours).toEqual([...hours].sort((x, y) => x - y))
    expect(new Set(res.json.donors.map((d: { province: string }) => d.province))).toEqual(new Set(['Sichuan', 'Chongqing']))
    expect(res.json.bySite.map((s: { siteId: string }) => s.siteId)).toEqual([...new Set(res.json.donors.map((d: { siteId: string }) => d.siteId))])
    const l = res.json.donors.find((d: { code: string }) => d.code === later)
    expect(l.eligibleNow).toBe(false)
    expect(Date.parse(l.eligibleFrom.WB)).toBeGreaterThan(Date.now() + 100 * 86_400_000)
    const now = await call('GET', `/api/donors?antigens=${encodeURIComponent(a)}&abo=O&rhd=%2B&near=YB&eligible=true`)
    expect(now.json.donors.map((d: { code: string }) => d.code)).not.toContain(later)
    expect(now.json.eligibleNow).toBe(3)
  })

  it('planners see counts only; a bad filter is a 400 naming it; no token is 401', async () => {
    const a = antigen()
    await donor('CQ', { antigens: a })
    const p = await call('GET', `/api/donors?antigens=${encodeURIComponent(a)}`, { as: 'planner' })
    expect(p.status).toBe(200)
    expect(p.json).toMatchObject({ total: 1, donors: null, bySite: [{ siteId: 'CQ', donors: 1 }] })
    expect((await call('GET', '/api/donors/pool', { as: 'planner' })).status).toBe(200)
    const bad = await call('GET', '/api/donors?abo=Q')
    expect([bad.status, bad.json.error.field]).toEqual([400, 'abo'])
    expect((await call('GET', '/api/donors?near=ZZ')).json.error.field).toBe('near')
    expect((await call('GET', '/api/donors', { as: null })).status).toBe(401)
  })
})

describe('documented', () => {
  it('every pool endpoint is in the OpenAPI document', async () => {
    const res = await call('GET', '/api/openapi.json', { as: null })
    expect(res.status).toBe(200)
    for (const p of [
      '/api/donors',
      '/api/donors/{code}',
      '/api/donors/pool',
      '/api/donors/csv',
      '/api/donors/screenings',
      '/api/deferrals',
      '/api/deferrals/csv',
      '/api/callups',
      '/api/callups/{id}',
      '/api/callups/{id}/status',
    ])
      expect(Object.keys(res.json.paths)).toContain(p)
    expect(res.json.components.schemas.DonorSuggestion).toBeDefined()
  })
})

describe('role limits and audit', () => {
  it("directors edit their own station's donors only; planners read no record; 404 and 409", async () => {
    const code = `CD-${uid('D')}`
    const own = await call('POST', '/api/donors', { as: 'director', body: { code, siteId: 'CD', abo: 'B', rhd: '-', antigens: 'Jk(a-b-)' } })
    expect(own.status, own.text).toBe(201)
    expect((await call('POST', '/api/donors', { as: 'directorYB', body: { code: `CD-${uid('D')}`, siteId: 'CD', abo: 'B', rhd: '-' } })).status).toBe(403)
    expect((await call('PATCH', `/api/donors/${code}`, { as: 'directorYB', body: { consent: false } })).status).toBe(403)
    expect((await call('PATCH', `/api/donors/${code}`, { as: 'director', body: { consent: false } })).json.consent).toBe(false)
    expect((await call('GET', `/api/donors/${code}`, { as: 'planner' })).status).toBe(403)
    expect((await call('GET', '/api/donors/CD-NOSUCH1')).status).toBe(404)
    expect((await call('POST', '/api/donors', { body: { code, siteId: 'CD', abo: 'B', rhd: '-' } })).status).toBe(409)
    const bad = await call('POST', '/api/donors', { body: { code: 'nope', siteId: 'CD', abo: 'B', rhd: '-' } })
    expect([bad.status, bad.json.error.field]).toEqual([400, 'code'])
    const ordinary = await call('POST', '/api/donors', { body: { code: `CD-${uid('D')}`, siteId: 'CD', abo: 'O', rhd: '+' } })
    expect([ordinary.status, ordinary.json.error.field]).toEqual([400, 'antigens'])
  })

  it("every read of a donor record from outside its station is audited; the station's own reads are not", async () => {
    const a = antigen()
    const code = await donor('CD', { antigens: a })
    await call('GET', `/api/donors/${code}`, { as: 'director' }) // CD's own director
    await call('GET', `/api/donors?antigens=${encodeURIComponent(a)}`, { as: 'director' })
    expect(await reads('u-dir-cd', code)).toBe(0)
    await call('GET', `/api/donors/${code}`, { as: 'directorYB' })
    await call('GET', `/api/donors?antigens=${encodeURIComponent(a)}`, { as: 'directorYB' })
    expect(await reads('u-dir-yb', code)).toBe(2)
    await call('GET', `/api/donors?antigens=${encodeURIComponent(a)}`, { as: 'coordinator' })
    await call('GET', `/api/donors/csv?site=CD`, { as: 'coordinator' })
    expect(await reads('u-coord', code)).toBe(2)
    await call('GET', `/api/donors?antigens=${encodeURIComponent(a)}`, { as: 'planner' }) // counts only: no record read
    expect(await reads('u-planner', code)).toBe(0)
    const detail = await env.DB.prepare(`SELECT detail, at FROM audit_log WHERE action = 'donor.read' AND actor_id = 'u-dir-yb' AND entity_id = ?1`)
      .bind(code)
      .first<{ detail: string; at: string }>()
    expect(JSON.parse(detail!.detail)).toMatchObject({ siteId: 'CD' })
  })
})

describe('the joint deferral list', () => {
  it('a deferral recorded in Chongqing blocks a Chengdu donor everywhere: never offered, never called; lifted when it ends', async () => {
    const a = antigen()
    const code = await donor('CD', { antigens: a })
    const temp = await donor('CD', { antigens: a })
    const def = await call('POST', '/api/deferrals', { body: { donorCode: code, siteId: 'CQ', reason: 'lab_result', from: ago(1), until: null } })
    expect(def.status, def.text).toBe(201)
    expect(
      (await call('POST', '/api/deferrals', { as: 'directorYB', body: { donorCode: code, siteId: 'CQ', reason: 'travel', from: ago(1), until: null } })).status,
    ).toBe(403)
    const bad = await call('POST', '/api/deferrals', { body: { donorCode: code, siteId: 'CQ', reason: 'travel', from: ago(1), until: ago(2) } })
    expect([bad.status, bad.json.error.field]).toEqual([400, 'until'])
    // an ended deferral blocks nothing
    await call('POST', '/api/deferrals', { body: { donorCode: temp, siteId: 'CD', reason: 'medication', from: ago(30), until: ago(2) } })
    const res = await call('GET', `/api/donors?antigens=${encodeURIComponent(a)}`)
    expect(res.json.donors.map((d: { code: string }) => d.code)).toEqual([temp])
    const all = await call('GET', `/api/donors?antigens=${encodeURIComponent(a)}&all=true`)
    expect(all.json.donors.find((d: { code: string }) => d.code === code)).toMatchObject({
      deferred: true,
      deferredUntil: null,
      eligibleFrom: { WB: null, PLT: null },
    })

    const req = await addRequest({ site: 'YB', qty: 2, antigens: a, neededInHours: 72 })
    const called = await call('POST', '/api/callups', { body: { requestId: req, donorCodes: [temp, code] } })
    expect([called.status, called.json.error.code, called.json.error.field]).toEqual([409, 'donor_deferred', 'donorCodes.1'])
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM callup WHERE request_id = ?1').bind(req).first<number>('n')).toBe(0)
    // the guard is in the database too: a call-up written past the service fails
    await expect(
      env.DB.prepare(`INSERT INTO callup (id, donor_code, request_id, site_id, component, created_by, created_at, updated_at)
      VALUES ('cu_raw', ?1, ?2, 'CD', 'RBC', 'u-coord', ?3, ?3)`)
        .bind(code, req, new Date().toISOString())
        .run(),
    ).rejects.toThrow(/donor_deferred/)
    const audited = await env.DB.prepare(`SELECT actor_id AS actor, detail FROM audit_log WHERE action = 'deferral.create' AND entity_id = ?1`)
      .bind(code)
      .first<{ actor: string; detail: string }>()
    expect(audited?.actor).toBe('u-coord')
    expect(JSON.parse(audited!.detail)).toMatchObject({ siteId: 'CQ', reason: 'lab_result', until: null })
  })

  it("imports a station's own list as CSV (bad rows named, nothing applied; a re-import adds nothing) and exports the joint list", async () => {
    const c1 = `CQ-${uid('D')}`,
      c2 = `CQ-${uid('D')}`
    const bad = await call('POST', '/api/deferrals/csv?site=CQ', {
      raw: `donor_code,reason,from,until\n${c1},travel,2026-11-01,2027-02-01\n${c2},sneezing,2026-11-01,\n`,
      headers: { 'content-type': 'text/csv' },
    })
    expect(bad.status).toBe(400)
    expect(bad.json.rows).toEqual([{ row: 3, field: 'reason', message: expect.any(String) }])
    const csv = `donor_code,reason,from,until,note\n${c1},travel,2026-11-01,2027-02-01,\n${c2},lab_result,2026-11-01,,HBsAg\n`
    const ok = await call('POST', '/api/deferrals/csv?site=CQ', { raw: csv, headers: { 'content-type': 'text/csv' } })
    expect(ok.json).toEqual({ added: 2, skipped: 0 })
    expect((await call('POST', '/api/deferrals/csv?site=CQ', { raw: csv, headers: { 'content-type': 'text/csv' } })).json).toEqual({ added: 0, skipped: 2 })
    expect((await call('POST', '/api/deferrals/csv?site=CQ', { as: 'directorYB', raw: csv, headers: { 'content-type': 'text/csv' } })).status).toBe(403)
    const out = await call('GET', '/api/deferrals/csv?site=CQ')
    expect(out.text).toContain(`${c2},CQ,lab_result,2026-11-01T00:00:00.000Z,,HBsAg`)
    expect((await call('GET', '/api/deferrals', { as: 'planner' })).status).toBe(403)
    const audits = await env.DB.prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'deferral.create' AND entity_id IN (?1, ?2)`)
      .bind(c1, c2)
      .first<number>('n')
    expect(audits).toBe(2)
  })
})

describe('from unmet need to call-up', () => {
  it("a plan's unmet rare need lists the stations of eligible matching donors by road time, with the ready time against the deadline", async () => {
    await resetWorld()
    const a = antigen()
    await donor('CQ', { antigens: a })
    await donor('CQ', { antigens: a, lastWholeBloodAt: ago(150) }) // eligible in about a month
    await donor('CD', { antigens: a, abo: 'O', rhd: '-' })
    const deferred = await donor('NC', { antigens: a })
    await call('POST', '/api/deferrals', { body: { donorCode: deferred, siteId: 'NC', reason: 'medical', from: ago(1), until: ahead(90) } })
    await addLot({ site: 'CD', qty: 10 }) // ordinary O+ stock: no Fy(a-) anywhere
    const req = await addRequest({ site: 'YB', qty: 2, antigens: a, neededInHours: 20 })
    const plan = await call('POST', '/api/plans', { body: { requestIds: [req] } })
    expect(plan.status, plan.text).toBe(201)
    const unmet = plan.json.unmet.find((u: { need: string }) => u.need === req)
    expect(unmet.reason).toBe('no_compatible_stock')
    // NC's donor is deferred; Chongqing is a little nearer to Yibin than Chengdu by the road estimate
    expect(unmet.donors.map((s: { siteId: string }) => s.siteId)).toEqual(['CQ', 'CD'])
    const [cq, cd] = unmet.donors
    expect(cq.roadHours).toBeLessThan(cd.roadHours)
    expect(cq).toMatchObject({ donors: 2, eligibleNow: 1 })
    // RBC: 12 h collection, testing and processing (component.donor_ready_hours), then the road
    expect(Date.parse(cd.readyAt) - Date.now()).toBeGreaterThan(11.9 * 3_600_000)
    expect(Date.parse(cd.readyAt) - Date.now()).toBeLessThan(12.1 * 3_600_000)
    expect(Date.parse(cd.arrivesAt) - Date.parse(cd.readyAt)).toBeCloseTo(cd.roadHours * 3_600_000, -4)
    expect(cd.meetsDeadline).toBe(true) // ~12 h + ~2.5 h < 20 h
    // the same on reading the plan, for any role (stations and counts, no donor codes)
    const read = await call('GET', `/api/plans/${plan.json.id}`, { as: 'planner' })
    expect(read.json.unmet.find((u: { need: string }) => u.need === req).donors.map((s: { siteId: string }) => s.siteId)).toEqual(['CQ', 'CD'])
    expect(read.text).not.toMatch(/"code"/)
  })

  it('a call-up through every status to a new lot at the collecting station, which the next plan sends; donor codes never in stock or plan CSV', async () => {
    await resetWorld()
    const a = antigen()
    const code = await donor('CD', { antigens: a })
    const req = await addRequest({ site: 'YB', qty: 2, antigens: a, neededInHours: 48 })
    // the requesting station's director calls for their own patient; another station's director may not
    const other = await addRequest({ site: 'CQ', qty: 1, antigens: a, neededInHours: 48 })
    expect((await call('POST', '/api/callups', { as: 'directorYB', body: { requestId: other, donorCodes: [code] } })).status).toBe(403)
    expect((await call('POST', '/api/callups', { as: 'planner', body: { requestId: req, donorCodes: [code] } })).status).toBe(403)
    expect((await call('POST', '/api/callups', { body: { requestId: 'R-NOPE', donorCodes: [code] } })).status).toBe(404)
    const mismatch = await call('POST', '/api/callups', { body: { requestId: req, donorCodes: [await donor('CD', { antigens: 'Jk(a-b-)' })] } })
    expect([mismatch.status, mismatch.json.error.code, mismatch.json.error.field]).toEqual([409, 'donor_not_matching', 'donorCodes.0'])
    const cursor = (await call('GET', '/api/events', { as: 'director' })).json.cursor
    const asked = await call('POST', '/api/callups', { as: 'directorYB', body: { requestId: req, donorCodes: [code] } })
    expect(asked.status, asked.text).toBe(201)
    const id = asked.json.callups[0].id
    // the collecting station hears of it through the events feed
    const feed = await call('GET', `/api/events?since=${cursor}`, { as: 'director' })
    expect(feed.json.events).toContainEqual(
      expect.objectContaining({ entity: 'callup', entityId: id, action: 'callup.create', sites: ['CD', 'YB'], urgency: 'urgent' }),
    )
    expect(asked.json.callups[0]).toMatchObject({ status: 'asked', siteId: 'CD', requestSiteId: 'YB', meetsDeadline: true })
    expect((await call('POST', '/api/callups', { body: { requestId: req, donorCodes: [code] } })).json.error.code).toBe('donor_called')

    const move = (body: unknown, as: 'director' | 'directorYB' | 'coordinator' = 'director') => call('POST', `/api/callups/${id}/status`, { as, body })
    expect((await move({ status: 'scheduled', scheduledAt: ahead(0.1) }, 'directorYB')).status).toBe(403) // YB does not collect it
    const skip = await move({ status: 'released' })
    expect([skip.status, skip.json.error.code]).toEqual([409, 'invalid_transition'])
    expect((await move({ status: 'scheduled' })).json.error.field).toBe('scheduledAt')
    expect((await move({ status: 'scheduled', scheduledAt: ahead(0.1) })).json.status).toBe('scheduled')
    const donated = await move({ status: 'donated' })
    expect(donated.json).toMatchObject({ status: 'donated', donatedAt: expect.any(String) })
    const released = await move({ status: 'released' })
    expect(released.status, released.text).toBe(200)
    const lotId = released.json.lotId
    expect(lotId).toMatch(/^RD-/)
    expect((await move({ status: 'released' })).status).toBe(409)
    const lot = await env.DB.prepare('SELECT site_id AS siteId, component, abo, rhd, antigens, qty FROM lot WHERE id = ?1').bind(lotId).first()
    expect(lot).toEqual({ siteId: 'CD', component: 'RBC', abo: 'O', rhd: '+', antigens: a, qty: 2 })
    // the donation is in the donor's history: whole blood again only in 6 months
    const d = await call('GET', `/api/donors/${code}`)
    expect(d.json.lastWholeBloodAt).toBe(donated.json.donatedAt)
    expect(Date.parse(d.json.eligibleFrom.WB)).toBeGreaterThan(Date.now() + 170 * 86_400_000)

    const next = await call('POST', '/api/plans', { body: { requestIds: [req] } })
    expect(next.status, next.text).toBe(201)
    expect(next.json.transfers).toEqual([expect.objectContaining({ fromSite: 'CD', toSite: 'YB', qty: 2, lots: [expect.objectContaining({ lotId, qty: 2 })] })])
    expect(next.json.unmet.filter((u: { need: string }) => u.need === req)).toEqual([])

    for (const path of ['/api/csv/stock?site=CD', `/api/csv/transfers?plan=${next.json.id}`, '/api/csv/movements?site=CD']) {
      const csv = await call('GET', path)
      expect(csv.status, path).toBe(200)
      expect(csv.text, path).not.toContain(code)
    }
    const actions = (
      await env.DB.prepare(`SELECT action, actor_id AS actor FROM audit_log WHERE entity = 'callup' AND entity_id = ?1 ORDER BY id`).bind(id).all()
    ).results
    expect(actions).toEqual([
      { action: 'callup.create', actor: 'u-dir-yb' },
      { action: 'callup.scheduled', actor: 'u-dir-cd' },
      { action: 'callup.donated', actor: 'u-dir-cd' },
      { action: 'callup.released', actor: 'u-dir-cd' },
    ])
  })

  it('declined and deferred on the day end a call-up; the intervals refuse a donation too soon', async () => {
    const a = antigen()
    const [x, y, z] = [await donor('CQ', { antigens: a }), await donor('CQ', { antigens: a }), await donor('CQ', { antigens: a, lastPlateletsAt: ago(10) })]
    const req = await addRequest({ site: 'YB', qty: 2, antigens: a, neededInHours: 48 })
    const res = await call('POST', '/api/callups', { body: { requestId: req, donorCodes: [x, y, z] } })
    expect(res.status, res.text).toBe(201)
    const byCode = new Map(res.json.callups.map((c: { donorCode: string; id: string }) => [c.donorCode, c.id]))
    const move = (code: string, body: unknown) => call('POST', `/api/callups/${byCode.get(code)}/status`, { body })
    expect((await move(x, { status: 'declined' })).json.status).toBe('declined')
    expect((await move(x, { status: 'scheduled', scheduledAt: ahead(1) })).status).toBe(409)
    await move(y, { status: 'scheduled', scheduledAt: ahead(0.1) })
    expect((await move(y, { status: 'deferred', note: 'Hb 118 g/L' })).json.status).toBe('deferred')
    // platelets 10 days ago: whole blood only after 4 weeks
    await move(z, { status: 'scheduled', scheduledAt: ahead(0.1) })
    const soon = await move(z, { status: 'donated' })
    expect([soon.status, soon.json.error.code, soon.json.error.field]).toEqual([409, 'interval_not_met', 'donatedAt'])
    // the declined donor may be called again
    expect((await call('POST', '/api/callups', { body: { requestId: req, donorCodes: [x] } })).status).toBe(201)
  })
})

describe('donor CSV and screening', () => {
  it('a station loads and exports its register; a code of another station or a bad row is named and nothing applied', async () => {
    const c1 = `CQ-${uid('D')}`,
      c2 = `CQ-${uid('D')}`
    const cdCode = await donor('CD')
    const head = 'code,abo,rhd,antigens,consent,last_whole_blood,last_platelets\n'
    const bad = await call('POST', '/api/donors/csv?site=CQ', {
      raw: `${head}${c1},O,+,Fy(a-),yes,2026-05-01,\n${cdCode},O,+,Fy(a-),yes,,\n${c2},Q,+,Fy(a-),yes,,\n`,
      headers: { 'content-type': 'text/csv' },
    })
    expect(bad.status).toBe(400)
    expect(bad.json.rows.map((r: { row: number; field: string }) => [r.row, r.field])).toEqual([
      [3, 'code'],
      [4, 'abo'],
    ])
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM donor WHERE code = ?1').bind(c1).first<number>('n')).toBe(0)
    const ok = await call('POST', '/api/donors/csv?site=CQ', {
      raw: `${head}${c1},O,+,Fy(a-);HLA-A2,yes,2026-05-01,\n${c2},B,-,,no,,2026-11-20\n`,
      headers: { 'content-type': 'text/csv' },
    })
    expect(ok.json).toEqual({ added: 2, updated: 0 })
    expect(
      (await call('POST', '/api/donors/csv?site=CQ', { as: 'director', raw: `${head}${c1},O,+,Fy(a-),yes,,\n`, headers: { 'content-type': 'text/csv' } }))
        .status,
    ).toBe(403)
    const out = await call('GET', '/api/donors/csv?site=CQ')
    expect(out.text).toContain(`${c1},O,+,Fy(a-);HLA-A2,yes,2026-05-01T00:00:00.000Z,`)
    expect(out.text).toContain(`${c2},B,-,,no,,2026-11-20T00:00:00.000Z`)
    expect((await call('GET', '/api/donors/csv?site=CQ', { as: 'director' })).status).toBe(403)
  })

  it('stations record screening; the pool by antigen and province, by station, and the screening totals', async () => {
    const rec = await call('POST', '/api/donors/screenings', {
      as: 'director',
      body: { siteId: 'CD', antigen: 'Jk(a-b-)', screened: 12000, found: 3, periodFrom: '2026-10-01T00:00:00Z', periodTo: '2026-10-31T00:00:00Z' },
    })
    expect(rec.status, rec.text).toBe(201)
    expect(
      (
        await call('POST', '/api/donors/screenings', {
          as: 'director',
          body: { siteId: 'CD', antigen: 'Jk(a-b-)', screened: 12000, found: 3, periodFrom: '2026-10-01T00:00:00Z', periodTo: '2026-10-31T00:00:00Z' },
        })
      ).status,
    ).toBe(409)
    expect(
      (
        await call('POST', '/api/donors/screenings', {
          as: 'directorYB',
          body: { siteId: 'CD', antigen: 'Jk(a-b-)', screened: 1, found: 0, periodFrom: '2026-10-01T00:00:00Z', periodTo: '2026-10-31T00:00:00Z' },
        })
      ).status,
    ).toBe(403)
    const bad = await call('POST', '/api/donors/screenings', {
      body: { siteId: 'CD', antigen: 'Jk(a-b-)', screened: 10, found: 11, periodFrom: '2026-11-01T00:00:00Z', periodTo: '2026-11-30T00:00:00Z' },
    })
    expect([bad.status, bad.json.error.field]).toEqual([400, 'found'])
    const pool = await call('GET', '/api/donors/pool', { as: 'planner' })
    expect(pool.json.screening).toContainEqual({ siteId: 'CD', antigen: 'Jk(a-b-)', screened: 12000, found: 3 })
    const fy = pool.json.byAntigen.find((r: { antigen: string }) => r.antigen === 'Fy(a-)')
    expect(fy.Sichuan).toBeGreaterThan(0)
    expect(fy.Chongqing).toBeGreaterThan(0)
    expect(pool.json.total).toBe(await env.DB.prepare('SELECT COUNT(*) AS n FROM donor').first<number>('n'))
  })
})
