import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { recordFulfilment, setRequestStatus } from '../../../worker/services/requests'
import type { Actor } from '../../../worker/services/auth'
import { call, seedBase, uid } from '../fixtures'

beforeAll(() => seedBase())

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString()
const valid = (over: Record<string, unknown> = {}) => ({
  siteId: 'YB',
  component: 'RBC',
  abo: 'O',
  rhd: '+',
  qty: 12,
  urgency: 'urgent',
  neededBy: inHours(24),
  reason: '车祸伤员，O型红细胞不足',
  ...over,
})
const consent = (over: Record<string, unknown> = {}) => ({
  consentBy: '患者之子 王某（代理人）',
  consentAt: inHours(-1),
  antiDScreen: 'negative',
  patientNote: '男，70岁，消化道大出血，失血性休克',
  ...over,
})
const rhNeg = (over: Record<string, unknown> = {}) => valid({ rhd: '-', urgency: 'emergency', allowRhPositive: true, rhPositiveConsent: consent(), ...over })
const auditFor = async (id: string) =>
  (
    await env.DB.prepare('SELECT actor_id AS actorId, action, detail FROM audit_log WHERE entity = ?1 AND entity_id = ?2 ORDER BY id')
      .bind('aid_request', id)
      .all<{ actorId: string; action: string; detail: string }>()
  ).results.map((r) => ({ ...r, detail: JSON.parse(r.detail) }))

describe('POST /api/requests', () => {
  it('files a request for the director’s own site, audited', async () => {
    const res = await call('POST', '/api/requests', { as: 'directorYB', body: valid({ antigens: ' Fy(a-), ,Jk(a-b-)' }) })
    expect(res.status).toBe(201)
    expect(res.json).toMatchObject({
      siteId: 'YB',
      component: 'RBC',
      abo: 'O',
      rhd: '+',
      qty: 12,
      fulfilledQty: 0,
      urgency: 'urgent',
      status: 'open',
      allowRhPositive: false,
      antigens: 'Fy(a-),Jk(a-b-)',
      createdBy: 'u-dir-yb',
    })
    expect(res.json.id).toMatch(/^req_/)
    const audit = await auditFor(res.json.id)
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ actorId: 'u-dir-yb', action: 'request.create', detail: { siteId: 'YB', qty: 12 } })
    const got = await call('GET', `/api/requests/${res.json.id}`, { as: 'planner' })
    expect(got.status).toBe(200)
    expect(got.json).toEqual(res.json)
  })

  it('lets a coordinator or admin file for any site, and accepts an RhD-negative emergency with the consent record', async () => {
    const record = consent()
    const coord = await call('POST', '/api/requests', {
      body: valid({ siteId: 'NC', rhd: '-', urgency: 'emergency', allowRhPositive: true, rhPositiveConsent: record }),
    })
    expect(coord.status, coord.text).toBe(201)
    expect(coord.json).toMatchObject({ siteId: 'NC', rhd: '-', allowRhPositive: true, createdBy: 'u-coord', rhPositiveConsent: record })
    const audit = await auditFor(coord.json.id)
    expect(audit[0].detail.rhPositiveConsent).toMatchObject({ consentBy: consent().consentBy, antiDScreen: 'negative' })
    expect((await call('GET', `/api/requests/${coord.json.id}`)).json.rhPositiveConsent.patientNote).toBe(consent().patientNote)
    const admin = await call('POST', '/api/requests', { as: 'admin', body: valid({ siteId: 'CQ', component: 'PLT' }) })
    expect(admin.status).toBe(201)
  })

  it('the database refuses RhD-positive without the record, whoever writes (trigger)', async () => {
    const insert = (consentBy: string | null, screen: string | null) =>
      env.DB.prepare(
        `INSERT INTO aid_request (id, site_id, component, abo, rhd, qty, urgency, allow_rh_positive, reason, created_by, created_at, updated_at,
         rh_consent_by, rh_consent_at, rh_anti_d_screen, rh_patient_note)
       VALUES (?1, 'YB', 'RBC', 'O', '-', 2, 'emergency', 1, 'x', 'u-coord', ?2, ?2, ?3, ?2, ?4, 'man, 70')`,
      )
        .bind(uid('req'), inHours(0), consentBy, screen)
        .run()
    await expect(insert(null, 'negative')).rejects.toThrow(/rh_consent/)
    await expect(insert('son', null)).rejects.toThrow(/rh_consent/)
    await expect(insert('son', 'positive')).rejects.toThrow(/rh_consent|CHECK constraint failed/)
    await expect(insert('son', 'negative')).resolves.toBeTruthy()
    const filed = await call('POST', '/api/requests', { as: 'directorYB', body: rhNeg() })
    expect(filed.status, filed.text).toBe(201)
    await expect(env.DB.prepare('UPDATE aid_request SET rh_consent_by = NULL WHERE id = ?1').bind(filed.json.id).run()).rejects.toThrow(/rh_consent/)
  })

  it('400 naming the field for each kind of bad input', async () => {
    const { reason: _omit, ...noReason } = valid()
    const cases: [unknown, string][] = [
      [valid({ qty: 0 }), 'qty'],
      [valid({ qty: -1 }), 'qty'],
      [valid({ qty: 1.5 }), 'qty'],
      [valid({ qty: '3' }), 'qty'],
      [valid({ urgency: 'asap' }), 'urgency'],
      [valid({ abo: 'C' }), 'abo'],
      [valid({ rhd: 'neg' }), 'rhd'],
      [valid({ component: 'BLOOD' }), 'component'],
      [valid({ neededBy: inHours(-1) }), 'neededBy'],
      [valid({ neededBy: 'tomorrow' }), 'neededBy'],
      [valid({ neededBy: '2026-13-01T00:00:00Z' }), 'neededBy'],
      [valid({ neededBy: '9999-12-31T00:00:00Z' }), 'neededBy'], // outside 2000–2100
      [valid({ neededBy: inHours(91 * 24) }), 'neededBy'], // more than 90 days ahead
      [noReason, 'reason'],
      [valid({ reason: '   ' }), 'reason'],
      [valid({ siteId: 'yb' }), 'siteId'],
      [valid({ allowRhPositive: true }), 'allowRhPositive'], // RhD+ need
      [valid({ rhd: '-', allowRhPositive: true, urgency: 'routine' }), 'allowRhPositive'], // not an emergency
      [valid({ antigens: 'Fy(a-);DROP' }), 'antigens'],
      // RhD-positive for an RhD-negative patient: the whole consent record, or 400 naming what is missing
      [rhNeg({ rhPositiveConsent: undefined }), 'rhPositiveConsent'],
      [rhNeg({ allowRhPositive: false }), 'rhPositiveConsent'],
      [rhNeg({ rhPositiveConsent: consent({ consentBy: ' ' }) }), 'rhPositiveConsent.consentBy'],
      [rhNeg({ rhPositiveConsent: consent({ consentAt: inHours(2) }) }), 'rhPositiveConsent.consentAt'],
      [rhNeg({ rhPositiveConsent: consent({ consentAt: 'yesterday' }) }), 'rhPositiveConsent.consentAt'],
      [rhNeg({ rhPositiveConsent: consent({ antiDScreen: 'positive' }) }), 'rhPositiveConsent.antiDScreen'],
      [rhNeg({ rhPositiveConsent: consent({ antiDScreen: undefined }) }), 'rhPositiveConsent.antiDScreen'],
      [rhNeg({ rhPositiveConsent: consent({ patientNote: '' }) }), 'rhPositiveConsent.patientNote'],
      [valid({ colour: 'red' }), 'colour'], // an unknown key is named
    ]
    for (const [body, field] of cases) {
      const res = await call('POST', '/api/requests', { as: 'directorYB', body })
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.json.error.code).toBe('invalid_input')
      if (field) expect(res.json.error.field, JSON.stringify(body)).toBe(field)
    }
    const unknownSite = await call('POST', '/api/requests', { body: valid({ siteId: 'ZZ9' }) })
    expect(unknownSite.status).toBe(400)
    expect(unknownSite.json.error.field).toBe('siteId')
    const noBody = await call('POST', '/api/requests', { as: 'directorYB' })
    expect(noBody.status).toBe(400)
    const n = await env.DB.prepare("SELECT COUNT(*) AS n FROM aid_request WHERE created_by = 'u-dir-yb' AND qty <> 12").first<{ n: number }>()
    expect(n!.n).toBe(0)
  })

  it('401 without a token, 403 for a planner or another site’s director', async () => {
    expect((await call('POST', '/api/requests', { as: null, body: valid() })).status).toBe(401)
    const planner = await call('POST', '/api/requests', { as: 'planner', body: valid() })
    expect(planner.status).toBe(403)
    expect(planner.json.error.code).toBe('forbidden')
    const other = await call('POST', '/api/requests', { as: 'director', body: valid({ siteId: 'YB' }) })
    expect(other.status).toBe(403)
    const count = await env.DB.prepare("SELECT COUNT(*) AS n FROM aid_request WHERE created_by IN ('u-planner', 'u-dir-cd')").first<{ n: number }>()
    expect(count!.n).toBe(0)
  })

  it('applies a retry with the same Idempotency-Key once', async () => {
    const key = `key-${uid()}`
    const body = valid({ qty: 7, neededBy: inHours(30) })
    const first = await call('POST', '/api/requests', { as: 'directorYB', body, headers: { 'idempotency-key': key } })
    expect(first.status).toBe(201)
    const again = await call('POST', '/api/requests', { as: 'directorYB', body, headers: { 'idempotency-key': key } })
    expect(again.status).toBe(200)
    expect(again.json).toEqual(first.json)
    expect(first.headers.get('idempotent-replayed')).toBeNull()
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    const rows = await env.DB.prepare('SELECT COUNT(*) AS n FROM aid_request WHERE idempotency_key = ?1').bind(key).first<{ n: number }>()
    expect(rows!.n).toBe(1)
    expect(await auditFor(first.json.id)).toHaveLength(1)
    const different = await call('POST', '/api/requests', { as: 'directorYB', body: { ...body, qty: 8 }, headers: { 'idempotency-key': key } })
    expect(different.status).toBe(409)
    expect(different.json.error).toMatchObject({ code: 'idempotency_key_reused', field: 'idempotency-key' })
    // the key is per user: a coordinator using the same key files a request of their own
    const coord = await call('POST', '/api/requests', { body, headers: { 'idempotency-key': key } })
    expect(coord.status).toBe(201)
    expect(coord.json.id).not.toBe(first.json.id)
  })

  it('files concurrent retries once', async () => {
    const key = `key-${uid()}`
    const body = valid({ qty: 5, neededBy: inHours(40) })
    const results = await Promise.all([1, 2, 3].map(() => call('POST', '/api/requests', { as: 'directorYB', body, headers: { 'idempotency-key': key } })))
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 201])
    expect(new Set(results.map((r) => r.json.id)).size).toBe(1)
  })
})

describe('GET /api/requests', () => {
  it('lists most urgent first and filters', async () => {
    const site = 'NC'
    const made = []
    for (const [urgency, h] of [
      ['routine', 10],
      ['emergency', 30],
      ['urgent', 5],
      ['emergency', 8],
    ] as const)
      made.push((await call('POST', '/api/requests', { body: valid({ siteId: site, component: 'FFP', urgency, neededBy: inHours(h) }) })).json)
    const list = await call('GET', `/api/requests?site=${site}&component=FFP`, { as: 'directorYB' })
    expect(list.status).toBe(200)
    expect(list.json.requests.map((r: any) => r.id)).toEqual([made[3].id, made[1].id, made[2].id, made[0].id])
    const urgent = await call('GET', `/api/requests?site=${site}&urgency=urgent&component=FFP`, { as: 'planner' })
    expect(urgent.json.requests.map((r: any) => r.id)).toEqual([made[2].id])
    const future = await call('GET', `/api/requests?since=${encodeURIComponent(inHours(1))}`)
    expect(future.json.requests).toEqual([])
    const recent = await call('GET', `/api/requests?component=FFP&since=${encodeURIComponent(made[0].createdAt)}`)
    expect(recent.json.requests.map((r: any) => r.id).sort()).toEqual(made.map((r) => r.id).sort())
    const cancelled = await call('GET', '/api/requests?status=cancelled&site=ZG')
    expect(cancelled.json.requests).toEqual([])
  })

  it('400 for a bad filter, 401 without a token', async () => {
    const bad = await call('GET', '/api/requests?urgency=soon')
    expect(bad.status).toBe(400)
    expect(bad.json.error.field).toBe('urgency')
    expect((await call('GET', '/api/requests?status=done')).json.error.field).toBe('status')
    expect((await call('GET', '/api/requests?since=yesterday')).json.error.field).toBe('since')
    expect((await call('GET', '/api/requests', { as: null })).status).toBe(401)
  })

  it('404 for an unknown id', async () => {
    const res = await call('GET', '/api/requests/req_nope')
    expect(res.status).toBe(404)
    expect(res.json.error.code).toBe('not_found')
  })
})

describe('POST /api/requests/{id}/cancel', () => {
  it('cancels once, audited with from and to; a second cancel is 409', async () => {
    const made = (await call('POST', '/api/requests', { as: 'directorYB', body: valid() })).json
    const res = await call('POST', `/api/requests/${made.id}/cancel`, { as: 'directorYB', body: { reason: '已从本地调到' } })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ id: made.id, status: 'cancelled' })
    const again = await call('POST', `/api/requests/${made.id}/cancel`, { as: 'directorYB' })
    expect(again.status).toBe(409)
    expect(again.json.error.code).toBe('request_not_cancellable')
    const audit = await auditFor(made.id)
    expect(audit.map((a) => a.action)).toEqual(['request.create', 'request.cancel'])
    expect(audit[1]).toMatchObject({ actorId: 'u-dir-yb', detail: { from: 'open', to: 'cancelled', reason: '已从本地调到' } })
  })

  it('lets a coordinator cancel without a body; concurrent cancels apply once', async () => {
    const made = (await call('POST', '/api/requests', { as: 'directorYB', body: valid() })).json
    const results = await Promise.all([1, 2].map(() => call('POST', `/api/requests/${made.id}/cancel`)))
    expect(results.map((r) => r.status).sort()).toEqual([200, 409])
    expect((await auditFor(made.id)).filter((a) => a.action === 'request.cancel')).toHaveLength(1)
  })

  it('403 for a planner or another site’s director, 404 unknown, 401 without token', async () => {
    const made = (await call('POST', '/api/requests', { as: 'directorYB', body: valid() })).json
    expect((await call('POST', `/api/requests/${made.id}/cancel`, { as: 'planner' })).status).toBe(403)
    expect((await call('POST', `/api/requests/${made.id}/cancel`, { as: 'director' })).status).toBe(403)
    expect((await call('POST', `/api/requests/${made.id}/cancel`, { as: null })).status).toBe(401)
    expect((await call('POST', '/api/requests/req_nope/cancel')).status).toBe(404)
    expect((await call('GET', `/api/requests/${made.id}`)).json.status).toBe('open')
    expect(await auditFor(made.id)).toHaveLength(1)
  })
})

describe('setRequestStatus and recordFulfilment (for plans and transfers)', () => {
  const coordinator: Actor = { id: 'u-coord', name: 'Test Coordinator', role: 'coordinator', siteId: null }

  it('moves open → planned → partly_fulfilled → fulfilled, each audited; refuses moves out of a final status', async () => {
    const made = (await call('POST', '/api/requests', { as: 'directorYB', body: valid({ qty: 10 }) })).json
    const planned = await env.DB.batch(setRequestStatus(env.DB, coordinator, made.id, 'planned', undefined, { planId: 'plan_1' }))
    expect(planned[1].meta.changes).toBe(1)
    const part = await env.DB.batch(recordFulfilment(env.DB, coordinator, made.id, 4, { transferId: 'tr_1' }))
    expect(part[1].meta.changes).toBe(1)
    let now = (await call('GET', `/api/requests/${made.id}`)).json
    expect(now).toMatchObject({ status: 'partly_fulfilled', fulfilledQty: 4 })
    await env.DB.batch(recordFulfilment(env.DB, coordinator, made.id, 9))
    now = (await call('GET', `/api/requests/${made.id}`)).json
    expect(now).toMatchObject({ status: 'fulfilled', fulfilledQty: 10 })
    const stuck = await env.DB.batch(setRequestStatus(env.DB, coordinator, made.id, 'open'))
    expect(stuck[1].meta.changes).toBe(0)
    expect((await call('POST', `/api/requests/${made.id}/cancel`)).status).toBe(409)
    const audit = await auditFor(made.id)
    expect(audit.map((a) => a.action)).toEqual(['request.create', 'request.status', 'request.fulfil', 'request.fulfil'])
    expect(audit[1].detail).toMatchObject({ from: 'open', to: 'planned', planId: 'plan_1' })
    expect(audit[2].detail).toMatchObject({ from: 'planned', to: 'partly_fulfilled', added: 4, fulfilledQty: 4, transferId: 'tr_1' })
    expect(audit[3].detail).toMatchObject({ from: 'partly_fulfilled', to: 'fulfilled', added: 9, fulfilledQty: 10 })
  })

  it('a planned request can still be cancelled, and then no longer fulfilled', async () => {
    const made = (await call('POST', '/api/requests', { as: 'directorYB', body: valid() })).json
    await env.DB.batch(setRequestStatus(env.DB, coordinator, made.id, 'planned'))
    const res = await call('POST', `/api/requests/${made.id}/cancel`, { as: 'directorYB' })
    expect(res.status).toBe(200)
    expect((await auditFor(made.id)).at(-1)!.detail).toMatchObject({ from: 'planned', to: 'cancelled' })
    const late = await env.DB.batch(recordFulfilment(env.DB, coordinator, made.id, 3))
    expect(late[1].meta.changes).toBe(0)
    expect((await call('GET', `/api/requests/${made.id}`)).json).toMatchObject({ status: 'cancelled', fulfilledQty: 0 })
  })
})

describe('OpenAPI', () => {
  it('documents the request routes', async () => {
    const res = await call('GET', '/api/openapi.json', { as: null })
    expect(Object.keys(res.json.paths)).toEqual(expect.arrayContaining(['/api/requests', '/api/requests/{id}', '/api/requests/{id}/cancel']))
    expect(res.json.components.schemas.AidRequestCreate).toBeDefined()
  })
})
