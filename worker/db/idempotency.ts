/** Idempotency claims for writes that have no movement_batch (plans, aid requests, incidents). */

/** The claim row, first in its batch: its primary key (actor, key) makes a second write with the same key fail whole. */
export const insertClaimStmt = (db: D1Database, c: { actorId: string; key: string; action: string; hash: string; entityId: string; at: string }) =>
  db
    .prepare('INSERT INTO idempotency_claim (actor_id, idempotency_key, action, request_hash, entity_id, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)')
    .bind(c.actorId, c.key, c.action, c.hash, c.entityId, c.at)

export const selectClaim = (db: D1Database, actorId: string, key: string) =>
  db
    .prepare('SELECT request_hash AS hash, entity_id AS entityId FROM idempotency_claim WHERE actor_id = ?1 AND idempotency_key = ?2')
    .bind(actorId, key)
    .first<{ hash: string; entityId: string }>()
