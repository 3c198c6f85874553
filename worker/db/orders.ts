// Hospital orders (migration 0058) and the station's issue that fills one. SQL only.
import { insertTransferStmts } from './transfers/proposal'
import type { OrderT } from '../schemas/order'

export type OrderRow = Omit<OrderT, 'stationOnHand'> & { stationOnHand: number }

/** Usable units a site holds of one component and group: liquid, unexpired (frozen units are thawed apart). */
const ON_HAND = (site: string, now: string) => `COALESCE((SELECT SUM(l.qty) FROM lot l WHERE l.site_id = ${site} AND l.component = o.component
  AND l.abo = o.abo AND l.rhd = o.rhd AND l.qty > 0 AND l.frozen = 0 AND l.expires_at > ${now}), 0)`

const COLUMNS = (now: string) => `o.id, o.hospital_id AS hospitalId, h.name_zh AS hospitalNameZh, h.name_en AS hospitalNameEn,
  o.station_id AS stationId, o.kind, o.component, o.abo, o.rhd, o.qty, o.needed_by AS neededBy, o.note, o.status,
  o.transfer_id AS transferId, t.status AS transferStatus, t.received_qty AS receivedQty, o.reason, o.created_by AS createdBy,
  o.created_at AS createdAt, o.updated_at AS updatedAt, o.decided_by AS decidedBy, o.decided_at AS decidedAt,
  ${ON_HAND('o.station_id', now)} AS stationOnHand`
const FROM = `FROM hospital_order o JOIN site h ON h.id = o.hospital_id LEFT JOIN transfer t ON t.id = o.transfer_id`

export const selectOrder = (db: D1Database, id: string, now: string) =>
  db
    .prepare(`SELECT ${COLUMNS('?2')} ${FROM} WHERE o.id = ?1`)
    .bind(id, now)
    .first<OrderRow>()

/** Orders newest first; emergency calls and open ones are what a station works through first, the UI sorts as it needs. */
export const selectOrders = (db: D1Database, f: { hospital?: string; station?: string; status?: string; limit: number }, now: string) =>
  db
    .prepare(
      `SELECT ${COLUMNS('?5')} ${FROM}
       WHERE (?1 IS NULL OR o.hospital_id = ?1) AND (?2 IS NULL OR o.station_id = ?2) AND (?3 IS NULL OR o.status = ?3)
       ORDER BY o.created_at DESC, o.id LIMIT ?4`,
    )
    .bind(f.hospital ?? null, f.station ?? null, f.status ?? null, f.limit, now)
    .all<OrderRow>()
    .then((r) => r.results)

/** Open or filled-not-received orders per hospital of a station. */
export const selectOpenOrderCounts = (db: D1Database, stationId: string) =>
  db
    .prepare(`SELECT hospital_id AS hospitalId, COUNT(*) AS n FROM hospital_order WHERE station_id = ?1 AND status IN ('open', 'filled') GROUP BY hospital_id`)
    .bind(stationId)
    .all<{ hospitalId: string; n: number }>()
    .then((r) => new Map(r.results.map((x) => [x.hospitalId, x.n])))

export type OrderInsert = {
  id: string
  hospitalId: string
  stationId: string
  kind: string
  component: string
  abo: string
  rhd: string
  qty: number
  neededBy: string
  note: string
  createdBy: string
  at: string
}

export const insertOrderStmt = (db: D1Database, o: OrderInsert) =>
  db
    .prepare(
      `INSERT INTO hospital_order (id, hospital_id, station_id, kind, component, abo, rhd, qty, needed_by, note, status, created_by, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'open', ?11, ?12, ?12)`,
    )
    .bind(o.id, o.hospitalId, o.stationId, o.kind, o.component, o.abo, o.rhd, o.qty, o.neededBy, o.note, o.createdBy, o.at)

/** open → filled with its transfer; the hospital_order_status trigger fails the batch from any other status. */
export const setOrderFilledStmt = (db: D1Database, id: string, transferId: string, actorId: string, at: string) =>
  db
    .prepare(`UPDATE hospital_order SET status = 'filled', transfer_id = ?2, decided_by = ?3, decided_at = ?4, updated_at = ?4 WHERE id = ?1`)
    .bind(id, transferId, actorId, at)

/** open → cancelled or declined, with the reason; the trigger guards the move. */
export const setOrderClosedStmt = (db: D1Database, id: string, status: 'cancelled' | 'declined', reason: string, actorId: string, at: string) =>
  db
    .prepare(`UPDATE hospital_order SET status = ?2, reason = ?3, decided_by = ?4, decided_at = ?5, updated_at = ?5 WHERE id = ?1`)
    .bind(id, status, reason, actorId, at)

/** The station's liquid, unexpired lots of the group: ordinary units first (rare profiles are kept back), then FEFO. */
export const selectFillableLots = (db: D1Database, g: { site: string; component: string; abo: string; rhd: string }, now: string) =>
  db
    .prepare(
      `SELECT id, qty, expires_at AS expiresAt, antigens FROM lot
       WHERE site_id = ?1 AND component = ?2 AND abo = ?3 AND rhd = ?4 AND qty > 0 AND frozen = 0 AND expires_at > ?5
       ORDER BY antigens <> '', expires_at, id`,
    )
    .bind(g.site, g.component, g.abo, g.rhd, now)
    .all<{ id: string; qty: number; expiresAt: string; antigens: string }>()
    .then((r) => r.results)

export type DispatchedTransfer = {
  id: string
  fromSite: string
  toSite: string
  component: string
  abo: string
  rhd: string
  qty: number
  etaHours: number
  lots: { lotId: string; qty: number }[]
  at: string
}

/** The fill's transfer: no plan and no coordinator (local), written committed-and-dispatched at once. */
export const insertDispatchedTransferStmts = (db: D1Database, t: DispatchedTransfer) =>
  insertTransferStmts(db, { ...t, planId: null, requests: [], status: 'dispatched', local: true }, t.at)

/** The transfer a fill wrote under this movement batch (to answer a retried fill). */
export const selectOrderOfBatch = (db: D1Database, batchId: string) =>
  db
    .prepare(
      `SELECT o.id FROM hospital_order o WHERE o.transfer_id = (SELECT transfer_id FROM movement WHERE batch_id = ?1 AND transfer_id IS NOT NULL LIMIT 1)`,
    )
    .bind(batchId)
    .first<string>('id')

/** Per site: the last ledger entry written there (a hospital's last report). */
export const selectLastMovementAt = (db: D1Database, siteIds: string[]) =>
  db
    .prepare(`SELECT site_id AS siteId, MAX(at) AS at FROM movement WHERE site_id IN (SELECT value FROM json_each(?1)) GROUP BY site_id`)
    .bind(JSON.stringify(siteIds))
    .all<{ siteId: string; at: string }>()
    .then((r) => new Map(r.results.map((x) => [x.siteId, x.at])))
