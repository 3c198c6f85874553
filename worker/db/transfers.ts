import type { TransferT } from '../schemas/transfer'

export type TransferRow = Omit<TransferT, 'lots' | 'requests'> & { proposedLots: string; proposedRequests: string }

const COLUMNS = `t.id, t.plan_id AS planId, t.from_site AS fromSite, t.to_site AS toSite, t.component, t.abo, t.rhd,
  t.proposed_qty AS proposedQty, t.qty, t.eta_hours AS etaHours, t.status, t.received_qty AS receivedQty, t.lost_qty AS lostQty,
  t.reviewed_by AS reviewedBy, t.reviewed_at AS reviewedAt, t.reject_reason AS rejectReason, t.committed_at AS committedAt,
  t.dispatched_at AS dispatchedAt, t.received_at AS receivedAt, t.created_at AS createdAt, t.updated_at AS updatedAt,
  t.proposed_lots AS proposedLots, t.proposed_requests AS proposedRequests`

export type LotLineRow = { transferId: string; lotId: string; qty: number; expiresAt: string | null }
export type RequestLineRow = { transferId: string; requestId: string; qty: number }

export const selectTransferRow = (db: D1Database, id: string) =>
  db.prepare(`SELECT ${COLUMNS} FROM transfer t WHERE t.id = ?1`).bind(id).first<TransferRow>()

export const selectTransferRows = (db: D1Database, f: { status?: string; site?: string; planId?: string }) =>
  db
    .prepare(
      `SELECT ${COLUMNS} FROM transfer t
       WHERE (?1 IS NULL OR t.status = ?1) AND (?2 IS NULL OR t.from_site = ?2 OR t.to_site = ?2) AND (?3 IS NULL OR t.plan_id = ?3)
       ORDER BY t.created_at DESC, t.id LIMIT 1000`,
    )
    .bind(f.status ?? null, f.site ?? null, f.planId ?? null)
    .all<TransferRow>()
    .then((r) => r.results)

/** Lot and request lines of the given transfers (ids as a JSON array, so one query serves any count). */
export async function selectLines(db: D1Database, ids: string[]): Promise<{ lots: LotLineRow[]; requests: RequestLineRow[] }> {
  if (ids.length === 0) return { lots: [], requests: [] }
  const json = JSON.stringify(ids)
  const [lots, requests] = await db.batch([
    db.prepare(
      `SELECT tl.transfer_id AS transferId, tl.lot_id AS lotId, tl.qty, l.expires_at AS expiresAt
       FROM transfer_lot tl LEFT JOIN lot l ON l.id = tl.lot_id
       WHERE tl.transfer_id IN (SELECT value FROM json_each(?1)) ORDER BY l.expires_at, tl.lot_id`,
    ).bind(json),
    db.prepare(
      `SELECT transfer_id AS transferId, request_id AS requestId, qty FROM transfer_request
       WHERE transfer_id IN (SELECT value FROM json_each(?1)) ORDER BY request_id`,
    ).bind(json),
  ])
  return { lots: lots.results as LotLineRow[], requests: requests.results as RequestLineRow[] }
}

/** Rows plus their lines, in the API shape. */
export async function withLines(db: D1Database, rows: TransferRow[]): Promise<TransferT[]> {
  const { lots, requests } = await selectLines(db, rows.map((r) => r.id))
  return rows.map(({ proposedLots: _l, proposedRequests: _r, ...t }) => ({
    ...t,
    lots: lots.filter((l) => l.transferId === t.id).map(({ lotId, qty, expiresAt }) => ({ lotId, qty, expiresAt })),
    requests: requests.filter((r) => r.transferId === t.id).map(({ requestId, qty }) => ({ requestId, qty })),
  }))
}

export type NewTransfer = {
  id: string; planId: string; fromSite: string; toSite: string; component: string; abo: string; rhd: string
  qty: number; etaHours: number; lots: { lotId: string; qty: number }[]; requests: { requestId: string; qty: number }[]
}

export const insertTransferStmts = (db: D1Database, t: NewTransfer, at: string): D1PreparedStatement[] => [
  db.prepare(
    `INSERT INTO transfer (id, plan_id, from_site, to_site, component, abo, rhd, proposed_qty, qty, eta_hours, status,
       proposed_lots, proposed_requests, created_at, updated_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, 'proposed', ?10, ?11, ?12, ?12)`,
  ).bind(t.id, t.planId, t.fromSite, t.toSite, t.component, t.abo, t.rhd, t.qty, t.etaHours, JSON.stringify(t.lots), JSON.stringify(t.requests), at),
  ...t.lots.map((l) => db.prepare('INSERT INTO transfer_lot (transfer_id, lot_id, qty) VALUES (?1, ?2, ?3)').bind(t.id, l.lotId, l.qty)),
  ...t.requests.map((r) => db.prepare('INSERT INTO transfer_request (transfer_id, request_id, qty) VALUES (?1, ?2, ?3)').bind(t.id, r.requestId, r.qty)),
]

/** A status change; the transfer_status_guard trigger aborts the batch on an illegal move. */
export const setStatusStmt = (db: D1Database, id: string, status: string, at: string, extra: Record<string, string | number | null> = {}) => {
  const keys = Object.keys(extra)
  const sets = keys.map((k, i) => `, ${k} = ?${i + 4}`).join('')
  return db.prepare(`UPDATE transfer SET status = ?2, updated_at = ?3${sets} WHERE id = ?1`).bind(id, status, at, ...keys.map((k) => extra[k]))
}

/** Replace a transfer's quantity and its lot and request lines (review only: the qty trigger refuses it after commit). */
export const setQtyStmts = (db: D1Database, id: string, qty: number, lots: { lotId: string; qty: number }[], requests: { requestId: string; qty: number }[], at: string) => [
  db.prepare('UPDATE transfer SET qty = ?2, updated_at = ?3 WHERE id = ?1').bind(id, qty, at),
  db.prepare('DELETE FROM transfer_lot WHERE transfer_id = ?1').bind(id),
  db.prepare('DELETE FROM transfer_request WHERE transfer_id = ?1').bind(id),
  ...lots.map((l) => db.prepare('INSERT INTO transfer_lot (transfer_id, lot_id, qty) VALUES (?1, ?2, ?3)').bind(id, l.lotId, l.qty)),
  ...requests.map((r) => db.prepare('INSERT INTO transfer_request (transfer_id, request_id, qty) VALUES (?1, ?2, ?3)').bind(id, r.requestId, r.qty)),
]

export type LotRow = { id: string; siteId: string; component: string; abo: string; rhd: string; antigens: string; collectedAt: string; expiresAt: string; qty: number }

export const selectLotsByIds = (db: D1Database, ids: string[]) =>
  db
    .prepare(
      `SELECT id, site_id AS siteId, component, abo, rhd, antigens, collected_at AS collectedAt, expires_at AS expiresAt, qty
       FROM lot WHERE id IN (SELECT value FROM json_each(?1))`,
    )
    .bind(JSON.stringify(ids))
    .all<LotRow>()
    .then((r) => r.results)

export const selectBatch = (db: D1Database, actorId: string, key: string) =>
  db
    .prepare('SELECT id, request_hash AS requestHash, at FROM movement_batch WHERE actor_id = ?1 AND idempotency_key = ?2')
    .bind(actorId, key)
    .first<{ id: string; requestHash: string; at: string }>()

export const insertBatchStmt = (db: D1Database, id: string, actorId: string, key: string, requestHash: string, at: string) =>
  db
    .prepare(`INSERT INTO movement_batch (id, actor_id, idempotency_key, request_hash, source, at) VALUES (?1, ?2, ?3, ?4, 'transfer', ?5)`)
    .bind(id, actorId, key, requestHash, at)

export const insertMovementStmt = (
  db: D1Database,
  m: { batchId: string; lotId: string; siteId: string; kind: 'transfer_out' | 'transfer_in'; delta: number; reason: string; transferId: string; actorId: string; at: string },
) =>
  db
    .prepare(
      `INSERT INTO movement (batch_id, lot_id, site_id, kind, delta, reason, transfer_id, actor_id, at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)`,
    )
    .bind(m.batchId, m.lotId, m.siteId, m.kind, m.delta, m.reason, m.transferId, m.actorId, m.at)

/**
 * The once-only commit guard. Inserted first for each transfer: its primary key refuses a second commit, and
 * `at` becomes NULL (NOT NULL fails the whole batch) when the transfer's qty is no longer the one the caller
 * read its lot lines for — a review edit that slipped in between cannot commit stale lines.
 */
export const insertCommitStmt = (db: D1Database, transferId: string, key: string, actorId: string, expectedQty: number, at: string) =>
  db
    .prepare(
      `INSERT INTO transfer_commit (transfer_id, idempotency_key, actor_id, at)
       VALUES (?1, ?2, ?3, CASE WHEN (SELECT qty FROM transfer WHERE id = ?1) = ?4 THEN ?5 ELSE NULL END)`,
    )
    .bind(transferId, key, actorId, expectedQty, at)

export const selectCommitted = (db: D1Database, actorId: string, key: string) =>
  db
    .prepare('SELECT transfer_id AS transferId FROM transfer_commit WHERE actor_id = ?1 AND idempotency_key = ?2 ORDER BY transfer_id')
    .bind(actorId, key)
    .all<{ transferId: string }>()
    .then((r) => r.results.map((x) => x.transferId))

export const insertLotStmt = (db: D1Database, l: Omit<LotRow, 'qty'>, at: string) =>
  db
    .prepare(
      `INSERT INTO lot (id, site_id, component, abo, rhd, antigens, collected_at, expires_at, qty, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, ?9)`,
    )
    .bind(l.id, l.siteId, l.component, l.abo, l.rhd, l.antigens, l.collectedAt, l.expiresAt, at)

/**
 * After a transfer is rejected or cancelled: each request it served that is planned but no longer covered by
 * any live transfer goes back to open (or partly_fulfilled when some units already arrived), audited as
 * request.status. Runs after the transfer's status change in the same batch, so it sees the new status.
 */
export function releaseRequestsStmts(db: D1Database, transferId: string, actorId: string, at: string): D1PreparedStatement[] {
  const target = `CASE WHEN r.fulfilled_qty > 0 THEN 'partly_fulfilled' ELSE 'open' END`
  const uncovered = `r.status = 'planned' AND r.id IN (SELECT request_id FROM transfer_request WHERE transfer_id = ?1)
    AND NOT EXISTS (SELECT 1 FROM transfer_request tr JOIN transfer t ON t.id = tr.transfer_id
                    WHERE tr.request_id = r.id AND t.status IN ('proposed', 'approved', 'committed', 'dispatched'))`
  return [
    db.prepare(
      `INSERT INTO audit_log (actor_id, action, entity, entity_id, detail, at)
       SELECT ?2, 'request.status', 'aid_request', r.id, json_object('from', r.status, 'to', ${target}, 'transferId', ?1), ?3
       FROM aid_request r WHERE ${uncovered}`,
    ).bind(transferId, actorId, at),
    db.prepare(`UPDATE aid_request AS r SET status = ${target}, updated_at = ?3 WHERE ${uncovered} AND ?2 IS NOT NULL`).bind(transferId, actorId, at),
  ]
}

export const selectRequestUrgency = (db: D1Database, ids: string[]) =>
  db
    .prepare(`SELECT id, urgency, needed_by AS neededBy FROM aid_request WHERE id IN (SELECT value FROM json_each(?1))`)
    .bind(JSON.stringify(ids))
    .all<{ id: string; urgency: string; neededBy: string | null }>()
    .then((r) => r.results)
