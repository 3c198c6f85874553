import type { z } from '@hono/zod-openapi'
import { insertLotStmt } from '../db/lots'
import {
  insertAidStmt,
  insertForeignSiteStmt,
  insertIncomingTransferStmts,
  insertShipmentStmt,
  linkAuditStmt,
  selectAid,
  selectShipments,
  setAidStatusStmt,
  setShipmentReceivedStmt,
  setTransferReceivedByLinkStmt,
} from '../db/province-aid'
import { fulfilmentStmts, statusChangeStmts } from '../db/requests'
import { closePlanIfDoneStmt } from '../db/transfers/state'
import { newId } from '../lib/crypto'
import { AidAcceptMsg, AidDeclineMsg, AidDispatchMsg, AidOfferMsg, AidReceiptMsg, AidRequestMsg, type AidSide } from '../schemas/province-aid'
import { foreignSiteId } from '../services/province-aid-shipments'
import { LinkRejected } from './errors'
import type { LinkHandler } from './handler'
import type { LinkMessage } from './outbox'

/**
 * How a province applies the aid messages of another (docs/province-aid.md). Each returns the statements the inbox
 * runs in one batch with the message's inbox row. A message about an aid this side does not hold, or from a province
 * that is not its other party, throws (nothing is applied); a step the aid's state does not allow fails the batch on
 * the trigger province_aid_status_guard.
 */

const handler = <S extends z.ZodType>(body: S, apply: (db: D1Database, msg: LinkMessage & { body: z.infer<S> }) => Promise<D1PreparedStatement[]>) =>
  ({ body, apply }) as LinkHandler<S>

/** This side's row of the aid, which must name the sender as its other party. */
async function partyRow(db: D1Database, msg: LinkMessage, aidId: string, side: AidSide) {
  const row = await selectAid(db, aidId, side)
  if (!row) throw new LinkRejected(`${msg.kind}: no aid ${aidId} on the ${side}'s side`)
  const other = side === 'asker' ? row.giver : row.asker
  if (other !== msg.from) throw new LinkRejected(`${msg.kind}: aid ${aidId} is between ${row.asker} and ${row.giver}, not from ${msg.from}`)
  return row
}

const audit = (db: D1Database, msg: LinkMessage, action: string, entity: string, id: string, detail: Record<string, unknown>, at: string) =>
  linkAuditStmt(db, msg.from, action, entity, id, { ...detail, message: msg.id, sentAt: msg.at }, at)

export const AID_HANDLERS: Record<string, LinkHandler> = {
  // the province asked keeps the request as its own row; its coordinators see it arrive (events: province_aid.request)
  'aid.request': handler(AidRequestMsg, async (db, msg) => {
    const b = msg.body
    const at = new Date().toISOString()
    return [
      insertAidStmt(db, {
        id: b.aidId,
        side: 'giver',
        asker: msg.from,
        giver: msg.to,
        site: b.site,
        component: b.component,
        abo: b.abo,
        rhd: b.rhd,
        antigens: b.antigens,
        qty: b.qty,
        urgency: b.urgency,
        neededBy: new Date(b.neededBy).toISOString(),
        reason: b.reason,
        requestId: null,
        status: 'requested',
        createdBy: `${b.by.name} (${msg.from})`,
        createdAt: at,
      }),
      audit(db, msg, 'province_aid.request', 'province_aid', b.aidId, { by: b.by, siteId: b.site.id, qty: b.qty, urgency: b.urgency }, at),
    ]
  }),

  'aid.offer': handler(AidOfferMsg, async (db, msg) => {
    await partyRow(db, msg, msg.body.aidId, 'asker')
    const at = new Date().toISOString()
    const o = msg.body.offer
    return [
      setAidStatusStmt(db, msg.body.aidId, 'asker', 'offered', at, { offer: o }),
      audit(
        db,
        msg,
        o.counter ? 'province_aid.counter' : 'province_aid.offer',
        'province_aid',
        msg.body.aidId,
        { by: o.by, qty: o.qty, arriveBy: o.arriveBy },
        at,
      ),
    ]
  }),

  // stage 'request': the giver declined (applied at the asker); 'offer': the asker declined the offer (at the giver)
  'aid.decline': handler(AidDeclineMsg, async (db, msg) => {
    const b = msg.body
    const side: AidSide = b.stage === 'request' ? 'asker' : 'giver'
    const row = await partyRow(db, msg, b.aidId, side)
    const at = new Date().toISOString()
    const cancelNeed =
      side === 'giver' && row.requestId
        ? statusChangeStmts(db, {
            actorId: `link:${msg.from}`,
            action: 'request.cancel',
            id: row.requestId,
            to: 'cancelled',
            from: ['open', 'planned'],
            detail: { reason: b.reason },
            at,
          })
        : []
    return [
      setAidStatusStmt(db, b.aidId, side, side === 'asker' ? 'declined' : 'refused', at, { declineReason: b.reason }),
      ...cancelNeed,
      audit(db, msg, side === 'asker' ? 'province_aid.decline' : 'province_aid.refuse', 'province_aid', b.aidId, { by: b.by, reason: b.reason }, at),
    ]
  }),

  'aid.accept': handler(AidAcceptMsg, async (db, msg) => {
    await partyRow(db, msg, msg.body.aidId, 'giver')
    const at = new Date().toISOString()
    return [
      setAidStatusStmt(db, msg.body.aidId, 'giver', 'accepted', at),
      audit(db, msg, 'province_aid.accept', 'province_aid', msg.body.aidId, { by: msg.body.by }, at),
    ]
  }),

  /**
   * The giver's box is on its way: an incoming transfer to the receiving station, already dispatched, from a site
   * standing for the giver's station, drawing on lots there that carry the units' group, antigens and expiry (they
   * hold nothing: the units left the giver's ledger at its commit and enter this one at the receipt).
   */
  'aid.dispatch': handler(AidDispatchMsg, async (db, msg) => {
    const b = msg.body
    const row = await partyRow(db, msg, b.aidId, 'asker')
    if (row.status !== 'accepted') throw new LinkRejected(`aid.dispatch: aid ${b.aidId} is ${row.status}, not accepted`)
    const at = new Date().toISOString()
    const fromSite = foreignSiteId(msg.from, b.from.id)
    const local = newId('tr')
    const lots = b.units.map((u) => ({ ...u, lotId: newId('lot') }))
    return [
      insertForeignSiteStmt(db, {
        id: fromSite,
        nameZh: b.from.nameZh, // its province is in `province`; the Chinese page names it without English
        nameEn: `${b.from.nameEn} (${msg.from})`,
        province: msg.from,
        lat: b.from.lat,
        lng: b.from.lng,
        at,
      }),
      ...lots.map((u) =>
        insertLotStmt(db, {
          id: u.lotId,
          siteId: fromSite,
          component: u.component,
          abo: u.abo,
          rhd: u.rhd,
          antigens: u.antigens,
          collectedAt: u.collectedAt,
          expiresAt: u.expiresAt,
          createdAt: at,
        }),
      ),
      ...insertIncomingTransferStmts(
        db,
        {
          id: local,
          fromSite,
          toSite: row.site.id,
          component: row.component,
          abo: b.units[0].abo,
          rhd: b.units[0].rhd,
          qty: b.qty,
          etaHours: b.dispatch.etaHours,
          at,
          requestId: row.requestId,
        },
        lots.map((l) => ({ lotId: l.lotId, qty: l.qty })),
      ),
      insertShipmentStmt(db, {
        aidId: b.aidId,
        side: 'asker',
        transferId: b.transferId,
        localTransfer: local,
        fromSite: b.from.id,
        fromNameZh: b.from.nameZh,
        fromNameEn: b.from.nameEn,
        qty: b.qty,
        units: b.units,
        dispatch: b.dispatch,
      }),
      audit(db, msg, 'transfer.dispatch', 'transfer', local, { qty: b.qty, aidId: b.aidId, giverTransfer: b.transferId, ...b.dispatch }, at),
      audit(db, msg, 'province_aid.dispatch', 'province_aid', b.aidId, { transferId: b.transferId, localTransfer: local, qty: b.qty, by: b.dispatch.by }, at),
    ]
  }),

  /** The asker's station received the box: the giver's transfer is closed as received at the destination. */
  'aid.receipt': handler(AidReceiptMsg, async (db, msg) => {
    const b = msg.body
    const row = await partyRow(db, msg, b.aidId, 'giver')
    const sent = await selectShipments(db, [b.aidId], 'giver')
    if (!sent.some((s) => s.shipment.transferId === b.transferId))
      throw new LinkRejected(`aid.receipt: transfer ${b.transferId} was not dispatched for aid ${b.aidId}`)
    const at = new Date().toISOString()
    const r = b.receipt
    return [
      setTransferReceivedByLinkStmt(db, b.transferId, r.receivedQty, at),
      setShipmentReceivedStmt(db, b.transferId, 'giver', r),
      ...(row.requestId && r.acceptedQty > 0
        ? fulfilmentStmts(db, { actorId: `link:${msg.from}`, id: row.requestId, addQty: r.acceptedQty, detail: { transferId: b.transferId }, at })
        : []),
      ...(row.planId ? [closePlanIfDoneStmt(db, row.planId)] : []),
      audit(db, msg, 'transfer.receive', 'transfer', b.transferId, { ...r, aidId: b.aidId }, at),
      audit(
        db,
        msg,
        'province_aid.receipt',
        'province_aid',
        b.aidId,
        { transferId: b.transferId, receivedQty: r.receivedQty, acceptedQty: r.acceptedQty, by: r.by },
        at,
      ),
    ]
  }),
}
