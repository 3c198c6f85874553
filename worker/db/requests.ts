import { URGENCIES } from '../../solver/domain'
import type { AidRequestCreateT, AidRequestQueryT, AidRequestT, RequestStatusT, RhPositiveConsentT } from '../schemas/request'

const linked = (statuses: string) => `COALESCE((SELECT SUM(tr.qty) FROM transfer_request tr JOIN transfer t ON t.id = tr.transfer_id
  WHERE tr.request_id = aid_request.id AND t.status IN (${statuses})), 0)`

const COLUMNS = `id, site_id AS siteId, component, abo, rhd, antigens, qty, fulfilled_qty AS fulfilledQty, urgency,
  needed_by AS neededBy, allow_rh_positive AS allowRhPositive, rh_consent_by AS rhConsentBy, rh_consent_at AS rhConsentAt,
  rh_anti_d_screen AS rhAntiDScreen, rh_patient_note AS rhPatientNote, reason, status, created_by AS createdBy,
  created_at AS createdAt, updated_at AS updatedAt,
  ${linked("'committed', 'dispatched'")} AS onTheWayQty, ${linked("'proposed', 'approved'")} AS inReviewQty`

type Row = Omit<AidRequestT, 'allowRhPositive' | 'coverage' | 'rhPositiveConsent'> & { allowRhPositive: number } & ConsentColumns
export type ConsentColumns = { rhConsentBy: string | null; rhConsentAt: string | null; rhAntiDScreen: string | null; rhPatientNote: string | null }

/** The consent record from its columns; null when none was recorded. */
export const consentOf = (r: ConsentColumns): RhPositiveConsentT | null =>
  r.rhConsentBy && r.rhConsentAt && r.rhAntiDScreen === 'negative'
    ? { consentBy: r.rhConsentBy, consentAt: r.rhConsentAt, antiDScreen: 'negative', patientNote: r.rhPatientNote ?? '' }
    : null

/** What a director needs to know: open, partly covered (units on the way), covered, received or cancelled. */
export function coverageOf(r: { status: string; qty: number; fulfilledQty: number; onTheWayQty: number }): AidRequestT['coverage'] {
  if (r.status === 'cancelled') return 'cancelled'
  if (r.fulfilledQty >= r.qty) return 'received'
  if (r.fulfilledQty + r.onTheWayQty >= r.qty) return 'covered'
  if (r.fulfilledQty + r.onTheWayQty > 0) return 'partly_covered'
  return 'open'
}

const toRequest = ({ rhConsentBy, rhConsentAt, rhAntiDScreen, rhPatientNote, ...r }: Row): AidRequestT => ({
  ...r,
  allowRhPositive: r.allowRhPositive === 1,
  rhPositiveConsent: consentOf({ rhConsentBy, rhConsentAt, rhAntiDScreen, rhPatientNote }),
  coverage: coverageOf(r),
})

/** An urgency column as its rank, most urgent first (solver/domain.ts), for ORDER BY. */
export const urgencyRank = (column = 'urgency') => `CASE ${column} ${URGENCIES.map((u, i) => `WHEN '${u}' THEN ${i}`).join(' ')} END`

/** Most urgent first: emergency, urgent, routine; then the soonest deadline; then the oldest. */
export const URGENCY_ORDER = urgencyRank()

export const selectRequests = (db: D1Database, q: AidRequestQueryT) =>
  db
    .prepare(
      `SELECT ${COLUMNS} FROM aid_request
       WHERE (?1 IS NULL OR site_id = ?1) AND (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR urgency = ?3)
         AND (?4 IS NULL OR component = ?4) AND (?5 IS NULL OR created_at >= ?5)
       ORDER BY ${URGENCY_ORDER}, needed_by IS NULL, needed_by, created_at, id LIMIT ?6`,
    )
    .bind(q.site ?? null, q.status ?? null, q.urgency ?? null, q.component ?? null, q.since ? new Date(q.since).toISOString() : null, q.limit)
    .all<Row>()
    .then((r) => r.results.map(toRequest))

export const selectRequest = (db: D1Database, id: string) =>
  db
    .prepare(`SELECT ${COLUMNS} FROM aid_request WHERE id = ?1`)
    .bind(id)
    .first<Row>()
    .then((r) => (r ? toRequest(r) : null))

export const selectRequestByKey = (db: D1Database, createdBy: string, key: string) =>
  db
    .prepare(`SELECT ${COLUMNS} FROM aid_request WHERE created_by = ?1 AND idempotency_key = ?2`)
    .bind(createdBy, key)
    .first<Row>()
    .then((r) => (r ? toRequest(r) : null))

export const insertRequest = (db: D1Database, id: string, r: AidRequestCreateT, createdBy: string, key: string | null, at: string) =>
  db
    .prepare(
      `INSERT INTO aid_request (id, site_id, component, abo, rhd, antigens, qty, urgency, needed_by, allow_rh_positive, reason,
         status, created_by, idempotency_key, created_at, updated_at, rh_consent_by, rh_consent_at, rh_anti_d_screen, rh_patient_note)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'open', ?12, ?13, ?14, ?14, ?15, ?16, ?17, ?18)`,
    )
    .bind(
      id,
      r.siteId,
      r.component,
      r.abo,
      r.rhd,
      r.antigens ?? '',
      r.qty,
      r.urgency,
      new Date(r.neededBy).toISOString(),
      r.allowRhPositive ? 1 : 0,
      r.reason,
      createdBy,
      key,
      at,
      r.rhPositiveConsent?.consentBy ?? null,
      r.rhPositiveConsent ? new Date(r.rhPositiveConsent.consentAt).toISOString() : null,
      r.rhPositiveConsent?.antiDScreen ?? null,
      r.rhPositiveConsent?.patientNote ?? null,
    )

/**
 * A guarded status change as two statements for one db.batch(): first the audit row, written only if the
 * request is at that moment in one of `from` (its detail records the actual from-status, read in SQL), then
 * the UPDATE with the same guard. A batch is one transaction, so both apply or neither; the UPDATE's
 * meta.changes (1 or 0) says whether the change happened.
 */
export function statusChangeStmts(
  db: D1Database,
  o: {
    actorId: string
    action: string
    id: string
    to: RequestStatusT
    from: readonly RequestStatusT[]
    fulfilledQty?: number
    detail?: Record<string, unknown>
    at: string
  },
): [D1PreparedStatement, D1PreparedStatement] {
  const fromList = o.from.map((s) => `'${s}'`).join(', ')
  const fq = o.fulfilledQty ?? null
  const audit = db
    .prepare(
      `INSERT INTO audit_log (actor_id, action, entity, entity_id, detail, at)
       SELECT ?1, ?2, 'aid_request', id,
              json_patch(json_object('from', status, 'to', ?4, 'fulfilledQty', COALESCE(?5, fulfilled_qty)), ?6), ?7
       FROM aid_request WHERE id = ?3 AND status IN (${fromList})`,
    )
    .bind(o.actorId, o.action, o.id, o.to, fq, JSON.stringify(o.detail ?? {}), o.at)
  const update = db
    .prepare(
      `UPDATE aid_request SET status = ?2, fulfilled_qty = COALESCE(?3, fulfilled_qty), updated_at = ?4
       WHERE id = ?1 AND status IN (${fromList})`,
    )
    .bind(o.id, o.to, fq, o.at)
  return [audit, update]
}

/**
 * Adds delivered units to a request: fulfilled_qty grows (capped at qty) and the status becomes
 * partly_fulfilled or fulfilled. Audit row first, then the UPDATE, both guarded on an active status.
 */
export function fulfilmentStmts(
  db: D1Database,
  o: { actorId: string; id: string; addQty: number; detail?: Record<string, unknown>; at: string },
): [D1PreparedStatement, D1PreparedStatement] {
  const active = `status IN ('open', 'planned', 'partly_fulfilled')`
  const newQty = `MIN(qty, fulfilled_qty + ?2)`
  const newStatus = `CASE WHEN fulfilled_qty + ?2 >= qty THEN 'fulfilled' ELSE 'partly_fulfilled' END`
  const audit = db
    .prepare(
      `INSERT INTO audit_log (actor_id, action, entity, entity_id, detail, at)
       SELECT ?3, 'request.fulfil', 'aid_request', id,
              json_patch(json_object('from', status, 'to', ${newStatus}, 'added', ?2, 'fulfilledQty', ${newQty}), ?4), ?5
       FROM aid_request WHERE id = ?1 AND ${active}`,
    )
    .bind(o.id, o.addQty, o.actorId, JSON.stringify(o.detail ?? {}), o.at)
  const update = db
    .prepare(`UPDATE aid_request SET fulfilled_qty = ${newQty}, status = ${newStatus}, updated_at = ?3 WHERE id = ?1 AND ${active}`)
    .bind(o.id, o.addQty, o.at)
  return [audit, update]
}

/** Which of the given ids are aid requests. */
export const selectRequestIds = (db: D1Database, ids: string[]) =>
  db
    .prepare('SELECT id FROM aid_request WHERE id IN (SELECT value FROM json_each(?1))')
    .bind(JSON.stringify(ids))
    .all<{ id: string }>()
    .then((r) => r.results.map((x) => x.id))
