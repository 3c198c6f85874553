import type { MovementQueryT, MovementT } from '../schemas/movement'

/** Ledger SQL. Every write here is a statement for the caller's db.batch(); nothing runs on its own. */

export type BatchSource = 'api' | 'csv' | 'transfer' | 'seed'
export type BatchRow = { id: string; actorId: string; idempotencyKey: string; requestHash: string; source: BatchSource; at: string }
export type MovementKindT = 'receipt' | 'issue' | 'discard' | 'adjust' | 'transfer_out' | 'transfer_in'

/** The movement_batch row: first in every write batch; UNIQUE (actor_id, idempotency_key) refuses a second apply. */
export const insertBatchStmt = (db: D1Database, b: BatchRow) =>
  db
    .prepare('INSERT INTO movement_batch (id, actor_id, idempotency_key, request_hash, source, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)')
    .bind(b.id, b.actorId, b.idempotencyKey, b.requestHash, b.source, b.at)

export const selectBatchByKey = (db: D1Database, actorId: string, key: string) =>
  db
    .prepare(
      'SELECT id, actor_id AS actorId, idempotency_key AS idempotencyKey, request_hash AS requestHash, source, at FROM movement_batch WHERE actor_id = ?1 AND idempotency_key = ?2',
    )
    .bind(actorId, key)
    .first<BatchRow>()

export type MovementRowIn = {
  batchId: string
  lotId: string
  siteId: string
  kind: MovementKindT
  delta: number
  reason?: string
  transferId?: string | null
  actorId: string
  at: string
}

/** One ledger row. The trigger movement_applies moves lot.qty; its CHECK (qty >= 0) fails the whole batch if it would go negative. */
export const insertMovementStmt = (db: D1Database, m: MovementRowIn) =>
  db
    .prepare('INSERT INTO movement (batch_id, lot_id, site_id, kind, delta, reason, transfer_id, actor_id, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)')
    .bind(m.batchId, m.lotId, m.siteId, m.kind, m.delta, m.reason ?? '', m.transferId ?? null, m.actorId, m.at)

/**
 * A stock count: the delta is computed from the lot's qty when the statement runs (so it is right even if the
 * lot moved since it was read, and after earlier lines of the same batch). Writes no row when nothing changes.
 */
export const insertCountStmt = (db: D1Database, m: Omit<MovementRowIn, 'kind' | 'delta'> & { countedQty: number }) =>
  db
    .prepare(
      `INSERT INTO movement (batch_id, lot_id, site_id, kind, delta, reason, transfer_id, actor_id, at)
       SELECT ?1, id, ?3, 'adjust', ?4 - qty, ?5, NULL, ?6, ?7 FROM lot WHERE id = ?2 AND qty <> ?4`,
    )
    .bind(m.batchId, m.lotId, m.siteId, m.countedQty, m.reason ?? 'stock count', m.actorId, m.at)

const COLUMNS = `id, batch_id AS batchId, lot_id AS lotId, site_id AS siteId, kind, delta, reason, transfer_id AS transferId, actor_id AS actorId, at`

export const selectMovementsOfBatch = (db: D1Database, batchId: string) =>
  db
    .prepare(`SELECT ${COLUMNS} FROM movement WHERE batch_id = ?1 ORDER BY id`)
    .bind(batchId)
    .all<MovementT>()
    .then((r) => r.results)

export const selectMovements = (db: D1Database, q: MovementQueryT) =>
  db
    .prepare(
      `SELECT ${COLUMNS} FROM movement
       WHERE (?1 IS NULL OR site_id = ?1) AND (?2 IS NULL OR lot_id = ?2) AND (?3 IS NULL OR kind = ?3) AND (?4 IS NULL OR batch_id = ?4)
         AND (?5 IS NULL OR at >= ?5) AND (?6 IS NULL OR at < ?6)
       ORDER BY id DESC LIMIT ?7`,
    )
    .bind(q.site ?? null, q.lot ?? null, q.kind ?? null, q.batch ?? null, q.since ?? null, q.until ?? null, q.limit)
    .all<MovementT>()
    .then((r) => r.results)

/** Lots whose cached qty differs from the sum of their ledger rows (should be none). */
export const selectReconcile = async (db: D1Database, siteId?: string) => {
  const [count, bad] = await db.batch<{ n?: number; lotId?: string; siteId?: string; cachedQty?: number; ledgerQty?: number }>([
    db.prepare('SELECT COUNT(*) AS n FROM lot WHERE (?1 IS NULL OR site_id = ?1)').bind(siteId ?? null),
    db
      .prepare(
        `SELECT l.id AS lotId, l.site_id AS siteId, l.qty AS cachedQty, COALESCE(SUM(m.delta), 0) AS ledgerQty
         FROM lot l LEFT JOIN movement m ON m.lot_id = l.id
         WHERE (?1 IS NULL OR l.site_id = ?1)
         GROUP BY l.id HAVING l.qty <> COALESCE(SUM(m.delta), 0) ORDER BY l.id`,
      )
      .bind(siteId ?? null),
  ])
  return {
    checked: count.results[0].n as number,
    mismatches: bad.results as { lotId: string; siteId: string; cachedQty: number; ledgerQty: number }[],
  }
}
