import { selectLotsByIds } from '../db/lots'
import {
  insertShipmentStmt,
  selectAid,
  selectAskerShipmentByLocal,
  selectGiverAidByTransfer,
  selectSiteBrief,
  setShipmentReceivedStmt,
} from '../db/province-aid'
import { selectLines, type TransferRow } from '../db/transfers/read'
import { outboxStmt } from '../link/outbox'
import type { ByT, UnitT } from '../schemas/province-aid'
import type { TransferDispatchT } from '../schemas/transfer'
import { auditStmt } from './audit'
import type { Actor } from './auth'
import { thawedExpiry } from './frozen'

/**
 * Aid shipments (docs/province-aid.md): what the existing dispatch and receipt add to their own batches when a
 * transfer carries aid across the border, and the ids of the sites that stand for another province's stations.
 */

export const byOf = (actor: Actor): ByT => ({ id: actor.id, name: actor.name })

/** A short stable code of a province for the ids of sites standing for its stations ('X' + code + station id). */
export function provinceCode(province: string): string {
  let h = 0x811c9dc5
  for (const ch of province) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0
  return h.toString(36).toUpperCase().padStart(3, '0').slice(-3)
}
/** The site id standing, in this system, for another province's station (2–12 capitals or digits). */
export const foreignSiteId = (province: string, siteId: string) => `X${provinceCode(province)}${siteId}`.slice(0, 12)

/**
 * For the dispatch of a transfer (worker/services/transfers/transport.ts): when it goes to the destination of an
 * accepted aid, the shipment and its 'aid.dispatch' message (units, transport record), for the dispatch's own batch.
 */
export async function aidDispatchStmts(db: D1Database, actor: Actor, t: TransferRow, record: TransferDispatchT, at: string): Promise<D1PreparedStatement[]> {
  const aid = await selectGiverAidByTransfer(db, t.id)
  if (!aid) return []
  const [{ lots }, from] = await Promise.all([selectLines(db, [t.id]), selectSiteBrief(db, t.fromSite)])
  const source = new Map(
    (
      await selectLotsByIds(
        db,
        lots.map((l) => l.lotId),
      )
    ).map((l) => [l.id, l]),
  )
  const units: UnitT[] = lots.map((l) => {
    const s = source.get(l.lotId)!
    const expiresAt = s.frozen === 1 && t.thawedAt ? thawedExpiry(t.thawedAt, s.expiresAt) : s.expiresAt
    return {
      component: s.component as UnitT['component'],
      abo: s.abo as UnitT['abo'],
      rhd: s.rhd as UnitT['rhd'],
      antigens: s.antigens,
      collectedAt: s.collectedAt,
      expiresAt,
      qty: l.qty,
    }
  })
  const dispatch = {
    temperatureC: record.temperatureC,
    carrier: record.carrier ?? null,
    packedAt: record.packedAt ?? null,
    sealedAt: record.sealedAt ?? null,
    etaHours: t.etaHours,
    by: byOf(actor),
    at,
  }
  const fromRef = { id: t.fromSite, nameZh: from?.nameZh ?? t.fromSite, nameEn: from?.nameEn ?? t.fromSite, lat: from?.lat ?? 0, lng: from?.lng ?? 0 }
  const msg = outboxStmt(db, { to: aid.asker, kind: 'aid.dispatch', at, body: { aidId: aid.id, transferId: t.id, from: fromRef, qty: t.qty, units, dispatch } })
  return [
    insertShipmentStmt(db, {
      aidId: aid.id,
      side: 'giver',
      transferId: t.id,
      localTransfer: t.id,
      fromSite: t.fromSite,
      fromNameZh: fromRef.nameZh,
      fromNameEn: fromRef.nameEn,
      qty: t.qty,
      units,
      dispatch,
    }),
    msg.stmt,
    auditStmt(db, actor, 'province_aid.dispatch', 'province_aid', aid.id, { transferId: t.id, qty: t.qty, message: msg.id }, at),
  ]
}

/**
 * For the receipt of a transfer (transport.ts): when it is an incoming aid shipment, the shipment marked received and
 * the 'aid.receipt' message back to the giver, for the receipt's own batch.
 */
export async function aidReceiptStmts(
  db: D1Database,
  actor: Actor,
  localTransfer: string,
  r: { receivedQty: number; acceptedQty: number; rejectedQty: number; rejectReason: string | null; temperatureC: number; inRange: boolean },
  at: string,
): Promise<D1PreparedStatement[]> {
  const found = await selectAskerShipmentByLocal(db, localTransfer)
  if (!found) return []
  const aid = await selectAid(db, found.aidId, 'asker')
  if (!aid) return []
  const receipt = { ...r, by: byOf(actor), at }
  const msg = outboxStmt(db, { to: aid.giver, kind: 'aid.receipt', at, body: { aidId: aid.id, transferId: found.shipment.transferId, receipt } })
  return [
    setShipmentReceivedStmt(db, found.shipment.transferId, 'asker', receipt),
    msg.stmt,
    auditStmt(db, actor, 'province_aid.receipt', 'province_aid', aid.id, { transferId: found.shipment.transferId, localTransfer, ...r, message: msg.id }, at),
  ]
}
