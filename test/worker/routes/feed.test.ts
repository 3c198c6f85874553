// Stock feeds for machines (issue 23): an admin makes a machine token for a site (a user of role 'feed'), which
// posts a stock snapshot or a batch of movements as JSON or CSV, applied whole under the batch key, every bad line
// answered at once; it reaches nothing else.
import { env, exports } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { checkResponse } from '../contract'
import { call, receiveLot, seedBase, uid } from '../fixtures'

const HOSP = 'YBFEED1'
let ybToken = ''
let ybUser = ''
let hospToken = ''

/** A call with a machine token (the fixtures' call() knows only the seeded users' tokens). */
async function asFeed(token: string, method: string, path: string, opts: { json?: unknown; csv?: string; key?: string } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` }
  if (opts.key) headers['idempotency-key'] = opts.key
  let body: string | undefined
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(opts.json)
  } else if (opts.csv !== undefined) {
    headers['content-type'] = 'text/csv'
    body = opts.csv
  }
  const res = await exports.default.fetch(`http://test${path}`, { method, headers, body })
  const text = await res.text()
  const json = text ? JSON.parse(text) : undefined
  await checkResponse(method, path, res.status, res.headers.get('content-type'), json)
  return { status: res.status, json, headers: res.headers }
}

const qtyOf = (lot: string) => env.DB.prepare('SELECT qty FROM lot WHERE id = ?1').bind(lot).first<number>('qty')
const batchesOf = (user: string) => env.DB.prepare('SELECT COUNT(*) AS n FROM movement_batch WHERE actor_id = ?1').bind(user).first<number>('n')
const days = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString()

beforeAll(async () => {
  await seedBase()
  await env.DB.prepare("INSERT OR IGNORE INTO hospital (id, site_id, name_zh, created_at) VALUES (?1, 'YB', '宜宾市第三人民医院', '2026-01-01T00:00:00Z')")
    .bind(HOSP)
    .run()
  const yb = await call('POST', '/api/users', {
    as: 'admin',
    body: { name: '宜宾血站 LIS', role: 'feed', siteId: 'YB', tokenLabel: 'LIS 接口', expiresInDays: 30 },
  })
  expect(yb.status, JSON.stringify(yb.json)).toBe(201)
  ybToken = yb.json.token.token
  ybUser = yb.json.user.id
  const hosp = await call('POST', '/api/users', { as: 'admin', body: { name: '三院输血科 HIS', role: 'feed', siteId: HOSP, tokenLabel: 'HIS' } })
  expect(hosp.status).toBe(201)
  hospToken = hosp.json.token.token
})

describe('machine tokens', () => {
  it('an admin makes one for a site: a feed user with a labelled, expiring token, listed with the others', async () => {
    const list = await call('GET', '/api/users', { as: 'admin' })
    const u = list.json.users.find((x: any) => x.id === ybUser)
    expect(u).toMatchObject({ role: 'feed', siteId: 'YB', disabled: false })
    expect(u.tokens).toHaveLength(1)
    expect(u.tokens[0]).toMatchObject({ label: 'LIS 接口', status: 'active' })
    const days30 = Date.parse(u.tokens[0].expiresAt) - Date.parse(u.tokens[0].createdAt)
    expect(days30).toBe(30 * 86_400_000)
    // a feed needs its site; only an admin makes one
    const noSite = await call('POST', '/api/users', { as: 'admin', body: { name: 'LIS', role: 'feed' } })
    expect(noSite.status).toBe(400)
    expect(noSite.json.error.field).toBe('siteId')
    expect((await call('POST', '/api/users', { as: 'coordinator', body: { name: 'LIS', role: 'feed', siteId: 'YB' } })).status).toBe(403)
  })

  it('reaches only its own site’s feed: 403 on every other route and on another site’s feed', async () => {
    for (const [method, path] of [
      ['GET', '/api/me'],
      ['GET', '/api/stock?site=YB'],
      ['GET', '/api/movements?site=YB'],
      ['GET', '/api/reports/supply?site=YB'],
      ['GET', '/api/users'],
    ] as const) {
      const r = await asFeed(ybToken, method, path)
      expect(r.status, path).toBe(403)
    }
    const lot = await receiveLot('YB', { qty: 5 })
    const write = await asFeed(ybToken, 'POST', '/api/movements', { key: uid('fd-'), json: { siteId: 'YB', kind: 'discard', lotId: lot, qty: 1, reason: 'x' } })
    expect(write.status).toBe(403)
    const other = await asFeed(ybToken, 'POST', '/api/feed/snapshot?site=NC', {
      key: uid('fd-'),
      json: { lines: [{ lotId: uid('L'), component: 'RBC', abo: 'O', rhd: '+', qty: 1, expiresAt: days(20) }] },
    })
    expect(other.status).toBe(403)
    expect(other.json.error.field).toBe('site')
    // a director writes only their own station's feed too
    const cd = await call('POST', '/api/feed/movements?site=YB', {
      as: 'director',
      headers: { 'idempotency-key': uid('fd-') },
      body: { lines: [{ kind: 'discard', lotId: lot, qty: 1, reason: 'x' }] },
    })
    expect(cd.status).toBe(403)
    expect(await qtyOf(lot)).toBe(5)
  })

  it('revoked, it answers 401 token_revoked at once', async () => {
    const made = await call('POST', '/api/users', { as: 'admin', body: { name: 'old LIS', role: 'feed', siteId: 'YB', tokenLabel: 'old' } })
    const token = made.json.token.token
    const snap = { lines: [{ lotId: uid('L'), component: 'PLT', abo: 'A', rhd: '+', qty: 2, expiresAt: days(3) }] }
    expect((await asFeed(token, 'POST', '/api/feed/snapshot?site=YB', { key: uid('fd-'), json: { ...snap, complete: false } })).status).toBe(201)
    expect((await call('DELETE', `/api/users/${made.json.user.id}/tokens`, { as: 'admin' })).json.revoked).toBe(1)
    const after = await asFeed(token, 'POST', '/api/feed/snapshot?site=YB', { key: uid('fd-'), json: { ...snap, complete: false } })
    expect(after.status).toBe(401)
    expect(after.json.error.code).toBe('token_revoked')
  })
})

describe('POST /api/feed/snapshot', () => {
  it('brings the ledger to the counts: known lots adjusted, new lots received, unlisted lots counted 0; once per batch key', async () => {
    // the hospital's blood bank holds two lots (sent by its station), then its system reports its whole stock
    const a = await receiveLot(HOSP, { qty: 10, abo: 'A' })
    const b = await receiveLot(HOSP, { qty: 4, abo: 'B' })
    const fresh = uid('BAG')
    const key = uid('snap-')
    const snapshot = {
      lines: [
        { lotId: a, component: 'RBC', abo: 'A', rhd: '+', qty: 7, expiresAt: days(20) },
        { lotId: fresh, component: 'PLT', abo: 'O', rhd: '+', qty: 3, expiresAt: days(4), collectedAt: days(-1) },
      ],
    }
    const r = await asFeed(hospToken, 'POST', `/api/feed/snapshot?site=${HOSP}`, { key, json: snapshot })
    expect(r.status, JSON.stringify(r.json)).toBe(201)
    expect(r.json).toMatchObject({ siteId: HOSP, lines: 2, received: 1, adjusted: 2, createdLots: [fresh] })
    expect([await qtyOf(a), await qtyOf(b), await qtyOf(fresh)]).toEqual([7, 0, 3])
    const rows = await env.DB.prepare('SELECT lot_id AS lotId, kind, delta FROM movement WHERE batch_id = ?1 ORDER BY id').bind(r.json.batchId).all()
    expect(rows.results).toEqual([
      { lotId: a, kind: 'adjust', delta: -3 },
      { lotId: fresh, kind: 'receipt', delta: 3 },
      { lotId: b, kind: 'adjust', delta: -4 },
    ])
    // audited with the machine's user and when
    const audit = await env.DB.prepare("SELECT actor_id AS actorId FROM audit_log WHERE entity_id = ?1 AND action = 'movement.batch'")
      .bind(r.json.batchId)
      .first('actorId')
    expect(audit).toBeTruthy()
    // the same batch again: the stored answer, applied once; the same key for other counts: 409
    const again = await asFeed(hospToken, 'POST', `/api/feed/snapshot?site=${HOSP}`, { key, json: snapshot })
    expect(again.status).toBe(201)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(again.json.batchId).toBe(r.json.batchId)
    expect(again.json.lines).toBe(2)
    expect([await qtyOf(a), await qtyOf(fresh)]).toEqual([7, 3])
    const reused = await asFeed(hospToken, 'POST', `/api/feed/snapshot?site=${HOSP}`, {
      key,
      json: { lines: [{ ...snapshot.lines[0], qty: 6 }], complete: false },
    })
    expect(reused.status).toBe(409)
    expect(reused.json.error.code).toBe('idempotency_key_reused')
  })

  it('answers every bad line at once (lines.N.field) and applies nothing', async () => {
    const lot = await receiveLot('YB', { qty: 12, abo: 'O', component: 'RBC' })
    const before = await batchesOf(ybUser)
    const r = await asFeed(ybToken, 'POST', '/api/feed/snapshot?site=YB', {
      key: uid('snap-'),
      json: {
        complete: false,
        lines: [
          { lotId: lot, component: 'RBC', abo: 'O', rhd: '+', qty: 9, expiresAt: days(20) }, // fine
          { lotId: uid('L'), component: 'RBC', abo: 'C', rhd: '+', qty: 2, expiresAt: days(20) }, // unknown group
          { lotId: uid('L'), component: 'RBC', abo: 'A', rhd: '+', qty: -1, expiresAt: days(20) }, // negative count
          { lotId: lot, component: 'PLT', abo: 'O', rhd: '+', qty: 1, expiresAt: days(2) }, // twice, and another component
        ],
      },
    })
    expect(r.status).toBe(400)
    expect(r.json.error.code).toBe('invalid_lines')
    // the schema's problems and the stock's, together: the repeated lot is named too
    expect(Object.keys(r.json.error.detail).sort()).toEqual(['lines.1.abo', 'lines.2.qty', 'lines.3.lotId'])
    expect(r.json.error.field).toBe('lines.1.abo')
    // the lines that pass the schema are then checked against the stock, every one
    const r2 = await asFeed(ybToken, 'POST', '/api/feed/snapshot?site=YB', {
      key: uid('snap-'),
      json: {
        complete: false,
        lines: [
          { lotId: lot, component: 'PLT', abo: 'A', rhd: '+', qty: 9, expiresAt: days(2) },
          { lotId: uid('L'), component: 'PLT', abo: 'A', rhd: '+', qty: 2, expiresAt: days(30) },
          { lotId: uid('L'), component: 'RBC', abo: 'A', rhd: '+', qty: 2, expiresAt: days(-1) },
        ],
      },
    })
    expect(r2.status).toBe(400)
    expect(Object.keys(r2.json.error.detail).sort()).toEqual(['lines.0.abo', 'lines.0.component', 'lines.1.expiresAt', 'lines.2.expiresAt'])
    expect(await qtyOf(lot)).toBe(12)
    expect(await batchesOf(ybUser)).toBe(before)
  })

  it('takes CSV (the stock-count columns); a bad row is named by its line and column', async () => {
    const lot = await receiveLot('YB', { qty: 8, abo: 'AB', component: 'FFP', expiresAt: days(200) })
    const fresh = uid('BAG')
    const good = `lot_id,component,abo,rhd,qty,expires_at\r\n${lot},FFP,AB,+,5,${days(200).slice(0, 10)}\r\n${fresh},RBC,O,-,2,${days(25).slice(0, 10)}\r\n`
    const bad = `lot_id,component,abo,rhd,qty,expires_at\r\n${lot},FFP,AB,+,5,${days(200).slice(0, 10)}\r\n${fresh},RBC,Q,-,two,soon\r\n`
    const before = await batchesOf(ybUser)
    const r = await asFeed(ybToken, 'POST', '/api/feed/snapshot?site=YB', { key: uid('snap-'), csv: bad })
    expect(r.status).toBe(400)
    expect(Object.keys(r.json.error.detail).sort()).toEqual(['lines.1.abo', 'lines.1.expires_at', 'lines.1.qty'])
    expect(await batchesOf(ybUser)).toBe(before)
    const ok = await asFeed(ybToken, 'POST', '/api/feed/snapshot?site=YB', { key: uid('snap-'), csv: good.replace('lot_id', 'LOT_ID') })
    expect(ok.status, JSON.stringify(ok.json)).toBe(201)
    expect(ok.json).toMatchObject({ lines: 2, received: 1, createdLots: [fresh] })
    expect(await qtyOf(lot)).toBe(5)
    expect(await qtyOf(fresh)).toBe(2)
    expect(await env.DB.prepare('SELECT source FROM movement_batch WHERE id = ?1').bind(ok.json.batchId).first('source')).toBe('csv')
  })
})

describe('POST /api/feed/movements', () => {
  it('applies a batch of movements whole, once per batch key, as JSON or CSV', async () => {
    const lot = await receiveLot('YB', { qty: 20 })
    const bag = uid('BAG')
    const key = uid('mv-')
    const body = {
      lines: [
        { kind: 'receipt', lotId: bag, component: 'RBC', abo: 'A', rhd: '+', qty: 6, collectedAt: days(-1), expiresAt: days(30) },
        { kind: 'issue', lotId: lot, qty: 4, urgency: 'emergency', hospitalId: HOSP },
        { kind: 'discard', lotId: bag, qty: 1, reason: 'bag broken' },
      ],
    }
    const r = await asFeed(ybToken, 'POST', '/api/feed/movements?site=YB', { key, json: body })
    expect(r.status, JSON.stringify(r.json)).toBe(201)
    expect(r.json).toMatchObject({ lines: 3, received: 1, adjusted: 0 })
    expect([await qtyOf(lot), await qtyOf(bag)]).toEqual([16, 5])
    const again = await asFeed(ybToken, 'POST', '/api/feed/movements?site=YB', { key, json: body })
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect([await qtyOf(lot), await qtyOf(bag)]).toEqual([16, 5])

    const csv = `kind,lot_id,qty,reason,hospital_id,urgency,counted_qty\r\nissue,${lot},2,,${HOSP},urgent,\r\nadjust,${bag},,recount,,,3\r\n`
    const c = await asFeed(ybToken, 'POST', '/api/feed/movements?site=YB', { key: uid('mv-'), csv })
    expect(c.status, JSON.stringify(c.json)).toBe(201)
    expect([await qtyOf(lot), await qtyOf(bag)]).toEqual([14, 3])
  })

  it('answers every bad line at once and applies nothing', async () => {
    const lot = await receiveLot('YB', { qty: 5 })
    const elsewhere = await receiveLot('NC', { qty: 5 })
    const before = await batchesOf(ybUser)
    const r = await asFeed(ybToken, 'POST', '/api/feed/movements?site=YB', {
      key: uid('mv-'),
      json: {
        lines: [
          { kind: 'issue', lotId: lot, qty: 3 }, // fine alone
          { kind: 'issue', lotId: lot, qty: 3 }, // more than is left
          { kind: 'discard', lotId: uid('NOPE'), qty: 1, reason: 'x' }, // no such lot
          { kind: 'discard', lotId: elsewhere, qty: 1, reason: 'x' }, // another site's
          { kind: 'issue', lotId: lot, qty: 1, hospitalId: 'NC1' }, // not in the register
        ],
      },
    })
    expect(r.status).toBe(400)
    expect(Object.keys(r.json.error.detail).sort()).toEqual(['lines.1.qty', 'lines.2.lotId', 'lines.3.lotId', 'lines.4.hospitalId'])
    const schema = await asFeed(ybToken, 'POST', '/api/feed/movements?site=YB', {
      key: uid('mv-'),
      json: {
        lines: [{ kind: 'discard', lotId: lot, qty: 1 }, { kind: 'issue', lotId: lot, qty: 0 }, { kind: 'teleport' }, { kind: 'issue', lotId: lot, qty: 9 }],
      },
    })
    expect(schema.status).toBe(400)
    expect(Object.keys(schema.json.error.detail).sort()).toEqual(['lines.0.reason', 'lines.1.qty', 'lines.2.kind', 'lines.3.qty'])
    // no lines, or a key the envelope does not know: named too
    const empty = await asFeed(ybToken, 'POST', '/api/feed/movements?site=YB', { key: uid('mv-'), json: { lines: [], extra: 1 } })
    expect(empty.status).toBe(400)
    expect(Object.keys(empty.json.error.detail).sort()).toEqual(['extra', 'lines'])
    const noKey = await asFeed(ybToken, 'POST', '/api/feed/movements?site=YB', { json: { lines: [{ kind: 'issue', lotId: lot, qty: 1 }] } })
    expect(noKey.status).toBe(400)
    expect(noKey.json.error.field).toBe('idempotency-key')
    expect(await qtyOf(lot)).toBe(5)
    expect(await batchesOf(ybUser)).toBe(before)
  })
})
