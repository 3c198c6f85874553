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
  if (prior.requestHash !== hash)
    throw conflict('idempotency_key_reused', 'This Idempotency-Key was already used for a different request; use a new key', 'idempotency-key')
  return batchResult(db, prior, siteId)
}

export const isUniqueKeyViolation = (e: unknown) => String(e).includes('UNIQUE constraint failed: movement_batch')
