// Issue 21/22: one idempotency rule on every keyed route (worker/services/idempotency.ts withIdempotency): a retry
// with the same key and the same request answers the stored result (Idempotent-Replayed: true); the same key with
// ANY field changed answers 409 idempotency_key_reused naming the header, and nothing new is written.
import { env } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { call, receiveLot, seedBase, uid, type Who } from '../fixtures'
import { key, planOne } from '../services/plan-fixtures'

beforeAll(() => seedBase())

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString()
const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10)

interface KeyedRoute {
  name: string
  path: string
  as: Who
  /** the first request (a fresh one per call: new lot ids etc.) and its variants, each with one field changed */
  make: () => Promise<{ body: unknown; raw?: undefined } | { raw: string; body?: undefined }>
  variants: (first: any) => ({ body: unknown; raw?: undefined } | { raw: string; body?: undefined })[]
  created: number
  /** a replay's status: the created status, or 200 where the route documents it (aid requests) */
  replayed?: number
}

async function storagePoint(parentId: string) {
  const id = uid('SP').slice(0, 12)
  const res = await call('POST', '/api/sites', {
    body: { id, nameZh: '储血点', nameEn: 'SP', kind: 'storage', province: 'Sichuan', city: 'Chengdu', lat: 30.6, lng: 104.1, parentId },
  })
  expect(res.status, res.text).toBe(201)
  return id
}

const change = (o: Record<string, unknown>, k: string, v: unknown) => ({ ...o, [k]: v })

const ROUTES: KeyedRoute[] = [
  {
    name: 'movements',
    path: '/api/movements',
    as: 'coordinator',
    created: 201,
    make: async () => ({
      body: {
        siteId: 'CD',
        movements: [
          {
            kind: 'receipt',
            lotId: uid('IL'),
            component: 'RBC',
            abo: 'O',
            rhd: '+',
            antigens: [],
            qty: 4,
            collectedAt: inHours(-24),
            expiresAt: inHours(24 * 20),
          },
        ],
      },
    }),
    variants: (f) => {
      const m = f.body.movements[0]
      return [
        { body: { ...f.body, movements: [{ ...m, qty: 5 }] } },
        { body: { ...f.body, movements: [{ ...m, abo: 'A' }] } },
        { body: { ...f.body, movements: [{ ...m, reason: 'other' }] } },
        { body: { ...f.body, siteId: 'YB' } },
      ]
    },
  },
  {
    name: 'CSV stock count',
    path: '/api/csv/stock-count?site=CD',
    as: 'director',
    created: 201,
    make: async () => ({ raw: `lot_id,component,abo,rhd,qty,collected_at,expires_at\n${uid('CL')},RBC,O,+,3,${day(-1)},${day(20)}\n` }),
    variants: (f) => [{ raw: f.raw.replace(',3,', ',4,') }, { raw: f.raw.replace(',O,', ',B,') }],
  },
  {
    name: 'aid requests',
    path: '/api/requests',
    as: 'coordinator',
    created: 201,
    replayed: 200,
    make: async () => ({ body: { siteId: 'YB', component: 'RBC', abo: 'O', rhd: '+', qty: 12, urgency: 'urgent', neededBy: inHours(24), reason: '车祸伤员' } }),
    variants: (f) =>
      [
        change(f.body, 'qty', 13),
        change(f.body, 'reason', '另一个'),
        change(f.body, 'urgency', 'emergency'),
        change(f.body, 'siteId', 'NC'),
        change(f.body, 'neededBy', inHours(30)),
      ].map((body) => ({ body })),
  },
  {
    name: 'incidents',
    path: '/api/incidents',
    as: 'coordinator',
    created: 201,
    make: async () => ({ body: { name: `地震 ${uid('')}`, lat: 29.9, lng: 102.2, casualties: { critical: 2, severe: 3, moderate: 4 } } }),
    variants: (f) =>
      [
        change(f.body, 'lat', 30.5),
        change(f.body, 'lng', 103),
        change(f.body, 'casualties', { critical: 20, severe: 3, moderate: 4 }),
        change(f.body, 'casualties', { critical: 2, severe: 3, moderate: 40 }),
        change(f.body, 'name', 'another'),
      ].map((body) => ({ body })),
  },
  {
    name: 'local transfers',
    path: '/api/network/transfers',
    as: 'director',
    created: 201,
    make: async () => {
      const lot = await receiveLot('CD', { qty: 20 })
      return { body: { fromSite: 'CD', toSite: await storagePoint('CD'), lotId: lot, qty: 2, note: '' } }
    },
    variants: (f) => [change(f.body, 'qty', 3), change(f.body, 'note', 'x')].map((body) => ({ body })),
  },
  {
    name: 'plans',
    path: '/api/plans',
    as: 'coordinator',
    created: 201,
    make: async () => ({ body: { mode: 'routine' } }),
    variants: () => [{ body: { mode: 'disaster' } }],
  },
]

const send = (r: KeyedRoute, key: string, req: { body?: unknown; raw?: string }) =>
  call('POST', r.path, {
    as: r.as,
    headers: { 'idempotency-key': key, ...(req.raw ? { 'content-type': 'text/csv' } : {}) },
    ...(req.raw ? { raw: req.raw } : { body: req.body }),
  })

const auditRows = async () => (await env.DB.prepare('SELECT COUNT(*) AS n FROM audit_log').first<number>('n'))!

describe('every keyed route', () => {
  for (const r of ROUTES) {
    it(`${r.name}: the same key answers the stored result, and with any field changed 409 idempotency_key_reused`, async () => {
      const key = uid('idem-')
      const first = await r.make()
      const a = await send(r, key, first)
      expect(a.status, a.text).toBe(r.created)
      const again = await send(r, key, first)
      expect(again.status, again.text).toBe(r.replayed ?? r.created)
      expect(again.headers.get('idempotent-replayed')).toBe('true')
      expect(again.json).toEqual(a.json)
      const variants = r.variants(first)
      expect(variants.length).toBeGreaterThan(0)
      const before = await auditRows()
      for (const v of variants) {
        const res = await send(r, key, v)
        expect(res.status, `${r.name} ${JSON.stringify(v)}: ${res.text}`).toBe(409)
        expect(res.json.error).toMatchObject({ code: 'idempotency_key_reused', field: 'idempotency-key' })
      }
      expect(await auditRows()).toBe(before) // nothing written
    })
  }
})

describe('commits (the path names what is committed)', () => {
  it('a plan commit and a transfer commit: the same key for another plan or transfer answers 409 idempotency_key_reused', async () => {
    const first = await planOne()
    expect((await call('POST', `/api/transfers/${first.transfer.id}/approve`)).status).toBe(200)
    const k = key()
    const a = await call('POST', `/api/plans/${first.plan.id}/commit`, { headers: { 'idempotency-key': k } })
    expect([200, 201]).toContain(a.status)
    const again = await call('POST', `/api/plans/${first.plan.id}/commit`, { headers: { 'idempotency-key': k } })
    expect(again.status).toBe(a.status)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(again.json.committed).toEqual(a.json.committed)

    const second = await planOne({ reset: false, from: 'NC', to: 'CQ' })
    expect((await call('POST', `/api/transfers/${second.transfer.id}/approve`)).status).toBe(200)
    const other = await call('POST', `/api/plans/${second.plan.id}/commit`, { headers: { 'idempotency-key': k } })
    expect([other.status, other.json.error.code, other.json.error.field]).toEqual([409, 'idempotency_key_reused', 'idempotency-key'])
    const one = await call('POST', `/api/transfers/${second.transfer.id}/commit`, { headers: { 'idempotency-key': k } })
    expect([one.status, one.json.error.code]).toEqual([409, 'idempotency_key_reused'])
    // under a new key it commits
    const fresh = await call('POST', `/api/transfers/${second.transfer.id}/commit`, { headers: { 'idempotency-key': key() } })
    expect([200, 201]).toContain(fresh.status)
  })
})
