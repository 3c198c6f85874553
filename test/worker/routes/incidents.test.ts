// Incidents: the estimate from the stored planning factors (checked by hand), planning in disaster mode with every open
// request, a quota to another province split across stations above their floors, the green channel, recall, close.
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { call, seedBase } from '../fixtures'
import { addLot, addRequest, issue, key, lotQty, request, resetWorld } from '../services/plan-fixtures'

beforeAll(() => seedBase())

const post = (path: string, opts: Parameters<typeof call>[2] = {}) => call('POST', path, opts)
const AT = '2026-11-30T08:00:00.000Z'
const hoursAfter = (iso: string, h: number) => new Date(Date.parse(iso) + h * 3_600_000).toISOString()
const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString()

async function declare(body: Record<string, unknown>) {
  const res = await post('/api/incidents', { body })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  return res.json
}
async function planIncident(incidentId: string) {
  const res = await post('/api/plans', { body: { mode: 'disaster', incidentId } })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  return res.json
}
const shape = (p: any) => p.transfers.map((t: any) => `${t.fromSite}>${t.toSite} ${t.component} ${t.abo}${t.rhd} ${t.qty}`).sort()

describe('declaring an incident: the estimate', () => {
  it('comes from the stored factors: 4 critical, 10 severe, 20 moderate (checked by hand)', async () => {
    const inc = await declare({ name: '宜宾 客车事故', lat: 28.76, lng: 104.63, at: AT, casualties: { critical: 4, severe: 10, moderate: 20 } })
    // the nearest stations by road receive; the estimate goes to the first (YB is 1 km away)
    expect(inc.points).toHaveLength(2)
    expect(inc.points[0]).toMatchObject({ siteId: 'YB', rank: 0, external: false })
    const total = (component: string, urgency: string) => inc.estimate.totals.find((t: any) => t.component === component && t.urgency === urgency)?.qty ?? 0
    // critical (emergency, 6 h): RBC ceil(4 × 0.75 × 20) = 60, FFP ceil(4 × 0.75 × 25) = 75, PLT ceil(4 × 0.75 × 1.5) = 5, CRYO 60
    expect([total('RBC', 'emergency'), total('FFP', 'emergency'), total('PLT', 'emergency'), total('CRYO', 'emergency')]).toEqual([60, 75, 5, 60])
    // severe (urgent, 24 h): RBC ceil(10 × 0.3 × 8) = 24, FFP ceil(10 × 0.3 × 5) = 15, PLT ceil(10 × 0.3 × 0.2) = 1, no cryo
    expect([total('RBC', 'urgent'), total('FFP', 'urgent'), total('PLT', 'urgent'), total('CRYO', 'urgent')]).toEqual([24, 15, 1, 0])
    // moderate (routine, 72 h): RBC ceil(20 × 0.05 × 4) = 4 only
    expect([total('RBC', 'routine'), total('FFP', 'routine')]).toEqual([4, 0])
    // 60 RBC by group shares (O 34.2 %, A 28.7 %, B 28.2 %, AB 8.9 %; RhD− 0.35 %): 20.45, 17.16, 16.86, 5.32 and
    // RhD− under 0.1 each → floors 20 + 17 + 16 + 5 = 58, the 2 left go to the largest remainders (B+ 0.86, O+ 0.45)
    const rbc = inc.estimate.lines.filter((l: any) => l.component === 'RBC' && l.urgency === 'emergency')
    expect(rbc.map((l: any) => `${l.abo}${l.rhd} ${l.qty}`)).toEqual(['O+ 21', 'A+ 17', 'B+ 17', 'AB+ 5'])
    expect(rbc.every((l: any) => l.siteId === 'YB' && l.neededBy === hoursAfter(AT, 6) && l.category === 'critical')).toBe(true)
    // every factor carries its source
    expect(inc.estimate.factors.length).toBe(12)
    expect(inc.estimate.factors.every((f: any) => f.source.length > 10)).toBe(true)
    expect(inc.status).toBe('active')
    expect(inc.greenChannel).toBe(false)
  })

  it('follows new casualty numbers (PATCH); the coordinator can edit it; 400s name the field; roles; 404', async () => {
    const inc = await declare({ name: 'estimate edits', siteId: 'NC', casualties: { critical: 2 } })
    expect(inc.lat).toBe(30.837)
    const patched = await call('PATCH', `/api/incidents/${inc.id}`, { body: { casualties: { critical: 4, severe: 0, moderate: 0 } } })
    expect(patched.status).toBe(200)
    expect(patched.json.estimate.totals.find((t: any) => t.component === 'RBC' && t.urgency === 'emergency').qty).toBe(60)
    const edited = await call('PUT', `/api/incidents/${inc.id}/estimate`, {
      body: { lines: [{ siteId: 'NC', component: 'RBC', abo: 'O', rhd: '-', urgency: 'emergency', qty: 3, neededBy: inHours(6) }] },
    })
    expect(edited.status).toBe(200)
    expect(edited.json.estimateSource).toBe('edited')
    expect(edited.json.estimate.lines.map((l: any) => `${l.abo}${l.rhd} ${l.qty}`)).toEqual(['O- 3'])

    const bad = await post('/api/incidents', { body: { lat: 30, lng: 104, casualties: { critical: 1 } } })
    expect([bad.status, bad.json.error.field]).toEqual([400, 'name'])
    const noPlace = await post('/api/incidents', { body: { name: 'x', casualties: { critical: 1 } } })
    expect([noPlace.status, noPlace.json.error.field]).toEqual([400, 'lat'])
    const nothing = await post('/api/incidents', { body: { name: 'x', lat: 30, lng: 104 } })
    expect([nothing.status, nothing.json.error.field]).toEqual([400, 'casualties'])
    const negative = await post('/api/incidents', { body: { name: 'x', lat: 30, lng: 104, casualties: { critical: -1 } } })
    expect([negative.status, negative.json.error.field]).toEqual([400, 'casualties.critical'])
    const badSite = await post('/api/incidents', { body: { name: 'x', lat: 30, lng: 104, casualties: { critical: 1 }, receivingSites: ['ZZ'] } })
    expect([badSite.status, badSite.json.error.field]).toEqual([400, 'receivingSites.0'])
    expect((await post('/api/incidents', { as: 'planner', body: { name: 'x', lat: 30, lng: 104, casualties: { critical: 1 } } })).status).toBe(403)
    expect((await post('/api/incidents', { as: null, body: { name: 'x' } })).status).toBe(401)
    expect((await call('GET', '/api/incidents/inc_nope')).status).toBe(404)
    const badPlan = await post('/api/plans', { body: { incidentId: 'inc_nope' } })
    expect([badPlan.status, badPlan.json.error.field]).toEqual([400, 'incidentId'])
    const routine = await post('/api/plans', { body: { mode: 'routine', incidentId: inc.id } })
    expect([routine.status, routine.json.error.field]).toEqual([400, 'mode'])
    // a retry with the same Idempotency-Key answers the incident the first call declared
    const body = { name: 'retried', lat: 30, lng: 104, casualties: { critical: 1 } }
    const k = key()
    const first = await post('/api/incidents', { body, headers: { 'idempotency-key': k } })
    const second = await post('/api/incidents', { body, headers: { 'idempotency-key': k } })
    expect([first.status, second.status, second.json.id]).toEqual([201, 201, first.json.id])
    expect([first.headers.get('idempotent-replayed'), second.headers.get('idempotent-replayed')]).toEqual([null, 'true'])
    const other = await post('/api/incidents', { body: { ...body, name: 'other' }, headers: { 'idempotency-key': k } })
    expect(other.status).toBe(409)
    expect(other.json.error).toMatchObject({ code: 'idempotency_key_reused', field: 'idempotency-key' })
    // documented in OpenAPI
    const doc = (await call('GET', '/api/openapi.json', { as: null })).json
    expect(Object.keys(doc.paths).filter((p: string) => p.startsWith('/api/incidents')).length).toBeGreaterThanOrEqual(6)
    // a director reads incidents (the region needs to know) but cannot change one
    expect((await call('GET', `/api/incidents/${inc.id}`, { as: 'director' })).status).toBe(200)
    expect((await call('PATCH', `/api/incidents/${inc.id}`, { as: 'director', body: { name: 'y' } })).status).toBe(403)
  })
})

describe('demand by kind of incident, as a range', () => {
  it('a 68-casualty earthquake near Luding: red cells 32–62 U, 47 planned; the coordinator picks another figure inside the range', async () => {
    const inc = await declare({ name: '泸定地震', kind: 'earthquake', lat: 29.59, lng: 102.08, at: AT, casualties: { critical: 8, severe: 20, moderate: 40 } })
    expect([inc.kind, inc.estimate.basis]).toEqual(['earthquake', 'triaged'])
    const rbc = () => inc.estimate.components.find((c: any) => c.component === 'RBC')
    expect(rbc()).toEqual({ component: 'RBC', low: 32, mid: 47, high: 62, qty: 47, picked: false })
    const em = inc.estimate.totals.find((t: any) => t.component === 'RBC' && t.urgency === 'emergency')
    expect(em).toEqual({ component: 'RBC', urgency: 'emergency', qty: 31, low: 21, high: 42 })
    expect(inc.estimate.kindFactors.sources.join(' ')).toContain('Tabatabaie')
    const rbcLines = (i: any) => i.estimate.lines.filter((l: any) => l.component === 'RBC').reduce((s: number, l: any) => s + l.qty, 0)
    expect(rbcLines(inc)).toBe(47)
    // the coordinator picks 60 U (inside 32–62): the estimate's red-cell lines now add up to 60, audited
    const picked = await call('PATCH', `/api/incidents/${inc.id}`, { body: { picks: { RBC: 60 } } })
    expect(picked.status, JSON.stringify(picked.json)).toBe(200)
    expect(picked.json.estimate.components.find((c: any) => c.component === 'RBC')).toMatchObject({ qty: 60, low: 32, high: 62, picked: true })
    expect(rbcLines(picked.json)).toBe(60)
    const audit = await env.DB.prepare(`SELECT detail FROM audit_log WHERE entity = 'incident' AND entity_id = ?1 AND action = 'incident.update'`)
      .bind(inc.id)
      .first<string>('detail')
    expect(JSON.parse(audit!)).toMatchObject({ picks: { RBC: 60 }, from: { kind: 'earthquake', picks: {} } })
    // outside the range: 400 naming the component
    const out = await call('PATCH', `/api/incidents/${inc.id}`, { body: { picks: { RBC: 63 } } })
    expect([out.status, out.json.error.field]).toEqual([400, 'picks.RBC'])
    expect(out.json.error.message).toContain('32')
    // new numbers make a new range, at its middle figure: 42 + 17 + 3, 62 + 25 + 5, 83 + 33 + 6 (each category rounded up)
    const more = await call('PATCH', `/api/incidents/${inc.id}`, { body: { casualties: { critical: 16, severe: 40, moderate: 80 } } })
    expect(more.json.estimate.components.find((c: any) => c.component === 'RBC')).toMatchObject({ picked: false, low: 62, mid: 92, high: 122, qty: 92 })
  })

  it('says which count it used: injured (× the admission rate) or hospitalised; a relief call gives a quota instead', async () => {
    const injured = await declare({ name: '九寨沟地震 (back-test)', kind: 'earthquake', lat: 33.19, lng: 103.86, injured: 525 })
    expect(injured.estimate.basis).toBe('injured')
    expect(injured.estimate.components.find((c: any) => c.component === 'RBC')).toMatchObject({ low: 54, mid: 96, high: 149 })
    const hosp = await declare({ name: '客车翻覆', kind: 'crash', lat: 28.76, lng: 104.63, hospitalised: 10, injured: 30 })
    expect(hosp.estimate.basis).toBe('hospitalised')
    expect([hosp.injured, hosp.hospitalised]).toEqual([30, 10])
    const relief = await post('/api/incidents', { body: { name: 'x', kind: 'relief', lat: 30, lng: 104, casualties: { critical: 1 } } })
    expect([relief.status, relief.json.error.field]).toEqual([400, 'kind'])
  })

  it('a place far outside Sichuan–Chongqing (latitude 45) is questioned: 400 naming lat unless the coordinator confirms', async () => {
    const body = { name: 'far away', kind: 'crash', lat: 45, lng: 104, casualties: { critical: 1 } }
    const asked = await post('/api/incidents', { body })
    expect([asked.status, asked.json.error.field, asked.json.error.code]).toEqual([400, 'lat', 'outside_region'])
    expect(asked.json.error.message).toContain('confirmOutsideRegion')
    expect(await env.DB.prepare(`SELECT COUNT(*) AS n FROM incident WHERE name = 'far away'`).first<number>('n')).toBe(0)
    const east = await post('/api/incidents', { body: { ...body, lat: 30, lng: 125 } })
    expect([east.status, east.json.error.field]).toEqual([400, 'lng'])
    const confirmed = await declare({ ...body, confirmOutsideRegion: true })
    expect(confirmed.lat).toBe(45)
  })

  it('an incident declared before kinds existed reads as a crash, its estimate unchanged', async () => {
    const old = await declare({ name: 'before 0050', lat: 28.76, lng: 104.63, at: AT, casualties: { critical: 4 } })
    // what a 0030 row looks like: no kind, injured or picks given (the migration's defaults)
    await env.DB.prepare(`INSERT INTO incident (id, name, lat, lng, occurred_at, critical, severe, moderate, estimate_source, created_by, created_at, updated_at)
      SELECT 'inc_legacy', name, lat, lng, occurred_at, critical, severe, moderate, estimate_source, created_by, created_at, updated_at FROM incident WHERE id = ?1`)
      .bind(old.id)
      .run()
    const legacy = (await call('GET', '/api/incidents/inc_legacy')).json
    expect([legacy.kind, legacy.injured, legacy.estimate.basis]).toEqual(['crash', null, 'triaged'])
    // the 0030 factors: 4 critical × 75 % × 20 = 60 U of red cells, the middle of the crash range
    expect(legacy.estimate.components.find((c: any) => c.component === 'RBC')).toMatchObject({ mid: 60 })
    expect(old.estimate.totals.find((t: any) => t.component === 'RBC' && t.urgency === 'emergency').qty).toBe(60)
  })
})

describe('planning an incident in disaster mode', () => {
  it("serves its emergency needs before routine requests elsewhere, within the stations' rules, reproducibly", async () => {
    await resetWorld()
    await addLot({ site: 'CD', qty: 30 })
    // CQ issued 28 O− red cells in 14 days: 2 a day × Chongqing's red_days 3 = a floor of 6, holding 10
    const used = await addLot({ site: 'CQ', rhd: '-', qty: 28 })
    await issue(used, 'CQ', 28, 1)
    await addLot({ site: 'CQ', rhd: '-', qty: 10 })
    const routine = await addRequest({ site: 'NC', qty: 20, urgency: 'routine', neededInHours: 72 })
    const cursor = (await call('GET', '/api/events')).json.cursor
    const inc = await declare({
      name: 'YB emergency',
      lat: 28.76,
      lng: 104.63,
      receivingSites: ['YB'],
      needs: [{ component: 'RBC', abo: 'O', rhd: '+', qty: 25, urgency: 'emergency' }],
    })
    const p = await planIncident(inc.id)
    expect(p.mode).toBe('disaster')
    expect(p.incidentId).toBe(inc.id)
    const after = (await call('GET', `/api/incidents/${inc.id}`)).json
    expect(after.requests).toHaveLength(1)
    const need = after.requests[0]
    expect([need.siteId, need.urgency, need.qty]).toEqual(['YB', 'emergency', 25])
    // the emergency gets all 25 — taking CQ below its floor, which disaster mode allows for an emergency only — and
    // the routine request elsewhere the 15 CD has left; CQ's floor holds against it: 5 unmet
    const sum = (f: (t: any) => boolean) => p.transfers.filter(f).reduce((s: number, t: any) => s + t.qty, 0)
    expect([sum((t) => t.toSite === 'YB'), sum((t) => t.toSite === 'NC')]).toEqual([25, 15])
    // CQ gives all 10, but at most the 4 above its floor to the routine need (which 4 go where is a tie)
    expect(sum((t) => t.fromSite === 'CQ')).toBe(10)
    expect(sum((t) => t.fromSite === 'CQ' && t.toSite === 'NC')).toBeLessThanOrEqual(4)
    expect(p.unmet.find((u: any) => u.need === routine)).toMatchObject({ qty: 5 })
    expect(after.response.unmet.find((u: any) => u.requestId === routine)).toMatchObject({ incident: false, qty: 5 })
    expect(p.unmet.some((u: any) => u.need === need.id)).toBe(false)
    // the stations afterwards: CD 30 → 0 (no issue history: no days of supply), CQ 10 → 0, 0 days, red
    const station = (site: string) => after.response.stations.find((s: any) => s.siteId === site)
    expect(station('CD')).toMatchObject({ component: 'RBC', before: 30, sends: 30, after: 0, daysAfter: null, levelAfter: 'normal' })
    expect(station('CQ')).toMatchObject({
      component: 'RBC',
      before: 10,
      sends: 10,
      after: 0,
      avgDailyIssue: 2,
      daysBefore: 5,
      daysAfter: 0,
      levelBefore: 'yellow',
      levelAfter: 'red',
    })
    // the events feed tells every open page: the incident, its request (no "new emergency request" alert: the
    // coordinator declared it), the plan
    const feed = (await call('GET', `/api/events?since=${cursor}`)).json.events.map((e: any) => `${e.entity} ${e.action}`)
    expect(feed).toEqual(expect.arrayContaining(['incident incident.declare', 'aid_request request.incident', 'plan plan.create']))
    expect(feed).not.toContain('aid_request request.create')
    // reproducible: planning again files nothing new and proposes the same transfers
    const again = await planIncident(inc.id)
    expect(shape(again)).toEqual(shape(p))
    expect((await call('GET', `/api/incidents/${inc.id}`)).json.requests).toHaveLength(1)
  })
})

describe('the green channel', () => {
  it('approves and commits the emergency transfers of the plan; the donor director dispatches; recall after dispatch is 409', async () => {
    await resetWorld()
    const lot = await addLot({ site: 'CD', qty: 20 })
    await addLot({ site: 'CQ', abo: 'A', qty: 10 }) // serves the urgent A+ need only: the emergency comes from CD
    const inc = await declare({
      name: 'green',
      lat: 28.76,
      lng: 104.63,
      receivingSites: ['YB'],
      needs: [
        { component: 'RBC', abo: 'O', rhd: '+', qty: 6, urgency: 'emergency' },
        { component: 'RBC', abo: 'A', rhd: '+', qty: 4, urgency: 'urgent', siteId: 'NC' },
      ],
    })
    const p = await planIncident(inc.id)
    expect(p.transfers.every((t: any) => t.status === 'proposed')).toBe(true)
    // a confirmation that named other transfers than the plan's emergency ones commits nothing and says so
    const stale = await post(`/api/incidents/${inc.id}/green-channel`, { body: { transferIds: ['tr_not_these'] } })
    expect([stale.status, stale.json.error.code, stale.json.error.field]).toEqual([409, 'green_channel_changed', 'transferIds'])
    expect((await call('GET', `/api/incidents/${inc.id}`)).json.greenChannel).toBe(false)
    expect(await lotQty(lot)).toBe(20)
    // opened after planning with what the confirmation named: the latest plan's emergency transfers go at once; the urgent one waits for review
    const named = p.transfers.filter((t: any) => t.toSite === 'YB').map((t: any) => t.id)
    const open = await post(`/api/incidents/${inc.id}/green-channel`, { body: { transferIds: named } })
    expect(open.status, JSON.stringify(open.json)).toBe(200)
    expect(open.json.greenChannel).toBe(true)
    const emergency = open.json.transfers.filter((t: any) => t.toSite === 'YB')
    const urgent = open.json.transfers.filter((t: any) => t.toSite === 'NC')
    expect(emergency.length).toBeGreaterThan(0)
    expect(emergency.every((t: any) => t.status === 'committed')).toBe(true)
    expect(urgent.length).toBeGreaterThan(0)
    expect(urgent.every((t: any) => t.status === 'proposed')).toBe(true)
    expect(open.json.greenChannelResult.committed.sort()).toEqual(emergency.map((t: any) => t.id).sort())
    // stock reserved: what left CD's lot is what the emergency transfers from CD carry
    const fromCD = emergency.filter((t: any) => t.fromSite === 'CD').reduce((s: number, t: any) => s + t.qty, 0)
    expect(fromCD).toBe(6)
    expect(await lotQty(lot)).toBe(20 - 6)
    // audited as usual, with the incident named
    const approvals = await env.DB.prepare(
      `SELECT COUNT(*) AS n FROM audit_log WHERE action = 'transfer.approve' AND json_extract(detail, '$.greenChannel') = ?1`,
    )
      .bind(inc.id)
      .first<number>('n')
    expect(approvals).toBe(emergency.length)

    const t = emergency.find((x: any) => x.fromSite === 'CD')
    expect((await post(`/api/transfers/${t.id}/dispatch`, { as: 'directorYB', body: { temperatureC: 4 } })).status).toBe(403)
    const sent = await post(`/api/transfers/${t.id}/dispatch`, { as: 'director', body: { temperatureC: 4, carrier: '川A·12345' } })
    expect(sent.status, JSON.stringify(sent.json)).toBe(200)
    expect(sent.json.status).toBe('dispatched')
    const recall = await post(`/api/transfers/${t.id}/cancel`, { body: { reason: 'recall' } })
    expect([recall.status, recall.json.error.code]).toEqual([409, 'invalid_transition'])
    const view = (await call('GET', `/api/incidents/${inc.id}`, { as: 'director' })).json
    // the CD director sees the incident's transfers that concern CD, in the list and in the timeline
    expect(view.transfers.map((x: any) => x.id)).toEqual([t.id])
    const seen = (await call('GET', `/api/incidents/${inc.id}/timeline`, { as: 'director' })).json.events
    expect([...new Set(seen.filter((e: any) => e.entity === 'transfer').map((e: any) => e.entityId))]).toEqual([t.id])
  })

  it('with the channel open, planning commits at once; a recall before dispatch returns the units', async () => {
    await resetWorld()
    const lot = await addLot({ site: 'CD', qty: 12 })
    const inc = await declare({
      name: 'green first',
      lat: 28.76,
      lng: 104.63,
      receivingSites: ['YB'],
      needs: [{ component: 'RBC', abo: 'O', rhd: '+', qty: 5, urgency: 'emergency' }],
    })
    expect((await post(`/api/incidents/${inc.id}/green-channel`)).json.greenChannelResult).toBeNull()
    const p = await planIncident(inc.id)
    expect(p.greenChannel.committed).toHaveLength(1)
    const [t] = p.transfers
    expect([t.status, t.fromSite, t.qty]).toEqual(['committed', 'CD', 5])
    expect(await lotQty(lot)).toBe(7)
    const [req] = (await call('GET', `/api/incidents/${inc.id}`)).json.requests
    expect((await request(req.id))!.status).toBe('planned')
    const recall = await post(`/api/transfers/${t.id}/cancel`, { body: { reason: 'recalled: road closed' } })
    expect(recall.status).toBe(200)
    expect(recall.json.status).toBe('cancelled')
    expect(await lotQty(lot)).toBe(12)
    expect((await request(req.id))!.status).toBe('open')
    // the timeline tells it all, newest first
    const tl = (await call('GET', `/api/incidents/${inc.id}/timeline`)).json.events.map((e: any) => e.action)
    expect(tl).toEqual(
      expect.arrayContaining(['incident.declare', 'incident.green_channel', 'plan.create', 'transfer.approve', 'transfer.commit', 'transfer.cancel']),
    )
    expect(tl[0]).toBe('transfer.cancel')
  })
})

describe('after the incident', () => {
  it('closing it cancels what nothing covers, freezes it, and reports what was sent, lost and left unmet, also as CSV', async () => {
    await resetWorld()
    await addLot({ site: 'CD', qty: 4 })
    const inc = await declare({
      name: 'closing',
      lat: 28.76,
      lng: 104.63,
      receivingSites: ['YB'],
      needs: [{ component: 'RBC', abo: 'O', rhd: '+', qty: 10, urgency: 'emergency' }],
    })
    await post(`/api/incidents/${inc.id}/green-channel`)
    const p = await planIncident(inc.id)
    const [t] = p.transfers
    expect([t.status, t.qty]).toEqual(['committed', 4])
    expect((await post(`/api/transfers/${t.id}/dispatch`, { as: 'director', body: { temperatureC: 5 } })).status).toBe(200)
    const got = await post(`/api/transfers/${t.id}/receive`, {
      as: 'directorYB',
      headers: { 'idempotency-key': key() },
      body: { receivedQty: 3, temperatureC: 5 },
    })
    expect(got.status, JSON.stringify(got.json)).toBe(200)
    const closed = await post(`/api/incidents/${inc.id}/close`, { body: { note: 'done' } })
    expect(closed.status, JSON.stringify(closed.json)).toBe(200)
    expect(closed.json.totals).toEqual([{ component: 'RBC', requested: 10, sent: 4, received: 3, rejected: 0, lost: 1, onTheWay: 0, unmet: 7 }])
    expect(closed.json.transfers).toEqual([expect.objectContaining({ id: t.id, status: 'received', receivedQty: 3, lostQty: 1 })])
    expect((await post(`/api/incidents/${inc.id}/close`)).status).toBe(409)
    expect((await call('PATCH', `/api/incidents/${inc.id}`, { body: { casualties: { critical: 1 } } })).status).toBe(409)
    expect((await post('/api/plans', { body: { incidentId: inc.id } })).status).toBe(409)
    expect((await post(`/api/incidents/${inc.id}/green-channel`)).status).toBe(409)
    const csv = await call('GET', `/api/incidents/${inc.id}/report.csv`)
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toContain('text/csv')
    const rows = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/)
    expect(rows[0]).toBe(
      'section,transfer,from_site,to_site,component,group,status,requested,sent,received,rejected,lost,on_the_way,unmet,level_now,worst_level',
    )
    expect(rows[1]).toBe('total,,,,RBC,,,10,4,3,0,1,0,7,,')
    expect(rows).toContain(`transfer,${t.id},CD,YB,RBC,O+,received,,4,3,0,1,,,,`)
  })
})

describe('a quota to another province', () => {
  it("is split across the region's stations and never takes one below its floor", async () => {
    await resetWorld()
    // each donor issued 28 O+ red cells in the last 14 days: 2 a day × red_days 3 = a floor of 6, holding 20
    for (const site of ['CD', 'CQ', 'NC']) {
      const used = await addLot({ site, qty: 28 })
      await issue(used, site, 28, 1)
      await addLot({ site, qty: 20 })
    }
    const inc = await declare({
      name: '支援武汉',
      lat: 30.66,
      lng: 104.07,
      receivingSites: ['YB'],
      durationHours: 96,
      destinations: [{ name: 'Wuhan Blood Center', nameZh: '武汉血液中心', province: 'Hubei', lat: 30.59, lng: 114.31, component: 'RBC', ml: 12000 }],
    })
    const dest = inc.points.find((p: any) => p.external)
    // 12,000 mL of red cells at 200 mL a unit = 60 units, as urgent needs by group at the destination
    expect(dest.quota).toEqual({ component: 'RBC', units: 60, ml: 12000 })
    expect(inc.estimate.lines.filter((l: any) => l.siteId === dest.siteId).reduce((s: number, l: any) => s + l.qty, 0)).toBe(60)
    expect(inc.estimate.lines.every((l: any) => l.urgency === 'urgent')).toBe(true)
    // it receives transfers, but it is no station of the region
    expect((await call('GET', '/api/sites')).json.sites.some((s: any) => s.id === dest.siteId)).toBe(false)
    expect((await call('GET', `/api/sites/${dest.siteId}`)).json).toMatchObject({ nameZh: '武汉血液中心', province: 'Hubei' })

    const p = await planIncident(inc.id)
    const view = (await call('GET', `/api/incidents/${inc.id}`)).json
    const [split] = view.response.destinations
    // 3 stations × (20 − 6) = 42 can go; each gives exactly down to its floor, none below; 18 left unmet, held by the floors
    expect(split.quota).toBe(60)
    expect(split.planned).toBe(42)
    expect(split.bySource).toEqual([
      { siteId: 'CD', qty: 14 },
      { siteId: 'CQ', qty: 14 },
      { siteId: 'NC', qty: 14 },
    ])
    // days of supply count the whole component: CQ also issued 28 O− in the planning test above (4 a day in all)
    expect(view.response.stations.map((s: any) => [s.siteId, s.before, s.sends, s.after, s.avgDailyIssue, s.daysAfter, s.levelAfter])).toEqual([
      ['CD', 20, 14, 6, 2, 3, 'orange'],
      ['CQ', 20, 14, 6, 4, 1.5, 'red'],
      ['NC', 20, 14, 6, 2, 3, 'orange'],
    ])
    const unmet = view.response.unmet.filter((u: any) => u.incident).reduce((s: number, u: any) => s + u.qty, 0)
    expect(unmet).toBe(18)
    expect(view.response.unmet.filter((u: any) => u.incident).every((u: any) => u.reason === 'held_by_reserves')).toBe(true)
    // committing all of it holds every floor (the commit's own check)
    const approved = await post(`/api/plans/${p.id}/approve`, { body: { toSite: dest.siteId } })
    expect(approved.status).toBe(200)
    const commit = await post(`/api/plans/${p.id}/commit`, { headers: { 'idempotency-key': key() } })
    expect(commit.status, JSON.stringify(commit.json)).toBe(200)
    expect(commit.json.committed).toHaveLength(p.transfers.length)
  })

  it('a quota of rare units (the Yibin relief to Wuhan) takes only lots carrying its antigens, from every station holding them', async () => {
    await resetWorld()
    await addLot({ site: 'CD', qty: 30 }) // ordinary O+: not for this quota
    const cq = await addLot({ site: 'CQ', qty: 4, antigens: 'Fy(a-)' })
    const nc = await addLot({ site: 'NC', qty: 3, antigens: 'Fy(a-),Jk(b-)' })
    await addLot({ site: 'YB', qty: 5, antigens: 'Jk(b-)' }) // rare, but not what is asked
    const inc = await declare({
      name: '宜宾支援武汉 (稀有血型)',
      kind: 'relief',
      lat: 28.76,
      lng: 104.63,
      receivingSites: ['YB'],
      destinations: [{ name: 'Wuhan Blood Center', province: 'Hubei', lat: 30.59, lng: 114.31, component: 'RBC', units: 10, antigens: ['Fy(a-)'] }],
    })
    const dest = inc.points.find((p: any) => p.external)
    expect(dest.quota).toEqual({ component: 'RBC', units: 10, ml: null, antigens: 'Fy(a-)' })
    const p = await planIncident(inc.id)
    const view = (await call('GET', `/api/incidents/${inc.id}`)).json
    expect(view.requests.length).toBeGreaterThan(0)
    expect(view.requests.every((r: any) => r.siteId === dest.siteId)).toBe(true)
    const rows = await env.DB.prepare(`SELECT DISTINCT antigens FROM aid_request WHERE incident_id = ?1`).bind(inc.id).all<{ antigens: string }>()
    expect(rows.results.map((r) => r.antigens)).toEqual(['Fy(a-)'])
    // 7 units carry Fy(a-): CQ's 4 and NC's 3 (rare units travel: the O+ floors the earlier test left at CQ and NC do
    // not hold them back, as in the planner's antigen rounds); the ordinary and the Jk(b-) lots are left alone; 3 unmet
    const lots = p.transfers.flatMap((t: any) => t.lots.map((l: any) => `${l.lotId} ${l.qty}`)).sort()
    expect(lots).toEqual([`${cq} 4`, `${nc} 3`].sort())
    expect(view.response.destinations[0]).toMatchObject({ quota: 10, planned: 7 })
    expect(view.response.unmet.filter((u: any) => u.incident).reduce((s: number, u: any) => s + u.qty, 0)).toBe(3)
  })

  it('a smaller quota is spread: no station gives while another gives nothing', async () => {
    const inc = await declare({
      // Xi'an, within the 24 h red cells may travel by road from each station (Lhasa, 27 h from Chengdu, is not)
      name: '支援陕西',
      lat: 30.66,
      lng: 104.07,
      receivingSites: ['YB'],
      destinations: [{ name: 'Shaanxi Blood Center', province: 'Shaanxi', lat: 34.34, lng: 108.94, component: 'RBC', units: 9 }],
    })
    await resetWorld()
    for (const site of ['CD', 'CQ', 'NC']) await addLot({ site, qty: 20 })
    await planIncident(inc.id)
    const view = (await call('GET', `/api/incidents/${inc.id}`)).json
    const [split] = view.response.destinations
    expect(split.planned).toBe(9)
    // equal spare (20 − floor 6 = 14 each), equal shares: 3 each, though NC is nearest to Xi'an
    expect(split.bySource).toEqual([
      { siteId: 'CD', qty: 3 },
      { siteId: 'CQ', qty: 3 },
      { siteId: 'NC', qty: 3 },
    ])
    expect(view.response.stations.map((s: any) => [s.siteId, s.sends, s.share])).toEqual([
      ['CD', 3, 0.15],
      ['CQ', 3, 0.15],
      ['NC', 3, 0.15],
    ])
  })
})
