import { selectClaim } from '../db/idempotency'
import { selectBatchByKey, selectMovementsOfBatch } from '../db/movements'
import { conflict } from '../errors'
import { sha256Hex } from '../lib/crypto'
import type { BatchResultT } from '../schemas/movement'
import type { Actor } from './auth'

/** Fingerprint of a write's meaning: what, where, from which channel. Same key + other fingerprint = conflict. */
export const requestHash = (parts: unknown) => sha256Hex(JSON.stringify(parts))

/** A batch's result as it stands in the ledger: the same on the first answer and on every retry. */
export async function batchResult(db: D1Database, batch: { id: string; at: string; source: string }, siteId: string): Promise<BatchResultT> {
  const movements = await selectMovementsOfBatch(db, batch.id)
  return {
    batchId: batch.id,
    siteId: movements[0]?.siteId ?? siteId,
    source: batch.source,
    at: batch.at,
    movements,
    createdLots: movements.filter((m) => m.kind === 'receipt').map((m) => m.lotId),
  }
}

/**
 * If this actor already wrote under this key: the stored result when the request is the same, else 409.
 * Null when the key is new.
 */
export async function replay(db: D1Database, actor: Actor, key: string, hash: string, siteId: string): Promise<BatchResultT | null> {
  const prior = await selectBatchByKey(db, actor.id, key)
  if (!prior) return null
  if (prior.requestHash !== hash) throw keyReused()
  return batchResult(db, prior, siteId)
}

export const isUniqueKeyViolation = (e: unknown) => String(e).includes('UNIQUE constraint failed: movement_batch')

/** The one 409 for a key already used by this actor for another request, on every route. */
export const keyReused = () =>
  conflict('idempotency_key_reused', 'This Idempotency-Key was already used for a different request; use a new key', 'idempotency-key')

const replays = new WeakSet<object>()
/**
 * Marks a result as the stored answer to a retry (same Idempotency-Key, same request), so the route adds
 * `Idempotent-Replayed: true` (see replayHeader) without every service changing what it returns.
 */
export const asReplay = <T extends object>(result: T): T => (replays.add(result), result)
export const isReplay = (result: object) => replays.has(result)

/** Statement claiming (actor, key) for a write with no movement_batch; first in its batch. */
export { insertClaimStmt as claimKeyStmt } from '../db/idempotency'

/** The entity a claimed key made, when the request is the same; 409 when it differs; null when the key is new. */
export async function claimedEntity(db: D1Database, actorId: string, key: string, hash: string): Promise<string | null> {
  const prior = await selectClaim(db, actorId, key)
  if (!prior) return null
  if (prior.hash !== hash) throw keyReused()
  return prior.entityId
}

export const isClaimViolation = (e: unknown) => String(e).includes('idempotency_claim')
