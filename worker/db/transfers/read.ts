import { consentOf, urgencyRank, type ConsentColumns } from '../requests'
import type { TransferT, TransportDispatchT, TransportReceiptT } from '../../schemas/transfer'

/** Transfer reads: rows, their lot and request lines and transport records in the API shape, and what the review asks of the requests. */

export type TransferRow = Omit<TransferT, 'lots' | 'requests' | 'transport' | 'frozen'> & { proposedLots: string; proposedRequests: string; frozen: number }

const COLUMNS = `t.id, t.plan_id AS planId, t.from_site AS fromSite, t.to_site AS toSite, t.component, t.abo, t.rhd,
  t.proposed_qty AS proposedQty, t.qty, t.eta_hours AS etaHours, t.status, t.received_qty AS receivedQty, t.lost_qty AS lostQty,
  t.reviewed_by AS reviewedBy, t.reviewed_at AS reviewedAt, t.reject_reason AS rejectReason, t.close_reason AS closeReason,
  t.committed_at AS committedAt, t.dispatched_at AS dispatchedAt, t.received_at AS receivedAt, t.created_at AS createdAt,
  t.updated_at AS updatedAt, t.proposed_lots AS proposedLots, t.proposed_requests AS proposedRequests,
  EXISTS (SELECT 1 FROM transfer_lot ftl JOIN lot fl ON fl.id = ftl.lot_id WHERE ftl.transfer_id = t.id AND fl.frozen = 1) AS frozen,
  t.thaw_hours AS thawHours, t.thawed_at AS thawedAt, t.thawed_by AS thawedBy,
  (SELECT c.transport_min_c FROM component c WHERE c.code = t.component) AS transportMinC,
  (SELECT c.transport_max_c FROM component c WHERE c.code = t.component) AS transportMaxC`

export type LotLineRow = { transferId: string; lotId: string; qty: number; expiresAt: string | null; frozen: number | null }

export type RequestLineRow = {
  transferId: string
  requestId: string
  qty: number
  siteId: string
  urgency: 'emergency' | 'urgent' | 'routine'
  neededBy: string | null
  antigens: string
  reason: string
  requestQty: number
  requestStatus: string
} & ConsentColumns

type TransportRow = {
  transferId: string
  kind: 'dispatch' | 'receipt'
  temperatureC: number
  packedAt: string | null
  sealedAt: string | null
  carrier: string | null
  arrivedAt: string | null
  sealIntact: number | null
  acceptedQty: number | null
  rejectedQty: number | null
  rejectReason: string | null
  inRange: number
  note: string | null
  actorId: string
  at: string
}

export const selectTransferRow = (db: D1Database, id: string) => db.prepare(`SELECT ${COLUMNS} FROM transfer t WHERE t.id = ?1`).bind(id).first<TransferRow>()

export type TransferFilter = { status?: string; site?: string; planId?: string; direction?: 'in' | 'out' }

/** Transfers, most urgent served request first, then the soonest deadline, then newest. */
export const selectTransferRows = (db: D1Database, f: TransferFilter) =>
  db
    .prepare(
      `SELECT ${COLUMNS} FROM transfer t
       WHERE (?1 IS NULL OR t.status = ?1) AND (?3 IS NULL OR t.plan_id = ?3)
         AND (?2 IS NULL OR (?4 IS NOT 'in' AND t.from_site = ?2) OR (?4 IS NOT 'out' AND t.to_site = ?2))
       ORDER BY t.created_at DESC, t.id LIMIT 1000`,
    )
    .bind(f.status ?? null, f.site ?? null, f.planId ?? null, f.direction ?? null)
    .all<TransferRow>()
    .then((r) => r.results)

export const selectTransferRowsByIds = (db: D1Database, ids: string[]) =>
  db
    .prepare(`SELECT ${COLUMNS} FROM transfer t WHERE t.id IN (SELECT value FROM json_each(?1)) ORDER BY t.created_at DESC, t.id`)
    .bind(JSON.stringify(ids))
    .all<TransferRow>()
    .then((r) => r.results)

/** Lot lines, request lines (with the request each serves) and transport records of the given transfers. */
export async function selectLines(db: D1Database, ids: string[]): Promise<{ lots: LotLineRow[]; requests: RequestLineRow[]; transport: TransportRow[] }> {
  if (ids.length === 0) return { lots: [], requests: [], transport: [] }
  const json = JSON.stringify(ids)
  const [lots, requests, transport] = await db.batch([
    db
      .prepare(
        `SELECT tl.transfer_id AS transferId, tl.lot_id AS lotId, tl.qty, l.expires_at AS expiresAt, l.frozen
       FROM transfer_lot tl LEFT JOIN lot l ON l.id = tl.lot_id
       WHERE tl.transfer_id IN (SELECT value FROM json_each(?1)) ORDER BY l.expires_at, tl.lot_id`,
      )
      .bind(json),
    db
      .prepare(
        `SELECT tr.transfer_id AS transferId, tr.request_id AS requestId, tr.qty, r.site_id AS siteId, r.urgency, r.needed_by AS neededBy,
         r.antigens, r.reason, r.qty AS requestQty, r.status AS requestStatus, r.rh_consent_by AS rhConsentBy, r.rh_consent_at AS rhConsentAt,
         r.rh_anti_d_screen AS rhAntiDScreen, r.rh_patient_note AS rhPatientNote
       FROM transfer_request tr JOIN aid_request r ON r.id = tr.request_id
       WHERE tr.transfer_id IN (SELECT value FROM json_each(?1))
       ORDER BY ${urgencyRank('r.urgency')}, r.needed_by IS NULL, r.needed_by, tr.request_id`,
      )
      .bind(json),
    db
      .prepare(
        `SELECT transfer_id AS transferId, kind, temperature_c AS temperatureC, packed_at AS packedAt, sealed_at AS sealedAt, carrier,
         arrived_at AS arrivedAt, seal_intact AS sealIntact, accepted_qty AS acceptedQty, rejected_qty AS rejectedQty,
         reject_reason AS rejectReason, in_range AS inRange, note, actor_id AS actorId, at
       FROM transport_record WHERE transfer_id IN (SELECT value FROM json_each(?1))`,
      )
      .bind(json),
  ])
  return { lots: lots.results as LotLineRow[], requests: requests.results as RequestLineRow[], transport: transport.results as TransportRow[] }
}

const toDispatch = (r: TransportRow): TransportDispatchT => ({
  temperatureC: r.temperatureC,
  packedAt: r.packedAt,
  sealedAt: r.sealedAt,
  carrier: r.carrier,
  inRange: r.inRange === 1,
  note: r.note,
  by: r.actorId,
  at: r.at,
})

const toReceipt = (r: TransportRow): TransportReceiptT => ({
  temperatureC: r.temperatureC,
  arrivedAt: r.arrivedAt,
  sealIntact: r.sealIntact === null ? null : r.sealIntact === 1,
  acceptedQty: r.acceptedQty ?? 0,
  rejectedQty: r.rejectedQty ?? 0,
  rejectReason: r.rejectReason,
  inRange: r.inRange === 1,
  note: r.note,
  by: r.actorId,
  at: r.at,
})

/** Rows plus their lines, in the API shape. */
export async function withLines(db: D1Database, rows: TransferRow[]): Promise<TransferT[]> {
  const { lots, requests, transport } = await selectLines(
    db,
    rows.map((r) => r.id),
  )
  return rows.map(({ proposedLots: _l, proposedRequests: _r, frozen, ...t }) => {
    const dispatch = transport.find((x) => x.transferId === t.id && x.kind === 'dispatch')
    const receipt = transport.find((x) => x.transferId === t.id && x.kind === 'receipt')
    return {
      ...t,
      frozen: frozen === 1,
      lots: lots.filter((l) => l.transferId === t.id).map(({ lotId, qty, expiresAt, frozen }) => ({ lotId, qty, expiresAt, frozen: frozen === 1 })),
      requests: requests
        .filter((r) => r.transferId === t.id)
        .map(({ transferId: _t, rhConsentBy, rhConsentAt, rhAntiDScreen, rhPatientNote, ...r }) => ({
          ...r,
          rhPositiveConsent: consentOf({ rhConsentBy, rhConsentAt, rhAntiDScreen, rhPatientNote }),
        })),
      transport: { dispatch: dispatch ? toDispatch(dispatch) : null, receipt: receipt ? toReceipt(receipt) : null },
    }
  })
}

/** Transfers (of those given) all of whose requests are cancelled or already fulfilled: nothing left to serve. */
export const selectPointless = (db: D1Database, ids: string[]) =>
  db
    .prepare(
      `SELECT tr.transfer_id AS id FROM transfer_request tr JOIN aid_request r ON r.id = tr.request_id
       WHERE tr.transfer_id IN (SELECT value FROM json_each(?1))
       GROUP BY tr.transfer_id HAVING SUM(r.status NOT IN ('cancelled', 'fulfilled')) = 0`,
    )
    .bind(JSON.stringify(ids))
    .all<{ id: string }>()
    .then((r) => r.results.map((x) => x.id))

export const selectRequestUrgency = (db: D1Database, ids: string[]) =>
  db
    .prepare(`SELECT id, urgency, needed_by AS neededBy FROM aid_request WHERE id IN (SELECT value FROM json_each(?1))`)
    .bind(JSON.stringify(ids))
    .all<{ id: string; urgency: string; neededBy: string | null }>()
    .then((r) => r.results)
