// Hospital orders (issue 23): a hospital orders from the station that supplies it; the station fills the order with
// its own issue to the hospital (a transfer written dispatched, with the box's transport record), and the hospital
// receives it as any transfer is received. Every decision is audited; an emergency call is an event the station's
// director sees in GET /api/events (entity hospital_order, urgency emergency).
import { selectLotsByIds } from '../db/lots'
import { insertBatchStmt, insertMovementStmt } from '../db/movements'
import {
  insertDispatchedTransferStmts,
  insertOrderStmt,
  selectFillableLots,
  selectOrder,
  selectOrderOfBatch,
  selectOrders,
  setOrderClosedStmt,
  setOrderFilledStmt,
  type OrderRow,
} from '../db/orders'
import { selectRoadTime } from '../db/road-times'
import { selectSite } from '../db/sites'
import { insertDispatchRecordStmt, selectTransportRange } from '../db/transfers/transport'
import { isCheck, isRaised } from '../db/constraints'
import { ApiError, badRequest, conflict, forbidden, notFound } from '../errors'
import { newId } from '../lib/crypto'
import { nowIso } from '../lib/time'
import type { OrderCreateT, OrderFillT, OrderQueryT, OrderT } from '../schemas/order'
import type { TransferReceiveT } from '../schemas/transfer'
import { roadHours } from '../../solver/timing'
import { auditStmt } from './audit'
import { canReadSite, requireSiteReader, requireSiteWriter, type Actor } from './auth'
import { batchLookup, claimKeyStmt, claimLookup, isClaimViolation, isUniqueKeyViolation, requestHash, withIdempotency } from './idempotency'
import { refreshAfterWrite } from './movements'
import { travelHoursOf } from './road-times'
import { receiveTransfer } from './transfers'

const MINUTE = 60_000

async function loadOrder(db: D1Database, id: string, now = nowIso()): Promise<OrderRow> {
  const o = await selectOrder(db, id, now)
  if (!o) throw notFound('order', id)
  return o
}

/** Who may see an order: its hospital, its station's director, coordinators, planners and admins. */
const canSeeOrder = (actor: Actor, o: OrderRow) =>
  canReadSite(actor, { id: o.hospitalId, kind: 'hospital', parentId: o.stationId }) || (actor.role === 'director' && actor.siteId === o.stationId)

export async function getOrder(db: D1Database, actor: Actor, id: string): Promise<OrderT> {
  const o = await loadOrder(db, id)
  if (!canSeeOrder(actor, o)) throw forbidden(`Order ${id} is neither your hospital's nor your station's`)
  return o
}

/**
 * Orders, newest first. A hospital user sees its own hospital's (the default; another hospital or a station: 403); a
 * director their station's (the default; another station, or a hospital of another station: 403); others any.
 */
export async function listOrders(db: D1Database, actor: Actor, q: OrderQueryT): Promise<OrderT[]> {
  const f = { ...q }
  if (actor.role === 'hospital' || actor.role === 'feed') {
    if (f.station || (f.hospital && f.hospital !== actor.siteId))
      throw forbidden(`You may read only the orders of your hospital ${actor.siteId}`, f.station ? 'station' : 'hospital')
    f.hospital = actor.siteId!
  } else if (actor.role === 'director') {
    if (f.station && f.station !== actor.siteId) throw forbidden(`You direct ${actor.siteId}, not ${f.station}`, 'station')
    if (f.hospital) await requireSiteReader(db, actor, f.hospital, 'hospital')
    f.station = actor.siteId!
  }
  return selectOrders(db, f, nowIso())
}

/**
 * A hospital orders from the station that supplies it: its own blood bank, or a coordinator/admin for any hospital.
 * One batch: the Idempotency-Key claim, the order (trigger hospital_order_parties: a hospital and its own station),
 * the audit row (which is the event the station's director polls).
 */
export async function createOrder(db: D1Database, actor: Actor, input: OrderCreateT, key: string): Promise<{ order: OrderT; replayed: boolean }> {
  const hospitalId = input.hospitalId ?? (actor.role === 'hospital' ? actor.siteId! : undefined)
  if (!hospitalId) throw badRequest('hospitalId', 'Name the ordering hospital (hospitalId)')
  requireSiteWriter(actor, hospitalId)
  const site = await selectSite(db, hospitalId)
  if (site?.kind !== 'hospital' || !site.parentId) throw badRequest('hospitalId', `${hospitalId} is not a hospital`)
  const at = nowIso()
  if (Date.parse(input.neededBy) < Date.parse(at) - 5 * MINUTE) throw badRequest('neededBy', 'neededBy is in the past')
  const hash = await requestHash({ order: { ...input, hospitalId } })
  const lookup = claimLookup(db, actor.id, (id) => getOrder(db, actor, id))
  const { result, replayed } = await withIdempotency(
    key,
    hash,
    lookup,
    async () => {
      const id = newId('ord')
      const row = { id, hospitalId, stationId: site.parentId!, ...input, createdBy: actor.id, at }
      await db.batch([
        claimKeyStmt(db, { actorId: actor.id, key, action: 'order.create', hash, entityId: id, at }),
        insertOrderStmt(db, row),
        auditStmt(db, actor, 'order.create', 'hospital_order', id, { ...input, hospitalId, stationId: site.parentId, idempotencyKey: key }, at),
      ])
      return getOrder(db, actor, id)
    },
    isClaimViolation,
  )
  return { order: result, replayed }
}

/** The hospital cancels its own order while it is open (or a coordinator/admin does); audited. */
export async function cancelOrder(db: D1Database, actor: Actor, id: string, reason: string): Promise<OrderT> {
  const o = await loadOrder(db, id)
  if (!canSeeOrder(actor, o)) throw forbidden(`Order ${id} is not your hospital's`)
  requireSiteWriter(actor, o.hospitalId)
  return close(db, actor, o, 'cancelled', reason)
}

/** The station's director (or a coordinator/admin) declines an open order, saying why; audited. */
export async function declineOrder(db: D1Database, actor: Actor, id: string, reason: string): Promise<OrderT> {
  const o = await loadOrder(db, id)
  if (!canSeeOrder(actor, o)) throw forbidden(`Order ${id} is not to your station`)
  requireSiteWriter(actor, o.stationId)
  return close(db, actor, o, 'declined', reason)
}

async function close(db: D1Database, actor: Actor, o: OrderRow, status: 'cancelled' | 'declined', reason: string) {
  if (o.status !== 'open') throw conflict('invalid_transition', `Order ${o.id} is ${o.status}; only an open order can be ${status}`, 'status')
  const at = nowIso()
  try {
    await db.batch([
      setOrderClosedStmt(db, o.id, status, reason, actor.id, at),
      auditStmt(db, actor, status === 'cancelled' ? 'order.cancel' : 'order.decline', 'hospital_order', o.id, { reason }, at),
    ])
  } catch (e) {
    if (isRaised(e, 'hospital_order_status')) throw conflict('invalid_transition', `Order ${o.id} was filled or closed meanwhile`, 'status')
    throw e
  }
  return loadOrder(db, o.id)
}

/**
 * Fills an open order: the station's issue to the hospital. Its director (or a coordinator/admin) picks the lots, or
 * they are taken first-expiring first (FEFO, ordinary units before rare profiles). ONE db.batch(): the movement_batch
 * (the Idempotency-Key, once), the order → filled (trigger hospital_order_status: a second fill fails whole), the
 * transfer station → hospital written dispatched with its lot lines, transfer_out from each lot (CHECK qty >= 0 fails
 * the batch if a lot no longer holds them), the dispatch transport record, and the audit rows. The hospital then
 * receives it (POST /api/orders/{id}/receive or /api/transfers/{transferId}/receive).
 */
export async function fillOrder(db: D1Database, actor: Actor, id: string, body: OrderFillT, key: string): Promise<{ order: OrderT; replayed: boolean }> {
  const o = await loadOrder(db, id)
  if (!canSeeOrder(actor, o)) throw forbidden(`Order ${id} is not to your station`)
  requireSiteWriter(actor, o.stationId)
  const hash = await requestHash({ fill: id, body })
  const lookup = batchLookup(db, actor.id, async (b) => getOrder(db, actor, (await selectOrderOfBatch(db, b.id)) ?? id))
  const { result, replayed } = await withIdempotency(key, hash, lookup, () => fill(db, actor, o, body, key, hash), isUniqueKeyViolation)
  return { order: result, replayed }
}

async function fill(db: D1Database, actor: Actor, o: OrderRow, body: OrderFillT, key: string, hash: string): Promise<OrderT> {
  if (o.status !== 'open') throw conflict('invalid_transition', `Order ${o.id} is ${o.status}; only an open order can be filled`, 'status')
  const at = nowIso()
  const lots = await pickLots(db, o, body, at)
  const range = await selectTransportRange(db, o.component)
  const t = body.temperatureC
  if (range && ((range.min !== null && t < range.min) || (range.max !== null && t > range.max)))
    throw badRequest(
      'temperatureC',
      `A ${o.component} box must travel at ${range.min ?? '…'}–${range.max ?? '…'} °C; it reads ${t} °C: repack before dispatch`,
      'temperature_out_of_range',
    )

  const [station, hospital, road] = await Promise.all([
    selectSite(db, o.stationId),
    selectSite(db, o.hospitalId),
    selectRoadTime(db, o.stationId, o.hospitalId),
  ])
  const transferId = newId('tr')
  const batchId = newId('mb')
  const { lots: _lots, ...record } = body
  const etaHours = roadHours([station!, hospital!], travelHoursOf(road ? [road] : []))(station!.id, hospital!.id)
  const base = { batchId, siteId: o.stationId, actorId: actor.id, at, transferId }
  try {
    await db.batch([
      insertBatchStmt(db, { id: batchId, actorId: actor.id, idempotencyKey: key, requestHash: hash, source: 'transfer', at }),
      ...insertDispatchedTransferStmts(db, {
        id: transferId,
        fromSite: o.stationId,
        toSite: o.hospitalId,
        component: o.component,
        abo: o.abo,
        rhd: o.rhd,
        qty: o.qty,
        etaHours,
        lots,
        at,
      }),
      setOrderFilledStmt(db, o.id, transferId, actor.id, at),
      ...lots.map((l) =>
        insertMovementStmt(db, { ...base, lotId: l.lotId, kind: 'transfer_out', delta: -l.qty, reason: `order ${o.id}: issue to hospital ${o.hospitalId}` }),
      ),
      insertDispatchRecordStmt(db, { transferId, ...record, inRange: true, actorId: actor.id, at }),
      auditStmt(db, actor, 'order.fill', 'hospital_order', o.id, { transferId, lots, idempotencyKey: key }, at),
      auditStmt(db, actor, 'transfer.dispatch', 'transfer', transferId, { qty: o.qty, order: o.id, ...record }, at),
    ])
  } catch (e) {
    if (isUniqueKeyViolation(e)) throw e
    if (isRaised(e, 'hospital_order_status')) throw conflict('invalid_transition', `Order ${o.id} was filled or closed meanwhile`, 'status')
    if (isCheck(e, 'qty')) throw conflict('insufficient_stock', `The station's stock changed while filling order ${o.id}; try again`, 'lots')
    throw e
  }
  await refreshAfterWrite(db, o.stationId)
  return loadOrder(db, o.id)
}

/** The lots to send: the director's choice checked line by line, or FEFO. 400 naming qty when the station holds too few. */
async function pickLots(db: D1Database, o: OrderRow, body: OrderFillT, at: string): Promise<{ lotId: string; qty: number }[]> {
  if (!body.lots) {
    const avail = await selectFillableLots(db, { site: o.stationId, component: o.component, abo: o.abo, rhd: o.rhd }, at)
    const held = avail.reduce((s, l) => s + l.qty, 0)
    if (held < o.qty)
      throw badRequest(
        'qty',
        `Order ${o.id} asks ${o.qty} ${o.component} ${o.abo}${o.rhd}; station ${o.stationId} holds ${held} usable: decline it or fill it when stock arrives`,
        'insufficient_stock',
      )
    const out: { lotId: string; qty: number }[] = []
    let left = o.qty
    for (const l of avail) {
      if (left <= 0) break
      const take = Math.min(l.qty, left)
      out.push({ lotId: l.id, qty: take })
      left -= take
    }
    return out
  }
  const sum = body.lots.reduce((s, l) => s + l.qty, 0)
  if (sum !== o.qty) throw badRequest('lots', `The lots sum to ${sum}; the order asks ${o.qty}`)
  if (new Set(body.lots.map((l) => l.lotId)).size !== body.lots.length) throw badRequest('lots', 'A lot is named twice')
  const found = new Map(
    (
      await selectLotsByIds(
        db,
        body.lots.map((l) => l.lotId),
      )
    ).map((l) => [l.id, l]),
  )
  body.lots.forEach((l, i) => {
    const lot = found.get(l.lotId)
    const f = `lots.${i}.lotId`
    if (!lot) throw new ApiError(404, 'not_found', `No lot ${l.lotId}`, f)
    if (lot.siteId !== o.stationId) throw badRequest(f, `Lot ${l.lotId} is held by ${lot.siteId}, not the station ${o.stationId}`, 'wrong_site')
    if (lot.component !== o.component || lot.abo !== o.abo || lot.rhd !== o.rhd)
      throw badRequest(f, `Lot ${l.lotId} is ${lot.component} ${lot.abo}${lot.rhd}; the order asks ${o.component} ${o.abo}${o.rhd}`)
    if (lot.frozen) throw badRequest(f, `Lot ${l.lotId} is frozen: thaw units before issuing them`)
    if (lot.expiresAt <= at) throw conflict('lot_expired', `Lot ${l.lotId} expired at ${lot.expiresAt}`, f)
    if (lot.qty < l.qty) throw badRequest(`lots.${i}.qty`, `Lot ${l.lotId} holds ${lot.qty}; cannot send ${l.qty}`, 'insufficient_stock')
  })
  return body.lots
}

/**
 * The hospital receives a filled order: exactly the transfer's receipt (in full, short, or rejected, with the box
 * temperature). An order never filled: 409 order_not_filled. The trigger hospital_order_received marks it received.
 */
export async function receiveOrder(
  db: D1Database,
  actor: Actor,
  id: string,
  key: string,
  body: TransferReceiveT,
): Promise<{ order: OrderT; replayed: boolean }> {
  const o = await loadOrder(db, id)
  if (!canSeeOrder(actor, o)) throw forbidden(`Order ${id} is not your hospital's`)
  requireSiteWriter(actor, o.hospitalId)
  if (!o.transferId) throw conflict('order_not_filled', `Order ${id} is ${o.status}: there is nothing to receive until the station fills it`, 'status')
  const { replayed } = await receiveTransfer(db, actor, o.transferId, key, body)
  return { order: await loadOrder(db, id), replayed }
}
