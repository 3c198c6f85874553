import { selectClaim } from '../db/idempotency'
import { selectBatchByKey, selectMovementsOfBatch } from '../db/movements'
import { conflict } from '../errors'
import { sha256Hex } from '../lib/crypto'
import type { BatchResultT } from '../schemas/movement'
import type { Actor } from './auth'
import { isUnique } from '../db/constraints'

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
 * Null when the key is new. (The CSV count asks before parsing, since the lots it creates would change how the
 * same file reads; its write then goes through withIdempotency like every other.)
 */
export async function replay(db: D1Database, actor: Actor, key: string, hash: string, siteId: string): Promise<BatchResultT | null> {
  const prior = await selectBatchByKey(db, actor.id, key)
  if (!prior) return null
  if (prior.requestHash !== hash) throw keyReused()
  return batchResult(db, prior, siteId)
}

export const isUniqueKeyViolation = (e: unknown) => isUnique(e, 'movement_batch')

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

export const isClaimViolation = (e: unknown) => isUnique(e, 'idempotency_claim')

/** What a keyed write stored under a key: the hash of the whole request it answered, and how to answer it again. */
export interface Stored<T> {
  hash: string
  answer: () => Promise<T>
}

/**
 * The one idempotent write, for every keyed route. A key this actor already used answers the stored result when the
 * WHOLE request hashes the same (Idempotent-Replayed: true), else 409 idempotency_key_reused; a new key runs `write`,
 * whose batch claims the key in its first statement, so a concurrent retry fails whole (`isRace`) and answers the
 * winner's result. Without a key the write simply runs.
 */
export async function withIdempotency<T>(
  key: string | undefined,
  hash: string,
  lookup: (key: string) => Promise<Stored<T> | null>,
  write: () => Promise<T>,
  isRace: (e: unknown) => boolean,
): Promise<{ result: T; replayed: boolean }> {
  const stored = async (): Promise<{ result: T; replayed: true } | null> => {
    const s = key ? await lookup(key) : null
    if (!s) return null
    if (s.hash !== hash) throw keyReused()
    return { result: await s.answer(), replayed: true }
  }
  const earlier = await stored()
  if (earlier) return earlier
  try {
    return { result: await write(), replayed: false }
  } catch (e) {
    const raced = key && isRace(e) ? await stored() : null
    if (raced) return raced
    throw e
  }
}

/** Lookup for writes guarded by a movement_batch row (movements, CSV counts, local transfers, receipts). */
export const batchLookup =
  <T>(db: D1Database, actorId: string, answer: (batch: { id: string; at: string; source: string }) => Promise<T>) =>
  async (key: string): Promise<Stored<T> | null> => {
    const prior = await selectBatchByKey(db, actorId, key)
    return prior ? { hash: prior.requestHash, answer: () => answer(prior) } : null
  }

/** Lookup for writes guarded by an idempotency_claim row (plans, incidents). */
export const claimLookup =
  <T>(db: D1Database, actorId: string, answer: (entityId: string) => Promise<T>) =>
  async (key: string): Promise<Stored<T> | null> => {
    const prior = await selectClaim(db, actorId, key)
    return prior ? { hash: prior.hash, answer: () => answer(prior.entityId) } : null
  }
