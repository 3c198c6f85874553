// The donor side of the link (issue 24): the joint deferral list both ways, the fused pool searched across provinces,
// call-ups of the other province's donors through its coordinator. One D1 plays both provinces: a request runs with
// that province's env (PROVINCE, LINK_PEERS, LINK_SECRET), and each message written to the outbox is applied with
// applyLinkMessage as the receiving province's inbox would.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { app } from '../../../worker/index'
import { applyLinkMessage } from '../../../worker/link/inbox'
import type { LinkMessage } from '../../../worker/link/outbox'
import { signLink } from '../../../worker/link/signature'
import { searchDonors } from '../../../worker/services/donors/pool'
import { checkResponse } from '../contract'
import { call, seedBase, TOKENS, uid, type Who } from '../fixtures'
import { addRequest } from '../services/plan-fixtures'

beforeAll(() => seedBase())

const SECRET = 'donor-link-test-secret'
const UNREACHABLE = 'http://127.0.0.1:9' // nothing listens: a peer that does not answer
type Province = 'Sichuan' | 'Chongqing'
const other = (p: Province): Province => (p === 'Sichuan' ? 'Chongqing' : 'Sichuan')
/** That province's bindings, peers unreachable unless given: the courier's deliveries fail, and the test delivers by hand. */
const envOf = (p: Province, peers: Record<string, string> = { [other(p)]: UNREACHABLE }) => ({
  ...env,
  PROVINCE: p,
  LINK_PEERS: JSON.stringify(peers),
  LINK_SECRET: SECRET,
})

/** A request to the app as province `p` would serve it; the answer must be what /api/openapi.json says. */
async function callIn(
  p: Province | ReturnType<typeof envOf>,
  method: string,
  path: string,
  opts: { as?: Who; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { authorization: `Bearer ${TOKENS[opts.as ?? 'coordinator']}`, ...opts.headers }
  if (opts.body !== undefined) headers['content-type'] = 'application/json'
  const ctx = createExecutionContext()
  const res = await app.fetch(
    new Request(`http://test${path}`, { method, headers, body: opts.body !== undefined ? JSON.stringify(opts.body) : opts.raw }),
    typeof p === 'string' ? envOf(p) : p,
    ctx,
  )
  await waitOnExecutionContext(ctx)
  const text = await res.text()
  const json = text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined
  await checkResponse(method, path, res.status, res.headers.get('content-type'), json)
  return { status: res.status, json, text }
}

type OutboxRow = { id: string; to_province: string; kind: string; body: string; created_at: string }
const outbox = (kind: string, like: string) =>
  env.DB.prepare('SELECT id, to_province, kind, body, created_at FROM link_outbox WHERE kind = ?1 AND body LIKE ?2 ORDER BY created_at, id')
    .bind(kind, `%${like}%`)
    .all<OutboxRow>()
    .then((r) => r.results)
/** An outbox row as the message the receiving province's inbox gets. */
const asMessage = (r: OutboxRow, from: Province): LinkMessage => ({
  id: r.id,
  from,
  to: r.to_province,
  kind: r.kind,
  body: JSON.parse(r.body),
  at: r.created_at,
})

async function donor(site: string, extra: Record<string, unknown> = {}) {
  const code = `${site}-${uid('L')}`
  const res = await call('POST', '/api/donors', { body: { code, siteId: site, abo: 'O', rhd: '+', antigens: 'Fy(a-)', ...extra } })
  expect(res.status, res.text).toBe(201)
  return code
}
const fyRequest = (site: string, antigens = 'Fy(a-)') => addRequest({ site, qty: 2, antigens, urgency: 'emergency', neededInHours: 48 })
const deferralMessage = (code: string, over: Record<string, unknown> = {}): LinkMessage => ({
  id: uid('lnk_').toLowerCase(),
  from: 'Chongqing',
  to: 'Sichuan',
  kind: 'donor.deferral',
  body: {
    id: uid('def_').toLowerCase(),
    donorCode: code,
    reason: 'lab_result',
    from: new Date(Date.now() - 3_600_000).toISOString(),
    until: null,
    note: '',
    site: { id: 'CQ', nameZh: '重庆市血液中心', nameEn: 'Chongqing Blood Center' },
    ...over,
  },
  at: new Date().toISOString(),
})
const deferralRows = (code: string) =>
  env.DB.prepare('SELECT site_id AS siteId, from_province AS fromProvince, source_site AS sourceSite FROM donor_deferral WHERE donor_code = ?1')
    .bind(code)
    .all()
    .then((r) => r.results)

describe('the joint deferral list across the link', () => {
  it('a deferral recorded in Chongqing is announced to every linked province in its own batch, and refuses a call-up in Sichuan: 409 donor_deferred', async () => {
    const code = await donor('CD') // a Sichuan donor, deferred at a Chongqing station (the seed has such a case)
    const peers = { Sichuan: UNREACHABLE, Hubei: UNREACHABLE }
    const rec = await callIn(envOf('Chongqing', peers), 'POST', '/api/deferrals', {
      body: { donorCode: code, siteId: 'CQ', reason: 'lab_result', from: new Date(Date.now() - 60_000).toISOString(), until: null },
    })
    expect(rec.status, rec.text).toBe(201)
    const sent = await outbox('donor.deferral', code)
    expect(sent.map((r) => r.to_province).sort()).toEqual(['Hubei', 'Sichuan'])
    expect(sent.every((r) => r.created_at === rec.json.createdAt)).toBe(true) // written with the deferral
    expect(JSON.parse(sent[0]!.body)).toEqual({
      id: rec.json.id,
      donorCode: code,
      reason: 'lab_result',
      from: rec.json.from,
      until: null,
      note: '',
      site: { id: 'CQ', nameZh: '重庆市血液中心', nameEn: 'Chongqing Blood Center' },
    })
    // the one D1 plays Sichuan now: only the received deferral may block, so the sender's own row goes
    await env.DB.prepare('DELETE FROM donor_deferral WHERE id = ?1').bind(rec.json.id).run()
    const req = await fyRequest('YB')
    const msg = asMessage(sent.find((r) => r.to_province === 'Sichuan')!, 'Chongqing')
    expect(await applyLinkMessage(env.DB, msg)).toEqual({ outcome: 'applied' })
    expect(await deferralRows(code)).toEqual([{ siteId: null, fromProvince: 'Chongqing', sourceSite: 'CQ' }])
    const refused = await callIn('Sichuan', 'POST', '/api/callups', { body: { requestId: req, donorCodes: [code] } })
    expect(refused.status, refused.text).toBe(409)
    expect(refused.json.error).toMatchObject({ code: 'donor_deferred', field: 'donorCodes.0' })
    // Sichuan's joint list names where it came from; its search no longer offers the donor
    const list = await call('GET', `/api/deferrals?donor=${code}`)
    expect(list.json.deferrals).toEqual([
      expect.objectContaining({
        donorCode: code,
        siteId: null,
        createdBy: null,
        fromProvince: 'Chongqing',
        sourceSite: 'CQ',
        sourceSiteNameZh: '重庆市血液中心',
        active: true,
      }),
    ])
    const search = await call('GET', `/api/donors?site=CD&antigens=${encodeURIComponent('Fy(a-)')}`)
    expect(search.json.donors.map((d: { code: string }) => d.code)).not.toContain(code)
    // the CSV of the joint list names the station with its province
    expect((await call('GET', '/api/deferrals/csv')).text).toContain(`${code},Chongqing:CQ,lab_result`)
    expect(
      await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'deferral.receive' AND actor_id = 'link:Chongqing' AND entity_id = ?1")
        .bind(code)
        .first('n'),
    ).toBe(1)
  })

  it('the trigger refuses it even when the service is not asked: a call-up inserted directly fails on the received deferral', async () => {
    const code = await donor('NC')
    expect(await applyLinkMessage(env.DB, deferralMessage(code))).toEqual({ outcome: 'applied' })
    const req = await fyRequest('NC')
    const now = new Date().toISOString()
    await expect(
      env.DB.prepare(
        "INSERT INTO callup (id, donor_code, request_id, site_id, component, created_by, created_at, updated_at) VALUES (?1, ?2, ?3, 'NC', 'RBC', 'u-coord', ?4, ?4)",
      )
        .bind(uid('cu_'), code, req, now)
        .run(),
    ).rejects.toThrow(/donor_deferred/)
  })

  it('a replayed deferral message is applied once', async () => {
    const code = await donor('CD')
    const m = deferralMessage(code)
    expect(await applyLinkMessage(env.DB, m)).toEqual({ outcome: 'applied' })
    expect(await applyLinkMessage(env.DB, m)).toEqual({ outcome: 'replay' })
    expect(await applyLinkMessage(env.DB, { ...m, at: new Date().toISOString() })).toEqual({ outcome: 'replay' })
    expect(await deferralRows(code)).toHaveLength(1)
    // the same deferral under another message id (a sender's bug) is still one row: UNIQUE (from_province, source_id)
    const again = await applyLinkMessage(env.DB, { ...m, id: uid('lnk_').toLowerCase() })
    expect(again.outcome).toBe('rejected')
    expect(await deferralRows(code)).toHaveLength(1)
  })

  it('bad deferral bodies are kept as rejected with the field, and defer nobody', async () => {
    const code = await donor('CD')
    const bad: [Record<string, unknown>, string][] = [
      [{ donorCode: 'nobody' }, 'donorCode'],
      [{ reason: 'bad_mood' }, 'reason'],
      [{ until: new Date(Date.now() - 7_200_000).toISOString() }, 'until'],
      [{ site: { id: 'CQ' } }, 'site'],
      [{ phone: '13800000000' }, 'phone'],
    ]
    for (const [over, field] of bad) {
      const m = deferralMessage(code, over)
      const out = await applyLinkMessage(env.DB, m)
      expect(out.outcome, field).toBe('rejected')
      expect(out).toMatchObject({ error: expect.stringContaining(field === 'phone' ? 'phone' : field) })
      const kept = await env.DB.prepare('SELECT status, kind FROM link_inbox WHERE id = ?1').bind(m.id).first()
      expect(kept).toEqual({ status: 'rejected', kind: 'donor.deferral' })
    }
    expect(await deferralRows(code)).toEqual([])
  })

  it('a CSV import announces the rows it adds, not the ones already on the list; one-region mode announces nothing', async () => {
    const [a, b, c] = [`CQ-${uid('A')}`, `CQ-${uid('B')}`, `CQ-${uid('C')}`]
    const csv = (codes: string[]) => ['donor_code,reason,from,until', ...codes.map((x) => `${x},medical,2026-11-01,`)].join('\n')
    const first = await callIn('Chongqing', 'POST', '/api/deferrals/csv?site=CQ', { raw: csv([a, b]), headers: { 'content-type': 'text/csv' } })
    expect(first.status, first.text).toBe(200)
    expect(first.json).toEqual({ added: 2, skipped: 0 })
    const second = await callIn('Chongqing', 'POST', '/api/deferrals/csv?site=CQ', { raw: csv([a, b, c]), headers: { 'content-type': 'text/csv' } })
    expect(second.json).toEqual({ added: 1, skipped: 2 })
    for (const [x, n] of [
      [a, 1],
      [b, 1],
      [c, 1],
    ] as const)
      expect((await outbox('donor.deferral', x)).length, x).toBe(n)
    // the same list loaded without PROVINCE (one region, one database): no message
    const d = `CD-${uid('D')}`
    expect((await call('POST', '/api/deferrals/csv?site=CD', { raw: csv([d]), headers: { 'content-type': 'text/csv' } })).status).toBe(200)
    expect(await outbox('donor.deferral', d)).toEqual([])
  })

  it("records a linked province's donor deferred at one of our stations; a code of our own stations that is not in the pool is still 404", async () => {
    const body = (donorCode: string) => ({ donorCode, siteId: 'CQ', reason: 'lab_result', from: '2026-11-01T00:00:00Z', until: null })
    const theirs = `HB-${uid('T')}` // no site HB here: a donor of another province, who gave at CQ
    const rec = await callIn('Chongqing', 'POST', '/api/deferrals', { body: body(theirs) })
    expect(rec.status, rec.text).toBe(201)
    expect((await outbox('donor.deferral', theirs)).map((r) => r.to_province)).toEqual(['Sichuan'])
    const ours = await callIn('Chongqing', 'POST', '/api/deferrals', { body: body(`CQ-${uid('N')}`) })
    expect(ours.status).toBe(404)
    expect(ours.json.error.field).toBe('donorCode')
    // one region, one database: every donor is in the pool, so an unknown code is a slip
    expect((await call('POST', '/api/deferrals', { body: body(`HB-${uid('U')}`) })).status).toBe(404)
  })

  it('a refused deferral (already on the list) announces nothing', async () => {
    const code = await donor('CQ')
    const body = { donorCode: code, siteId: 'CQ', reason: 'travel', from: '2026-11-01T00:00:00Z', until: null }
    expect((await callIn('Chongqing', 'POST', '/api/deferrals', { body })).status).toBe(201)
    const dup = await callIn('Chongqing', 'POST', '/api/deferrals', { body })
    expect(dup.status).toBe(409)
    expect(await outbox('donor.deferral', code)).toHaveLength(1)
  })
})

describe('the fused pool across the link', () => {
  const actor = { id: 'u-coord', name: 'Test Coordinator', role: 'coordinator' as const, siteId: null }
  /** Sichuan asking Chongqing the way peerGetter does, the answer served by Chongqing's route in this one D1. */
  const chongqing = async (_province: string, pathAndQuery: string) => {
    const ctx = createExecutionContext()
    const res = await app.fetch(
      new Request(`http://cq${pathAndQuery}`, { headers: await signLink(SECRET, 'Sichuan', pathAndQuery) }),
      envOf('Chongqing', { Sichuan: UNREACHABLE }),
      ctx,
    )
    await waitOnExecutionContext(ctx)
    return res
  }
  const link = { province: 'Sichuan', peers: ['Chongqing'] }

  it("a Fy(a-) search from Sichuan finds Chongqing's donors, saying the province, with no more than the pool needs", async () => {
    const a = `Fy(a-)K${uid('').slice(-5)}`
    const cq = await donor('CQ', { antigens: a, lastWholeBloodAt: new Date(Date.now() - 200 * 86_400_000).toISOString() })
    const deferred = await donor('CQ', { antigens: a })
    await call('POST', '/api/deferrals', { body: { donorCode: deferred, siteId: 'CQ', reason: 'medical', from: '2026-01-01T00:00:00Z', until: null } })
    const res = await searchDonors(env.DB, actor, { antigens: a, abo: 'O', rhd: '+', component: 'RBC' }, link, chongqing)
    expect(res.peers).toHaveLength(1)
    const [peer] = res.peers
    expect(peer).toMatchObject({ province: 'Chongqing', reachable: true, error: null, total: 1 })
    expect(peer!.donors!.map((d) => d.code)).toEqual([cq])
    const d = peer!.donors![0]!
    expect(Object.keys(d).sort()).toEqual(['abo', 'antigens', 'code', 'consent', 'eligibleFrom', 'eligibleNow', 'rhd', 'station'])
    expect(d.station).toEqual({ id: 'CQ', nameZh: '重庆市血液中心', nameEn: 'Chongqing Blood Center', city: 'Chongqing' })
    expect(d.eligibleNow).toBe(true)
    // Chongqing audited the read as Sichuan's, naming who asked
    const audit = await env.DB.prepare("SELECT detail FROM audit_log WHERE action = 'donor.read' AND actor_id = 'link:Sichuan' AND entity_id = ?1")
      .bind(cq)
      .first<string>('detail')
    expect(JSON.parse(audit!)).toMatchObject({ via: 'link', by: 'Test Coordinator', siteId: 'CQ' })
    // a planner gets the counts only
    const planner = await searchDonors(env.DB, { ...actor, id: 'u-planner', role: 'planner' }, { antigens: a, component: 'RBC' }, link, chongqing)
    expect(planner.peers[0]).toMatchObject({ reachable: true, total: 1, donors: null })
  })

  it('a province that does not answer is shown as unreachable, not silently missing', async () => {
    const res = await callIn('Sichuan', 'GET', `/api/donors?antigens=${encodeURIComponent('Fy(a-)')}&abo=O&rhd=%2B`)
    expect(res.status, res.text).toBe(200)
    expect(res.json.peers).toEqual([{ province: 'Chongqing', reachable: false, error: expect.any(String), total: null, eligibleNow: null, donors: null }])
    // one-region mode asks nobody
    expect((await call('GET', '/api/donors?antigens=Fy(a-)')).json.peers).toEqual([])
  })

  it('the peer endpoint answers only a signed, unaltered request from a linked province', async () => {
    const q = `/api/link/donors?component=RBC&antigens=${encodeURIComponent('Fy(a-)')}`
    const cqEnv = envOf('Chongqing', { Sichuan: UNREACHABLE })
    const get = async (headers: Record<string, string>, path = q) => {
      const ctx = createExecutionContext()
      const res = await app.fetch(new Request(`http://cq${path}`, { headers }), cqEnv, ctx)
      await waitOnExecutionContext(ctx)
      return res
    }
    expect((await get(await signLink(SECRET, 'Sichuan', q))).status).toBe(200)
    expect((await get({})).status).toBe(401)
    expect((await get(await signLink('wrong-secret', 'Sichuan', q))).status).toBe(401)
    expect((await get(await signLink(SECRET, 'Hubei', q))).status).toBe(401) // not a linked province
    // the query is signed: a search altered on the way is refused
    expect((await get(await signLink(SECRET, 'Sichuan', q), q.replace('RBC', 'PLT'))).status).toBe(401)
    // a bearer token is no way in
    expect((await get({ authorization: `Bearer ${TOKENS.coordinator}` })).status).toBe(401)
  })
})

describe("call-ups of the other province's donors", () => {
  /** Sichuan asks for Chongqing donor(s); the request message is applied in "Chongqing". */
  async function ask(codes: string[], site = 'YB') {
    const req = await fyRequest(site)
    const asked = await callIn('Sichuan', 'POST', '/api/callup-links', {
      body: { requestId: req, province: 'Chongqing', donorCodes: codes, note: '患者抗-Fya' },
    })
    expect(asked.status, asked.text).toBe(201)
    const [row] = await outbox('callup.request', asked.json.id)
    expect(await applyLinkMessage(env.DB, asMessage(row!, 'Sichuan'))).toEqual({ outcome: 'applied' })
    return { req, id: asked.json.id as string, asked: asked.json }
  }
  const outcomeBack = async (id: string) => {
    const rows = await outbox('callup.outcome', id)
    expect(rows).toHaveLength(1)
    expect(rows[0]!.to_province).toBe('Sichuan')
    return applyLinkMessage(env.DB, asMessage(rows[0]!, 'Chongqing'))
  }

  it('Sichuan asks, Chongqing sees it pending, issues the call-up in its own system, and the outcome travels back', async () => {
    const code = await donor('CQ')
    const cursor = (await call('GET', '/api/events')).json.cursor
    const { req, id, asked } = await ask([code])
    // Chongqing's coordinators are alerted through the events feed (the UI polls it every 5 s)
    const events = (await callIn('Chongqing', 'GET', `/api/events?since=${cursor}`)).json.events
    expect(events).toContainEqual(expect.objectContaining({ entity: 'callup_link', action: 'callup_link.receive', entityId: id, urgency: 'emergency' }))
    expect(asked).toMatchObject({ direction: 'out', province: 'Chongqing', requestId: req, status: 'pending', donorCodes: [code], requestSite: { id: 'YB' } })
    // Chongqing's coordinator sees it, with what it is for
    const pending = await callIn('Chongqing', 'GET', '/api/callup-links?direction=in&status=pending')
    const inbound = pending.json.requests.find((r: { id: string }) => r.id === id)
    expect(inbound).toMatchObject({
      province: 'Sichuan',
      requestSite: { id: 'YB', nameZh: '宜宾市中心血站' },
      antigens: 'Fy(a-)',
      urgency: 'emergency',
      note: '患者抗-Fya',
    })
    expect(
      await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'callup_link.receive' AND entity_id = ?1 AND actor_id = 'link:Sichuan'")
        .bind(id)
        .first('n'),
    ).toBe(1)
    // a director may not decide for the province, a planner sees nothing
    expect((await callIn('Chongqing', 'POST', `/api/callup-links/${id}/issue`, { as: 'director', body: {} })).status).toBe(403)
    expect((await callIn('Chongqing', 'GET', '/api/callup-links', { as: 'planner' })).status).toBe(403)
    const issued = await callIn('Chongqing', 'POST', `/api/callup-links/${id}/issue`, { body: { note: '已联系' } })
    expect(issued.status, issued.text).toBe(200)
    expect(issued.json).toMatchObject({ direction: 'in', status: 'issued', decidedBy: 'Test Coordinator' })
    const callupId = issued.json.callups[0].callupId
    expect(issued.json.callups).toEqual([{ donorCode: code, callupId }])
    // the existing call-up flow: an asked call-up at the donor's station, for an aid request recorded in Chongqing
    const cu = await call('GET', `/api/callups/${callupId}`)
    expect(cu.json).toMatchObject({ donorCode: code, siteId: 'CQ', status: 'asked', requestId: issued.json.localRequest })
    const local = await call('GET', `/api/requests/${issued.json.localRequest}`)
    expect(local.json).toMatchObject({ siteId: 'CQ', component: 'RBC', abo: 'O', rhd: '+', antigens: 'Fy(a-)', qty: 2, urgency: 'emergency' })
    expect(local.json.reason).toContain(req)
    // deciding twice: 409, nothing sent twice
    const again = await callIn('Chongqing', 'POST', `/api/callup-links/${id}/decline`, { body: {} })
    expect(again.status).toBe(409)
    expect(again.json.error.code).toBe('callup_link_decided')
    expect(await outcomeBack(id)).toEqual({ outcome: 'applied' })
    const back = await callIn('Sichuan', 'GET', `/api/callup-links?direction=out&request=${req}`)
    expect(back.json.requests).toEqual([expect.objectContaining({ id, status: 'issued', callups: [{ donorCode: code, callupId }], decisionNote: '已联系' })])
  })

  it("the issued call-up's progress in Chongqing travels back: scheduled, then declined, on Sichuan's request", async () => {
    const code = await donor('CQ')
    const { id } = await ask([code])
    const issued = await callIn('Chongqing', 'POST', `/api/callup-links/${id}/issue`, { body: {} })
    expect(await outcomeBack(id)).toEqual({ outcome: 'applied' })
    const callupId = issued.json.callups[0].callupId as string
    const progress = async () => {
      const rows = await outbox('callup.progress', callupId)
      for (const r of rows) await applyLinkMessage(env.DB, asMessage(r, 'Chongqing')) // a replay of an earlier one answers replay
      return rows
    }
    const scheduled = await callIn('Chongqing', 'POST', `/api/callups/${callupId}/status`, {
      body: { status: 'scheduled', scheduledAt: new Date(Date.now() + 86_400_000).toISOString() },
    })
    expect(scheduled.status, scheduled.text).toBe(200)
    expect((await progress()).map((r) => [r.to_province, JSON.parse(r.body).status])).toEqual([['Sichuan', 'scheduled']])
    expect((await callIn('Sichuan', 'GET', `/api/callup-links/${id}`)).json.callups).toEqual([{ donorCode: code, callupId, status: 'scheduled' }])
    await callIn('Chongqing', 'POST', `/api/callups/${callupId}/status`, { body: { status: 'declined', note: '出差' } })
    expect((await progress()).map((r) => JSON.parse(r.body).status)).toEqual(['scheduled', 'declined'])
    expect((await callIn('Sichuan', 'GET', `/api/callup-links/${id}`)).json.callups).toEqual([{ donorCode: code, callupId, status: 'declined' }])
    // a call-up of Chongqing's own (no request from another province) sends nothing
    const own = await addRequest({ site: 'CQ', qty: 2, antigens: 'Fy(a-)', neededInHours: 48 })
    const mine = await donor('CQ')
    const cu = await callIn('Chongqing', 'POST', '/api/callups', { body: { requestId: own, donorCodes: [mine] } })
    expect(cu.status, cu.text).toBe(201)
    await callIn('Chongqing', 'POST', `/api/callups/${cu.json.callups[0].id}/status`, { body: { status: 'declined' } })
    expect(await outbox('callup.progress', cu.json.callups[0].id)).toEqual([])
  })

  it('a deferred donor is refused when Chongqing issues: 409 donor_deferred, nothing recorded or sent', async () => {
    const code = await donor('CQ')
    const { id } = await ask([code])
    await call('POST', '/api/deferrals', { body: { donorCode: code, siteId: 'CQ', reason: 'medical', from: '2026-01-01T00:00:00Z', until: null } })
    const refused = await callIn('Chongqing', 'POST', `/api/callup-links/${id}/issue`, { body: {} })
    expect(refused.status, refused.text).toBe(409)
    expect(refused.json.error).toMatchObject({ code: 'donor_deferred', field: 'donorCodes.0' })
    expect((await callIn('Chongqing', 'GET', '/api/callup-links?direction=in&status=pending')).json.requests.map((r: { id: string }) => r.id)).toContain(id)
    expect(await outbox('callup.outcome', id)).toEqual([])
    // so Chongqing declines, saying why, and that travels back
    const declined = await callIn('Chongqing', 'POST', `/api/callup-links/${id}/decline`, { body: { note: '献血者已屏蔽' } })
    expect(declined.json).toMatchObject({ status: 'declined', callups: [] })
    expect(await outcomeBack(id)).toEqual({ outcome: 'applied' })
    const out = (await callIn('Sichuan', 'GET', `/api/callup-links/${id}`)).json
    expect(out).toMatchObject({ direction: 'out', status: 'declined', decisionNote: '献血者已屏蔽' })
  })

  it("asking is refused for a province not linked (400 province), in one-region mode (409), by another station's director (403), for a closed request (409)", async () => {
    const code = await donor('CQ')
    const req = await fyRequest('CD')
    const body = { requestId: req, province: 'Chongqing', donorCodes: [code] }
    const hubei = await callIn('Sichuan', 'POST', '/api/callup-links', { body: { ...body, province: 'Hubei' } })
    expect(hubei.status).toBe(400)
    expect(hubei.json.error.field).toBe('province')
    expect((await call('POST', '/api/callup-links', { body })).status).toBe(409)
    expect((await callIn('Sichuan', 'POST', '/api/callup-links', { as: 'directorYB', body })).status).toBe(403)
    await env.DB.prepare("UPDATE aid_request SET status = 'cancelled' WHERE id = ?1").bind(req).run()
    const closed = await callIn('Sichuan', 'POST', '/api/callup-links', { body })
    expect(closed.status).toBe(409)
    expect(closed.json.error.code).toBe('request_closed')
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM callup_link WHERE request_id = ?1').bind(req).first('n')).toBe(0)
  })

  it('a call-up request or outcome body that fails its schema is kept as rejected', async () => {
    const m = (kind: string, body: unknown): LinkMessage => ({
      id: uid('lnk_').toLowerCase(),
      from: 'Sichuan',
      to: 'Chongqing',
      kind,
      body,
      at: new Date().toISOString(),
    })
    const noDonors = await applyLinkMessage(env.DB, m('callup.request', { id: 'clk_0123456789abcdef', requestId: 'R1', donorCodes: [] }))
    expect(noDonors.outcome).toBe('rejected')
    const badStatus = await applyLinkMessage(
      env.DB,
      m('callup.outcome', { id: 'clk_0123456789abcdef', status: 'maybe', callups: [], note: '', decidedBy: 'x', decidedAt: new Date().toISOString() }),
    )
    expect(badStatus).toMatchObject({ outcome: 'rejected', error: expect.stringContaining('status') })
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM callup_link WHERE id = 'clk_0123456789abcdef'").first('n')).toBe(0)
  })
})
