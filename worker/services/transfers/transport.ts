import { insertLotStmt, selectLotsByIds, type LotRow } from '../../db/lots'
import { insertBatchStmt, insertMovementStmt } from '../../db/movements'
import { selectLines, type LotLineRow, type TransferRow } from '../../db/transfers/read'
import { closePlanIfDoneStmt, releaseRequestsStmts, setStatusStmt } from '../../db/transfers/state'
import { insertDispatchRecordStmt, insertReceiptRecordStmt, selectTransportRange, setThawedStmt } from '../../db/transfers/transport'
import { ApiError, badRequest, conflict, forbidden } from '../../errors'
import { newId, sha256Hex } from '../../lib/crypto'
import { nowIso } from '../../lib/time'
import type { TransferDispatchT, TransferReceiveT, TransferT } from '../../schemas/transfer'
import { auditStmt } from '../audit'
import { batchLookup, withIdempotency } from '../idempotency'
import { canWriteSite, type Actor } from '../auth'
import { thawedExpiry, THAWED_UNUSED } from '../frozen'
import { refreshAfterWrite } from '../movements'
import { recordFulfilment } from '../requests'
import { aidDispatchStmts, aidReceiptStmts } from '../province-aid-shipments'
import { fill, getTransfer, loadRow, mapGuardError, requireTransition, URGENCY_RANK } from './state'
import { isRaised, isUnique } from '../../db/constraints'

/**
 * Dispatch and receipt: the donor station packs and sends the box, the receiving station takes it in. Both are
 * recorded with the box temperature (the transport record); units that arrive outside their component's transport
 * range are discarded at the receiving station, never put into usable stock.
 */

type Range = { min: number | null; max: number | null }

const inRange = (r: Range, c: number) => (r.min === null || c >= r.min) && (r.max === null || c <= r.max)
const describe = (r: Range) => (r.min === null ? `≤ ${r.max} °C` : r.max === null ? `≥ ${r.min} °C` : `${r.min}–${r.max} °C`)

async function rangeOf(db: D1Database, component: string): Promise<Range> {
  return (await selectTransportRange(db, component)) ?? { min: null, max: null }
}

const notThawed = (id: string) =>
  conflict('not_thawed', `Transfer ${id} carries frozen red cells: thaw them first (POST /api/transfers/${id}/thaw), then dispatch`)

/**
 * The thaw step of a committed transfer that carries frozen red cells, by the donor station's director (or a
 * coordinator/admin), audited with who and when. From then the units keep 24 h (GB 18469-2012): they arrive as a
 * thawed lot expiring 24 h after the thaw, and if the transfer is cancelled they are discarded, never refrozen.
 * Once only; the trigger transfer_thaw_once is the guard.
 */
export async function thawTransfer(db: D1Database, actor: Actor, id: string): Promise<TransferT> {
  const t = await loadRow(db, id)
  const allowed = canWriteSite(actor, t.fromSite)
  if (!allowed)
    throw forbidden(
      actor.role === 'director' ? `Only the donor station ${t.fromSite} or a coordinator may thaw this transfer's units` : `A ${actor.role} may not thaw units`,
    )
  if (!t.frozen) throw conflict('not_frozen', `Transfer ${id} carries no frozen units; there is nothing to thaw`)
  if (t.thawedAt) throw conflict('already_thawed', `Transfer ${id} was thawed at ${t.thawedAt} by ${t.thawedBy}`)
  if (t.status !== 'committed') throw conflict('invalid_transition', `Transfer ${id} is ${t.status}; units are thawed after commit and before dispatch`)
  const at = nowIso()
  const { lots } = await selectLines(db, [id])
  const frozen = lots.filter((l) => l.frozen === 1)
  try {
    await db.batch([
      setThawedStmt(db, id, actor.id, at),
      auditStmt(
        db,
        actor,
        'transfer.thaw',
        'transfer',
        id,
        {
          thawedAt: at,
          lots: frozen.map((l) => ({ lotId: l.lotId, qty: l.qty, expiresAt: thawedExpiry(at, l.expiresAt ?? at) })),
        },
        at,
      ),
    ])
  } catch (e) {
    if (isRaised(e, 'transfer_thaw')) throw conflict('already_thawed', `Transfer ${id} was thawed meanwhile, or is no longer committed`)
    throw e
  }
  return getTransfer(db, id)
}

/**
 * Thawed units that will not be used (the transfer cancelled after the thaw): back at the donor as a lot of thawed
 * units (liquid, expiring 24 h after the thaw) and discarded in the same batch, reason 'thawed, unused'. The frozen
 * lot they came from never gets them back. Liquid lines of the same transfer return to their lots as usual.
 */
export function returnStmts(
  db: D1Database,
  actor: Actor,
  t: TransferRow,
  lines: LotLineRow[],
  source: Map<string, LotRow>,
  batchId: string,
  at: string,
): D1PreparedStatement[] {
  const base = { batchId, siteId: t.fromSite, transferId: t.id, actorId: actor.id, at }
  return lines.flatMap((l) => {
    const src = source.get(l.lotId)
    if (!t.thawedAt || !src?.frozen)
      return [insertMovementStmt(db, { ...base, lotId: l.lotId, kind: 'transfer_in', delta: l.qty, reason: `transfer ${t.id} cancelled` })]
    const lotId = newId('lot')
    return [
      insertLotStmt(db, { ...src, id: lotId, expiresAt: thawedExpiry(t.thawedAt, src.expiresAt), createdAt: at, frozen: false, thawedAt: t.thawedAt }),
      insertMovementStmt(db, { ...base, lotId, kind: 'transfer_in', delta: l.qty, reason: `transfer ${t.id} cancelled after thawing (lot ${src.id})` }),
      insertMovementStmt(db, { ...base, lotId, kind: 'discard', delta: -l.qty, reason: THAWED_UNUSED }),
    ]
  })
}

/** committed → dispatched by the donor station's director (or a coordinator/admin), with the box's record. */
export async function dispatchTransfer(db: D1Database, actor: Actor, id: string, record: TransferDispatchT): Promise<TransferT> {
  const t = await loadRow(db, id)
  const allowed = canWriteSite(actor, t.fromSite)
  if (!allowed)
    throw forbidden(
      actor.role === 'director'
        ? `Only the donor station ${t.fromSite} or a coordinator may dispatch this transfer`
        : `A ${actor.role} may not dispatch transfers`,
    )
  requireTransition(t, 'dispatched')
  if (t.frozen && !t.thawedAt) throw notThawed(id)
  const range = await rangeOf(db, t.component)
  // a box that leaves out of range would only be discarded on arrival: repack it first
  if (!inRange(range, record.temperatureC)) {
    throw badRequest(
      'temperatureC',
      `A ${t.component} box must travel at ${describe(range)}; it reads ${record.temperatureC} °C: repack before dispatch`,
      'temperature_out_of_range',
    )
  }
  const at = nowIso()
  try {
    await db.batch([
      setStatusStmt(db, id, 'dispatched', at, { dispatched_at: at }),
      insertDispatchRecordStmt(db, { transferId: id, ...record, inRange: true, actorId: actor.id, at }),
      auditStmt(db, actor, 'transfer.dispatch', 'transfer', id, { qty: t.qty, ...record }, at),
      // aid to another province: its 'aid.dispatch' message goes in this batch (docs/province-aid.md)
      ...(await aidDispatchStmts(db, actor, t, record, at)),
    ])
  } catch (e) {
    if (isUnique(e, 'transport_record')) throw conflict('invalid_transition', `Transfer ${id} was already dispatched`, 'status')
    if (isRaised(e, 'transfer_not_thawed')) throw notThawed(id)
    mapGuardError(e, t, 'dispatched')
  }
  return getTransfer(db, id)
}

export type ReceiveOutcome = { transfer: TransferT; replayed: boolean }

/**
 * dispatched → received, in one batch: new lots at the destination (same component, group, antigens and expiry
 * as the source lots) filled by transfer_in movements; the rejected units (all of them when the box arrived out
 * of range) discarded from those lots at once with the reason; the receipt record; received/lost quantities on
 * the transfer; the accepted units credited to the served requests, most urgent first. The movement_batch id is
 * fixed per transfer (received once); (actor, Idempotency-Key) makes a retry answer the same transfer.
 */
export async function receiveTransfer(db: D1Database, actor: Actor, id: string, key: string, body: TransferReceiveT): Promise<ReceiveOutcome> {
  const t = await loadRow(db, id)
  const allowed = canWriteSite(actor, t.toSite)
  if (!allowed)
    throw forbidden(
      actor.role === 'director'
        ? `Only the receiving station ${t.toSite} or a coordinator may receive this transfer`
        : `A ${actor.role} may not receive transfers`,
    )
  const hash = await sha256Hex(`receive:${id}:${JSON.stringify(body)}`)
  const lookup = batchLookup(db, actor.id, () => getTransfer(db, id))
  const { result, replayed } = await withIdempotency(
    key,
    hash,
    lookup,
    () => receive(db, actor, t, key, hash, body),
    (e) => isUnique(e, 'movement_batch', 'actor_id'),
  )
  return { transfer: result, replayed }
}

async function receive(db: D1Database, actor: Actor, t: Awaited<ReturnType<typeof loadRow>>, key: string, hash: string, body: TransferReceiveT) {
  const id = t.id
  requireTransition(t, 'received')
  if (body.receivedQty > t.qty) throw badRequest('receivedQty', `receivedQty may be at most the transfer's qty ${t.qty}`)

  const range = await rangeOf(db, t.component)
  const ok = inRange(range, body.temperatureC)
  const rejectedQty = ok ? (body.rejectedQty ?? 0) : body.receivedQty
  const rejectReason = ok
    ? rejectedQty > 0
      ? body.rejectReason!
      : null
    : `temperature_out_of_range: the box read ${body.temperatureC} °C; ${t.component} travels at ${describe(range)}`
  const acceptedQty = body.receivedQty - rejectedQty

  const { lots: lines, requests } = await selectLines(db, [id])
  const source = new Map(
    (
      await selectLotsByIds(
        db,
        lines.map((l) => l.lotId),
      )
    ).map((l) => [l.id, l]),
  )
  const at = nowIso()
  const batchId = `mb_receive_${id}`
  const stmts: D1PreparedStatement[] = [
    insertBatchStmt(db, { id: batchId, actorId: actor.id, idempotencyKey: key, requestHash: hash, source: 'transfer', at }),
    setStatusStmt(db, id, 'received', at, { received_qty: body.receivedQty, lost_qty: t.qty - body.receivedQty, received_at: at }),
    insertReceiptRecordStmt(db, {
      transferId: id,
      temperatureC: body.temperatureC,
      arrivedAt: body.arrivedAt,
      sealIntact: body.sealIntact,
      acceptedQty,
      rejectedQty,
      rejectReason,
      inRange: ok,
      note: body.note,
      actorId: actor.id,
      at,
    }),
  ]
  const newLots: { lotId: string; from: string; qty: number; discarded: number }[] = []
  let toDiscard = rejectedQty
  for (const line of fill(lines, body.receivedQty)) {
    const src = source.get(line.lotId)
    if (!src) throw new ApiError(409, 'invalid_transition', `Source lot ${line.lotId} of transfer ${id} is missing`)
    const lotId = newId('lot')
    const discard = Math.min(toDiscard, line.qty)
    toDiscard -= discard
    newLots.push({ lotId, from: src.id, qty: line.qty, discarded: discard })
    // thawed units arrive as a liquid lot expiring 24 h after the thaw; other units keep their lot's expiry
    const thawed =
      src.frozen === 1 && t.thawedAt
        ? { frozen: false, thawedAt: t.thawedAt, expiresAt: thawedExpiry(t.thawedAt, src.expiresAt) }
        : { frozen: false, thawedAt: src.thawedAt }
    stmts.push(insertLotStmt(db, { ...src, id: lotId, siteId: t.toSite, createdAt: at, ...thawed }))
    stmts.push(
      insertMovementStmt(db, {
        batchId,
        lotId,
        siteId: t.toSite,
        kind: 'transfer_in',
        delta: line.qty,
        reason: `transfer ${id} from ${t.fromSite} (lot ${src.id})`,
        transferId: id,
        actorId: actor.id,
        at,
      }),
    )
    if (discard > 0) {
      stmts.push(
        insertMovementStmt(db, {
          batchId,
          lotId,
          siteId: t.toSite,
          kind: 'discard',
          delta: -discard,
          reason: `rejected on receipt of transfer ${id}: ${rejectReason}`,
          transferId: id,
          actorId: actor.id,
          at,
        }),
      )
    }
  }
  // accepted units go to the most urgent requests first; a request left short stays open for the next plan
  const ordered = [...requests].sort((a, b) => (URGENCY_RANK[a.urgency] ?? 2) - (URGENCY_RANK[b.urgency] ?? 2))
  for (const s of fill(ordered, acceptedQty)) if (s.qty > 0) stmts.push(...recordFulfilment(db, actor, s.requestId, s.qty, { transferId: id }))
  // a request this transfer was to cover but that got nothing (rejected or lost units) is open again
  stmts.push(...releaseRequestsStmts(db, [id], actor.id, at))
  stmts.push(
    auditStmt(
      db,
      actor,
      'transfer.receive',
      'transfer',
      id,
      {
        receivedQty: body.receivedQty,
        acceptedQty,
        rejectedQty,
        rejectReason,
        lostQty: t.qty - body.receivedQty,
        temperatureC: body.temperatureC,
        inRange: ok,
        sealIntact: body.sealIntact ?? null,
        lots: newLots,
      },
      at,
    ),
  )
  if (t.planId) stmts.push(closePlanIfDoneStmt(db, t.planId))
  // aid from another province: its 'aid.receipt' message goes back in this batch (docs/province-aid.md)
  const receipt = { receivedQty: body.receivedQty, acceptedQty, rejectedQty, rejectReason, temperatureC: body.temperatureC, inRange: ok }
  stmts.push(...(await aidReceiptStmts(db, actor, id, receipt, at)))
  try {
    await db.batch(stmts)
  } catch (e) {
    // the actor's key raced (withIdempotency answers it); the batch id fixed per transfer: received by someone else
    if (isUnique(e, 'movement_batch', 'actor_id')) throw e
    if (isUnique(e, 'movement_batch')) throw conflict('invalid_transition', `Transfer ${id} was already received`, 'status')
    mapGuardError(e, t, 'received')
  }
  await refreshAfterWrite(db, t.toSite)
  return getTransfer(db, id)
}
