import { insertTransferStmts } from './transfers/proposal'
import type { AidSide, OfferT, ProvinceAidT, ShipmentT } from '../schemas/province-aid'

/** Aid across the border (migration 0062): each side's row of an aid, and its shipments. */

const COLUMNS = `id, side, asker, giver, site_id AS siteId, site_name_zh AS siteNameZh, site_name_en AS siteNameEn, site_lat AS siteLat,
  site_lng AS siteLng, dest_site AS destSite, component, abo, rhd, antigens, qty, urgency, needed_by AS neededBy, reason,
  request_id AS requestId, plan_id AS planId, status, offer, decline_reason AS declineReason, created_by AS createdBy,
  created_at AS createdAt, updated_at AS updatedAt`

type Row = Omit<ProvinceAidT, 'site' | 'offer' | 'shipments'> & {
  siteId: string
  siteNameZh: string
  siteNameEn: string
  siteLat: number
  siteLng: number
  offer: string | null
}
export type AidRow = Omit<ProvinceAidT, 'shipments'>

const toAid = ({ siteId, siteNameZh, siteNameEn, siteLat, siteLng, offer, ...r }: Row): AidRow => ({
  ...r,
  site: { id: siteId, nameZh: siteNameZh, nameEn: siteNameEn, lat: siteLat, lng: siteLng },
  offer: offer ? (JSON.parse(offer) as OfferT) : null,
})

/** This province's rows: the aids it asked for (side asker) and those it was asked (side giver). Newest first. */
export const selectAids = (db: D1Database, province: string) =>
  db
    .prepare(
      `SELECT ${COLUMNS} FROM province_aid WHERE (side = 'asker' AND asker = ?1) OR (side = 'giver' AND giver = ?1)
       ORDER BY created_at DESC, id LIMIT 200`,
    )
    .bind(province)
    .all<Row>()
    .then((r) => r.results.map(toAid))

export const selectAid = (db: D1Database, id: string, side: AidSide) =>
  db
    .prepare(`SELECT ${COLUMNS} FROM province_aid WHERE id = ?1 AND side = ?2`)
    .bind(id, side)
    .first<Row>()
    .then((r) => (r ? toAid(r) : null))

/** The giver's accepted aid a transfer serves (through the need planned for it): its dispatch writes aid.dispatch. */
export const selectGiverAidByTransfer = (db: D1Database, transferId: string) =>
  db
    .prepare(
      `SELECT ${COLUMNS} FROM province_aid WHERE side = 'giver' AND status = 'accepted'
         AND request_id IN (SELECT request_id FROM transfer_request WHERE transfer_id = ?1) LIMIT 1`,
    )
    .bind(transferId)
    .first<Row>()
    .then((r) => (r ? toAid(r) : null))

type ShipmentRow = Omit<ShipmentT, 'units' | 'dispatch' | 'receipt'> & { aidId: string; units: string; dispatch: string; receipt: string | null }
const SHIPMENT = `transfer_id AS transferId, aid_id AS aidId, local_transfer AS localTransfer, from_site AS fromSite, from_name_zh AS fromNameZh,
  from_name_en AS fromNameEn, qty, units, dispatch, receipt, status`
const toShipment = ({ aidId: _, units, dispatch, receipt, ...s }: ShipmentRow): ShipmentT => ({
  ...s,
  units: JSON.parse(units),
  dispatch: JSON.parse(dispatch),
  receipt: receipt ? JSON.parse(receipt) : null,
})

export const selectShipments = (db: D1Database, aidIds: string[], side: AidSide | null) =>
  db
    .prepare(
      `SELECT ${SHIPMENT}, side FROM province_aid_shipment WHERE aid_id IN (SELECT value FROM json_each(?1)) AND (?2 IS NULL OR side = ?2)
       ORDER BY transfer_id`,
    )
    .bind(JSON.stringify(aidIds), side)
    .all<ShipmentRow & { side: AidSide }>()
    .then((r) => r.results.map(({ side, ...s }) => ({ aidId: s.aidId, side, shipment: toShipment(s) })))

/** The asker's shipment arriving as this local (incoming) transfer. */
export const selectAskerShipmentByLocal = (db: D1Database, localTransfer: string) =>
  db
    .prepare(`SELECT ${SHIPMENT} FROM province_aid_shipment WHERE side = 'asker' AND local_transfer = ?1`)
    .bind(localTransfer)
    .first<ShipmentRow>()
    .then((r) => (r ? { aidId: r.aidId, shipment: toShipment(r) } : null))

export const insertAidStmt = (
  db: D1Database,
  a: Omit<AidRow, 'destSite' | 'planId' | 'status' | 'offer' | 'declineReason' | 'updatedAt'> & { status: 'requested' },
) =>
  db
    .prepare(
      `INSERT INTO province_aid (id, side, asker, giver, site_id, site_name_zh, site_name_en, site_lat, site_lng, component, abo, rhd,
         antigens, qty, urgency, needed_by, reason, request_id, status, created_by, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?21)`,
    )
    .bind(
      a.id,
      a.side,
      a.asker,
      a.giver,
      a.site.id,
      a.site.nameZh,
      a.site.nameEn,
      a.site.lat,
      a.site.lng,
      a.component,
      a.abo,
      a.rhd,
      a.antigens,
      a.qty,
      a.urgency,
      a.neededBy,
      a.reason,
      a.requestId,
      a.status,
      a.createdBy,
      a.createdAt,
    )

/**
 * A status move of one side's row. The trigger province_aid_status_guard is the guard: a move it does not allow (a
 * second accept, an offer after a decline) fails the whole batch. The row must exist: the service reads it first.
 */
export const setAidStatusStmt = (
  db: D1Database,
  id: string,
  side: AidSide,
  status: ProvinceAidT['status'],
  at: string,
  extra: { offer?: OfferT; declineReason?: string } = {},
) =>
  db
    .prepare(
      `UPDATE province_aid SET status = ?3, updated_at = ?4, offer = COALESCE(?5, offer), offered_at = CASE WHEN ?5 IS NULL THEN offered_at ELSE ?4 END,
         decline_reason = COALESCE(?6, decline_reason)
       WHERE id = ?1 AND side = ?2`,
    )
    .bind(id, side, status, at, extra.offer ? JSON.stringify(extra.offer) : null, extra.declineReason ?? null)

/** The giver's need and plan: the external destination and the aid request planned for it. */
export const setGiverPlanningStmt = (db: D1Database, id: string, o: { destSite: string; requestId: string; at: string }) =>
  db
    .prepare(`UPDATE province_aid SET dest_site = ?2, request_id = ?3, updated_at = ?4 WHERE id = ?1 AND side = 'giver' AND status = 'requested'`)
    .bind(id, o.destSite, o.requestId, o.at)

export const setGiverPlanStmt = (db: D1Database, id: string, planId: string, at: string) =>
  db.prepare(`UPDATE province_aid SET plan_id = ?2, updated_at = ?3 WHERE id = ?1 AND side = 'giver'`).bind(id, planId, at)

export const insertShipmentStmt = (db: D1Database, s: Omit<ShipmentT, 'receipt' | 'status'> & { aidId: string; side: AidSide }) =>
  db
    .prepare(
      `INSERT INTO province_aid_shipment (transfer_id, side, aid_id, local_transfer, from_site, from_name_zh, from_name_en, qty, units, dispatch, status)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'dispatched')`,
    )
    .bind(s.transferId, s.side, s.aidId, s.localTransfer, s.fromSite, s.fromNameZh, s.fromNameEn, s.qty, JSON.stringify(s.units), JSON.stringify(s.dispatch))

/** dispatched → received, once (trigger province_aid_shipment_once). */
export const setShipmentReceivedStmt = (db: D1Database, transferId: string, side: AidSide, receipt: NonNullable<ShipmentT['receipt']>) =>
  db
    .prepare(`UPDATE province_aid_shipment SET status = 'received', receipt = ?3 WHERE transfer_id = ?1 AND side = ?2`)
    .bind(transferId, side, JSON.stringify(receipt))

/** A site standing for another province's station (external = 1), created once; its id is derived, so a repeat is the same site. */
export const insertForeignSiteStmt = (
  db: D1Database,
  s: { id: string; nameZh: string; nameEn: string; province: string; lat: number; lng: number; at: string },
) =>
  db
    .prepare(
      `INSERT OR IGNORE INTO site (id, name_zh, name_en, kind, province, city, lat, lng, external, created_at, updated_at)
       VALUES (?1, ?2, ?3, 'center', ?4, ?3, ?5, ?6, 1, ?7, ?7)`,
    )
    .bind(s.id, s.nameZh, s.nameEn, s.province, s.lat, s.lng, s.at)

export const selectSiteBrief = (db: D1Database, id: string) =>
  db
    .prepare('SELECT id, name_zh AS nameZh, name_en AS nameEn, kind, province, lat, lng, external FROM site WHERE id = ?1')
    .bind(id)
    .first<{ id: string; nameZh: string; nameEn: string; kind: string; province: string; lat: number; lng: number; external: number }>()

/** The asker's incoming transfer: from the external site standing for the giver's station, already dispatched. */
export const insertIncomingTransferStmts = (
  db: D1Database,
  t: {
    id: string
    fromSite: string
    toSite: string
    component: string
    abo: string
    rhd: string
    qty: number
    etaHours: number
    at: string
    requestId: string | null
  },
  lots: { lotId: string; qty: number }[],
): D1PreparedStatement[] =>
  insertTransferStmts(db, { ...t, planId: null, lots, requests: t.requestId ? [{ requestId: t.requestId, qty: t.qty }] : [], status: 'dispatched' }, t.at)

/** The giver's transfer closed as received at the destination (the asker's receipt, applied by the link). */
export const setTransferReceivedByLinkStmt = (db: D1Database, id: string, receivedQty: number, at: string) =>
  db
    .prepare(`UPDATE transfer SET status = 'received', received_qty = ?2, lost_qty = qty - ?2, received_at = ?3, updated_at = ?3 WHERE id = ?1`)
    .bind(id, receivedQty, at)

/** A link-applied audit row: the actor is the other province's link ('link:Chongqing'), the detail names who acted there. */
export const linkAuditStmt = (db: D1Database, from: string, action: string, entity: string, entityId: string, detail: unknown, at: string) =>
  db
    .prepare('INSERT INTO audit_log (actor_id, action, entity, entity_id, detail, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)')
    .bind(`link:${from}`, action, entity, entityId, JSON.stringify(detail), at)

/** The aid requests a giver planned for other provinces' aids: a plan of the whole region leaves them out. */
export const selectAidNeedIds = (db: D1Database) =>
  db
    .prepare(`SELECT request_id AS id FROM province_aid WHERE side = 'giver' AND request_id IS NOT NULL`)
    .all<{ id: string }>()
    .then((r) => r.results.map((x) => x.id))
