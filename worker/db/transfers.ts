import { consentOf, urgencyRank, type ConsentColumns } from './requests'
import type { TransferT, TransportDispatchT, TransportReceiptT } from '../schemas/transfer'

/** Transfer SQL: the transfer table, its lot and request lines, its transport record and its commit checks. */

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

export type NewTransfer = {
  id: string
  planId: string
  fromSite: string
  toSite: string
  component: string
  abo: string
  rhd: string
  qty: number
  etaHours: number
  lots: { lotId: string; qty: number }[]
  requests: { requestId: string; qty: number }[]
  /** hours of thawing counted in etaHours when the planner sends frozen units */
  thawHours?: number
}

export const insertTransferStmts = (db: D1Database, t: NewTransfer, at: string): D1PreparedStatement[] => [
  db
    .prepare(
      `INSERT INTO transfer (id, plan_id, from_site, to_site, component, abo, rhd, proposed_qty, qty, eta_hours, status,
       proposed_lots, proposed_requests, created_at, updated_at, thaw_hours)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, 'proposed', ?10, ?11, ?12, ?12, ?13)`,
    )
    .bind(
      t.id,
      t.planId,
      t.fromSite,
      t.toSite,
      t.component,
      t.abo,
      t.rhd,
      t.qty,
      t.etaHours,
      JSON.stringify(t.lots),
      JSON.stringify(t.requests),
      at,
      t.thawHours ?? null,
    ),
  ...t.lots.map((l) => db.prepare('INSERT INTO transfer_lot (transfer_id, lot_id, qty) VALUES (?1, ?2, ?3)').bind(t.id, l.lotId, l.qty)),
  ...t.requests.map((r) => db.prepare('INSERT INTO transfer_request (transfer_id, request_id, qty) VALUES (?1, ?2, ?3)').bind(t.id, r.requestId, r.qty)),
]

/** A status change; the transfer_status_guard trigger aborts the batch on an illegal move. */
export const setStatusStmt = (db: D1Database, id: string, status: string, at: string, extra: Record<string, string | number | null> = {}) => {
  const keys = Object.keys(extra)
  const sets = keys.map((k, i) => `, ${k} = ?${i + 4}`).join('')
  return db.prepare(`UPDATE transfer SET status = ?2, updated_at = ?3${sets} WHERE id = ?1`).bind(id, status, at, ...keys.map((k) => extra[k]))
}

/** The thaw step of a transfer of frozen units (trigger transfer_thaw_once: committed, frozen, once). */
export const setThawedStmt = (db: D1Database, id: string, actorId: string, at: string) =>
  db.prepare('UPDATE transfer SET thawed_at = ?2, thawed_by = ?3, updated_at = ?2 WHERE id = ?1').bind(id, at, actorId)

/**
 * The guard of an approval that carries the quantity the reviewer saw: it sets qty to NULL (NOT NULL fails the batch)
 * when the stored quantity differs, so what the screen showed is what gets approved, also under a concurrent edit.
 */
export const expectQtyStmt = (db: D1Database, id: string, qty: number) =>
  db.prepare('UPDATE transfer SET qty = CASE WHEN qty = ?2 THEN qty ELSE NULL END WHERE id = ?1').bind(id, qty)

/** Replace a transfer's quantity and its lot and request lines (review only: the qty trigger refuses it after commit). */
export const setQtyStmts = (
  db: D1Database,
  id: string,
  qty: number,
  lots: { lotId: string; qty: number }[],
  requests: { requestId: string; qty: number }[],
  at: string,
) => [
  db.prepare('UPDATE transfer SET qty = ?2, updated_at = ?3 WHERE id = ?1').bind(id, qty, at),
  db.prepare('DELETE FROM transfer_lot WHERE transfer_id = ?1').bind(id),
  db.prepare('DELETE FROM transfer_request WHERE transfer_id = ?1').bind(id),
  ...lots.map((l) => db.prepare('INSERT INTO transfer_lot (transfer_id, lot_id, qty) VALUES (?1, ?2, ?3)').bind(id, l.lotId, l.qty)),
  ...requests.map((r) => db.prepare('INSERT INTO transfer_request (transfer_id, request_id, qty) VALUES (?1, ?2, ?3)').bind(id, r.requestId, r.qty)),
]

/**
 * The once-only commit guard. Inserted first for each transfer: its primary key refuses a second commit, and
 * `at` becomes NULL (NOT NULL fails the whole batch) when the transfer's qty is no longer the one the caller
 * read its lot lines for — a review edit that slipped in between cannot commit stale lines.
 */
export const insertCommitStmt = (db: D1Database, transferId: string, key: string, actorId: string, expectedQty: number, at: string) =>
  db
    .prepare(
      `INSERT INTO transfer_commit (transfer_id, idempotency_key, actor_id, at)
       VALUES (?1, ?2, ?3, CASE WHEN (SELECT qty FROM transfer WHERE id = ?1) = ?4 THEN ?5 ELSE NULL END)`,
    )
    .bind(transferId, key, actorId, expectedQty, at)

export const selectCommitted = (db: D1Database, actorId: string, key: string) =>
  db
    .prepare('SELECT transfer_id AS transferId FROM transfer_commit WHERE actor_id = ?1 AND idempotency_key = ?2 ORDER BY transfer_id')
    .bind(actorId, key)
    .all<{ transferId: string }>()
    .then((r) => r.results.map((x) => x.transferId))

/** Ordinary (no rare antigen profile), unexpired units a site holds of one component and group: what a reserve counts. */
const floorStock = (p: number) =>
  `COALESCE((SELECT SUM(qty) FROM lot WHERE site_id = ?${p} AND component = ?${p + 1} AND abo = ?${p + 2} AND rhd = ?${p + 3}
     AND antigens = '' AND expires_at > ?${p + 4}), 0)`

export const selectFloorStock = (db: D1Database, g: { site: string; component: string; abo: string; rhd: string }, now: string) =>
  db
    .prepare(`SELECT ${floorStock(1)} AS have`)
    .bind(g.site, g.component, g.abo, g.rhd, now)
    .first<number>('have')

/**
 * The floor check of a commit, placed after its ledger lines: the donor's stock of that group as the statement
 * runs must still be ≥ the reserve the plan recorded, or CHECK commit_check_holds fails the whole batch.
 */
export const insertFloorCheckStmt = (
  db: D1Database,
  c: { batchId: string; transferId: string; site: string; component: string; abo: string; rhd: string; floor: number; now: string },
) =>
  db
    .prepare(
      `INSERT INTO commit_check (batch_id, transfer_id, kind, subject, have, floor)
       VALUES (?1, ?2, 'floor', ?3, ${floorStock(4)}, ?9)`,
    )
    .bind(c.batchId, c.transferId, `${c.site}|${c.component}|${c.abo}|${c.rhd}`, c.site, c.component, c.abo, c.rhd, c.now, c.floor)

/** What a request still lacks once its committed and dispatched transfers are counted (≥ 0 unless over-covered). */
export const UNCOVERED = (r: string) => `${r}.qty - ${r}.fulfilled_qty - COALESCE((
  SELECT SUM(tr.qty) FROM transfer_request tr JOIN transfer t ON t.id = tr.transfer_id
  WHERE tr.request_id = ${r}.id AND t.status IN ('committed', 'dispatched')), 0)`

/** The coverage check of a commit, after the status changes: no request is covered beyond what it asked. */
export const insertCoverageCheckStmt = (db: D1Database, c: { batchId: string; transferId: string; requestId: string }) =>
  db
    .prepare(
      `INSERT INTO commit_check (batch_id, transfer_id, kind, subject, have, floor)
       SELECT ?1, ?2, 'coverage', r.id, ${UNCOVERED('r')}, 0 FROM aid_request r WHERE r.id = ?3`,
    )
    .bind(c.batchId, c.transferId, c.requestId)

export const selectUncovered = (db: D1Database, ids: string[]) =>
  db
    .prepare(`SELECT r.id, ${UNCOVERED('r')} AS uncovered FROM aid_request r WHERE r.id IN (SELECT value FROM json_each(?1))`)
    .bind(JSON.stringify(ids))
    .all<{ id: string; uncovered: number }>()
    .then((r) => r.results)

/**
 * Closing a committed plan's proposals that nobody approved: audited one row each as transfer.close, then set
 * to rejected with close_reason not_approved_at_commit, so nothing of the plan stays live.
 */
export const closeUnapprovedStmts = (db: D1Database, planId: string, actorId: string, at: string): D1PreparedStatement[] => [
  db
    .prepare(
      `INSERT INTO audit_log (actor_id, action, entity, entity_id, detail, at)
     SELECT ?2, 'transfer.close', 'transfer', id, json_object('reason', 'not_approved_at_commit', 'planId', ?1, 'qty', qty), ?3
     FROM transfer WHERE plan_id = ?1 AND status = 'proposed' ORDER BY id`,
    )
    .bind(planId, actorId, at),
  db
    .prepare(
      `UPDATE transfer SET status = 'rejected', close_reason = 'not_approved_at_commit', updated_at = ?3,
       reject_reason = 'Not approved when plan ' || ?1 || ' was committed', reviewed_by = ?2, reviewed_at = ?3
     WHERE plan_id = ?1 AND status = 'proposed'`,
    )
    .bind(planId, actorId, at),
]

/** A plan is closed once none of its transfers is still live. */
export const closePlanIfDoneStmt = (db: D1Database, planId: string) =>
  db
    .prepare(
      `UPDATE plan SET status = 'closed' WHERE id = ?1 AND status IN ('review', 'committed') AND NOT EXISTS
       (SELECT 1 FROM transfer WHERE plan_id = ?1 AND status NOT IN ('received', 'rejected', 'cancelled'))`,
    )
    .bind(planId)

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

/**
 * After transfers stop covering requests (rejected, cancelled, closed): each request they served that is
 * `planned` but no longer covered by a committed or dispatched transfer goes back to open (or partly_fulfilled
 * when some units already arrived), audited as request.status. Runs after the status changes in the same batch.
 */
export function releaseRequestsStmts(db: D1Database, transferIds: string[], actorId: string, at: string): D1PreparedStatement[] {
  const target = `CASE WHEN r.fulfilled_qty > 0 THEN 'partly_fulfilled' ELSE 'open' END`
  const uncovered = `r.status = 'planned' AND r.id IN (SELECT request_id FROM transfer_request WHERE transfer_id IN (SELECT value FROM json_each(?1)))
    AND NOT EXISTS (SELECT 1 FROM transfer_request tr JOIN transfer t ON t.id = tr.transfer_id
                    WHERE tr.request_id = r.id AND t.status IN ('committed', 'dispatched'))`
  const ids = JSON.stringify(transferIds)
  return [
    db
      .prepare(
        `INSERT INTO audit_log (actor_id, action, entity, entity_id, detail, at)
       SELECT ?2, 'request.status', 'aid_request', r.id, json_object('from', r.status, 'to', ${target}, 'transfers', json(?1)), ?3
       FROM aid_request r WHERE ${uncovered}`,
      )
      .bind(ids, actorId, at),
    db.prepare(`UPDATE aid_request AS r SET status = ${target}, updated_at = ?3 WHERE ${uncovered} AND ?2 IS NOT NULL`).bind(ids, actorId, at),
  ]
}

export const selectRequestUrgency = (db: D1Database, ids: string[]) =>
  db
    .prepare(`SELECT id, urgency, needed_by AS neededBy FROM aid_request WHERE id IN (SELECT value FROM json_each(?1))`)
    .bind(JSON.stringify(ids))
    .all<{ id: string; urgency: string; neededBy: string | null }>()
    .then((r) => r.results)

export const selectTransportRange = (db: D1Database, component: string) =>
  db
    .prepare('SELECT transport_min_c AS min, transport_max_c AS max FROM component WHERE code = ?1')
    .bind(component)
    .first<{ min: number | null; max: number | null }>()

export const insertDispatchRecordStmt = (
  db: D1Database,
  r: {
    transferId: string
    temperatureC: number
    packedAt?: string
    sealedAt?: string
    carrier?: string
    note?: string
    inRange: boolean
    actorId: string
    at: string
  },
) =>
  db
    .prepare(
      `INSERT INTO transport_record (transfer_id, kind, temperature_c, packed_at, sealed_at, carrier, in_range, note, actor_id, at)
       VALUES (?1, 'dispatch', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)`,
    )
    .bind(r.transferId, r.temperatureC, r.packedAt ?? null, r.sealedAt ?? null, r.carrier ?? null, r.inRange ? 1 : 0, r.note ?? null, r.actorId, r.at)

export const insertReceiptRecordStmt = (
  db: D1Database,
  r: {
    transferId: string
    temperatureC: number
    arrivedAt?: string
    sealIntact?: boolean
    acceptedQty: number
    rejectedQty: number
    rejectReason: string | null
    inRange: boolean
    note?: string
    actorId: string
    at: string
  },
) =>
  db
    .prepare(
      `INSERT INTO transport_record (transfer_id, kind, temperature_c, arrived_at, seal_intact, accepted_qty, rejected_qty, reject_reason, in_range, note, actor_id, at)
       VALUES (?1, 'receipt', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)`,
    )
    .bind(
      r.transferId,
      r.temperatureC,
      r.arrivedAt ?? null,
      r.sealIntact === undefined ? null : r.sealIntact ? 1 : 0,
      r.acceptedQty,
      r.rejectedQty,
      r.rejectReason,
      r.inRange ? 1 : 0,
      r.note ?? null,
      r.actorId,
      r.at,
    )
