import { fulfilmentStmts, insertRequest, selectRequest, selectRequestByKey, selectRequests, statusChangeStmts } from '../db/requests'
import { selectSite } from '../db/sites'
import { ApiError, badRequest, conflict, notFound } from '../errors'
import { newId } from '../lib/crypto'
import { nowIso } from '../lib/time'
import type { AidRequestCreateT, AidRequestQueryT, AidRequestT, RequestStatusT } from '../schemas/request'
import { auditStmt } from './audit'
import { requireSiteWriter, type Actor } from './auth'
import { withIdempotency } from './idempotency'
import { isUnique } from '../db/constraints'

export const listRequests = (db: D1Database, q: AidRequestQueryT) => selectRequests(db, q)

export async function getRequest(db: D1Database, id: string): Promise<AidRequestT> {
  const r = await selectRequest(db, id)
  if (!r) throw notFound('aid request', id)
  return r
}

/** Whether a stored request is the one a retried body describes (same key, same content). */
const sameRequest = (r: AidRequestT, input: AidRequestCreateT) =>
  r.siteId === input.siteId &&
  r.component === input.component &&
  r.abo === input.abo &&
  r.rhd === input.rhd &&
  r.qty === input.qty &&
  r.urgency === input.urgency &&
  r.reason === input.reason &&
  r.antigens === (input.antigens ?? '') &&
  r.allowRhPositive === !!input.allowRhPositive &&
  r.neededBy === new Date(input.neededBy).toISOString() &&
  JSON.stringify(r.rhPositiveConsent) ===
    JSON.stringify(input.rhPositiveConsent ? { ...input.rhPositiveConsent, consentAt: new Date(input.rhPositiveConsent.consentAt).toISOString() } : null)

/**
 * Files an aid request for a site: its own director, or a coordinator/admin for any site.
 * With an Idempotency-Key, a retry returns the request already filed (created: false); the same key
 * with a different body is a 409. UNIQUE (created_by, idempotency_key) is the guard under concurrency.
 */
export async function createRequest(db: D1Database, actor: Actor, input: AidRequestCreateT, key?: string): Promise<{ request: AidRequestT; created: boolean }> {
  requireSiteWriter(actor, input.siteId)
  // The request row is the stored request: every field of the body is compared (sameRequest).
  const lookup = async (k: string) => {
    const existing = await selectRequestByKey(db, actor.id, k)
    return existing ? { hash: sameRequest(existing, input) ? 'same' : 'other', answer: async () => existing } : null
  }
  const { result, replayed } = await withIdempotency(
    key,
    'same',
    lookup,
    async () => {
      if (!(await selectSite(db, input.siteId))) throw badRequest('siteId', `No site ${input.siteId}`)
      const id = newId('req')
      const at = nowIso()
      await db.batch([
        insertRequest(db, id, input, actor.id, key ?? null, at),
        auditStmt(db, actor, 'request.create', 'aid_request', id, { ...input, idempotencyKey: key ?? null }, at),
      ])
      return getRequest(db, id)
    },
    (e) => isUnique(e),
  )
  return { request: result, created: !replayed }
}

/** Cancels an open or planned request: its own director, or a coordinator/admin. 409 from any other status. */
export async function cancelRequest(db: D1Database, actor: Actor, id: string, reason?: string): Promise<AidRequestT> {
  const before = await getRequest(db, id)
  requireSiteWriter(actor, before.siteId)
  const [audit, update] = statusChangeStmts(db, {
    actorId: actor.id,
    action: 'request.cancel',
    id,
    to: 'cancelled',
    from: ['open', 'planned'],
    detail: reason ? { reason } : {},
    at: nowIso(),
  })
  const [, res] = await db.batch([audit, update])
  if (res.meta.changes !== 1) {
    const now = await getRequest(db, id)
    throw conflict('request_not_cancellable', `Request ${id} is ${now.status}; only an open or planned request can be cancelled`, 'status')
  }
  return getRequest(db, id)
}

/** The status moves the planning flow may make; fulfilled and cancelled are final. */
export const REQUEST_TRANSITIONS: Record<RequestStatusT, readonly RequestStatusT[]> = {
  open: ['planned', 'partly_fulfilled', 'fulfilled', 'cancelled'],
  planned: ['open', 'partly_fulfilled', 'fulfilled', 'cancelled'],
  partly_fulfilled: ['planned', 'partly_fulfilled', 'fulfilled'],
  fulfilled: [],
  cancelled: [],
}

/**
 * For the plans/transfers flow: statements that move request `id` to `status` (optionally setting
 * fulfilled_qty), audited as `request.status` with the actual from-status, to join the caller's db.batch().
 * Returns [auditInsert, update]; the change applied iff the update's result has meta.changes === 1 (it is
 * skipped, with no audit row, when the request's current status may not move to `status`).
 * No role check here: the caller authorises the plan/transfer action.
 */
export function setRequestStatus(
  db: D1Database,
  actor: Actor,
  id: string,
  status: RequestStatusT,
  fulfilledQty?: number,
  detail?: Record<string, unknown>,
): D1PreparedStatement[] {
  const from = (Object.keys(REQUEST_TRANSITIONS) as RequestStatusT[]).filter((s) => REQUEST_TRANSITIONS[s].includes(status))
  if (from.length === 0) throw new ApiError(409, 'illegal_request_status', `No request may move to ${status}`)
  return statusChangeStmts(db, { actorId: actor.id, action: 'request.status', id, to: status, from, fulfilledQty, detail, at: nowIso() })
}

/**
 * For transfer receipt: statements that add `qty` delivered units to request `id` (capped at its qty), moving
 * it to partly_fulfilled or fulfilled, audited as `request.fulfil`. Returns [auditInsert, update]; applied iff
 * the update's meta.changes === 1 (skipped for a cancelled or already fulfilled request).
 */
export function recordFulfilment(db: D1Database, actor: Actor, id: string, qty: number, detail?: Record<string, unknown>): D1PreparedStatement[] {
  if (!Number.isInteger(qty) || qty <= 0) throw badRequest('qty', 'Delivered quantity must be a whole number above 0')
  return fulfilmentStmts(db, { actorId: actor.id, id, addQty: qty, detail, at: nowIso() })
}
