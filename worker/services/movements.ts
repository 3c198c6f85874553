import { insertLotStmt, selectLotsByIds, type LotRow } from '../db/lots'
import { insertBatchStmt, insertCountStmt, insertMovementStmt, selectMovements, selectReconcile, type BatchSource } from '../db/movements'
import { selectSite } from '../db/sites'
import { selectComponents } from '../db/stock'
import { ApiError, badRequest, conflict } from '../errors'
import { newId } from '../lib/crypto'
import { nowIso } from '../lib/time'
import type { BatchResultT, MovementBatchInT, MovementInT, MovementQueryT } from '../schemas/movement'
import { auditStmt } from './audit'
import { requireSiteWriter, type Actor } from './auth'
import { batchLookup, batchResult, isUniqueKeyViolation, requestHash, withIdempotency } from './idempotency'
import { routineCaps } from './issue-caps'
import { insertIssueMovementStmt } from '../db/issue-caps'
import { FROZEN_RBC_SHELF_LIFE_HOURS } from './frozen'
import { hospitalsOf } from './hospitals'
import { refreshWarnings } from './warnings'
import { isCheck, isUnique } from '../db/constraints'

const HOUR = 3_600_000

export type WriteOptions = {
  idempotencyKey: string
  source?: BatchSource
  /** Precomputed request fingerprint (the CSV import hashes the raw file); defaults to the hash of the input. */
  hash?: string
}
export type WriteOutcome = { result: BatchResultT; replayed: boolean }

/** Shelf life per component, from the catalogue. */
async function shelfLives(db: D1Database): Promise<Map<string, number>> {
  return new Map((await selectComponents(db)).map((c) => [c.code, c.shelfLifeHours]))
}

type LedgerStatements = { stmts: D1PreparedStatement[]; createdLots: string[] }

/**
 * Checks every line against the stock as read now and composes the statements. The checks give good
 * messages; correctness under concurrency rests on the CHECK (qty >= 0) when the batch runs.
 */
async function ledgerStatements(db: D1Database, actor: Actor, input: MovementBatchInT, batchId: string, at: string): Promise<LedgerStatements> {
  const { siteId, movements } = input
  const lifeByComponent = await shelfLives(db)
  const referenced = [...new Set(movements.map((m) => m.lotId).filter((x): x is string => !!x))]
  const lots = new Map<string, LotRow>((await selectLotsByIds(db, referenced)).map((l) => [l.id, l]))
  const qty = new Map<string, number>([...lots.values()].map((l) => [l.id, l.qty]))
  const stmts: D1PreparedStatement[] = []
  const createdLots: string[] = []
  const base = { batchId, siteId, actorId: actor.id, at }
  // Lots received already expired, by id → the line: allowed only to be discarded whole in the same batch.
  const expiredReceipts = new Map<string, number>()
  // the day's routine-issue caps at yellow / orange / red: read only when the batch issues routinely
  const caps = movements.some((m) => m.kind === 'issue' && m.urgency === 'routine')
    ? new Map((await routineCaps(db, siteId, at)).map((c) => [c.component, c]))
    : new Map()
  const routineInBatch = new Map<string, number>()
  // components of lots received in this batch: a routine issue of one counts against the cap too (issue 21)
  const receivedComponent = new Map<string, string>()
  // hospitals named by issues: from the register of the site's station (a storage point uses its station's)
  const named = [...new Set(movements.flatMap((m) => (m.kind === 'issue' && m.hospitalId ? [m.hospitalId] : [])))]
  const hospitals = named.length ? await hospitalsOf(db, siteId) : new Set<string>()

  movements.forEach((m: MovementInT, i) => {
    const f = (name: string) => `movements.${i}.${name}`
    if (m.kind === 'receipt') {
      const collected = Date.parse(m.collectedAt)
      const expires = Date.parse(m.expiresAt)
      if (!(expires > collected)) throw badRequest(f('expiresAt'), 'Expiry must be after collection')
      if (m.frozen && m.component !== 'RBC') throw badRequest(f('frozen'), `Only red cells are received frozen; ${m.component} is not`)
      // frozen red cells keep 10 years at ≤ −65 °C; liquid units the catalogue's shelf life
      const life = m.frozen ? FROZEN_RBC_SHELF_LIFE_HOURS : lifeByComponent.get(m.component)!
      if (expires - collected > life * HOUR)
        throw badRequest(
          f('expiresAt'),
          m.frozen
            ? `Frozen red cells keep at most 10 years (${life} hours) from collection`
            : `${m.component} keeps at most ${life} hours (${life / 24} days) from collection${m.component === 'RBC' ? '; frozen red cells are received with "frozen": true' : ''}`,
        )
      if (collected > Date.parse(at) + HOUR) throw badRequest(f('collectedAt'), 'Collection cannot be in the future')
      const lotId = m.lotId ?? newId('lot')
      if (expires <= Date.parse(at)) {
        if (!m.lotId) throw badRequest(f('expiresAt'), 'This lot has expired: receive it with a lotId and discard all of it in the same batch')
        expiredReceipts.set(lotId, i)
      }
      if (lots.has(lotId) || qty.has(lotId)) throw conflict('lot_exists', `Lot ${lotId} already exists`, f('lotId'))
      qty.set(lotId, m.qty)
      receivedComponent.set(lotId, m.component)
      createdLots.push(lotId)
      stmts.push(
        insertLotStmt(db, {
          id: lotId,
          siteId,
          component: m.component,
          abo: m.abo,
          rhd: m.rhd,
          antigens: m.antigens.join(','),
          collectedAt: new Date(collected).toISOString(),
          expiresAt: new Date(expires).toISOString(),
          createdAt: at,
          frozen: m.frozen,
        }),
        insertMovementStmt(db, { ...base, lotId, kind: 'receipt', delta: m.qty, reason: m.reason }),
      )
      return
    }
    const lot = lots.get(m.lotId)
    if (!lot && !qty.has(m.lotId)) throw new ApiError(404, 'not_found', `No lot ${m.lotId}`, f('lotId'))
    if (lot && lot.siteId !== siteId) throw badRequest(f('lotId'), `Lot ${m.lotId} is held by ${lot.siteId}, not ${siteId}`, 'wrong_site')
    const have = qty.get(m.lotId)!
    if (m.kind !== 'discard' && expiredReceipts.has(m.lotId)) throw badRequest(f('kind'), `Lot ${m.lotId} is received expired: it can only be discarded`)
    if (m.kind === 'adjust') {
      if (m.countedQty !== undefined) {
        qty.set(m.lotId, m.countedQty)
        if (m.countedQty !== have) stmts.push(insertCountStmt(db, { ...base, lotId: m.lotId, countedQty: m.countedQty, reason: m.reason }))
        return
      }
      const delta = m.delta!
      if (delta === 0) return
      if (have + delta < 0) throw conflict('insufficient_stock', `Lot ${m.lotId} holds ${have}; an adjustment of ${delta} would take it below zero`, f('lotId'))
      qty.set(m.lotId, have + delta)
      stmts.push(insertMovementStmt(db, { ...base, lotId: m.lotId, kind: 'adjust', delta, reason: m.reason }))
      return
    }
    if (m.kind === 'issue' && lot && lot.expiresAt <= at)
      throw conflict('lot_expired', `Lot ${m.lotId} expired at ${lot.expiresAt}; discard it instead`, f('lotId'))
    if (have < m.qty) throw conflict('insufficient_stock', `Lot ${m.lotId} holds ${have}; cannot take ${m.qty}`, f('lotId'))
    qty.set(m.lotId, have - m.qty)
    if (m.kind === 'issue') {
      const component = lot?.component ?? receivedComponent.get(m.lotId)
      const cap = component && m.urgency === 'routine' ? caps.get(component) : undefined
      if (cap && cap.cap !== null && component) {
        const before = routineInBatch.get(component) ?? 0
        routineInBatch.set(component, before + m.qty)
        if (cap.routineIssuedToday + before + m.qty > cap.cap && !m.capReason)
          throw badRequest(
            f('capReason'),
            `${siteId} is at ${cap.level} for ${component}: routine issues are cut by ${cap.cutPct} % to ${cap.cap} today ` +
              `(${cap.routineIssuedToday + before} issued); say why this issue goes beyond the cap`,
            'cap_reason_required',
          )
      }
      if (m.hospitalId && !hospitals.has(m.hospitalId))
        throw badRequest(f('hospitalId'), `Hospital ${m.hospitalId} is not in the register of ${siteId}'s station`)
      stmts.push(
        insertIssueMovementStmt(db, {
          ...base,
          lotId: m.lotId,
          delta: -m.qty,
          reason: m.reason,
          urgency: m.urgency,
          capReason: m.capReason ?? null,
          hospitalId: m.hospitalId ?? null,
        }),
      )
      return
    }
    stmts.push(insertMovementStmt(db, { ...base, lotId: m.lotId, kind: m.kind, delta: -m.qty, reason: m.reason }))
  })
  for (const [lotId, i] of expiredReceipts)
    if (qty.get(lotId) !== 0)
      throw badRequest(`movements.${i}.expiresAt`, `Lot ${lotId} has expired: it can be received only to be discarded, all of it, in the same batch`)
  return { stmts, createdLots }
}

/**
 * Records receipts, issues, discards and stock counts for one site in ONE db.batch():
 * movement_batch (the once-only guard) → lots and ledger rows → audit. Whole or nothing.
 * Retrying with the same Idempotency-Key and request answers the stored result; another request → 409.
 */
export async function recordMovements(db: D1Database, actor: Actor, input: MovementBatchInT, opts: WriteOptions): Promise<WriteOutcome> {
  const { siteId } = input
  requireSiteWriter(actor, siteId)
  // a hospital's blood bank receives units from its station through orders (POST /api/orders/{id}/receive)
  const receipt = actor.role === 'hospital' ? input.movements.findIndex((m) => m.kind === 'receipt') : -1
  if (receipt >= 0) throw badRequest(`movements.${receipt}.kind`, 'A hospital receives units through an order to its station, not as a receipt', 'use_order')
  if (!(await selectSite(db, siteId))) throw badRequest('siteId', `No site ${siteId}`)
  const source = opts.source ?? 'api'
  const hash = opts.hash ?? (await requestHash({ source, input }))
  const lookup = batchLookup(db, actor.id, (b) => batchResult(db, b, siteId))
  return withIdempotency(opts.idempotencyKey, hash, lookup, () => write(db, actor, input, source, opts.idempotencyKey, hash), isUniqueKeyViolation)
}

async function write(db: D1Database, actor: Actor, input: MovementBatchInT, source: BatchSource, idempotencyKey: string, hash: string): Promise<BatchResultT> {
  const { siteId } = input
  const batchId = newId('mb')
  const at = nowIso()
  const { stmts, createdLots } = await ledgerStatements(db, actor, input, batchId, at)
  const batch = { id: batchId, actorId: actor.id, idempotencyKey, requestHash: hash, source, at }
  try {
    await db.batch([
      insertBatchStmt(db, batch),
      ...stmts,
      // The batch, not its lines (those are the ledger rows with this batch id): a 20,000-line count would not fit in a row.
      auditStmt(
        db,
        actor,
        'movement.batch',
        'movement_batch',
        batchId,
        { siteId, source, lines: input.movements.length, received: createdLots.length, requestHash: hash },
        at,
      ),
    ])
  } catch (e) {
    if (isUniqueKeyViolation(e)) throw e // withIdempotency answers the retry that won
    if (isCheck(e, 'qty')) {
      // Someone else took the stock between our read and our write: name the line that no longer fits.
      await ledgerStatements(db, actor, input, batchId, at) // throws insufficient_stock naming the lot when it can
      throw conflict('insufficient_stock', 'Stock changed while writing; a lot would go below zero', 'movements')
    }
    if (isUnique(e, 'lot', 'id')) throw conflict('lot_exists', 'A lot with this id already exists', 'movements')
    throw e
  }
  await refreshAfterWrite(db, siteId)
  return batchResult(db, batch, siteId)
}

/** Warning levels follow every stock change; a failure here must not undo or hide a committed write. */
export async function refreshAfterWrite(db: D1Database, siteId: string): Promise<void> {
  try {
    await refreshWarnings(db, siteId)
  } catch (e) {
    console.error('warning refresh failed', e)
  }
}

export const listMovements = (db: D1Database, q: MovementQueryT) => selectMovements(db, q)
export const reconcile = (db: D1Database, siteId?: string) => selectReconcile(db, siteId)
