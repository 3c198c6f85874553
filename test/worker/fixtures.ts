import { env, exports } from 'cloudflare:workers'
import { sha256Hex } from '../../worker/lib/crypto'
import { checkResponse } from './contract'

/** Bearer tokens for one user per role (and a director for CD), seeded by seedBase(). */
export const TOKENS = {
  coordinator: 'test-coordinator-token',
  admin: 'test-admin-token',
  planner: 'test-planner-token',
  director: 'test-director-cd-token', // directs CD
  directorYB: 'test-director-yb-token', // directs YB
} as const
export type Who = keyof typeof TOKENS

export const SITES = [
  { id: 'CD', nameZh: '成都市血液中心', nameEn: 'Chengdu Blood Center', kind: 'center', province: 'Sichuan', city: 'Chengdu', lat: 30.657, lng: 104.066 },
  { id: 'YB', nameZh: '宜宾市中心血站', nameEn: 'Yibin Central Blood Station', kind: 'station', province: 'Sichuan', city: 'Yibin', lat: 28.752, lng: 104.643 },
  { id: 'CQ', nameZh: '重庆市血液中心', nameEn: 'Chongqing Blood Center', kind: 'center', province: 'Chongqing', city: 'Chongqing', lat: 29.563, lng: 106.551 },
  {
    id: 'NC',
    nameZh: '南充市中心血站',
    nameEn: 'Nanchong Central Blood Station',
    kind: 'station',
    province: 'Sichuan',
    city: 'Nanchong',
    lat: 30.837,
    lng: 106.11,
  },
] as const

/** Sites and users for a test file. Storage is isolated per file, so each file seeds once (idempotent). */
export async function seedBase(db: D1Database = env.DB): Promise<void> {
  const at = '2026-01-01T00:00:00Z'
  const users: [string, string, string, string | null, string][] = [
    ['u-coord', 'Test Coordinator', 'coordinator', null, TOKENS.coordinator],
    ['u-admin', 'Test Admin', 'admin', null, TOKENS.admin],
    ['u-planner', 'Test Planner', 'planner', null, TOKENS.planner],
    ['u-dir-cd', 'Director CD', 'director', 'CD', TOKENS.director],
    ['u-dir-yb', 'Director YB', 'director', 'YB', TOKENS.directorYB],
  ]
  await db.batch([
    ...SITES.map((s) =>
      db
        .prepare(
          'INSERT OR IGNORE INTO site (id, name_zh, name_en, kind, province, city, lat, lng, created_at, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?9)',
        )
        .bind(s.id, s.nameZh, s.nameEn, s.kind, s.province, s.city, s.lat, s.lng, at),
    ),
    ...(await Promise.all(
      users.map(async ([id, name, role, site, token]) =>
        db
          .prepare('INSERT OR IGNORE INTO user (id, name, role, site_id, token_hash, created_at) VALUES (?1,?2,?3,?4,?5,?6)')
          .bind(id, name, role, site, await sha256Hex(token), at),
      ),
    )),
  ])
}

type CallOptions = { as?: Who | null; body?: unknown; headers?: Record<string, string>; raw?: BodyInit }

/** Calls the worker the way a client would, through its default export's fetch; the answer must be what /api/openapi.json says. */
export async function call(method: string, path: string, opts: CallOptions = {}) {
  const headers: Record<string, string> = { ...opts.headers }
  if (opts.as !== null) headers.authorization = `Bearer ${TOKENS[opts.as ?? 'coordinator']}`
  let payload: BodyInit | undefined = opts.raw
  if (opts.body !== undefined) {
    headers['content-type'] ??= 'application/json'
    payload = JSON.stringify(opts.body)
  }
  const res = await exports.default.fetch(`http://test${path}`, { method, headers, body: payload })
  const text = await res.text()
  let json: any = undefined
  try {
    json = text ? JSON.parse(text) : undefined
  } catch {
    /* not JSON, e.g. CSV */
  }
  await checkResponse(method, path, res.status, res.headers.get('content-type'), json)
  return { status: res.status, json, text, headers: res.headers }
}

/** A unique suffix for ids, since storage is shared by the tests of one file. */
let counter = 0
export const uid = (prefix = 'x') => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`.toUpperCase()

/** Stock for a test through the real endpoint: one receipt (as coordinator); returns the new lot id. Fresh id each call. */
export async function receiveLot(
  siteId: string,
  lot: { component?: string; abo?: string; rhd?: string; qty: number; antigens?: string[]; collectedAt?: string; expiresAt?: string; lotId?: string },
) {
  const collectedAt = lot.collectedAt ?? new Date(Date.now() - 2 * 86_400_000).toISOString()
  const expiresAt = lot.expiresAt ?? new Date(Date.parse(collectedAt) + 30 * 86_400_000).toISOString()
  if (Date.parse(expiresAt) <= Date.now()) return receivedBeforeExpiry(siteId, { ...lot, collectedAt, expiresAt })
  const res = await call('POST', '/api/movements', {
    headers: { 'idempotency-key': uid('seed-lot-') },
    body: {
      siteId,
      kind: 'receipt',
      lotId: lot.lotId ?? uid('L'),
      component: lot.component ?? 'RBC',
      abo: lot.abo ?? 'O',
      rhd: lot.rhd ?? '+',
      antigens: lot.antigens ?? [],
      qty: lot.qty,
      collectedAt,
      expiresAt,
    },
  })
  if (res.status !== 201) throw new Error(`receiveLot failed: ${res.status} ${res.text}`)
  return res.json.createdLots[0] as string
}

/**
 * A lot that has expired on the shelf: the API refuses to receive an expired lot (except to discard it), so it is
 * written as it would have been received, an hour after collection, while still fresh. Returns the lot id.
 */
async function receivedBeforeExpiry(
  siteId: string,
  lot: { component?: string; abo?: string; rhd?: string; qty: number; antigens?: string[]; collectedAt: string; expiresAt: string; lotId?: string },
) {
  const id = lot.lotId ?? uid('L')
  const batch = uid('mb-')
  const at = new Date(Date.parse(lot.collectedAt) + 3_600_000).toISOString()
  await env.DB.batch([
    env.DB.prepare(
      "INSERT INTO movement_batch (id, actor_id, idempotency_key, request_hash, source, at) VALUES (?1, 'u-coord', ?1, 'fixture', 'seed', ?2)",
    ).bind(batch, at),
    env.DB.prepare(
      'INSERT INTO lot (id, site_id, component, abo, rhd, antigens, collected_at, expires_at, qty, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, ?9)',
    ).bind(
      id,
      siteId,
      lot.component ?? 'RBC',
      lot.abo ?? 'O',
      lot.rhd ?? '+',
      (lot.antigens ?? []).join(','),
      new Date(lot.collectedAt).toISOString(),
      new Date(lot.expiresAt).toISOString(),
      at,
    ),
    env.DB.prepare(
      "INSERT INTO movement (batch_id, lot_id, site_id, kind, delta, reason, actor_id, at) VALUES (?1, ?2, ?3, 'receipt', ?4, '', 'u-coord', ?5)",
    ).bind(batch, id, siteId, lot.qty, at),
  ])
  return id
}
