import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { call, receiveLot, seedBase, uid, type Who } from '../fixtures'

beforeAll(() => seedBase())

const DAY = 86_400_000
const iso = (msFromNow: number) => new Date(Date.now() + msFromNow).toISOString()
const key = () => uid('key-')
const post = (body: unknown, as: Who = 'coordinator', k = key()) => call('POST', '/api/movements', { as, body, headers: { 'idempotency-key': k } })
const receipt = (extra: Record<string, unknown> = {}) => ({
  kind: 'receipt',
  lotId: uid('L'),
  component: 'RBC',
  abo: 'O',
  rhd: '+',
  qty: 10,
  collectedAt: iso(-2 * DAY),
  expiresAt: iso(20 * DAY),
  ...extra,
})
const lotQty = async (id: string) => (await env.DB.prepare('SELECT qty FROM lot WHERE id = ?1').bind(id).first<{ qty: number }>())?.qty
const count = async (sql: string, ...args: unknown[]) =>
  (await env.DB.prepare(sql)
    .bind(...args)
    .first<{ n: number }>())!.n

describe('POST /api/movements', () => {
  it('records a receipt as a new lot, with a ledger row and an audit entry', async () => {
    const lotId = uid('L')
    const res = await post({ siteId: 'CD', ...receipt({ lotId, antigens: ['Fy(a-)', 'Jk(a-b-)'], qty: 12 }) })
    expect(res.status).toBe(201)
    expect(res.json).toMatchObject({ siteId: 'CD', source: 'api', createdLots: [lotId] })
    expect(res.json.movements).toHaveLength(1)
    expect(res.json.movements[0]).toMatchObject({ lotId, siteId: 'CD', kind: 'receipt', delta: 12, actorId: 'u-coord', transferId: null })
    const lot = await env.DB.prepare('SELECT site_id AS siteId, component, abo, rhd, antigens, qty FROM lot WHERE id = ?1').bind(lotId).first()
    expect(lot).toEqual({ siteId: 'CD', component: 'RBC', abo: 'O', rhd: '+', antigens: 'Fy(a-),Jk(a-b-)', qty: 12 })
    const audit = await call('GET', `/api/audit?entity=movement_batch&entityId=${res.json.batchId}`, { as: 'admin' })
    expect(audit.json.entries).toHaveLength(1)
    expect(audit.json.entries[0]).toMatchObject({ action: 'movement.batch', actorId: 'u-coord' })
    // The batch (its lines are the ledger rows with its id), not a copy of the request.
    expect(audit.json.entries[0].detail).toEqual({ siteId: 'CD', source: 'api', lines: 1, received: 1, requestHash: expect.stringMatching(/^[0-9a-f]{64}$/) })
  })

  it('applies a batch of every kind; a stock count that changes nothing writes no row', async () => {
    const a = await receiveLot('CD', { qty: 20 })
    const b = await receiveLot('CD', { qty: 5 })
    const res = await post({
      siteId: 'CD',
      movements: [
        { kind: 'issue', lotId: a, qty: 3, reason: 'West China Hospital' },
        { kind: 'discard', lotId: a, qty: 2, reason: 'bag damaged' },
        { kind: 'adjust', lotId: a, countedQty: 14 },
        { kind: 'adjust', lotId: b, delta: -1, reason: 'recount' },
        { kind: 'adjust', lotId: b, countedQty: 4 },
        receipt({ qty: 7 }),
      ],
    })
    expect(res.status).toBe(201)
    expect(res.json.movements.map((m: any) => [m.kind, m.delta])).toEqual([
      ['issue', -3],
      ['discard', -2],
      ['adjust', -1],
      ['adjust', -1],
      ['receipt', 7],
    ])
    expect(res.json.createdLots).toHaveLength(1)
    expect(await lotQty(a)).toBe(14)
    expect(await lotQty(b)).toBe(4)
    expect(await lotQty(res.json.createdLots[0])).toBe(7)
  })

  it('a stock count upwards adds the difference', async () => {
    const a = await receiveLot('CD', { qty: 5 })
    const res = await post({ siteId: 'CD', kind: 'adjust', lotId: a, countedQty: 9 })
    expect(res.status).toBe(201)
    expect(res.json.movements.map((m: any) => m.delta)).toEqual([4])
    expect(await lotQty(a)).toBe(9)
  })

  it('400 naming the field for bad input', async () => {
    const lot = await receiveLot('CD', { qty: 5 })
    const cases: [unknown, string, string?][] = [
      [{ siteId: 'CD', ...receipt({ abo: 'C' }) }, 'abo'],
      [{ siteId: 'CD', movements: [receipt(), receipt({ abo: 'C' })] }, 'movements.1.abo'],
      [{ siteId: 'CD', movements: [receipt({ qty: 0 })] }, 'movements.0.qty'],
      [{ siteId: 'CD', movements: [receipt({ qty: 1.5 })] }, 'movements.0.qty'],
      [{ siteId: 'CD', movements: [{ kind: 'transfer_in', lotId: lot, qty: 1 }] }, 'movements.0.kind'],
      [{ siteId: 'CD', movements: [] }, 'movements'],
      [{ siteId: 'cd', movements: [receipt()] }, 'siteId'],
      [{ siteId: 'CD', movements: [receipt({ antigens: ['no spaces allowed'] })] }, 'movements.0.antigens.0'],
      [{ siteId: 'CD', movements: [receipt({ collectedAt: 'yesterday' })] }, 'movements.0.collectedAt'],
      [{ siteId: 'CD', movements: [{ kind: 'discard', lotId: lot, qty: 1 }] }, 'movements.0.reason'],
      [{ siteId: 'CD', movements: [{ kind: 'adjust', lotId: lot, countedQty: 1, delta: 1 }] }, 'movements.0.countedQty'],
      [{ siteId: 'CD', movements: [{ kind: 'adjust', lotId: lot }] }, 'movements.0.countedQty'],
      [{ siteId: 'CD', movements: [{ kind: 'issue', lotId: lot, qty: 1, extra: 1 }] }, 'movements.0.extra'], // an unknown key is named
      [{ siteId: 'CD', kind: 'issue', lotId: lot, qty: 1, extra: 1 }, 'extra'],
      [{ siteId: 'CD', movements: [receipt()], note: 'x' }, 'note'],
      // rules the service checks: expiry after collection and within the component's shelf life
      [{ siteId: 'CD', movements: [receipt({ expiresAt: iso(-3 * DAY) })] }, 'movements.0.expiresAt'],
      [{ siteId: 'CD', movements: [receipt(), receipt({ component: 'PLT', collectedAt: iso(-1 * DAY), expiresAt: iso(5 * DAY) })] }, 'movements.1.expiresAt'],
      [{ siteId: 'ZZ', movements: [receipt()] }, 'siteId'],
      [{ siteId: 'CD', movements: [receipt({ collectedAt: iso(3 * DAY), expiresAt: iso(10 * DAY) })] }, 'movements.0.collectedAt'],
    ]
    for (const [body, field] of cases) {
      const res = await post(body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.json.error.field, JSON.stringify(body)).toBe(field)
    }
    expect(await lotQty(lot)).toBe(5)
  })

  it('requires an Idempotency-Key and a JSON body', async () => {
    const noKey = await call('POST', '/api/movements', { body: { siteId: 'CD', ...receipt() } })
    expect(noKey.status).toBe(400)
    expect(noKey.json.error.field).toBe('idempotency-key')
    const noBody = await call('POST', '/api/movements', { headers: { 'idempotency-key': key() } })
    expect(noBody.status).toBe(400)
    const malformed = await call('POST', '/api/movements', { raw: '{"siteId":', headers: { 'idempotency-key': key(), 'content-type': 'application/json' } })
    expect(malformed.status).toBe(400)
  })

  it('404 for an unknown lot, 400 for a lot held by another site, naming the line', async () => {
    const yb = await receiveLot('YB', { qty: 5 })
    const unknown = await post({ siteId: 'CD', movements: [receipt(), { kind: 'issue', lotId: 'NO-SUCH-LOT', qty: 1 }] })
    expect(unknown.status).toBe(404)
    expect(unknown.json.error).toMatchObject({ code: 'not_found', field: 'movements.1.lotId' })
    const other = await post({ siteId: 'CD', movements: [{ kind: 'issue', lotId: yb, qty: 1 }] })
    expect(other.status).toBe(400)
    expect(other.json.error).toMatchObject({ code: 'wrong_site', field: 'movements.0.lotId' })
    expect(await lotQty(yb)).toBe(5)
  })

  it('409 lot_exists for a receipt reusing a lot id; 409 lot_expired for issuing an expired lot', async () => {
    const lot = await receiveLot('CD', { qty: 5 })
    const dup = await post({ siteId: 'CD', ...receipt({ lotId: lot }) })
    expect(dup.status).toBe(409)
    expect(dup.json.error).toMatchObject({ code: 'lot_exists', field: 'movements.0.lotId' })
    const old = await receiveLot('CD', { qty: 3, collectedAt: iso(-40 * DAY), expiresAt: iso(-6 * DAY) })
    const issue = await post({ siteId: 'CD', kind: 'issue', lotId: old, qty: 1 })
    expect(issue.status).toBe(409)
    expect(issue.json.error).toMatchObject({ code: 'lot_expired', field: 'movements.0.lotId' })
    const discard = await post({ siteId: 'CD', kind: 'discard', lotId: old, qty: 3, reason: 'expired' })
    expect(discard.status).toBe(201)
    expect(await lotQty(old)).toBe(0)
  })

  it('400 for dates that cannot be: outside 2000–2100, or a receipt already expired unless it is discarded whole in the batch', async () => {
    const cases: [unknown, string][] = [
      [{ siteId: 'CD', ...receipt({ collectedAt: '0000-01-01T00:00:00Z', expiresAt: '0000-01-10T00:00:00Z' }) }, 'collectedAt'],
      [{ siteId: 'CD', ...receipt({ collectedAt: '1999-12-31T00:00:00Z' }) }, 'collectedAt'],
      [{ siteId: 'CD', ...receipt({ expiresAt: '9999-12-31T00:00:00Z' }) }, 'expiresAt'],
      [{ siteId: 'CD', ...receipt({ collectedAt: iso(-30 * DAY), expiresAt: iso(-DAY) }) }, 'movements.0.expiresAt'],
      [{ siteId: 'CD', ...receipt({ lotId: undefined, collectedAt: iso(-30 * DAY), expiresAt: iso(-DAY) }) }, 'movements.0.expiresAt'],
    ]
    for (const [body, field] of cases) {
      const res = await post(body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.json.error).toMatchObject({ code: 'invalid_input', field })
    }
    // An expired lot that arrives is received and discarded, all of it, in one batch; anything else is refused.
    const lotId = uid('EXP')
    const expired = receipt({ lotId, qty: 4, collectedAt: iso(-30 * DAY), expiresAt: iso(-DAY) })
    const partly = await post({ siteId: 'CD', movements: [expired, { kind: 'discard', lotId, qty: 3, reason: 'arrived expired' }] })
    expect(partly.status).toBe(400)
    expect(partly.json.error.field).toBe('movements.0.expiresAt')
    const issued = await post({
      siteId: 'CD',
      movements: [expired, { kind: 'issue', lotId, qty: 1 }, { kind: 'discard', lotId, qty: 3, reason: 'arrived expired' }],
    })
    expect(issued.status).toBe(400)
    expect(issued.json.error.field).toBe('movements.1.kind')
    const whole = await post({ siteId: 'CD', movements: [expired, { kind: 'discard', lotId, qty: 4, reason: 'arrived expired' }] })
    expect(whole.status).toBe(201)
    expect(whole.json.movements.map((m: any) => [m.kind, m.delta])).toEqual([
      ['receipt', 4],
      ['discard', -4],
    ])
    expect(await lotQty(lotId)).toBe(0)
  })

  it('401 without a token; 403 for a planner and for the director of another site; a director writes for their own site', async () => {
    expect((await call('POST', '/api/movements', { as: null, body: { siteId: 'CD', ...receipt() }, headers: { 'idempotency-key': key() } })).status).toBe(401)
    const planner = await post({ siteId: 'CD', ...receipt() }, 'planner')
    expect(planner.status).toBe(403)
    expect(planner.json.error.code).toBe('forbidden')
    const otherDirector = await post({ siteId: 'CD', ...receipt() }, 'directorYB')
    expect(otherDirector.status).toBe(403)
    const own = await post({ siteId: 'CD', ...receipt() }, 'director')
    expect(own.status).toBe(201)
    expect(own.json.movements[0].actorId).toBe('u-dir-cd')
  })

  it('a retry with the same key answers the same result and applies once; another body under the key is 409', async () => {
    const lot = await receiveLot('CD', { qty: 10 })
    const k = key()
    const body = { siteId: 'CD', movements: [{ kind: 'issue', lotId: lot, qty: 4 }, receipt({ qty: 2 })] }
    const first = await post(body, 'coordinator', k)
    const second = await post(body, 'coordinator', k)
    expect(first.status).toBe(201)
    expect(second.status).toBe(201)
    expect(second.headers.get('idempotent-replayed')).toBe('true')
    expect(first.headers.get('idempotent-replayed')).toBeNull()
    expect(second.json).toEqual(first.json)
    expect(await lotQty(lot)).toBe(6)
    expect(await count('SELECT COUNT(*) AS n FROM movement WHERE batch_id = ?1', first.json.batchId)).toBe(2)
    expect(await count('SELECT COUNT(*) AS n FROM audit_log WHERE entity_id = ?1', first.json.batchId)).toBe(1)
    const other = await post({ siteId: 'CD', movements: [{ kind: 'issue', lotId: lot, qty: 5 }] }, 'coordinator', k)
    expect(other.status).toBe(409)
    expect(other.json.error).toMatchObject({ code: 'idempotency_key_reused', field: 'idempotency-key' })
    expect(await lotQty(lot)).toBe(6)
  })

  it('the same request sent twice at once is applied once', async () => {
    const lot = await receiveLot('CD', { qty: 10 })
    const k = key()
    const body = { siteId: 'CD', kind: 'issue', lotId: lot, qty: 3 }
    const [a, b] = await Promise.all([post(body, 'coordinator', k), post(body, 'coordinator', k)])
    expect([a.status, b.status]).toEqual([201, 201])
    expect(a.json.batchId).toBe(b.json.batchId)
    expect(a.json.movements[0].id).toBe(b.json.movements[0].id)
    expect(await lotQty(lot)).toBe(7)
  })

  it('a batch that fails half-way changes nothing: stock, ledger and audit stay as they were', async () => {
    const lot = await receiveLot('CD', { qty: 5 })
    const newLot = uid('L')
    const ledgerBefore = await count('SELECT COUNT(*) AS n FROM movement')
    const auditBefore = await count('SELECT COUNT(*) AS n FROM audit_log')
    const res = await post({
      siteId: 'CD',
      movements: [receipt({ lotId: newLot }), { kind: 'issue', lotId: lot, qty: 3 }, { kind: 'issue', lotId: lot, qty: 3 }],
    })
    expect(res.status).toBe(409)
    expect(res.json.error).toMatchObject({ code: 'insufficient_stock', field: 'movements.2.lotId' })
    expect(res.json.error.message).toContain(lot)
    expect(await lotQty(lot)).toBe(5)
    expect(await lotQty(newLot)).toBeUndefined()
    expect(await count('SELECT COUNT(*) AS n FROM movement')).toBe(ledgerBefore)
    expect(await count('SELECT COUNT(*) AS n FROM audit_log')).toBe(auditBefore)
  })

  it('the CHECK guard refuses a whole batch that would take a lot negative, whatever the caller checked', async () => {
    const lot = await receiveLot('CD', { qty: 2 })
    const before = await count('SELECT COUNT(*) AS n FROM movement WHERE lot_id = ?1', lot)
    await expect(
      env.DB.batch([
        env.DB.prepare("INSERT INTO movement_batch (id, actor_id, idempotency_key, request_hash, source, at) VALUES (?1, 'u-coord', ?1, 'h', 'api', ?2)").bind(
          uid('mb'),
          iso(0),
        ),
        env.DB.prepare(
          "INSERT INTO movement (batch_id, lot_id, site_id, kind, delta, actor_id, at) VALUES ((SELECT MAX(id) FROM movement_batch), ?1, 'CD', 'issue', -3, 'u-coord', ?2)",
        ).bind(lot, iso(0)),
      ]),
    ).rejects.toThrow(/CHECK constraint failed/)
    expect(await lotQty(lot)).toBe(2)
    expect(await count('SELECT COUNT(*) AS n FROM movement WHERE lot_id = ?1', lot)).toBe(before)
  })

  it('two concurrent issues that together exceed a lot: one succeeds, the other is 409, stock never below zero', async () => {
    const lot = await receiveLot('CD', { qty: 10 })
    const [a, b] = await Promise.all([post({ siteId: 'CD', kind: 'issue', lotId: lot, qty: 6 }), post({ siteId: 'CD', kind: 'issue', lotId: lot, qty: 6 })])
    expect([a.status, b.status].sort()).toEqual([201, 409])
    const failed = a.status === 409 ? a : b
    expect(failed.json.error).toMatchObject({ code: 'insufficient_stock', field: 'movements.0.lotId' })
    expect(await lotQty(lot)).toBe(4)
    expect(await count('SELECT COUNT(*) AS n FROM lot WHERE qty < 0')).toBe(0)
  })
})

describe('GET /api/movements', () => {
  it('lists the ledger newest first with filters', async () => {
    const lot = await receiveLot('YB', { qty: 8 })
    await post({ siteId: 'YB', kind: 'issue', lotId: lot, qty: 2 }, 'directorYB')
    const res = await call('GET', `/api/movements?lot=${lot}`, { as: 'planner' })
    expect(res.status).toBe(200)
    expect(res.json.movements.map((m: any) => [m.kind, m.delta])).toEqual([
      ['issue', -2],
      ['receipt', 8],
    ])
    const issues = await call('GET', `/api/movements?site=YB&kind=issue&since=${encodeURIComponent(iso(-60_000))}`)
    expect(issues.json.movements.every((m: any) => m.siteId === 'YB' && m.kind === 'issue')).toBe(true)
    expect(issues.json.movements.map((m: any) => m.lotId)).toContain(lot)
    const none = await call('GET', `/api/movements?lot=${lot}&until=2020-01-01T00:00:00Z`)
    expect(none.json.movements).toEqual([])
    const limited = await call('GET', '/api/movements?limit=1')
    expect(limited.json.movements).toHaveLength(1)
  })

  it('400 for a bad filter, 401 without a token', async () => {
    expect((await call('GET', '/api/movements?kind=theft')).json.error.field).toBe('kind')
    expect((await call('GET', '/api/movements?limit=0')).json.error.field).toBe('limit')
    expect((await call('GET', '/api/movements?since=monday')).status).toBe(400)
    expect((await call('GET', '/api/movements', { as: null })).status).toBe(401)
  })
})

describe('GET /api/movements/reconcile', () => {
  it('finds no mismatch between cached lot qty and the ledger', async () => {
    await receiveLot('CD', { qty: 3 })
    const res = await call('GET', '/api/movements/reconcile?site=CD', { as: 'director' })
    expect(res.status).toBe(200)
    expect(res.json.mismatches).toEqual([])
    expect(res.json.checked).toBe(await count("SELECT COUNT(*) AS n FROM lot WHERE site_id = 'CD'"))
    const all = await call('GET', '/api/movements/reconcile')
    expect(all.json.mismatches).toEqual([])
    expect((await call('GET', '/api/movements/reconcile?site=x')).status).toBe(400)
    expect((await call('GET', '/api/movements/reconcile', { as: null })).status).toBe(401)
  })
})

describe('reconcile detects drift', () => {
  it('lists a lot whose cached qty was changed behind the ledger', async () => {
    const lot = await receiveLot('NC', { qty: 6 })
    await env.DB.prepare('UPDATE lot SET qty = 9 WHERE id = ?1').bind(lot).run()
    try {
      const res = await call('GET', '/api/movements/reconcile?site=NC')
      expect(res.json.mismatches).toEqual([{ lotId: lot, siteId: 'NC', cachedQty: 9, ledgerQty: 6 }])
    } finally {
      await env.DB.prepare('UPDATE lot SET qty = 6 WHERE id = ?1').bind(lot).run()
    }
    expect((await call('GET', '/api/movements/reconcile?site=NC')).json.mismatches).toEqual([])
  })
})
