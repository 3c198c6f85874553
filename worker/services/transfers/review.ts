import {
  closePlanIfDoneStmt, releaseRequestsStmts, selectPointless, selectRequestUrgency, setQtyStmts, setStatusStmt,
} from '../../db/transfers'
import { selectLotsByIds } from '../../db/lots'
import { selectPlanExists } from '../../db/plans'
import { badRequest, conflict, notFound } from '../../errors'
import { nowIso } from '../../lib/crypto'
import type { TransferT } from '../../schemas/transfer'
import { auditStmt } from '../audit'
import { requireRole, type Actor } from '../auth'
import { fill, getTransfer, listTransfers, loadRow, mapGuardError, requireTransition, URGENCY_RANK } from './state'

/** Review: the coordinator approves, rejects or lowers each proposed transfer before the plan is committed. */

export async function approveTransfer(db: D1Database, actor: Actor, id: string): Promise<TransferT> {
  requireRole(actor, 'coordinator', 'admin')
  const t = await loadRow(db, id)
  requireTransition(t, 'approved')
  if ((await selectPointless(db, [id])).length) throw conflict('requests_closed', `Every request transfer ${id} serves is cancelled or fulfilled; reject it instead`)
  const at = nowIso()
  try {
    await db.batch([
      setStatusStmt(db, id, 'approved', at, { reviewed_by: actor.id, reviewed_at: at }),
      auditStmt(db, actor, 'transfer.approve', 'transfer', id, { qty: t.qty }, at),
    ])
  } catch (e) { mapGuardError(e, t, 'approved') }
  return getTransfer(db, id)
}

/**
 * Approves, in one batch, every proposed transfer of a plan that serves a request or goes to a site (bulk
 * review); those whose requests are all closed are left proposed. Each approval is audited on its own.
 */
export async function approveMany(db: D1Database, actor: Actor, planId: string, by: { requestId?: string; toSite?: string }): Promise<TransferT[]> {
  requireRole(actor, 'coordinator', 'admin')
  const plan = await selectPlanExists(db, planId)
  if (!plan) throw notFound('plan', planId)
  const all = await listTransfers(db, { planId, status: 'proposed' })
  const chosen = all.filter((t) => (by.toSite ? t.toSite === by.toSite : t.requests.some((r) => r.requestId === by.requestId)))
  if (chosen.length === 0) throw conflict('nothing_to_approve', by.toSite ? `Plan ${planId} has no proposed transfer to ${by.toSite}` : `Plan ${planId} has no proposed transfer serving ${by.requestId}`)
  const closed = new Set(await selectPointless(db, chosen.map((t) => t.id)))
  const ids = chosen.map((t) => t.id).filter((id) => !closed.has(id))
  const at = nowIso()
  try {
    await db.batch(ids.flatMap((id) => [
      setStatusStmt(db, id, 'approved', at, { reviewed_by: actor.id, reviewed_at: at }),
      auditStmt(db, actor, 'transfer.approve', 'transfer', id, { qty: chosen.find((t) => t.id === id)!.qty, bulk: by }, at),
    ]))
  } catch (e) { mapGuardError(e, { id: ids.join(', '), status: 'proposed' }, 'approved') }
  return listTransfers(db, { planId })
}

export async function rejectTransfer(db: D1Database, actor: Actor, id: string, reason: string, action = 'transfer.reject'): Promise<TransferT> {
  requireRole(actor, 'coordinator', 'admin')
  const t = await loadRow(db, id)
  requireTransition(t, 'rejected')
  const at = nowIso()
  try {
    await db.batch([
      setStatusStmt(db, id, 'rejected', at, { reviewed_by: actor.id, reviewed_at: at, reject_reason: reason, close_reason: action === 'transfer.cancel' ? 'cancelled' : 'rejected' }),
      auditStmt(db, actor, action, 'transfer', id, { reason, from: t.status }, at),
      ...releaseRequestsStmts(db, [id], actor.id, at),
      ...(t.planId ? [closePlanIfDoneStmt(db, t.planId)] : []),
    ])
  } catch (e) { mapGuardError(e, t, 'rejected') }
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
  if (t.status !== 'proposed' && t.status !== 'approved') throw conflict('invalid_transition', `Transfer ${id} is ${t.status}; only a proposed or approved transfer's quantity may change`, 'status')
  if (qty > t.proposedQty) throw badRequest('qty', `qty may be at most the proposed ${t.proposedQty}`)
  if (qty === t.qty) return getTransfer(db, id)

  const proposedLots = JSON.parse(t.proposedLots) as { lotId: string; qty: number }[]
  const proposedRequests = JSON.parse(t.proposedRequests) as { requestId: string; qty: number }[]
  const expiry = new Map((await selectLotsByIds(db, proposedLots.map((l) => l.lotId))).map((l) => [l.id, l.expiresAt]))
  const lots = fill([...proposedLots].sort((a, b) => (expiry.get(a.lotId) ?? '').localeCompare(expiry.get(b.lotId) ?? '') || a.lotId.localeCompare(b.lotId)), qty)
  const meta = new Map((await selectRequestUrgency(db, proposedRequests.map((r) => r.requestId))).map((r) => [r.id, r]))
  const order = (r: { requestId: string }) => [URGENCY_RANK[meta.get(r.requestId)?.urgency ?? 'routine'] ?? 2, meta.get(r.requestId)?.neededBy ?? '9999'] as const
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
  } catch (e) { mapGuardError(e, t, t.status) }
  return getTransfer(db, id)
}

