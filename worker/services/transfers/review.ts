import { expectQtyStmt, setQtyStmts } from '../../db/transfers/proposal'
import { selectPointless, selectRequestUrgency } from '../../db/transfers/read'
import { closePlanIfDoneStmt, releaseRequestsStmts, setStatusStmt } from '../../db/transfers/state'
import { selectLotsByIds } from '../../db/lots'
import { selectPlanExists } from '../../db/plans'
import { badRequest, conflict, notFound } from '../../errors'
import { nowIso } from '../../lib/time'
import type { TransferT } from '../../schemas/transfer'
import { auditStmt } from '../audit'
import { requireRole, type Actor } from '../auth'
import { fill, getTransfer, listTransfers, loadRow, mapGuardError, requireTransition, URGENCY_RANK } from './state'
import { isNotNull } from '../../db/constraints'

/** Review: the coordinator approves, rejects or lowers each proposed transfer before the plan is committed. */

/** 409 qty_changed: the reviewer saw another quantity than the one stored (an edit not saved, or saved by someone else). */
const qtyChanged = (t: { id: string; qty: number }, seen: number) =>
  conflict('qty_changed', `Transfer ${t.id} holds ${t.qty} units, not the ${seen} shown: save or undo the edit first; nothing was approved`, 'qty', {
    transferId: t.id,
    stored: t.qty,
    shown: seen,
  })

/** Maps the qty guard's failure (expectQtyStmt) to 409 qty_changed, re-reading what is stored now. */
async function mapQtyGuard(db: D1Database, e: unknown, expected: Map<string, number>): Promise<void> {
  if (!isNotNull(e, 'transfer', 'qty')) return
  for (const [id, seen] of expected) {
    const now = await loadRow(db, id)
    if (now.qty !== seen) throw qtyChanged(now, seen)
  }
  throw conflict('qty_changed', 'A quantity changed while it was being approved; nothing was approved', 'qty')
}

/** proposed → approved; with `qty` (the quantity the reviewer saw), refused unless it is the stored one. */
export async function approveTransfer(db: D1Database, actor: Actor, id: string, qty?: number): Promise<TransferT> {
  requireRole(actor, 'coordinator', 'admin')
  const t = await loadRow(db, id)
  requireTransition(t, 'approved')
  if (qty !== undefined && qty !== t.qty) throw qtyChanged(t, qty)
  if ((await selectPointless(db, [id])).length)
    throw conflict('requests_closed', `Every request transfer ${id} serves is cancelled or fulfilled; reject it instead`)
  const at = nowIso()
  try {
    await db.batch([
      ...(qty !== undefined ? [expectQtyStmt(db, id, qty)] : []),
      setStatusStmt(db, id, 'approved', at, { reviewed_by: actor.id, reviewed_at: at }),
      auditStmt(db, actor, 'transfer.approve', 'transfer', id, { qty: t.qty }, at),
    ])
  } catch (e) {
    await mapQtyGuard(db, e, new Map(qty !== undefined ? [[id, qty]] : []))
    mapGuardError(e, t, 'approved')
  }
  return getTransfer(db, id)
}

/**
 * Approves, in one batch, every proposed transfer of a plan that serves a request or goes to a site (bulk
 * review); those whose requests are all closed are left proposed. Each approval is audited on its own.
 */
export async function approveMany(
  db: D1Database,
  actor: Actor,
  planId: string,
  by: { requestId?: string; toSite?: string; qtys?: Record<string, number> },
): Promise<TransferT[]> {
  requireRole(actor, 'coordinator', 'admin')
  const plan = await selectPlanExists(db, planId)
  if (!plan) throw notFound('plan', planId)
  const all = await listTransfers(db, { planId, status: 'proposed' })
  const chosen = all.filter((t) => (by.toSite ? t.toSite === by.toSite : t.requests.some((r) => r.requestId === by.requestId)))
  if (chosen.length === 0)
    throw conflict(
      'nothing_to_approve',
      by.toSite ? `Plan ${planId} has no proposed transfer to ${by.toSite}` : `Plan ${planId} has no proposed transfer serving ${by.requestId}`,
    )
  const closed = new Set(
    await selectPointless(
      db,
      chosen.map((t) => t.id),
    ),
  )
  const ids = chosen.map((t) => t.id).filter((id) => !closed.has(id))
  // the quantities the reviewer saw: any that differs from the stored one refuses the whole approval
  const expected = new Map(ids.filter((id) => by.qtys?.[id] !== undefined).map((id) => [id, by.qtys![id]]))
  for (const [id, seen] of expected) {
    const t = chosen.find((x) => x.id === id)!
    if (t.qty !== seen) throw qtyChanged(t, seen)
  }
  const at = nowIso()
  const { qtys: _seen, ...bulk } = by
  try {
    await db.batch([
      ...[...expected].map(([id, seen]) => expectQtyStmt(db, id, seen)),
      ...ids.flatMap((id) => [
        setStatusStmt(db, id, 'approved', at, { reviewed_by: actor.id, reviewed_at: at }),
        auditStmt(db, actor, 'transfer.approve', 'transfer', id, { qty: chosen.find((t) => t.id === id)!.qty, bulk }, at),
      ]),
    ])
  } catch (e) {
    await mapQtyGuard(db, e, expected)
    mapGuardError(e, { id: ids.join(', '), status: 'proposed' }, 'approved')
  }
  return listTransfers(db, { planId })
}

export async function rejectTransfer(db: D1Database, actor: Actor, id: string, reason: string, action = 'transfer.reject'): Promise<TransferT> {
  requireRole(actor, 'coordinator', 'admin')
  const t = await loadRow(db, id)
  requireTransition(t, 'rejected')
  const at = nowIso()
  try {
    await db.batch([
      setStatusStmt(db, id, 'rejected', at, {
        reviewed_by: actor.id,
        reviewed_at: at,
        reject_reason: reason,
        close_reason: action === 'transfer.cancel' ? 'cancelled' : 'rejected',
      }),
      auditStmt(db, actor, action, 'transfer', id, { reason, from: t.status }, at),
      ...releaseRequestsStmts(db, [id], actor.id, at),
      ...(t.planId ? [closePlanIfDoneStmt(db, t.planId)] : []),
    ])
  } catch (e) {
    mapGuardError(e, t, 'rejected')
  }
  return getTransfer(db, id)
}

/**
 * Sets a reviewed quantity (1 ≤ qty ≤ proposedQty) and rebuilds the lot and request lines from the planner's
 * original lines: the earliest-expiring lots are kept, so lowering drops the latest-expiring units first and
 * near-expiry lots still go; the most urgent requests keep their units.
 */
export async function editTransferQty(db: D1Database, actor: Actor, id: string, qty: number): Promise<TransferT> {
  requireRole(actor, 'coordinator', 'admin')
  const t = await loadRow(db, id)
  if (t.status !== 'proposed' && t.status !== 'approved')
    throw conflict('invalid_transition', `Transfer ${id} is ${t.status}; only a proposed or approved transfer's quantity may change`, 'status')
  if (qty > t.proposedQty) throw badRequest('qty', `qty may be at most the proposed ${t.proposedQty}`)
  if (qty === t.qty) return getTransfer(db, id)

  const proposedLots = JSON.parse(t.proposedLots) as { lotId: string; qty: number }[]
  const proposedRequests = JSON.parse(t.proposedRequests) as { requestId: string; qty: number }[]
  const expiry = new Map(
    (
      await selectLotsByIds(
        db,
        proposedLots.map((l) => l.lotId),
      )
    ).map((l) => [l.id, l.expiresAt]),
  )
  const lots = fill(
    [...proposedLots].sort((a, b) => (expiry.get(a.lotId) ?? '').localeCompare(expiry.get(b.lotId) ?? '') || a.lotId.localeCompare(b.lotId)),
    qty,
  )
  const meta = new Map(
    (
      await selectRequestUrgency(
        db,
        proposedRequests.map((r) => r.requestId),
      )
    ).map((r) => [r.id, r]),
  )
  const order = (r: { requestId: string }) =>
    [URGENCY_RANK[meta.get(r.requestId)?.urgency ?? 'routine'] ?? 2, meta.get(r.requestId)?.neededBy ?? '9999'] as const
  const requests = fill(
    [...proposedRequests].sort((a, b) => order(a)[0] - order(b)[0] || order(a)[1].localeCompare(order(b)[1]) || a.requestId.localeCompare(b.requestId)),
    qty,
  )
  const at = nowIso()
  try {
    await db.batch([
      ...setQtyStmts(db, id, qty, lots, requests, at),
      auditStmt(db, actor, 'transfer.edit', 'transfer', id, { qty: { from: t.qty, to: qty }, lots }, at),
    ])
  } catch (e) {
    mapGuardError(e, t, t.status)
  }
  return getTransfer(db, id)
}
