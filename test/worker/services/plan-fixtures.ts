// Helpers for the plan and transfer tests: stock and aid requests written straight into D1, the way the
// ledger would hold them (movement_batch + lot + receipt movement; the trigger fills lot.qty).
import { env } from 'cloudflare:workers'
import { expect } from 'vitest'
import { call, uid } from '../fixtures'

const db = () => env.DB
const days = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString()

/** Empties every lot (adjust movements) and cancels every unfinished request, so a test sees only its own data. */
export async function resetWorld(): Promise<void> {
  const at = new Date().toISOString()
  const batch = uid('RESET')
  await db().batch([
    db()
      .prepare(`INSERT INTO movement_batch (id, actor_id, idempotency_key, request_hash, source, at) VALUES (?1, 'u-admin', ?1, 'x', 'seed', ?2)`)
      .bind(batch, at),
    db()
      .prepare(`INSERT INTO movement (batch_id, lot_id, site_id, kind, delta, reason, actor_id, at)
                  SELECT ?1, id, site_id, 'adjust', -qty, 'test reset', 'u-admin', ?2 FROM lot WHERE qty > 0`)
      .bind(batch, at),
    db().prepare(`UPDATE aid_request SET status = 'cancelled' WHERE status IN ('open', 'planned', 'partly_fulfilled')`),
  ])
}

export type LotSpec = { site: string; component?: string; abo?: string; rhd?: string; qty: number; expiresInDays?: number; antigens?: string }

export async function addLot(l: LotSpec): Promise<string> {
  const id = uid('L')
  const batch = uid('MB')
  const at = new Date().toISOString()
  await db().batch([
    db()
      .prepare(`INSERT INTO movement_batch (id, actor_id, idempotency_key, request_hash, source, at) VALUES (?1, 'u-admin', ?1, 'x', 'seed', ?2)`)
      .bind(batch, at),
    db()
      .prepare(
        `INSERT INTO lot (id, site_id, component, abo, rhd, antigens, collected_at, expires_at, qty, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, ?9)`,
      )
      .bind(id, l.site, l.component ?? 'RBC', l.abo ?? 'O', l.rhd ?? '+', l.antigens ?? '', days(-2), days(l.expiresInDays ?? 20), at),
    db()
      .prepare(
        `INSERT INTO movement (batch_id, lot_id, site_id, kind, delta, reason, actor_id, at) VALUES (?1, ?2, ?3, 'receipt', ?4, 'test stock', 'u-admin', ?5)`,
      )
      .bind(batch, id, l.site, l.qty, at),
  ])
  return id
}

/** Records `qty` units issued from a lot `daysAgo` days ago (ledger kind issue). */
export async function issue(lotId: string, site: string, qty: number, daysAgo: number): Promise<void> {
  const batch = uid('MB')
  const at = days(-daysAgo)
  await db().batch([
    db()
      .prepare(`INSERT INTO movement_batch (id, actor_id, idempotency_key, request_hash, source, at) VALUES (?1, 'u-admin', ?1, 'x', 'seed', ?2)`)
      .bind(batch, at),
    db()
      .prepare(
        `INSERT INTO movement (batch_id, lot_id, site_id, kind, delta, reason, actor_id, at) VALUES (?1, ?2, ?3, 'issue', ?4, 'test issue', 'u-admin', ?5)`,
      )
      .bind(batch, lotId, site, -qty, at),
  ])
}

/** Takes units out of a lot (as a stock count would), e.g. to change stock after planning. */
export async function takeStock(lotId: string, site: string, qty: number): Promise<void> {
  const batch = uid('MB')
  const at = new Date().toISOString()
  await db().batch([
    db()
      .prepare(`INSERT INTO movement_batch (id, actor_id, idempotency_key, request_hash, source, at) VALUES (?1, 'u-admin', ?1, 'x', 'seed', ?2)`)
      .bind(batch, at),
    db()
      .prepare(
        `INSERT INTO movement (batch_id, lot_id, site_id, kind, delta, reason, actor_id, at) VALUES (?1, ?2, ?3, 'discard', ?4, 'test discard', 'u-admin', ?5)`,
      )
      .bind(batch, lotId, site, -qty, at),
  ])
}

export type RequestSpec = {
  site: string
  component?: string
  abo?: string
  rhd?: string
  qty: number
  urgency?: string
  neededInHours?: number
  antigens?: string
}

export async function addRequest(r: RequestSpec): Promise<string> {
  const id = uid('R')
  const at = new Date().toISOString()
  await db()
    .prepare(`INSERT INTO aid_request (id, site_id, component, abo, rhd, qty, urgency, needed_by, reason, status, created_by, created_at, updated_at, antigens)
              VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'test', 'open', 'u-coord', ?9, ?9, ?10)`)
    .bind(
      id,
      r.site,
      r.component ?? 'RBC',
      r.abo ?? 'O',
      r.rhd ?? '+',
      r.qty,
      r.urgency ?? 'urgent',
      r.neededInHours === undefined ? null : new Date(Date.now() + r.neededInHours * 3_600_000).toISOString(),
      at,
      r.antigens ?? '',
    )
    .run()
  return id
}

export const lotQty = (id: string) => db().prepare('SELECT qty FROM lot WHERE id = ?1').bind(id).first<number>('qty')
export const ledgerSum = (id: string) => db().prepare('SELECT COALESCE(SUM(delta), 0) AS s FROM movement WHERE lot_id = ?1').bind(id).first<number>('s')
export const ledgerRows = (lotId: string, kind: string) =>
  db()
    .prepare(
      'SELECT lot_id AS lotId, site_id AS siteId, kind, delta, transfer_id AS transferId, actor_id AS actorId FROM movement WHERE lot_id = ?1 AND kind = ?2 ORDER BY id',
    )
    .bind(lotId, kind)
    .all<{ lotId: string; siteId: string; kind: string; delta: number; transferId: string; actorId: string }>()
    .then((r) => r.results)
export const request = (id: string) =>
  db()
    .prepare('SELECT status, fulfilled_qty AS fulfilledQty, qty FROM aid_request WHERE id = ?1')
    .bind(id)
    .first<{ status: string; fulfilledQty: number; qty: number }>()
export const auditOf = (entity: string, entityId: string) =>
  db()
    .prepare('SELECT actor_id AS actorId, action, detail, at FROM audit_log WHERE entity = ?1 AND entity_id = ?2 ORDER BY id')
    .bind(entity, entityId)
    .all<{ actorId: string; action: string; detail: string; at: string }>()
    .then((r) => r.results)

/** One lot at `from`, one request at `to`, a plan for it: returns the plan and its single transfer. */
export async function planOne(o: { from?: string; to?: string; lotQty?: number; need?: number; reset?: boolean } = {}) {
  if (o.reset !== false) await resetWorld()
  const lot = await addLot({ site: o.from ?? 'CD', qty: o.lotQty ?? 10 })
  const req = await addRequest({ site: o.to ?? 'YB', qty: o.need ?? 6 })
  const res = await call('POST', '/api/plans', { body: { requestIds: [req] } })
  expect(res.status, JSON.stringify(res.json)).toBe(201)
  expect(res.json.transfers).toHaveLength(1)
  return { lot, req, plan: res.json, transfer: res.json.transfers[0] }
}

export const key = () => `k-${crypto.randomUUID()}`
